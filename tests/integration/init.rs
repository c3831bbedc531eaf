//! `tenet init`.

use crate::{root, run, tenet_in};

#[test]
fn init_writes_the_baseline_picked_up_without_config_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(tenet_in(dir.path()).arg("init"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let written = std::fs::read_to_string(dir.path().join("tenet.toml")).expect("written");
    let baseline = std::fs::read_to_string(root().join("rules/policies/baseline.toml"))
        .expect("baseline exists");
    assert_eq!(written, baseline);
    insta::assert_snapshot!("init_stderr", out.stderr);

    // ./tenet.toml is picked up without --config. It gates on high severity,
    // its manual controls fail until attested, and full admin fails without
    // an allow-list.
    let snapshot = root().join("fixtures/evaluate/compliant.json");
    let out = run(tenet_in(dir.path())
        .args(["evaluate", "--format", "json"])
        .arg(&snapshot));
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(report["policy"]["origin"], "tenet.toml");
    assert_eq!(report["policy"]["fail_on"], "high");
    assert_eq!(report["summary"]["controls"]["fail"], 7, "{}", out.stdout);
    assert_eq!(out.code, 1);

    std::fs::write(dir.path().join("tenet.toml"), "# mine\n").expect("write");
    let out = run(tenet_in(dir.path()).arg("init"));
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("init_refuses_to_overwrite", out.stderr);
    let kept = std::fs::read_to_string(dir.path().join("tenet.toml")).expect("still there");
    assert_eq!(kept, "# mine\n");
}

#[test]
fn init_strict_template_writes_the_strict_policy() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out =
        run(tenet_in(dir.path()).args(["init", "--template", "strict", "--output", "strict.toml"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let written = std::fs::read_to_string(dir.path().join("strict.toml")).expect("written");
    let strict =
        std::fs::read_to_string(root().join("rules/policies/strict.toml")).expect("strict exists");
    assert_eq!(written, strict);
    let snapshot = root().join("fixtures/evaluate/compliant.json");
    let out = run(tenet_in(dir.path())
        .args(["evaluate", "--format", "json", "--config", "strict.toml"])
        .arg(&snapshot));
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(report["policy"]["fail_on"], "low", "{}", out.stderr);
}

#[test]
fn validate_reports_every_problem_of_a_policy_at_once() {
    let out = run(crate::tenet().args(["validate", "fixtures/demo/tenet.toml"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "fixtures/demo/tenet.toml: valid; 72 of 77 controls on, 1 waiver, 5 attestations\n"
    );
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(
        dir.path().join("tenet.toml"),
        "fail_on = 3\n\n[scope]\ngithub_org = [\"acme\"]\n\n[controls.\"aws.iam.root-mfaa\"]\nenabled = false\n\n[[waivers]]\ncontrol = \"aws.iam.root-mfa\"\nresource = \"*\"\nreason = \"r\"\nowner = \"o\"\nexpires = \"soon\"\n",
    )
    .expect("written");
    let out = run(crate::tenet_in(dir.path()).arg("validate"));
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    insta::assert_snapshot!(out.stderr);
}
