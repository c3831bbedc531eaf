//! A mock GitHub (wiremock) serving the recorded payloads of
//! `fixtures/github/`, and helpers to collect from it.

#![allow(dead_code, missing_docs)]

use std::time::Duration;

use serde_json::Value;
use tenet_github::{Auth, GithubConfig, NoProgress, RetryPolicy, Secret};
use tenet_inventory::{Period, github::GithubOrg};
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{body_string_contains, method, path, query_param, query_param_is_missing},
};

/// The token the tests authenticate with; it must never show in output.
pub const TOKEN: &str = "ghp_TESTTOKEN0123456789abcdefghijklmnopq";

/// A recorded payload.
pub fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/../../fixtures/github/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// The audit period of the tests: the changes of
/// `graphql-branch-history.json` fall in it, but for one before and one
/// after.
pub fn period() -> Period {
    Period::new(date(2026, 9, 1), date(2026, 11, 30)).expect("a period")
}

fn date(year: i32, month: u32, day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(year, month, day).expect("a date")
}

/// A wiremock server pretending to be GitHub.
pub struct Github {
    pub server: MockServer,
}

impl Github {
    pub async fn start() -> Self {
        Github {
            server: MockServer::start().await,
        }
    }

    /// A configuration for `acme` against this server: fast retries.
    pub fn config(&self) -> GithubConfig {
        let mut config = GithubConfig::new(Auth::Token(Secret::new(TOKEN)), vec!["acme".into()]);
        config.api_url = self.server.uri();
        config.now = chrono::DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z")
            .expect("a time")
            .with_timezone(&chrono::Utc);
        config.retry = RetryPolicy {
            max_retries: 3,
            max_wait: Duration::from_millis(5),
            backoff: Duration::from_millis(1),
            max_unanswered: Duration::from_secs(60),
        };
        config.period = period();
        config
    }

    /// Collects with `config`, which must fail as a whole: the error.
    pub async fn collect_err(&self, config: &GithubConfig) -> String {
        match tenet_github::collect(config, &NoProgress).await {
            Ok(_) => panic!("the collection should have stopped"),
            Err(err) => err.to_string(),
        }
    }

    /// Collects with `config` and returns the only organization.
    pub async fn collect(&self, config: &GithubConfig) -> (GithubOrg, tenet_github::RequestStats) {
        let collection = tenet_github::collect(config, &NoProgress)
            .await
            .expect("valid configuration");
        let org = collection
            .orgs
            .into_iter()
            .next()
            .expect("one organization");
        (org, collection.stats)
    }

    /// `GET path` (any query) answers `status` with `body`.
    pub async fn get(&self, route: &str, status: u16, body: Value) {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .mount(&self.server)
            .await;
    }

    /// `GET path` (any query) answers `status` with `body`, before any
    /// mock mounted with the default priority (what [`Github::acme`]
    /// mounts).
    pub async fn get_first(&self, route: &str, status: u16, body: Value) {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .with_priority(1)
            .mount(&self.server)
            .await;
    }

