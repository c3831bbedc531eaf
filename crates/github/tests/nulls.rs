//! GraphQL may answer a list element with `null` (an actor it cannot show,
//! an edge it could not resolve). A null element is never left out: a
//! bypass allowance stays a bypasser, and a list with a hole is unavailable
//! rather than shorter.

mod common;

use common::{Github, fixture, json};
use serde_json::json;

#[tokio::test]
async fn null_elements_are_kept_or_make_their_list_unavailable() {
    let github = Github::start().await;
    let mut details = fixture("graphql-repository-details.json");
    let api = &mut details["data"]["r0"];
    api["branchProtectionRules"]["nodes"][0]["bypassPullRequestAllowances"]["nodes"]
        .as_array_mut()
        .expect("allowances")
        .push(json!({"actor": null}));
    api["rulesets"]["nodes"][0]["bypassActors"]["nodes"]
        .as_array_mut()
        .expect("bypass actors")
        .push(json!(null));
    api["collaborators"]["edges"]
        .as_array_mut()
        .expect("edges")
        .push(json!(null));
    github.graphql_first("RepositoryDetails", details).await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    let repos = org.repositories.known().cloned().unwrap_or_default();
    let api = &repos[0];

    let branches = json(&api.branches);
    assert_eq!(
        branches["known"][0]["protection"]["known"]["bypass_actors"],
        json!([
            {"kind": "team", "name": "release-managers"},
            {"kind": "unknown", "name": "unnamed"}
        ])
    );
    let rulesets = json(&api.rulesets);
    assert_eq!(
        rulesets["known"][0]["bypass_actors"],
        json!({"unavailable": {"reason":
            "one of the bypass actors in ruleset `Main Branch Protection` was not returned"}})
    );
    // The ruleset's rules still count.
    assert_eq!(
        rulesets["known"][0]["rules"].as_array().map(Vec::len),
        Some(5)
    );
    // The hole sends the collaborators to the REST fallback (404 here).
    let collaborators = json(&api.outside_collaborators);
    let reason = collaborators["unavailable"]["reason"]
        .as_str()
        .unwrap_or_default();
    assert!(
        reason.starts_with(
            "GraphQL RepositoryDetails of acme/api: one of the outside collaborators was not returned; REST fallback: GET /repos/acme/api/collaborators"
        ),
        "{reason}"
    );
}
