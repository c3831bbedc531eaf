//! GitHub Actions: workflow commands that become annotations on the run and
//! the pull request, and a Markdown job summary.
//!
//! [`annotations`] prints one `::error` per failing finding at or above the
//! policy's `fail_on` (those fail the run), one `::warning` per failing
//! finding below it and per undetermined finding, and one `::notice` per
//! waiver expiring within 30 days. Each is located in the policy file (at
//! the expired waiver's line when one no longer covers the finding, at the
//! attestation's line for a manual control).
//! [`step_summary`] is what the CLI appends to `$GITHUB_STEP_SUMMARY`.

use std::fmt::Write;

use tenet_engine::{ActionsRun, Report, Status, WaiverState};

use crate::{
    audit::{Audit, AuditOptions, EXPIRY_WARNING_DAYS},
    brief::OVERVIEW_ROWS,
    evidence,
    text::{markdown, markdown_code},
    words::plural,
};

/// Renders the workflow commands, one per line.
pub fn annotations(report: &Report) -> String {
    let report = &crate::text::report(report);
    let mut out = String::new();
    let file = (report.policy != tenet_engine::BUILT_IN_POLICY).then_some(report.policy.as_str());
    for control in &report.controls {
        for finding in &control.findings {
            let (command, title) = match finding.status {
                Status::Fail if control.severity >= report.fail_on => {
                    ("error", format!("{} ({})", control.id, control.severity))
                }
                Status::Fail => (
                    "warning",
                    format!("{} ({}, below fail_on)", control.id, control.severity),
                ),
                Status::Error => ("warning", format!("{} (undetermined)", control.id)),
                _ => continue,
            };
            let mut message = format!("{}: {}", finding.resource.id, finding.message);
            let line = evidence::policy_line(finding);
            if let Some(waiver) = &finding.expired_waiver {
                let _ = write!(
                    message,
                    "\nThe waiver at line {} expired on {}.",
                    waiver.line, waiver.expires
                );
            }
            if finding.status == Status::Fail {
                let _ = write!(message, "\nRemediation: {}", control.remediation.trim());
            }
            push(&mut out, command, file, line, &title, &message);
        }
    }
    for waiver in &report.waivers {
        if waiver.state == WaiverState::Active && waiver.days_to_expiry <= EXPIRY_WARNING_DAYS {
            let message = format!(
                "The waiver of {} for {} (owner {}) expires on {}, in {} day{}: {}",
                waiver.control,
                waiver.resource,
                waiver.owner,
                waiver.expires,
                waiver.days_to_expiry,
                plural(usize::try_from(waiver.days_to_expiry).unwrap_or(0)),
                waiver.reason
            );
            push(
                &mut out,
                "notice",
                file,
                waiver.line,
                "waiver expires soon",
                &message,
            );
        }
    }
    out
}

fn push(
    out: &mut String,
    command: &str,
    file: Option<&str>,
    line: usize,
    title: &str,
    message: &str,
) {
    let location = match file {
        Some(file) => format!("file={},line={line},", property(file)),
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "::{command} {location}title={}::{}",
        property(title),
        data(message)
    );
}

/// Escapes a workflow command's message, and keeps the runner's legacy
/// command prefix (`##[`, honoured anywhere in a line) out of it.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace("##[", "##\\[")
}

/// Escapes a workflow command's property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The most a job summary may hold: GitHub refuses a step's summary over
/// 1 MiB.
pub const STEP_SUMMARY_LIMIT: usize = 1024 * 1024;

/// The job summary: verdict, counts, failing and undetermined findings (at
/// most [`OVERVIEW_ROWS`] of each control and status, with where the JSON
/// report has every one: `run`'s artifacts when known), waivers expiring
/// soon (GitHub-flavoured Markdown). It stays under
/// [`STEP_SUMMARY_LIMIT`] whatever the report holds.
pub fn step_summary(report: &Report, run: Option<&ActionsRun>) -> String {
    let report = &crate::text::report(report);
    let audit = Audit::new(report, &AuditOptions::default());
    let mut out = String::new();
    let (_, verdict) = audit.verdict();
    let _ = writeln!(out, "## tenet: {verdict}\n");
    let _ = writeln!(
        out,
        "Policy {} · {} · snapshot collected {}\n",
        markdown_code(&report.policy),
        markdown(&audit.scope()),
        report.snapshot.collected_at.format("%Y-%m-%d %H:%M UTC")
    );
    let _ = writeln!(out, "| | pass | fail | waived | error | skipped |");
    let _ = writeln!(out, "| --- | ---: | ---: | ---: | ---: | ---: |");
    for (name, summary) in [
        ("controls", report.control_summary()),
        ("findings", report.finding_summary()),
    ] {
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {} | {} |",
            summary.pass, summary.fail, summary.waived, summary.error, summary.skipped
        );
    }
    if !audit.failing.is_empty() {
        let _ = writeln!(
            out,
            "\n| status | severity | control | resource | finding |"
        );
        crate::markdown::overview_rows(&mut out, &audit.failing, false);
        let _ = write!(
            out,
            "\nAt most {OVERVIEW_ROWS} findings of each control and status are listed here; the JSON report (`--format json`) has every finding with its evidence"
        );
        match run.and_then(|run| run.url.as_deref()) {
            Some(url) => {
                let _ = writeln!(
                    out,
                    ": keep it as an artifact of [this run]({}).",
                    markdown(url)
                );
            }
            None => out.push_str(".\n"),
        }
    }
    for exception in &audit.expiring {
        let _ = writeln!(
            out,
            "\n> [!WARNING]\n> The {} of {} for {} (owner {}) expires on {}.",
            exception.kind(),
            markdown_code(exception.control),
            exception.covers_markdown(),
            markdown(exception.owner.unwrap_or("not recorded")),
            exception.expiry_words()
        );
    }
    crate::text::guard_lines(within_limit(out))
}

/// `summary` cut at a line so that it and a closing note stay under
/// [`STEP_SUMMARY_LIMIT`]; as it is when it already does.
fn within_limit(mut summary: String) -> String {
    const NOTE: &str = "\n\n(The summary is cut here: GitHub takes at most 1 MiB. The JSON report has every finding.)\n";
    // Room for the note and for the escapes guard_lines may add.
    let budget = STEP_SUMMARY_LIMIT - NOTE.len() - STEP_SUMMARY_LIMIT / 16;
    if summary.len() <= budget {
        return summary;
    }
    let cut = summary[..summary.floor_char_boundary(budget)]
        .rfind('\n')
        .unwrap_or(0);
    summary.truncate(cut);
    summary.push_str(NOTE);
    summary
}

#[cfg(test)]
mod tests {
    use super::{data, property};

    #[test]
    fn workflow_command_values_are_escaped() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(data("x ##[add-mask]y"), "x ##\\[add-mask]y");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
