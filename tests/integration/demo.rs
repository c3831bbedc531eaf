//! `tenet demo`: the README's first command.

use tenet_report::json::JsonReport;

use crate::{run, tenet};

#[test]
fn demo_table() {
    let out = run(tenet().arg("demo"));
    assert_eq!(out.code, 0, "the demo exits 0; stderr: {}", out.stderr);
    assert!(
        !out.stdout.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
    insta::assert_snapshot!("demo_table_stdout", out.stdout);
    insta::assert_snapshot!("demo_table_stderr", out.stderr);
}

#[test]
fn demo_json() {
    let out = run(tenet().args(["demo", "--format", "json"]));
    assert_eq!(out.code, 0);
    insta::assert_snapshot!("demo_json", out.stdout);
}

#[test]
fn demo_shows_every_status() {
    let out = run(tenet().args(["demo", "--format", "json"]));
    let report: JsonReport = serde_json::from_str(&out.stdout).expect("report parses back");
    let status = |id: &str| {
        report
            .controls
            .iter()
            .find(|c| c.id == id)
            .map(|c| serde_json::to_value(c.status).expect("status serializes"))
    };
    assert_eq!(
        status("github.org.two-factor-required"),
        Some("pass".into())
    );
    assert_eq!(status("github.members.two-factor"), Some("fail".into()));
    assert_eq!(status("aws.iam.root-mfa"), Some("error".into()));
    assert_eq!(status("aws.iam.console-mfa"), Some("waived".into()));
    assert_eq!(report.verdict.exit_code, 1);
}

#[test]
fn demo_json_is_byte_identical_across_runs() {
    let first = run(tenet().args(["demo", "--format", "json"]));
    let second = run(tenet().args(["demo", "--format", "json"]));
    assert_eq!(first.stdout, second.stdout);
    let evaluated = run(tenet().args([
        "evaluate",
        "fixtures/demo/snapshot.json",
        "--config",
        "fixtures/demo/tenet.toml",
        "--format",
        "json",
    ]));
    let again = run(tenet().args([
        "evaluate",
        "--format",
        "json",
        "--config",
        "fixtures/demo/tenet.toml",
        "fixtures/demo/snapshot.json",
    ]));
    assert_eq!(evaluated.code, 1);
    assert_eq!(evaluated.stdout, again.stdout);
}

#[test]
fn color_follows_the_flag_then_the_environment() {
    let escape = "\u{1b}[";
    let colored = |out: &crate::Run| out.stdout.contains(escape);
    // Not a terminal: no colours unless asked.
    assert!(!colored(&run(tenet().arg("demo"))));
    assert!(colored(&run(tenet().args(["demo", "--color", "always"]))));
    assert!(colored(&run(tenet()
        .args(["--color", "always", "demo"])
        .env("NO_COLOR", "1"))));
    assert!(colored(&run(tenet()
        .arg("demo")
        .env("CLICOLOR_FORCE", "1"))));
    assert!(!colored(&run(tenet()
        .args(["demo", "--color", "never"])
        .env("CLICOLOR_FORCE", "1"))));
}
