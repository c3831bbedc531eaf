//! The audit report as one self-contained HTML file: inline CSS (with a
//! print stylesheet), no script, no external asset. The same sections as
//! the Markdown report. Every text is escaped by `maud`; the only links are
//! evidence values that are http(s) URLs and framework references.

use maud::{DOCTYPE, Markup, PreEscaped, html};
use tenet_engine::{ControlResult, Finding, Report, Status};

use crate::{
    audit::{Audit, Changes, EXPIRY_WARNING_DAYS, finding_counts, status_name},
    evidence,
    json::JsonReport,
    markdown::waiver_state,
};

/// The stylesheet, inlined in `<style>`.
const CSS: &str = include_str!("html.css");

/// Renders the audit report; `baseline` is the previous JSON report to
/// compare with.
pub fn render(report: &Report, baseline: Option<&JsonReport>) -> String {
    let report = &crate::text::report(report);
    let audit = Audit::new(report, baseline);
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
                    (pillars(&audit))
                    @if let Some(changes) = &audit.changes { (changes_section(changes)) }
                    (failing(&audit))
                    (waivers(&audit))
                    (attestations(&audit))
                    section {
                        h2 { "Controls" }
                        @for (pillar, controls) in &audit.by_pillar {
                            h3 { (pillar.title()) }
                            @for control in controls { (control_block(report, control)) }
                        }
                    }
                }
            }
        }
    };
    crate::text::guard_lines(page.into_string() + "\n")
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

fn pillars(audit: &Audit<'_>) -> Markup {
    html! {
        section {
            h2 { "Summary by pillar" }
            table {
                thead { tr {
                    th { "Pillar" } th.num { "Controls" } th.num { "Pass" } th.num { "Fail" }
                    th.num { "Waived" } th.num { "Error" } th.num { "Skipped" }
                    th.num { "Failing findings" }
                } }
                tbody {
                    @for row in audit.pillars.iter().chain([&audit.total]) {
                        tr class=[(std::ptr::eq(row, &audit.total)).then_some("total")] {
                            td { (row.title) } td.num { (row.controls) }
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
    let report = audit.report;
    html! {
        section {
            h2 { "Waivers" }
            @if report.waivers.is_empty() {
                p.none { "The policy has no waivers." }
            } @else {
                table {
                    thead { tr {
                        th { "Control" } th { "Resources" } th { "Owner" } th { "Reason" }
                        th { "Expires" } th.num { "Days left" } th { "State" } th.num { "Covers" }
                    } }
                    tbody {
                        @for waiver in &report.waivers {
                            tr class=[(waiver.days_to_expiry <= EXPIRY_WARNING_DAYS).then_some("soon")] {
                                td { code { (breakable(&waiver.control)) } } td { code { (breakable(&waiver.resource)) } }
                                td { (breakable(&waiver.owner)) } td { (waiver.reason) } td { (waiver.expires) }
                                td.num { (waiver.days_to_expiry) } td { (waiver_state(waiver)) }
                                td.num { (waiver.matched) }
                            }
                        }
                    }
                }
                h3 { "Expiring within " (EXPIRY_WARNING_DAYS) " days" }
                @if audit.expiring.is_empty() {
                    p.none { "None." }
                } @else {
                    ul {
                        @for waiver in &audit.expiring {
                            li {
                                code { (breakable(&waiver.control)) } " for " code { (breakable(&waiver.resource)) }
                                ": expires " (waiver.expires) " (in " (waiver.days_to_expiry)
                                " days); owner " (waiver.owner)
                            }
                        }
                    }
                }
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
        @if !finding.evidence.is_empty() {
            dl.evidence {
                @for (key, value) in &finding.evidence {
                    dt { (key) }
                    dd {
                        @if let Some(url) = evidence::link(value) {
                            a href=(url) { (breakable(url)) }
                        } @else {
                            (breakable(&evidence::display(value)))
                        }
                    }
                }
            }
        }
    }
}

fn control_block(report: &Report, control: &ControlResult) -> Markup {
    html! {
        article.control id=(control.id) {
            h4 {
                (status(control.status)) " " code { (breakable(&control.id)) } " " (control.title)
            }
            p.facts { "severity " (control.severity) " · " (finding_counts(control)) }
            @if let Some(reason) = &control.skipped_reason { p { "Skipped: " (reason) } }
            @if !control.findings.is_empty() {
                table {
                    thead { tr { th { "Resource" } th { "Status" } th { "Finding" } th { "Evidence" } } }
                    tbody {
                        @for finding in &control.findings {
                            tr {
                                td { code { (breakable(&finding.resource.id)) } }
                                td { (status(finding.status)) }
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
            }
            @if matches!(control.status, Status::Fail | Status::Error | Status::Waived) {
                p.remediation { strong { "Remediation. " } (control.remediation.trim()) }
            }
        }
    }
}
