//! The JSON report: the stable, versioned contract for dashboards.
//!
//! These types are frozen: renaming, removing or retyping a field is a
//! breaking change and bumps [`REPORT_VERSION`]. Adding an optional field is
//! not. `tests/json_schema.rs` keeps `schemas/report-v1.schema.json` equal to
//! what they generate.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tenet_engine::{Report, Status, Verdict, WaiverRef, WaiverState};
use tenet_rules::{Pillar, Severity};

mod collection;

pub(crate) use collection::JsonCollection;
pub use collection::{
    JsonActionsRun, JsonAwsReader, JsonGithubCredential, JsonGithubReader, JsonRegions, JsonRun,
};

/// The version of the JSON report format.
pub const REPORT_VERSION: u32 = 1;

/// A tenet report as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "tenet report",
    description = "The result of evaluating one snapshot against one policy."
)]
pub struct JsonReport {
    /// Version of this format; `1`.
    pub report_version: u32,
    /// The tenet version that evaluated.
    pub tenet_version: String,
    /// The date waivers were judged on (YYYY-MM-DD).
    pub as_of: NaiveDate,
    /// The snapshot evaluated.
    pub snapshot: JsonSnapshot,
    /// The policy applied.
    pub policy: JsonPolicy,
    /// What the run means for CI.
    pub verdict: JsonVerdict,
    /// Counts of controls and findings per status.
    pub summary: JsonSummary,
    /// Every control of the catalog, sorted by id.
    pub controls: Vec<JsonControl>,
    /// Every waiver of the policy, in file order.
    pub waivers: Vec<JsonWaiver>,
    /// Every allow-list entry of the policy, by control, parameter, then
    /// file order (added within version 1: absent when the policy has
    /// none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowlist: Vec<JsonAllowlistEntry>,
    /// Who has access to the systems read: the population of an access
    /// review (added within version 1: absent in a report of a tenet that
    /// did not record it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<tenet_rules::access::Roster>,
}

/// The snapshot a report was computed from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonSnapshot {
    /// When it was collected (RFC 3339, UTC).
    pub collected_at: DateTime<Utc>,
    /// The tenet version that collected it.
    pub tenet_version: String,
    /// GitHub organizations covered.
    pub github_orgs: Vec<String>,
    /// AWS accounts covered.
    pub aws_accounts: Vec<String>,
    /// Display names of the accounts that have one, by account id (added
    /// within version 1: absent when none has one).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub aws_account_names: BTreeMap<String, String>,
    /// The audit period whose events (changes) the snapshot read, both
    /// days included, UTC (added within version 1: absent when it read
    /// none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<JsonPeriod>,
    /// `sha256:HEX` of each snapshot judged, as `tenet collect` writes it
    /// (`sha256sum` of an untouched snapshot file gives the same): one, or
    /// one per shard of a merged report (added within version 1: absent in
    /// older reports).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub digests: Vec<String>,
    /// Who read each AWS account, by account id (added within version 1:
    /// absent when the snapshot does not record it).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub aws_readers: BTreeMap<String, JsonAwsReader>,
    /// The regions read in each AWS account, by account id (added within
    /// version 1).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub aws_regions: BTreeMap<String, JsonRegions>,
    /// Who read each GitHub organization, by login (added within version
    /// 1: absent when the snapshot does not record it).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub github_readers: BTreeMap<String, JsonGithubReader>,
    /// The run that collected the snapshot: its `--run-label`, its GitHub
    /// Actions run (added within version 1: absent when none was
    /// recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<JsonRun>,
}

/// An audit period: whole days in UTC, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonPeriod {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
}

/// The policy applied.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonPolicy {
    /// The policy file's path, or `(built-in defaults)`.
    pub origin: String,
    /// `sha256:HEX` of the policy file's text and its custom controls: two
    /// reports of the same policy share it (added within version 1: older
    /// reports lack it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// Failing findings at or above this severity fail the run.
    pub fail_on: Severity,
}

