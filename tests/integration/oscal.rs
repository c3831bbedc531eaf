//! `--format oscal`: NIST OSCAL assessment results, validated against NIST's
//! published schema (`schemas/nist-oscal/`, from a registry package by
//! `scripts/regen-oscal-schema`), checked for what the schema cannot check
//! (unique UUIDs, every reference resolved, conclusions that fail closed)
//! and loaded by a real OSCAL consumer, compliance-trestle (its models come
//! from NIST's OSCAL 1.1.3 schemas), through `scripts/check-oscal`.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
};

use serde_json::Value;

use crate::{root, run, tenet, tenet_in};

/// NIST's OSCAL assessment-results schema, compiled.
fn nist_schema() -> jsonschema::Validator {
    let path = root().join("schemas/nist-oscal/oscal_assessment-results_schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("the vendored NIST schema"))
            .expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("NIST's schema compiles")
}

/// Asserts `document` is valid under NIST's schema.
fn assert_valid(document: &Value) {
    let validator = nist_schema();
    let errors: Vec<String> = validator
        .iter_errors(document)
        .take(20)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// Every value of a key named `key`, anywhere in `value`.
fn values_of<'a>(value: &'a Value, key: &str, out: &mut Vec<&'a Value>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == key {
                    out.push(v);
                }
                values_of(v, key, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| values_of(item, key, out)),
        _ => {}
    }
}

fn strings<'a>(value: &'a Value, key: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    values_of(value, key, &mut out);
    out.into_iter().filter_map(Value::as_str).collect()
}

/// What the schema cannot check: each UUID defined once, and every
/// reference naming one defined in the right place.
fn assert_linked(document: &Value) {
    let ar = &document["assessment-results"];
    let result = &ar["results"][0];
    let defined = strings(document, "uuid");
    let unique: BTreeSet<&str> = defined.iter().copied().collect();
    assert_eq!(unique.len(), defined.len(), "a UUID is defined twice");
    let ids = |list: &Value| -> BTreeSet<String> {
        list.as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| item["uuid"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let observations = ids(&result["observations"]);
    let risks = ids(&result["risks"]);
    let items = ids(&result["local-definitions"]["inventory-items"]);
    let parties = ids(&ar["metadata"]["parties"]);
    for (key, targets) in [
        ("observation-uuid", &observations),
        ("risk-uuid", &risks),
        ("subject-uuid", &items),
        ("party-uuid", &parties),
    ] {
        for reference in strings(document, key) {
            assert!(
                targets.contains(reference),
                "{key} {reference} is defined nowhere"
            );
        }
    }
    let plan = ar["import-ap"]["href"].as_str().expect("an import-ap href");
    let resources = ids(&ar["back-matter"]["resources"]);
    assert!(
        plan.strip_prefix('#')
            .is_some_and(|uuid| resources.contains(uuid)),
        "import-ap {plan} names no back-matter resource"
    );
}

/// The value of the tenet property `name` of an OSCAL object.
fn prop<'a>(object: &'a Value, name: &str) -> Option<&'a str> {
    object["props"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == name)
        .and_then(|p| p["value"].as_str())
}

