//! What the audit formats (Markdown and HTML) show, computed once: the
//! per-pillar summary, failing resources, waivers expiring soon,
//! attestations and the changes since a baseline report.

use tenet_engine::{
    ControlResult, Finding, Report, Status, Summary, Verdict, WaiverResult, WaiverState,
};
use tenet_rules::Pillar;

use crate::{
    diff::Diff,
    json::{JsonReport, JsonStatus},
};

pub(crate) use crate::diff::EXPIRY_WARNING_DAYS;

/// The audit view of a report.
pub(crate) struct Audit<'a> {
    /// The report.
    pub report: &'a Report,
    /// One row per pillar that has controls, in pillar order.
    pub pillars: Vec<PillarRow>,
    /// Control counts over every pillar.
    pub total: PillarRow,
    /// Failing and undetermined findings, most severe first.
    pub failing: Vec<(&'a ControlResult, &'a Finding)>,
    /// Active waivers expiring within [`EXPIRY_WARNING_DAYS`].
    pub expiring: Vec<&'a WaiverResult>,
    /// Controls of the `manual` pillar.
    pub attestations: Vec<&'a ControlResult>,
    /// Controls grouped by pillar, in pillar order.
    pub by_pillar: Vec<(Pillar, Vec<&'a ControlResult>)>,
    /// What changed since the baseline, when one was given.
    pub changes: Option<Changes>,
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
    /// The audit view of `report`, compared with `baseline` when given.
    pub fn new(report: &'a Report, baseline: Option<&JsonReport>) -> Audit<'a> {
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
        failing.sort_by_key(|(control, finding)| {
            (
                std::cmp::Reverse(finding.status == Status::Fail),
                std::cmp::Reverse(control.severity),
                control.id.as_str(),
                finding.resource.id.as_str(),
            )
        });
        Audit {
            report,
            pillars,
            total,
            failing,
            expiring: report
                .waivers
                .iter()
                .filter(|w| {
                    w.state == WaiverState::Active && w.days_to_expiry <= EXPIRY_WARNING_DAYS
                })
                .collect(),
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
        let fail_on = self.report.fail_on;
        match self.report.verdict() {
            Verdict::Pass => (
                Status::Pass,
                format!(
                    "PASS: no failing finding at or above {fail_on} severity and no errors (exit code 0)"
                ),
            ),
            Verdict::Fail { failing } => (
                Status::Fail,
                format!(
                    "FAIL: {failing} failing finding{} at or above {fail_on} severity (exit code 1)",
                    plural(failing)
                ),
            ),
            Verdict::Error { errors } => (
                Status::Error,
                format!(
                    "UNDETERMINED: no failure at or above {fail_on} severity, but {errors} finding{} could not be determined (exit code 3)",
                    plural(errors)
                ),
            ),
        }
    }

    /// The organizations and accounts covered, in one line.
    pub fn scope(&self) -> String {
        let snapshot = &self.report.snapshot;
        let mut parts = Vec::new();
        if !snapshot.github_orgs.is_empty() {
            parts.push(format!("GitHub {}", snapshot.github_orgs.join(", ")));
        }
        if !snapshot.aws_accounts.is_empty() {
            parts.push(format!("AWS {}", snapshot.aws_accounts.join(", ")));
        }
        if parts.is_empty() {
            "nothing collected".into()
        } else {
            parts.join(" · ")
        }
    }
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

/// The name of an optional status in a change: `absent` when missing.
pub(crate) fn status_name(status: Option<JsonStatus>) -> &'static str {
    match status {
        Some(JsonStatus::Pass) => "pass",
        Some(JsonStatus::Fail) => "fail",
        Some(JsonStatus::Waived) => "waived",
        Some(JsonStatus::Error) => "error",
        Some(JsonStatus::Skipped) => "skipped",
        None => "absent",
    }
}

/// `s` unless there is exactly one.
pub(crate) fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
