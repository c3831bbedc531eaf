//! Code scanning and open alerts: read at organization cost (code security
//! configurations, organization alert listings read to the end), one
//! request more for a repository no configuration covers, and every answer
//! GitHub documents for "off" told apart from one tenet cannot read.

mod common;

use common::{Github, fixture, json, repo};
use serde_json::{Value, json};
use wiremock::ResponseTemplate;

const ANALYSES: &str = "/repos/acme/web/code-scanning/analyses";
const CONFIGURATIONS: &str = "/orgs/acme/code-security/configurations";

/// web's code scanning when its analyses answer `status` with `body`.
async fn web_code_scanning(status: u16, body: Value) -> Value {
    let github = Github::start().await;
    github.get_first(ANALYSES, status, body).await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    json(&repo(&org, "web").security.code_scanning)
}

#[tokio::test]
async fn the_answers_github_gives_for_no_code_scanning_are_off_and_others_unknown() {
    let cases = [
        (
            404,
            fixture("error-404-no-analysis.json"),
            json!({ "known": { "setup": "off", "detail": "GET /repos/acme/web/code-scanning/analyses?per_page=1: 404 (no analysis found)" } }),
        ),
        (
            403,
            fixture("error-403-advanced-security.json"),
            json!({ "known": { "setup": "off", "detail": "GET /repos/acme/web/code-scanning/analyses?per_page=1: 403 (Advanced Security must be enabled for this repository to use code scanning.)" } }),
        ),
        (
            200,
            json!([]),
            json!({ "known": { "setup": "off", "detail": "GET /repos/acme/web/code-scanning/analyses?per_page=1 listed no analysis" } }),
        ),
        (
            403,
            json!({ "message": "Resource not accessible by personal access token" }),
            json!({ "unavailable": { "reason": "GET /repos/acme/web/code-scanning/analyses?per_page=1: 403 Forbidden (Resource not accessible by personal access token): the token lacks security_events (public_repo for public repositories only) (classic token), repository Code scanning alerts: read (fine-grained token or GitHub App)" } }),
        ),
        (
            404,
            fixture("error-404.json"),
            json!({ "unavailable": { "reason": "GET /repos/acme/web/code-scanning/analyses?per_page=1: 404 Not Found (Not Found): it does not exist, or the token may not see it; needs security_events (public_repo for public repositories only) (classic token), repository Code scanning alerts: read (fine-grained token or GitHub App)" } }),
        ),
        (
            200,
            json!({ "message": "not a list" }),
            json!({ "unavailable": { "reason": "GET /repos/acme/web/code-scanning/analyses?per_page=1: malformed answer: invalid type: map, expected a sequence at line 1 column 0" } }),
        ),
    ];
    for (status, body, expected) in cases {
        assert_eq!(
            web_code_scanning(status, body.clone()).await,
            expected,
            "{status} {body}"
        );
    }
}

#[tokio::test]
async fn unread_configurations_cost_one_request_per_repository_and_are_named_when_that_fails_too() {
    let github = Github::start().await;
    github
        .get_first(CONFIGURATIONS, 403, fixture("error-403-must-be-owner.json"))
        .await;
    github
        .get_first(
            "/repos/acme/api/code-scanning/analyses",
            503,
            json!({ "message": "Service unavailable" }),
        )
        .await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    assert_eq!(
        json(&repo(&org, "web").security.code_scanning)["known"]["setup"],
        "analyses"
    );
    let api = json(&repo(&org, "api").security.code_scanning);
    let reason = api["unavailable"]["reason"].as_str().unwrap_or_default();
    assert!(
        reason.starts_with("GET /repos/acme/api/code-scanning/analyses?per_page=1: 503 Service Unavailable")
            && reason.contains("the code security configurations were not read either: GET /orgs/acme/code-security/configurations: 403 Forbidden"),
        "{reason}"
    );
    assert_eq!(
        github
            .hits("/orgs/acme/code-security/configurations/17/repositories")
            .await,
        0
    );
}

#[tokio::test]
async fn a_configurations_repositories_are_read_across_pages() {
    let github = Github::start().await;
    let route = "/orgs/acme/code-security/configurations/17/repositories";
    let attachments = fixture("org-code-security-configuration-repositories.json");
    let mut web = attachments[1].clone();
    web["status"] = json!("enforced");
    github
        .two_pages(
            route,
            ("after", "Y3Vyc29yOjE="),
            json!([attachments[0]]),
            ResponseTemplate::new(200).set_body_json(json!([web])),
        )
        .await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    for name in ["api", "web"] {
        assert_eq!(
            json(&repo(&org, name).security.code_scanning),
            json!({ "known": { "setup": "configuration", "id": 17, "name": "GitHub recommended" } }),
            "{name}"
        );
    }
    assert_eq!(github.hits(ANALYSES).await, 0, "web is covered: no request");
}

