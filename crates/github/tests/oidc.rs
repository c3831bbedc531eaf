//! How repositories' Actions OIDC subjects are made (`GET
//! /repos/{owner}/{repo}/actions/oidc/customization/sub`), read after the
//! collection for the repositories named only, every answer class, and the
//! organization's id that immutable subjects name.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Github, fixture, json, repo};
use serde_json::{Value, json};
use tenet_inventory::github::GithubOrg;

const API: &str = "/repos/acme/api/actions/oidc/customization/sub";
const WEB: &str = "/repos/acme/web/actions/oidc/customization/sub";
const ORG: &str = "/orgs/acme/actions/oidc/customization/sub";
const UNREAD: &str = "not wanted";

/// acme collected, then the OIDC subjects of `names` read.
async fn read(github: &Github, names: &[&str]) -> (GithubOrg, tenet_github::RequestStats) {
    let config = github.config();
    let (org, _) = github.collect(&config).await;
    let mut orgs = [org];
    let wanted = BTreeMap::from([(
        "acme".to_owned(),
        names
            .iter()
            .map(|name| (*name).to_owned())
            .collect::<BTreeSet<_>>(),
    )]);
    let stats = tenet_github::read_deploy_settings(&config, &mut orgs, &wanted, UNREAD)
        .await
        .expect("a valid configuration");
    let [org] = orgs;
    (org, stats)
}

/// api's OIDC subject when its endpoint answers `status` with `body`.
async fn api_subject(status: u16, body: Value) -> Value {
    let github = Github::start().await;
    github.get_first(API, status, body).await;
    github.acme().await;
    let (org, _) = read(&github, &["api"]).await;
    json(&repo(&org, "api").oidc_subject)
}

#[tokio::test]
async fn only_the_repositories_named_are_read() {
    let github = Github::start().await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    assert_eq!(json(&org.id), json!({"known": 9919}));
    assert_eq!(
        json(&repo(&org, "web").oidc_subject),
        json!({"unavailable": {"reason": "not read yet"}}),
        "the collection itself reads none"
    );
    assert_eq!(github.hits(WEB).await, 0);
    let (org, stats) = read(&github, &["web"]).await;
    assert_eq!(
        json(&repo(&org, "web").oidc_subject),
        json!({"known": {"use_default": true, "use_immutable_subject": true, "include_claim_keys": []}})
    );
    assert_eq!(
        json(&repo(&org, "api").oidc_subject),
        json!({"unavailable": {"reason": UNREAD}})
    );
    assert_eq!((github.hits(API).await, github.hits(WEB).await), (0, 1));
    assert_eq!(stats.rest, 1);
    let (_, stats) = read(&github, &[]).await;
    assert_eq!(
        stats.rest + stats.graphql,
        0,
        "nothing named, nothing asked"
    );
}

#[tokio::test]
async fn a_customized_subject_keeps_its_claim_keys() {
    let subject = api_subject(
        200,
        json!({"use_default": false, "include_claim_keys": ["repo", "context", "job_workflow_ref"]}),
    )
    .await;
    assert_eq!(
        subject,
        json!({"known": {"use_default": false, "use_immutable_subject": null, "include_claim_keys": ["repo", "context", "job_workflow_ref"]}})
    );
}

#[tokio::test]
async fn every_failure_leaves_the_subject_unavailable_with_its_reason() {
    let cases = [
        (
            200,
            json!({"include_claim_keys": []}),
            "GET /repos/acme/api/actions/oidc/customization/sub: malformed answer: missing field `use_default`",
        ),
        (
            403,
            json!({"message": "Resource not accessible by integration"}),
            "GET /repos/acme/api/actions/oidc/customization/sub: 403 Forbidden (Resource not accessible by integration): the token lacks repo (classic token), repository Actions: read (fine-grained token or GitHub App)",
        ),
        (
            404,
            json!({"message": "Not Found"}),
            "GET /repos/acme/api/actions/oidc/customization/sub: 404 Not Found (Not Found)",
        ),
        (
            500,
            json!({"message": "boom"}),
            "GET /repos/acme/api/actions/oidc/customization/sub: 500 Internal Server Error (boom), after 3 retries",
        ),
    ];
    for (status, body, reason) in cases {
        let subject = api_subject(status, body).await;
        let got = subject["unavailable"]["reason"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(got.starts_with(reason), "{status}: {got}");
    }
}

#[tokio::test]
async fn a_repository_customized_without_keys_follows_its_organization_read_once() {
    let github = Github::start().await;
    let follows = fixture("repo-oidc-subject-organization.json");
    github.get_first(API, 200, follows.clone()).await;
    github.get_first(WEB, 200, follows).await;
    github
        .get_first(ORG, 200, fixture("org-oidc-subject.json"))
        .await;
    github.acme().await;
    let (org, stats) = read(&github, &["api", "web"]).await;
    let expected = json!({"known": {"use_default": false, "use_immutable_subject": false, "include_claim_keys": ["repo", "context", "job_workflow_ref"]}});
    assert_eq!(json(&repo(&org, "api").oidc_subject), expected);
    assert_eq!(json(&repo(&org, "web").oidc_subject), expected);
    assert_eq!(
        github.hits(ORG).await,
        1,
        "one request for the organization"
    );
    // Both subjects, the organization's template, and api's environments:
    // the listing and the name patterns of its two with selected branches.
    assert_eq!(stats.rest, 6);
}

#[tokio::test]
async fn an_organization_without_a_template_gives_the_default_subject() {
    let github = Github::start().await;
    github
        .get_first(API, 200, fixture("repo-oidc-subject-organization.json"))
        .await;
    github
        .get_first(ORG, 200, json!({"include_claim_keys": []}))
        .await;
    github.acme().await;
    let (org, _) = read(&github, &["api"]).await;
    assert_eq!(
        json(&repo(&org, "api").oidc_subject),
        json!({"known": {"use_default": true, "use_immutable_subject": false, "include_claim_keys": []}})
    );
}

#[tokio::test]
async fn an_unreadable_organization_template_leaves_its_followers_unavailable() {
    let follows = "it follows its organization's OIDC subject template, which is unavailable: \
                   GET /orgs/acme/actions/oidc/customization/sub: ";
    let cases = [
        (
            200,
            json!({"use_immutable_subject": true}),
            "malformed answer: missing field `include_claim_keys`",
        ),
        (
            200,
            json!({"include_claim_keys": "repo"}),
            "malformed answer: invalid type: string \"repo\", expected a sequence",
        ),
        (
            403,
            json!({"message": "Resource not accessible by integration"}),
            "403 Forbidden (Resource not accessible by integration): the token lacks read:org (classic token), organization Administration: read (fine-grained token or GitHub App)",
        ),
        (
            404,
            json!({"message": "Not Found"}),
            "404 Not Found (Not Found)",
        ),
        (
            500,
            json!({"message": "boom"}),
            "500 Internal Server Error (boom), after 3 retries",
        ),
    ];
    for (status, body, reason) in cases {
        let github = Github::start().await;
        github
            .get_first(API, 200, fixture("repo-oidc-subject-organization.json"))
            .await;
        github.get_first(ORG, status, body).await;
        github.acme().await;
        let (org, _) = read(&github, &["api"]).await;
        let subject = json(&repo(&org, "api").oidc_subject);
        let got = subject["unavailable"]["reason"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            got.starts_with(&format!("{follows}{reason}")),
            "{status}: {got}"
        );
    }
}
