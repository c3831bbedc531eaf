//! The human report: what failed, what could not be checked, what is waived,
//! and the verdict. Passing findings are counted, not listed.

use std::fmt::Write;

use owo_colors::{OwoColorize, Style};
use tenet_engine::{ControlResult, Finding, Report, Status, Verdict, WaiverState};

use crate::words::plural;

/// Findings of a control the table lists before it counts the rest.
const LISTED_PER_CONTROL: usize = 10;

/// Renders a report for a terminal or a log. `color` adds ANSI colours; the
/// caller decides (a terminal, and `NO_COLOR` unset). `frameworks` (keys)
/// adds a line per framework, besides those of the report's policy.
pub fn render(report: &Report, color: bool, frameworks: &[String]) -> String {
    let report = &crate::text::report(report);
    let paint = Painter { color };
    let mut out = String::new();
    let snapshot = &report.snapshot;
    let _ = writeln!(
        out,
        "{}",
        paint.bold(&format!(
            "tenet {} · snapshot of {} collected by tenet {} · as of {} · policy {}",
            report.tenet_version,
            snapshot.collected_at.format("%Y-%m-%d %H:%M UTC"),
            snapshot.tenet_version,
            report.as_of,
            report.policy,
        ))
    );
    let _ = writeln!(out, "scope: {}", crate::audit::scope_line(&report.snapshot));
    for row in crate::provenance::rows(&report.snapshot, true) {
        let _ = writeln!(
            out,
            "{}: {}",
            row.label.to_lowercase(),
            crate::provenance::plain(&row.parts)
        );
    }
    out.push('\n');

    let mut controls: Vec<&ControlResult> = report.controls.iter().collect();
    // What needs attention first, most severe first and failures before
    // undetermined and waived controls; then the rest by status and id.
    controls.sort_by_key(|c| {
        let attention = matches!(c.status, Status::Fail | Status::Error | Status::Waived);
        (
            !attention,
            std::cmp::Reverse(attention.then_some(c.severity)),
            std::cmp::Reverse(c.status.rank()),
            c.id.as_str(),
        )
    });
    let id_width = controls
        .iter()
        .map(|c| c.id.len())
        .max()
        .unwrap_or(0)
        .max("CONTROL".len());
    let _ = writeln!(
        out,
        "{}",
        paint.dim(&format!(
            "{:<7}  {:<8}  {:<id_width$}  TITLE",
            "STATUS", "SEVERITY", "CONTROL"
        ))
    );
    for control in controls {
        let _ = writeln!(
            out,
            "{}  {:<8}  {:<id_width$}  {}",
            paint.status(
                control.status,
                &format!("{:<7}", control.status.as_str().to_uppercase())
            ),
            control.severity.as_str(),
            control.id,
            control.title,
        );
        if let Some(reason) = &control.skipped_reason {
            let _ = writeln!(out, "         {}", paint.dim(reason));
        }
        let listed: Vec<&Finding> = control
            .findings
            .iter()
            .filter(|f| f.status != Status::Pass)
            .collect();
        // Messages line up after the longest resource id of the control.
        let resource_width = listed
            .iter()
            .take(LISTED_PER_CONTROL)
            .map(|f| f.resource.id.chars().count())
            .max()
            .unwrap_or(0);
        for finding in listed.iter().take(LISTED_PER_CONTROL) {
            write_finding(&mut out, &paint, report, finding, resource_width);
        }
        if let Some(more) = crate::evidence::more(listed.len(), LISTED_PER_CONTROL) {
            let _ = writeln!(out, "         {}", paint.dim(&more));
        }
        if control.status == Status::Fail {
            let _ = writeln!(
                out,
                "         {} {} (`tenet explain {}` has the rest)",
                paint.dim("fix:"),
                first_sentence(&control.remediation),
                control.id
            );
        }
    }
    out.push('\n');
    write_waivers(&mut out, report);
    write_allowlist(&mut out, report);
    write_frameworks(&mut out, report, frameworks);
    write_not_assessed(&mut out, report);
    write_summary(&mut out, &paint, report);
    crate::text::guard_lines(out)
}

