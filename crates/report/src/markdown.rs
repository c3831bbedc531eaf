//! The audit report as Markdown (GitHub-flavoured), for the security lead's
//! quarterly audit: the verdict and scope, a summary per pillar, what
//! changed since the previous report (with a baseline), failing resources,
//! waivers with owner, reason and days to expiry, attestations with their
//! evidence links, and every control with its status, findings, evidence and
//! remediation.

use std::fmt::Write;

use tenet_engine::{ControlResult, Finding, Report, Status};

use crate::{
    audit::{Audit, Changes, EXPIRY_WARNING_DAYS, finding_counts, status_name},
    evidence,
    json::JsonReport,
    text::{markdown as md, markdown_code as code},
};

/// Renders the audit report; `baseline` is the previous JSON report to
/// compare with.
pub fn render(report: &Report, baseline: Option<&JsonReport>) -> String {
    let report = &crate::text::report(report);
    let audit = Audit::new(report, baseline);
    let mut out = String::new();
    header(&mut out, &audit);
    pillars(&mut out, &audit);
    if let Some(changes) = &audit.changes {
        write_changes(&mut out, changes);
    }
    failing(&mut out, &audit);
    waivers(&mut out, &audit);
    attestations(&mut out, &audit);
    controls(&mut out, &audit);
    crate::text::guard_lines(out)
}

fn header(out: &mut String, audit: &Audit<'_>) {
    let report = audit.report;
    let (_, verdict) = audit.verdict();
    let _ = writeln!(out, "# Compliance audit report\n");
    let _ = writeln!(out, "| | |\n| --- | --- |");
    let _ = writeln!(out, "| Result | **{verdict}** |");
    let _ = writeln!(out, "| Scope | {} |", md(&audit.scope()));
    let _ = writeln!(
        out,
        "| Snapshot | collected {} by tenet {} |",
        report.snapshot.collected_at.format("%Y-%m-%d %H:%M UTC"),
        report.snapshot.tenet_version
    );
    let _ = writeln!(out, "| Judged as of | {} |", report.as_of);
    let _ = writeln!(
        out,
        "| Policy | {}, failing findings at or above {} severity fail the run |",
        code(&report.policy),
        report.fail_on
    );
    if let Some(digest) = &report.policy_digest {
        let _ = writeln!(out, "| Policy digest | {} |", code(digest));
    }
    let _ = writeln!(out, "| Report | tenet {} |\n", report.tenet_version);
}

fn pillars(out: &mut String, audit: &Audit<'_>) {
    let _ = writeln!(out, "## Summary by pillar\n");
    let _ = writeln!(
        out,
        "| Pillar | Controls | Pass | Fail | Waived | Error | Skipped | Failing findings |"
    );
    let _ = writeln!(
        out,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for (row, bold) in audit
        .pillars
        .iter()
        .map(|row| (row, ""))
        .chain([(&audit.total, "**")])
    {
        let s = &row.statuses;
        let _ = writeln!(
            out,
            "| {bold}{}{bold} | {} | {} | {} | {} | {} | {} | {} |",
            row.title,
            row.controls,
            s.pass,
            s.fail,
            s.waived,
            s.error,
            s.skipped,
            row.failing_findings
        );
    }
    out.push('\n');
}

fn write_changes(out: &mut String, changes: &Changes) {
    let diff = &changes.diff;
    let _ = writeln!(
        out,
        "## Changes since the previous report\n\nCompared with the report judged as of {}.\n",
        changes.baseline_as_of
    );
    for (title, list) in diff.sections() {
        let _ = writeln!(out, "### {title} ({})\n", list.len());
        if list.is_empty() {
            let _ = writeln!(out, "None.\n");
            continue;
        }
        let _ = writeln!(
            out,
            "| Control | Severity | Resource | Before | Now | Finding |"
        );
        let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- |");
        for change in list {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                code(&change.control),
                change.severity,
                code(&change.resource),
                status_name(change.old),
                status_name(change.new),
                md(&change.message)
            );
        }
        out.push('\n');
    }
}

fn failing(out: &mut String, audit: &Audit<'_>) {
    let _ = writeln!(out, "## Failing and undetermined resources\n");
    if audit.failing.is_empty() {
        let _ = writeln!(out, "None: every finding passed, was waived or skipped.\n");
        return;
    }
    let _ = writeln!(out, "| Status | Severity | Control | Resource | Finding |");
    failing_rows(out, &audit.failing);
    out.push('\n');
}

/// The separator and rows of a table of failing and undetermined findings
/// (status, severity, control, resource, finding), after its header row.
pub(crate) fn failing_rows(out: &mut String, failing: &[(&ControlResult, &Finding)]) {
    let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
    for (control, finding) in failing {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            finding.status.as_str(),
            control.severity,
            code(&control.id),
            code(&finding.resource.id),
            md(&finding.message)
        );
    }
}

