//! The changes of an audit period from the command line: `scan --from
//! --to` against a mock GitHub, every change judged, the population in
//! JSON and CSV, the exceptions and counts in Markdown, the period from
//! the policy, and periods refused.

use crate::{
    github::{TOKEN, control, finding_lines, findings, mock_github, tenet_with_token},
    run,
};

const CONTROL: &str = "github.changes.two-person-review";

fn scan(dir: &std::path::Path, url: &str, extra: &[&str]) -> crate::Run {
    let mut args = vec!["scan", "--github-org", "acme", "--github-api-url", url];
    args.extend_from_slice(extra);
    run(tenet_with_token(dir).args(&args))
}

#[tokio::test(flavor = "multi_thread")]
async fn every_change_of_the_period_is_judged_and_exported() {
    let server = mock_github().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let period = ["--from", "2026-09-01", "--to", "2026-11-30"];
    let out = scan(
        dir.path(),
        &server.uri(),
        &[&period[..], &["--format", "json"]].concat(),
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON report");
    assert_eq!(
        report["snapshot"]["period"],
        serde_json::json!({"from": "2026-09-01", "to": "2026-11-30"})
    );
    insta::assert_snapshot!(finding_lines(&report, &[CONTROL], |_| true));
    let control = control(&report, CONTROL);
    assert_eq!(control["population"], "changes");
    let squash = &control["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["resource"] == format!("github:acme/api:commit/{}", "a5".repeat(20)))
        .expect("the squash of #5")["evidence"];
    assert_eq!(squash["pull_request"], 5);
    assert_eq!(
        squash["approvers"],
        serde_json::json!([]),
        "bob pushed the head to the fork, so his approval does not count"
    );
    assert_eq!(squash["pushed_by"], serde_json::json!(["bob"]));
    assert_eq!(squash["merged_by"], "alice");
    assert_eq!(squash["period"], "2026-09-01 to 2026-11-30");

    let csv = scan(
        dir.path(),
        &server.uri(),
        &[&period[..], &["--format", "csv"]].concat(),
    );
    assert_eq!(csv.code, 1);
    let rows: Vec<&str> = csv
        .stdout
        .lines()
        .filter(|line| line.starts_with(CONTROL))
        .collect();
    assert_eq!(rows.len(), 4, "every change is a row: {rows:#?}");
    assert!(
        rows.iter()
            .any(|row| row.contains(",pass,") && row.contains("#7"))
    );

    // Which changes GitHub's rule insights still reach depends on the day
    // the scan runs (the month before it): that control is judged from
    // fixed snapshots in the rules' tests, not here.
    let sample = scan(
        dir.path(),
        &server.uri(),
        &[
            &period[..],
            &[
                "--format",
                "changes-csv",
                "--skip-controls",
                "github.changes.no-rule-bypass",
            ],
        ]
        .concat(),
    );
    assert_eq!(sample.code, 1);
    insta::assert_snapshot!("changes_csv", sample.stdout);

    let markdown = scan(
        dir.path(),
        &server.uri(),
        &[&period[..], &["--format", "markdown"]].concat(),
    );
    assert!(
        markdown
            .stdout
            .contains("| Audit period | 2026-09-01 to 2026-11-30 (UTC, both days included) |"),
        "{}",
        markdown.stdout
    );
    let card = markdown
        .stdout
        .split("`github.changes.two-person-review`: Every change")
        .nth(1)
        .and_then(|rest| rest.split("\n### ").next())
        .expect("the control's card");
    assert!(card.contains(", 1 pass\n"), "{card}");
    let passing_rows = markdown
        .stdout
        .lines()
        .filter(|line| line.contains(&"a7".repeat(20)))
        .count();
    assert_eq!(passing_rows, 0, "a passing change is counted, not listed");
    assert!(!out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_policy_sets_the_period_and_the_flags_win() {
    let server = mock_github().await;
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("tenet.toml"),
        "[period]\nfrom = 2026-09-01\nto = 2026-09-30\n",
    )
    .expect("policy");
    let out = scan(dir.path(), &server.uri(), &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON report");
    let resources: Vec<String> = findings(&report, CONTROL)
        .into_iter()
        .map(|(resource, _, _)| resource)
        .collect();
    assert_eq!(
        resources,
        [format!("github:acme/web:commit/{}", "c3".repeat(20))],
        "only September's change"
    );
    let out = scan(
        dir.path(),
        &server.uri(),
        &[
            "--from",
            "2026-10-01",
            "--to",
            "2026-10-31",
            "--format",
            "json",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON report");
    assert_eq!(
        report["snapshot"]["period"],
        serde_json::json!({"from": "2026-10-01", "to": "2026-10-31"})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_period_that_is_not_one_is_refused_before_anything_is_read() {
    let server = mock_github().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let later = scan(dir.path(), &server.uri(), &["--to", "2999-01-01"]);
    assert_eq!(later.code, 2);
    assert!(
        later
            .stderr
            .contains("the audit period ends on 2999-01-01, after today"),
        "{}",
        later.stderr
    );
    let backwards = scan(
        dir.path(),
        &server.uri(),
        &["--from", "2026-11-30", "--to", "2026-09-01"],
    );
    assert_eq!(backwards.code, 2);
    assert_eq!(
        backwards.stderr,
        "error: the period starts on 2026-11-30, after its end 2026-09-01: --from is the first day of the period, --to the last\n"
    );
    assert!(
        server
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
    std::fs::write(
        dir.path().join("tenet.toml"),
        "[period]\nfrom = 2026-11-30\nto = 2026-09-01\n",
    )
    .expect("policy");
    let policy = run(tenet_with_token(dir.path()).args(["validate"]));
    assert_eq!(policy.code, 2);
    insta::assert_snapshot!(policy.stderr);
}

#[test]
fn the_sample_names_what_could_not_be_read() {
    let out = run(crate::tenet().args([
        "evaluate",
        "fixtures/rules/change-management/unavailable.json",
        "--format",
        "changes-csv",
    ]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    let rows: Vec<&str> = out.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 8, "{}", out.stdout);
    assert!(
        rows.iter().any(|row| row.starts_with(
            "github.changes.no-rule-bypass,acme/api,,,,,,,,,,,error,\"could not determine the rule bypasses of the audit period: GET /repos/acme/api/rulesets/rule-suites"
        )),
        "{}",
        out.stdout
    );
    assert!(
        rows.iter().any(|row| row.starts_with(
            "github.changes.two-person-review,acme/api,release/1.x,,,,,,,,,,error,\"could not determine the changes of the audit period: GraphQL BranchHistory: 502"
        )),
        "{}",
        out.stdout
    );
    assert!(
        rows.iter()
            .any(|row| row.starts_with("github.changes.two-person-review,globex,,,")),
        "an organization whose repositories could not be listed: {}",
        out.stdout
    );
}
