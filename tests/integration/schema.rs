//! `tenet schema`, the committed schema file, and reports validated by it.

use crate::{root, run, tenet};

#[test]
fn schema_matches_the_committed_file() {
    let out = run(tenet().arg("schema"));
    assert_eq!(out.code, 0);
    let committed = std::fs::read_to_string(root().join("schemas/report-v1.schema.json"))
        .expect("schemas/report-v1.schema.json exists");
    assert!(
        out.stdout == committed,
        "schemas/report-v1.schema.json is stale: run `cargo run -- schema > schemas/report-v1.schema.json`"
    );
}

#[test]
fn json_reports_validate_against_the_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&run(tenet().arg("schema")).stdout).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema is a valid JSON Schema");
    for args in [
        vec!["demo", "--format", "json"],
        vec![
            "evaluate",
            "fixtures/rules/mfa/unavailable.json",
            "--config",
            "fixtures/evaluate/scope-and-waivers.toml",
            "--format",
            "json",
        ],
    ] {
        let report: serde_json::Value =
            serde_json::from_str(&run(tenet().args(&args)).stdout).expect("report is JSON");
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
    }
}

#[test]
fn help_is_up_to_date() {
    let out = run(tenet().arg("--help"));
    assert_eq!(out.code, 0);
    insta::assert_snapshot!("help", out.stdout);
    let out = run(tenet().args(["evaluate", "--help"]));
    insta::assert_snapshot!("evaluate_help", out.stdout);
}
