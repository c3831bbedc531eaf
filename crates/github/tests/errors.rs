//! Every error class: each makes exactly the facts it would have given
//! unavailable, with a reason naming the request, the status and the
//! permission; the rest of the organization is still collected.

mod common;

use common::{Github, TOKEN, fixture, json};
use std::time::Duration;

use serde_json::json;
use tenet_github::GithubConfig;
use tenet_inventory::Observed;
use wiremock::{
    Mock, ResponseTemplate,
    matchers::{any, body_string_contains, method, path, query_param, query_param_is_missing},
};

fn reason<T>(fact: &Observed<T>) -> &str {
    fact.as_result().err().unwrap_or("(known)")
}

#[tokio::test]
async fn refused_credentials_stop_the_collection_at_once_without_leaking_the_token() {
    let github = Github::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_json(fixture("error-401.json")))
        .mount(&github.server)
        .await;
    let err = github.collect_err(&github.config()).await;
    assert_eq!(
        err,
        "GitHub refused the credentials for organization `acme`: GET /orgs/acme: 401 Unauthorized (Bad credentials): the credentials are invalid, expired or revoked; check the token (--github-token or GITHUB_TOKEN: not expired or revoked, and allowed in the organization) or the GitHub App"
    );
    assert!(!err.contains(TOKEN));
    let sent = github.server.received_requests().await.unwrap_or_default();
    assert_eq!(sent.len(), 1, "nothing is asked after the refusal");
}

#[tokio::test]
async fn an_unknown_organization_stops_the_collection_at_once() {
    let github = Github::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404).set_body_json(fixture("error-404.json")))
        .mount(&github.server)
        .await;
    assert_eq!(
        github.collect_err(&github.config()).await,
        "organization `acme` does not exist, or these credentials may not see it: GET /orgs/acme: 404 Not Found (Not Found): it does not exist, or the token may not see it; needs the permission to read it; check its name in --github-org or [scope] github_orgs"
    );
}

#[tokio::test]
async fn an_unreachable_github_stops_the_collection_naming_the_cause() {
    // A port nothing listens on: the connection is refused.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = closed.local_addr().expect("address").port();
    drop(closed);
    let github = Github::start().await;
    let mut config = github.config();
    config.api_url = format!("http://127.0.0.1:{port}");
    let err = github.collect_err(&config).await;
    assert!(
        err.starts_with(&format!(
            "cannot reach GitHub at http://127.0.0.1:{port}: GET /orgs/acme: "
        )),
        "{err}"
    );
    assert!(
        err.contains("Connection refused"),
        "the cause is named: {err}"
    );
}

#[tokio::test]
async fn credentials_refused_after_the_organization_was_read_make_facts_unavailable() {
    // Revoked during the run: what was read stays, the rest is an error.
    let github = Github::start().await;
    github.get("/orgs/acme", 200, fixture("org-get.json")).await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_json(fixture("error-401.json")))
        .mount(&github.server)
        .await;
    let (org, stats) = github.collect(&github.config()).await;
    assert_eq!(
        reason(&org.members),
        "GET /orgs/acme/members?role=admin: 401 Unauthorized (Bad credentials): the credentials are invalid, expired or revoked"
    );
    assert!(
        org.settings
            .two_factor_requirement_enabled
            .known()
            .is_some()
    );
    assert_eq!(
        reason(&org.repositories),
        "GraphQL Repositories (page 1): 401 Unauthorized (Bad credentials): the credentials are invalid, expired or revoked; the repository list is incomplete, so no repository is reported"
    );
    assert_eq!(stats.retries, 0, "a 401 is not retried");
    assert!(!json(&org).to_string().contains(TOKEN));
    let sent = github.server.received_requests().await.unwrap_or_default();
    assert!(!sent.is_empty());
    for request in sent {
        assert_eq!(
            request
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok()),
            Some(format!("Bearer {TOKEN}").as_str())
        );
    }
}

