//! What to collect and how to reach GitHub: [`GithubConfig`], and its
//! validated form used by the collector.

use std::{fmt, sync::Arc, time::Duration};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use tenet_inventory::Period;
use url::Url;

use crate::{app::AppKey, secret::Secret};

/// The public GitHub API.
pub const GITHUB_COM_API: &str = "https://api.github.com";

/// Time allowed to establish a connection (TCP and TLS), within the
/// request's own time limit.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default time limit of a collection: 30 minutes.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(1800);

/// Everything a collection needs.
#[derive(Clone, Debug)]
pub struct GithubConfig {
    /// REST API base URL: `https://api.github.com`, or
    /// `https://HOST/api/v3` for GitHub Enterprise Server. The GraphQL
    /// endpoint is derived from it (`/graphql`, or `/api/graphql` for GHES).
    pub api_url: String,
    /// How to authenticate.
    pub auth: Auth,
    /// Organization logins to collect.
    pub orgs: Vec<String>,
    /// Which repositories are in scope.
    pub repo_filter: RepoFilter,
    /// Branch name globs whose classic protection is collected besides the
    /// default branch's (e.g. `release/*`). Empty: the default branch only.
    pub protected_branches: Vec<String>,
    /// Most requests in flight at once, over all organizations (at least 1).
    pub concurrency: usize,
    /// Retries and waits on rate limits and server errors.
    pub retry: RetryPolicy,
    /// Time allowed for one request, answer included.
    pub timeout: Duration,
    /// Time allowed for the whole collection, counted from its start: no
    /// request starts and no wait (rate limit, backoff) ends past it, and
    /// what was not read by then is unavailable, saying so.
    pub time_limit: Duration,
    /// `None` reads every repository's webhooks (one REST request per
    /// repository: GitHub has no other way); `Some(reason)` skips them and
    /// records them as unavailable with that reason.
    pub skip_repository_webhooks: Option<String>,
    /// `None` reads every repository's Actions workflow settings where the
    /// organization's do not already decide them (one REST request per
    /// repository); `Some(reason)` skips them and records them as
    /// unavailable with that reason.
    pub skip_repository_actions: Option<String>,
    /// `None` reads whether code scanning analyses each repository (the
    /// organization's code security configurations, then one request per
    /// repository none of them covers); `Some(reason)` skips it.
    pub skip_code_scanning: Option<String>,
    /// `None` reads the organization's open Dependabot, code scanning and
    /// secret scanning alerts (three listings); `Some(reason)` skips them.
    pub skip_alerts: Option<String>,
    /// The audit period whose changes are read.
    pub period: Period,
    /// `None` reads every change of the period on each repository's
    /// default and protected branches, with its pull request and reviews
    /// (GraphQL, in batches); `Some(reason)` skips them.
    pub skip_changes: Option<String>,
    /// Environment name globs (case-insensitive) whose deployments of the
    /// period are read, e.g. `prod*`.
    pub production_environments: Vec<String>,
    /// `None` reads every deployment of the period to a production
    /// environment, with the environment reviews of the run that made it
    /// (GraphQL); `Some(reason)` skips them.
    pub skip_deployments: Option<String>,
    /// Environment name globs (case-insensitive) whose REST details are
    /// read besides the production ones', e.g. `prod*`.
    pub reviewed_environments: Vec<String>,
    /// `None` reads by REST, for each environment `production_environments`
    /// or `reviewed_environments` names, whether administrators may bypass
    /// its protection rules and which branches and tags may deploy to it
    /// (GraphQL gives neither); `Some(reason)` skips them.
    pub skip_environment_details: Option<String>,
    /// `None` reads the pushes GitHub's rule insights recorded as bypassing
    /// a rule, for every repository whose changes are read; `Some(reason)`
    /// skips them.
    pub skip_rule_bypasses: Option<String>,
    /// The time of the collection: GitHub's rule insights reach back a
    /// month before it (default: when the configuration was made).
    pub now: chrono::DateTime<chrono::Utc>,
}

