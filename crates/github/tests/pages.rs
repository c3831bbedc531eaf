//! Connections with more items than one request reads are read to the end
//! with follow-up queries; a follow-up that fails makes only that fact
//! unavailable.

mod common;

use common::{Github, fixture};
use serde_json::{Value, json};
use tenet_inventory::Observed;
use wiremock::{
    Mock, ResponseTemplate,
    matchers::{body_string_contains, method, path},
};

/// The details answer with `api`'s rulesets and deploy keys announcing a
/// second page, and branches (first page: `main`; more to come) for both
/// repositories.
fn details_with_more_pages() -> Value {
    let mut details = fixture("graphql-repository-details.json");
    let api = &mut details["data"]["r0"];
    api["rulesets"]["pageInfo"] = json!({"hasNextPage": true, "endCursor": "rulesets-1"});
    api["deployKeys"]["pageInfo"] = json!({"hasNextPage": true, "endCursor": "keys-1"});
    api["branchProtectionRules"]["pageInfo"] = json!({"hasNextPage": true, "endCursor": "rules-1"});
    api["refs"] = json!({
        "pageInfo": {"hasNextPage": true, "endCursor": "refs-1"},
        "nodes": [{"name": "main", "branchProtectionRule": null}]
    });
    details["data"]["r1"]["refs"] = json!({
        "pageInfo": {"hasNextPage": false, "endCursor": null},
        "nodes": [{"name": "main", "branchProtectionRule": null}]
    });
    details
}

/// A repository ruleset of the recorded details under another id and name.
fn another_ruleset(id: u64, name: &str) -> Value {
    let details = fixture("graphql-repository-details.json");
    let mut ruleset = details["data"]["r0"]["rulesets"]["nodes"][0].clone();
    ruleset["databaseId"] = json!(id);
    ruleset["name"] = json!(name);
    ruleset
}

