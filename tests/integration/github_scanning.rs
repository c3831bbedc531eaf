//! "We scan for vulnerabilities before production", end to end: `tenet
//! collect` against the mock organization, then `tenet evaluate` as of a
//! fixed day, for code scanning, the checks that gate a merge and the
//! deadlines of open alerts; and a policy without those controls sends none
//! of their requests.

use serde_json::Value;

use crate::{
    github::{TOKEN, findings, mock_github, tenet_with_token},
    run,
};

/// The controls of the clause.
const CONTROLS: [&str; 3] = [
    "github.repo.code-scanning",
    "github.branch.required-checks",
    "github.repo.alert-deadlines",
];

/// The requests only these controls need.
const ROUTES: [&str; 6] = [
    "/orgs/acme/code-security/configurations",
    "/orgs/acme/code-security/configurations/17/repositories",
    "/repos/acme/web/code-scanning/analyses",
    "/orgs/acme/dependabot/alerts",
    "/orgs/acme/code-scanning/alerts",
    "/orgs/acme/secret-scanning/alerts",
];

#[tokio::test(flavor = "multi_thread")]
async fn scanning_controls_judge_the_collected_organization() {
    let server = mock_github().await;
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("tenet.toml"),
        "[controls.\"github.branch.required-checks\"]\nrequired_checks = [\"CodeQL\", \"ci/test\"]\n",
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
        "-o",
        "snapshot.json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = run(tenet_with_token(dir.path()).args([
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
    let report: Value = serde_json::from_str(&out.stdout).expect("JSON report");
    let mut lines = String::new();
    for control in CONTROLS {
        for (resource, status, message) in findings(&report, control) {
            lines.push_str(&format!("{control} {resource} {status}: {message}\n"));
        }
    }
    insta::assert_snapshot!(lines);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_policy_without_the_scanning_controls_does_not_request_their_facts() {
    let server = mock_github().await;
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("tenet.toml"),
        "[controls.\"github.repo.code-scanning\"]\nenabled = false\n\n\
         [controls.\"github.repo.alert-deadlines\"]\nenabled = false\n",
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
        "-o",
        "snapshot.json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let seen = server.received_requests().await.unwrap_or_default();
    for route in ROUTES {
        assert!(
            seen.iter().all(|r| r.url.path() != route),
            "{route} was requested"
        );
    }
    let text = std::fs::read_to_string(dir.path().join("snapshot.json")).expect("snapshot");
    let snapshot: Value = serde_json::from_str(&text).expect("JSON");
    let web = &snapshot["github"][0]["repositories"]["known"][1];
    assert_eq!(
        web["security"]["code_scanning"]["unavailable"]["reason"],
        "code scanning setups were not collected: the policy tenet.toml turns off github.repo.code-scanning, the only control(s) that read them"
    );
    assert_eq!(
        web["open_alerts"]["dependabot"]["unavailable"]["reason"],
        "open security alerts were not collected: the policy tenet.toml turns off github.repo.alert-deadlines, the only control(s) that read them"
    );
}
