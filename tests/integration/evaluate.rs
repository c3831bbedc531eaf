//! `tenet evaluate`: exit codes, fail-closed behaviour, waivers, scope and
//! every invocation error.

use crate::{run, tenet};

fn evaluate(args: &[&str]) -> crate::Run {
    run(tenet().arg("evaluate").args(args))
}

#[test]
fn compliant_snapshot_exits_0() {
    let out = evaluate(&[
        "fixtures/evaluate/compliant.json",
        "--config",
        "fixtures/evaluate/compliant.toml",
    ]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn failing_snapshot_exits_1() {
    let out = evaluate(&["fixtures/rules/mfa/fail.json"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn unavailable_member_list_is_an_error_never_a_pass() {
    let out = evaluate(&[
        "fixtures/evaluate/members-unavailable.json",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 3, "undetermined, not passed: {}", out.stdout);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let members = report["controls"]
        .as_array()
        .and_then(|controls| {
            controls
                .iter()
                .find(|c| c["id"] == "github.members.two-factor")
        })
        .expect("control is reported");
    assert_eq!(members["status"], "error");
    assert_eq!(members["findings"][0]["resource"], "github:acme");
    assert_eq!(
        members["findings"][0]["message"],
        "could not determine the organization's members: GET /orgs/acme/members?filter=2fa_disabled: 403 Forbidden, the token lacks admin:org (read:org is not enough)"
    );
    assert_eq!(report["verdict"]["status"], "error");
    let table = evaluate(&["fixtures/evaluate/members-unavailable.json"]);
    assert_eq!(table.code, 3);
    insta::assert_snapshot!(table.stdout);
}

#[test]
fn fail_on_threshold_gates_the_exit_code() {
    let policy = "fixtures/evaluate/low-severity.toml";
    let low = evaluate(&["fixtures/evaluate/compliant.json", "--config", policy]);
    assert_eq!(low.code, 1, "fail_on defaults to low: {}", low.stdout);
    assert!(
        low.stdout
            .contains("github:acme  2 owners; the policy allows at most 1")
    );
    let medium = evaluate(&[
        "fixtures/evaluate/compliant.json",
        "--config",
        policy,
        "--fail-on",
        "medium",
    ]);
    assert_eq!(medium.code, 0, "{}", medium.stdout);
    assert!(medium.stdout.contains(
        "Result: PASS, no failing finding at or above medium severity and no errors (exit code 0)"
    ));
    let errors_still_count = evaluate(&[
        "fixtures/rules/mfa/unavailable.json",
        "--fail-on",
        "critical",
    ]);
    assert_eq!(errors_still_count.code, 3);
}

#[test]
fn scope_gaps_disabled_controls_and_waivers() {
    let out = evaluate(&[
        "fixtures/rules/mfa/fail.json",
        "--config",
        "fixtures/evaluate/scope-and-waivers.toml",
    ]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn waiver_expires_with_time() {
    let policy = "fixtures/demo/tenet.toml";
    let before = evaluate(&[
        "fixtures/demo/snapshot.json",
        "--config",
        policy,
        "--as-of",
        "2026-12-31",
        "--format",
        "json",
    ]);
    let after = evaluate(&[
        "fixtures/demo/snapshot.json",
        "--config",
        policy,
        "--as-of",
        "2027-01-01",
        "--format",
        "json",
    ]);
    let finding = |out: &crate::Run| -> serde_json::Value {
        let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
        report["controls"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["id"] == "aws.iam.console-mfa"))
            .and_then(|c| {
                c["findings"].as_array().and_then(|fs| {
                    fs.iter()
                        .find(|f| f["resource"] == "arn:aws:iam::111122223333:user/deploy-bot")
                        .cloned()
                })
            })
            .expect("deploy-bot finding")
    };
    assert_eq!(finding(&before)["status"], "waived");
    assert_eq!(finding(&before)["waiver"]["line"], 40);
    assert_eq!(finding(&after)["status"], "fail");
    assert_eq!(finding(&after)["expired_waiver"]["expires"], "2026-12-31");
    let table = evaluate(&[
        "fixtures/demo/snapshot.json",
        "--config",
        policy,
        "--as-of",
        "2027-01-01",
    ]);
    insta::assert_snapshot!(table.stdout);
}

#[test]
fn output_file_gets_the_report_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("report.json");
    let args = [
        "evaluate",
        "fixtures/evaluate/compliant.json",
        "--config",
        "fixtures/evaluate/compliant.toml",
        "--format",
        "json",
    ];
    let out = run(tenet().args(args).arg("--output").arg(&path));
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout, "");
    let written = std::fs::read_to_string(&path).expect("report written");
    let direct = run(tenet().args(args));
    assert_eq!(
        written,
        direct
            .stdout
            .replace("[VERSION]", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn invalid_policy_exits_2_with_a_snippet() {
    let dir = tempfile::tempdir().expect("temp dir");
    let policy = dir.path().join("tenet.toml");
    std::fs::write(
        &policy,
        "fail_on = \"hgh\"\n[controls.\"github.members.2fa\"]\nenabled = false\n",
    )
    .expect("write policy");
    let out = run(tenet()
        .args(["evaluate", "fixtures/rules/mfa/pass.json", "--config"])
        .arg(&policy));
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    let stderr = out
        .stderr
        .replace(&policy.display().to_string(), "[POLICY]");
    insta::assert_snapshot!(stderr);
}

#[test]
fn invalid_snapshots_exit_2_naming_file_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = [
        (
            "syntax.json",
            "{\n  \"schema_version\": 2,\n  \"scope\": {,\n}\n",
        ),
        ("version.json", "{\"schema_version\": 99}"),
        ("v1.json", "{\"schema_version\": 1}"),
        (
            "field.json",
            "{\"schema_version\": 2, \"tenet_version\": \"0.1.0\",\n \"collected_at\": \"2026-11-01T00:00:00Z\", \"scope\": {\"github_orgs\": [], \"aws_accounts\": []}, \"awz\": []}",
        ),
        (
            "missing.json",
            "{\"schema_version\": 2, \"tenet_version\": \"0.1.0\",\n \"collected_at\": \"2026-11-01T00:00:00Z\", \"scope\": {\"github_orgs\": []}}",
        ),
    ];
    let mut messages = String::new();
    for (name, text) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write snapshot");
        let out = run(tenet().arg("evaluate").arg(&path));
        assert_eq!(out.code, 2, "{name}");
        messages.push_str(
            &out.stderr
                .replace(&dir.path().display().to_string(), "[DIR]"),
        );
    }
    let missing = run(tenet().args(["evaluate", "fixtures/no-such-snapshot.json"]));
    assert_eq!(missing.code, 2);
    messages.push_str(&missing.stderr);
    insta::assert_snapshot!(messages);
}

#[test]
fn usage_errors_exit_2() {
    let out = run(tenet().args(["evaluate"]));
    assert_eq!(out.code, 2);
    let out = run(tenet().args(["evaluate", "x.json", "--fail-on", "severe"]));
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn controls_and_skip_controls_select_what_runs() {
    let out = run(tenet().args([
        "demo",
        "--format",
        "json",
        "--controls",
        "aws.iam.*,github.org.*",
        "--skip-controls",
        "aws.iam.root-*",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let controls = report["controls"].as_array().expect("controls");
    let mut ran = Vec::new();
    for control in controls {
        let id = control["id"].as_str().unwrap_or_default();
        let selected = (id.starts_with("aws.iam.") || id.starts_with("github.org."))
            && !id.starts_with("aws.iam.root-");
        if selected {
            ran.push(id);
        } else {
            assert_eq!(control["status"], "skipped", "{id}");
            assert_eq!(
                control["skipped_reason"], "left out by --controls/--skip-controls",
                "{id}"
            );
        }
    }
    assert!(ran.contains(&"aws.iam.no-privilege-escalation"), "{ran:?}");
    assert!(ran.contains(&"github.org.owners"), "{ran:?}");

    let out = run(tenet().args(["demo", "--controls", "aws.iam.root-mfaa"]));
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: `aws.iam.root-mfaa` matches no control; did you mean `aws.iam.root-mfa`?\n"
    );
}
