//! The audit report as Markdown (GitHub-flavoured), for the security lead's
//! quarterly audit: the verdict and scope, an executive summary (figures,
//! pass rate per pillar), failing and undetermined resources first, what
//! changed since the previous report (with a baseline), waivers with owner,
//! reason and days to expiry, attestations with their evidence links, and
//! every control (or, with `only_failing`, those that need attention) with
//! its status, findings, evidence and remediation.

use std::fmt::Write;

use tenet_engine::{ControlResult, Finding, Report, Status};
use tenet_rules::access::Roster;

use crate::{
    access,
    audit::{
        Audit, AuditOptions, Changes, EXPIRY_WARNING_DAYS, FrameworkView, NOT_IN_CATALOG,
        allowlisted_by, by_severity_words, criterion_status, finding_counts, remediation,
    },
    brief::{self, CARD_ROWS, OVERVIEW_ROWS, OverviewRow},
    completeness,
    evidence::{self, EVIDENCE_ROWS},
    provenance,
    register::granting,
    text::{markdown as md, markdown_code as code},
    words::{plural, status_name},
};

/// Renders the audit report as `options` ask.
pub fn render(report: &Report, options: &AuditOptions<'_>) -> String {
    let report = &crate::text::report(report);
    let audit = Audit::new(report, options);
    let mut out = String::new();
    header(&mut out, &audit);
    contents(&mut out, &audit, options.trend.is_some());
    summary(&mut out, &audit);
    not_assessed(&mut out, &audit);
    failing(&mut out, &audit);
    if let Some(changes) = &audit.changes {
        write_changes(&mut out, changes);
    }
    for view in &audit.frameworks {
        framework_section(&mut out, &audit, view);
    }
    if let Some(trend) = options.trend {
        let _ = writeln!(out, "<a id=\"trend\"></a>\n");
        out.push_str(&trend.markdown_section("##"));
        out.push('\n');
    }
    waivers(&mut out, &audit);
    attestations(&mut out, &audit);
    cards(&mut out, &audit);
    if !audit.only_failing {
        passing(&mut out, &audit);
    }
    if let Some(roster) = &report.access {
        access_appendix(&mut out, roster);
    }
    crate::text::guard_lines(out)
}

/// A second-level heading with an anchor.
fn heading(out: &mut String, anchor: &str, title: &str) {
    let _ = writeln!(out, "## <a id=\"{anchor}\"></a>{}\n", md(title));
}

/// A link to a control's card (or its line among the passing controls).
fn control_link(id: &str) -> String {
    format!("[{}](#{})", code(id), brief::anchor(id))
}

