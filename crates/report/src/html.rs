//! The audit report as one self-contained HTML file: inline CSS (with a
//! print stylesheet that starts each section on a new page), no script, no
//! external asset. The same sections as the Markdown report, with the pass
//! rates drawn as an inline SVG chart. Every text is escaped by `maud`; the
//! only links are evidence values that are http(s) URLs and framework
//! references.

use maud::{DOCTYPE, Markup, PreEscaped, html};
use tenet_engine::{ControlResult, Finding, Report, Status};

use crate::{
    audit::{
        Audit, AuditOptions, Changes, EXPIRY_WARNING_DAYS, FrameworkView, NOT_IN_CATALOG,
        PillarRow, allowlisted_by, by_severity_words, criterion_status, finding_counts,
        needs_attention, paragraphs, passing_per_scope, status_name,
    },
    evidence,
    markdown::REGISTER_INTRO,
    provenance::{self, Part},
    register::{Covers, Exception, granting},
    trend::{POLICIES_DIFFER, Record, Trend, date, days, rate},
};

/// The stylesheet, inlined in `<style>`.
const CSS: &str = include_str!("html.css");

/// Renders the audit report as `options` ask.
pub fn render(report: &Report, options: &AuditOptions<'_>) -> String {
    let report = &crate::text::report(report);
    let audit = Audit::new(report, options);
    let (verdict_status, verdict) = audit.verdict();
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Compliance audit report · " (report.as_of) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header {
                    h1 { "Compliance audit report" }
                    p class={ "verdict " (verdict_status.as_str()) } { (verdict) }
                    dl class="meta" {
                        dt { "Scope" } dd { (audit.scope()) }
                        dt { "Snapshot" } dd {
                            "collected " (report.snapshot.collected_at.format("%Y-%m-%d %H:%M UTC"))
                            " by tenet " (report.snapshot.tenet_version)
                        }
                        @for digest in &report.snapshot.digests {
                            dt { "Snapshot digest" } dd { code { (digest) } }
                        }
                        @for row in provenance::rows(&report.snapshot, false) {
                            dt { (row.label) } dd { (parts(&row.parts)) }
                        }
                        @if let Some(period) = report.snapshot.period {
                            dt { "Audit period" } dd {
                                (period.from) " to " (period.to) " (UTC, both days included)"
                            }
                        }
                        dt { "Judged as of" } dd { (report.as_of) }
                        dt { "Policy" } dd {
                            code { (report.policy) } ", failing findings at or above "
                            (report.fail_on) " severity fail the run"
                        }
                        @if let Some(digest) = &report.policy_digest {
                            dt { "Policy digest" } dd { code { (digest) } }
                        }
                        dt { "Report" } dd { "tenet " (report.tenet_version) }
                    }
                }
                main {
                    (summary(&audit))
                    (failing(&audit))
                    @if let Some(changes) = &audit.changes { (changes_section(changes)) }
                    @for view in &audit.frameworks { (framework_section(view)) }
                    @if let Some(trend) = options.trend { (trend_section(trend)) }
                    (waivers(&audit))
                    (attestations(&audit))
                    (controls(&audit))
                }
            }
        }
    };
    crate::text::guard_lines(page.into_string() + "\n")
}

/// Header parts: names as code, links only to `https` pages.
fn parts(parts: &[Part]) -> Markup {
    html! {
        @for part in parts {
            @match part {
                Part::Text(text) => (text),
                Part::Code(name) => code { (breakable(name)) },
                Part::Link(url) if url.starts_with("https://") => a href=(url) { (breakable(url)) },
                Part::Link(url) => (breakable(url)),
            }
        }
    }
}

/// Text with a line-break opportunity (`<wbr>`) after each of `/:.,_@&?=`,
/// so that long ARNs, URLs and JSON wrap at their joints in narrow columns.
fn breakable(text: &str) -> Markup {
    html! {
        @for (index, part) in text.split_inclusive(|c| "/:.,_@&?=".contains(c)).enumerate() {
            @if index > 0 { wbr; }
            (part)
        }
    }
}

fn status(status: Status) -> Markup {
    html! { span class={ "status " (status.as_str()) } { (status.as_str()) } }
}