#[tokio::test]
async fn missing_owner_rights_make_2fa_and_settings_unavailable() {
    let github = Github::start().await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme/members"))
        .and(query_param("filter", "2fa_disabled"))
        .respond_with(
            ResponseTemplate::new(403).set_body_json(fixture("error-403-missing-scope.json")),
        )
        .with_priority(1)
        .mount(&github.server)
        .await;
    github
        .get("/orgs/acme", 200, fixture("org-get-public-view.json"))
        .await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    let expected_2fa = "GET /orgs/acme/members?filter=2fa_disabled: 403 Forbidden (You need at least read:org scope or admin:org scope to list org members.): the token lacks admin:org as an organization owner (classic token), organization Members: read, as an organization owner (fine-grained token or GitHub App)";
    let members = org.members.known().cloned().unwrap_or_default();
    let summary: Vec<(String, String)> = members
        .iter()
        .map(|m| (m.login.clone(), reason(&m.two_factor_enabled).to_owned()))
        .collect();
    assert_eq!(
        summary,
        [
            ("alice".to_owned(), expected_2fa.to_owned()),
            ("bob".to_owned(), expected_2fa.to_owned()),
            ("carol".to_owned(), expected_2fa.to_owned()),
        ]
    );
    assert_eq!(
        reason(&org.settings.two_factor_requirement_enabled),
        "GET /orgs/acme did not include two_factor_requirement_enabled: GitHub shows it to organization owners only; needs admin:org as an organization owner (read:org is not enough) (classic token), organization Administration: read, as an organization owner (fine-grained token or GitHub App)"
    );
    assert!(org.repositories.known().is_some(), "the rest is collected");
}

#[tokio::test]
async fn not_found_names_the_permission() {
    let github = Github::start().await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme/hooks"))
        .respond_with(ResponseTemplate::new(404).set_body_json(fixture("error-404.json")))
        .with_priority(1)
        .mount(&github.server)
        .await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    assert_eq!(
        reason(&org.webhooks),
        "GET /orgs/acme/hooks: 404 Not Found (Not Found): it does not exist, or the token may not see it; needs admin:org_hook as an organization owner (classic token), organization Webhooks: read, as an organization owner (fine-grained token or GitHub App)"
    );
    assert_eq!(org.members.known().map(Vec::len), Some(3));
}

#[tokio::test]
async fn secondary_rate_limit_waits_and_retries() {
    let github = Github::start().await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme/hooks"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("retry-after", "60")
                .set_body_json(fixture("error-secondary-rate-limit.json")),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&github.server)
        .await;
    github.acme().await;
    let (org, stats) = github.collect(&github.config()).await;
    assert_eq!(github.hits("/orgs/acme/hooks").await, 2);
    assert_eq!(stats.retries, 1);
    assert_eq!(org.webhooks.known().map(Vec::len), Some(2));
}

#[tokio::test]
async fn exhausted_primary_rate_limit_waits_for_the_reset() {
    let github = Github::start().await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", "4102444800")
                .set_body_json(json!({"message": "API rate limit exceeded for user ID 1."})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&github.server)
        .await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    assert_eq!(github.hits("/orgs/acme").await, 2);
    assert_eq!(
        org.settings.two_factor_requirement_enabled,
        Observed::Known(false)
    );
}

#[tokio::test]
async fn a_wait_past_the_time_limit_is_not_waited_and_names_the_limit() {
    let github = Github::start().await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme/hooks"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", "4102444800")
                .set_body_json(json!({"message": "API rate limit exceeded for user ID 1."})),
        )
        .with_priority(1)
        .mount(&github.server)
        .await;
    github.acme().await;
    // The reset is decades away and a single wait may last an hour, but the
    // collection may take only 10 minutes: the request is not retried and
    // the test does not wait.
    let mut config = github.config();
    config.retry.max_wait = Duration::from_secs(3600);
    config.time_limit = Duration::from_secs(600);
    let (org, stats) = github.collect(&config).await;
    assert_eq!(
        reason(&org.webhooks),
        "GET /orgs/acme/hooks: 403 Forbidden (API rate limit exceeded for user ID 1.): rate limited; waiting to retry would pass the collection's time limit of 600 s (--timeout)"
    );
    assert_eq!(github.hits("/orgs/acme/hooks").await, 1);
    assert_eq!(stats.retries, 0, "no retry was sent");
    assert_eq!(
        org.members.known().map(Vec::len),
        Some(3),
        "the rest is read"
    );
}