/// The table of contents: one line of links.
fn contents(out: &mut String, audit: &Audit<'_>, trend: bool) {
    let links: Vec<String> = brief::contents(audit, trend)
        .iter()
        .map(|section| format!("[{}](#{})", md(&section.title), section.anchor))
        .collect();
    let _ = writeln!(out, "**Contents:** {}\n", links.join(" · "));
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
    for digest in &report.snapshot.digests {
        let _ = writeln!(out, "| Snapshot digest | {} |", code(digest));
    }
    for row in provenance::rows(&report.snapshot, false) {
        let _ = writeln!(
            out,
            "| {} | {} |",
            row.label,
            provenance::markdown(&row.parts)
        );
    }
    if let Some(period) = report.snapshot.period {
        let _ = writeln!(
            out,
            "| Audit period | {} to {} (UTC, both days included) |",
            period.from, period.to
        );
    }
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

fn summary(out: &mut String, audit: &Audit<'_>) {
    let report = audit.report;
    let f = &audit.figures;
    let total = &audit.total;
    heading(out, "summary", "Executive summary");
    let _ = writeln!(out, "**{}**\n", audit.verdict().1);
    let _ = writeln!(out, "| | |\n| --- | ---: |");
    let _ = writeln!(
        out,
        "| Failing findings | {} |",
        by_severity_words(f.failing, &f.failing_by_severity)
    );
    let _ = writeln!(
        out,
        "| of which fail the run (at or above {} severity) | {} |",
        report.fail_on, f.failing_gating
    );
    let _ = writeln!(
        out,
        "| Undetermined findings | {} |",
        by_severity_words(f.undetermined, &f.undetermined_by_severity)
    );
    let _ = writeln!(out, "| Waived failures (accepted risk) | {} |", f.waived);
    let _ = writeln!(out, "| Allow-listed exceptions | {} |", f.allowlisted);
    let _ = writeln!(
        out,
        "| Attestations missing or overdue | {} |",
        f.attestations_overdue
    );
    let _ = writeln!(
        out,
        "| Attestations due within {EXPIRY_WARNING_DAYS} days | {} |",
        f.attestations_due_soon
    );
    let _ = writeln!(
        out,
        "| Controls passing | {} of {} judged ({}) |",
        total.statuses.pass,
        total.judged(),
        rate(total.pass_rate())
    );
    let _ = writeln!(
        out,
        "| Resources in scope, by kind | {} |\n",
        md(&brief::in_scope_words(&report.controls))
    );
    let _ = writeln!(out, "### By pillar\n");
    let _ = writeln!(
        out,
        "| Pillar | Pass rate | Controls | Pass | Fail | Waived | Error | Skipped | Failing findings |"
    );
    let _ = writeln!(
        out,
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
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
            "| {bold}{}{bold} | {} | {} | {} | {} | {} | {} | {} | {} |",
            row.title,
            bar(row.pass_rate()),
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
    if !audit.frameworks.is_empty() {
        let _ = writeln!(out, "### By framework\n");
        let _ = writeln!(
            out,
            "| Framework | Criteria evidenced | No exceptions found by automated tests | Exceptions found | Exceptions waived | Undetermined | Not tested (controls off) | Not assessed by tenet |"
        );
        let _ = writeln!(
            out,
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        );
        for view in &audit.frameworks {
            let c = view.counts();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                md(&view.framework.name),
                view.rows.len(),
                c.pass,
                c.fail,
                c.waived,
                c.error,
                c.skipped,
                view.not_assessed.len()
            );
        }
        out.push('\n');
    }
}

/// One framework: each criterion tenet's controls evidence, with their
/// status, then the criteria of the catalog none evidences.
fn framework_section(out: &mut String, audit: &Audit<'_>, view: &FrameworkView<'_>) {
    let framework = view.framework;
    heading(
        out,
        &brief::framework_anchor(framework.key),
        &framework.name,
    );
    let _ = writeln!(out, "tenet's catalog of it: {}.\n", md(&framework.coverage));
    if view.rows.is_empty() {
        let _ = writeln!(out, "No control evidences a criterion of it.\n");
    } else {
        let _ = writeln!(out, "| Criterion | Title | Status | Evidenced by |");
        let _ = writeln!(out, "| --- | --- | --- | --- |");
        for row in &view.rows {
            let controls: Vec<String> = row
                .controls
                .iter()
                .map(|c| {
                    let name = if brief::has_anchor(audit, c) {
                        control_link(&c.id)
                    } else {
                        code(&c.id)
                    };
                    format!("{name} ({})", c.status.as_str())
                })
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                md(&row.id),
                md(row.title.unwrap_or(NOT_IN_CATALOG)),
                criterion_status(row),
                controls.join(", ")
            );
        }
        out.push('\n');
    }
    let ids: Vec<String> = view.not_assessed.iter().map(|c| md(&c.id)).collect();
    let _ = writeln!(
        out,
        "Not assessed by tenet ({} of the {} criteria of tenet's catalog of it): {}.\n",
        ids.len(),
        framework.criteria.len(),
        if ids.is_empty() {
            "none".to_owned()
        } else {
            ids.join(", ")
        }
    );
}