#[tokio::test]
async fn open_alerts_are_read_across_pages_per_organization_and_grouped_by_repository() {
    let github = Github::start().await;
    let route = "/orgs/acme/dependabot/alerts";
    let alert = fixture("org-dependabot-alerts.json")[0].clone();
    let mut second = alert.clone();
    second["number"] = json!(7);
    second["security_advisory"]["severity"] = json!("low");
    second["repository"]["name"] = json!("web");
    second["html_url"] = json!("https://github.com/acme/web/security/dependabot/7");
    github
        .two_pages(
            route,
            ("after", "MTA="),
            json!([alert]),
            ResponseTemplate::new(200).set_body_json(json!([second])),
        )
        .await;
    github.acme().await;
    let (org, stats) = github.collect(&github.config()).await;
    assert_eq!(
        json(&repo(&org, "web").open_alerts.dependabot),
        json!({ "known": [{
            "number": 7,
            "severity": "low",
            "created_at": "2026-10-02T08:00:00Z",
            "title": "GHSA-jf85-cpcp-j695 in lodash",
            "url": "https://github.com/acme/web/security/dependabot/7"
        }] })
    );
    assert_eq!(
        json(&repo(&org, "api").open_alerts.dependabot)["known"][0]["number"],
        2
    );
    assert_eq!(github.hits(route).await, 2);
    assert_eq!(
        stats.rest, 26,
        "the collection's 24, one more page and whose token it is"
    );
    let secret_query = github
        .server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|r| r.url.path() == "/orgs/acme/secret-scanning/alerts")
        .and_then(|r| r.url.query().map(str::to_owned));
    assert_eq!(
        secret_query.as_deref(),
        Some("state=open&hide_secret=true&per_page=100"),
        "the secret itself is never fetched"
    );
}

#[tokio::test]
async fn an_alert_listing_that_fails_or_cannot_be_read_is_unavailable_for_every_repository() {
    let github = Github::start().await;
    github
        .get_first(
            "/orgs/acme/code-scanning/alerts",
            403,
            json!({ "message": "Resource not accessible by integration" }),
        )
        .await;
    let mut unknown = fixture("org-dependabot-alerts.json");
    unknown[0]["security_advisory"]["severity"] = json!("severe");
    github
        .get_first("/orgs/acme/dependabot/alerts", 200, unknown)
        .await;
    github
        .two_pages(
            "/orgs/acme/secret-scanning/alerts",
            ("page", "2"),
            fixture("org-secret-scanning-alerts.json"),
            ResponseTemplate::new(502).set_body_json(fixture("error-502.json")),
        )
        .await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    for name in ["api", "web"] {
        let alerts = json(&repo(&org, name).open_alerts);
        assert_eq!(
            alerts["code_scanning"]["unavailable"]["reason"],
            "GET /orgs/acme/code-scanning/alerts?state=open: 403 Forbidden (Resource not accessible by integration): the token lacks security_events (or repo), as an organization owner or security manager (classic token), repository Code scanning alerts: read, as an organization owner or security manager (fine-grained token or GitHub App)"
        );
        assert_eq!(
            alerts["dependabot"]["unavailable"]["reason"],
            "GET /orgs/acme/dependabot/alerts?state=open: alert 2 of api has the unknown severity `severe`"
        );
        assert_eq!(
            alerts["secret_scanning"]["unavailable"]["reason"],
            "GET /orgs/acme/secret-scanning/alerts?state=open&hide_secret=true (page 2): 502 Bad Gateway (Server Error), after 3 retries",
            "a listing cut short is never a short list"
        );
    }
}

#[tokio::test]
async fn nothing_is_requested_for_controls_the_policy_turns_off() {
    let github = Github::start().await;
    github.acme().await;
    let mut config = github.config();
    config.skip_code_scanning = Some("code scanning setups were not collected".into());
    config.skip_alerts = Some("open security alerts were not collected".into());
    let (org, stats) = github.collect(&config).await;
    for route in [
        CONFIGURATIONS,
        ANALYSES,
        "/orgs/acme/dependabot/alerts",
        "/orgs/acme/code-scanning/alerts",
        "/orgs/acme/secret-scanning/alerts",
    ] {
        assert_eq!(github.hits(route).await, 0, "{route}");
    }
    assert_eq!(stats.rest, 19, "18 and whose token it is");
    let web = repo(&org, "web");
    assert_eq!(
        json(&web.security.code_scanning),
        json!({ "unavailable": { "reason": "code scanning setups were not collected" } })
    );
    assert_eq!(
        json(&web.open_alerts.secret_scanning),
        json!({ "unavailable": { "reason": "open security alerts were not collected" } })
    );
}
