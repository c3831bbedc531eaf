//! The result of an evaluation. Renderers in `tenet-report` turn it into
//! every output format; its `verdict` gives the exit code.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use tenet_inventory::collector::{AwsReader, GithubReader, Run};
use tenet_rules::{
    ALLOWLIST_ENTRIES, ALLOWLISTED_BY, Evidence, Pillar, Reference, Resource, Severity,
};

/// The status of a finding or a control.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// The resource meets the control.
    Pass,
    /// The resource violates the control.
    Fail,
    /// A failure covered by an unexpired waiver.
    Waived,
    /// Whether the resource meets the control could not be determined.
    Error,
    /// Not applicable, or the control is disabled by the policy.
    Skipped,
}

impl Status {
    /// Every status, in the order reports list them (worst first).
    pub const ALL: [Status; 5] = [
        Status::Fail,
        Status::Error,
        Status::Waived,
        Status::Pass,
        Status::Skipped,
    ];

    /// How bad the status is: a control's status is the worst of its
    /// findings. Fail > error > waived > pass > skipped.
    pub fn rank(self) -> u8 {
        match self {
            Status::Fail => 4,
            Status::Error => 3,
            Status::Waived => 2,
            Status::Pass => 1,
            Status::Skipped => 0,
        }
    }

    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Waived => "waived",
            Status::Error => "error",
            Status::Skipped => "skipped",
        }
    }
}

/// The waiver that covered a finding, or that would have but expired.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaiverRef {
    /// 1-based line of the waiver in the policy file.
    pub line: usize,
    /// Why the risk is accepted.
    pub reason: String,
    /// Who accepted it.
    pub owner: String,
    /// Last day the waiver covers.
    pub expires: NaiveDate,
    /// Who approved it, when, under which ticket.
    pub approval: Approval,
}

/// How an exception (a waiver, an allow-list entry) was approved, as far as
/// the policy records it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Approval {
    /// Who approved it.
    pub approver: Option<String>,
    /// When.
    pub approved: Option<NaiveDate>,
    /// The ticket or change record.
    pub ticket: Option<String>,
}

/// One control × one resource.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// The resource.
    pub resource: Resource,
    /// Its status.
    pub status: Status,
    /// What was found, for a person.
    pub message: String,
    /// The facts read.
    pub evidence: Evidence,
    /// The waiver that covers this finding (status `waived`).
    pub waiver: Option<WaiverRef>,
    /// A waiver that matched this failing finding but had expired.
    pub expired_waiver: Option<WaiverRef>,
}

/// One control and all its findings.
#[derive(Clone, Debug, PartialEq)]
pub struct ControlResult {
    /// The control id.
    pub id: String,
    /// The control's title.
    pub title: String,
    /// The policy clause it belongs to.
    pub pillar: Pillar,
    /// Effective severity (the policy's override or the catalog default).
    pub severity: Severity,
    /// The worst status of its findings; `skipped` without findings.
    pub status: Status,
    /// Why the control was skipped, when it was.
    pub skipped_reason: Option<String>,
    /// Why the control matters (its metadata's rationale).
    pub rationale: String,
    /// How to fix a failure.
    pub remediation: String,
    /// The framework requirements it evidences, as its metadata lists them.
    pub references: Vec<Reference>,
    /// What it judges one finding per item of (`changes`), when it judges
    /// a population: human reports list the exceptions and count the
    /// passing items.
    pub population: Option<String>,
    /// The findings, sorted by resource id.
    pub findings: Vec<Finding>,
}

/// Whether a waiver is in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaiverState {
    /// Not expired on the evaluation date.
    Active,
    /// Expired: it covers nothing.
    Expired,
}

/// A waiver of the policy and what it covered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaiverResult {
    /// The control id.
    pub control: String,
    /// The resource glob.
    pub resource: String,
    /// Why the risk is accepted.
    pub reason: String,
    /// Who accepted it.
    pub owner: String,
    /// Last day the waiver covers.
    pub expires: NaiveDate,
    /// Who approved it, when, under which ticket.
    pub approval: Approval,
    /// 1-based line in the policy file.
    pub line: usize,
    /// Active or expired on the evaluation date.
    pub state: WaiverState,
    /// Days from the evaluation date to expiry (negative once expired).
    pub days_to_expiry: i64,
    /// Failing findings it covered (active) or would have covered (expired).
    /// An active waiver that matches nothing should be removed.
    pub matched: usize,
}

/// An entry of an allow-list parameter of the policy, judged on the
/// evaluation date: one row of the exceptions register beside the waivers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowlistResult {
    /// The control id.
    pub control: String,
    /// The allow-list parameter, e.g. `allowlist`.
    pub parameter: String,
    /// The pattern the control matches.
    pub pattern: String,
    /// Why the exception is accepted; `None` for a bare pattern.
    pub reason: Option<String>,
    /// Who owns it.
    pub owner: Option<String>,
    /// Who approved it, when, under which ticket.
    pub approval: Approval,
    /// Last day it allows; `None` when it does not expire.
    pub expires: Option<NaiveDate>,
    /// 1-based line of the parameter in the policy file.
    pub line: usize,
    /// Active or expired on the evaluation date.
    pub state: WaiverState,
    /// Days from the evaluation date to expiry (negative once expired).
    pub days_to_expiry: Option<i64>,
    /// Passes it granted (allow-listed findings).
    pub matched: usize,
}

impl AllowlistResult {
    /// Whether the entry granted `finding`, a finding of its control.
    pub fn granted(&self, finding: &Finding) -> bool {
        grants(finding, &self.parameter, &self.pattern)
    }
}

