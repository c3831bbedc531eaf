//! The audit formats stay short however large the scope: the demo grown to
//! an organization of 300 repositories gives Markdown that fits a pull
//! request comment (65,536 characters) with every failing, undetermined and
//! excepted finding still listed, and a job summary under GitHub's 1 MiB
//! that points to the full report; the demo's HTML prints (in Chromium) to
//! at most 12 pages.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
};

use serde_json::Value;

use crate::{root, run, tenet};

/// What GitHub takes in a pull request or issue comment.
const COMMENT_LIMIT: usize = 65_536;

/// What GitHub takes in a job summary.
const STEP_SUMMARY_LIMIT: usize = 1024 * 1024;

/// The demo snapshot with its organization's repositories copied, under new
/// names, to `count`.
fn grown_demo(dir: &Path, count: usize) -> String {
    let text = std::fs::read_to_string(root().join("fixtures/demo/snapshot.json"))
        .expect("the demo snapshot");
    let mut snapshot: Value = serde_json::from_str(&text).expect("JSON");
    let known = &mut snapshot["github"][0]["repositories"]["known"];
    let template = known.as_array().expect("repositories").clone();
    *known = Value::Array(
        (0..count)
            .map(|i| {
                let mut repository = template[i % template.len()].clone();
                repository["name"] = Value::from(format!("repo-{i:04}"));
                repository
            })
            .collect(),
    );
    let path = dir.join("snapshot.json");
    std::fs::write(&path, snapshot.to_string()).expect("write the snapshot");
    path.to_string_lossy().into_owned()
}

/// The resource ids each control's card in `markdown` lists: in its table
/// (`| \`id\` | …`) or by resource (`- 1 failing: \`id\``, `- 2 failing,
/// each \`item\` of \`prefix\`: a, b`).
fn listed_in_cards(markdown: &str) -> BTreeMap<String, BTreeSet<String>> {
    let cards = markdown
        .split("\n## <a id=\"attention\"></a>")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("the cards");
    let code = |text: &str| text.trim().trim_matches('`').to_owned();
    let mut listed = BTreeMap::new();
    for card in cards.split("\n### <a id=\"").skip(1) {
        let control = card.split('"').next().expect("an anchor").to_owned();
        let ids: &mut BTreeSet<String> = listed.entry(control).or_default();
        for line in card.lines() {
            if let Some(row) = line.strip_prefix("| `") {
                ids.insert(row.split("` |").next().expect("a cell").to_owned());
            } else if let Some(group) = line.strip_prefix("- ") {
                let (lead, names) = group.split_once(": ").expect("a group");
                match lead.split_once(", each ") {
                    None => {
                        ids.insert(code(names));
                    }
                    Some((_, of)) => {
                        let (item, prefix) = of.split_once(" of ").expect("item of prefix");
                        for name in names.split(", ") {
                            ids.insert(format!("{}{name}:{}", code(prefix), code(item)));
                        }
                    }
                }
            }
        }
    }
    listed
}

/// The resource ids of the findings that need attention (failing,
/// undetermined, waived, allow-listed), per control, in a JSON report.
fn needing_attention(report: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut ids = BTreeMap::new();
    for control in report["controls"].as_array().expect("controls") {
        let listed: BTreeSet<String> = control["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["status"] != "pass" || f["evidence"].get("allowlisted_by").is_some())
            .map(|f| f["resource"].as_str().expect("resource").to_owned())
            .collect();
        if !listed.is_empty() {
            ids.insert(control["id"].as_str().expect("id").to_owned(), listed);
        }
    }
    ids
}

#[test]
fn a_300_repository_organization_fits_a_comment_with_every_failure_listed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let snapshot = grown_demo(dir.path(), 300);
    let evaluate = |format: &str| {
        let out = run(tenet().args([
            "evaluate",
            &snapshot,
            "--config",
            "fixtures/demo/tenet.toml",
            "--format",
            format,
        ]));
        assert_eq!(out.code, 1, "{format}: {}", out.stderr);
        out.stdout
    };
    let report: Value = serde_json::from_str(&evaluate("json")).expect("JSON report");
    let expected = needing_attention(&report);
    let failing: usize = expected.values().map(BTreeSet::len).sum();
    assert!(
        failing > 900,
        "the grown demo has {failing} findings to list"
    );

    let markdown = evaluate("markdown");
    assert!(
        markdown.chars().count() < COMMENT_LIMIT,
        "{} characters",
        markdown.chars().count()
    );
    assert_eq!(listed_in_cards(&markdown), expected);
    // The overview lists a few of each control and counts the rest.
    assert!(markdown.contains(
        "| error | high | [`github.changes.no-rule-bypass`](#github.changes.no-rule-bypass) | 297 more | not listed here |"
    ));

    // The job summary stays under GitHub's limit and says where the rest is.
    let summary = dir.path().join("summary.md");
    let out = run(tenet()
        .args([
            "evaluate",
            &snapshot,
            "--config",
            "fixtures/demo/tenet.toml",
            "--format",
            "github",
        ])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "acme-corp/audit")
        .env("GITHUB_RUN_ID", "42"));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let summary = std::fs::read_to_string(&summary).expect("the job summary");
    assert!(
        summary.len() < STEP_SUMMARY_LIMIT,
        "{} bytes",
        summary.len()
    );
    assert!(
        summary.contains(
            "the JSON report (`--format json`) has every finding with its evidence: keep it as an artifact of [this run](https://github.com/acme-corp/audit/actions/runs/42)."
        ),
        "{summary}"
    );
}

/// The Chromium scripts/test installs, or `None` with a note when a
/// developer runs the tests without it. In CI a missing browser fails the
/// test.
#[allow(clippy::print_stderr)]
fn chromium() -> Option<String> {
    match std::env::var("TENET_TEST_CHROMIUM") {
        Ok(browser) if !browser.is_empty() => Some(browser),
        _ if std::env::var_os("CI").is_some() => {
            panic!("TENET_TEST_CHROMIUM is unset in CI: scripts/test sets it")
        }
        _ => {
            eprintln!("note: skipped: TENET_TEST_CHROMIUM is unset (scripts/test sets it)");
            None
        }
    }
}

/// The pages of a PDF, by its page objects.
fn pages(pdf: &[u8]) -> usize {
    let marker = b"/Type /Page";
    pdf.windows(marker.len() + 1)
        .filter(|w| w.starts_with(marker) && w[marker.len()] != b's')
        .count()
}

#[test]
fn the_demo_prints_to_at_most_12_pages() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let html = dir.path().join("demo.html");
    let out = run(tenet()
        .args(["demo", "--format", "html", "--output"])
        .arg(&html));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let pdf = dir.path().join("demo.pdf");
    let profile = dir.path().join("profile");
    let printed = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("chromium runs");
    assert!(printed.status.success(), "{printed:?}");
    let pdf = std::fs::read(&pdf).expect("the PDF");
    let count = pages(&pdf);
    assert!((1..=12).contains(&count), "{count} pages");
}