/// A pass rate in words: `82%`, or `none judged`.
fn rate(rate: Option<usize>) -> String {
    rate.map_or_else(|| "none judged".to_owned(), |rate| format!("{rate}%"))
}

/// A pass rate as a ten-step bar and its figure: `████████░░ 82%`.
fn bar(pass_rate: Option<usize>) -> String {
    match pass_rate {
        Some(value) => {
            let filled = (value + 5) / 10;
            format!(
                "`{}{}` {value}%",
                "█".repeat(filled),
                "░".repeat(10 - filled)
            )
        }
        None => "none judged".to_owned(),
    }
}

fn write_changes(out: &mut String, changes: &Changes) {
    let diff = &changes.diff;
    heading(out, "changes", "Changes since the previous report");
    let _ = writeln!(
        out,
        "Compared with the report judged as of {}.\n",
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
    heading(out, "failing", brief::FAILING);
    if audit.failing.is_empty() {
        let _ = writeln!(out, "None: every finding passed, was waived or skipped.\n");
        return;
    }
    let _ = writeln!(
        out,
        "Most severe first, failures before undetermined findings; at most {OVERVIEW_ROWS} of each control, whose card lists every one.\n"
    );
    let _ = writeln!(out, "| Status | Severity | Control | Resource | Finding |");
    overview_rows(out, &audit.failing, true);
    out.push('\n');
}

/// The separator and rows of the overview of failing and undetermined
/// findings ([`brief::overview`]: status, severity, control, resource,
/// finding), after its header row; controls linked to their cards when
/// `linked`.
pub(crate) fn overview_rows(
    out: &mut String,
    failing: &[(&ControlResult, &Finding)],
    linked: bool,
) {
    let control_cell = |id: &str| if linked { control_link(id) } else { code(id) };
    let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
    for row in brief::overview(failing) {
        match row {
            OverviewRow::Finding(control, finding) => {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    finding.status.as_str(),
                    control.severity,
                    control_cell(&control.id),
                    code(&finding.resource.id),
                    md(&finding.message)
                );
            }
            OverviewRow::More {
                control,
                status,
                count,
            } => {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {count} more | not listed here |",
                    status.as_str(),
                    control.severity,
                    control_cell(&control.id),
                );
            }
        }
    }
}

/// The introduction of the exceptions register.
pub(crate) const REGISTER_INTRO: &str = "Every exception the policy grants: a waiver accepts failures as risk until it expires; an allow-list entry makes a control pass for what it matches. An approval or expiry the policy does not record is shown so.";

fn waivers(out: &mut String, audit: &Audit<'_>) {
    heading(out, "exceptions", "Exceptions register");
    if audit.exceptions.is_empty() {
        let _ = writeln!(out, "The policy grants no exceptions.\n");
        return;
    }
    let _ = writeln!(out, "{REGISTER_INTRO}\n");
    let _ = writeln!(
        out,
        "| Kind | Control | Covers | Owner | Approval | Reason | Expires | State | Findings |"
    );
    let _ = writeln!(
        out,
        "| --- | --- | --- | --- | --- | --- | --- | --- | ---: |"
    );
    let not_recorded = "not recorded";
    for exception in &audit.exceptions {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            exception.kind(),
            code(exception.control),
            exception.covers_markdown(),
            md(exception.owner.unwrap_or(not_recorded)),
            md(&exception.approval_words()),
            md(exception.reason.unwrap_or(not_recorded)),
            exception.expiry_words(),
            exception.state_words(),
            exception.findings
        );
    }
    let _ = writeln!(out, "\n### Expiring within {EXPIRY_WARNING_DAYS} days\n");
    if audit.expiring.is_empty() {
        let _ = writeln!(out, "None.\n");
    } else {
        for exception in &audit.expiring {
            let _ = writeln!(
                out,
                "- {} of {} for {}: expires {}; owner {}",
                exception.kind(),
                code(exception.control),
                exception.covers_markdown(),
                exception.expiry_words(),
                md(exception.owner.unwrap_or(not_recorded))
            );
        }
        out.push('\n');
    }
}