fn summary(audit: &Audit<'_>) -> Markup {
    let report = audit.report;
    let f = &audit.figures;
    let total = &audit.total;
    html! {
        section.summary {
            h2 { "Executive summary" }
            table.figures {
                tbody {
                    tr { th { "Failing findings" }
                         td.num { (by_severity_words(f.failing, &f.failing_by_severity)) } }
                    tr { th { "of which fail the run (at or above " (report.fail_on) " severity)" }
                         td.num { (f.failing_gating) } }
                    tr { th { "Undetermined findings" }
                         td.num { (by_severity_words(f.undetermined, &f.undetermined_by_severity)) } }
                    tr { th { "Waived failures (accepted risk)" } td.num { (f.waived) } }
                    tr { th { "Allow-listed exceptions" } td.num { (f.allowlisted) } }
                    tr { th { "Attestations missing or overdue" } td.num { (f.attestations_overdue) } }
                    tr { th { "Attestations due within " (EXPIRY_WARNING_DAYS) " days" } td.num { (f.attestations_due_soon) } }
                    tr { th { "Controls passing" }
                         td.num { (total.statuses.pass) " of " (total.judged()) " judged"
                                  @if let Some(rate) = total.pass_rate() { " (" (rate) "%)" } } }
                }
            }
            @if !audit.frameworks.is_empty() {
                h3 { "By framework" }
                table {
                    thead { tr {
                        th { "Framework" } th.num { "Criteria evidenced" }
                        th.num { "No exceptions found by automated tests" } th.num { "Exceptions found" }
                        th.num { "Exceptions waived" } th.num { "Undetermined" }
                        th.num { "Not tested (controls off)" } th.num { "Not assessed by tenet" }
                    } }
                    tbody {
                        @for view in &audit.frameworks {
                            @let c = view.counts();
                            tr {
                                td { (view.framework.name) }
                                td.num { (view.rows.len()) } td.num { (c.pass) } td.num { (c.fail) }
                                td.num { (c.waived) } td.num { (c.error) } td.num { (c.skipped) }
                                td.num { (view.not_assessed.len()) }
                            }
                        }
                    }
                }
            }
            h3 { "Pass rate by pillar" }
            (chart(&audit.pillars))
            p.legend {
                span.key.pass {} "pass " span.key.waived {} "waived " span.key.error {} "error "
                span.key.fail {} "fail, of the judged controls (skipped ones are not counted)"
            }
            table {
                thead { tr {
                    th { "Pillar" } th.num { "Pass rate" } th.num { "Controls" } th.num { "Pass" }
                    th.num { "Fail" } th.num { "Waived" } th.num { "Error" } th.num { "Skipped" }
                    th.num { "Failing findings" }
                } }
                tbody {
                    @for row in audit.pillars.iter().chain([&audit.total]) {
                        tr class=[(std::ptr::eq(row, &audit.total)).then_some("total")] {
                            td { (row.title) }
                            td.num { @match row.pass_rate() { Some(rate) => { (rate) "%" } None => { "none judged" } } }
                            td.num { (row.controls) }
                            td.num { (row.statuses.pass) } td.num { (row.statuses.fail) }
                            td.num { (row.statuses.waived) } td.num { (row.statuses.error) }
                            td.num { (row.statuses.skipped) } td.num { (row.failing_findings) }
                        }
                    }
                }
            }
        }
    }
}

/// A pillar's bar as (status, x, width) segments from `start`: pass,
/// waived, error, fail, in proportion to its judged controls.
fn segments(row: &PillarRow, start: usize) -> Vec<(&'static str, usize, usize)> {
    let s = &row.statuses;
    let judged = row.judged().max(1);
    let mut x = start;
    let mut out = Vec::new();
    for (class, count) in [
        ("pass", s.pass),
        ("waived", s.waived),
        ("error", s.error),
        ("fail", s.fail),
    ] {
        let width = count * BAR / judged;
        if width > 0 {
            out.push((class, x, width));
            x += width;
        }
    }
    out
}

/// Width of a chart's bars, in SVG units.
const BAR: usize = 400;

/// The judged controls of each pillar as a stacked bar (pass, waived,
/// error, fail) with the pass rate beside it: an inline SVG, drawn from
/// whole numbers so that the same report gives the same bytes.
fn chart(rows: &[PillarRow]) -> Markup {
    let row_height = 22;
    let label = 230;
    let height = rows.len() * row_height + 4;
    let width = label + BAR + 70;
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" role="img" width=(width) height=(height)
            viewBox={ "0 0 " (width) " " (height) } {
            title { "Pass rate of the judged controls, by pillar" }
            @for (index, row) in rows.iter().enumerate() {
                @let y = index * row_height + 2;
                text x="0" y=(y + 15) { (row.title) }
                @let judged = row.judged();
                @if judged == 0 {
                    rect class="none" x=(label) y=(y + 3) width=(BAR) height="14" {}
                    text x=(label + BAR + 8) y=(y + 15) { "none judged" }
                } @else {
                    @for (class, x, w) in segments(row, label) {
                        rect class=(class) x=(x) y=(y + 3) width=(w) height="14" {}
                    }
                    text x=(label + BAR + 8) y=(y + 15) { (row.pass_rate().unwrap_or(0)) "%" }
                }
            }
        }
    }
}

