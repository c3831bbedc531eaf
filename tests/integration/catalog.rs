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

#[test]
fn explain_json_is_the_controls_entry() {
    let out = run(tenet().args(["explain", "aws.iam.root-mfa", "--format", "json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let one: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let all = run(tenet().args(["controls", "--format", "json"]));
    let all: Vec<serde_json::Value> = serde_json::from_str(&all.stdout).expect("json");
    let listed = all
        .into_iter()
        .find(|control| control["id"] == "aws.iam.root-mfa")
        .expect("listed");
    assert_eq!(one, listed);
}

#[test]
fn completions_and_the_manual_cover_every_command() {
    let commands = [
        "scan",
        "collect",
        "evaluate",
        "demo",
        "controls",
        "explain",
        "init",
        "schema",
        "iam-policy",
        "diff",
        "merge",
        "validate",
        "completions",
        "man",
    ];
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run(tenet().args(["completions", shell]));
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        for command in commands {
            assert!(out.stdout.contains(command), "{shell} lacks {command}");
        }
    }
    let out = run(tenet().args(["man"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(".TH tenet 1"), "{}", out.stdout);
    for command in commands {
        // roff escapes hyphens.
        assert!(
            out.stdout.contains(&command.replace('-', "\\-")),
            "the manual lacks {command}"
        );
    }
    let out = run(tenet().args(["completions", "nushell"]));
    assert_eq!(out.code, 2);
}
