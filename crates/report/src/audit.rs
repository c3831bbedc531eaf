//! What the audit formats (Markdown and HTML) show, computed once: the
//! executive summary's figures, the per-pillar summary and pass rates,
//! failing resources, waivers expiring soon, attestations and the changes
//! since a baseline report.

use std::collections::BTreeMap;

use tenet_engine::{ControlResult, Finding, Report, Status, Summary, Verdict};
use tenet_rules::{Criterion, Framework, Pillar, Severity};

use crate::{
    diff::Diff,
    json::JsonReport,
    register::{Exception, register},
    words::{percent, plural},
};

pub(crate) use crate::diff::EXPIRY_WARNING_DAYS;

/// How the audit formats render a report.
#[derive(Clone, Copy, Debug, Default)]
pub struct AuditOptions<'a> {
    /// The previous JSON report, for what is new, fixed and still failing.
    pub baseline: Option<&'a JsonReport>,
    /// List only what needs attention: failing, undetermined, waived and
    /// allow-listed findings and their controls (the summary still counts
    /// everything).
    pub only_failing: bool,
    /// Frameworks to give a section, besides those the report's policy
    /// names (keys: `soc2`, `iso27001`, `nist-800-53`, `cis-aws`,
    /// `cis-github`).
    pub frameworks: &'a [String],
    /// The trend over the audit period, to include (`tenet trend`).
    pub trend: Option<&'a crate::trend::Trend>,
}

/// A framework as the audit formats show it: each criterion tenet's
/// controls evidence, with their worst status, and the criteria of its
/// catalog that none evidences.
pub(crate) struct FrameworkView<'a> {
    /// The framework's catalog.
    pub framework: &'static Framework,
    /// Criteria evidenced by at least one control: the catalog's order,
    /// then ids the catalog lacks.
    pub rows: Vec<CriterionRow<'a>>,
    /// Criteria of the catalog no control evidences.
    pub not_assessed: Vec<&'static Criterion>,
}

/// One evidenced criterion.
pub(crate) struct CriterionRow<'a> {
    /// Its id.
    pub id: String,
    /// Its title, when the catalog has it.
    pub title: Option<&'static str>,
    /// The worst status of its controls (`skipped` when none was judged).
    pub status: Status,
    /// The controls that evidence it, by id.
    pub controls: Vec<&'a ControlResult>,
}

impl FrameworkView<'_> {
    /// Evidenced criteria per status: met (pass), not met (fail), waived,
    /// undetermined (error), not judged (skipped).
    pub fn counts(&self) -> Summary {
        let mut summary = Summary::default();
        for row in &self.rows {
            *match row.status {
                Status::Pass => &mut summary.pass,
                Status::Fail => &mut summary.fail,
                Status::Waived => &mut summary.waived,
                Status::Error => &mut summary.error,
                Status::Skipped => &mut summary.skipped,
            } += 1;
        }
        summary
    }
}

/// The frameworks the report's policy and `extra` name (keys), in that
/// order, each once, as views over the report's controls.
pub(crate) fn framework_views<'a>(report: &'a Report, extra: &[String]) -> Vec<FrameworkView<'a>> {
    let mut keys: Vec<&str> = Vec::new();
    for key in report.frameworks.iter().chain(extra) {
        if !keys.contains(&key.as_str()) {
            keys.push(key);
        }
    }
    keys.into_iter()
        .filter_map(tenet_rules::framework)
        .map(|framework| framework_view(framework, report))
        .collect()
}

/// The view of one framework over `report`'s controls.
fn framework_view<'a>(framework: &'static Framework, report: &'a Report) -> FrameworkView<'a> {
    let mut evidenced: std::collections::BTreeMap<&str, Vec<&'a ControlResult>> =
        std::collections::BTreeMap::new();
    for control in &report.controls {
        for reference in &control.references {
            if reference.framework == framework.name {
                let controls = evidenced.entry(reference.id.as_str()).or_default();
                if !controls.iter().any(|c| c.id == control.id) {
                    controls.push(control);
                }
            }
        }
    }
    let row = |id: &str, title: Option<&'static str>, controls: Vec<&'a ControlResult>| {
        let status = controls
            .iter()
            .map(|c| c.status)
            .max_by_key(|s| s.rank())
            .unwrap_or(Status::Skipped);
        CriterionRow {
            id: id.to_owned(),
            title,
            status,
            controls,
        }
    };
    let mut rows = Vec::new();
    let mut not_assessed = Vec::new();
    for criterion in &framework.criteria {
        match evidenced.remove(criterion.id.as_str()) {
            Some(controls) => {
                rows.push(row(&criterion.id, Some(criterion.title.as_str()), controls))
            }
            None => not_assessed.push(criterion),
        }
    }
    for (id, controls) in evidenced {
        rows.push(row(id, None, controls));
    }
    FrameworkView {
        framework,
        rows,
        not_assessed,
    }
}