/// One line per framework asked for: its criteria evidenced, by status, and
/// those not assessed by tenet.
fn write_frameworks(out: &mut String, report: &Report, frameworks: &[String]) {
    for view in crate::audit::framework_views(report, frameworks) {
        let c = view.counts();
        let _ = writeln!(
            out,
            "{}: {} criteria evidenced: {} with no exceptions found by automated tests, {} with exceptions, {} with exceptions waived, {} undetermined, {} not tested; {} of the {} criteria of tenet's catalog not assessed by tenet",
            view.framework.name,
            view.rows.len(),
            c.pass,
            c.fail,
            c.waived,
            c.error,
            c.skipped,
            view.not_assessed.len(),
            view.framework.criteria.len()
        );
    }
}

/// The first sentence of `text`, its lines joined: up to the first period
/// followed by a space that does not end an ellipsis (`…_TLS13_...`).
fn first_sentence(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let end = joined
        .match_indices(". ")
        .map(|(at, _)| at)
        .find(|&at| at == 0 || joined.as_bytes()[at - 1] != b'.');
    match end {
        Some(end) => joined[..=end].to_owned(),
        None => joined,
    }
}

fn write_finding(
    out: &mut String,
    paint: &Painter,
    report: &Report,
    finding: &Finding,
    resource_width: usize,
) {
    let _ = writeln!(
        out,
        "         {}  {:<resource_width$}  {}",
        paint.status(finding.status, &format!("{:<7}", finding.status.as_str())),
        finding.resource.id,
        finding.message,
    );
    if let Some(waiver) = &finding.waiver {
        let _ = writeln!(
            out,
            "                  waived by {}:{} until {} (owner {}): {}",
            report.policy, waiver.line, waiver.expires, waiver.owner, waiver.reason
        );
    }
    if let Some(waiver) = &finding.expired_waiver {
        let _ = writeln!(
            out,
            "                  {}",
            paint.status(
                Status::Fail,
                &format!(
                    "waiver at {}:{} expired on {}; it no longer covers this finding",
                    report.policy, waiver.line, waiver.expires
                )
            )
        );
    }
}

/// What was not assessed beyond the skipped controls listed above: the
/// scope not read, and why facts could not be read.
fn write_not_assessed(out: &mut String, report: &Report) {
    let found = crate::completeness::completeness(report, &[]);
    if found.scope.is_empty() && found.unread.is_empty() {
        return;
    }
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
    let _ = writeln!(out, "Not assessed:");
    for line in &found.scope {
        let _ = writeln!(out, "  {line}");
    }
    for unread in &found.unread {
        let (controls, more) = unread.controls_shown();
        let more = if more > 0 {
            format!(" and {more} more controls")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  could not read: {} ({} finding{} of {}{more})",
            unread.reason,
            unread.findings,
            plural(unread.findings),
            controls.join(", ")
        );
    }
    if let Some(more) = found.more_reasons() {
        let _ = writeln!(out, "  {more}");
    }
    out.push('\n');
}

fn write_waivers(out: &mut String, report: &Report) {
    if report.waivers.is_empty() {
        return;
    }
    let _ = writeln!(out, "Waivers:");
    for waiver in &report.waivers {
        let state = match waiver.state {
            WaiverState::Active if waiver.matched == 0 => format!(
                "active until {}, matched nothing: remove it or fix its pattern",
                waiver.expires
            ),
            WaiverState::Active => format!(
                "active until {} ({} days left), covers {} finding{}",
                waiver.expires,
                waiver.days_to_expiry,
                waiver.matched,
                plural(waiver.matched)
            ),
            WaiverState::Expired => format!(
                "EXPIRED on {}, covers nothing ({} failing finding{} matched)",
                waiver.expires,
                waiver.matched,
                plural(waiver.matched)
            ),
        };
        let _ = writeln!(
            out,
            "  {}:{}  {}  {}  {} (owner {})",
            report.policy, waiver.line, waiver.control, waiver.resource, state, waiver.owner
        );
    }
    out.push('\n');
}

