//! Custom controls from the command line: the examples of `rules/examples`
//! evaluated with the demo snapshot, waived and parameterized by the policy,
//! and broken controls refused with every problem at once.

use crate::{root, run, tenet_in};

/// A policy that loads the example controls, sets a parameter and waives
/// one finding.
const POLICY: &str = r#"
control_paths = ["EXAMPLES"]

[controls."custom.github.prod-no-outside-collaborators"]
repositories = ["api", "web"]

[[waivers]]
control = "custom.aws.break-glass-console-users"
resource = "arn:aws:iam::111122223333:user/alice"
reason = "the CTO's emergency account, moved under /break-glass/ in Q1"
owner = "security@acme.example"
expires = "2099-01-01"
"#;

#[test]
fn custom_controls_run_with_the_policy_like_built_in_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let examples = root().join("rules/examples");
    let policy = dir.path().join("tenet.toml");
    std::fs::write(
        &policy,
        POLICY.replace("EXAMPLES", &examples.display().to_string()),
    )
    .expect("written");
    let snapshot = root().join("fixtures/demo/snapshot.json");
    let out = run(tenet_in(dir.path()).args([
        "evaluate",
        &snapshot.display().to_string(),
        "--controls",
        "custom.*",
        "--format",
        "json",
    ]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let custom: Vec<&serde_json::Value> = report["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .filter(|c| c["id"].as_str().is_some_and(|id| id.starts_with("custom.")))
        .collect();
    insta::assert_json_snapshot!(custom);

    // SARIF and OCSF carry the custom control's own rationale and references.
    let out = run(tenet_in(dir.path()).args([
        "evaluate",
        &snapshot.display().to_string(),
        "--controls",
        "custom.aws.break-glass-console-users",
        "--format",
        "sarif",
    ]));
    let sarif: serde_json::Value = serde_json::from_str(&out.stdout).expect("sarif");
    let rule = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .and_then(|rules| {
            rules
                .iter()
                .find(|rule| rule["id"] == "custom.aws.break-glass-console-users")
        })
        .expect("the custom control is a SARIF rule");
    insta::assert_snapshot!(
        "custom_sarif_rule_help",
        rule["help"]["text"].as_str().unwrap_or_default()
    );
    let out = run(tenet_in(dir.path()).args([
        "evaluate",
        &snapshot.display().to_string(),
        "--controls",
        "custom.aws.break-glass-console-users",
        "--format",
        "ocsf",
    ]));
    let ocsf: serde_json::Value =
        serde_json::from_str(out.stdout.lines().next().unwrap_or_default()).expect("ocsf");
    assert_eq!(
        ocsf["compliance"]["requirements"],
        serde_json::json!([
            "SOC 2 (2017 TSC) CC6.1",
            "Acme Access Control Standard AC-7"
        ]),
        "{ocsf:#}"
    );

    // `controls` and `explain` read the policy's control_paths too.
    let out = run(tenet_in(dir.path()).args(["explain", "custom.aws.bucket-owner-tag"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with(
            "custom.aws.bucket-owner-tag — Every S3 bucket names its owning team in a tag\n"
        ),
        "{}",
        out.stdout
    );
    let out = run(tenet_in(dir.path()).args(["controls", "--format", "json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("\"id\": \"custom.github.prod-no-outside-collaborators\"")
    );

    let out = run(tenet_in(dir.path()).args(["validate"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("of 80 controls on"),
        "the three custom controls are counted: {}",
        out.stdout
    );
}

#[test]
fn broken_custom_controls_are_every_problem_at_once_and_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let controls = dir.path().join("controls");
    std::fs::create_dir(&controls).expect("dir");
    std::fs::write(
        controls.join("custom.repo.rule.toml"),
        "id = \"custom.repo.rule\"\ntitle = \"t\"\npillar = \"least-privilege\"\nseverty = \"high\"\n",
    )
    .expect("written");
    std::fs::write(
        controls.join("custom.repo.rule.rego"),
        "package x\nfindings contains 1 if {\n",
    )
    .expect("written");
    std::fs::write(controls.join("custom.other.rego"), "package y\n").expect("written");
    let snapshot = root().join("fixtures/demo/snapshot.json");
    let out = run(tenet_in(dir.path()).args([
        "evaluate",
        &snapshot.display().to_string(),
        "--control-path",
        "controls",
    ]));
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn tenet_test_runs_the_tests_of_the_custom_controls() {
    let out = run(crate::tenet().args(["test", "rules/examples"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);

    // A test that fails makes the run fail, naming it.
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(root().join("rules/examples")).expect("examples") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copied");
    }
    std::fs::write(
        dir.path().join("custom.broken_test.rego"),
        "package broken_test\n\nimport data.acme.github.prod_collaborators\n\ntest_everything_passes if {\n\tcount(prod_collaborators.findings) == 1 with input as {\"github\": []}\n}\n",
    )
    .expect("written");
    let out = run(tenet_in(dir.path()).args(["test", "."]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("FAIL   ./custom.broken_test.rego: broken_test.test_everything_passes\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.ends_with("10 passed, 1 failed\n"),
        "{}",
        out.stdout
    );
}