/// A finding's or control's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum JsonStatus {
    /// Meets the control.
    Pass,
    /// Violates the control.
    Fail,
    /// A failure covered by an unexpired waiver.
    Waived,
    /// Could not be determined.
    Error,
    /// Not applicable or disabled.
    Skipped,
}

impl From<Status> for JsonStatus {
    fn from(status: Status) -> Self {
        match status {
            Status::Pass => JsonStatus::Pass,
            Status::Fail => JsonStatus::Fail,
            Status::Waived => JsonStatus::Waived,
            Status::Error => JsonStatus::Error,
            Status::Skipped => JsonStatus::Skipped,
        }
    }
}

/// The run's verdict and exit code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonVerdict {
    /// `pass` (exit 0), `fail` (exit 1) or `error` (exit 3).
    pub status: JsonStatus,
    /// The exit code of `tenet evaluate` for this report.
    pub exit_code: u8,
    /// Failing findings at or above `fail_on`.
    pub failing: usize,
    /// Findings that could not be determined.
    pub errors: usize,
}

/// Counts per status.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonCounts {
    /// Passing.
    pub pass: usize,
    /// Failing.
    pub fail: usize,
    /// Waived.
    pub waived: usize,
    /// Undetermined.
    pub error: usize,
    /// Skipped.
    pub skipped: usize,
}

/// Counts of controls and of findings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonSummary {
    /// Controls per status.
    pub controls: JsonCounts,
    /// Findings per status.
    pub findings: JsonCounts,
}

/// One control and its findings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonControl {
    /// The control id.
    pub id: String,
    /// The control's title.
    pub title: String,
    /// The policy clause it belongs to.
    pub pillar: Pillar,
    /// Effective severity.
    pub severity: Severity,
    /// Worst status of its findings.
    pub status: JsonStatus,
    /// Why it was skipped, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped_reason: Option<String>,
    /// Why the control matters; absent in reports of tenets that did not
    /// record it (added within version 1).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rationale: String,
    /// How to fix a failure.
    pub remediation: String,
    /// The framework requirements the control evidences; absent when it
    /// lists none (added within version 1: older reports lack it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<JsonReference>,
    /// What the control judges one finding per item of (`changes`) when it
    /// judges a population; its findings are then the whole population
    /// (added within version 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<String>,
    /// Findings, sorted by resource id.
    pub findings: Vec<JsonFinding>,
}

/// One framework requirement a control evidences.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonReference {
    /// The framework, e.g. `CIS AWS Foundations Benchmark v3.0.0`.
    pub framework: String,
    /// The requirement's id within it, e.g. `1.10`.
    pub id: String,
    /// A link to the requirement, when one is public.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One control × one resource.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonFinding {
    /// Stable resource id (an ARN, or `github:org[/repo][:kind/name]`).
    pub resource: String,
    /// The kind of resource.
    pub resource_kind: String,
    /// Its status.
    pub status: JsonStatus,
    /// What was found.
    pub message: String,
    /// The facts read, by name.
    pub evidence: BTreeMap<String, Value>,
    /// The waiver covering it (status `waived`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<JsonWaiverRef>,
    /// A waiver that matched it but had expired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expired_waiver: Option<JsonWaiverRef>,
}

/// A reference from a finding to a waiver of the policy file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonWaiverRef {
    /// 1-based line of the waiver in the policy file.
    pub line: usize,
    /// Why the risk is accepted.
    pub reason: String,
    /// Who accepted it.
    pub owner: String,
    /// Last day covered.
    pub expires: NaiveDate,
    /// Who approved it (added within version 1: absent when the policy
    /// does not say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approver: Option<String>,
    /// When it was approved (added within version 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved: Option<NaiveDate>,
    /// The ticket or change record that approved it (added within version
    /// 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
}

impl From<&WaiverRef> for JsonWaiverRef {
    fn from(waiver: &WaiverRef) -> Self {
        JsonWaiverRef {
            line: waiver.line,
            reason: waiver.reason.clone(),
            owner: waiver.owner.clone(),
            expires: waiver.expires,
            approver: waiver.approval.approver.clone(),
            approved: waiver.approval.approved,
            ticket: waiver.approval.ticket.clone(),
        }
    }
}