/// One framework: each criterion tenet's controls evidence, with their
/// status, then the criteria of the catalog none evidences.
fn framework_section(view: &FrameworkView<'_>) -> Markup {
    let framework = view.framework;
    html! {
        section {
            h2 { (framework.name) }
            p.facts { "tenet's catalog of it: " (framework.coverage) "." }
            @if view.rows.is_empty() {
                p.none { "No control evidences a criterion of it." }
            } @else {
                table {
                    thead { tr { th { "Criterion" } th { "Title" } th { "Status" } th { "Evidenced by" } } }
                    tbody {
                        @for row in &view.rows {
                            tr {
                                td { code { (row.id) } }
                                td { (row.title.unwrap_or(NOT_IN_CATALOG)) }
                                td { span class={ "status " (row.status.as_str()) } { (criterion_status(row)) } }
                                td {
                                    @for (index, control) in row.controls.iter().enumerate() {
                                        @if index > 0 { br; }
                                        a href={ "#" (control.id) } { code { (breakable(&control.id)) } }
                                        " (" (control.status.as_str()) ")"
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h3 { "Not assessed by tenet (" (view.not_assessed.len()) " of the " (framework.criteria.len()) " criteria of tenet's catalog of it)" }
            @if view.not_assessed.is_empty() {
                p.none { "None." }
            } @else {
                details {
                    summary { "The criteria no control of this report evidences" }
                    ul.criteria {
                        @for criterion in &view.not_assessed {
                            li { code { (criterion.id) } " " (criterion.title) }
                        }
                    }
                }
            }
        }
    }
}

/// The trend over the audit period: per control and failing resource, the
/// share of runs passing, failures, first and last, longest streak.
fn trend_section(trend: &Trend) -> Markup {
    let row = |name: Markup, severity: &str, record: &Record| {
        html! {
            tr {
                td { (name) } td { (severity) } td.num { (rate(record.pass_rate)) }
                td.num { (record.judged) } td.num { (record.failed) } td.num { (record.waived) }
                td.num { (record.undetermined) } td { (date(record.first_failure)) }
                td { (date(record.last_failure)) } td.num { (record.longest_failing_streak) }
            }
        }
    };
    html! {
        section {
            h2 { "Trend over the audit period" }
            p { (trend.headline()) }
            @if trend.policies_differ { p.expired { (POLICIES_DIFFER) } }
            p { "Days without a run: "
                @if trend.missing_days.is_empty() { "none" } @else { (days(&trend.missing_days)) } "." }
            table {
                thead { tr {
                    th { "Control" } th { "Severity" } th.num { "Pass rate" } th.num { "Runs judged" }
                    th.num { "Failed" } th.num { "Waived" } th.num { "Undetermined" }
                    th { "First failure" } th { "Last failure" } th.num { "Longest failing streak" }
                } }
                tbody {
                    @for control in &trend.controls {
                        (row(html! { code { (breakable(&control.id)) } }, control.severity.as_str(), &control.record))
                        @for resource in &control.failing_resources {
                            (row(html! { "↳ " code { (breakable(&resource.resource)) } }, "", &resource.record))
                        }
                    }
                }
            }
            @for (id, population) in trend.populations() {
                p { code { (breakable(id)) } ": " (population.sentence()) "." }
            }
        }
    }
}

fn changes_section(changes: &Changes) -> Markup {
    let diff = &changes.diff;
    let sections = diff.sections();
    html! {
        section {
            h2 { "Changes since the previous report" }
            p { "Compared with the report judged as of " (changes.baseline_as_of) "." }
            @for (title, list) in sections {
                h3 { (title) " (" (list.len()) ")" }
                @if list.is_empty() {
                    p.none { "None." }
                } @else {
                    table {
                        thead { tr {
                            th { "Control" } th { "Severity" } th { "Resource" }
                            th { "Before" } th { "Now" } th { "Finding" }
                        } }
                        tbody {
                            @for change in list {
                                tr {
                                    td { code { (breakable(&change.control)) } } td { (change.severity) }
                                    td { code { (breakable(&change.resource)) } }
                                    td { (status_name(change.old)) } td { (status_name(change.new)) }
                                    td { (change.message) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn failing(audit: &Audit<'_>) -> Markup {
    html! {
        section {
            h2 { "Failing and undetermined resources" }
            @if audit.failing.is_empty() {
                p.none { "None: every finding passed, was waived or skipped." }
            } @else {
                table {
                    thead { tr {
                        th { "Status" } th { "Severity" } th { "Control" } th { "Resource" } th { "Finding" }
                    } }
                    tbody {
                        @for (control, finding) in &audit.failing {
                            tr {
                                td { (status(finding.status)) } td { (control.severity) }
                                td { code { (breakable(&control.id)) } } td { code { (breakable(&finding.resource.id)) } }
                                td { (finding.message) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn waivers(audit: &Audit<'_>) -> Markup {
    let not_recorded = "not recorded";
    html! {
        section {
            h2 { "Exceptions register" }
            @if audit.exceptions.is_empty() {
                p.none { "The policy grants no exceptions." }
            } @else {
                p { (REGISTER_INTRO) }
                table {
                    thead { tr {
                        th { "Kind" } th { "Control" } th { "Covers" } th { "Owner" } th { "Approval" }
                        th { "Reason" } th { "Expires" } th { "State" } th.num { "Findings" }
                    } }
                    tbody {
                        @for exception in &audit.exceptions {
                            tr class=[exception.expires_within(EXPIRY_WARNING_DAYS).then_some("soon")] {
                                td { (exception.kind()) }
                                td { code { (breakable(exception.control)) } }
                                td { (covers(exception)) }
                                td { (breakable(exception.owner.unwrap_or(not_recorded))) }
                                td { (exception.approval_words()) }
                                td { (exception.reason.unwrap_or(not_recorded)) }
                                td { (exception.expiry_words()) }
                                td { (exception.state_words()) }
                                td.num { (exception.findings) }
                            }
                        }
                    }
                }
                h3 { "Expiring within " (EXPIRY_WARNING_DAYS) " days" }
                @if audit.expiring.is_empty() {
                    p.none { "None." }
                } @else {
                    ul {
                        @for exception in &audit.expiring {
                            li {
                                (exception.kind()) " of " code { (breakable(exception.control)) }
                                " for " (covers(exception)) ": expires " (exception.expiry_words())
                                "; owner " (exception.owner.unwrap_or(not_recorded))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// What an exception covers: a resource glob, or an allow-list's pattern.
fn covers(exception: &Exception<'_>) -> Markup {
    html! {
        @match exception.covers {
            Covers::Resources(glob) => code { (breakable(glob)) },
            Covers::Entry { parameter, pattern } => {
                code { (parameter) } ": " code { (breakable(pattern)) }
            }
        }
    }
}

fn attestations(audit: &Audit<'_>) -> Markup {
    html! {
        section {
            h2 { "Attestations" }
            @if audit.attestations.is_empty() {
                p.none { "No manual control in this report." }
            } @else {
                table {
                    thead { tr {
                        th { "Control" } th { "Status" } th { "Subject" } th { "Finding" } th { "Evidence" }
                    } }
                    tbody {
                        @for control in &audit.attestations {
                            @if control.findings.is_empty() {
                                tr {
                                    td { code { (breakable(&control.id)) } } td { (status(control.status)) } td {}
                                    td { (control.skipped_reason.as_deref().unwrap_or("no attestation")) }
                                    td {}
                                }
                            }
                            @for finding in &control.findings {
                                tr {
                                    td { code { (breakable(&control.id)) } } td { (status(finding.status)) }
                                    td { code { (breakable(&finding.resource.id)) } } td { (finding.message) }
                                    td.ev { (evidence_list(finding)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn evidence_list(finding: &Finding) -> Markup {
    html! {
        @if finding.evidence.keys().any(|key| evidence::shown(key)) {
            dl.evidence {
                @for (key, value) in &finding.evidence {
                    @if evidence::shown(key) {
                        dt { (evidence::words(key)) }
                        @match evidence::table(value) {
                            Some(table) => { dd { (evidence::rows_below(key, &table)) } }
                            None => { dd { (evidence_value(value)) } }
                        }
                    }
                }
            }
        }
    }
}

/// The evidence lists of the findings that read best as tables
/// ([`evidence::table`]), after the findings: one table per key, with a
/// row per item of every finding, led by its resource.
fn evidence_tables(findings: &[&Finding]) -> Markup {
    html! {
        @for table in evidence::merged(findings) {
            p.facts { code { (table.key) } " of the findings above:" }
            table.evidence {
                thead { tr { th { "resource" } @for column in &table.columns { th { (column) } } } }
                tbody {
                    @for (resource, row) in &table.rows {
                        tr {
                            td { code { (breakable(resource)) } }
                            @for value in row { td { (evidence_value(value)) } }
                        }
                    }
                }
            }
        }
    }
}

/// An evidence value as text, a list or nested pairs, never raw JSON.
fn evidence_value(value: &serde_json::Value) -> Markup {
    use serde_json::Value;
    html! {
        @match value {
            Value::Array(items) if items.is_empty() => { "none" }
            Value::Array(items) if items.iter().any(|item| item.is_object() || item.is_array()) => {
                ol { @for item in items { li { (evidence_value(item)) } } }
            }
            Value::Array(items) => {
                @for (index, item) in items.iter().enumerate() {
                    @if index > 0 { ", " }
                    (evidence_value(item))
                }
            }
            Value::Object(map) => {
                dl.nested {
                    @for (key, value) in map { dt { (key) } dd { (evidence_value(value)) } }
                }
            }
            scalar => {
                @if let Some(url) = evidence::link(scalar) {
                    a href=(url) { (breakable(url)) }
                } @else {
                    (breakable(&evidence::display(scalar)))
                }
            }
        }
    }
}

/// A finding's status: an allow-listed pass is marked as the exception it
/// is, with the entries that grant it and their owners.
fn finding_status(report: &Report, control: &ControlResult, finding: &Finding) -> Markup {
    html! {
        @match allowlisted_by(finding) {
            Some(parameter) => {
                span.status.allowlisted title={ "passes by the allow-list " (parameter) } { "allow-listed" }
                br;
                span.facts {
                    "by " code { (parameter) }
                    @for entry in granting(report, &control.id, finding) {
                        br;
                        code { (breakable(&entry.pattern)) }
                        " (owner " (entry.owner.as_deref().unwrap_or("not recorded")) ")"
                    }
                }
            }
            None => { (status(finding.status)) }
        }
    }
}

fn controls(audit: &Audit<'_>) -> Markup {
    html! {
        section {
            h2 { "Controls" }
            @if audit.only_failing {
                p.none {
                    "Only the controls with failing, undetermined, waived or allow-listed findings, and those findings, are listed (--only-failing); the summary counts every finding."
                }
            }
            @for (pillar, controls) in &audit.by_pillar {
                @let listed: Vec<_> = controls
                    .iter()
                    .filter(|control| !audit.only_failing || control.findings.iter().any(needs_attention))
                    .collect();
                @if !listed.is_empty() {
                    h3 { (pillar.title()) }
                    @for control in listed { (control_block(audit, control)) }
                }
            }
        }
    }
}

fn control_block(audit: &Audit<'_>, control: &ControlResult) -> Markup {
    let report = audit.report;
    let shown = audit.shown(control);
    let passing = passing_per_scope(control);
    html! {
        article.control id=(control.id) {
            h4 {
                (status(control.status)) " " code { (breakable(&control.id)) } " " (control.title)
            }
            p.facts { "severity " (control.severity) " · " (finding_counts(control)) }
            @if let Some(reason) = &control.skipped_reason { p { "Skipped: " (reason) } }
            @if !shown.is_empty() {
                table {
                    thead { tr { th { "Resource" } th { "Status" } th { "Finding" } th { "Evidence" } } }
                    tbody {
                        @for finding in &shown {
                            tr {
                                td { code { (breakable(&finding.resource.id)) } }
                                td { (finding_status(audit.report, control, finding)) }
                                td {
                                    (finding.message)
                                    @if let Some(waiver) = &finding.waiver {
                                        br;
                                        span.waiver {
                                            "waived by " (report.policy) ":" (waiver.line) " until "
                                            (waiver.expires) " (owner " (waiver.owner) "): " (waiver.reason)
                                        }
                                    }
                                    @if let Some(waiver) = &finding.expired_waiver {
                                        br;
                                        span.expired {
                                            "the waiver at " (report.policy) ":" (waiver.line)
                                            " expired on " (waiver.expires)
                                        }
                                    }
                                }
                                td.ev { (evidence_list(finding)) }
                            }
                        }
                    }
                }
                (evidence_tables(&shown))
            }
            @if !passing.is_empty() {
                p.population {
                    "Passing " (control.population.as_deref().unwrap_or("items"))
                    ", counted per repository (the JSON report lists each one): "
                    @for (index, (scope, ids)) in passing.iter().enumerate() {
                        @if index > 0 { ", " }
                        code { (breakable(scope)) } " " (ids.len())
                    }
                    "."
                }
            }
            @if matches!(control.status, Status::Fail | Status::Error | Status::Waived) {
                div.remediation {
                    @for (index, paragraph) in paragraphs(&control.remediation).iter().enumerate() {
                        p {
                            @if index == 0 { strong { "Remediation. " } }
                            (paragraph)
                        }
                    }
                }
            }
        }
    }
}
