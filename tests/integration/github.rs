//! `tenet scan` and `tenet collect` against a mock GitHub serving the
//! recorded payloads of `fixtures/github/`.
//!
//! The mock is a small HTTP/1.1 server on 127.0.0.1 (std only: the root
//! package has no wiremock dev-dependency); `crates/github/tests` test every
//! error class against wiremock.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::{TcpListener, TcpStream},
    path::Path,
    sync::{Arc, Mutex},
};

use crate::{root, run, tenet_in};

const TOKEN: &str = "ghp_E2ETOKEN0123456789abcdefghijklmnopqr";

/// A request the mock received: method, target, Authorization header.
type Seen = Arc<Mutex<Vec<(String, String, String)>>>;

/// Starts the mock; returns its base URL and the requests it sees.
fn mock_github() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let seen: Seen = Arc::default();
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let log = Arc::clone(&log);
            std::thread::spawn(move || serve(stream, &log));
        }
    });
    (url, seen)
}

fn serve(stream: TcpStream, log: &Seen) {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let (mut length, mut authorization) = (0, String::new());
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap_or_default();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().unwrap_or(0),
            "authorization" => authorization = value.trim().to_owned(),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    log.lock()
        .expect("log")
        .push((method.clone(), target.clone(), authorization));
    let (status, file) = route(&method, &target, &String::from_utf8_lossy(&body));
    let payload =
        std::fs::read_to_string(root().join("fixtures/github").join(file)).expect("fixture exists");
    let reason = if status == 200 { "OK" } else { "Not Found" };
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{payload}",
        payload.len()
    );
    let mut stream = reader.into_inner();
    let _ = stream.write_all(response.as_bytes());
}

/// Which recorded payload answers a request.
fn route(method: &str, target: &str, body: &str) -> (u16, &'static str) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let has = |param: &str| query.split('&').any(|p| p == param);
    let file = match (method, path) {
        ("POST", "/graphql") if body.contains("query Repositories(") => "graphql-repositories.json",
        ("POST", "/graphql") if body.contains("query RepositoryDetails(") => {
            "graphql-repository-details.json"
        }
        ("POST", "/graphql") if body.contains("query OrganizationRulesets(") => {
            "graphql-org-rulesets.json"
        }
        ("GET", "/orgs/acme") => "org-get.json",
        ("GET", "/orgs/acme/members") if has("filter=2fa_disabled") => {
            "org-members-2fa-disabled.json"
        }
        ("GET", "/orgs/acme/members") if has("role=admin") => "org-members-admins.json",
        ("GET", "/orgs/acme/members") if has("role=member") => "org-members-members.json",
        ("GET", "/orgs/acme/outside_collaborators") if has("filter=2fa_disabled") => {
            "org-outside-collaborators-2fa-disabled.json"
        }
        ("GET", "/orgs/acme/outside_collaborators") => "org-outside-collaborators.json",
        ("GET", "/orgs/acme/hooks") => "org-hooks-list.json",
        ("GET", "/orgs/acme/actions/permissions/workflow") => "org-actions-workflow.json",
        ("GET", "/orgs/acme/repos") => "org-repos-list.json",
        ("GET", "/repos/acme/api/hooks") => "repo-hooks-list.json",
        ("GET", "/repos/acme/api/keys") => "repo-deploy-keys-list.json",
        ("GET", "/repos/acme/web/hooks" | "/repos/acme/web/collaborators") => {
            "repo-collaborators-outside-empty.json"
        }
        _ => return (404, "error-404.json"),
    };
    (200, file)
}

fn tenet_with_token(dir: &Path) -> assert_cmd::Command {
    let mut cmd = tenet_in(dir);
    cmd.env("GITHUB_TOKEN", TOKEN);
    cmd
}

/// `(resource, status, message)` of every finding of `control`.
fn findings(report: &serde_json::Value, control: &str) -> Vec<(String, String, String)> {
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

#[test]
fn scan_reports_the_mfa_findings_of_a_live_organization() {
    let (url, seen) = mock_github();
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
    let seen = seen.lock().expect("log");
    assert!(seen.len() >= 10, "{seen:?}");
    assert!(
        seen.iter()
            .all(|(_, _, auth)| *auth == format!("Bearer {TOKEN}")),
        "{seen:?}"
    );
}

#[test]
fn collect_writes_the_snapshot() {
    let (url, _) = mock_github();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(tenet_with_token(dir.path()).args([
        "collect",
        "--github-org",
        "acme",
        "--github-api-url",
        &url,
        "-o",
        "snapshot.json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "wrote snapshot to snapshot.json\n");
    let text = std::fs::read_to_string(dir.path().join("snapshot.json")).expect("snapshot");
    assert!(!text.contains(TOKEN));
    let mut snapshot: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    snapshot["collected_at"] = "[collected_at]".into();
    snapshot["tenet_version"] = "[VERSION]".into();
    insta::assert_json_snapshot!(snapshot);
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
