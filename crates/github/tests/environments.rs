//! What GraphQL does not give of deployment environments, read by REST:
//! whether administrators may bypass their protection rules and which
//! branches and tags may deploy. Read for the production environments
//! during the collection and for every environment of the repositories an
//! AWS role may let in afterwards; every failure leaves the details
//! unavailable with its reason, never guessed.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Github, json, repo};
use serde_json::{Value, json};
use tenet_github::GithubConfig;
use tenet_inventory::github::GithubOrg;

const LISTING: &str = "/repos/acme/api/environments";
const PRODUCTION: &str = "/repos/acme/api/environments/production/deployment-branch-policies";
const EU_WEST: &str = "/repos/acme/api/environments/EU%20West%2F1/deployment-branch-policies";
const UNREAD: &str = "GitHub's GraphQL API does not give it, and tenet reads it by REST only for production environments and for the repositories an AWS role that trusts GitHub Actions may let in";

/// The configuration with `production` environments, deployments skipped.
fn config(github: &Github, production: &[&str]) -> GithubConfig {
    let mut config = github.config();
    config.production_environments = production.iter().map(|p| (*p).to_owned()).collect();
    config.skip_deployments = Some("not in these tests".into());
    config
}

/// api's environments as `name → (admins_can_bypass, deployment_branches)`.
fn details(org: &GithubOrg) -> BTreeMap<String, (Value, Value)> {
    repo(org, "api")
        .environments
        .known()
        .expect("api's environments")
        .iter()
        .map(|env| {
            (
                env.name.clone(),
                (json(&env.admins_can_bypass), json(&env.deployment_branches)),
            )
        })
        .collect()
}

fn unavailable(reason: &str) -> Value {
    json!({"unavailable": {"reason": reason}})
}

#[tokio::test]
async fn production_environments_are_read_during_the_collection() {
    let github = Github::start().await;
    github.acme().await;
    let (org, _) = github.collect(&config(&github, &["prod*"])).await;
    let details = details(&org);
    assert_eq!(
        details["production"],
        (
            json!({"known": false}),
            json!({"known": {"selected": [
                {"kind": "branch", "pattern": "release/*"},
                {"kind": "tag", "pattern": "v*"}
            ]}})
        )
    );
    assert_eq!(
        details["EU West/1"],
        (json!({"known": true}), unavailable(UNREAD)),
        "a custom policy of an environment that is not production is not read"
    );
    assert_eq!(
        details["staging"],
        (json!({"known": true}), json!({"known": "any"}))
    );
    assert_eq!(
        (
            github.hits(LISTING).await,
            github.hits(PRODUCTION).await,
            github.hits(EU_WEST).await
        ),
        (1, 1, 0)
    );
}

#[tokio::test]
async fn nothing_is_read_without_production_environments_or_when_skipped() {
    let github = Github::start().await;
    github.acme().await;
    let (org, _) = github.collect(&config(&github, &[])).await;
    assert_eq!(
        details(&org)["production"],
        (unavailable(UNREAD), unavailable(UNREAD))
    );
    let mut skipped = config(&github, &["prod*"]);
    skipped.skip_environment_details = Some("turned off".into());
    github.collect(&skipped).await;
    assert_eq!(github.hits(LISTING).await, 0);
}

/// acme collected without production environments, then the deploy
/// settings of api read.
async fn read_api(github: &Github) -> (GithubOrg, tenet_github::RequestStats) {
    let config = config(github, &[]);
    let (org, _) = github.collect(&config).await;
    let mut orgs = [org];
    let wanted = BTreeMap::from([("acme".to_owned(), BTreeSet::from(["api".to_owned()]))]);
    let stats = tenet_github::read_deploy_settings(&config, &mut orgs, &wanted, "not wanted")
        .await
        .expect("a valid configuration");
    let [org] = orgs;
    (org, stats)
}