/// Whether `finding` is a pass the allow-list `parameter`'s `pattern`
/// granted.
pub(crate) fn grants(finding: &Finding, parameter: &str, pattern: &str) -> bool {
    finding
        .evidence
        .get(ALLOWLISTED_BY)
        .is_some_and(|by| by.as_str() == Some(parameter))
        && finding
            .evidence
            .get(ALLOWLIST_ENTRIES)
            .and_then(|entries| entries.as_array())
            .is_some_and(|entries| entries.iter().any(|e| e.as_str() == Some(pattern)))
}

/// The snapshot a report was computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotInfo {
    /// When the snapshot was collected.
    pub collected_at: DateTime<Utc>,
    /// The tenet version that collected it.
    pub tenet_version: String,
    /// GitHub organizations covered.
    pub github_orgs: Vec<String>,
    /// AWS accounts covered.
    pub aws_accounts: Vec<String>,
    /// The display names of the accounts that have one (from the policy
    /// or AWS Organizations), by account id.
    pub aws_account_names: BTreeMap<String, String>,
    /// The audit period whose events the snapshot read, if it read any.
    pub period: Option<tenet_inventory::Period>,
    /// `sha256:HEX` of each snapshot judged, as `tenet collect` writes it
    /// (so `sha256sum` of an untouched snapshot file gives the same): one,
    /// or one per shard of a merged report; none in a report saved before
    /// tenet recorded them.
    pub digests: Vec<String>,
    /// Who read each AWS account, by account id; accounts whose reader
    /// the snapshot does not record are absent.
    pub aws_readers: BTreeMap<String, AwsReader>,
    /// The regions read in each AWS account, by account id.
    pub aws_regions: BTreeMap<String, RegionsRead>,
    /// Who read each GitHub organization, by login.
    pub github_readers: BTreeMap<String, GithubReader>,
    /// The run that collected the snapshot, when one was recorded.
    pub run: Option<Run>,
}

/// The regions read in one AWS account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionsRead {
    /// The regions, sorted; `Err` with the reason when they could not be
    /// listed.
    pub names: Result<Vec<String>, String>,
    /// They are every region enabled in the account, not the policy's list.
    pub every_enabled: bool,
}

/// Counts per status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
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

impl Summary {
    fn add(&mut self, status: Status) {
        *match status {
            Status::Pass => &mut self.pass,
            Status::Fail => &mut self.fail,
            Status::Waived => &mut self.waived,
            Status::Error => &mut self.error,
            Status::Skipped => &mut self.skipped,
        } += 1;
    }

    /// The count of one status.
    pub fn get(&self, status: Status) -> usize {
        match status {
            Status::Pass => self.pass,
            Status::Fail => self.fail,
            Status::Waived => self.waived,
            Status::Error => self.error,
            Status::Skipped => self.skipped,
        }
    }
}

/// What the run means for a CI job: the exit code and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// No failing finding at or above the threshold and no errors: exit 0.
    Pass,
    /// Failing findings at or above the threshold: exit 1.
    Fail {
        /// How many.
        failing: usize,
    },
    /// No such failure, but findings that could not be determined: exit 3.
    Error {
        /// How many.
        errors: usize,
    },
}

impl Verdict {
    /// The verdict as a status: pass, fail, or error (undetermined).
    pub fn status(self) -> Status {
        match self {
            Verdict::Pass => Status::Pass,
            Verdict::Fail { .. } => Status::Fail,
            Verdict::Error { .. } => Status::Error,
        }
    }

    /// The process exit code DESIGN.md assigns to the verdict.
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Pass => 0,
            Verdict::Fail { .. } => 1,
            Verdict::Error { .. } => 3,
        }
    }
}

/// The result of evaluating one snapshot against one policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The tenet version that evaluated.
    pub tenet_version: String,
    /// The date waivers and ages were judged on.
    pub as_of: NaiveDate,
    /// The snapshot evaluated.
    pub snapshot: SnapshotInfo,
    /// The policy's origin (a path, or `(built-in defaults)`).
    pub policy: String,
    /// The policy's digest ([`crate::Policy::digest`]); `None` in a report
    /// read back from a tenet that did not record it.
    pub policy_digest: Option<String>,
    /// The failure threshold of the run.
    pub fail_on: Severity,
    /// Every control of the catalog, sorted by id.
    pub controls: Vec<ControlResult>,
    /// Every waiver of the policy, in file order.
    pub waivers: Vec<WaiverResult>,
    /// Every allow-list entry of the policy: by control, parameter, then
    /// file order.
    pub allowlist: Vec<AllowlistResult>,
    /// The frameworks the policy asks the audit reports to show (keys).
    pub frameworks: Vec<String>,
    /// Who has access to the systems read ([`tenet_rules::access`]);
    /// `None` in a report read back from a tenet that did not record it.
    pub access: Option<tenet_rules::access::Roster>,
}

impl Report {
    /// Counts of controls per status.
    pub fn control_summary(&self) -> Summary {
        let mut summary = Summary::default();
        for control in &self.controls {
            summary.add(control.status);
        }
        summary
    }

    /// Counts of findings per status.
    pub fn finding_summary(&self) -> Summary {
        let mut summary = Summary::default();
        for finding in self.controls.iter().flat_map(|c| &c.findings) {
            summary.add(finding.status);
        }
        summary
    }

    /// The exit verdict: failing findings of controls at or above `fail_on`
    /// fail the run; otherwise any error makes it undetermined.
    pub fn verdict(&self) -> Verdict {
        let failing = self
            .controls
            .iter()
            .filter(|control| control.severity >= self.fail_on)
            .flat_map(|control| &control.findings)
            .filter(|finding| finding.status == Status::Fail)
            .count();
        let errors = self.finding_summary().error;
        if failing > 0 {
            Verdict::Fail { failing }
        } else if errors > 0 {
            Verdict::Error { errors }
        } else {
            Verdict::Pass
        }
    }
}