/// A waiver's state on the evaluation date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum JsonWaiverState {
    /// In force.
    Active,
    /// Expired: covers nothing.
    Expired,
}

/// A waiver of the policy and what it covered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonWaiver {
    /// The control id.
    pub control: String,
    /// The resource glob.
    pub resource: String,
    /// Why the risk is accepted.
    pub reason: String,
    /// Who accepted it.
    pub owner: String,
    /// Last day covered.
    pub expires: NaiveDate,
    /// Who approved it (added within version 1: absent when the policy
    /// does not say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approver: Option<String>,
    /// When it was approved (added within version 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved: Option<NaiveDate>,
    /// The ticket or change record that approved it (added within version
    /// 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// 1-based line in the policy file.
    pub line: usize,
    /// Active or expired.
    pub state: JsonWaiverState,
    /// Days from `as_of` to expiry, negative once expired.
    pub days_to_expiry: i64,
    /// Failing findings it matched; 0 for an active waiver means it can go.
    pub matched: usize,
}

/// An entry of an allow-list parameter of the policy: an exception the
/// control grants, beside the waivers in the exceptions register.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonAllowlistEntry {
    /// The control id.
    pub control: String,
    /// The allow-list parameter, e.g. `allowlist`.
    pub parameter: String,
    /// The pattern the control matches.
    pub pattern: String,
    /// Why the exception is accepted; absent for an entry written as a bare
    /// pattern.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Who owns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Who approved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approver: Option<String>,
    /// When it was approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved: Option<NaiveDate>,
    /// The ticket or change record that approved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// Last day it allows; absent when it does not expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<NaiveDate>,
    /// 1-based line of the parameter in the policy file.
    pub line: usize,
    /// Active or expired.
    pub state: JsonWaiverState,
    /// Days from `as_of` to expiry, negative once expired; absent when it
    /// does not expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_to_expiry: Option<i64>,
    /// Passes it granted (allow-listed findings).
    pub matched: usize,
}

