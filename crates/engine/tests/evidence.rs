//! Every finding carries the facts it was judged on: a pass, a failure or a
//! waived failure without evidence is a finding an auditor cannot check.
//! Checked on every snapshot fixture of the repository, with every control
//! the catalog has turned on.

mod common;

use tenet_engine::{Policy, Status, evaluate};
use tenet_inventory::Snapshot;

/// A policy that turns every control of the catalog on.
fn everything() -> Policy {
    let text: String = tenet_rules::catalog()
        .controls()
        .iter()
        .map(|control| format!("[controls.\"{}\"]\nenabled = true\n", control.meta.id))
        .collect();
    Policy::parse(&text, "everything.toml").expect("a valid policy")
}

#[test]
fn every_judged_finding_carries_evidence() {
    let policy = everything();
    let mut bare = Vec::new();
    for path in common::fixtures() {
        let Ok(snapshot) = Snapshot::load(&path) else {
            continue;
        };
        let report = evaluate(&snapshot, &policy, snapshot.collected_at.date_naive());
        for control in &report.controls {
            for finding in &control.findings {
                let judged = matches!(finding.status, Status::Pass | Status::Fail | Status::Waived);
                if judged && finding.evidence.is_empty() {
                    bare.push(format!(
                        "{}: {} {} {}",
                        path.file_name().unwrap_or_default().to_string_lossy(),
                        control.id,
                        finding.status.as_str(),
                        finding.resource.id
                    ));
                }
            }
        }
    }
    bare.sort();
    assert!(
        bare.is_empty(),
        "findings without evidence:\n{}",
        bare.join("\n")
    );
}
