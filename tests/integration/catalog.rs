//! `tenet controls` and `tenet explain`.

use tenet_rules::ControlMeta;

use crate::{run, tenet};

#[test]
fn controls_table() {
    let out = run(tenet().arg("controls"));
    assert_eq!(out.code, 0);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn controls_json() {
    let out = run(tenet().args(["controls", "--format", "json"]));
    assert_eq!(out.code, 0);
    let controls: Vec<ControlMeta> = serde_json::from_str(&out.stdout).expect("parses back");
    assert_eq!(controls.len(), tenet_rules::catalog().controls().len());
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn explain_shows_everything_about_a_control() {
    let out = run(tenet().args(["explain", "aws.iam.console-mfa"]));
    assert_eq!(out.code, 0);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn explain_unknown_control_suggests_one() {
    let out = run(tenet().args(["explain", "aws.iam.console-mf"]));
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn control_reference_is_up_to_date() {
    let out = run(tenet().args(["controls", "--format", "markdown"]));
    assert_eq!(out.code, 0);
    let committed = std::fs::read_to_string(crate::root().join("docs/controls.md"))
        .expect("docs/controls.md exists");
    assert!(
        out.stdout == committed,
        "docs/controls.md is stale: run `cargo run -- controls --format markdown > docs/controls.md`"
    );
}
