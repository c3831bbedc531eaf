//! Control metadata, read from `crates/rules/controls/<id>.toml`.

use std::{fmt, str::FromStr};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ParamValue;

/// How bad a failure of a control is. Ordered from least to most severe.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Hygiene; fix when convenient.
    Low,
    /// Weakens a control; fix this quarter.
    Medium,
    /// A control is not in place; fix now.
    High,
    /// An attacker's direct path; fix today.
    Critical,
}

impl Severity {
    /// Every severity, least severe first.
    pub const ALL: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The lowercase name used in policy files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|severity| severity.as_str() == s)
            .ok_or_else(|| format!("unknown severity `{s}`"))
    }
}

/// The clause of a written security policy a control belongs to.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Pillar {
    /// "MFA on every system."
    Mfa,
    /// "Every production change is approved by two people."
    ChangeManagement,
    /// "Data in transit only over TLS."
    Tls,
    /// "Customer data is encrypted when stored."
    Encryption,
    /// "Least privilege."
    LeastPrivilege,
    /// "Credentials are rotated; leavers are offboarded."
    Credentials,
    /// "Code and dependencies are scanned for vulnerabilities and secrets."
    VulnerabilityScanning,
    /// "Access to production is logged and the logs are kept."
    Logging,
    /// "We monitor our systems for unusual activity and have automated
    /// alerts."
    Monitoring,
    /// "We maintain current backups of all critical data."
    Backups,
    /// Clauses no API can check, attested by a person.
    Manual,
}

impl Pillar {
    /// The pillar's name for people.
    pub fn title(self) -> &'static str {
        match self {
            Pillar::Mfa => "MFA everywhere",
            Pillar::ChangeManagement => "Two-reviewer production changes",
            Pillar::Tls => "TLS only",
            Pillar::Encryption => "Encryption at rest",
            Pillar::LeastPrivilege => "Least privilege",
            Pillar::Credentials => "Credentials and offboarding",
            Pillar::VulnerabilityScanning => "Vulnerability scanning",
            Pillar::Logging => "Access logging",
            Pillar::Monitoring => "Monitoring and alerts",
            Pillar::Backups => "Backups",
            Pillar::Manual => "Manual controls (attestations)",
        }
    }

    /// The kebab-case identifier used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Pillar::Mfa => "mfa",
            Pillar::ChangeManagement => "change-management",
            Pillar::Tls => "tls",
            Pillar::Encryption => "encryption",
            Pillar::LeastPrivilege => "least-privilege",
            Pillar::Credentials => "credentials",
            Pillar::VulnerabilityScanning => "vulnerability-scanning",
            Pillar::Logging => "logging",
            Pillar::Monitoring => "monitoring",
            Pillar::Backups => "backups",
            Pillar::Manual => "manual",
        }
    }
}

/// A framework requirement a control provides evidence for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// The framework, e.g. `CIS AWS Foundations Benchmark v3.0.0`.
    pub framework: String,
    /// The requirement's id within it, e.g. `1.10`.
    pub id: String,
    /// A link to the requirement, when one is public.
    #[serde(default)]
    pub url: Option<String>,
}

/// The type of a control parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamKind {
    /// A non-negative integer.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// A string.
    String,
    /// A list of strings (often globs).
    StringList,
    /// An allow-list: patterns the control accepts as exceptions, each a
    /// string or a table that records the exception (`pattern`, `reason`,
    /// `owner`, `approver`, `approved`, `ticket`, `expires`). Checks see
    /// the patterns of the entries in force, as a list of strings.
    Allowlist,
}

impl ParamKind {
    /// How the type is named in error messages.
    pub fn describe(self) -> &'static str {
        match self {
            ParamKind::Integer => "a non-negative integer",
            ParamKind::Boolean => "a boolean",
            ParamKind::String => "a string",
            ParamKind::StringList => "a list of strings",
            ParamKind::Allowlist => {
                "a list of patterns, or of tables with a `pattern` and the exception's `reason`, `owner` and optional `approver`, `approved`, `ticket` and `expires`"
            }
        }
    }
}

/// A parameter a policy may set for a control.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamSpec {
    /// The parameter's type.
    #[serde(rename = "type")]
    pub kind: ParamKind,
    /// The value used when the policy does not set one.
    pub default: ParamValue,
    /// What it means, for `tenet explain`.
    pub description: String,
}

fn enabled_by_default() -> bool {
    true
}

/// Everything about a control except its check: what `tenet explain` shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlMeta {
    /// Stable id, `<platform>.<area>.<name>`, e.g. `aws.iam.root-mfa`.
    pub id: String,
    /// One line, stated as the desired state.
    pub title: String,
    /// The policy clause it belongs to.
    pub pillar: Pillar,
    /// Severity of a failure unless the policy overrides it.
    pub severity: Severity,
    /// Whether the control runs when the policy does not mention it. Optional
    /// controls (`false`) run only when the policy sets `enabled = true`.
    #[serde(default = "enabled_by_default")]
    pub default_enabled: bool,
    /// What kind of resource each finding is about, e.g. `IAM user`.
    pub resource: String,
    /// What the control judges one finding per item of, when it judges a
    /// population of events rather than settings (`changes`): the JSON and
    /// CSV reports carry every item, the human reports list the exceptions
    /// and count the passing items per repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<String>,
    /// Why the control matters.
    pub rationale: String,
    /// How to fix a failure.
    pub remediation: String,
    /// Framework requirements it maps to.
    #[serde(default)]
    pub references: Vec<Reference>,
    /// Parameters a policy may set, by name.
    #[serde(default)]
    pub parameters: std::collections::BTreeMap<String, ParamSpec>,
}