impl GithubConfig {
    /// A configuration for github.com with the defaults: every non-archived
    /// repository, the default branch only, 16 requests in flight, 30 s per
    /// request.
    pub fn new(auth: Auth, orgs: Vec<String>) -> Self {
        GithubConfig {
            api_url: GITHUB_COM_API.to_owned(),
            auth,
            orgs,
            repo_filter: RepoFilter::default(),
            protected_branches: Vec::new(),
            concurrency: 16,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(30),
            time_limit: DEFAULT_TIME_LIMIT,
            skip_repository_webhooks: None,
            skip_repository_actions: None,
            skip_code_scanning: None,
            skip_alerts: None,
            period: Period::before(chrono::Utc::now().date_naive()),
            skip_changes: None,
            production_environments: Vec::new(),
            skip_deployments: None,
            reviewed_environments: Vec::new(),
            skip_environment_details: None,
            skip_rule_bypasses: None,
            now: chrono::Utc::now(),
        }
    }

    /// Checks the configuration and compiles it for the collector.
    pub(crate) fn validate(&self) -> Result<Settings, ConfigError> {
        let api = parse_api_url(&self.api_url)?;
        let graphql = graphql_url(&api)?;
        let branches = globs(&self.protected_branches, false, |pattern, message| {
            ConfigError::BranchPattern { pattern, message }
        })?;
        let production = globs(&self.production_environments, true, |pattern, message| {
            ConfigError::EnvironmentPattern { pattern, message }
        })?;
        let detailed = globs(
            &[
                self.production_environments.as_slice(),
                &self.reviewed_environments,
            ]
            .concat(),
            true,
            |pattern, message| ConfigError::EnvironmentPattern { pattern, message },
        )?;
        let auth = match &self.auth {
            Auth::Token(token) if token.expose().trim().is_empty() => {
                return Err(ConfigError::EmptyToken);
            }
            Auth::Token(token) => ValidAuth::Token(token.clone()),
            Auth::App(app) => ValidAuth::App {
                app_id: app.app_id,
                key: Arc::new(AppKey::from_pem(app.private_key.expose())?),
                installation_id: app.installation_id,
            },
        };
        let http = reqwest::Client::builder()
            .user_agent(concat!("tenet/", env!("CARGO_PKG_VERSION")))
            .timeout(self.timeout)
            .connect_timeout(CONNECT_TIMEOUT.min(self.timeout))
            .build()
            .map_err(|err| ConfigError::Http(err.to_string()))?;
        Ok(Settings {
            api: api.as_str().trim_end_matches('/').to_owned(),
            graphql,
            auth,
            repo_filter: self.repo_filter.clone(),
            branches: Arc::new(branches),
            extra_branches: !self.protected_branches.is_empty(),
            limit: Arc::new(tokio::sync::Semaphore::new(self.concurrency.max(1))),
            concurrency: self.concurrency.max(1),
            retry: self.retry.clone(),
            timeout: self.timeout,
            time_limit: self.time_limit,
            deadline: tokio::time::Instant::now() + self.time_limit,
            http,
            skip_repository_webhooks: self.skip_repository_webhooks.clone(),
            skip_repository_actions: self.skip_repository_actions.clone(),
            skip_code_scanning: self.skip_code_scanning.clone(),
            skip_alerts: self.skip_alerts.clone(),
            period: self.period,
            skip_changes: self.skip_changes.clone(),
            server: server_of(&api),
            production: Arc::new(production),
            detailed: Arc::new(detailed),
            skip_deployments: self.skip_deployments.clone(),
            skip_environment_details: self.skip_environment_details.clone(),
            skip_rule_bypasses: self.skip_rule_bypasses.clone(),
            now: self.now,
        })
    }
}

