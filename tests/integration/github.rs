//! `tenet scan` and `tenet collect` against a mock GitHub (wiremock) serving
//! the recorded payloads of `fixtures/github/`.

use std::path::Path;

use sha2::Digest as _;
use wiremock::{
    Mock, MockServer, Request, ResponseTemplate,
    matchers::{body_string_contains, method, path, query_param},
};

use crate::{root, run, tenet_in};

pub(crate) const TOKEN: &str = "ghp_E2ETOKEN0123456789abcdefghijklmnopqr";

pub(crate) fn payload(file: &str) -> ResponseTemplate {
    let body =
        std::fs::read_to_string(root().join("fixtures/github").join(file)).expect("fixture exists");
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}

/// Starts the mock organization `acme`. Requests the recorded payloads do
/// not cover get GitHub's 404 body.
pub(crate) async fn mock_github() -> MockServer {
    let server = MockServer::start().await;
    let graphql = [
        ("query Repositories(", "graphql-repositories.json"),
        (
            "query RepositoryDetails(",
            "graphql-repository-details.json",
        ),
        ("query OrganizationRulesets(", "graphql-org-rulesets.json"),
        ("query BranchHistory(", "graphql-branch-history.json"),
        (
            "query DeploymentHistory(",
            "graphql-deployment-history.json",
        ),
        (
            "query DeploymentReviews(",
            "graphql-deployment-reviews.json",
        ),
    ];
    for (query, file) in graphql {
        Mock::given(method("POST"))
            .and(path("/graphql"))
            .and(body_string_contains(query))
            .respond_with(payload(file))
            .mount(&server)
            .await;
    }
    let filtered = [
        (
            "/orgs/acme/members",
            "filter",
            "2fa_disabled",
            "org-members-2fa-disabled.json",
        ),
        (
            "/orgs/acme/members",
            "role",
            "admin",
            "org-members-admins.json",
        ),
        (
            "/orgs/acme/members",
            "role",
            "member",
            "org-members-members.json",
        ),
        (
            "/orgs/acme/outside_collaborators",
            "filter",
            "2fa_disabled",
            "org-outside-collaborators-2fa-disabled.json",
        ),
    ];
    for (route, key, value, file) in filtered {
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param(key, value))
            .respond_with(payload(file))
            .with_priority(1)
            .mount(&server)
            .await;
    }
    let plain = [
        ("/user", "user-get.json"),
        ("/orgs/acme", "org-get.json"),
        (
            "/orgs/acme/outside_collaborators",
            "org-outside-collaborators.json",
        ),
        ("/orgs/acme/hooks", "org-hooks-list.json"),
        (
            "/orgs/acme/actions/permissions/workflow",
            "org-actions-workflow.json",
        ),
        ("/orgs/acme/repos", "org-repos-list.json"),
        ("/orgs/acme/rulesets/42", "org-ruleset-get.json"),
        ("/repos/acme/api/hooks", "repo-hooks-list.json"),
        ("/repos/acme/api/environments", "repo-environments-api.json"),
        (
            "/repos/acme/api/environments/production/deployment-branch-policies",
            "repo-environment-branch-policies-production.json",
        ),
        (
            "/repos/acme/api/environments/EU%20West%2F1/deployment-branch-policies",
            "repo-environment-branch-policies-eu-west.json",
        ),
        ("/repos/acme/api/activity", "repo-activity-api.json"),
        ("/repos/acme/web/activity", "repo-activity-web.json"),
        ("/repos/frank/api/activity", "repo-activity-fork.json"),
        (
            "/repos/acme/api/actions/oidc/customization/sub",
            "repo-oidc-subject-default.json",
        ),
        (
            "/repos/acme/web/actions/oidc/customization/sub",
            "repo-oidc-subject-immutable.json",
        ),
        (
            "/repos/acme/web/hooks",
            "repo-collaborators-outside-empty.json",
        ),
        (
            "/repos/acme/web/collaborators",
            "repo-collaborators-outside-empty.json",
        ),
        (
            "/orgs/acme/code-security/configurations",
            "org-code-security-configurations.json",
        ),
        (
            "/orgs/acme/code-security/configurations/17/repositories",
            "org-code-security-configuration-repositories.json",
        ),
        (
            "/repos/acme/web/code-scanning/analyses",
            "repo-code-scanning-analyses.json",
        ),
        ("/orgs/acme/dependabot/alerts", "org-dependabot-alerts.json"),
        (
            "/orgs/acme/code-scanning/alerts",
            "org-code-scanning-alerts.json",
        ),
        (
            "/orgs/acme/secret-scanning/alerts",
            "org-secret-scanning-alerts.json",
        ),
    ];
    for (route, file) in plain {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(payload(file))
            .mount(&server)
            .await;
    }
    // Who started each deployment's workflow run: run 8012 re-run twice,
    // the others once by their deployment's creator.
    let run: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("fixtures/github/repo-actions-run.json"))
            .expect("fixture exists"),
    )
    .expect("JSON");
    let mut runs = vec![
        ("/repos/acme/api/actions/runs/8012".to_owned(), run.clone()),
        (
            "/repos/acme/api/actions/runs/8012/attempts/2".to_owned(),
            serde_json::from_str(
                &std::fs::read_to_string(
                    root().join("fixtures/github/repo-actions-run-attempt.json"),
                )
                .expect("fixture exists"),
            )
            .expect("JSON"),
        ),
    ];
    for (id, creator) in [(8000, "dave"), (8005, "bob"), (8015, "alice")] {
        let mut once = run.clone();
        once["id"] = serde_json::json!(id);
        once["run_attempt"] = serde_json::json!(1);
        once["actor"]["login"] = serde_json::json!(creator);
        once["triggering_actor"]["login"] = serde_json::json!(creator);
        runs.push((format!("/repos/acme/api/actions/runs/{id}"), once));
    }
    for (route, body) in runs {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
    }
    let not_found = std::fs::read_to_string(root().join("fixtures/github/error-404.json"))
        .expect("fixture exists");
    Mock::given(|_: &Request| true)
        .respond_with(ResponseTemplate::new(404).set_body_raw(not_found, "application/json"))
        .with_priority(10)
        .mount(&server)
        .await;
    server
}

