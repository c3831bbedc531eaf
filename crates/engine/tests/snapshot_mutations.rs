//! The README's promise, as a property: a snapshot that lost a key, or whose
//! value changed type, is refused, or evaluates so that nothing that failed
//! or erred on the original now passes. For every snapshot fixture, every
//! key is removed in turn and every value retyped; each mutant must be
//! refused by the loader or keep every failing and erring finding failing
//! or erring (or, when the finding's resource is gone, its control erring).

mod common;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::Value;
use tenet_engine::{Policy, Status, evaluate};
use tenet_inventory::Snapshot;

/// `(control, resource) → status` of every finding, and the controls that
/// report an error on some resource.
struct Verdicts {
    findings: BTreeMap<(String, String), Status>,
    erring: Vec<String>,
}

fn verdicts(snapshot: &Snapshot, as_of: NaiveDate) -> Verdicts {
    let report = evaluate(snapshot, &Policy::default(), as_of);
    let mut findings = BTreeMap::new();
    let mut erring = Vec::new();
    for control in &report.controls {
        for finding in &control.findings {
            findings.insert(
                (control.id.clone(), finding.resource.id.clone()),
                finding.status,
            );
            if finding.status == Status::Error {
                erring.push(control.id.clone());
            }
        }
    }
    Verdicts { findings, erring }
}

fn bad(status: Status) -> bool {
    matches!(status, Status::Fail | Status::Error)
}

/// A value of another JSON type.
fn retyped(value: &Value) -> Value {
    match value {
        Value::String(_) => Value::from(7),
        Value::Number(_) | Value::Null => Value::from("7"),
        Value::Bool(_) => Value::from("true"),
        Value::Array(_) => Value::Object(serde_json::Map::new()),
        Value::Object(_) => Value::Array(Vec::new()),
    }
}

/// Every mutant of `value`: each key removed, each value retyped, at every
/// depth, with a description of the change.
/// A change of a snapshot, and what it does.
type Mutant = (String, Box<dyn Fn(&mut Value)>);

fn mutants(value: &Value, path: &str, out: &mut Vec<Mutant>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let at = format!("{path}/{key}");
                if at == "/schema_version" {
                    continue;
                }
                let pointer = at.clone();
                let name = key.clone();
                out.push((
                    format!("remove {at}"),
                    Box::new(move |root: &mut Value| {
                        let parent = pointer.rsplit_once('/').map_or("", |(p, _)| p).to_owned();
                        if let Some(Value::Object(map)) = root.pointer_mut(&parent) {
                            map.remove(&name);
                        }
                    }),
                ));
                let pointer = at.clone();
                let new = retyped(child);
                out.push((
                    format!("retype {at}"),
                    Box::new(move |root: &mut Value| {
                        if let Some(slot) = root.pointer_mut(&pointer) {
                            *slot = new.clone();
                        }
                    }),
                ));
                mutants(child, &at, out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                mutants(child, &format!("{path}/{index}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn a_snapshot_that_lost_a_key_or_changed_a_type_never_turns_a_failure_into_a_pass() {
    let files = common::fixtures();
    assert!(files.len() >= 20, "{files:?}");
    let mut checked = 0;
    let mut problems = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let Ok(original) = Snapshot::from_json(&text, &file) else {
            continue;
        };
        let as_of = original.collected_at.date_naive();
        let before = verdicts(&original, as_of);
        let value: Value = serde_json::from_str(&text).expect("JSON");
        let mut all = Vec::new();
        mutants(&value, "", &mut all);
        for (change, apply) in all {
            let mut mutant = value.clone();
            apply(&mut mutant);
            let Ok(snapshot) = Snapshot::from_json(&mutant.to_string(), &file) else {
                continue;
            };
            checked += 1;
            let after = verdicts(&snapshot, as_of);
            for ((control, resource), status) in &before.findings {
                if !bad(*status) {
                    continue;
                }
                let kept = match after.findings.get(&(control.clone(), resource.clone())) {
                    Some(now) => bad(*now),
                    None => after.erring.contains(control),
                };
                if !kept {
                    problems.push(format!(
                        "{}: {change}: {control} {resource} was {status:?}, now {:?}",
                        file.display(),
                        after.findings.get(&(control.clone(), resource.clone()))
                    ));
                }
            }
        }
    }
    assert!(checked > 0);
    assert!(
        problems.is_empty(),
        "{} mutants turned a failure into a pass:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
