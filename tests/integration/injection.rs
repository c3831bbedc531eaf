//! Text from outside is data: a snapshot whose webhook URLs, bucket tags
//! (read by a custom control) and waiver texts hold line breaks, workflow
//! commands, ANSI and OSC sequences, bidirectional overrides, Markdown and a
//! spreadsheet formula, rendered in every format from the command line.
//! Human-readable formats show them as visible escapes and never let a line
//! become a workflow command; JSON, SARIF and OCSF keep the exact text.

use std::path::Path;

use serde_json::Value;

use crate::{root, run, tenet_in};

/// Everything a hostile repository admin or bucket owner could write.
const PAYLOAD: &str = "http://x.example/h|x\n::warning title=INJ::pwned\r\n::add-mask::secret\n::stop-commands::tok \u{1b}[31mred\u{1b}]0;title\u{7} ##[add-mask]x \u{202e}rev\u{9b}2J `tick` [l](https://evil.example) <b>";

/// A value that starts a spreadsheet formula.
const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";

/// The policy: the custom control that echoes bucket tags, and a waiver
/// whose texts are hostile too (TOML escapes).
const POLICY: &str = r#"control_paths = ["EXAMPLES"]

[[waivers]]
control = "custom.aws.bucket-owner-tag"
resource = "arn:aws:s3:::acme-logs"
reason = "why\n::add-mask::w \u001b[2J"
owner = "=1+1 \u202e owner"
expires = "2099-01-01"
"#;

fn hostile_snapshot(dir: &Path) {
    let text = std::fs::read_to_string(root().join("fixtures/demo/snapshot.json")).expect("demo");
    let mut json: Value = serde_json::from_str(&text).expect("json");
    let org = &mut json["github"][0];
    org["webhooks"]["known"][0]["url"] = Value::from(format!("{FORMULA} {PAYLOAD}"));
    org["repositories"]["known"][0]["webhooks"]["known"][0]["url"] = Value::from(PAYLOAD);
    // acme-assets is owned by the payload; acme-logs has no owner tag and
    // fails, under the hostile waiver.
    let buckets = &mut json["aws"][0]["s3_buckets"]["known"];
    buckets[0]["tags"] = serde_json::json!({"known": {"owner": PAYLOAD}});
    buckets[1]["tags"] = serde_json::json!({"known": {"team": PAYLOAD}});
    std::fs::write(dir.join("snapshot.json"), json.to_string()).expect("written");
    std::fs::write(
        dir.join("tenet.toml"),
        POLICY.replace(
            "EXAMPLES",
            &root().join("rules/examples").display().to_string(),
        ),
    )
    .expect("written");
}

/// The report in `format`, from a run in `dir`.
fn render(dir: &Path, format: &str) -> String {
    let out = run(tenet_in(dir).args(["evaluate", "snapshot.json", "--format", format]));
    assert_eq!(out.code, 1, "{format}: {}", out.stderr);
    out.stdout
}

/// No raw control character but the line feed, no line a runner executes
/// (tenet's own annotations aside), no legacy `##[` command, and the
/// payload shown, escaped.
fn assert_inert(format: &str, text: &str) {
    if let Some(c) = text.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }) {
        panic!("{format}: raw {c:?} in the output");
    }
    assert!(!text.contains("##["), "{format}: a legacy command");
    for line in text.lines() {
        let line = line.trim_start();
        if !line.starts_with("::") {
            continue;
        }
        // Only `--format github` writes commands, and only its own: the
        // command and its properties (before the second `::`) are tenet's.
        let own = format == "github"
            && ["::error ", "::warning ", "::notice "]
                .iter()
                .any(|command| line.starts_with(command))
            && line[2..]
                .split("::")
                .next()
                .is_some_and(|properties| !properties.contains("INJ"));
        assert!(own, "{format}: a line a runner would execute: {line}");
    }
    assert!(
        text.contains("u{1b}"),
        "{format}: the payload is shown, escaped"
    );
}

#[test]
fn outside_text_is_inert_in_every_human_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    hostile_snapshot(dir.path());
    for format in ["table", "markdown", "html", "csv", "junit", "github"] {
        let text = render(dir.path(), format);
        assert_inert(format, &text);
        match format {
            "csv" => {
                assert!(text.contains(&format!("\"'{}", FORMULA.replace('"', "\"\""))));
                assert!(text.contains("'=1+1 \\u{202e} owner"), "{text}");
            }
            "markdown" => {
                assert!(
                    text.contains("http://x.example/h\\|x\\\\n::warning"),
                    "{text}"
                );
                assert!(text.contains("\\`tick\\` \\[l\\](https://evil.example) &lt;b&gt;"));
            }
            "html" => assert!(text.contains("&lt;b&gt;") && !text.contains("<b>")),
            _ => {}
        }
    }

    // The job summary, written for `--format github`.
    let summary = dir.path().join("summary.md");
    let out = run(tenet_in(dir.path())
        .args(["evaluate", "snapshot.json", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_inert(
        "job summary",
        &std::fs::read_to_string(&summary).expect("summary written"),
    );

    // `tenet diff` and the audit report's changes read outside text from a
    // saved report too.
    let out = run(tenet_in(dir.path()).args(["demo", "--format", "json"]));
    std::fs::write(dir.path().join("before.json"), out.stdout).expect("written");
    let out = run(tenet_in(dir.path()).args([
        "evaluate",
        "snapshot.json",
        "--format",
        "json",
        "-o",
        "after.json",
    ]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let out = run(tenet_in(dir.path()).args(["diff", "before.json", "after.json"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_inert("diff", &out.stdout);
    let out = run(tenet_in(dir.path()).args([
        "evaluate",
        "snapshot.json",
        "--format",
        "markdown",
        "--baseline",
        "before.json",
    ]));
    assert_inert("markdown with a baseline", &out.stdout);
}

#[test]
fn machine_formats_keep_the_exact_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    hostile_snapshot(dir.path());
    for format in ["json", "sarif", "ocsf"] {
        let text = render(dir.path(), format);
        assert!(
            !text.chars().any(|c| c < ' ' && c != '\n'),
            "{format}: the encoder escapes C0 control characters"
        );
        let values: Vec<Value> = if format == "ocsf" {
            text.lines()
                .map(|line| serde_json::from_str(line).expect("an OCSF event"))
                .collect()
        } else {
            vec![serde_json::from_str(&text).expect("JSON")]
        };
        assert!(
            values.iter().any(|value| holds(value, PAYLOAD)),
            "{format}: the payload is kept exactly"
        );
    }
}

/// Whether a string of `value` contains `needle`.
fn holds(value: &Value, needle: &str) -> bool {
    match value {
        Value::String(text) => text.contains(needle),
        Value::Array(items) => items.iter().any(|item| holds(item, needle)),
        Value::Object(map) => map.values().any(|item| holds(item, needle)),
        _ => false,
    }
}