/// The executive summary's figures.
pub(crate) struct Figures {
    /// Failing findings, of every severity.
    pub failing: usize,
    /// Failing findings at or above `fail_on`: those that fail the run.
    pub failing_gating: usize,
    /// Findings that could not be determined.
    pub undetermined: usize,
    /// Failing findings per severity, most severe first (only those with
    /// some).
    pub failing_by_severity: Vec<(Severity, usize)>,
    /// Undetermined findings per severity, most severe first.
    pub undetermined_by_severity: Vec<(Severity, usize)>,
    /// Failing findings under a waiver (accepted risk).
    pub waived: usize,
    /// Passes the policy grants by an allow-list.
    pub allowlisted: usize,
    /// Attestations missing or overdue.
    pub attestations_overdue: usize,
    /// Attestations due again within [`EXPIRY_WARNING_DAYS`].
    pub attestations_due_soon: usize,
}

/// The audit view of a report.
pub(crate) struct Audit<'a> {
    /// The report.
    pub report: &'a Report,
    /// Whether only what needs attention is listed.
    pub only_failing: bool,
    /// The executive summary's figures.
    pub figures: Figures,
    /// One row per pillar that has controls, in pillar order.
    pub pillars: Vec<PillarRow>,
    /// Control counts over every pillar.
    pub total: PillarRow,
    /// Failing and undetermined findings, most severe first.
    pub failing: Vec<(&'a ControlResult, &'a Finding)>,
    /// The exceptions register: waivers, then allow-list entries.
    pub exceptions: Vec<Exception<'a>>,
    /// Active exceptions expiring within [`EXPIRY_WARNING_DAYS`].
    pub expiring: Vec<Exception<'a>>,
    /// Controls of the `manual` pillar.
    pub attestations: Vec<&'a ControlResult>,
    /// Controls grouped by pillar, in pillar order.
    pub by_pillar: Vec<(Pillar, Vec<&'a ControlResult>)>,
    /// What changed since the baseline, when one was given.
    pub changes: Option<Changes>,
    /// The frameworks to show, in the order asked.
    pub frameworks: Vec<FrameworkView<'a>>,
}

/// A baseline comparison.
pub(crate) struct Changes {
    /// The baseline's evaluation date.
    pub baseline_as_of: chrono::NaiveDate,
    /// The differences.
    pub diff: Diff,
}

/// Control counts of one pillar.
#[derive(Default)]
pub(crate) struct PillarRow {
    /// The pillar's title.
    pub title: String,
    /// Number of controls.
    pub controls: usize,
    /// Controls per status.
    pub statuses: Summary,
    /// Failing findings.
    pub failing_findings: usize,
}

impl PillarRow {
    /// Controls that were judged: not skipped.
    pub fn judged(&self) -> usize {
        judged(&self.statuses)
    }

    /// The share of judged controls that pass, in whole percent; `None`
    /// when none was judged.
    pub fn pass_rate(&self) -> Option<usize> {
        percent(self.statuses.pass, self.judged())
    }

    fn add(&mut self, control: &ControlResult) {
        self.controls += 1;
        let statuses = &mut self.statuses;
        *match control.status {
            Status::Pass => &mut statuses.pass,
            Status::Fail => &mut statuses.fail,
            Status::Waived => &mut statuses.waived,
            Status::Error => &mut statuses.error,
            Status::Skipped => &mut statuses.skipped,
        } += 1;
        self.failing_findings += control
            .findings
            .iter()
            .filter(|finding| finding.status == Status::Fail)
            .count();
    }
}