fn demo(format: &str, extra: &[&str]) -> String {
    let out = run(tenet().args(["demo", "--format", format]).args(extra));
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

/// The conclusion OSCAL must give an objective whose tenet controls have
/// these statuses: satisfied only when every judged one passes.
fn expected_state(statuses: &[&str]) -> Option<(&'static str, &'static str)> {
    let judged: Vec<&str> = statuses
        .iter()
        .copied()
        .filter(|s| *s != "skipped")
        .collect();
    if judged.is_empty() {
        None
    } else if judged.contains(&"fail") || judged.contains(&"waived") && !judged.contains(&"error") {
        Some(("not-satisfied", "fail"))
    } else if judged.contains(&"error") {
        Some(("not-satisfied", "other"))
    } else {
        Some(("satisfied", "pass"))
    }
}

#[test]
fn the_demo_validates_against_nists_schema_and_links_what_it_names() {
    let document: Value = serde_json::from_str(&demo("oscal", &[])).expect("OSCAL is JSON");
    assert_valid(&document);
    assert_linked(&document);
    let ar = &document["assessment-results"];
    assert_eq!(ar["metadata"]["oscal-version"], "1.1.3");
    let report: Value = serde_json::from_str(&demo("json", &[])).expect("JSON report");
    let result = &ar["results"][0];

    // One observation per evaluated control × resource (the passing items
    // of a population control summed up per repository), one risk per
    // waived failure, with its owner and expiry.
    let findings: Vec<(&Value, &Value)> = report["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .flat_map(|c| {
            c["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .map(move |f| (c, f))
        })
        .collect();
    let evaluated = findings
        .iter()
        .filter(|(_, f)| f["status"] != "skipped")
        .count();
    let summed: Vec<(&str, &str)> = findings
        .iter()
        .filter(|(c, f)| c["population"].is_string() && f["status"] == "pass")
        .map(|(c, f)| {
            let id = f["resource"].as_str().expect("resource");
            (
                c["id"].as_str().expect("id"),
                id.rsplit_once(':').map_or(id, |(scope, _)| scope),
            )
        })
        .collect();
    let scopes: std::collections::BTreeSet<&(&str, &str)> = summed.iter().collect();
    assert_eq!(
        (summed.len(), scopes.len()),
        (10, 5),
        "the demo's passing changes of two controls, in two repositories, and passing deployments, in one"
    );
    let observations = result["observations"].as_array().expect("observations");
    assert_eq!(observations.len(), evaluated - summed.len() + scopes.len());
    let api = observations
        .iter()
        .find(|o| {
            prop(o, "control") == Some("github.changes.two-person-review")
                && o["subjects"][0]["title"] == "github:acme-corp/api"
        })
        .expect("the passing changes of api, summed up");
    assert_eq!(prop(api, "population-size"), Some("3"));
    let waived: Vec<&(&Value, &Value)> = findings
        .iter()
        .filter(|(_, f)| f["status"] == "waived")
        .collect();
    let allowlisted = findings
        .iter()
        .filter(|(_, f)| f["evidence"].get("allowlisted_by").is_some())
        .count();
    let risks = result["risks"].as_array().expect("risks");
    assert_eq!(risks.len(), waived.len() + allowlisted);
    let (control, finding) = waived[0];
    let risk = risks
        .iter()
        .find(|risk| prop(risk, "exception") == Some("waiver"))
        .expect("the waiver's risk");
    assert_eq!(risk["status"], "deviation-approved");
    assert_eq!(prop(risk, "control"), control["id"].as_str());
    assert_eq!(
        prop(risk, "exception-owner"),
        finding["waiver"]["owner"].as_str()
    );
    let expires = finding["waiver"]["expires"].as_str().expect("expiry");
    assert_eq!(risk["deadline"], format!("{expires}T23:59:59Z"));
    // Dated at its approval, which the policy records.
    let approved = finding["waiver"]["approved"].as_str().expect("approved");
    assert_eq!(
        risk["risk-log"]["entries"][0]["start"],
        format!("{approved}T00:00:00Z")
    );
    assert_eq!(prop(risk, "exception-ticket"), Some("SEC-142"));
    // An allow-listed pass without an expiry has no deadline.
    let bare = risks
        .iter()
        .find(|risk| {
            prop(risk, "exception") == Some("allow-list")
                && prop(risk, "control") == Some("aws.iam.no-privilege-escalation")
        })
        .expect("the bare entry's risk");
    assert_eq!(bare.get("deadline"), None);

    // Every finding concludes as the statuses of the controls behind it
    // demand: per tenet control, and per framework criterion from the
    // controls' references.
    let key_of = |name: &str| match name {
        n if n.starts_with("SOC 2") => "soc2",
        n if n.starts_with("ISO/IEC 27001") => "iso27001",
        n if n.starts_with("NIST SP 800-53") => "nist-800-53",
        n if n.starts_with("CIS AWS") => "cis-aws",
        n if n.starts_with("CIS GitHub") => "cis-github",
        _ => "other",
    };
    let mut statuses: BTreeMap<(String, String), Vec<&str>> = BTreeMap::new();
    for control in report["controls"].as_array().expect("controls") {
        let status = control["status"].as_str().expect("status");
        let id = control["id"].as_str().expect("id");
        statuses
            .entry(("tenet".into(), id.into()))
            .or_default()
            .push(status);
        for reference in control["references"].as_array().into_iter().flatten() {
            let key = key_of(reference["framework"].as_str().expect("framework"));
            if key == "other" {
                // A framework without a catalog has no OSCAL findings.
                continue;
            }
            let criterion = reference["id"].as_str().expect("id");
            statuses
                .entry((key.into(), criterion.into()))
                .or_default()
                .push(status);
        }
    }
    let expected: BTreeMap<(String, String), (&str, &str)> = statuses
        .iter()
        .filter_map(|(key, statuses)| Some((key.clone(), expected_state(statuses)?)))
        .collect();
    let mut seen = BTreeMap::new();
    for finding in result["findings"].as_array().expect("findings") {
        let key = (
            prop(finding, "catalog").expect("catalog").to_owned(),
            prop(finding, "criterion").expect("criterion").to_owned(),
        );
        let status = &finding["target"]["status"];
        let state = (
            status["state"].as_str().expect("state"),
            status["reason"].as_str().expect("reason"),
        );
        assert_eq!(Some(&state), expected.get(&key), "{key:?}");
        *seen.entry(state).or_insert(0) += 1;
    }
    assert_eq!(
        seen.values().sum::<usize>(),
        expected.len(),
        "one finding per objective"
    );
    for state in [
        ("satisfied", "pass"),
        ("not-satisfied", "fail"),
        ("not-satisfied", "other"),
    ] {
        assert!(
            seen.contains_key(&state),
            "the demo has a {state:?} finding"
        );
    }
}

#[test]
fn framework_limits_the_catalogs_and_ids_follow_nists_catalog() {
    let document: Value =
        serde_json::from_str(&demo("oscal", &["--framework", "nist-800-53"])).expect("JSON");
    assert_valid(&document);
    let selections =
        &document["assessment-results"]["results"][0]["reviewed-controls"]["control-selections"];
    let catalogs: Vec<&str> = selections
        .as_array()
        .expect("selections")
        .iter()
        .filter_map(|s| prop(s, "catalog"))
        .collect();
    assert_eq!(catalogs, ["nist-800-53", "tenet"]);
    let ids = strings(&selections[0], "control-id");
    // NIST's OSCAL catalog writes AC-2(1) as ac-2.1.
    assert!(ids.contains(&"ia-2.1"), "{ids:?}");
    assert!(
        ids.iter()
            .all(|id| id.chars().all(|c| !c.is_uppercase() && c != '('))
    );
}

/// The Python of `scripts/tools`' virtual environment (compliance-trestle
/// installed), or `None` with a note when a developer runs the tests
/// without it. In CI a missing interpreter fails the test.
#[allow(clippy::print_stderr)]
fn trestle_python() -> Option<String> {
    match std::env::var("TENET_TEST_PYTHON") {
        Ok(python) if !python.is_empty() => Some(python),
        _ if std::env::var_os("CI").is_some() => {
            panic!("TENET_TEST_PYTHON is unset in CI: scripts/test sets it")
        }
        _ => {
            eprintln!("note: skipped: TENET_TEST_PYTHON is unset (scripts/test sets it)");
            None
        }
    }
}

/// What compliance-trestle read from the OSCAL document at `path`.
fn trestle_reads(python: &str, path: &Path) -> Value {
    let output = std::process::Command::new(python)
        .arg(root().join("scripts/check-oscal"))
        .arg(path)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "compliance-trestle refused it: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("check-oscal prints JSON")
}

#[test]
fn compliance_trestle_loads_the_demo() {
    let Some(python) = trestle_python() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let text = demo("oscal", &[]);
    let path = dir.path().join("demo.oscal.json");
    std::fs::write(&path, &text).expect("written");
    let document: Value = serde_json::from_str(&text).expect("JSON");
    let result = &document["assessment-results"]["results"][0];
    let count = |key: &str| result[key].as_array().map_or(0, Vec::len);
    let not_satisfied = result["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["target"]["status"]["state"] == "not-satisfied")
        .count();
    assert_eq!(
        trestle_reads(&python, &path),
        serde_json::json!({
            "trestle_oscal_version": "1.1.3",
            "oscal_version": "1.1.3",
            "results": 1,
            "observations": count("observations"),
            "findings": count("findings"),
            "not_satisfied": not_satisfied,
            "risks": count("risks"),
            "inventory_items": result["local-definitions"]["inventory-items"]
                .as_array()
                .map_or(0, Vec::len),
        })
    );
    // A document trestle refuses fails the check: the check can fail.
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        text.replace("\"oscal-version\"", "\"oscal-versions\""),
    )
    .expect("written");
    let output = std::process::Command::new(&python)
        .arg(root().join("scripts/check-oscal"))
        .arg(&bad)
        .output()
        .expect("python runs");
    assert!(!output.status.success());
}

/// A saved report with outside text in every field OSCAL carries renders
/// to a document NIST's schema accepts (titles stay one line, property
/// values one trimmed line) and trestle loads, with the evidence's exact
/// text kept in its JSON property.
#[test]
fn outside_text_keeps_the_document_valid_and_exact() {
    let dir = tempfile::tempdir().expect("temp dir");
    let payload = " \u{1b}[31m::warning::x\r\n| `a` [l](https://evil.example) <b> \u{202e} ";
    let mut report: Value = serde_json::from_str(&demo("json", &[])).expect("JSON");
    for control in report["controls"].as_array_mut().expect("controls") {
        for finding in control["findings"].as_array_mut().expect("findings") {
            finding["resource"] = Value::from(format!(
                "{}{payload}",
                finding["resource"].as_str().unwrap_or_default()
            ));
            finding["message"] = Value::from(payload);
            finding["evidence"]["hostile"] = Value::from(payload);
            if let Some(waiver) = finding.get_mut("waiver") {
                waiver["owner"] = Value::from(payload);
                waiver["reason"] = Value::from(payload);
            }
        }
    }
    std::fs::write(dir.path().join("hostile.json"), report.to_string()).expect("written");
    let out = run(tenet_in(dir.path()).args(["render", "hostile.json", "--format", "oscal"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let document: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_valid(&document);
    assert_linked(&document);
    let exact = strings(&document, "value")
        .into_iter()
        .filter_map(|v| serde_json::from_str::<Value>(v).ok())
        .any(|v| v["hostile"] == payload);
    assert!(
        exact,
        "the evidence's exact text is in its evidence-json property"
    );
    if let Some(python) = trestle_python() {
        let path = dir.path().join("hostile.oscal.json");
        std::fs::write(&path, &out.stdout).expect("written");
        assert_eq!(trestle_reads(&python, &path)["results"], 1);
    }
}

/// A run that judged nothing (every control skipped) still writes a valid
/// document: the policy's controls were reviewed, none is concluded on.
#[test]
fn a_run_that_judged_nothing_is_valid_with_no_finding() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut report: Value = serde_json::from_str(&demo("json", &[])).expect("JSON");
    for control in report["controls"].as_array_mut().expect("controls") {
        control["status"] = "skipped".into();
        control["findings"] = serde_json::json!([]);
    }
    std::fs::write(dir.path().join("nothing.json"), report.to_string()).expect("written");
    let out = run(tenet_in(dir.path()).args(["render", "nothing.json", "--format", "oscal"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let document: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_valid(&document);
    assert_linked(&document);
    let result = &document["assessment-results"]["results"][0];
    assert_eq!(result.get("findings"), None);
    assert_eq!(result.get("observations"), None);
    let selections = result["reviewed-controls"]["control-selections"]
        .as_array()
        .expect("selections");
    assert_eq!(selections.len(), 1);
    assert_eq!(
        selections[0]["include-controls"].as_array().map(Vec::len),
        report["controls"].as_array().map(Vec::len)
    );
}
