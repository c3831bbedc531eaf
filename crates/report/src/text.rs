//! Text from outside is data: names, URLs and messages in a report come
//! from the systems tenet reads, often set by people with far less access
//! than the report's reader. Before a human-readable format prints them:
//!
//! - [`visible`]: control characters (C0, DEL, C1), bidirectional controls
//!   and line separators become visible escapes (`\n`, `\u{1b}`), so none
//!   reaches a terminal as a control sequence, breaks a line or reorders
//!   what the reader sees;
//! - [`guard_lines`]: no output line is a GitHub Actions workflow command
//!   (`::cmd::` at a line's start, or the legacy `##[cmd]` anywhere);
//! - [`markdown`], [`markdown_code`] and [`csv_cell`]: the escaping of each
//!   format (table cells and code spans; spreadsheet formulas as OWASP
//!   advises).
//!
//! JSON, SARIF and OCSF keep the exact text; their encoders escape it.

use std::{borrow::Cow, fmt::Write};

use serde_json::Value;
use tenet_engine::{ControlResult, Finding, Report, WaiverRef, WaiverResult};

use crate::json::JsonReport;

/// Whether `c` must not reach a reader as itself: a control character
/// (C0, DEL, C1), a bidirectional control (which reorders what follows) or
/// a line or paragraph separator.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
                | '\u{2028}' | '\u{2029}'
        )
}

/// `text` with every hidden character shown as an escape: `\n`, `\r`,
/// `\t`, else `\u{HEX}` (as Rust writes it). Borrowed when nothing changes.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_hidden(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`visible`] as an owned string.
pub(crate) fn shown(text: &str) -> String {
    visible(text).into_owned()
}

/// `output` with no line a GitHub Actions runner would execute: a line
/// whose first non-blank characters are `::` gets `:\:`, and every `##[`
/// (the runner's legacy command prefix, honoured anywhere in a line)
/// becomes `##\[`. tenet's own annotations (`--format github`) are not
/// passed through this.
pub fn guard_lines(output: String) -> String {
    let risky = output.contains("##[")
        || output
            .lines()
            .any(|line| line.trim_start().starts_with("::"));
    if !risky {
        return output;
    }
    let mut out = String::with_capacity(output.len() + 16);
    for line in output.split_inclusive('\n') {
        let line = line.replace("##[", "##\\[");
        let indent = line.len() - line.trim_start().len();
        if line[indent..].starts_with("::") {
            out.push_str(&line[..indent]);
            out.push_str(":\\:");
            out.push_str(&line[indent + 2..]);
        } else {
            out.push_str(&line);
        }
    }
    out
}