impl<'a> Audit<'a> {
    /// The audit view of `report`, as `options` ask.
    pub fn new(report: &'a Report, options: &AuditOptions<'_>) -> Audit<'a> {
        let baseline = options.baseline;
        let mut by_pillar: Vec<(Pillar, Vec<&ControlResult>)> = Vec::new();
        let mut controls: Vec<&ControlResult> = report.controls.iter().collect();
        controls.sort_by_key(|control| (control.pillar, control.id.as_str()));
        for control in controls {
            match by_pillar.last_mut() {
                Some((pillar, list)) if *pillar == control.pillar => list.push(control),
                _ => by_pillar.push((control.pillar, vec![control])),
            }
        }
        let mut total = PillarRow {
            title: "All pillars".into(),
            ..PillarRow::default()
        };
        let pillars = by_pillar
            .iter()
            .map(|(pillar, controls)| {
                let mut row = PillarRow {
                    title: pillar.title().into(),
                    ..PillarRow::default()
                };
                for control in controls {
                    row.add(control);
                    total.add(control);
                }
                row
            })
            .collect();
        let mut failing: Vec<(&ControlResult, &Finding)> = report
            .controls
            .iter()
            .flat_map(|control| control.findings.iter().map(move |f| (control, f)))
            .filter(|(_, f)| matches!(f.status, Status::Fail | Status::Error))
            .collect();
        // Most severe first, then failures before undetermined findings:
        // a critical finding that could not be determined comes before a
        // medium failure.
        failing.sort_by_key(|(control, finding)| {
            (
                std::cmp::Reverse(control.severity),
                std::cmp::Reverse(finding.status == Status::Fail),
                control.id.as_str(),
                finding.resource.id.as_str(),
            )
        });
        let frameworks = framework_views(report, options.frameworks);
        let exceptions = register(report);
        let expiring = exceptions
            .iter()
            .filter(|exception| exception.expires_within(EXPIRY_WARNING_DAYS))
            .cloned()
            .collect();
        Audit {
            report,
            frameworks,
            only_failing: options.only_failing,
            figures: figures(report),
            pillars,
            total,
            failing,
            exceptions,
            expiring,
            attestations: report
                .controls
                .iter()
                .filter(|control| control.pillar == Pillar::Manual)
                .collect(),
            by_pillar,
            changes: baseline.map(|baseline| Changes {
                baseline_as_of: baseline.as_of,
                diff: Diff::between(
                    &crate::text::json_report(baseline),
                    &JsonReport::from(report),
                ),
            }),
        }
    }

    /// The verdict in one sentence, with its exit code.
    pub fn verdict(&self) -> (Status, String) {
        verdict_sentence(self.report)
    }

    /// The organizations and accounts covered, in one line.
    pub fn scope(&self) -> String {
        scope_line(&self.report.snapshot)
    }
}

/// A report's verdict in one sentence, with its exit code.
pub(crate) fn verdict_sentence(report: &Report) -> (Status, String) {
    let fail_on = report.fail_on;
    let verdict = report.verdict();
    let sentence = match verdict {
        Verdict::Pass => format!(
            "PASS: no failing finding at or above {fail_on} severity and no errors (exit code 0)"
        ),
        Verdict::Fail { failing } => format!(
            "FAIL: {failing} failing finding{} at or above {fail_on} severity (exit code 1)",
            plural(failing)
        ),
        Verdict::Error { errors } => format!(
            "UNDETERMINED: no failure at or above {fail_on} severity, but {errors} finding{} could not be determined (exit code 3)",
            plural(errors)
        ),
    };
    (verdict.status(), sentence)
}

/// The organizations and accounts a report covers, in one line: `GitHub
/// acme · AWS 111122223333 (production)`.
pub(crate) fn scope_line(snapshot: &tenet_engine::SnapshotInfo) -> String {
    let mut parts = Vec::new();
    if !snapshot.github_orgs.is_empty() {
        parts.push(format!("GitHub {}", snapshot.github_orgs.join(", ")));
    }
    if !snapshot.aws_accounts.is_empty() {
        let accounts: Vec<String> = snapshot
            .aws_accounts
            .iter()
            .map(|id| match snapshot.aws_account_names.get(id) {
                Some(name) => format!("{id} ({name})"),
                None => id.clone(),
            })
            .collect();
        parts.push(format!("AWS {}", accounts.join(", ")));
    }
    if parts.is_empty() {
        "nothing collected".into()
    } else {
        parts.join(" · ")
    }
}