/// The allow-list entries, the other half of the exceptions register.
fn write_allowlist(out: &mut String, report: &Report) {
    if report.allowlist.is_empty() {
        return;
    }
    let _ = writeln!(out, "Allow-list entries:");
    for entry in &report.allowlist {
        let until = match (entry.expires, entry.days_to_expiry) {
            (Some(day), Some(days)) => format!("until {day} ({days} days left)"),
            _ => "without expiry".to_owned(),
        };
        let state = match entry.state {
            WaiverState::Active if entry.matched == 0 => {
                format!("active {until}, granted nothing: remove it or fix its pattern")
            }
            WaiverState::Active => format!(
                "active {until}, grants {} pass{}",
                entry.matched,
                if entry.matched == 1 { "" } else { "es" }
            ),
            WaiverState::Expired => format!(
                "EXPIRED on {}, allows nothing",
                entry.expires.map(|day| day.to_string()).unwrap_or_default()
            ),
        };
        let _ = writeln!(
            out,
            "  {}:{}  {}  {}: {}  {} (owner {})",
            report.policy,
            entry.line,
            entry.control,
            entry.parameter,
            entry.pattern,
            state,
            entry.owner.as_deref().unwrap_or("not recorded")
        );
    }
    out.push('\n');
}

fn write_summary(out: &mut String, paint: &Painter, report: &Report) {
    let counts = |summary: tenet_engine::Summary| {
        Status::ALL
            .iter()
            .map(|status| format!("{} {}", summary.get(*status), status.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(out, "Controls: {}", counts(report.control_summary()));
    let _ = writeln!(out, "Findings: {}", counts(report.finding_summary()));
    let verdict = report.verdict();
    let line = match verdict {
        Verdict::Pass => format!(
            "Result: PASS, no failing finding at or above {} severity and no errors (exit code 0)",
            report.fail_on
        ),
        Verdict::Fail { failing } => format!(
            "Result: FAIL, {failing} failing finding{} at or above {} severity (exit code 1)",
            plural(failing),
            report.fail_on
        ),
        Verdict::Error { errors } => format!(
            "Result: UNDETERMINED, no failure at or above {} severity but {errors} finding{} could not be determined (exit code 3)",
            report.fail_on,
            plural(errors)
        ),
    };
    let _ = writeln!(out, "{}", paint.status(verdict.status(), &line));
}

/// Applies ANSI styles only when colour is on.
struct Painter {
    color: bool,
}

impl Painter {
    fn style(&self, text: &str, style: Style) -> String {
        if self.color {
            text.style(style).to_string()
        } else {
            text.to_owned()
        }
    }

    fn bold(&self, text: &str) -> String {
        self.style(text, Style::new().bold())
    }

    fn dim(&self, text: &str) -> String {
        self.style(text, Style::new().dimmed())
    }

    fn status(&self, status: Status, text: &str) -> String {
        let style = match status {
            Status::Pass => Style::new().green(),
            Status::Fail => Style::new().red().bold(),
            Status::Waived => Style::new().cyan(),
            Status::Error => Style::new().yellow().bold(),
            Status::Skipped => Style::new().dimmed(),
        };
        self.style(text, style)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use tenet_engine::{Policy, evaluate};
    use tenet_inventory::Snapshot;

    use super::{first_sentence, render};

    #[test]
    fn a_fix_is_the_first_sentence_of_the_remediation() {
        for (text, expected) in [
            ("Turn it on.\nThen check.", "Turn it on."),
            (
                "Use TLS_1_2 or SecurityPolicy_TLS13_... policy. Then wait.",
                "Use TLS_1_2 or SecurityPolicy_TLS13_... policy.",
            ),
            ("No period here", "No period here"),
            ("Ends with a period.", "Ends with a period."),
        ] {
            assert_eq!(first_sentence(text), expected);
        }
    }

    fn report() -> tenet_engine::Report {
        let text = include_str!("../../../fixtures/rules/mfa/fail.json");
        let snapshot = Snapshot::from_json(text, Path::new("fail.json")).expect("fixture loads");
        evaluate(
            &snapshot,
            &Policy::default(),
            snapshot.collected_at.date_naive(),
        )
    }

    #[test]
    fn colour_only_when_asked() {
        let report = report();
        let plain = render(&report, false, &[]);
        let coloured = render(&report, true, &[]);
        assert!(!plain.contains('\u{1b}'));
        assert!(coloured.contains("\u{1b}[31;1mFAIL"));
        let stripped: String = strip_ansi(&coloured);
        assert_eq!(stripped, plain);
    }

    fn strip_ansi(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}
