//! A whole organization collected from recorded payloads, compared with the
//! expected inventory, and the request count that took.

mod common;

use common::{Github, TOKEN, fixture, json};

#[tokio::test]
async fn collects_the_whole_organization() {
    let github = Github::start().await;
    github.acme().await;
    let (org, stats) = github.collect(&github.config()).await;
    let collected = json(&org);
    let expected = fixture("expected/acme.json");
    if collected != expected {
        let pretty = serde_json::to_string_pretty(&collected).unwrap_or_default();
        std::fs::write(std::env::temp_dir().join("acme.collected.json"), &pretty).ok();
        panic!("collected organization differs from fixtures/github/expected/acme.json:\n{pretty}");
    }
    // Organization: settings, 3 member listings, 2 outside-collaborator
    // listings, hooks, Actions, the REST view of its one ruleset, the code
    // security configurations and the repositories of the one with default
    // setup on, 3 alert listings; repositories: the security listing, 2 hook
    // listings, 1 collaborator fallback (GraphQL refused web's), web's
    // code scanning analyses (its attachment failed), the activity of api,
    // web and the fork one of api's pull requests came from (who pushed
    // each merged head), the rule bypasses of api and web. Deploy keys and
    // every classic protection rule come with the GraphQL details; Actions
    // settings are inherited from the organization's restrictive ones: no
    // request per repository. Then whose the token is (`GET /user`).
    assert_eq!(stats.rest, 25);
    // Org rulesets, discovery, one details batch, one batch of histories.
    assert_eq!(stats.graphql, 4);
    assert_eq!(stats.retries, 0);
    assert_eq!(stats.graphql_cost, 8);
    assert!(!pretty_contains_token(&collected));
}

fn pretty_contains_token(value: &serde_json::Value) -> bool {
    value.to_string().contains(TOKEN)
}

#[tokio::test]
async fn archived_repositories_only_when_the_filter_takes_them() {
    let github = Github::start().await;
    github.acme().await;
    github
        .get("/repos/acme/old/hooks", 200, serde_json::json!([]))
        .await;
    let mut config = github.config();
    config.repo_filter = tenet_github::RepoFilter::new(|name, _archived| name != "web");
    let (org, _) = github.collect(&config).await;
    let names: Vec<String> = org
        .repositories
        .known()
        .map(|repos| repos.iter().map(|r| r.name.clone()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["api", "old"]);
}