#[tokio::test]
async fn past_the_time_limit_no_request_is_sent() {
    let github = Github::start().await;
    github.acme().await;
    let mut config = github.config();
    config.time_limit = Duration::ZERO;
    let (org, stats) = github.collect(&config).await;
    assert_eq!(
        reason(&org.members),
        "GET /orgs/acme/members?role=admin: not sent: the collection's time limit of 0 s (--timeout) was reached"
    );
    assert!(org.repositories.known().is_none());
    assert_eq!(stats.rest + stats.graphql, 0);
    assert!(
        github
            .server
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
}

#[tokio::test]
async fn server_errors_are_retried_then_succeed() {
    let github = Github::start().await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme"))
        .respond_with(ResponseTemplate::new(502).set_body_json(fixture("error-502.json")))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&github.server)
        .await;
    github.acme().await;
    let (org, stats) = github.collect(&github.config()).await;
    assert_eq!(github.hits("/orgs/acme").await, 3);
    assert_eq!(stats.retries, 2);
    assert_eq!(
        org.settings.two_factor_requirement_enabled,
        Observed::Known(false)
    );
}

#[tokio::test]
async fn server_errors_are_retried_a_bounded_number_of_times() {
    let github = Github::start().await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme"))
        .respond_with(ResponseTemplate::new(503))
        .with_priority(1)
        .mount(&github.server)
        .await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    assert_eq!(github.hits("/orgs/acme").await, 4, "1 try + max_retries 3");
    assert_eq!(
        reason(&org.settings.default_repository_permission),
        "GET /orgs/acme: 503 Service Unavailable, after 3 retries"
    );
}

/// An organization whose webhooks never answer, and a configuration that
/// waits 200 ms per attempt.
async fn hooks_never_answer() -> (Github, GithubConfig) {
    let github = Github::start().await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme/hooks"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(fixture("org-hooks-list.json"))
                .set_delay(std::time::Duration::from_secs(5)),
        )
        .with_priority(1)
        .mount(&github.server)
        .await;
    github.acme().await;
    let mut config = github.config();
    config.timeout = std::time::Duration::from_millis(200);
    (github, config)
}

#[tokio::test]
async fn a_request_that_times_out_is_retried_then_unavailable() {
    let (github, config) = hooks_never_answer().await;
    let (org, stats) = github.collect(&config).await;
    assert_eq!(
        github.hits("/orgs/acme/hooks").await,
        4,
        "1 try + max_retries 3"
    );
    let why = reason(&org.webhooks);
    assert!(
        why.starts_with("GET /orgs/acme/hooks: no answer in ")
            && why.ends_with(" ms, over 4 attempts"),
        "{why}"
    );
    assert_eq!(stats.retries, 3);
    assert_eq!(
        org.settings.two_factor_requirement_enabled,
        Observed::Known(false),
        "the rest of the organization is still collected"
    );
}

#[tokio::test]
async fn malformed_json_is_unavailable() {
    let github = Github::start().await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme/actions/permissions/workflow"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string("{default_workflow_permissions: read"),
        )
        .with_priority(1)
        .mount(&github.server)
        .await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    assert_eq!(
        reason(&org.actions),
        "GET /orgs/acme/actions/permissions/workflow: malformed answer: key must be a string at line 1 column 2"
    );
    // Without the organization's settings, each repository's are read.
    let repos = org.repositories.known().cloned().unwrap_or_default();
    assert_eq!(
        repos
            .iter()
            .map(|r| reason(&r.actions).to_owned())
            .collect::<Vec<_>>(),
        [
            "GET /repos/acme/api/actions/permissions/workflow: 404 Not Found: it does not exist, or the token may not see it; needs repo, as a repository administrator (classic token), repository Administration: read (fine-grained token or GitHub App)",
            "GET /repos/acme/web/actions/permissions/workflow: 404 Not Found: it does not exist, or the token may not see it; needs repo, as a repository administrator (classic token), repository Administration: read (fine-grained token or GitHub App)",
        ]
    );
}