#[tokio::test]
async fn every_environment_of_a_repository_a_role_may_let_in_is_read() {
    let github = Github::start().await;
    github.acme().await;
    let (org, stats) = read_api(&github).await;
    let details = details(&org);
    assert_eq!(
        details["EU West/1"],
        (
            json!({"known": true}),
            json!({"known": {"selected": [{"kind": "branch", "pattern": "main"}]}})
        ),
        "a name with a space and a slash is encoded in the path"
    );
    assert_eq!(details["production"].0, json!({"known": false}));
    // The subject, the listing and two environments' name patterns.
    assert_eq!(stats.rest, 4);
}

/// api's details after the deploy-settings read, with `route` answering
/// `status` and `body`.
async fn with_answer(route: &str, status: u16, body: Value) -> BTreeMap<String, (Value, Value)> {
    let github = Github::start().await;
    github.get_first(route, status, body).await;
    github.acme().await;
    details(&read_api(&github).await.0)
}

#[tokio::test]
async fn a_failed_listing_leaves_every_detail_unavailable() {
    let cases = [
        (
            403,
            json!({"message": "Resource not accessible by integration"}),
            "GET /repos/acme/api/environments: 403 Forbidden (Resource not accessible by integration): the token lacks repo (classic token), repository Actions: read (fine-grained token or GitHub App)",
        ),
        (
            404,
            json!({"message": "Not Found"}),
            "GET /repos/acme/api/environments: 404 Not Found (Not Found)",
        ),
        (
            502,
            json!({"message": "Server Error"}),
            "GET /repos/acme/api/environments: 502 Bad Gateway (Server Error), after 3 retries",
        ),
        (
            200,
            json!([]),
            "GET /repos/acme/api/environments: malformed answer",
        ),
    ];
    for (status, body, reason) in cases {
        let details = with_answer(LISTING, status, body).await;
        for (name, (bypass, branches)) in &details {
            for detail in [bypass, branches] {
                if name == "staging" && detail == &json!({"known": "any"}) {
                    continue; // GraphQL says it has no branch policy.
                }
                let got = detail["unavailable"]["reason"].as_str().unwrap_or_default();
                assert!(got.starts_with(reason), "{status} {name}: {got}");
            }
        }
    }
}

#[tokio::test]
async fn a_listing_that_contradicts_graphql_is_not_taken() {
    let mut listing = common::fixture("repo-environments-api.json");
    listing["environments"][1]["name"] = json!("EU East/1");
    let details = with_answer(LISTING, 200, listing).await;
    let reason = details["production"].0["unavailable"]["reason"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        reason.contains(r#"lists the environments ["eu east/1", "production", "staging"], the collection's GraphQL answer ["eu west/1", "production", "staging"]"#),
        "{reason}"
    );
    assert!(details.contains_key("EU West/1"), "GraphQL's list is kept");
}

#[tokio::test]
async fn a_name_pattern_that_cannot_be_read_leaves_its_environment_s_branches_unavailable() {
    let cases = [
        (
            404,
            json!({"message": "Not Found"}),
            "GET /repos/acme/api/environments/production/deployment-branch-policies: 404 Not Found",
        ),
        (
            200,
            json!({"total_count": 1, "branch_policies": [{"id": 1, "name": "main"}]}),
            "GET /repos/acme/api/environments/production/deployment-branch-policies: the pattern \"main\" is of type None, neither a branch nor a tag",
        ),
        (
            200,
            json!({"total_count": 2, "branch_policies": [{"id": 1, "name": "main", "type": "branch"}]}),
            "GET /repos/acme/api/environments/production/deployment-branch-policies: malformed answer",
        ),
    ];
    for (status, body, reason) in cases {
        let details = with_answer(PRODUCTION, status, body).await;
        let got = details["production"].1["unavailable"]["reason"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(got.starts_with(reason), "{status}: {got}");
        assert_eq!(
            details["production"].0,
            json!({"known": false}),
            "the listing's facts stay"
        );
        assert_eq!(
            details["EU West/1"].1["known"]["selected"][0]["pattern"],
            json!("main"),
            "the other environment is read"
        );
    }
}
