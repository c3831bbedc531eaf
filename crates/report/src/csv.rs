//! CSV for spreadsheets: one row per finding (passing ones included), with
//! the control's metadata and framework references, the waiver and the
//! evidence as JSON. Controls
//! without findings get one row with an empty resource and the reason they
//! were skipped. RFC 4180 quoting, a header row, `\n` line ends; no cell
//! starts a formula (see [`crate::text::csv_cell`]).

use tenet_engine::{ControlResult, Finding, Report};

/// The header row.
pub const HEADER: [&str; 15] = [
    "control",
    "title",
    "pillar",
    "severity",
    "control_status",
    "resource",
    "resource_kind",
    "status",
    "message",
    "evidence",
    "waiver_owner",
    "waiver_reason",
    "waiver_expires",
    "expired_waiver",
    "references",
];

/// Renders a report as CSV.
pub fn render(report: &Report) -> String {
    let report = &crate::text::report(report);
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    // Writing records to memory cannot fail; an error would leave the rows out.
    let _ = writer.write_record(HEADER);
    for control in &report.controls {
        if control.findings.is_empty() {
            let _ = writer.write_record(row(control, None));
        }
        for finding in &control.findings {
            let _ = writer.write_record(row(control, Some(finding)));
        }
    }
    let bytes = writer.into_inner().unwrap_or_default();
    crate::text::guard_lines(String::from_utf8(bytes).unwrap_or_default())
}

/// One row, every cell kept from starting a spreadsheet formula.
fn row(control: &ControlResult, finding: Option<&Finding>) -> [String; 15] {
    cells(control, finding).map(|cell| crate::text::csv_cell(&cell))
}

fn cells(control: &ControlResult, finding: Option<&Finding>) -> [String; 15] {
    let waiver = finding.and_then(|f| f.waiver.as_ref());
    [
        control.id.clone(),
        control.title.clone(),
        control.pillar.as_str().to_owned(),
        control.severity.as_str().to_owned(),
        control.status.as_str().to_owned(),
        finding.map(|f| f.resource.id.clone()).unwrap_or_default(),
        finding.map(|f| f.resource.kind.clone()).unwrap_or_default(),
        finding.map_or("skipped", |f| f.status.as_str()).to_owned(),
        match finding {
            Some(finding) => finding.message.clone(),
            None => control.skipped_reason.clone().unwrap_or_default(),
        },
        finding
            .map(|f| serde_json::to_string(&f.evidence).unwrap_or_default())
            .unwrap_or_default(),
        waiver.map(|w| w.owner.clone()).unwrap_or_default(),
        waiver.map(|w| w.reason.clone()).unwrap_or_default(),
        waiver.map(|w| w.expires.to_string()).unwrap_or_default(),
        finding
            .and_then(|f| f.expired_waiver.as_ref())
            .map(|w| format!("line {} expired {}", w.line, w.expires))
            .unwrap_or_default(),
        control
            .references
            .iter()
            .map(|r| format!("{} {}", r.framework, r.id))
            .collect::<Vec<_>>()
            .join("; "),
    ]
}

/// The header row of [`changes`].
pub const CHANGES_HEADER: [&str; 17] = [
    "control",
    "repository",
    "branch",
    "commit",
    "pull_request",
    "author",
    "approvers",
    "not_counted",
    "pushed_by",
    "merged_by",
    "merged_at",
    "committed_at",
    "status",
    "reason",
    "waiver_owner",
    "waiver_reason",
    "waiver_expires",
];

/// The changes of the audit period as CSV, for an auditor to sample from:
/// one row per finding of every control that judges the period's changes,
/// passing ones included, with the pull request, its author, the approvers
/// counted and those not counted (with the reason), who pushed its last
/// commit, who merged it and when. A repository or branch whose changes could not be read is a row of
/// its own with status `error`: the population has no silent gap.
pub fn changes(report: &Report) -> String {
    let report = &crate::text::report(report);
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    // Writing records to memory cannot fail; an error would leave the rows out.
    let _ = writer.write_record(CHANGES_HEADER);
    for control in report
        .controls
        .iter()
        .filter(|control| control.population.as_deref() == Some("changes"))
    {
        for finding in &control.findings {
            let row = change_cells(control, finding).map(|cell| crate::text::csv_cell(&cell));
            let _ = writer.write_record(row);
        }
    }
    let bytes = writer.into_inner().unwrap_or_default();
    crate::text::guard_lines(String::from_utf8(bytes).unwrap_or_default())
}

fn change_cells(control: &ControlResult, finding: &Finding) -> [String; 17] {
    // `github:ORG/REPO[:KIND/NAME]`: the repository, and the branch of a
    // branch's row.
    let id = finding.resource.id.as_str();
    let (scope, part) = id.split_once(':').map_or((id, ""), |(_, rest)| {
        rest.split_once(':').unwrap_or((rest, ""))
    });
    let text = |key: &str| match finding.evidence.get(key) {
        Some(serde_json::Value::String(text)) => text.clone(),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map_or_else(|| item.to_string(), str::to_owned)
            })
            .collect::<Vec<_>>()
            .join("; "),
        Some(serde_json::Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let branch = match text("branch") {
        branch if branch.is_empty() => part.strip_prefix("branch/").unwrap_or_default().to_owned(),
        branch => branch,
    };
    let waiver = finding.waiver.as_ref();
    [
        control.id.clone(),
        scope.to_owned(),
        branch,
        text("commit"),
        match text("pull_request") {
            number if number.is_empty() => number,
            number => format!("#{number}"),
        },
        text("author"),
        text("approvers"),
        text("not_counted"),
        text("pushed_by"),
        text("merged_by"),
        text("merged_at"),
        text("committed_at"),
        finding.status.as_str().to_owned(),
        finding.message.clone(),
        waiver.map(|w| w.owner.clone()).unwrap_or_default(),
        waiver.map(|w| w.reason.clone()).unwrap_or_default(),
        waiver.map(|w| w.expires.to_string()).unwrap_or_default(),
    ]
}