/// `patterns` compiled into one set (`*` matches `/` too), ignoring case
/// when `case_insensitive`; `error(pattern, message)` names one that does
/// not compile.
fn globs(
    patterns: &[String],
    case_insensitive: bool,
    error: fn(String, String) -> ConfigError,
) -> Result<GlobSet, ConfigError> {
    let mut set = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = GlobBuilder::new(pattern)
            .literal_separator(false)
            .case_insensitive(case_insensitive)
            .build()
            .map_err(|err| error(pattern.clone(), err.kind().to_string()))?;
        set.add(glob);
    }
    set.build()
        .map_err(|err| error(patterns.join(", "), err.kind().to_string()))
}

/// The GitHub server an API URL reaches, as its Actions OIDC issuer names
/// it: a GitHub Enterprise Server's host (with its port, if any) for
/// `https://HOST/api/v3`, where a server serves its REST API; `github.com`
/// for any other URL (`https://api.github.com`, or a proxy in front of it).
fn server_of(url: &Url) -> String {
    match (url.host_str(), url.path().trim_end_matches('/')) {
        (Some(host), "/api/v3") => match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        },
        _ => "github.com".to_owned(),
    }
}

fn parse_api_url(text: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(text).map_err(|err| ConfigError::ApiUrl {
        url: text.to_owned(),
        message: err.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(ConfigError::ApiUrl {
            url: text.to_owned(),
            message: "expected an http(s) URL such as https://HOST/api/v3".to_owned(),
        });
    }
    if !url.username().is_empty() || url.password().is_some() || url.query().is_some() {
        return Err(ConfigError::ApiUrl {
            url: text.to_owned(),
            message: "credentials and query strings do not belong in the API URL".to_owned(),
        });
    }
    Ok(url)
}

/// `https://api.github.com` → `https://api.github.com/graphql`;
/// `https://HOST/api/v3` → `https://HOST/api/graphql` (GHES).
fn graphql_url(api: &Url) -> Result<String, ConfigError> {
    let base = api.as_str().trim_end_matches('/');
    Ok(match base.strip_suffix("/api/v3") {
        Some(host) => format!("{host}/api/graphql"),
        None => format!("{base}/graphql"),
    })
}

/// How the connector authenticates.
#[derive(Clone, Debug)]
pub enum Auth {
    /// A personal access token (classic or fine-grained), or any other token
    /// GitHub accepts as `Authorization: Bearer`.
    Token(Secret),
    /// A GitHub App installation.
    App(AppAuth),
}

/// A GitHub App's credentials.
#[derive(Clone, Debug)]
pub struct AppAuth {
    /// The App's id.
    pub app_id: u64,
    /// The App's private key (PEM, PKCS#1 or PKCS#8), as text.
    pub private_key: Secret,
    /// The installation to use for every organization; `None` looks each
    /// organization's installation up (`GET /orgs/{org}/installation`).
    pub installation_id: Option<u64>,
}

/// Which repositories are in scope: a predicate over the repository's name
/// and whether it is archived. Out-of-scope repositories are neither read nor
/// reported.
#[derive(Clone)]
pub struct RepoFilter(Arc<RepoPredicate>);

/// `(name, archived) -> in scope`.
type RepoPredicate = dyn Fn(&str, bool) -> bool + Send + Sync;

impl RepoFilter {
    /// A filter from a predicate `(name, archived) -> in scope`.
    pub fn new(predicate: impl Fn(&str, bool) -> bool + Send + Sync + 'static) -> Self {
        RepoFilter(Arc::new(predicate))
    }

    /// Whether a repository is in scope.
    pub fn includes(&self, name: &str, archived: bool) -> bool {
        (self.0)(name, archived)
    }
}

impl Default for RepoFilter {
    /// Every repository that is not archived.
    fn default() -> Self {
        RepoFilter::new(|_, archived| !archived)
    }
}

impl fmt::Debug for RepoFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RepoFilter(..)")
    }
}

