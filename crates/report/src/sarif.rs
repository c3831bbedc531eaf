//! SARIF 2.1.0, for GitHub code scanning (and any other SARIF consumer).
//!
//! One rule per control (its title, rationale, remediation and framework
//! references as help, `security-severity` from its severity) and one result
//! per failing or undetermined finding. A report has no source file, so every
//! result is located in the policy file — at the line of the expired waiver
//! that no longer covers it, or of the attestation, else line 1 — and names its resource as a
//! logical location and in its message. `partialFingerprints` carries a hash
//! of control id × resource id so alerts track across runs.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;
use tenet_engine::{ControlResult, Finding, Report, Status};
use tenet_rules::Severity;

use crate::{evidence, fingerprint::finding_fingerprint};

/// The `$schema` of the document: the OASIS SARIF 2.1.0 schema.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// The key of tenet's own fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "tenetFinding/v1";
/// Where results point when the policy is the built-in defaults.
const DEFAULT_POLICY_URI: &str = "tenet.toml";

/// The numeric `security-severity` GitHub derives an alert's severity from.
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// The SARIF level of a failure of a control of this severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// Renders a report as a SARIF 2.1.0 log (pretty JSON, trailing newline).
/// Deterministic: rules follow the report's control order, results its
/// finding order.
pub fn render(report: &Report) -> String {
    let log = Log::from(report);
    // Serialization cannot fail: every map key is a string.
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
struct Run {
    tool: Tool,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    semantic_version: String,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    properties: ResultProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties {
    resource: String,
    resource_kind: String,
    status: &'static str,
    severity: &'static str,
    evidence: BTreeMap<String, Value>,
}

impl From<&Report> for Log {
    fn from(report: &Report) -> Self {
        let uri = policy_uri(&report.policy);
        let uri = uri.as_str();
        let results = report
            .controls
            .iter()
            .enumerate()
            .flat_map(|(index, control)| {
                control
                    .findings
                    .iter()
                    .filter(|finding| matches!(finding.status, Status::Fail | Status::Error))
                    .map(move |finding| result(index, control, finding, &report.policy, uri))
            })
            .collect();
        Log {
            schema: SCHEMA_URI,
            version: "2.1.0",
            runs: vec![Run {
                tool: Tool {
                    driver: Driver {
                        name: "tenet",
                        semantic_version: report.tenet_version.clone(),
                        rules: report.controls.iter().map(rule).collect(),
                    },
                },
                results,
            }],
        }
    }
}

/// The policy file as a URI reference relative to the repository root.
fn policy_uri(policy: &str) -> String {
    if policy == tenet_engine::BUILT_IN_POLICY {
        return DEFAULT_POLICY_URI.to_owned();
    }
    crate::uri::path_reference(policy)
}

fn rule(control: &ControlResult) -> Rule {
    let rationale = Some(control.rationale.trim().to_owned()).filter(|r| !r.is_empty());
    let references: Vec<String> = control
        .references
        .iter()
        .map(|r| match &r.url {
            Some(url) => format!("{} {} ({url})", r.framework, r.id),
            None => format!("{} {}", r.framework, r.id),
        })
        .collect();
    let mut text = String::new();
    let mut markdown = String::new();
    if let Some(rationale) = &rationale {
        text.push_str(&format!("Why: {rationale}\n\n"));
        markdown.push_str(&format!("**Why.** {rationale}\n\n"));
    }
    let remediation = control.remediation.trim();
    text.push_str(&format!("Remediation: {remediation}"));
    markdown.push_str(&format!("**Remediation.** {remediation}"));
    if !references.is_empty() {
        text.push_str(&format!("\n\nReferences: {}", references.join("; ")));
        markdown.push_str("\n\n**References.**\n");
        for reference in &references {
            markdown.push_str(&format!("\n- {reference}"));
        }
    }
    text.push_str(&format!("\n\nMore: tenet explain {}", control.id));
    markdown.push_str(&format!("\n\nMore: `tenet explain {}`", control.id));
    Rule {
        id: control.id.clone(),
        name: control.id.clone(),
        short_description: Text {
            text: control.title.clone(),
        },
        full_description: Text {
            text: rationale.unwrap_or_else(|| control.title.clone()),
        },
        help: Help { text, markdown },
        default_configuration: Configuration {
            level: level(control.severity),
        },
        properties: RuleProperties {
            tags: vec![
                "security".into(),
                "compliance".into(),
                control.pillar.as_str().into(),
                control.severity.as_str().into(),
            ],
            security_severity: security_severity(control.severity),
        },
    }
}

fn result(
    index: usize,
    control: &ControlResult,
    finding: &Finding,
    policy: &str,
    uri: &str,
) -> SarifResult {
    let resource = &finding.resource.id;
    let (level, mut text) = match finding.status {
        Status::Error => (
            "warning",
            format!("{resource} (undetermined): {}", finding.message),
        ),
        _ => (
            level(control.severity),
            format!("{resource}: {}", finding.message),
        ),
    };
    let line = evidence::policy_line(finding);
    if let Some(waiver) = &finding.expired_waiver {
        text.push_str(&format!(
            " (the waiver at {policy}:{} expired on {})",
            waiver.line, waiver.expires
        ));
    }
    SarifResult {
        rule_id: control.id.clone(),
        rule_index: index,
        level,
        message: Text { text },
        locations: vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri.to_owned(),
                },
                region: Region { start_line: line },
            },
            logical_locations: vec![LogicalLocation {
                name: resource.clone(),
                fully_qualified_name: resource.clone(),
                kind: "resource",
            }],
        }],
        partial_fingerprints: BTreeMap::from([(
            FINGERPRINT_KEY,
            finding_fingerprint(&control.id, resource),
        )]),
        properties: ResultProperties {
            resource: resource.clone(),
            resource_kind: finding.resource.kind.clone(),
            status: finding.status.as_str(),
            severity: control.severity.as_str(),
            evidence: finding.evidence.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::policy_uri;

    #[test]
    fn policy_uri_is_relative_and_escaped() {
        assert_eq!(policy_uri("(built-in defaults)"), "tenet.toml");
        assert_eq!(
            policy_uri("policies\\prod tenet.toml"),
            "policies/prod%20tenet.toml"
        );
        assert_eq!(policy_uri("tenet.toml"), "tenet.toml");
    }
}