#[tokio::test]
async fn graphql_error_on_one_repository_affects_only_that_fact() {
    let github = Github::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/web/collaborators"))
        .respond_with(
            ResponseTemplate::new(403).set_body_json(fixture("error-403-must-be-owner.json")),
        )
        .with_priority(1)
        .mount(&github.server)
        .await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    let repos = org.repositories.known().cloned().unwrap_or_default();
    assert_eq!(repos.len(), 2);
    assert_eq!(
        reason(&repos[1].outside_collaborators),
        "GraphQL RepositoryDetails of acme/web: Must have push access to view repository collaborators.; needs repo and read:org, with push access to the repository (classic token), repository Metadata: read, with push access (fine-grained token or GitHub App); REST fallback: GET /repos/acme/web/collaborators?affiliation=outside: 403 Forbidden (Must have admin rights to Repository.): the token lacks repo and read:org, with push access to the repository (classic token), repository Metadata: read, with push access (fine-grained token or GitHub App)"
    );
    assert_eq!(repos[1].rulesets.known().map(Vec::len), Some(0));
    assert_eq!(
        repos[0].outside_collaborators.known().map(Vec::len),
        Some(2)
    );
}

#[tokio::test]
async fn a_repository_nulled_by_graphql_keeps_its_name_and_rest_facts() {
    let github = Github::start().await;
    let mut details = fixture("graphql-repository-details.json");
    details["data"]["r1"] = json!(null);
    details["errors"] = json!([{
        "type": "FORBIDDEN",
        "path": ["r1", "hasVulnerabilityAlertsEnabled"],
        "message": "Resource not accessible by integration"
    }]);
    github.graphql_first("RepositoryDetails", details).await;
    github
        .get(
            "/repos/acme/web/environments",
            200,
            fixture("repo-environments-list.json"),
        )
        .await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    let repos = org.repositories.known().cloned().unwrap_or_default();
    let web = &repos[1];
    let graphql_reason = "GraphQL RepositoryDetails of acme/web: Resource not accessible by integration; needs repo (classic token), repository Metadata: read and Administration: read (fine-grained token or GitHub App)";
    assert_eq!(web.name, "web");
    assert_eq!(reason(&web.branches), graphql_reason);
    assert_eq!(reason(&web.rulesets), graphql_reason);
    assert_eq!(reason(&web.security.dependabot_alerts), graphql_reason);
    // Environments and collaborators fall back to REST, which tells
    // whether administrators may bypass an environment's rules too.
    assert_eq!(
        json(&web.environments),
        json!({"known": [{"name": "staging", "required_reviewers": [{"kind": "user", "name": "octocat"}], "prevent_self_review": false,
                          "admins_can_bypass": {"known": true},
                          "deployment_branches": {"unavailable": {"reason": "GitHub's GraphQL API does not give it, and tenet reads it by REST only for production environments and for the repositories an AWS role that trusts GitHub Actions may let in"}}}]})
    );
    assert_eq!(web.outside_collaborators, Observed::Known(Vec::new()));
    assert_eq!(web.security.secret_scanning, Observed::Known(true));
    assert_eq!(repos[0].rulesets.known().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_rest_listing_short_of_its_total_count_is_unavailable() {
    let cases = [
        (
            json!({"total_count": 2, "environments": [{"name": "staging"}]}),
            "GET /repos/acme/web/environments: malformed answer: `total_count` is 2 but 1 were listed: the list may be incomplete",
        ),
        (
            json!({"environments": [{"name": "staging"}]}),
            "GET /repos/acme/web/environments: malformed answer: no `total_count`",
        ),
    ];
    for (body, expected) in cases {
        let github = Github::start().await;
        let mut details = fixture("graphql-repository-details.json");
        details["data"]["r1"] = json!(null);
        details["errors"] = json!([{
            "type": "FORBIDDEN",
            "path": ["r1", "hasVulnerabilityAlertsEnabled"],
            "message": "Resource not accessible by integration"
        }]);
        github.graphql_first("RepositoryDetails", details).await;
        github.get("/repos/acme/web/environments", 200, body).await;
        github.acme().await;
        let (org, _) = github.collect(&github.config()).await;
        let repos = org.repositories.known().cloned().unwrap_or_default();
        let reason = reason(&repos[1].environments);
        assert!(reason.ends_with(expected), "{reason}");
    }
}

/// A `Link` header pointing at `page` of `route` on the mock.
fn link(github: &Github, route: &str, page: u32) -> String {
    format!(
        "<{}{route}&per_page=100&page={page}>; rel=\"next\", <{}{route}&per_page=100&page=3>; rel=\"last\"",
        github.server.uri(),
        github.server.uri()
    )
}

async fn paged_members(github: &Github, third: ResponseTemplate) {
    let route = "/orgs/acme/members";
    let users = |names: &[&str]| -> serde_json::Value {
        names
            .iter()
            .map(|n| json!({"login": n, "id": 1, "type": "User"}))
            .collect()
    };
    for (page, logins) in [(1, ["m01", "m02"]), (2, ["m03", "m04"])] {
        let mock = Mock::given(method("GET"))
            .and(path(route))
            .and(query_param("role", "member"));
        let mock = if page == 1 {
            mock.and(query_param_is_missing("page"))
        } else {
            mock.and(query_param("page", page.to_string()))
        };
        mock.respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "link",
                    link(github, "/orgs/acme/members?role=member", page + 1),
                )
                .set_body_json(users(&logins)),
        )
        .with_priority(1)
        .mount(&github.server)
        .await;
    }
    Mock::given(method("GET"))
        .and(path(route))
        .and(query_param("role", "member"))
        .and(query_param("page", "3"))
        .respond_with(third.set_body_json(users(&["m05"])))
        .with_priority(1)
        .mount(&github.server)
        .await;
}