fn attestations(out: &mut String, audit: &Audit<'_>) {
    heading(out, "attestations", "Attestations");
    if audit.attestations.is_empty() {
        let _ = writeln!(out, "No manual control in this report.\n");
        return;
    }
    let _ = writeln!(out, "| Control | Status | Subject | Finding | Evidence |");
    let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
    for control in &audit.attestations {
        // A manual control's anchor: its card's, else its first row here.
        let mut name = if brief::needs_card(control) {
            control_link(&control.id)
        } else {
            format!(
                "<a id=\"{}\"></a>{}",
                brief::anchor(&control.id),
                code(&control.id)
            )
        };
        if control.findings.is_empty() {
            let _ = writeln!(
                out,
                "| {name} | {} | | {} | |",
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
                "| {name} | {} | {} | {} | {} |",
                finding.status.as_str(),
                code(&finding.resource.id),
                md(&finding.message),
                evidence_cell(finding)
            );
            name = code(&control.id);
        }
    }
    out.push('\n');
}

/// Evidence as `key: value` items separated by `<br>`, lists and objects
/// spelled out ([`evidence::markdown`]), URLs as links. The allow-list mark
/// is shown with the status instead.
fn evidence_cell(finding: &Finding) -> String {
    evidence::human(finding)
        .map(|(key, value)| match evidence::table(value) {
            Some(table) => format!(
                "{}: {}",
                md(&evidence::words(key)),
                evidence::rows_below(key, &table)
            ),
            None => format!(
                "{}: {}",
                md(&evidence::words(key)),
                evidence::markdown(value)
            ),
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

/// The evidence lists of the findings that read best as tables
/// ([`evidence::table`]), after the findings: one table per key, with a
/// row per item of every finding, led by its resource; past
/// [`EVIDENCE_ROWS`] rows, the rest counted.
fn evidence_tables(out: &mut String, findings: &[&Finding]) {
    for table in evidence::merged(findings) {
        let _ = writeln!(out, "{} of the findings above:\n", code(table.key));
        let _ = writeln!(
            out,
            "| resource | {} |",
            table
                .columns
                .iter()
                .map(|c| md(c))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        let _ = writeln!(out, "|{}", " --- |".repeat(table.columns.len() + 1));
        for (resource, row) in table.rows.iter().take(EVIDENCE_ROWS) {
            let cells: Vec<String> = row.iter().map(|value| evidence::markdown(value)).collect();
            let _ = writeln!(out, "| {} | {} |", code(resource), cells.join(" | "));
        }
        out.push('\n');
        if let Some(more) = evidence::more_rows(table.rows.len()) {
            let _ = writeln!(out, "{}\n", md(&more));
        }
    }
}

/// A finding's status for a person: an allow-listed pass names the
/// entries that grant it and their owners.
fn status_cell(report: &Report, control: &ControlResult, finding: &Finding) -> String {
    let Some(parameter) = allowlisted_by(finding) else {
        return finding.status.as_str().to_owned();
    };
    let entries: Vec<String> = granting(report, &control.id, finding)
        .iter()
        .map(|entry| {
            format!(
                "{} (owner {})",
                code(&entry.pattern),
                md(entry.owner.as_deref().unwrap_or("not recorded"))
            )
        })
        .collect();
    if entries.is_empty() {
        format!("pass (allow-listed by {})", code(parameter))
    } else {
        format!(
            "pass (allow-listed by {}: {})",
            code(parameter),
            entries.join(", ")
        )
    }
}

/// The cards of the controls that need attention, most severe first.
fn cards(out: &mut String, audit: &Audit<'_>) {
    heading(out, "attention", brief::ATTENTION);
    let carded = brief::carded(&audit.report.controls);
    if carded.is_empty() {
        let _ = writeln!(out, "None.\n");
        return;
    }
    let _ = writeln!(
        out,
        "Each failed, undetermined or waived control, and each with an allow-listed pass, most severe first: the first {CARD_ROWS} findings that need attention with their evidence, the rest by resource, and the remediation. Passing findings are counted; the JSON report lists every finding with its evidence.\n"
    );
    for control in carded {
        write_card(out, audit, control);
    }
}

fn write_card(out: &mut String, audit: &Audit<'_>, control: &ControlResult) {
    let report = audit.report;
    let card = brief::card(control);
    let _ = writeln!(
        out,
        "### <a id=\"{}\"></a>{}: {}\n",
        brief::anchor(&control.id),
        code(&control.id),
        md(&control.title)
    );
    let _ = writeln!(
        out,
        "**{}** · severity {} · {} · {}\n",
        control.status.as_str().to_uppercase(),
        control.severity,
        control.pillar.title(),
        finding_counts(control)
    );
    if !card.full.is_empty() {
        let _ = writeln!(out, "| Resource | Status | Finding | Evidence |");
        let _ = writeln!(out, "| --- | --- | --- | --- |");
        for finding in &card.full {
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
                status_cell(report, control, finding),
                message,
                evidence_cell(finding)
            );
        }
        out.push('\n');
        evidence_tables(out, &card.full);
    }
    if !card.rest.is_empty() {
        let _ = writeln!(out, "The others, by resource:\n");
        for group in &card.rest {
            let _ = match group.single() {
                Some(id) => writeln!(out, "- {}: {}", group.lead(), code(&id)),
                None => writeln!(
                    out,
                    "- {}, each {} of {}: {}",
                    group.lead(),
                    code(group.item),
                    code(group.prefix),
                    group
                        .scopes
                        .iter()
                        .map(|scope| md(scope))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
        }
        out.push('\n');
    }
    if matches!(
        control.status,
        Status::Fail | Status::Error | Status::Waived
    ) {
        let (first, more) = remediation(control);
        let _ = write!(out, "**Remediation.** {}", md(&first));
        if more {
            let _ = write!(
                out,
                " ({} has the rest.)",
                code(&format!("tenet explain {}", control.id))
            );
        }
        out.push_str("\n\n");
    }
}

/// The controls without a card, one line each, by pillar.
fn passing(out: &mut String, audit: &Audit<'_>) {
    heading(out, "passing", brief::PASSING);
    let _ = writeln!(
        out,
        "One line each (the manual controls are under Attestations, the skipped ones under what was not assessed); the JSON report lists every finding with its evidence, and the HTML report shows it.\n"
    );
    for (pillar, controls) in &audit.by_pillar {
        let listed: Vec<&&ControlResult> = controls
            .iter()
            .filter(|control| brief::in_passing_list(control))
            .collect();
        if listed.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {}\n", pillar.title());
        let _ = writeln!(out, "| Status | Control | Title | Result |");
        let _ = writeln!(out, "| --- | --- | --- | --- |");
        for control in listed {
            let _ = writeln!(
                out,
                "| {} | <a id=\"{}\"></a>{} | {} | {} |",
                control.status.as_str(),
                brief::anchor(&control.id),
                code(&control.id),
                md(&control.title),
                md(&brief::one_line(control))
            );
        }
        out.push('\n');
    }
}

/// The access roster: every person and principal with access, per system,
/// then what could not be read and what tenet never collects.
fn access_appendix(out: &mut String, roster: &Roster) {
    heading(out, "access", brief::ACCESS);
    let _ = writeln!(
        out,
        "Every person and principal with access to the systems read, as the snapshot shows them: the population an access review samples from (`--format csv --population access` exports it). {}.\n",
        md(&access::counts(roster))
    );
    for (system, entries) in access::by_system(roster) {
        let _ = writeln!(out, "### {}\n", md(system));
        let _ = writeln!(
            out,
            "| Name | Kind | Administrator | MFA | Console | Active keys | Last used | Reaches |"
        );
        let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- | --- | --- |");
        for entry in &entries {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                code(&entry.name),
                entry.kind.as_str(),
                md(&access::short(Some(&entry.administrator), access::yes_no)),
                md(&access::short(entry.mfa.as_ref(), access::yes_no)),
                md(&access::short(entry.console.as_ref(), access::yes_no)),
                md(&access::short(entry.active_keys.as_ref(), access::count)),
                md(&access::short(entry.last_used.as_ref(), access::last_used)),
                md(&access::grants(entry))
            );
        }
        out.push('\n');
        let unknown = access::unknowns(&entries);
        if !unknown.is_empty() {
            let _ = writeln!(out, "Unknown, because tenet could not read it:\n");
            for line in unknown {
                let _ = writeln!(out, "- {}", md(&line));
            }
            out.push('\n');
        }
    }
    if !roster.gaps.is_empty() {
        let _ = writeln!(out, "Not read, so the lists above may lack people:\n");
        for gap in &roster.gaps {
            let _ = writeln!(
                out,
                "- {}: {}: {}",
                md(&gap.system),
                md(&gap.what),
                md(&gap.reason)
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Not collected by tenet:\n");
    for line in &roster.not_collected {
        let _ = writeln!(out, "- {}", md(line));
    }
    out.push('\n');
}

/// What the report did not assess, and why.
fn not_assessed(out: &mut String, audit: &Audit<'_>) {
    heading(out, "completeness", brief::COMPLETENESS);
    let found = completeness::completeness(audit.report, &audit.frameworks);
    if found.is_empty() {
        let _ = writeln!(
            out,
            "Every control ran, every region and fact in scope was read.\n"
        );
        return;
    }
    if !found.skipped.is_empty() {
        let _ = writeln!(
            out,
            "**Controls that did not run ({}):**\n",
            found.skipped.len()
        );
        for (reason, controls) in completeness::skipped_by_reason(&found.skipped) {
            let names: Vec<String> = controls
                .iter()
                .map(|control| {
                    if brief::anchored_as_skipped(control) {
                        format!(
                            "<a id=\"{}\"></a>{}",
                            brief::anchor(&control.id),
                            code(&control.id)
                        )
                    } else {
                        control_link(&control.id)
                    }
                })
                .collect();
            let _ = writeln!(out, "- {}: {}", md(reason), names.join(", "));
        }
        out.push('\n');
    }
    if !found.scope.is_empty() {
        let _ = writeln!(out, "**Scope not read:**\n");
        for line in &found.scope {
            let _ = writeln!(out, "- {}", md(line));
        }
        out.push('\n');
    }
    if !found.unread.is_empty() {
        let _ = writeln!(
            out,
            "**Facts tenet could not read** (their findings are undetermined, never passing):\n"
        );
        for unread in &found.unread {
            let (shown, more) = unread.controls_shown();
            let mut controls: Vec<String> = shown.iter().map(|id| control_link(id)).collect();
            if more > 0 {
                controls.push(format!("and {more} more controls"));
            }
            let _ = writeln!(
                out,
                "- {}: {} finding{} of {}",
                md(unread.reason),
                unread.findings,
                plural(unread.findings),
                controls.join(", ")
            );
        }
        if let Some(more) = found.more_reasons() {
            let _ = writeln!(out, "- {more}");
        }
        out.push('\n');
    }
    let frameworks: Vec<String> = found
        .frameworks
        .iter()
        .filter(|(_, missing, _, _)| *missing > 0)
        .map(|(name, missing, total, complete)| {
            completeness::framework_line(name, *missing, *total, *complete)
        })
        .collect();
    if !frameworks.is_empty() {
        let _ = writeln!(out, "**Framework criteria without a control:**\n");
        for line in frameworks {
            let _ = writeln!(out, "- {}", md(&line));
        }
        out.push('\n');
    }
}
