//! `tenet init`.

use crate::{root, run, tenet_in};

#[test]
fn init_writes_a_policy_that_evaluates_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(tenet_in(dir.path()).arg("init"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let written = std::fs::read_to_string(dir.path().join("tenet.toml")).expect("written");
    let starter = std::fs::read_to_string(root().join("rules/policies/starter.toml"))
        .expect("starter exists");
    assert_eq!(written, starter);
    insta::assert_snapshot!("init_stderr", out.stderr);

    // ./tenet.toml is picked up without --config.
    let snapshot = root().join("fixtures/rules/mfa/pass.json");
    let out = run(tenet_in(dir.path())
        .args(["evaluate", "--format", "json"])
        .arg(&snapshot));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(report["policy"]["origin"], "tenet.toml");

    std::fs::write(dir.path().join("tenet.toml"), "# mine\n").expect("write");
    let out = run(tenet_in(dir.path()).arg("init"));
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("init_refuses_to_overwrite", out.stderr);
    let kept = std::fs::read_to_string(dir.path().join("tenet.toml")).expect("still there");
    assert_eq!(kept, "# mine\n");
}