#[tokio::test]
async fn paginated_rest_listing_is_read_to_the_end() {
    let github = Github::start().await;
    paged_members(&github, ResponseTemplate::new(200)).await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    let logins: Vec<String> = org
        .members
        .known()
        .map(|m| m.iter().map(|m| m.login.clone()).collect())
        .unwrap_or_default();
    assert_eq!(logins, ["alice", "m01", "m02", "m03", "m04", "m05"]);
}

#[tokio::test]
async fn a_page_that_fails_midway_never_gives_a_short_list() {
    let github = Github::start().await;
    paged_members(&github, ResponseTemplate::new(500)).await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    assert_eq!(
        reason(&org.members),
        "GET /orgs/acme/members?role=member (page 3): 500 Internal Server Error, after 3 retries"
    );
}

/// Discovery page `page` (1-based) of 3, each with one repository.
fn discovery_page(page: usize) -> serde_json::Value {
    let names = ["api", "old", "web"];
    let archived = page == 2;
    json!({"data": {"rateLimit": {"cost": 1, "remaining": 4000, "resetAt": "2026-07-01T00:00:00Z"},
        "organization": {"repositories": {
            "totalCount": 3,
            "pageInfo": {"hasNextPage": page < 3, "endCursor": format!("cursor{page}")},
            "nodes": [{"id": format!("R_kgDOAAAAZ{page}"), "databaseId": 100 + page,
                        "name": names[page - 1], "visibility": "PRIVATE", "isArchived": archived,
                        "defaultBranchRef": {"name": "main"}}]}}}})
}