fn figures(report: &Report) -> Figures {
    let findings = || {
        report
            .controls
            .iter()
            .flat_map(|c| c.findings.iter().map(move |f| (c, f)))
    };
    let count = |status: Status| findings().filter(|(_, f)| f.status == status).count();
    let by_severity = |status: Status| -> Vec<(Severity, usize)> {
        Severity::ALL
            .iter()
            .rev()
            .map(|&severity| {
                let n = findings()
                    .filter(|(c, f)| f.status == status && c.severity == severity)
                    .count();
                (severity, n)
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    };
    let attestations = || findings().filter(|(control, _)| control.pillar == Pillar::Manual);
    let soon = report.as_of + chrono::Days::new(EXPIRY_WARNING_DAYS.unsigned_abs());
    Figures {
        failing: count(Status::Fail),
        failing_gating: findings()
            .filter(|(c, f)| f.status == Status::Fail && c.severity >= report.fail_on)
            .count(),
        undetermined: count(Status::Error),
        failing_by_severity: by_severity(Status::Fail),
        undetermined_by_severity: by_severity(Status::Error),
        waived: count(Status::Waived),
        allowlisted: findings()
            .filter(|(_, f)| allowlisted_by(f).is_some())
            .count(),
        attestations_overdue: attestations()
            .filter(|(_, f)| f.status == Status::Fail)
            .count(),
        attestations_due_soon: attestations()
            .filter(|(_, f)| {
                f.status == Status::Pass
                    && f.evidence
                        .get("due")
                        .and_then(|due| due.as_str()?.parse::<chrono::NaiveDate>().ok())
                        .is_some_and(|due| due <= soon)
            })
            .count(),
    }
}

/// The counts of `summary` that were judged: every status but skipped.
fn judged(summary: &Summary) -> usize {
    summary.pass + summary.fail + summary.waived + summary.error
}

/// The allow-list parameter that grants a pass, when one does.
pub(crate) fn allowlisted_by(finding: &Finding) -> Option<&str> {
    if finding.status != Status::Pass {
        return None;
    }
    finding.evidence.get(tenet_rules::ALLOWLISTED_BY)?.as_str()
}

/// Whether a finding is listed when only what needs attention is: a
/// failure, an undetermined finding, or an exception (waived, or a pass an
/// allow-list grants).
pub(crate) fn needs_attention(finding: &Finding) -> bool {
    matches!(
        finding.status,
        Status::Fail | Status::Error | Status::Waived
    ) || allowlisted_by(finding).is_some()
}

/// Whether a finding is one of a population control's passing items, which
/// the human reports and OSCAL sum up per repository rather than list.
pub(crate) fn summed_up(control: &ControlResult, finding: &Finding) -> bool {
    control.population.is_some() && finding.status == Status::Pass
}

/// The ids of a population control's passing findings per repository (or
/// whatever the resource id names before its last `:`), in id order; empty
/// for a settings control.
pub(crate) fn passing_per_scope(control: &ControlResult) -> Vec<(&str, Vec<&str>)> {
    let mut by_scope: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for finding in control.findings.iter().filter(|f| summed_up(control, f)) {
        let id = finding.resource.id.as_str();
        let scope = id.rsplit_once(':').map_or(id, |(scope, _)| scope);
        by_scope.entry(scope).or_default().push(id);
    }
    by_scope.into_iter().collect()
}

/// Paragraphs of hard-wrapped text (a TOML remediation) with their line
/// breaks joined: blank lines separate paragraphs.
pub(crate) fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|paragraph| paragraph.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|paragraph| !paragraph.is_empty())
        .collect()
}

/// A control's remediation as the audit formats show it: its first
/// paragraph, and whether more follow (which `tenet explain` shows).
pub(crate) fn remediation(control: &ControlResult) -> (String, bool) {
    let mut paragraphs = paragraphs(&control.remediation).into_iter();
    let first = paragraphs.next().unwrap_or_default();
    (first, paragraphs.next().is_some())
}

/// Findings of a control per status, e.g. `2 pass, 1 waived`.
pub(crate) fn finding_counts(control: &ControlResult) -> String {
    let counts: Vec<String> = Status::ALL
        .iter()
        .filter_map(|status| {
            let count = control
                .findings
                .iter()
                .filter(|f| f.status == *status)
                .count();
            (count > 0).then(|| format!("{count} {}", status.as_str()))
        })
        .collect();
    if counts.is_empty() {
        "no resource".into()
    } else {
        counts.join(", ")
    }
}

/// A count split by severity in words: `12 (2 critical, 10 high)`, or `0`.
pub(crate) fn by_severity_words(total: usize, split: &[(Severity, usize)]) -> String {
    if split.is_empty() {
        return total.to_string();
    }
    let parts: Vec<String> = split
        .iter()
        .map(|(severity, n)| format!("{n} {}", severity.as_str()))
        .collect();
    format!("{total} ({})", parts.join(", "))
}

/// A criterion's status for an auditor, in words that claim no more than
/// tenet's tests show: never "met".
pub(crate) fn criterion_status(row: &CriterionRow<'_>) -> &'static str {
    let judged = || row.controls.iter().filter(|c| c.status != Status::Skipped);
    match row.status {
        Status::Pass if judged().all(|c| c.pillar == Pillar::Manual) => {
            "evidenced by attestation only"
        }
        Status::Pass => "no exceptions found by automated tests",
        Status::Fail => "exceptions found",
        Status::Waived => "exceptions, accepted by waivers",
        Status::Error => "undetermined",
        Status::Skipped => "not tested by tenet (its controls are off)",
    }
}

/// The title of a criterion tenet's catalog of its framework lacks.
pub(crate) const NOT_IN_CATALOG: &str = "(not in tenet's catalog of this framework)";