/// `operation` answers `data` when asked for the page after `cursor`.
async fn page(github: &Github, operation: &str, cursor: &str, data: Value) {
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .and(body_string_contains(format!("query {operation}(")))
        .and(body_string_contains(format!("\"after\":\"{cursor}\"")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": data})))
        .with_priority(1)
        .mount(&github.server)
        .await;
}

async fn mount(github: &Github) {
    github.acme().await;
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .and(body_string_contains("query RepositoryDetails("))
        .respond_with(ResponseTemplate::new(200).set_body_json(details_with_more_pages()))
        .with_priority(1)
        .mount(&github.server)
        .await;
    page(
        github,
        "RepositoryBranches",
        "refs-1",
        json!({"repository": {"refs": {
            "pageInfo": {"hasNextPage": false, "endCursor": "refs-2"},
            "nodes": [{"name": "release/1.0", "branchProtectionRule": {"id": "BPR_release"}}]
        }}}),
    )
    .await;
    let details = fixture("graphql-repository-details.json");
    let mut release_rule = details["data"]["r0"]["branchProtectionRules"]["nodes"][0].clone();
    release_rule["id"] = json!("BPR_release");
    release_rule["pattern"] = json!("release/*");
    release_rule["allowsForcePushes"] = json!(true);
    page(
        github,
        "RepositoryProtectionRules",
        "rules-1",
        json!({"repository": {"branchProtectionRules": {
            "pageInfo": {"hasNextPage": false, "endCursor": "rules-2"},
            "nodes": [release_rule]
        }}}),
    )
    .await;
    page(
        github,
        "RepositoryDeployKeys",
        "keys-1",
        json!({"repository": {"deployKeys": {
            "pageInfo": {"hasNextPage": false, "endCursor": "keys-2"},
            "nodes": [{"id": "DK_kwDOBm000003", "title": "release-bot", "readOnly": false}]
        }}}),
    )
    .await;
}

#[tokio::test]
async fn connections_longer_than_one_request_are_read_to_the_end() {
    let github = Github::start().await;
    mount(&github).await;
    page(
        &github,
        "RepositoryRulesets",
        "rulesets-1",
        json!({"repository": {"rulesets": {
            "pageInfo": {"hasNextPage": false, "endCursor": "rulesets-2"},
            "nodes": [another_ruleset(9_000_001, "Release branches")]
        }}}),
    )
    .await;
    let mut config = github.config();
    config.protected_branches = vec!["release/*".into()];
    let (org, stats) = github.collect(&config).await;
    let repos = org.repositories.known().expect("repositories");
    let api = repos.iter().find(|r| r.name == "api").expect("api");

    let branches: Vec<(&str, Option<bool>)> = api
        .branches
        .known()
        .map(|b| {
            b.iter()
                .map(|b| {
                    let force_pushes = b
                        .protection
                        .known()
                        .and_then(|p| p.as_ref())
                        .map(|p| p.allow_force_pushes);
                    (b.branch.as_str(), force_pushes)
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        branches,
        [("main", Some(false)), ("release/1.0", Some(true))],
        "release/1.0's rule came on the second page of protection rules"
    );
    let rulesets: Vec<&str> = api
        .rulesets
        .known()
        .map(|r| r.iter().map(|r| r.name.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(rulesets, ["Main Branch Protection", "Release branches"]);
    let keys: Vec<(&str, bool)> = api
        .deploy_keys
        .known()
        .map(|k| k.iter().map(|k| (k.id.as_str(), k.read_only)).collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        [
            ("DK_kwDOBm000001", true),
            ("DK_kwDOBm000002", false),
            ("DK_kwDOBm000003", false)
        ]
    );
    let changed: Vec<&str> = api
        .changes
        .known()
        .map(|b| b.iter().map(|b| b.branch.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        changed,
        ["main", "release/1.0"],
        "the protected branch's changes are read too"
    );
    // Org rulesets, discovery, one details batch, one follow-up page each
    // for api's branches, protection rules, rulesets and deploy keys, and
    // one batch of the three branches' histories.
    assert_eq!(stats.graphql, 8);
}

#[tokio::test]
async fn a_follow_up_page_that_fails_makes_only_its_fact_unavailable() {
    let github = Github::start().await;
    mount(&github).await;
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .and(body_string_contains("query RepositoryRulesets("))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": {"repository": null},
            "errors": [{"type": "FORBIDDEN", "path": ["repository"],
                        "message": "Resource not accessible by integration"}]
        })))
        .mount(&github.server)
        .await;
    let (org, _) = github.collect(&github.config()).await;
    let repos = org.repositories.known().expect("repositories");
    let api = repos.iter().find(|r| r.name == "api").expect("api");
    assert_eq!(
        api.rulesets.as_result().err(),
        Some(
            "GraphQL RepositoryRulesets of acme/api (page 2): Resource not accessible by integration; needs repo (classic token), repository Metadata: read and Administration: read (fine-grained token or GitHub App)"
        )
    );
    assert!(matches!(api.deploy_keys, Observed::Known(ref keys) if keys.len() == 3));
    assert!(matches!(api.branches, Observed::Known(_)));
}

#[tokio::test]
async fn organization_rulesets_are_read_to_the_end() {
    let github = Github::start().await;
    github.acme().await;
    let mut first = fixture("graphql-org-rulesets.json");
    first["data"]["organization"]["rulesets"]["pageInfo"] =
        json!({"hasNextPage": true, "endCursor": "org-rulesets-1"});
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .and(body_string_contains("query OrganizationRulesets("))
        .and(body_string_contains("\"after\":null"))
        .respond_with(ResponseTemplate::new(200).set_body_json(first))
        .with_priority(1)
        .mount(&github.server)
        .await;
    let mut second = another_ruleset(77, "Org tags");
    second["source"] = json!({"__typename": "Organization"});
    page(
        &github,
        "OrganizationRulesets",
        "org-rulesets-1",
        json!({"organization": {"rulesets": {
            "pageInfo": {"hasNextPage": false, "endCursor": "org-rulesets-2"},
            "nodes": [second]
        }}}),
    )
    .await;
    let (org, _) = github.collect(&github.config()).await;
    let names: Vec<&str> = org
        .rulesets
        .known()
        .map(|r| r.iter().map(|r| r.name.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["Org baseline", "Org tags"]);
}