fn waivers(out: &mut String, audit: &Audit<'_>) {
    let report = audit.report;
    let _ = writeln!(out, "## Waivers\n");
    if report.waivers.is_empty() {
        let _ = writeln!(out, "The policy has no waivers.\n");
        return;
    }
    let _ = writeln!(
        out,
        "| Control | Resources | Owner | Reason | Expires | Days left | State | Covers |"
    );
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | ---: | --- | ---: |");
    for waiver in &report.waivers {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            code(&waiver.control),
            code(&waiver.resource),
            md(&waiver.owner),
            md(&waiver.reason),
            waiver.expires,
            waiver.days_to_expiry,
            waiver_state(waiver),
            waiver.matched
        );
    }
    let _ = writeln!(out, "\n### Expiring within {EXPIRY_WARNING_DAYS} days\n");
    if audit.expiring.is_empty() {
        let _ = writeln!(out, "None.\n");
    } else {
        for waiver in &audit.expiring {
            let _ = writeln!(
                out,
                "- {} for {}: expires {} (in {} days); owner {}",
                code(&waiver.control),
                code(&waiver.resource),
                waiver.expires,
                waiver.days_to_expiry,
                md(&waiver.owner)
            );
        }
        out.push('\n');
    }
}

/// A waiver's state for a person.
pub(crate) fn waiver_state(waiver: &tenet_engine::WaiverResult) -> &'static str {
    match waiver.state {
        tenet_engine::WaiverState::Expired => "expired",
        tenet_engine::WaiverState::Active if waiver.matched == 0 => "active, matches nothing",
        tenet_engine::WaiverState::Active => "active",
    }
}

fn attestations(out: &mut String, audit: &Audit<'_>) {
    let _ = writeln!(out, "## Attestations\n");
    if audit.attestations.is_empty() {
        let _ = writeln!(out, "No manual control in this report.\n");
        return;
    }
    let _ = writeln!(out, "| Control | Status | Subject | Finding | Evidence |");
    let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
    for control in &audit.attestations {
        if control.findings.is_empty() {
            let _ = writeln!(
                out,
                "| {} | {} | | {} | |",
                code(&control.id),
                control.status.as_str(),
                md(control
                    .skipped_reason
                    .as_deref()
                    .unwrap_or("no attestation"))
            );
        }
        for finding in &control.findings {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                code(&control.id),
                finding.status.as_str(),
                code(&finding.resource.id),
                md(&finding.message),
                evidence_md(finding)
            );
        }
    }
    out.push('\n');
}

/// Evidence as `key: value` items separated by `<br>`, URLs as links.
fn evidence_md(finding: &Finding) -> String {
    finding
        .evidence
        .iter()
        .map(|(key, value)| match evidence::link(value) {
            Some(url) => format!("{}: <{url}>", md(key)),
            None => format!("{}: {}", md(key), md(&evidence::display(value))),
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

fn controls(out: &mut String, audit: &Audit<'_>) {
    let _ = writeln!(out, "## Controls");
    for (pillar, controls) in &audit.by_pillar {
        let _ = writeln!(out, "\n### {}\n", pillar.title());
        for control in controls {
            write_control(out, audit.report, control);
        }
    }
}

fn write_control(out: &mut String, report: &Report, control: &ControlResult) {
    let _ = writeln!(out, "#### {}: {}\n", code(&control.id), md(&control.title));
    let _ = writeln!(
        out,
        "**{}** · severity {} · {}\n",
        control.status.as_str().to_uppercase(),
        control.severity,
        finding_counts(control)
    );
    if let Some(reason) = &control.skipped_reason {
        let _ = writeln!(out, "Skipped: {}\n", md(reason));
    }
    if !control.findings.is_empty() {
        let _ = writeln!(out, "| Resource | Status | Finding | Evidence |");
        let _ = writeln!(out, "| --- | --- | --- | --- |");
        for finding in &control.findings {
            let mut message = md(&finding.message);
            if let Some(waiver) = &finding.waiver {
                let _ = write!(
                    message,
                    "<br>waived by {}:{} until {} (owner {}): {}",
                    md(&report.policy),
                    waiver.line,
                    waiver.expires,
                    md(&waiver.owner),
                    md(&waiver.reason)
                );
            }
            if let Some(waiver) = &finding.expired_waiver {
                let _ = write!(
                    message,
                    "<br>the waiver at {}:{} expired on {}",
                    md(&report.policy),
                    waiver.line,
                    waiver.expires
                );
            }
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                code(&finding.resource.id),
                finding.status.as_str(),
                message,
                evidence_md(finding)
            );
        }
        out.push('\n');
    }
    if matches!(
        control.status,
        Status::Fail | Status::Error | Status::Waived
    ) {
        let _ = writeln!(out, "**Remediation.** {}\n", control.remediation.trim());
    }
}
