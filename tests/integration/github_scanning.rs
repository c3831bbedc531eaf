//! "We scan for vulnerabilities before production", end to end: `tenet
//! collect` against the mock organization, then `tenet evaluate` as of a
//! fixed day, for code scanning, the checks that gate a merge and the
//! deadlines of open alerts; and a policy without those controls sends none
//! of their requests.

use serde_json::Value;

use crate::github::{collect_with_policy, evaluate_collected, finding_lines, mock_github};

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
    collect_with_policy(
        &server,
        dir.path(),
        "[controls.\"github.branch.required-checks\"]\nrequired_checks = [\"CodeQL\", \"ci/test\"]\n",
    );
    let report = evaluate_collected(dir.path());
    let lines = finding_lines(&report, &CONTROLS, |_| true);
    insta::assert_snapshot!(lines);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_policy_without_the_scanning_controls_does_not_request_their_facts() {
    let server = mock_github().await;
    let dir = tempfile::tempdir().expect("temp dir");
    collect_with_policy(
        &server,
        dir.path(),
        "[controls.\"github.repo.code-scanning\"]\nenabled = false\n\n\
         [controls.\"github.repo.alert-deadlines\"]\nenabled = false\n",
    );
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