/// Text for a Markdown table cell or running text: [`visible`] (so no line
/// break), then `\`, `` ` ``, `[`, `]` and `|` escaped with a backslash and
/// `&`, `<`, `>` as entities: no code span, link, image, raw HTML or cell
/// boundary comes from the text. Emphasis characters (`*`, `_`) are left
/// as they are: at worst they restyle the text, and escaping them would
/// make every `snake_case` name unreadable in the Markdown source.
pub fn markdown(text: &str) -> String {
    let text = visible(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '[' | ']' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// `text` as a Markdown code span, delimiters included: [`visible`], `|`
/// escaped for tables, and fenced by one backtick more than its longest run
/// of backticks (padded with spaces when it starts or ends with one), as
/// CommonMark defines code spans.
pub fn markdown_code(text: &str) -> String {
    let text = visible(text).replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A CSV cell: [`visible`], and a leading `'` when it would start with
/// `=`, `+`, `-`, `@`, a tab or a carriage return, which spreadsheets read
/// as a formula (OWASP's advice against CSV injection). The writer quotes.
pub fn csv_cell(text: &str) -> String {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text = visible(text);
    if formula {
        format!("'{text}")
    } else {
        text.into_owned()
    }
}

/// `value` as compact JSON on one line whose hidden characters (those
/// [`visible`] shows) are `\uXXXX` escapes: parsed back it is exactly
/// `value`, and shown as it is it holds no control sequence. (Every hidden
/// character is in the Basic Multilingual Plane and, in JSON, only inside
/// strings, where the escape means the character itself.)
pub(crate) fn json_line(value: &Value) -> String {
    let compact = value.to_string();
    if !compact.chars().any(is_hidden) {
        return compact;
    }
    let mut out = String::with_capacity(compact.len() + 8);
    for c in compact.chars() {
        if is_hidden(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// A JSON value with [`visible`] applied to every string and object key.
pub(crate) fn json(value: &Value) -> Value {
    match value {
        Value::String(text) => Value::String(shown(text)),
        Value::Array(items) => Value::Array(items.iter().map(json).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| (shown(key), json(value)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The report with [`visible`] applied to every text that is not tenet's
/// own: what the human-readable formats render.
pub(crate) fn report(report: &Report) -> Report {
    let mut report = report.clone();
    report.policy = shown(&report.policy);
    for org in &mut report.snapshot.github_orgs {
        *org = shown(org);
    }
    for account in &mut report.snapshot.aws_accounts {
        *account = shown(account);
    }
    report.snapshot.aws_account_names = report
        .snapshot
        .aws_account_names
        .iter()
        .map(|(id, name)| (shown(id), shown(name)))
        .collect();
    for control in &mut report.controls {
        clean_control(control);
    }
    for waiver in &mut report.waivers {
        clean_waiver(waiver);
    }
    if let Some(roster) = &mut report.access {
        clean_roster(roster);
    }
    report
}

/// The roster's names, grants and reasons come from the systems read.
fn clean_roster(roster: &mut tenet_rules::access::Roster) {
    use tenet_rules::access::Fact;
    fn fact<T>(fact: &mut Fact<T>) {
        if let Fact::Unknown(reason) = fact {
            *reason = shown(reason);
        }
    }
    for entry in &mut roster.entries {
        entry.system = shown(&entry.system);
        entry.id = shown(&entry.id);
        entry.name = shown(&entry.name);
        for grant in &mut entry.grants {
            *grant = shown(grant);
        }
        fact(&mut entry.administrator);
        entry.mfa.iter_mut().for_each(fact);
        entry.console.iter_mut().for_each(fact);
        entry.active_keys.iter_mut().for_each(fact);
        entry.last_used.iter_mut().for_each(fact);
    }
    for gap in &mut roster.gaps {
        gap.system = shown(&gap.system);
        gap.what = shown(&gap.what);
        gap.reason = shown(&gap.reason);
    }
}

/// A control's texts: custom controls bring their own metadata.
fn clean_control(control: &mut ControlResult) {
    control.id = shown(&control.id);
    control.title = shown(&control.title);
    control.rationale = shown(&control.rationale);
    control.remediation = clean_multiline(&control.remediation);
    control.skipped_reason = control.skipped_reason.as_deref().map(shown);
    for reference in &mut control.references {
        reference.framework = shown(&reference.framework);
        reference.id = shown(&reference.id);
        reference.url = reference.url.as_deref().map(shown);
    }
    for finding in &mut control.findings {
        clean_finding(finding);
    }
}

/// Text whose line breaks are its own (a remediation): each line made
/// [`visible`], the breaks kept.
fn clean_multiline(text: &str) -> String {
    text.split('\n')
        .map(|line| visible(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn clean_finding(finding: &mut Finding) {
    finding.resource.id = shown(&finding.resource.id);
    finding.resource.kind = shown(&finding.resource.kind);
    finding.message = shown(&finding.message);
    finding.evidence = finding
        .evidence
        .iter()
        .map(|(key, value)| (shown(key), json(value)))
        .collect();
    for waiver in [&mut finding.waiver, &mut finding.expired_waiver]
        .into_iter()
        .flatten()
    {
        clean_waiver_ref(waiver);
    }
}

fn clean_waiver_ref(waiver: &mut WaiverRef) {
    waiver.reason = shown(&waiver.reason);
    waiver.owner = shown(&waiver.owner);
}

fn clean_waiver(waiver: &mut WaiverResult) {
    waiver.control = shown(&waiver.control);
    waiver.resource = shown(&waiver.resource);
    waiver.reason = shown(&waiver.reason);
    waiver.owner = shown(&waiver.owner);
}

/// A saved JSON report (a baseline) with [`visible`] applied to every text,
/// to compare with a report made visible by [`report`].
pub(crate) fn json_report(report: &JsonReport) -> JsonReport {
    serde_json::to_value(report)
        .ok()
        .and_then(|value| serde_json::from_value(json(&value)).ok())
        .unwrap_or_else(|| report.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_are_exact_and_inert() {
        let value = serde_json::json!({"k\u{202e}": "a\nb\u{1b}[2J\u{2028}é\u{9b}"});
        let line = json_line(&value);
        assert_eq!(line, r#"{"k\u202e":"a\nb\u001b[2J\u2028é\u009b"}"#);
        assert!(!line.chars().any(is_hidden));
        assert_eq!(serde_json::from_str::<Value>(&line).ok(), Some(value));
    }

    #[test]
    fn hidden_characters_become_visible_escapes() {
        let cases = [
            ("plain text", "plain text"),
            ("a\nb\r\tc", "a\\nb\\r\\tc"),
            ("\u{1b}[31mred\u{1b}[0m", "\\u{1b}[31mred\\u{1b}[0m"),
            ("\u{1b}]0;title\u{7}", "\\u{1b}]0;title\\u{7}"),
            ("del\u{7f}", "del\\u{7f}"),
            ("c1\u{9b}2J", "c1\\u{9b}2J"),
            ("bidi \u{202e}cod.exe", "bidi \\u{202e}cod.exe"),
            ("iso \u{2066}x\u{2069}", "iso \\u{2066}x\\u{2069}"),
            ("line\u{2028}sep", "line\\u{2028}sep"),
            ("nul\u{0}", "nul\\u{0}"),
            ("unicode é ü 日本", "unicode é ü 日本"),
        ];
        for (input, expected) in cases {
            assert_eq!(visible(input), expected, "{input:?}");
        }
    }

    #[test]
    fn no_line_becomes_a_workflow_command() {
        let cases = [
            ("ok\n", "ok\n"),
            ("::warning title=x::y\n", ":\\:warning title=x::y\n"),
            ("   ::add-mask::s\n", "   :\\:add-mask::s\n"),
            ("\t::stop-commands::t", "\t:\\:stop-commands::t"),
            ("a ::not-at-start::\n", "a ::not-at-start::\n"),
            ("x ##[add-mask]secret\n", "x ##\\[add-mask]secret\n"),
            ("line\n::error::e\nline\n", "line\n:\\:error::e\nline\n"),
        ];
        for (input, expected) in cases {
            assert_eq!(guard_lines(input.to_owned()), expected, "{input:?}");
        }
    }

    #[test]
    fn markdown_text_cannot_format_link_or_leave_its_cell() {
        let cases = [
            ("github:acme/api", "github:acme/api"),
            ("a|b", "a\\|b"),
            ("`code`", "\\`code\\`"),
            (
                "[click](https://evil.example)",
                "\\[click\\](https://evil.example)",
            ),
            (
                "<img src=x onerror=alert(1)>",
                "&lt;img src=x onerror=alert(1)&gt;",
            ),
            (
                "![x](https://t.example/p.png)",
                "!\\[x\\](https://t.example/p.png)",
            ),
            ("snake_case **bold**", "snake_case **bold**"),
            ("back\\slash", "back\\\\slash"),
            ("two\nlines", "two\\\\nlines"),
            ("&amp;", "&amp;amp;"),
        ];
        for (input, expected) in cases {
            assert_eq!(markdown(input), expected, "{input:?}");
        }
    }

    #[test]
    fn code_spans_hold_any_backticks_and_pipes() {
        let cases = [
            ("arn:aws:iam::1:user/a", "`arn:aws:iam::1:user/a`"),
            ("a`b", "``a`b``"),
            ("a``b`", "``` a``b` ```"),
            ("`x", "`` `x ``"),
            ("a|b", "`a\\|b`"),
            ("a\nb", "`a\\nb`"),
        ];
        for (input, expected) in cases {
            assert_eq!(markdown_code(input), expected, "{input:?}");
        }
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        let cases = [
            ("github:acme/api", "github:acme/api"),
            (
                "=HYPERLINK(\"https://evil\")",
                "'=HYPERLINK(\"https://evil\")",
            ),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\\t=1"),
            ("\r=1", "'\\r=1"),
            ("a=1", "a=1"),
        ];
        for (input, expected) in cases {
            assert_eq!(csv_cell(input), expected, "{input:?}");
        }
    }
}
