//! Every report format of the demo (snapshots, determinism), the GitHub job
//! summary, `--baseline`, and the exit codes of `tenet diff` and
//! `tenet merge`.

use std::path::Path;

use serde_json::Value;

use crate::{root, run, tenet};

/// The formats added for CI, audits and data lakes.
const FORMATS: [&str; 9] = [
    "sarif",
    "junit",
    "github",
    "markdown",
    "html",
    "ocsf",
    "oscal",
    "csv",
    "changes-csv",
];

/// Replaces the evaluating tenet's version (the demo snapshot was collected
/// by the same version, so that one is replaced too).
fn redact_version(text: &str) -> String {
    text.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

#[test]
fn every_format_of_the_demo() {
    for format in FORMATS {
        let out = run(tenet().args(["demo", "--format", format]));
        assert_eq!(out.code, 0, "{format}: {}", out.stderr);
        insta::assert_snapshot!(format!("demo_{format}"), redact_version(&out.stdout));
    }
}

#[test]
fn every_format_is_byte_identical_across_runs() {
    for format in FORMATS {
        let first = run(tenet().args(["demo", "--format", format]));
        let second = run(tenet().args(["demo", "--format", format]));
        assert!(
            first.stdout == second.stdout,
            "{format} differs between runs"
        );
    }
}

#[test]
fn github_format_appends_the_job_summary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").expect("write summary");
    let out = run(tenet()
        .args(["demo", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(&summary).expect("summary exists");
    assert!(text.starts_with("earlier step\n## tenet: FAIL: "), "{text}");
    insta::assert_snapshot!("github_step_summary", text);
    let without = run(tenet().args(["demo", "--format", "github"]));
    assert_eq!(
        without.stdout, out.stdout,
        "annotations do not depend on it"
    );
}

/// The path of a file of the demo (`snapshot.json`, `tenet.toml`), as an
/// argument.
fn demo_path(name: &str) -> String {
    root()
        .join("fixtures/demo")
        .join(name)
        .display()
        .to_string()
}

/// The demo's JSON report, parsed.
fn demo_json() -> Value {
    let out = run(tenet().args(["demo", "--format", "json"]));
    serde_json::from_str(&out.stdout).expect("demo JSON parses")
}

/// The first finding of the demo with this status: (control index, finding index).
fn first(report: &Value, status: &str) -> (usize, usize) {
    report["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .enumerate()
        .find_map(|(c, control)| {
            control["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .position(|f| f["status"] == status)
                .map(|f| (c, f))
        })
        .unwrap_or_else(|| panic!("the demo has a {status} finding"))
}

fn write(dir: &Path, name: &str, report: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(
        &path,
        serde_json::to_string_pretty(report).expect("serializes"),
    )
    .expect("write report");
    path.display().to_string()
}

#[test]
fn diff_exits_1_on_a_regression_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let now = demo_json();
    let same = write(dir.path(), "same.json", &now);
    let out = run(tenet().args(["diff", &same, &same]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .ends_with("Result: no regression (exit code 0)\n")
    );

    // Last quarter, the first failing finding passed.
    let mut before = now.clone();
    let (c, f) = first(&now, "fail");
    before["controls"][c]["findings"][f]["status"] = "pass".into();
    let old = write(dir.path(), "old.json", &before);
    let out = run(tenet().args(["diff", &old, &same]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let control = now["controls"][c]["id"].as_str().expect("id");
    let resource = now["controls"][c]["findings"][f]["resource"]
        .as_str()
        .expect("resource");
    assert!(
        out.stdout.starts_with("Regressions: 1\n  pass    -> fail "),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(&format!("  {control}  {resource}  ")));
    assert!(out.stdout.ends_with(
        "Result: REGRESSED, 1 finding fails now that did not fail before (exit code 1)\n"
    ));
    let json = run(tenet().args(["diff", "--format", "json", &old, &same]));
    assert_eq!(json.code, 1);
    let diff: Value = serde_json::from_str(&json.stdout).expect("diff JSON");
    assert_eq!(diff["regressions"][0]["control"], control);
    assert_eq!(diff["regressions"][0]["old"], "pass");
    assert_eq!(diff["regressions"][0]["new"], "fail");

    // The reverse is a fix, not a regression.
    let out = run(tenet().args(["diff", &same, &old]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("Fixed: 1\n  fail    -> pass "),
        "{}",
        out.stdout
    );
}

#[test]
fn diff_and_merge_exit_2_on_invalid_reports() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = write(dir.path(), "good.json", &demo_json());
    let mut newer = demo_json();
    newer["report_version"] = 2.into();
    newer["a_field_of_v2"] = true.into();
    let newer = write(dir.path(), "newer.json", &newer);
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "{ not json").expect("write");
    let garbage = garbage.display().to_string();
    for args in [vec!["diff", &good, &newer], vec!["merge", &good, &newer]] {
        let out = run(tenet().args(&args));
        assert_eq!(out.code, 2, "{args:?}");
        assert_eq!(
            out.stderr,
            format!(
                "error: cannot read report {newer}: report_version 2 is not supported (this tenet reads version 1)\n"
            )
        );
    }
    for args in [
        vec!["diff", &garbage, &good],
        vec!["merge", &good, &garbage],
    ] {
        let out = run(tenet().args(&args));
        assert_eq!(out.code, 2, "{args:?}");
        assert!(
            out.stderr.starts_with(&format!(
                "error: cannot read report {garbage}: not a tenet JSON report: "
            )),
            "{}",
            out.stderr
        );
    }
    let out = run(tenet().args(["diff", &good, "missing.json"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: cannot read report missing.json: ")
    );
}

/// The demo snapshot split in two shards, as two jobs of a matrix collect
/// them: one with the GitHub organization, one with the AWS account.
fn split_demo(dir: &Path) {
    let text = std::fs::read_to_string(root().join("fixtures/demo/snapshot.json")).expect("demo");
    let whole: Value = serde_json::from_str(&text).expect("JSON");
    for (name, keep) in [("github.json", "github"), ("aws.json", "aws")] {
        let mut shard = whole.clone();
        let drop = if keep == "github" { "aws" } else { "github" };
        shard[drop] = Value::Array(Vec::new());
        shard["scope"][if drop == "aws" {
            "aws_accounts"
        } else {
            "github_orgs"
        }] = Value::Array(Vec::new());
        std::fs::write(dir.join(name), shard.to_string()).expect("written");
    }
}

/// `tenet evaluate SNAPSHOT` with the policy of the shard tests
/// ([`shard_policy`]), in `format`, from `dir`.
fn evaluate_in(dir: &Path, snapshot: &str, format: &str) -> crate::Run {
    run(crate::tenet_in(dir).args([
        "evaluate",
        snapshot,
        "--config",
        "shards.toml",
        "--format",
        format,
    ]))
}

/// The demo's policy without `aws.iam.github-deploy-review`, written to
/// `dir/shards.toml`: a control that joins GitHub and AWS cannot be judged
/// in a shard that holds one of them (see
/// [`a_control_joining_two_shards_stays_undetermined_when_merged`]).
fn shard_policy(dir: &Path) {
    let demo = std::fs::read_to_string(demo_path("tenet.toml")).expect("demo policy");
    let production = "production_roles = [\"arn:aws:iam::*:role/deploy-*\"]";
    assert!(demo.contains(production));
    std::fs::write(
        dir.join("shards.toml"),
        demo.replace(production, "enabled = false"),
    )
    .expect("written");
}

#[test]
fn shards_merge_into_the_whole_report_which_renders_in_every_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    split_demo(dir.path());
    shard_policy(dir.path());
    let demo = demo_path("snapshot.json");
    for (snapshot, report) in [
        ("github.json", "a.json"),
        ("aws.json", "b.json"),
        (demo.as_str(), "whole.json"),
    ] {
        let out = run(crate::tenet_in(dir.path()).args([
            "evaluate",
            snapshot,
            "--config",
            "shards.toml",
            "--format",
            "json",
            "-o",
            report,
        ]));
        assert_eq!(out.code, 1, "{}", out.stderr);
    }

    // Each shard errs on what the other covered; merged, they are the whole.
    let out =
        run(crate::tenet_in(dir.path()).args(["merge", "a.json", "b.json", "-o", "merged.json"]));
    assert_eq!(
        out.code, 1,
        "merge exits with the merged verdict: {}",
        out.stderr
    );
    assert_eq!(out.stderr, "merged 2 reports into merged.json\n");
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.path().join(name)).expect("report"))
            .expect("JSON")
    };
    let merged = read("merged.json");
    // The merged report names each shard's snapshot by its digest; apart
    // from that it is the whole's.
    let mut digests: Vec<Value> = ["a.json", "b.json"]
        .iter()
        .flat_map(|shard| {
            read(shard)["snapshot"]["digests"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    digests.sort_by_key(ToString::to_string);
    assert_eq!(digests.len(), 2);
    assert_eq!(merged["snapshot"]["digests"], Value::Array(digests));
    let mut whole = read("whole.json");
    whole["snapshot"]["digests"] = merged["snapshot"]["digests"].clone();
    assert_eq!(merged, whole);
    std::fs::write(dir.path().join("whole-as-shards.json"), whole.to_string()).expect("written");
    let schema: Value =
        serde_json::from_str(&run(tenet().arg("schema")).stdout).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    assert!(validator.is_valid(&merged));

    // `render` gives every format of the merged report, byte for byte what
    // the whole's report gives (with the shards' digests), with the same
    // exit code.
    for format in [
        "table", "json", "sarif", "junit", "github", "markdown", "html", "ocsf", "oscal", "csv",
    ] {
        let render = |report: &str| {
            run(crate::tenet_in(dir.path()).args(["render", report, "--format", format]))
        };
        let (rendered, whole) = (render("merged.json"), render("whole-as-shards.json"));
        assert_eq!(rendered.code, 1, "{format}: {}", rendered.stderr);
        assert_eq!(whole.code, 1, "{format}: {}", whole.stderr);
        assert!(rendered.stdout == whole.stdout, "{format} differs");
        // And rendering a saved report gives what evaluating gave.
        assert!(
            render("whole.json").stdout == evaluate_in(dir.path(), &demo, format).stdout,
            "{format}: the rendered whole differs from the evaluated one"
        );
    }

    // The same shard twice, or shards of another policy, are refused.
    let out = run(crate::tenet_in(dir.path()).args(["merge", "a.json", "b.json", "a.json"]));
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: reports 1 and 3 both cover GitHub organization acme-corp: each shard must cover its own organizations and accounts (the same report given twice?)\n"
    );
    assert_eq!(out.stdout, "");
    let mut other = read("b.json");
    other["policy"]["fail_on"] = "critical".into();
    std::fs::write(dir.path().join("other.json"), other.to_string()).expect("written");
    let out = run(crate::tenet_in(dir.path()).args(["merge", "a.json", "other.json"]));
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: report 2 was evaluated against a different policy than report 1: fail_on thresholds differ\n"
    );
}

/// A control that joins GitHub and AWS sees only half of the facts in
/// each shard: the AWS shard cannot judge the role, the GitHub shard has no
/// role to judge, and the merged report keeps the AWS shard's error, never
/// a pass (the whole demo fails it).
#[test]
fn a_control_joining_two_shards_stays_undetermined_when_merged() {
    let dir = tempfile::tempdir().expect("temp dir");
    split_demo(dir.path());
    let policy = demo_path("tenet.toml");
    for (snapshot, report) in [("github.json", "a.json"), ("aws.json", "b.json")] {
        run(crate::tenet_in(dir.path()).args([
            "evaluate", snapshot, "--config", &policy, "--format", "json", "-o", report,
        ]));
    }
    let out =
        run(crate::tenet_in(dir.path()).args(["merge", "a.json", "b.json", "-o", "merged.json"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let merged: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("merged.json")).expect("report"),
    )
    .expect("JSON");
    let control = merged["controls"]
        .as_array()
        .and_then(|controls| {
            controls
                .iter()
                .find(|c| c["id"] == "aws.iam.github-deploy-review")
        })
        .expect("the control is reported");
    assert_eq!(control["status"], "error");
    let messages: Vec<&str> = control["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|finding| finding["message"].as_str())
        .collect();
    let error = |role: &str| {
        format!(
            "could not determine who may deploy through {role}: it trusts GitHub Actions and no GitHub organization is in this snapshot: scan the organizations with the accounts, in one job (--github-org with --aws, not separate shards)"
        )
    };
    assert_eq!(messages, [error("deploy-api"), error("deploy-web")]);
}

#[test]
fn diff_and_baseline_warn_when_the_policy_differs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let demo = demo_path("snapshot.json");
    let policy = demo_path("tenet.toml");
    run(crate::tenet_in(dir.path()).args([
        "evaluate",
        &demo,
        "--config",
        &policy,
        "--format",
        "json",
        "-o",
        "demo.json",
    ]));
    run(crate::tenet_in(dir.path()).args([
        "evaluate",
        &demo,
        "--format",
        "json",
        "-o",
        "defaults.json",
    ]));
    let digest = |name: &str| -> String {
        let report: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join(name)).expect("report"))
                .expect("JSON");
        report["policy"]["digest"].as_str().expect("a digest")[..19].to_owned()
    };
    let warning = format!(
        "warning: defaults.json was evaluated against another policy (digest {} here, {} there): changes may come from the policy, not the systems\n",
        digest("demo.json"),
        digest("defaults.json")
    );
    let out = run(crate::tenet_in(dir.path()).args(["diff", "defaults.json", "demo.json"]));
    assert!(out.stderr.starts_with(&warning), "{}", out.stderr);
    let policy = demo_path("tenet.toml");
    let out = run(crate::tenet_in(dir.path()).args([
        "evaluate",
        &demo,
        "--config",
        &policy,
        "--format",
        "markdown",
        "--baseline",
        "defaults.json",
    ]));
    assert_eq!(out.stderr, warning);
    // The same policy: no warning.
    let out = run(crate::tenet_in(dir.path()).args(["diff", "demo.json", "demo.json"]));
    assert_eq!(out.stderr, "");
}

#[test]
fn audit_report_with_a_baseline_lists_new_fixed_and_still_failing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let now = demo_json();
    let mut before = now.clone();
    let (c, f) = first(&now, "fail");
    before["controls"][c]["findings"][f]["status"] = "pass".into();
    let baseline = write(dir.path(), "previous.json", &before);
    let control = now["controls"][c]["id"].as_str().expect("id").to_owned();
    let resource = now["controls"][c]["findings"][f]["resource"]
        .as_str()
        .expect("resource")
        .to_owned();
    let out = run(tenet().args(["demo", "--format", "markdown", "--baseline", &baseline]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let changes = out
        .stdout
        .split("## <a id=\"changes\"></a>Changes since the previous report\n")
        .nth(1)
        .expect("a changes section")
        .split("\n## ")
        .next()
        .expect("section text");
    assert!(
        changes.contains(&format!(
            "### New failures (1)\n\n| Control | Severity | Resource | Before | Now | Finding |\n| --- | --- | --- | --- | --- | --- |\n| `{control}` | "
        )),
        "{changes}"
    );
    assert!(changes.contains(&format!("| `{resource}` | pass | fail | ")));
    assert!(changes.contains("### Fixed (0)\n\nNone.\n"));
    let failing = now["summary"]["findings"]["fail"].as_u64().expect("count");
    assert!(changes.contains(&format!("### Still failing ({})\n", failing - 1)));

    let html = run(tenet().args(["demo", "--format", "html", "--baseline", &baseline]));
    assert_eq!(html.code, 0);
    assert!(html.stdout.contains("<h3>New failures (1)</h3>"));

    let table = run(tenet().args(["demo", "--baseline", &baseline]));
    assert_eq!(table.code, 0);
    assert!(
        table
            .stderr
            .starts_with("note: --baseline is used only by --format markdown and html\n")
    );

    let out = run(tenet().args(["demo", "--format", "markdown", "--baseline", "missing.json"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: cannot read report missing.json: ")
    );
}

#[test]
fn sarif_of_the_demo_validates_against_the_official_schema() {
    let out = run(tenet().args(["demo", "--format", "sarif"]));
    let log: Value = serde_json::from_str(&out.stdout).expect("SARIF is JSON");
    let path = root().join("../shared/schemas/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(&path).expect("../shared/schemas has the SARIF schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn only_failing_lists_what_needs_attention_and_counts_everything() {
    let out = run(tenet().args(["demo", "--format", "markdown", "--only-failing"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The passing controls are not listed: the summary counts them.
    assert!(!out.stdout.contains("<a id=\"passing\">"));
    assert!(!out.stdout.contains("`github.org.two-factor-required`"));
    assert!(
        out.stdout
            .contains("| Controls passing | 56 of 72 judged (78%) |")
    );
    let controls = out
        .stdout
        .split("\n## <a id=\"attention\"></a>Controls that need attention\n")
        .nth(1)
        .expect("the cards");
    // A failing one is listed, with its failing finding only.
    assert!(
        controls
            .contains("### <a id=\"github.members.two-factor\"></a>`github.members.two-factor`")
    );
    assert!(controls.contains("`github:acme-corp:member/dave`"));
    assert!(!controls.contains("`github:acme-corp:member/alice`"));
    // An allow-listed pass is an exception: listed, with its entry's owner.
    assert!(controls.contains(
        "| `arn:aws:iam::111122223333:user/ops-admin` | pass (allow-listed by `allowlist`: `arn:aws:iam::111122223333:user/ops-admin` (owner secops@acme-corp.example)) |"
    ));
    insta::assert_snapshot!("demo_markdown_only_failing", redact_version(&out.stdout));

    let out = run(tenet().args(["demo", "--format", "html", "--only-failing"]));
    assert!(!out.stdout.contains("id=\"github.org.two-factor-required\""));
    assert!(out.stdout.contains("id=\"github.members.two-factor\""));

    let out = run(tenet().args(["demo", "--format", "json", "--only-failing"]));
    assert!(
        out.stderr
            .starts_with("note: --only-failing is used only by --format markdown and html\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn trend_follows_a_waiver_that_expires_over_the_period() {
    // The demo's waiver of deploy-bot's console MFA ends on 2026-12-31:
    // nightly reports from 12-29 to 01-03 (the night of 12-30 missing) see
    // it waived, then failing three runs in a row.
    let dir = tempfile::tempdir().expect("temp dir");
    let reports = dir.path().join("nightly");
    std::fs::create_dir(&reports).expect("dir");
    let demo = demo_path("snapshot.json");
    let policy = demo_path("tenet.toml");
    for day in [
        "2027-01-03",
        "2026-12-29",
        "2027-01-01",
        "2026-12-31",
        "2027-01-02",
    ] {
        let out = run(tenet().args([
            "evaluate",
            &demo,
            "--config",
            &policy,
            "--as-of",
            day,
            "--format",
            "json",
            "-o",
            &reports.join(format!("{day}.json")).display().to_string(),
        ]));
        assert!(out.code == 1, "{}", out.stderr);
    }
    let out = run(crate::tenet_in(dir.path()).args(["trend", "nightly"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("trend_text", out.stdout);
    let line = out
        .stdout
        .lines()
        .find(|line| line.contains("user/deploy-bot"))
        .expect("deploy-bot failed in some run");
    assert!(
        line.contains("2027-01-01     2027-01-03"),
        "first and last failure: {line}"
    );
    assert!(
        line.trim_end().ends_with(" 3"),
        "three runs in a row: {line}"
    );

    let out = run(crate::tenet_in(dir.path()).args(["trend", "nightly", "--format", "json"]));
    let trend: Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(trend["missing_days"], serde_json::json!(["2026-12-30"]));
    // Five overlapping runs judged the same changes: each counted once.
    let one: Value = serde_json::from_str(
        &std::fs::read_to_string(reports.join("2026-12-29.json")).expect("report"),
    )
    .expect("JSON");
    let judged = |controls: &Value| {
        controls
            .as_array()
            .expect("controls")
            .iter()
            .find(|c| c["id"] == "github.changes.two-person-review")
            .cloned()
            .expect("the change control")
    };
    let changes = judged(&one["controls"])["findings"]
        .as_array()
        .expect("findings")
        .len();
    let population = &judged(&trend["controls"])["population"];
    assert!(changes > 1, "the demo has changes");
    assert_eq!(population["items"], changes, "{population}");
    assert_eq!(population["kind"], "changes");
    assert_eq!(population["failed"], 1, "{population}");
    assert!(
        trend["controls"][0].get("population").is_none(),
        "only population controls have one"
    );
    let out = run(crate::tenet_in(dir.path()).args(["trend", "nightly", "--format", "markdown"]));
    insta::assert_snapshot!("trend_markdown", out.stdout);

    let out = run(crate::tenet_in(dir.path()).args(["trend", "missing.json"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: cannot read report missing.json")
    );

    // The audit reports include it.
    for format in ["markdown", "html"] {
        let out = run(crate::tenet_in(dir.path()).args([
            "evaluate", &demo, "--config", &policy, "--format", format, "--trend", "nightly",
        ]));
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert!(
            out.stdout.contains("Trend over the audit period"),
            "{format}"
        );
        assert!(
            out.stdout
                .contains("Trend from 2026-12-29 to 2027-01-03: 5 runs, 1 day without a run"),
            "{format}"
        );
    }
}

#[test]
fn framework_sections_show_each_criterion_and_what_tenet_does_not_assess() {
    let out = run(tenet().args(["demo", "--format", "markdown", "--framework", "iso27001"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let section = out
        .stdout
        .split("\n## <a id=\"framework-iso27001\"></a>ISO/IEC 27001:2022 Annex A\n")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("the framework's section");
    insta::assert_snapshot!("demo_markdown_iso27001", section);
    assert!(section.contains("| A.8.5 | Secure Authentication | "));
    assert!(section.contains("Not assessed by tenet ("));
    assert!(out.stdout.contains("### By framework"));

    // The policy names frameworks too, checked like every key.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("tenet.toml"),
        "frameworks = [\"soc2\", \"iso2700\"]\n",
    )
    .expect("written");
    let out = run(crate::tenet_in(dir.path()).args(["validate"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unknown framework `iso2700`, expected one of `soc2`, `iso27001`, `nist-800-53`, `cis-aws`, `cis-github`")
            && out.stderr.contains("did you mean `iso27001`?"),
        "{}",
        out.stderr
    );
    std::fs::write(
        dir.path().join("tenet.toml"),
        "frameworks = [\"cis-github\"]\n",
    )
    .expect("written");
    let demo = demo_path("snapshot.json");
    let out = run(crate::tenet_in(dir.path()).args(["evaluate", &demo, "--format", "html"]));
    assert!(out.stdout.contains("<h2>CIS GitHub Benchmark v1.2.0</h2>"));
}

#[test]
fn the_access_roster_is_exported_whole_as_csv() {
    let out = run(tenet().args(["demo", "--format", "csv", "--population", "access"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("demo_access_csv", out.stdout);
    assert!(out.stdout.starts_with(
        "system,kind,id,name,administrator,mfa,console,active_keys,last_used,grants,note\n"
    ));
    assert!(out.stdout.contains(
        "GitHub acme-corp,organization member,github:acme-corp:member/dave,dave,no,no,,,,,\n"
    ));

    // The audit formats show it as their appendix.
    let markdown = run(tenet().args(["demo", "--format", "markdown"]));
    assert!(markdown.stdout.contains(
        "| `carol` | outside collaborator | no | yes |  |  |  | write on acme-corp/api |"
    ));
    let html = run(tenet().args(["demo", "--format", "html"]));
    assert!(html.stdout.contains("<section id=\"access\">"));

    // A report of a tenet that recorded no roster has none to export: an
    // error, never an empty population.
    let dir = tempfile::tempdir().expect("temp dir");
    let json = run(tenet().args(["demo", "--format", "json"]));
    let mut report: Value = serde_json::from_str(&json.stdout).expect("JSON");
    report.as_object_mut().expect("an object").remove("access");
    let saved = dir.path().join("old.json");
    std::fs::write(&saved, report.to_string()).expect("write");
    let out = run(tenet().args(["render"]).arg(&saved).args([
        "--format",
        "csv",
        "--population",
        "access",
    ]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("this report has no access roster"),
        "{}",
        out.stderr
    );
    let out = run(tenet().args(["demo", "--format", "json", "--population", "access"]));
    assert!(
        out.stderr
            .starts_with("note: --population is used only by --format csv\n"),
        "{}",
        out.stderr
    );
}