    /// `GET path?key=value` answers `status` with `body`.
    pub async fn get_with(&self, route: &str, key: &str, value: &str, status: u16, body: Value) {
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param(key, value))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .mount(&self.server)
            .await;
    }

    /// `GET path` without `key` in the query answers `status` with `body`.
    pub async fn get_without(&self, route: &str, key: &str, status: u16, body: Value) {
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param_is_missing(key))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .mount(&self.server)
            .await;
    }

    /// The GraphQL operation `name` answers `body`.
    pub async fn graphql(&self, name: &str, body: Value) {
        Mock::given(method("POST"))
            .and(path("/graphql"))
            .and(body_string_contains(format!("query {name}(")))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&self.server)
            .await;
    }

    /// The GraphQL operation `name` answers `body`, before what
    /// [`Github::acme`] mounts.
    pub async fn graphql_first(&self, name: &str, body: Value) {
        Mock::given(method("POST"))
            .and(path("/graphql"))
            .and(body_string_contains(format!("query {name}(")))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .with_priority(1)
            .mount(&self.server)
            .await;
    }

    /// The GraphQL operation `name` answers `status` with `body`, before
    /// what [`Github::acme`] mounts.
    pub async fn graphql_status_first(&self, name: &str, status: u16, body: Value) {
        Mock::given(method("POST"))
            .and(path("/graphql"))
            .and(body_string_contains(format!("query {name}(")))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .with_priority(1)
            .mount(&self.server)
            .await;
    }

    /// The GraphQL operation `name` answers `body` for the page after
    /// `cursor`, or (`None`) for any page no other mock answers; both
    /// before what [`Github::acme`] mounts.
    pub async fn graphql_page(&self, name: &str, cursor: Option<&str>, body: Value) {
        let mock = Mock::given(method("POST"))
            .and(path("/graphql"))
            .and(body_string_contains(format!("query {name}(")));
        let (mock, priority) = match cursor {
            Some(cursor) => (
                mock.and(body_string_contains(format!("\"after\":\"{cursor}\""))),
                1,
            ),
            None => (mock, 2),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .with_priority(priority)
            .mount(&self.server)
            .await;
    }

    /// The bodies of the GraphQL `operation` requests the server received.
    pub async fn requests_of(&self, operation: &str) -> Vec<Value> {
        let start = format!("query {operation}(");
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter_map(|r| serde_json::from_slice::<Value>(&r.body).ok())
            .filter(|body| {
                body["query"]
                    .as_str()
                    .is_some_and(|q| q.starts_with(&start))
            })
            .collect()
    }

    /// Mounts the whole `acme` organization: 3 repositories (one archived),
    /// members with and without 2FA, outside collaborators, webhooks,
    /// rulesets, environments, deploy keys, code security configurations
    /// (`api` covered, `web`'s attachment failed: its analyses are read) and
    /// open alerts.
    pub async fn acme(&self) {
        self.acme_org().await;
        self.acme_repos().await;
    }

    /// The organization-level endpoints of `acme`.
    pub async fn acme_org(&self) {
        Mock::given(method("GET"))
            .and(path("/user"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("x-oauth-scopes", "repo, admin:org")
                    .set_body_json(fixture("user-get.json")),
            )
            .mount(&self.server)
            .await;
        self.get("/orgs/acme", 200, fixture("org-get.json")).await;
        self.get_with(
            "/orgs/acme/members",
            "role",
            "admin",
            200,
            fixture("org-members-admins.json"),
        )
        .await;
        self.get_with(
            "/orgs/acme/members",
            "role",
            "member",
            200,
            fixture("org-members-members.json"),
        )
        .await;
        self.get_with(
            "/orgs/acme/members",
            "filter",
            "2fa_disabled",
            200,
            fixture("org-members-2fa-disabled.json"),
        )
        .await;
        self.get_without(
            "/orgs/acme/outside_collaborators",
            "filter",
            200,
            fixture("org-outside-collaborators.json"),
        )
        .await;
        self.get_with(
            "/orgs/acme/outside_collaborators",
            "filter",
            "2fa_disabled",
            200,
            fixture("org-outside-collaborators-2fa-disabled.json"),
        )
        .await;
        self.get("/orgs/acme/hooks", 200, fixture("org-hooks-list.json"))
            .await;
        self.get(
            "/orgs/acme/actions/permissions/workflow",
            200,
            fixture("org-actions-workflow.json"),
        )
        .await;
        self.graphql("OrganizationRulesets", fixture("graphql-org-rulesets.json"))
            .await;
        self.get(
            "/orgs/acme/rulesets/42",
            200,
            fixture("org-ruleset-get.json"),
        )
        .await;
        self.get(
            "/orgs/acme/code-security/configurations",
            200,
            fixture("org-code-security-configurations.json"),
        )
        .await;
        self.get(
            "/orgs/acme/code-security/configurations/17/repositories",
            200,
            fixture("org-code-security-configuration-repositories.json"),
        )
        .await;
        for (kind, file) in [
            ("dependabot", "org-dependabot-alerts.json"),
            ("code-scanning", "org-code-scanning-alerts.json"),
            ("secret-scanning", "org-secret-scanning-alerts.json"),
        ] {
            self.get_with(
                &format!("/orgs/acme/{kind}/alerts"),
                "state",
                "open",
                200,
                fixture(file),
            )
            .await;
        }
    }

    /// The repository endpoints of `acme`.
    pub async fn acme_repos(&self) {
        self.graphql("Repositories", fixture("graphql-repositories.json"))
            .await;
        self.graphql(
            "RepositoryDetails",
            fixture("graphql-repository-details.json"),
        )
        .await;
        self.get("/orgs/acme/repos", 200, fixture("org-repos-list.json"))
            .await;
        self.graphql("BranchHistory", fixture("graphql-branch-history.json"))
            .await;
        for (repository, file) in [
            ("acme/api", "repo-activity-api.json"),
            ("acme/web", "repo-activity-web.json"),
            ("frank/api", "repo-activity-fork.json"),
        ] {
            self.get(&format!("/repos/{repository}/activity"), 200, fixture(file))
                .await;
        }
        self.get(
            "/repos/acme/api/rulesets/rule-suites",
            200,
            fixture("repo-rule-suites-api.json"),
        )
        .await;
        self.get(
            "/repos/acme/web/rulesets/rule-suites",
            200,
            serde_json::json!([]),
        )
        .await;
        self.get(
            "/repos/acme/api/hooks",
            200,
            fixture("repo-hooks-list.json"),
        )
        .await;
        self.get("/repos/acme/web/hooks", 200, serde_json::json!([]))
            .await;
        for (route, file) in [
            ("environments", "repo-environments-api.json"),
            (
                "environments/production/deployment-branch-policies",
                "repo-environment-branch-policies-production.json",
            ),
            (
                "environments/EU%20West%2F1/deployment-branch-policies",
                "repo-environment-branch-policies-eu-west.json",
            ),
        ] {
            self.get(&format!("/repos/acme/api/{route}"), 200, fixture(file))
                .await;
        }
        self.get(
            "/repos/acme/api/actions/oidc/customization/sub",
            200,
            fixture("repo-oidc-subject-default.json"),
        )
        .await;
        self.get(
            "/repos/acme/web/actions/oidc/customization/sub",
            200,
            fixture("repo-oidc-subject-immutable.json"),
        )
        .await;
        self.get(
            "/repos/acme/web/code-scanning/analyses",
            200,
            fixture("repo-code-scanning-analyses.json"),
        )
        .await;
        self.get(
            "/repos/acme/web/collaborators",
            200,
            fixture("repo-collaborators-outside-empty.json"),
        )
        .await;
    }

    /// `GET route` as a listing of two pages, before what [`Github::acme`]
    /// mounts: the first (no `key` in the query) answers `first` with a
    /// `Link` to the second, `key=value`, which answers `second`.
    pub async fn two_pages(
        &self,
        route: &str,
        (key, value): (&str, &str),
        first: Value,
        second: ResponseTemplate,
    ) {
        let next = format!(
            "<{}{route}?per_page=100&{key}={}>; rel=\"next\"",
            self.server.uri(),
            value.replace('=', "%3D")
        );
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param_is_missing(key))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("link", next.as_str())
                    .set_body_json(first),
            )
            .with_priority(1)
            .mount(&self.server)
            .await;
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param(key, value))
            .respond_with(second)
            .with_priority(1)
            .mount(&self.server)
            .await;
    }

    /// How many requests reached `route` (any method, any query).
    pub async fn hits(&self, route: &str) -> usize {
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter(|r| r.url.path() == route)
            .count()
    }
}

/// The JSON of a fact, for exact comparisons.
/// The repository `name` of a collected organization.
pub fn repo<'a>(org: &'a GithubOrg, name: &str) -> &'a tenet_inventory::github::Repository {
    org.repositories
        .known()
        .and_then(|repos| repos.iter().find(|r| r.name == name))
        .expect("repository collected")
}

pub fn json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("serializable")
}