/// Retries and waits. GitHub asks clients to wait on rate limits rather than
/// retry at once; server errors are retried with exponential backoff and
/// jitter. Every count and wait is bounded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries of one request after a rate limit, a 5xx or a timeout.
    pub max_retries: u32,
    /// Longest single wait: a longer `retry-after` or rate-limit reset is
    /// cut to this. Tests set it to milliseconds.
    pub max_wait: Duration,
    /// First backoff after a 5xx or a timeout; doubled on each retry, plus
    /// up to 100% jitter.
    pub backoff: Duration,
    /// Longest time one request may go without any answer, over its
    /// attempts: timeouts and failed connections are not retried past it,
    /// so a dead endpoint is given up within this time.
    pub max_unanswered: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            max_wait: Duration::from_secs(900),
            backoff: Duration::from_millis(500),
            max_unanswered: Duration::from_secs(60),
        }
    }
}

/// A configuration the connector cannot work with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The API URL is not a usable http(s) URL.
    #[error("invalid GitHub API URL `{url}`: {message}")]
    ApiUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        message: String,
    },
    /// The token is empty.
    #[error("the GitHub token is empty")]
    EmptyToken,
    /// A `protected_branches` glob does not compile.
    #[error("invalid branch pattern `{pattern}`: {message}")]
    BranchPattern {
        /// The pattern.
        pattern: String,
        /// What is wrong with it.
        message: String,
    },
    /// A `production_environments` glob does not compile.
    #[error("invalid environment pattern `{pattern}`: {message}")]
    EnvironmentPattern {
        /// The pattern.
        pattern: String,
        /// What is wrong with it.
        message: String,
    },
    /// The GitHub App private key cannot be used.
    #[error("invalid GitHub App private key: {0}")]
    AppKey(String),
    /// The HTTP client cannot be built (TLS set-up).
    #[error("cannot set up the HTTP client: {0}")]
    Http(String),
    /// GitHub refused the credentials (401, or an App that cannot
    /// authenticate on the organization): nothing can be read with them.
    #[error(
        "GitHub refused the credentials for organization `{org}`: {reason}; check the token (--github-token or GITHUB_TOKEN: not expired or revoked, and allowed in the organization) or the GitHub App"
    )]
    Credentials {
        /// The organization.
        org: String,
        /// GitHub's answer.
        reason: String,
    },
    /// The organization does not exist, or the credentials may not see it.
    #[error(
        "organization `{org}` does not exist, or these credentials may not see it: {reason}; check its name in --github-org or [scope] github_orgs"
    )]
    UnknownOrganization {
        /// The organization.
        org: String,
        /// GitHub's answer.
        reason: String,
    },
    /// GitHub could not be reached at all.
    #[error("cannot reach GitHub at {api}: {reason}")]
    Unreachable {
        /// The API URL.
        api: String,
        /// What failed.
        reason: String,
    },
}

/// A validated configuration: what the collector runs with.
#[derive(Clone)]
pub(crate) struct Settings {
    /// REST base URL without a trailing slash.
    pub api: String,
    /// GraphQL endpoint.
    pub graphql: String,
    pub auth: ValidAuth,
    pub repo_filter: RepoFilter,
    /// `protected_branches`, compiled.
    pub branches: Arc<GlobSet>,
    /// Whether `protected_branches` names any pattern.
    pub extra_branches: bool,
    /// Bounds the requests in flight over the whole collection.
    pub limit: Arc<tokio::sync::Semaphore>,
    pub concurrency: usize,
    pub retry: RetryPolicy,
    /// One request's time limit.
    pub timeout: Duration,
    /// [`GithubConfig::time_limit`], for messages.
    pub time_limit: Duration,
    /// When the collection's time is up.
    pub deadline: tokio::time::Instant,
    pub http: reqwest::Client,
    pub skip_repository_webhooks: Option<String>,
    pub skip_repository_actions: Option<String>,
    pub skip_code_scanning: Option<String>,
    pub skip_alerts: Option<String>,
    /// The audit period whose changes are read.
    pub period: Period,
    /// Why changes are not read, if they are not.
    pub skip_changes: Option<String>,
    /// The server the API is on ([`server_of`]).
    pub server: String,
    /// `production_environments`, compiled (case-insensitive).
    pub production: Arc<GlobSet>,
    /// `production_environments` and `reviewed_environments`, compiled
    /// (case-insensitive): the environments whose REST details are read.
    pub detailed: Arc<GlobSet>,
    /// Why deployments are not read, if they are not.
    pub skip_deployments: Option<String>,
    /// Why environment details are not read, if they are not.
    pub skip_environment_details: Option<String>,
    /// Why rule bypasses are not read, if they are not.
    pub skip_rule_bypasses: Option<String>,
    /// [`GithubConfig::now`].
    pub now: chrono::DateTime<chrono::Utc>,
}