impl From<&Report> for JsonReport {
    fn from(report: &Report) -> Self {
        let verdict = report.verdict();
        let findings = report.finding_summary();
        let counts = |summary: tenet_engine::Summary| JsonCounts {
            pass: summary.pass,
            fail: summary.fail,
            waived: summary.waived,
            error: summary.error,
            skipped: summary.skipped,
        };
        let collection = JsonCollection::from(&report.snapshot);
        JsonReport {
            report_version: REPORT_VERSION,
            tenet_version: report.tenet_version.clone(),
            as_of: report.as_of,
            snapshot: JsonSnapshot {
                collected_at: report.snapshot.collected_at,
                tenet_version: report.snapshot.tenet_version.clone(),
                github_orgs: report.snapshot.github_orgs.clone(),
                aws_accounts: report.snapshot.aws_accounts.clone(),
                aws_account_names: report.snapshot.aws_account_names.clone(),
                period: report.snapshot.period.map(|period| JsonPeriod {
                    from: period.from,
                    to: period.to,
                }),
                digests: report.snapshot.digests.clone(),
                aws_readers: collection.aws_readers,
                aws_regions: collection.aws_regions,
                github_readers: collection.github_readers,
                run: collection.run,
            },
            policy: JsonPolicy {
                origin: report.policy.clone(),
                digest: report.policy_digest.clone(),
                fail_on: report.fail_on,
            },
            verdict: JsonVerdict {
                status: match verdict {
                    Verdict::Pass => JsonStatus::Pass,
                    Verdict::Fail { .. } => JsonStatus::Fail,
                    Verdict::Error { .. } => JsonStatus::Error,
                },
                exit_code: verdict.exit_code(),
                failing: match verdict {
                    Verdict::Fail { failing } => failing,
                    _ => 0,
                },
                errors: findings.error,
            },
            summary: JsonSummary {
                controls: counts(report.control_summary()),
                findings: counts(findings),
            },
            controls: report
                .controls
                .iter()
                .map(|control| JsonControl {
                    id: control.id.clone(),
                    title: control.title.clone(),
                    pillar: control.pillar,
                    severity: control.severity,
                    status: control.status.into(),
                    skipped_reason: control.skipped_reason.clone(),
                    rationale: control.rationale.clone(),
                    remediation: control.remediation.clone(),
                    references: control
                        .references
                        .iter()
                        .map(|r| JsonReference {
                            framework: r.framework.clone(),
                            id: r.id.clone(),
                            url: r.url.clone(),
                        })
                        .collect(),
                    population: control.population.clone(),
                    findings: control
                        .findings
                        .iter()
                        .map(|finding| JsonFinding {
                            resource: finding.resource.id.clone(),
                            resource_kind: finding.resource.kind.clone(),
                            status: finding.status.into(),
                            message: finding.message.clone(),
                            evidence: finding.evidence.clone(),
                            waiver: finding.waiver.as_ref().map(Into::into),
                            expired_waiver: finding.expired_waiver.as_ref().map(Into::into),
                        })
                        .collect(),
                })
                .collect(),
            waivers: report
                .waivers
                .iter()
                .map(|waiver| JsonWaiver {
                    control: waiver.control.clone(),
                    resource: waiver.resource.clone(),
                    reason: waiver.reason.clone(),
                    owner: waiver.owner.clone(),
                    expires: waiver.expires,
                    approver: waiver.approval.approver.clone(),
                    approved: waiver.approval.approved,
                    ticket: waiver.approval.ticket.clone(),
                    line: waiver.line,
                    state: json_state(waiver.state),
                    days_to_expiry: waiver.days_to_expiry,
                    matched: waiver.matched,
                })
                .collect(),
            allowlist: report
                .allowlist
                .iter()
                .map(|entry| JsonAllowlistEntry {
                    control: entry.control.clone(),
                    parameter: entry.parameter.clone(),
                    pattern: entry.pattern.clone(),
                    reason: entry.reason.clone(),
                    owner: entry.owner.clone(),
                    approver: entry.approval.approver.clone(),
                    approved: entry.approval.approved,
                    ticket: entry.approval.ticket.clone(),
                    expires: entry.expires,
                    line: entry.line,
                    state: json_state(entry.state),
                    days_to_expiry: entry.days_to_expiry,
                    matched: entry.matched,
                })
                .collect(),
            access: report.access.clone(),
        }
    }
}

fn json_state(state: WaiverState) -> JsonWaiverState {
    match state {
        WaiverState::Active => JsonWaiverState::Active,
        WaiverState::Expired => JsonWaiverState::Expired,
    }
}

/// Renders a report as pretty JSON with a trailing newline. Deterministic:
/// every collection in it is sorted or in policy-file order.
pub fn render(report: &Report) -> String {
    let json = JsonReport::from(report);
    // Serialization of these types cannot fail: every map key is a string.
    serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"
}

/// The JSON Schema of the report format, pretty-printed.
pub fn schema() -> String {
    let schema = schemars::schema_for!(JsonReport);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// Why a JSON report could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// Not a JSON report of any version.
    #[error("not a tenet JSON report")]
    Invalid(#[source] serde_json::Error),
    /// A report of a version this tenet does not read.
    #[error("report_version {found} is not supported (this tenet reads version {REPORT_VERSION})")]
    Version {
        /// The version in the file.
        found: u64,
    },
}

/// Reads a JSON report, refusing any other `report_version` before looking
/// at the rest (a newer version may have fields this one does not know).
pub fn parse(text: &str) -> Result<JsonReport, ParseError> {
    #[derive(Deserialize)]
    struct Version {
        report_version: u64,
    }
    let version: Version = serde_json::from_str(text).map_err(ParseError::Invalid)?;
    if version.report_version != u64::from(REPORT_VERSION) {
        return Err(ParseError::Version {
            found: version.report_version,
        });
    }
    serde_json::from_str(text).map_err(ParseError::Invalid)
}
