//! OCSF (Open Cybersecurity Schema Framework) 1.3: one Compliance Finding
//! event (class 2003) per finding, passing ones included, as JSON Lines —
//! one event per line — for SIEMs and security data lakes.
//!
//! The compliance status is the finding's (pass 1, fail 3, undetermined 0
//! "Unknown", skipped 99 "Other"); a waived finding is a failure whose
//! finding status is 3 "Suppressed". `finding_info.uid` is the stable
//! fingerprint of control × resource; tenet's own status, evidence and
//! waiver are under `unmapped.tenet`.

use std::{collections::BTreeMap, fmt::Write};

use serde::Serialize;
use serde_json::Value;
use tenet_engine::{ControlResult, Finding, Report, Status};
use tenet_rules::Severity;

use crate::fingerprint::finding_fingerprint;

/// The OCSF schema version the events follow.
pub const OCSF_VERSION: &str = "1.3.0";
/// The Compliance Finding class.
pub const CLASS_UID: u32 = 2003;

/// Renders every finding as one OCSF event per line.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for control in &report.controls {
        for finding in &control.findings {
            let event = event(report, control, finding);
            // Serialization cannot fail: every map key is a string.
            let _ = writeln!(out, "{}", serde_json::to_string(&event).unwrap_or_default());
        }
    }
    out
}

#[derive(Serialize)]
struct Event {
    activity_id: u8,
    activity_name: &'static str,
    category_uid: u8,
    category_name: &'static str,
    class_uid: u32,
    class_name: &'static str,
    type_uid: u32,
    type_name: &'static str,
    severity_id: u8,
    severity: &'static str,
    status_id: u8,
    status: &'static str,
    time: i64,
    message: String,
    metadata: Metadata,
    finding_info: FindingInfo,
    compliance: Compliance,
    resources: Vec<ResourceDetails>,
    remediation: Remediation,
    unmapped: Unmapped,
}

#[derive(Serialize)]
struct Metadata {
    version: &'static str,
    product: Product,
}

#[derive(Serialize)]
struct Product {
    name: &'static str,
    vendor_name: &'static str,
    version: String,
}

#[derive(Serialize)]
struct FindingInfo {
    uid: String,
    title: String,
    desc: String,
    types: Vec<&'static str>,
}

#[derive(Serialize)]
struct Compliance {
    control: String,
    standards: Vec<String>,
    requirements: Vec<String>,
    status_id: u8,
    status: &'static str,
    status_detail: String,
}

#[derive(Serialize)]
struct ResourceDetails {
    uid: String,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Serialize)]
struct Remediation {
    desc: String,
}

#[derive(Serialize)]
struct Unmapped {
    tenet: TenetDetails,
}

#[derive(Serialize)]
struct TenetDetails {
    status: &'static str,
    pillar: &'static str,
    policy: String,
    evidence: BTreeMap<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<WaiverDetails>,
}

#[derive(Serialize)]
struct WaiverDetails {
    line: usize,
    owner: String,
    reason: String,
    expires: String,
}

fn severity(severity: Severity) -> (u8, &'static str) {
    match severity {
        Severity::Low => (2, "Low"),
        Severity::Medium => (3, "Medium"),
        Severity::High => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}

fn compliance_status(status: Status) -> (u8, &'static str) {
    match status {
        Status::Pass => (1, "Pass"),
        Status::Fail | Status::Waived => (3, "Fail"),
        Status::Error => (0, "Unknown"),
        Status::Skipped => (99, "Skipped"),
    }
}

fn event(report: &Report, control: &ControlResult, finding: &Finding) -> Event {
    let (severity_id, severity_name) = severity(control.severity);
    let (status_id, status) = if finding.status == Status::Waived {
        (3, "Suppressed")
    } else {
        (1, "New")
    };
    let (compliance_id, compliance_name) = compliance_status(finding.status);
    let mut standards: Vec<String> = control
        .references
        .iter()
        .map(|r| r.framework.clone())
        .collect();
    standards.dedup();
    if standards.is_empty() {
        standards.push("tenet policy".into());
    }
    Event {
        activity_id: 1,
        activity_name: "Create",
        category_uid: 2,
        category_name: "Findings",
        class_uid: CLASS_UID,
        class_name: "Compliance Finding",
        type_uid: CLASS_UID * 100 + 1,
        type_name: "Compliance Finding: Create",
        severity_id,
        severity: severity_name,
        status_id,
        status,
        time: report.snapshot.collected_at.timestamp_millis(),
        message: format!("{}: {}", finding.resource.id, finding.message),
        metadata: Metadata {
            version: OCSF_VERSION,
            product: Product {
                name: "tenet",
                vendor_name: "tenet",
                version: report.tenet_version.clone(),
            },
        },
        finding_info: FindingInfo {
            uid: finding_fingerprint(&control.id, &finding.resource.id),
            title: control.title.clone(),
            desc: finding.message.clone(),
            types: vec![control.pillar.as_str()],
        },
        compliance: Compliance {
            control: control.id.clone(),
            standards,
            requirements: control
                .references
                .iter()
                .map(|r| format!("{} {}", r.framework, r.id))
                .collect(),
            status_id: compliance_id,
            status: compliance_name,
            status_detail: finding.message.clone(),
        },
        resources: vec![ResourceDetails {
            uid: finding.resource.id.clone(),
            kind: finding.resource.kind.clone(),
        }],
        remediation: Remediation {
            desc: control.remediation.trim().to_owned(),
        },
        unmapped: Unmapped {
            tenet: TenetDetails {
                status: finding.status.as_str(),
                pillar: control.pillar.as_str(),
                policy: report.policy.clone(),
                evidence: finding.evidence.clone(),
                waiver: finding.waiver.as_ref().map(|w| WaiverDetails {
                    line: w.line,
                    owner: w.owner.clone(),
                    reason: w.reason.clone(),
                    expires: w.expires.to_string(),
                }),
            },
        },
    }
}