/// Validated credentials.
#[derive(Clone)]
pub(crate) enum ValidAuth {
    Token(Secret),
    App {
        app_id: u64,
        key: Arc<AppKey>,
        installation_id: Option<u64>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(api_url: &str) -> GithubConfig {
        let mut config = GithubConfig::new(Auth::Token(Secret::new("t")), vec!["acme".into()]);
        config.api_url = api_url.to_owned();
        config
    }

    #[test]
    fn graphql_endpoint_follows_the_api_url() {
        let cases = [
            ("https://api.github.com", "https://api.github.com/graphql"),
            ("https://api.github.com/", "https://api.github.com/graphql"),
            (
                "https://ghe.example.com/api/v3",
                "https://ghe.example.com/api/graphql",
            ),
            (
                "https://ghe.example.com/api/v3/",
                "https://ghe.example.com/api/graphql",
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080/graphql"),
        ];
        for (api, graphql) in cases {
            let settings = config(api).validate().map_err(|e| e.to_string());
            assert_eq!(settings.map(|s| s.graphql), Ok(graphql.to_owned()), "{api}");
        }
    }

    #[test]
    fn the_server_is_github_com_unless_the_api_is_an_enterprise_server_s() {
        let cases = [
            (GITHUB_COM_API, "github.com"),
            ("https://ghe.example.com/api/v3", "ghe.example.com"),
            ("https://ghe.example.com/api/v3/", "ghe.example.com"),
            (
                "https://ghe.example.com:8443/api/v3",
                "ghe.example.com:8443",
            ),
            ("https://proxy.example.com/github", "github.com"),
            ("http://127.0.0.1:8080", "github.com"),
        ];
        for (api, server) in cases {
            let settings = config(api).validate().map_err(|e| e.to_string());
            assert_eq!(settings.map(|s| s.server), Ok(server.to_owned()), "{api}");
        }
    }

    #[test]
    fn bad_configurations_are_errors() {
        let errors = [
            config("ftp://x").validate().err().map(|e| e.to_string()),
            config("https://user:pw@h/api/v3")
                .validate()
                .err()
                .map(|e| e.to_string()),
            {
                let mut c = config(GITHUB_COM_API);
                c.auth = Auth::Token(Secret::new(" "));
                c.validate().err().map(|e| e.to_string())
            },
            {
                let mut c = config(GITHUB_COM_API);
                c.protected_branches = vec!["release/[".into()];
                c.validate().err().map(|e| e.to_string())
            },
        ];
        assert_eq!(
            errors,
            [
                Some(
                    "invalid GitHub API URL `ftp://x`: expected an http(s) URL such as https://HOST/api/v3"
                        .to_owned()
                ),
                Some(
                    "invalid GitHub API URL `https://user:pw@h/api/v3`: credentials and query strings do not belong in the API URL"
                        .to_owned()
                ),
                Some("the GitHub token is empty".to_owned()),
                Some("invalid branch pattern `release/[`: unclosed character class; missing ']'".to_owned()),
            ]
        );
    }

    #[test]
    fn debug_of_a_config_hides_credentials() {
        let mut c = config(GITHUB_COM_API);
        let token = format!("{c:?}");
        c.auth = Auth::App(AppAuth {
            app_id: 1,
            private_key: Secret::new("-----BEGIN RSA PRIVATE KEY-----"),
            installation_id: None,
        });
        let app = format!("{c:?}");
        assert!(token.contains("Token(***)"), "{token}");
        assert!(app.contains("private_key: ***"), "{app}");
        assert!(!app.contains("BEGIN"), "{app}");
    }
}