/// `tenet collect` of `acme` from `server` into `dir/snapshot.json`, under
/// `policy` written to `dir/tenet.toml`; it must succeed.
pub(crate) fn collect_with_policy(server: &MockServer, dir: &Path, policy: &str) {
    std::fs::write(dir.join("tenet.toml"), policy).expect("policy written");
    let out = run(tenet_with_token(dir).args([
        "collect",
        "--config",
        "tenet.toml",
        "--github-org",
        "acme",
        "--github-api-url",
        &server.uri(),
        "-o",
        "snapshot.json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// `tenet evaluate` of what [`collect_with_policy`] wrote in `dir`, as of
/// 2026-12-04, as the JSON report; it must find a failure.
pub(crate) fn evaluate_collected(dir: &Path) -> serde_json::Value {
    let out = run(tenet_with_token(dir).args([
        "evaluate",
        "snapshot.json",
        "--config",
        "tenet.toml",
        "--as-of",
        "2026-12-04",
        "--format",
        "json",
    ]));
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(!out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN));
    serde_json::from_str(&out.stdout).expect("JSON report")
}

/// `control resource status: message`, one line per finding of `controls`
/// whose resource `keep` accepts.
pub(crate) fn finding_lines(
    report: &serde_json::Value,
    controls: &[&str],
    keep: impl Fn(&str) -> bool,
) -> String {
    let mut lines = String::new();
    for control in controls {
        for (resource, status, message) in findings(report, control) {
            if keep(&resource) {
                lines.push_str(&format!("{control} {resource} {status}: {message}\n"));
            }
        }
    }
    lines
}

pub(crate) fn tenet_with_token(dir: &Path) -> assert_cmd::Command {
    let mut cmd = tenet_in(dir);
    cmd.env("GITHUB_TOKEN", TOKEN);
    cmd
}

/// The entry of `control` in a JSON report.
pub(crate) fn control<'a>(report: &'a serde_json::Value, control: &str) -> &'a serde_json::Value {
    report["controls"]
        .as_array()
        .and_then(|controls| controls.iter().find(|c| c["id"] == control))
        .expect("the control is in the report")
}

/// `(resource, status, message)` of every finding of `control`.
pub(crate) fn findings(report: &serde_json::Value, control: &str) -> Vec<(String, String, String)> {
    report["controls"]
        .as_array()
        .and_then(|controls| controls.iter().find(|c| c["id"] == control))
        .and_then(|c| c["findings"].as_array())
        .map(|findings| {
            findings
                .iter()
                .map(|f| {
                    let text = |key: &str| f[key].as_str().unwrap_or_default().to_owned();
                    (text("resource"), text("status"), text("message"))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn finding(resource: &str, status: &str, message: &str) -> (String, String, String) {
    (resource.to_owned(), status.to_owned(), message.to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn scan_reports_the_mfa_findings_of_a_live_organization() {
    let server = mock_github().await;
    let url = server.uri();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(tenet_with_token(dir.path()).args([
        "scan",
        "--github-org",
        "acme",
        "--github-api-url",
        &url,
        "--format",
        "json",
    ]));
    assert_eq!(
        out.code, 1,
        "bob has no 2FA: {}\n{}",
        out.stdout, out.stderr
    );
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON report");
    assert_eq!(
        findings(&report, "github.org.two-factor-required"),
        [finding(
            "github:acme",
            "fail",
            "acme does not require two-factor authentication of its members"
        )]
    );
    assert_eq!(
        findings(&report, "github.members.two-factor"),
        [
            finding(
                "github:acme:member/alice",
                "pass",
                "alice has two-factor authentication enabled"
            ),
            finding(
                "github:acme:member/bob",
                "fail",
                "bob has not enabled two-factor authentication"
            ),
            finding(
                "github:acme:member/carol",
                "pass",
                "carol has two-factor authentication enabled"
            ),
        ]
    );
    assert!(!out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN));
    let seen = server.received_requests().await.unwrap_or_default();
    assert!(seen.len() >= 10, "{seen:?}");
    let bearer = format!("Bearer {TOKEN}");
    assert!(
        seen.iter().all(|request| request
            .headers
            .get("authorization")
            .is_some_and(|value| value.as_bytes() == bearer.as_bytes())),
        "{seen:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn collect_writes_the_snapshot() {
    let server = mock_github().await;
    let url = server.uri();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(tenet_with_token(dir.path()).args([
        "collect",
        "--github-org",
        "acme",
        "--github-api-url",
        &url,
        "--from",
        "2026-09-01",
        "--to",
        "2026-11-30",
        "-o",
        "snapshot.json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Two of the REST requests read what GraphQL does not give of api's
    // production environment: the environments listing, and the branches
    // and tags that may deploy to it; one whose token it is (`GET /user`).
    assert_eq!(
        out.stderr,
        "GitHub: 1 organization(s), 2 repositories, 38 requests (6 GraphQL, 32 REST, 0 retries)\nwrote snapshot to snapshot.json\n"
    );
    let text = std::fs::read_to_string(dir.path().join("snapshot.json")).expect("snapshot");
    assert!(!text.contains(TOKEN));
    // A report names the snapshot by the digest `sha256sum` gives its file.
    std::fs::write(dir.path().join("tenet.toml"), "").expect("policy");
    let digest: String = sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    assert_eq!(
        evaluate_collected(dir.path())["snapshot"]["digests"],
        serde_json::json!([format!("sha256:{digest}")])
    );
    let mut snapshot: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    snapshot["collected_at"] = "[collected_at]".into();
    snapshot["tenet_version"] = "[VERSION]".into();
    insta::assert_json_snapshot!(snapshot);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_is_recorded_only_when_labelled_or_in_github_actions() {
    let server = mock_github().await;
    let url = server.uri();
    let dir = tempfile::tempdir().expect("temp dir");
    let collect = |extra: &[&str], actions: bool| {
        let mut cmd = tenet_with_token(dir.path());
        cmd.args(["collect", "--github-org", "acme", "--github-api-url", &url])
            .args([
                "--from",
                "2026-09-01",
                "--to",
                "2026-11-30",
                "-o",
                "snapshot.json",
            ])
            .args(extra);
        if actions {
            for (key, value) in [
                ("GITHUB_ACTIONS", "true"),
                ("GITHUB_SERVER_URL", "https://github.com"),
                ("GITHUB_REPOSITORY", "acme/audit"),
                ("GITHUB_RUN_ID", "42"),
                ("GITHUB_RUN_ATTEMPT", "1"),
                ("GITHUB_WORKFLOW", "audit"),
                ("GITHUB_ACTOR", "alice"),
                ("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567"),
                ("GITHUB_REF", "refs/heads/main"),
            ] {
                cmd.env(key, value);
            }
        }
        let out = run(&mut cmd);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let text = std::fs::read_to_string(dir.path().join("snapshot.json")).expect("snapshot");
        serde_json::from_str::<serde_json::Value>(&text).expect("JSON")
    };
    assert_eq!(collect(&[], false).get("run"), None, "nothing by default");
    assert_eq!(
        collect(&["--run-label", "Q4 2026 audit"], false)["run"],
        serde_json::json!({"label": "Q4 2026 audit"})
    );
    assert_eq!(
        collect(&[], true)["run"],
        serde_json::json!({"github_actions": {
            "url": "https://github.com/acme/audit/actions/runs/42/attempts/1",
            "workflow": "audit",
            "actor": "alice",
            "commit": "0123456789abcdef0123456789abcdef01234567",
            "ref": "refs/heads/main"
        }})
    );
    // The Markdown report names the run and who read the organization.
    std::fs::write(dir.path().join("tenet.toml"), "").expect("policy");
    let out = run(tenet_in(dir.path()).args(["evaluate", "snapshot.json", "--format", "markdown"]));
    let header: Vec<&str> = out
        .stdout
        .lines()
        .filter(|line| line.starts_with("| Collected") || line.starts_with("| Run"))
        .collect();
    assert_eq!(
        header,
        [
            "| Collected | GitHub `acme`: personal access token (classic) of `tenet-auditor` |",
            "| Run | GitHub Actions run https://github.com/acme/audit/actions/runs/42/attempts/1, workflow `audit`, by `alice`, at commit `0123456789abcdef0123456789abcdef01234567`, on `refs/heads/main` |",
        ]
    );
    let empty = run(tenet_with_token(dir.path()).args([
        "collect",
        "--github-org",
        "acme",
        "--run-label",
        "",
    ]));
    assert_eq!(empty.code, 2, "an empty label is refused");
}

#[test]
fn collect_without_credentials_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(tenet_in(dir.path()).args(["collect", "--github-org", "acme", "-o", "s.json"]));
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: no GitHub credentials: set GITHUB_TOKEN (or GH_TOKEN) to a read-only token, or pass --github-app-id and --github-app-private-key (see docs/github.md for the permissions)\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_policy_without_the_webhook_control_does_not_pay_for_repository_webhooks() {
    let server = mock_github().await;
    let dir = tempfile::tempdir().expect("temp dir");
    collect_with_policy(
        &server,
        dir.path(),
        "[controls.\"github.webhooks.tls\"]\nenabled = false\n",
    );
    let seen = server.received_requests().await.unwrap_or_default();
    let hooks: Vec<&str> = seen
        .iter()
        .map(|r| r.url.path())
        .filter(|p| p.ends_with("/hooks"))
        .collect();
    assert_eq!(hooks, ["/orgs/acme/hooks"], "organization webhooks only");
    let text = std::fs::read_to_string(dir.path().join("snapshot.json")).expect("snapshot");
    let snapshot: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let repos = snapshot["github"][0]["repositories"]["known"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(repos.len(), 2);
    for repo in repos {
        assert_eq!(
            repo["webhooks"]["unavailable"]["reason"],
            "repository webhooks were not collected: the policy tenet.toml turns off github.webhooks.tls, the only control(s) that read them"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_custom_github_control_has_every_fact_collected() {
    // Its rule may read any fact, so none is skipped for want of a
    // built-in control that reads it.
    let server = mock_github().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let examples = crate::root().join("rules/examples");
    collect_with_policy(
        &server,
        dir.path(),
        &format!(
            "control_paths = [{:?}]\n\n[controls.\"github.webhooks.tls\"]\nenabled = false\n",
            examples.display().to_string()
        ),
    );
    let seen = server.received_requests().await.unwrap_or_default();
    let hooks = seen
        .iter()
        .filter(|r| r.url.path().ends_with("/hooks"))
        .count();
    assert_eq!(
        hooks, 3,
        "the organization's and each repository's webhooks"
    );

    // The same with the custom controls named on the command line.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("tenet.toml"),
        "[controls.\"github.webhooks.tls\"]\nenabled = false\n",
    )
    .expect("policy written");
    let out = run(tenet_with_token(dir.path()).args([
        "collect",
        "--config",
        "tenet.toml",
        "--github-org",
        "acme",
        "--github-api-url",
        &server.uri(),
        "--control-path",
        &examples.display().to_string(),
        "-o",
        "snapshot.json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let seen = server.received_requests().await.unwrap_or_default();
    let hooks = seen
        .iter()
        .filter(|r| r.url.path().ends_with("/hooks"))
        .count();
    assert_eq!(hooks, 6, "every webhook again, for --control-path");
}

#[tokio::test(flavor = "multi_thread")]
async fn scan_as_a_github_app_uses_the_installation_token() {
    let server = mock_github().await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme/installation"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": 77})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/app/installations/77/access_tokens"))
        .respond_with(ResponseTemplate::new(201).set_body_json(
            serde_json::json!({"token": "ghs_INSTALLATIONTOKEN", "expires_at": "2999-01-01T00:00:00Z"}),
        ))
        .mount(&server)
        .await;
    let url = server.uri();
    let dir = tempfile::tempdir().expect("temp dir");
    let key = root().join("fixtures/github/test-app-key.pem");
    let key_text = std::fs::read_to_string(&key).expect("test key");
    let out = run(tenet_in(dir.path())
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_TOKEN")
        .args(["scan", "--github-org", "acme", "--github-api-url", &url])
        .arg("--github-app-id")
        .arg("1234")
        .arg("--github-app-private-key")
        .arg(&key)
        .args(["--format", "json"]));
    assert_eq!(out.code, 1, "bob has no 2FA: {}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON report");
    assert_eq!(
        findings(&report, "github.org.two-factor-required"),
        [finding(
            "github:acme",
            "fail",
            "acme does not require two-factor authentication of its members"
        )]
    );
    let seen = server.received_requests().await.unwrap_or_default();
    let with_token = seen
        .iter()
        .filter(|r| {
            r.headers
                .get("authorization")
                .is_some_and(|v| v.as_bytes() == b"Bearer ghs_INSTALLATIONTOKEN")
        })
        .count();
    assert_eq!(
        with_token,
        seen.len() - 2,
        "all but the installation lookup and the token exchange (App JWT)"
    );
    for secret in [
        "ghs_INSTALLATIONTOKEN",
        "PRIVATE KEY",
        key_text.lines().nth(1).unwrap_or("-"),
    ] {
        assert!(
            !out.stdout.contains(secret) && !out.stderr.contains(secret),
            "{secret} leaked"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn timeout_bounds_a_rate_limit_wait_from_the_command_line() {
    let server = mock_github().await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme/hooks"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", "4102444800")
                .set_body_raw(
                    r#"{"message":"API rate limit exceeded for user ID 1."}"#,
                    "application/json",
                ),
        )
        .with_priority(1)
        .mount(&server)
        .await;
    let url = server.uri();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(tenet_with_token(dir.path()).args([
        "collect",
        "--github-org",
        "acme",
        "--github-api-url",
        &url,
        "--timeout",
        "600",
        "-o",
        "snapshot.json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(dir.path().join("snapshot.json")).expect("snapshot");
    let snapshot: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(
        snapshot["github"][0]["webhooks"]["unavailable"]["reason"],
        "GET /orgs/acme/hooks: 403 Forbidden (API rate limit exceeded for user ID 1.): rate limited; waiting to retry would pass the collection's time limit of 600 s (--timeout)"
    );
    let zero = run(tenet_with_token(dir.path()).args([
        "collect",
        "--github-org",
        "acme",
        "--timeout",
        "0",
        "-o",
        "snapshot.json",
    ]));
    assert_eq!(zero.code, 2);
    assert!(
        zero.stderr
            .contains("invalid value '0' for '--timeout <SECONDS>'"),
        "{}",
        zero.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn refused_credentials_or_an_unknown_organization_are_one_clear_error() {
    // A revoked token, then a mistyped organization: one message each, exit
    // 2, and no report of errors.
    for (status, body, expected) in [
        (
            401,
            r#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}"#,
            "error: cannot collect GitHub: GitHub refused the credentials for organization `acme`: GET /orgs/acme: 401 Unauthorized (Bad credentials): the credentials are invalid, expired or revoked; check the token (--github-token or GITHUB_TOKEN: not expired or revoked, and allowed in the organization) or the GitHub App\n",
        ),
        (
            404,
            r#"{"message":"Not Found","documentation_url":"https://docs.github.com/rest/orgs/orgs#get-an-organization","status":"404"}"#,
            "error: cannot collect GitHub: organization `acme` does not exist, or these credentials may not see it: GET /orgs/acme: 404 Not Found (Not Found): it does not exist, or the token may not see it; needs the permission to read it; check its name in --github-org or [scope] github_orgs\n",
        ),
        // An answer's message is outside text: shown, never obeyed (its
        // line break kept, the line after it no workflow command).
        (
            401,
            r#"{"message":"Bad\n::add-mask::x \u001b[2J\u001b]0;t\u0007 ##[warning]w","status":"401"}"#,
            "error: cannot collect GitHub: GitHub refused the credentials for organization `acme`: GET /orgs/acme: 401 Unauthorized (Bad\n:\\:add-mask::x \\u{1b}[2J\\u{1b}]0;t\\u{7} ##\\[warning]w): the credentials are invalid, expired or revoked; check the token (--github-token or GITHUB_TOKEN: not expired or revoked, and allowed in the organization) or the GitHub App\n",
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(status).set_body_raw(body, "application/json"))
            .mount(&server)
            .await;
        let dir = tempfile::tempdir().expect("temp dir");
        let out = run(tenet_with_token(dir.path()).args([
            "scan",
            "--github-org",
            "acme",
            "--github-api-url",
            &server.uri(),
        ]));
        assert_eq!(out.code, 2, "{}", out.stdout);
        assert_eq!(out.stdout, "");
        assert_eq!(out.stderr, expected);
        assert!(!out.stderr.contains(TOKEN));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn verbose_logs_requests_without_the_token_and_quiet_prints_nothing() {
    let server = mock_github().await;
    let url = server.uri();
    let dir = tempfile::tempdir().expect("temp dir");
    let collect = |flag: &str| {
        run(tenet_with_token(dir.path()).args([
            flag,
            "collect",
            "--github-org",
            "acme",
            "--github-api-url",
            &url,
            "-o",
            "snapshot.json",
        ]))
    };
    let out = collect("-vv");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("collecting the organization org=\"acme\""),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("answered request=\"GET /orgs/acme\" status=200"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(TOKEN));
    assert!(!out.stderr.to_lowercase().contains("authorization"));
    let out = collect("-q");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "");
    let out = run(tenet_with_token(dir.path()).args(["-q", "-v", "demo"]));
    assert_eq!(out.code, 2, "--quiet and --verbose conflict");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shard_collects_and_reports_only_its_part_of_the_scope() {
    // The policy lists the organization and an AWS account; this job is the
    // organization's shard: AWS is neither read (there are no credentials
    // to read it with) nor reported missing.
    let server = mock_github().await;
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("tenet.toml"),
        "[scope]\ngithub_orgs = [\"acme\"]\naws_accounts = [\"111122223333\"]\n",
    )
    .expect("policy written");
    let out = run(tenet_with_token(dir.path()).args([
        "scan",
        "--github-api-url",
        &server.uri(),
        "--shard",
        "github:acme",
        "--format",
        "json",
    ]));
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON report");
    assert_eq!(
        report["snapshot"]["github_orgs"],
        serde_json::json!(["acme"])
    );
    assert_eq!(report["snapshot"]["aws_accounts"], serde_json::json!([]));
    assert!(
        !out.stdout.contains("in scope but not in the snapshot"),
        "the account is another shard's"
    );

    let out = run(tenet_with_token(dir.path()).args([
        "scan",
        "--github-api-url",
        &server.uri(),
        "--shard",
        "aws:999999999999",
        "--shard",
        "github:other",
    ]));
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: --shard aws:999999999999, github:other is not in the [scope] of the policy tenet.toml: a shard is a part of the policy's scope, which lists every organization and account of all the shards\n"
    );
    let out = run(tenet_with_token(dir.path()).args(["scan", "--shard", "gitlab:acme"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("invalid value 'gitlab:acme' for '--shard <TARGET>': expected github:ORG or aws:ACCOUNT (12 digits)"),
        "{}",
        out.stderr
    );
}
