//! The audit report as one self-contained HTML file: inline CSS (with a
//! print stylesheet that starts each section on a new page), no script, no
//! external asset. The same sections as the Markdown report, with the pass
//! rates drawn as an inline SVG chart. Every text is escaped by `maud`; the
//! only links are evidence values that are http(s) URLs and framework
//! references.

use maud::{DOCTYPE, Markup, PreEscaped, html};
use tenet_engine::{ControlResult, Finding, Report, Status};
use tenet_rules::access::Roster;

use crate::{
    access,
    audit::{
        Audit, AuditOptions, Changes, EXPIRY_WARNING_DAYS, FrameworkView, NOT_IN_CATALOG,
        PillarRow, allowlisted_by, by_severity_words, criterion_status, finding_counts,
        remediation,
    },
    brief::{self, CARD_ROWS, OVERVIEW_ROWS, OverviewRow},
    completeness,
    evidence::{self, EVIDENCE_ITEMS, EVIDENCE_ROWS},
    markdown::REGISTER_INTRO,
    provenance::{self, Part},
    register::{Covers, Exception, granting},
    trend::{POLICIES_DIFFER, Record, Trend, date, days, rate},
    words::{plural, status_name},
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
                style { (PreEscaped(CSS)) (PreEscaped(page_footer(report, &audit))) }
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
                nav.contents {
                    strong { "Contents" }
                    ol {
                        @for section in brief::contents(&audit, options.trend.is_some()) {
                            li { a href={ "#" (section.anchor) } { (section.title) } }
                        }
                    }
                }
                main {
                    (summary(&audit))
                    (not_assessed(&audit))
                    (failing(&audit))
                    @if let Some(changes) = &audit.changes { (changes_section(changes)) }
                    @for view in &audit.frameworks { (framework_section(&audit, view)) }
                    @if let Some(trend) = options.trend { (trend_section(trend)) }
                    (waivers(&audit))
                    (attestations(&audit))
                    (cards(&audit))
                    @if !audit.only_failing { (passing(&audit)) }
                    @if let Some(roster) = &report.access { (access_appendix(roster)) }
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
        section.summary id="summary" {
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
            p.facts { "Resources in scope, by kind: " (brief::in_scope_words(&report.controls)) "." }
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
fn framework_section(audit: &Audit<'_>, view: &FrameworkView<'_>) -> Markup {
    let framework = view.framework;
    html! {
        section id=(brief::framework_anchor(framework.key)) {
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
                                        @if brief::has_anchor(audit, control) {
                                            (control_link(&control.id))
                                        } @else {
                                            code { (breakable(&control.id)) }
                                        }
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
        section id="trend" {
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
        section id="changes" {
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
        section id="failing" {
            h2 { (brief::FAILING) }
            @if audit.failing.is_empty() {
                p.none { "None: every finding passed, was waived or skipped." }
            } @else {
                p.facts {
                    "Most severe first, failures before undetermined findings; at most "
                    (OVERVIEW_ROWS) " of each control, whose card lists every one."
                }
                table.overview {
                    thead { tr {
                        th { "Status" } th { "Severity" } th { "Control" } th { "Resource" } th { "Finding" }
                    } }
                    tbody {
                        @for row in brief::overview(&audit.failing) {
                            @match row {
                                OverviewRow::Finding(control, finding) => {
                                    tr {
                                        td { (status(finding.status)) } td { (control.severity) }
                                        td { (control_link(&control.id)) }
                                        td { code { (breakable(&finding.resource.id)) } }
                                        td { (finding.message) }
                                    }
                                }
                                OverviewRow::More { control, status: more, count } => {
                                    tr {
                                        td { (status(more)) } td { (control.severity) }
                                        td { (control_link(&control.id)) }
                                        td { (count) " more" } td.none { "listed in the control's card" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A link to a control's card (or its row among the passing controls).
fn control_link(id: &str) -> Markup {
    html! { a href={ "#" (brief::anchor(id)) } { code { (breakable(id)) } } }
}

fn waivers(audit: &Audit<'_>) -> Markup {
    let not_recorded = "not recorded";
    html! {
        section id="exceptions" {
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
        section id="attestations" {
            h2 { "Attestations" }
            @if audit.attestations.is_empty() {
                p.none { "No manual control in this report." }
            } @else {
                table {
                    thead { tr {
                        th { "Control" } th { "Status" } th { "Subject" } th { "Finding" } th { "Evidence" }
                    } }
                    // A manual control's anchor: its card's, else its rows here.
                    @for control in &audit.attestations {
                        @let carded = brief::needs_card(control);
                        @let name = if carded {
                            control_link(&control.id)
                        } else {
                            html! { code { (breakable(&control.id)) } }
                        };
                        tbody id=[(!carded).then(|| brief::anchor(&control.id))] {
                            @if control.findings.is_empty() {
                                tr {
                                    td { (name) } td { (status(control.status)) } td {}
                                    td { (control.skipped_reason.as_deref().unwrap_or("no attestation")) }
                                    td {}
                                }
                            }
                            @for finding in &control.findings {
                                tr {
                                    td { (name) } td { (status(finding.status)) }
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
    let items: Vec<(&String, &serde_json::Value)> = evidence::human(finding).collect();
    html! {
        @if !items.is_empty() {
            dl.evidence {
                @for (key, value) in items {
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
                    @for (resource, row) in table.rows.iter().take(EVIDENCE_ROWS) {
                        tr {
                            td { code { (breakable(resource)) } }
                            @for value in row { td { (evidence_value(value)) } }
                        }
                    }
                }
            }
            @if let Some(more) = evidence::more_rows(table.rows.len()) { p.facts { (more) } }
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
                @let shown = evidence::items_shown(items);
                ol { @for item in items.iter().take(shown) { li { (evidence_value(item)) } } }
                @if let Some(more) = evidence::more(items.len(), shown) { span.more { " " (more) } }
            }
            Value::Array(items) => {
                @for (index, item) in items.iter().take(EVIDENCE_ITEMS).enumerate() {
                    @if index > 0 { ", " }
                    (evidence_value(item))
                }
                @if let Some(more) = evidence::more(items.len(), EVIDENCE_ITEMS) { ", " (more) }
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

/// The cards of the controls that need attention, most severe first.
fn cards(audit: &Audit<'_>) -> Markup {
    let carded = brief::carded(&audit.report.controls);
    html! {
        section id="attention" {
            h2 { (brief::ATTENTION) }
            @if carded.is_empty() {
                p.none { "None." }
            } @else {
                p.facts {
                    "Each failed, undetermined or waived control, and each with an allow-listed pass, most severe first: the first "
                    (CARD_ROWS) " findings that need attention with their evidence, the rest by resource, and the remediation. Passing findings are counted; the JSON report lists every finding with its evidence."
                }
                @for control in carded { (card(audit, control)) }
            }
        }
    }
}

fn card(audit: &Audit<'_>, control: &ControlResult) -> Markup {
    let report = audit.report;
    let card = brief::card(control);
    html! {
        article.control id=(brief::anchor(&control.id)) {
            h3 {
                (status(control.status)) " " code { (breakable(&control.id)) } " " (control.title)
            }
            p.facts {
                "severity " (control.severity) " · " (control.pillar.title()) " · "
                (finding_counts(control))
            }
            @if !card.full.is_empty() {
                table.findings {
                    thead { tr { th { "Resource" } th { "Status" } th { "Finding" } th { "Evidence" } } }
                    tbody {
                        @for finding in &card.full {
                            tr {
                                td { code { (breakable(&finding.resource.id)) } }
                                td { (finding_status(report, control, finding)) }
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
                (evidence_tables(&card.full))
            }
            @if !card.rest.is_empty() {
                p.facts { "The others, by resource:" }
                ul.rest {
                    @for group in &card.rest {
                        li {
                            (group.lead()) ": "
                            @match group.single() {
                                Some(id) => { code { (breakable(&id)) } }
                                None => {
                                    "each " code { (breakable(group.item)) } " of "
                                    code { (breakable(group.prefix)) } ": "
                                    (group.scopes.join(", "))
                                }
                            }
                        }
                    }
                }
            }
            @if matches!(control.status, Status::Fail | Status::Error | Status::Waived) {
                @let (first, more) = remediation(control);
                p.remediation {
                    strong { "Remediation. " } (first)
                    @if more { " (" code { "tenet explain " (control.id) } " has the rest.)" }
                }
            }
        }
    }
}

/// Findings of a passing control its collapsed details show.
const DETAIL_ROWS: usize = 25;

/// The controls without a card, one row each by pillar, their findings
/// and evidence in a collapsed `<details>` (which printing leaves closed).
fn passing(audit: &Audit<'_>) -> Markup {
    html! {
        section id="passing" {
            h2 { (brief::PASSING) }
            p.facts {
                "One line each (the manual controls are under Attestations, the skipped ones under what was not assessed); open a control's details for its findings and evidence (the first "
                (DETAIL_ROWS) "; the JSON report lists every one)."
            }
            table.passing {
                thead { tr { th { "Status" } th { "Control" } th { "Title and result" } } }
                @for (pillar, controls) in &audit.by_pillar {
                    @let listed: Vec<_> = controls.iter().filter(|c| brief::in_passing_list(c)).collect();
                    @if !listed.is_empty() {
                        tbody {
                            tr.pillar { th colspan="3" { (pillar.title()) } }
                            @for control in listed {
                                tr id=(brief::anchor(&control.id)) {
                                    td { (status(control.status)) }
                                    td { code { (breakable(&control.id)) } }
                                    td { (passing_details(control)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A passing or skipped control's one line, with its findings in a
/// collapsed `<details>` when it has any.
fn passing_details(control: &ControlResult) -> Markup {
    let line = html! { span.title { (control.title) } ": " (brief::one_line(control)) };
    if control.findings.is_empty() {
        return line;
    }
    html! {
        details.findings {
            summary { (line) }
            table {
                tbody {
                    @for finding in control.findings.iter().take(DETAIL_ROWS) {
                        tr {
                            td { code { (breakable(&finding.resource.id)) } }
                            td { (finding.message) }
                            td.ev { (evidence_list(finding)) }
                        }
                    }
                }
            }
            @if let Some(more) = evidence::more(control.findings.len(), DETAIL_ROWS) {
                p.facts { (more) }
            }
        }
    }
}

/// The print footer: the report's identity at the left of every page, the
/// page number and count at the right (CSS paged media, which Chromium
/// prints).
fn page_footer(report: &Report, audit: &Audit<'_>) -> String {
    let identity = format!(
        "Compliance audit report · {} · as of {}",
        audit.scope(),
        report.as_of
    );
    format!(
        "@page {{ margin: 14mm 12mm 16mm; @bottom-left {{ content: {}; font: 8pt system-ui, sans-serif; color: #475467; }} @bottom-right {{ content: \"Page \" counter(page) \" of \" counter(pages); font: 8pt system-ui, sans-serif; color: #475467; }} }}\n",
        css_string(&identity)
    )
}

/// `text` as a quoted CSS string inside `<style>`: `"`, `\\`, `<`, `>` and
/// `&` as CSS escapes (so no quote ends the string and no `</style>`
/// ends the sheet), control characters left out.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", u32::from(c))),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The access roster: every person and principal with access, per system,
/// then what could not be read and what tenet never collects.
fn access_appendix(roster: &Roster) -> Markup {
    html! {
        section id="access" {
            h2 { (brief::ACCESS) }
            p.facts {
                "Every person and principal with access to the systems read, as the snapshot shows them: the population an access review samples from ("
                code { "--format csv --population access" } " exports it). " (access::counts(roster)) "."
            }
            @for (system, entries) in access::by_system(roster) {
                h3 { (system) }
                table.access {
                    thead { tr {
                        th { "Name" } th { "Kind" } th { "Administrator" } th { "MFA" } th { "Console" }
                        th.num { "Active keys" } th { "Last used" } th { "Reaches" }
                    } }
                    tbody {
                        @for entry in &entries {
                            tr {
                                td { code { (breakable(&entry.name)) } }
                                td { (entry.kind.as_str()) }
                                td { (access::short(Some(&entry.administrator), access::yes_no)) }
                                td { (access::short(entry.mfa.as_ref(), access::yes_no)) }
                                td { (access::short(entry.console.as_ref(), access::yes_no)) }
                                td.num { (access::short(entry.active_keys.as_ref(), access::count)) }
                                td { (access::short(entry.last_used.as_ref(), access::last_used)) }
                                td { (breakable(&access::grants(entry))) }
                            }
                        }
                    }
                }
                @let unknown = access::unknowns(&entries);
                @if !unknown.is_empty() {
                    p.facts { "Unknown, because tenet could not read it:" }
                    ul.facts { @for line in unknown { li { (line) } } }
                }
            }
            @if !roster.gaps.is_empty() {
                p.facts { "Not read, so the lists above may lack people:" }
                ul {
                    @for gap in &roster.gaps {
                        li { (gap.system) ": " (gap.what) ": " (gap.reason) }
                    }
                }
            }
            p.facts { "Not collected by tenet:" }
            ul.facts {
                @for line in &roster.not_collected { li { (line) } }
            }
        }
    }
}

/// What the report did not assess, and why.
fn not_assessed(audit: &Audit<'_>) -> Markup {
    let found = completeness::completeness(audit.report, &audit.frameworks);
    let name = |control: &ControlResult| {
        if brief::anchored_as_skipped(control) {
            html! { code id=(brief::anchor(&control.id)) { (breakable(&control.id)) } }
        } else {
            control_link(&control.id)
        }
    };
    html! {
        section id="completeness" {
            h2 { (brief::COMPLETENESS) }
            @if found.is_empty() {
                p.none { "Every control ran, every region and fact in scope was read." }
            }
            @if !found.skipped.is_empty() {
                p.facts { strong { "Controls that did not run (" (found.skipped.len()) "):" } }
                ul {
                    @for (reason, controls) in completeness::skipped_by_reason(&found.skipped) {
                        li {
                            (reason) ": "
                            @for (index, control) in controls.iter().enumerate() {
                                @if index > 0 { ", " }
                                (name(control))
                            }
                        }
                    }
                }
            }
            @if !found.scope.is_empty() {
                p.facts { strong { "Scope not read:" } }
                ul { @for line in &found.scope { li { (line) } } }
            }
            @if !found.unread.is_empty() {
                p.facts {
                    strong { "Facts tenet could not read" }
                    " (their findings are undetermined, never passing):"
                }
                ul {
                    @for unread in &found.unread {
                        li {
                            (unread.reason) ": " (unread.findings) " finding"
                            (plural(unread.findings)) " of "
                            @let (shown, more) = unread.controls_shown();
                            @for (index, id) in shown.iter().enumerate() {
                                @if index > 0 { ", " }
                                (control_link(id))
                            }
                            @if more > 0 { " and " (more) " more controls" }
                        }
                    }
                    @if let Some(more) = found.more_reasons() { li { (more) } }
                }
            }
            @let frameworks: Vec<String> = found.frameworks.iter()
                .filter(|(_, missing, _, _)| *missing > 0)
                .map(|(name, missing, total, complete)| completeness::framework_line(name, *missing, *total, *complete))
                .collect();
            @if !frameworks.is_empty() {
                p.facts { strong { "Framework criteria without a control:" } }
                ul { @for line in frameworks { li { (line) } } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::css_string;

    #[test]
    fn a_footer_text_cannot_leave_its_css_string() {
        assert_eq!(css_string("acme · 2026"), "\"acme · 2026\"");
        assert_eq!(
            css_string("x\"; } body { display: none } </style><script>"),
            "\"x\\22 ; } body { display: none } \\3c /style\\3e \\3c script\\3e \""
        );
        assert_eq!(css_string("a\\b\nc"), "\"a\\5c bc\"");
    }
}
