//! The pushes GitHub's rule insights recorded as bypassing a rule: one
//! listing per repository whose changes were read, page by page until one
//! is not full, reaching back 28 days before the collection, and every way
//! it can fail, each making that repository's bypasses unavailable rather
//! than empty.

mod common;

use common::{Github, fixture, repo};
use serde_json::{Value, json};
use tenet_inventory::{Observed, github::GithubOrg};
use wiremock::{Mock, ResponseTemplate, matchers};

const ROUTE: &str = "/repos/acme/api/rulesets/rule-suites";

/// The ids of `name`'s recorded bypasses, or why they are unavailable.
fn bypasses(org: &GithubOrg, name: &str) -> Result<Vec<u64>, String> {
    repo(org, name)
        .rule_bypasses
        .as_result()
        .map(|bypasses| bypasses.suites.iter().map(|suite| suite.id).collect())
        .map_err(str::to_owned)
}

/// A rule suite as GitHub lists it.
fn suite(id: u64, result: &str) -> Value {
    json!({
        "id": id, "actor_id": 107, "actor_name": "mallory",
        "before_sha": "a7".repeat(20), "after_sha": "ad".repeat(20),
        "ref": "refs/heads/main", "repository_id": 1002, "repository_name": "api",
        "pushed_at": "2026-11-20T08:01:00Z", "result": result
    })
}

#[tokio::test]
async fn the_bypasses_of_the_past_month_are_read_per_repository() {
    let github = Github::start().await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    let api = repo(&org, "api")
        .rule_bypasses
        .known()
        .expect("api's bypasses");
    assert_eq!(
        api.since.to_rfc3339(),
        "2026-11-03T00:00:00+00:00",
        "28 days before the collection"
    );
    assert_eq!(api.suites.len(), 1);
    assert_eq!(api.suites[0].actor.as_deref(), Some("mallory"));
    assert_eq!(api.suites[0].after_sha, "ad".repeat(20));
    assert_eq!(bypasses(&org, "web"), Ok(vec![]));
    let requests = github.server.received_requests().await.unwrap_or_default();
    let request = requests
        .iter()
        .find(|r| r.url.path() == ROUTE)
        .expect("api's rule suites were read");
    assert_eq!(
        request.url.query(),
        Some("time_period=month&rule_suite_result=bypass&per_page=100&page=1")
    );
}

#[tokio::test]
async fn a_full_page_is_followed_by_the_next_and_other_results_are_not_bypasses() {
    let github = Github::start().await;
    github.acme().await;
    let full: Vec<Value> = (1..=100).map(|id| suite(id, "bypass")).collect();
    let last = json!([suite(101, "bypass"), suite(102, "pass"), suite(103, "fail")]);
    for (page, body) in [("1", Value::Array(full)), ("2", last)] {
        Mock::given(matchers::method("GET"))
            .and(matchers::path(ROUTE))
            .and(matchers::query_param("page", page))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .with_priority(1)
            .mount(&github.server)
            .await;
    }
    let (org, _) = github.collect(&github.config()).await;
    let ids = bypasses(&org, "api").expect("api's bypasses");
    assert_eq!(ids.len(), 101);
    assert_eq!(ids.last(), Some(&101));
    assert_eq!(github.hits(ROUTE).await, 2, "the second page is not full");
}

#[tokio::test]
async fn a_failed_listing_makes_only_its_repositorys_bypasses_unavailable() {
    let error =
        |status: u16, file: &str| ResponseTemplate::new(status).set_body_json(fixture(file));
    let cases: Vec<(&str, ResponseTemplate, &[&str])> = vec![
        (
            "forbidden",
            error(403, "error-403-missing-scope.json"),
            &[": 403", "repository Administration: read"],
        ),
        (
            "not found",
            error(404, "error-404.json"),
            &[": 404", "repository Administration: read"],
        ),
        (
            "a server error, retried",
            error(502, "error-502.json"),
            &["502 Bad Gateway (Server Error), after 3 retries"],
        ),
        (
            "not a list",
            ResponseTemplate::new(200).set_body_json(json!({ "message": "ok" })),
            &["invalid type: map, expected a sequence"],
        ),
        (
            "a suite without its after_sha",
            ResponseTemplate::new(200).set_body_json(json!([{
                "id": 1, "before_sha": "0", "ref": "refs/heads/main",
                "pushed_at": "2026-11-20T08:01:00Z", "result": "bypass"
            }])),
            &["missing field `after_sha`"],
        ),
        (
            "an unknown result",
            ResponseTemplate::new(200).set_body_json(json!([suite(7, "skipped")])),
            &["rule suite 7 has the unknown result `skipped`"],
        ),
    ];
    for (name, answer, expected) in cases {
        let github = Github::start().await;
        github.acme().await;
        Mock::given(matchers::method("GET"))
            .and(matchers::path(ROUTE))
            .respond_with(answer)
            .with_priority(1)
            .mount(&github.server)
            .await;
        let (org, _) = github.collect(&github.config()).await;
        let reason = bypasses(&org, "api").expect_err(name);
        assert!(reason.contains(ROUTE), "{name}: {reason}");
        for part in expected {
            assert!(reason.contains(part), "{name}: {reason}");
        }
        assert_eq!(bypasses(&org, "web"), Ok(vec![]), "{name}");
    }
}

#[tokio::test]
async fn nothing_is_read_when_the_policy_turns_the_control_off_or_the_changes_are_unread() {
    let github = Github::start().await;
    github.acme().await;
    let mut config = github.config();
    config.skip_rule_bypasses = Some("the rule bypasses were not collected".into());
    let (org, _) = github.collect(&config).await;
    assert_eq!(
        repo(&org, "api").rule_bypasses,
        Observed::unavailable("the rule bypasses were not collected")
    );
    assert_eq!(github.hits(ROUTE).await, 0);

    let github = Github::start().await;
    github.acme().await;
    let mut config = github.config();
    config.skip_changes = Some("the changes of the period were not collected".into());
    let (org, _) = github.collect(&config).await;
    assert_eq!(
        repo(&org, "web").rule_bypasses,
        Observed::unavailable("the changes of the period were not collected")
    );
    assert_eq!(github.hits(ROUTE).await, 0);
}

#[tokio::test]
async fn a_repository_without_a_change_in_the_period_is_not_asked() {
    let github = Github::start().await;
    github.acme().await;
    github
        .graphql_first(
            "BranchHistory",
            json!({ "data": {
                "rateLimit": { "cost": 1, "remaining": 4000, "resetAt": "2026-12-01T00:00:00Z" },
                "h0": { "ref": { "target": { "__typename": "Commit", "oid": "a9".repeat(20), "history": {
                    "pageInfo": { "hasNextPage": false, "endCursor": null }, "nodes": [] } } } },
                "h1": { "ref": { "target": { "__typename": "Commit", "oid": "c3".repeat(20), "history": {
                    "pageInfo": { "hasNextPage": false, "endCursor": null }, "nodes": [] } } } }
            } }),
        )
        .await;
    let (org, _) = github.collect(&github.config()).await;
    assert_eq!(
        bypasses(&org, "api"),
        Err("not read: acme/api has no change in the period".to_owned())
    );
    assert_eq!(github.hits(ROUTE).await, 0);
}
