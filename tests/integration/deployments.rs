//! The deployments of an audit period from the command line: `scan --from
//! --to` against a mock GitHub, every production deployment judged by who
//! triggered and who approved it, the passing ones counted in Markdown, and
//! nothing read when the policy turns the control off.

use crate::{
    github::{TOKEN, control, finding_lines, mock_github, tenet_with_token},
    run,
};

const CONTROL: &str = "github.deployments.reviewed";

const PERIOD: [&str; 4] = ["--from", "2026-09-01", "--to", "2026-11-30"];

fn scan(dir: &std::path::Path, url: &str, extra: &[&str]) -> crate::Run {
    let mut args = vec!["scan", "--github-org", "acme", "--github-api-url", url];
    args.extend_from_slice(&PERIOD);
    args.extend_from_slice(extra);
    run(tenet_with_token(dir).args(&args))
}

#[tokio::test(flavor = "multi_thread")]
async fn every_production_deployment_of_the_period_is_judged() {
    let server = mock_github().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = scan(dir.path(), &server.uri(), &["--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON report");
    insta::assert_snapshot!(finding_lines(&report, &[CONTROL], |_| true));
    let control = control(&report, CONTROL);
    assert_eq!(control["population"], "deployments");
    assert_eq!(
        control["status"], "fail",
        "805 was approved by its deployer only"
    );
    let approved = &control["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["resource"] == "github:acme/api:deployment/812")
        .expect("deployment 812")["evidence"];
    assert_eq!(approved["triggered_by"], "alice");
    assert_eq!(approved["approvers"], serde_json::json!(["bob"]));
    assert_eq!(approved["run"], 8012);
    assert_eq!(approved["period"], "2026-09-01 to 2026-11-30");
    assert!(!out.stdout.contains(TOKEN));

    // The audit report lists the exceptions and counts the rest.
    let markdown = scan(dir.path(), &server.uri(), &["--format", "markdown"]);
    let card = markdown
        .stdout
        .split("`github.deployments.reviewed`: Every production")
        .nth(1)
        .and_then(|rest| rest.split("\n### ").next())
        .expect("the control's card");
    assert!(card.contains(" 2 pass, 1 skipped\n"), "{card}");
    assert!(
        markdown
            .stdout
            .contains("deployment 805 of b805b80 to production was approved only by bob")
    );
    assert!(
        !markdown
            .stdout
            .contains("triggered by alice, approved by bob")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_policy_without_the_control_reads_no_deployment() {
    let server = mock_github().await;
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("tenet.toml"),
        "[controls.\"github.deployments.reviewed\"]\nenabled = false\n",
    )
    .expect("policy written");
    let out = scan(dir.path(), &server.uri(), &["--format", "json"]);
    assert!(out.code == 1 || out.code == 3, "{}", out.stderr);
    let requests = server.received_requests().await.unwrap_or_default();
    assert!(
        !requests
            .iter()
            .any(|r| String::from_utf8_lossy(&r.body).contains("query DeploymentHistory(")),
        "no deployment was read"
    );

    // A policy naming other production environments reads those.
    std::fs::write(
        dir.path().join("tenet.toml"),
        "[controls.\"github.deployments.reviewed\"]\nproduction_environments = [\"staging\"]\n",
    )
    .expect("policy written");
    let server = mock_github().await;
    let out = scan(dir.path(), &server.uri(), &["--format", "json"]);
    assert!(out.code == 1 || out.code == 3, "{}", out.stderr);
    let requests = server.received_requests().await.unwrap_or_default();
    let bodies: Vec<serde_json::Value> = requests
        .iter()
        .filter_map(|r| serde_json::from_slice(&r.body).ok())
        .filter(|body: &serde_json::Value| {
            body["query"]
                .as_str()
                .is_some_and(|q| q.starts_with("query DeploymentHistory("))
        })
        .collect();
    assert_eq!(bodies.len(), 1);
    assert_eq!(
        bodies[0]["variables"]["environments"],
        serde_json::json!(["staging"])
    );
}
