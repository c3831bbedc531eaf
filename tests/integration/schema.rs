//! `tenet schema`, the committed schema files, and reports and snapshots
//! validated by them.

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
fn snapshot_schema_matches_the_committed_file() {
    let out = run(tenet().args(["schema", "snapshot"]));
    assert_eq!(out.code, 0);
    let committed = std::fs::read_to_string(root().join("schemas/snapshot-v2.schema.json"))
        .expect("schemas/snapshot-v2.schema.json exists");
    assert!(
        out.stdout == committed,
        "schemas/snapshot-v2.schema.json is stale: run `cargo run -- schema snapshot > schemas/snapshot-v2.schema.json`"
    );
}

/// Every snapshot the tests use, the demo's included, is valid by the
/// schema, and each mutation the loader refuses is invalid by it too: the
/// schema says what the files are, not more and not less.
#[test]
fn snapshots_validate_against_the_snapshot_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&run(tenet().args(["schema", "snapshot"])).stdout)
            .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema is a valid JSON Schema");
    let mut checked = 0;
    for dir in ["fixtures/demo", "fixtures/evaluate", "fixtures/rules"] {
        for path in json_files(&root().join(dir)) {
            let text = std::fs::read_to_string(&path).expect("fixture is readable");
            let json: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
            if json.get("schema_version") != Some(&serde_json::json!(2)) {
                continue;
            }
            let errors: Vec<String> = validator
                .iter_errors(&json)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} snapshots found");

    let demo: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("fixtures/demo/snapshot.json")).expect("demo"),
    )
    .expect("demo is JSON");
    for (what, pointer, value) in [
        (
            "an unknown key",
            "/github/0/surprise",
            serde_json::json!(true),
        ),
        (
            "a fact neither known nor unavailable",
            "/github/0/two_factor_requirement_enabled",
            serde_json::json!(true),
        ),
        (
            "an unavailable fact without reason",
            "/github/0/two_factor_requirement_enabled",
            serde_json::json!({"unavailable": {}}),
        ),
        (
            "a nullable key made absent",
            "/github/0/repositories/known/0/default_branch",
            serde_json::Value::Null,
        ),
    ] {
        let mut mutated = demo.clone();
        if value.is_null() {
            let (parent, key) = pointer.rsplit_once('/').expect("pointer has a parent");
            mutated
                .pointer_mut(parent)
                .and_then(serde_json::Value::as_object_mut)
                .and_then(|object| object.remove(key))
                .unwrap_or_else(|| panic!("{pointer} is in the demo snapshot"));
        } else {
            let (parent, key) = pointer.rsplit_once('/').expect("pointer has a parent");
            mutated
                .pointer_mut(parent)
                .and_then(serde_json::Value::as_object_mut)
                .unwrap_or_else(|| panic!("{parent} is in the demo snapshot"))
                .insert(key.to_owned(), value);
        }
        assert!(!validator.is_valid(&mutated), "{what} passed the schema");
        assert!(
            serde_json::from_value::<tenet_inventory::Snapshot>(mutated).is_err(),
            "{what} passed the loader"
        );
    }
}

fn json_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)
        .expect("fixture directory exists")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            files.extend(json_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "json") {
            files.push(path);
        }
    }
    files.sort();
    files
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