async fn paged_discovery(github: &Github, third: ResponseTemplate) {
    for (after, page) in [(json!(null), 1), (json!("cursor1"), 2)] {
        Mock::given(method("POST"))
            .and(path("/graphql"))
            .and(body_string_contains("query Repositories("))
            .and(wiremock::matchers::body_partial_json(
                json!({"variables": {"after": after}}),
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(discovery_page(page)))
            .with_priority(1)
            .mount(&github.server)
            .await;
    }
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .and(body_string_contains("query Repositories("))
        .and(wiremock::matchers::body_partial_json(
            json!({"variables": {"after": "cursor2"}}),
        ))
        .respond_with(third)
        .with_priority(1)
        .mount(&github.server)
        .await;
}

#[tokio::test]
async fn paginated_graphql_discovery_is_read_to_the_end() {
    let github = Github::start().await;
    paged_discovery(
        &github,
        ResponseTemplate::new(200).set_body_json(discovery_page(3)),
    )
    .await;
    github.acme().await;
    let mut config = github.config();
    config.repo_filter = tenet_github::RepoFilter::new(|_, _| true);
    github.get("/repos/acme/old/hooks", 200, json!([])).await;
    let (org, _) = github.collect(&config).await;
    let names: Vec<String> = org
        .repositories
        .known()
        .map(|r| r.iter().map(|r| r.name.clone()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["api", "old", "web"]);
    let discovery_requests = github
        .server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| String::from_utf8_lossy(&r.body).contains("query Repositories("))
        .count();
    assert_eq!(discovery_requests, 3);
}

#[tokio::test]
async fn a_discovery_page_that_fails_makes_the_repository_list_unavailable() {
    let github = Github::start().await;
    paged_discovery(&github, ResponseTemplate::new(502)).await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    assert_eq!(
        reason(&org.repositories),
        "GraphQL Repositories (page 3): 502 Bad Gateway, after 3 retries; the repository list is incomplete, so no repository is reported"
    );
    assert_eq!(org.members.known().map(Vec::len), Some(3));
}

#[tokio::test]
async fn a_repository_list_short_of_githubs_count_is_unavailable() {
    let github = Github::start().await;
    let mut listing = fixture("graphql-repositories.json");
    listing["data"]["organization"]["repositories"]["totalCount"] = json!(4);
    github.graphql_first("Repositories", listing).await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    assert_eq!(
        reason(&org.repositories),
        "GraphQL Repositories (page 1): GitHub counts 4 repositories and listed 3; the repository list is incomplete, so no repository is reported (a repository created or deleted during the collection also shows here: collect again)"
    );
}

#[tokio::test]
async fn a_connection_without_page_info_is_malformed_never_a_last_page() {
    let github = Github::start().await;
    let mut details = fixture("graphql-repository-details.json");
    if let Some(rulesets) = details["data"]["r0"]["rulesets"].as_object_mut() {
        rulesets.remove("pageInfo");
    }
    let mut listing = fixture("graphql-repositories.json");
    if let Some(repositories) = listing["data"]["organization"]["repositories"].as_object_mut() {
        repositories.remove("pageInfo");
    }
    github.graphql_first("RepositoryDetails", details).await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    let api = org
        .repositories
        .known()
        .and_then(|repos| repos.iter().find(|r| r.name == "api"))
        .expect("api collected");
    assert!(
        reason(&api.rulesets).contains("missing field `pageInfo`"),
        "{:?}",
        api.rulesets
    );

    let github = Github::start().await;
    github.graphql_first("Repositories", listing).await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    assert!(
        reason(&org.repositories).contains("missing field `pageInfo`"),
        "{:?}",
        org.repositories
    );
}

#[tokio::test]
async fn a_request_unanswered_for_max_unanswered_is_not_retried_again() {
    let (github, mut config) = hooks_never_answer().await;
    config.retry.max_unanswered = std::time::Duration::from_millis(500);
    let (org, _) = github.collect(&config).await;
    let hits = github.hits("/orgs/acme/hooks").await;
    assert!(
        (1..=3).contains(&hits),
        "given up before max_retries 3 allows 4 attempts: {hits}"
    );
    assert!(
        reason(&org.webhooks).starts_with("GET /orgs/acme/hooks: no answer in "),
        "{}",
        reason(&org.webhooks)
    );
}
