//! Evidence over an audit period (`tenet trend`): did each control operate
//! throughout the quarter? From the JSON reports of many runs (e.g. the
//! nightly reports of a quarter, in any order): per control and per
//! resource that ever failed, the share of runs passing, the first and last
//! failure, the longest failing streak; and the days of the period without
//! a run.
//!
//! Reports are read into a slim shape ([`RunReport`]) that skips messages
//! and evidence, and in parallel, so that a quarter of a large organization
//! reads in a second or two.

use std::{collections::BTreeMap, fmt::Write};

use chrono::{DateTime, NaiveDate, Utc};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use tenet_rules::Severity;

use crate::{
    json::{JsonStatus, REPORT_VERSION},
    text::{guard_lines, markdown_code, visible},
    words::{percent, plural},
};

/// What a trend needs of one JSON report.
#[derive(Debug, Deserialize)]
pub struct RunReport {
    report_version: u32,
    as_of: NaiveDate,
    snapshot: RunSnapshot,
    policy: RunPolicy,
    controls: Vec<RunControl>,
}

#[derive(Debug, Deserialize)]
struct RunSnapshot {
    collected_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
struct RunPolicy {
    #[serde(default)]
    digest: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RunControl {
    id: String,
    title: String,
    severity: Severity,
    status: JsonStatus,
    #[serde(default)]
    population: Option<String>,
    findings: Vec<RunFinding>,
}

#[derive(Debug, Deserialize)]
struct RunFinding {
    resource: String,
    status: JsonStatus,
}

/// Why a report could not be part of a trend.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TrendError {
    /// Not a JSON report.
    #[error("not a tenet JSON report: {0}")]
    Invalid(#[source] serde_json::Error),
    /// A report of another format version.
    #[error("report_version {0} is not supported (this tenet reads version {REPORT_VERSION})")]
    Version(u32),
}

/// Reads one JSON report (its bytes) for a trend.
pub fn parse_run(bytes: &[u8]) -> Result<RunReport, TrendError> {
    let run: RunReport = serde_json::from_slice(bytes).map_err(TrendError::Invalid)?;
    if run.report_version != REPORT_VERSION {
        return Err(TrendError::Version(run.report_version));
    }
    Ok(run)
}

/// The trend of a period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trend {
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period.
    pub to: NaiveDate,
    /// The runs, in order: the day each was judged as of.
    pub runs: Vec<NaiveDate>,
    /// Days of the period without a run.
    pub missing_days: Vec<NaiveDate>,
    /// Whether the runs were judged by different policies (digests).
    pub policies_differ: bool,
    /// Every control, sorted by id.
    pub controls: Vec<ControlTrend>,
}

/// One control over the period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ControlTrend {
    /// The control id.
    pub id: String,
    /// Its title (in the latest run).
    pub title: String,
    /// Its severity (in the latest run).
    pub severity: Severity,
    /// How often it passed, failed, ...
    #[serde(flatten)]
    pub record: Record,
    /// Resources that failed in at least one run, sorted by id.
    pub failing_resources: Vec<ResourceTrend>,
    /// For a control that judges a population (the changes or deployments
    /// of a period): its items over all the runs, each counted once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub population: Option<PopulationTrend>,
}

/// The population of a control over the runs: every item (a change or a
/// deployment) that any run judged, counted once however many overlapping
/// runs judged it (deduplicated by resource id, which names the commit or
/// the deployment), by the verdict of the latest run that judged it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PopulationTrend {
    /// What the items are (`changes`, `deployments`).
    pub kind: String,
    /// Distinct items judged in at least one run.
    pub items: usize,
    /// Items whose latest verdict is pass.
    pub passed: usize,
    /// Items whose latest verdict is fail.
    pub failed: usize,
    /// Items whose latest verdict is a failure under a waiver.
    pub waived: usize,
    /// Items whose latest verdict is error.
    pub undetermined: usize,
}

impl PopulationTrend {
    /// The items of `statuses` (per item, its status in each run, `None`
    /// when absent), counted once each by their latest judged status.
    fn over<'a>(kind: &str, statuses: impl Iterator<Item = &'a [Option<JsonStatus>]>) -> Self {
        let mut population = PopulationTrend {
            kind: kind.to_owned(),
            ..PopulationTrend::default()
        };
        for per_run in statuses {
            let latest = per_run
                .iter()
                .rev()
                .flatten()
                .find(|status| **status != JsonStatus::Skipped);
            let Some(latest) = latest else { continue };
            population.items += 1;
            match latest {
                JsonStatus::Pass => population.passed += 1,
                JsonStatus::Fail => population.failed += 1,
                JsonStatus::Waived => population.waived += 1,
                JsonStatus::Error | JsonStatus::Skipped => population.undetermined += 1,
            }
        }
        population
    }

    /// The population in a sentence, after the control's id.
    pub(crate) fn sentence(&self) -> String {
        format!(
            "{} {} over the runs, each counted once by its latest verdict: {} passed, {} failed, {} waived, {} undetermined",
            self.items, self.kind, self.passed, self.failed, self.waived, self.undetermined
        )
    }
}

/// One resource of a control over the period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResourceTrend {
    /// The resource id.
    pub resource: String,
    /// How often it passed, failed, ...
    #[serde(flatten)]
    pub record: Record,
}

/// A control's or a resource's statuses over the runs.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Record {
    /// Runs that judged it (present and not skipped).
    pub judged: usize,
    /// Runs in which it passed.
    pub passed: usize,
    /// Runs in which it failed.
    pub failed: usize,
    /// Runs in which it failed under a waiver.
    pub waived: usize,
    /// Runs in which it could not be determined.
    pub undetermined: usize,
    /// Share of the judged runs that passed, in whole percent.
    pub pass_rate: Option<usize>,
    /// The first run in which it failed.
    pub first_failure: Option<NaiveDate>,
    /// The last run in which it failed.
    pub last_failure: Option<NaiveDate>,
    /// The most runs in a row in which it failed.
    pub longest_failing_streak: usize,
    #[serde(skip)]
    streak: usize,
}

impl Record {
    /// The record of one status per run (`None`: absent from that run).
    fn over(days: &[NaiveDate], statuses: impl Iterator<Item = Option<JsonStatus>>) -> Record {
        let mut record = Record::default();
        for (day, status) in days.iter().zip(statuses) {
            record.add(*day, status);
        }
        record.pass_rate = percent(record.passed, record.judged);
        record
    }

    /// Adds the status of the next run (`None`: not judged in it).
    fn add(&mut self, day: NaiveDate, status: Option<JsonStatus>) {
        let failed = status == Some(JsonStatus::Fail);
        match status {
            Some(JsonStatus::Pass) => self.passed += 1,
            Some(JsonStatus::Fail) => self.failed += 1,
            Some(JsonStatus::Waived) => self.waived += 1,
            Some(JsonStatus::Error) => self.undetermined += 1,
            Some(JsonStatus::Skipped) | None => {}
        }
        if matches!(status, Some(s) if s != JsonStatus::Skipped) {
            self.judged += 1;
        }
        if failed {
            self.first_failure.get_or_insert(day);
            self.last_failure = Some(day);
            self.streak += 1;
            self.longest_failing_streak = self.longest_failing_streak.max(self.streak);
        } else {
            self.streak = 0;
        }
    }
}

/// The trend of `runs` (in any order) over the period `from`..=`to`
/// (default: the first and last run's days). Runs outside the period are
/// left out.
pub fn trend(mut runs: Vec<RunReport>, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Trend {
    runs.sort_by_key(|run| (run.as_of, run.snapshot.collected_at));
    let from = from
        .or(runs.first().map(|run| run.as_of))
        .unwrap_or(NaiveDate::MIN);
    let to = to.or(runs.last().map(|run| run.as_of)).unwrap_or(from);
    runs.retain(|run| run.as_of >= from && run.as_of <= to);
    let days: Vec<NaiveDate> = runs.iter().map(|run| run.as_of).collect();
    let missing_days = if runs.is_empty() {
        Vec::new()
    } else {
        from.iter_days()
            .take_while(|day| *day <= to)
            .filter(|day| days.binary_search(day).is_err())
            .collect()
    };
    let mut digests: Vec<&Option<String>> = runs.iter().map(|run| &run.policy.digest).collect();
    digests.sort();
    digests.dedup();

    // Each control's entry in each run (`None`: absent from the run), by
    // control id; each control is then followed on its own core.
    let mut by_control: BTreeMap<&str, Vec<Option<&RunControl>>> = BTreeMap::new();
    for (index, run) in runs.iter().enumerate() {
        for control in &run.controls {
            by_control
                .entry(&control.id)
                .or_insert_with(|| vec![None; runs.len()])[index] = Some(control);
        }
    }
    let by_control: Vec<(&str, Vec<Option<&RunControl>>)> = by_control.into_iter().collect();
    let controls = by_control
        .par_iter()
        .map(|(id, per_run)| control_trend(id, per_run, &days))
        .collect();
    Trend {
        from,
        to,
        runs: days,
        missing_days,
        policies_differ: digests.len() > 1,
        controls,
    }
}

/// One control over the runs (its entry in each, `None` when absent):
/// its record, and the record of each resource that failed in some run.
fn control_trend(id: &str, per_run: &[Option<&RunControl>], days: &[NaiveDate]) -> ControlTrend {
    let latest = per_run.iter().rev().flatten().next();
    let record = Record::over(days, per_run.iter().map(|c| c.map(|c| c.status)));
    let mut resources: FxHashMap<&str, Vec<Option<JsonStatus>>> = FxHashMap::default();
    for (index, control) in per_run.iter().enumerate() {
        for finding in control.iter().flat_map(|c| &c.findings) {
            resources
                .entry(&finding.resource)
                .or_insert_with(|| vec![None; per_run.len()])[index] = Some(finding.status);
        }
    }
    let population = latest
        .and_then(|c| c.population.as_deref())
        .map(|kind| PopulationTrend::over(kind, resources.values().map(Vec::as_slice)));
    let mut failing: Vec<(&str, Vec<Option<JsonStatus>>)> = resources
        .into_iter()
        .filter(|(_, statuses)| statuses.contains(&Some(JsonStatus::Fail)))
        .collect();
    failing.sort_unstable_by_key(|(resource, _)| *resource);
    ControlTrend {
        id: id.to_owned(),
        title: latest.map(|c| c.title.clone()).unwrap_or_default(),
        severity: latest.map_or(Severity::Low, |c| c.severity),
        record,
        failing_resources: failing
            .into_iter()
            .map(|(resource, statuses)| ResourceTrend {
                resource: resource.to_owned(),
                record: Record::over(days, statuses.into_iter()),
            })
            .collect(),
        population,
    }
}

impl Trend {
    /// The trend as text for a terminal or a log: one line per control,
    /// its failing resources below it.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.headline());
        if self.policies_differ {
            let _ = writeln!(out, "{POLICIES_DIFFER}");
        }
        if !self.missing_days.is_empty() {
            let _ = writeln!(out, "days without a run: {}", days(&self.missing_days));
        }
        let width = self
            .controls
            .iter()
            .flat_map(|c| {
                std::iter::once(c.id.chars().count()).chain(
                    c.failing_resources
                        .iter()
                        .map(|r| r.resource.chars().count() + 2),
                )
            })
            .max()
            .unwrap_or(0)
            .max("CONTROL".len());
        let _ = writeln!(
            out,
            "\n{:<width$}  {:<8}  {:>9}  {:>6}  {:>6}  {:>5}  {:<13}  {:<12}  {:>14}",
            "CONTROL",
            "SEVERITY",
            "PASS RATE",
            "FAILED",
            "WAIVED",
            "ERROR",
            "FIRST FAILURE",
            "LAST FAILURE",
            "LONGEST STREAK"
        );
        for control in &self.controls {
            row(
                &mut out,
                &control.id,
                control.severity.as_str(),
                &control.record,
                width,
            );
            for resource in &control.failing_resources {
                let name = format!("  {}", visible(&resource.resource));
                row(&mut out, &name, "", &resource.record, width);
            }
        }
        for (id, population) in self.populations() {
            let _ = writeln!(out, "\n{}: {}", visible(id), population.sentence());
        }
        guard_lines(out)
    }

    /// The trend as Markdown: the period, then a table per control that
    /// failed in some run, and the controls that never failed.
    pub fn render_markdown(&self) -> String {
        guard_lines(self.markdown_section("#"))
    }

    /// The Markdown of [`Trend::render_markdown`] under a heading of the
    /// given level (`#`, `##`): the audit report includes it.
    pub(crate) fn markdown_section(&self, level: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{level} Trend over the audit period\n\n{}\n",
            self.headline()
        );
        if self.policies_differ {
            let _ = writeln!(out, "> [!WARNING]\n> {POLICIES_DIFFER}\n");
        }
        let _ = writeln!(
            out,
            "Days without a run: {}.\n",
            if self.missing_days.is_empty() {
                "none".to_owned()
            } else {
                days(&self.missing_days)
            }
        );
        let _ = writeln!(
            out,
            "| Control | Severity | Pass rate | Runs judged | Failed | Waived | Undetermined | First failure | Last failure | Longest failing streak |"
        );
        let _ = writeln!(
            out,
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |"
        );
        for control in &self.controls {
            md_row(
                &mut out,
                &markdown_code(&control.id),
                control.severity.as_str(),
                &control.record,
            );
            for resource in &control.failing_resources {
                md_row(
                    &mut out,
                    &format!("↳ {}", markdown_code(&resource.resource)),
                    "",
                    &resource.record,
                );
            }
        }
        let mut populations = self.populations().peekable();
        if populations.peek().is_some() {
            out.push('\n');
        }
        for (id, population) in populations {
            let _ = writeln!(out, "- {}: {}.", markdown_code(id), population.sentence());
        }
        out
    }

    /// The controls that judge a population, with it.
    pub(crate) fn populations(&self) -> impl Iterator<Item = (&str, &PopulationTrend)> {
        self.controls
            .iter()
            .filter_map(|c| Some((c.id.as_str(), c.population.as_ref()?)))
    }

    /// The trend as pretty JSON with a trailing newline.
    pub fn render_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// The period, the runs and the days without one, in a sentence.
    pub(crate) fn headline(&self) -> String {
        format!(
            "Trend from {} to {}: {} run{}, {} day{} without a run",
            self.from,
            self.to,
            self.runs.len(),
            plural(self.runs.len()),
            self.missing_days.len(),
            plural(self.missing_days.len())
        )
    }
}

/// Said when the runs of a trend were judged by different policies.
pub(crate) const POLICIES_DIFFER: &str = "warning: the runs were evaluated against different policies (their digests differ): a change may come from the policy, not the systems";

fn row(out: &mut String, name: &str, severity: &str, record: &Record, width: usize) {
    let _ = writeln!(
        out,
        "{name:<width$}  {severity:<8}  {:>9}  {:>6}  {:>6}  {:>5}  {:<13}  {:<12}  {:>14}",
        rate(record.pass_rate),
        record.failed,
        record.waived,
        record.undetermined,
        date(record.first_failure),
        date(record.last_failure),
        record.longest_failing_streak
    );
}

fn md_row(out: &mut String, name: &str, severity: &str, record: &Record) {
    let _ = writeln!(
        out,
        "| {name} | {severity} | {} | {} | {} | {} | {} | {} | {} | {} |",
        rate(record.pass_rate),
        record.judged,
        record.failed,
        record.waived,
        record.undetermined,
        date(record.first_failure),
        date(record.last_failure),
        record.longest_failing_streak
    );
}

pub(crate) fn rate(rate: Option<usize>) -> String {
    rate.map_or_else(|| "-".to_owned(), |rate| format!("{rate}%"))
}

pub(crate) fn date(date: Option<NaiveDate>) -> String {
    date.map_or_else(|| "-".to_owned(), |date| date.to_string())
}

/// Days as ranges: `2026-10-14, 2026-11-03 to 2026-11-05`.
pub(crate) fn days(days: &[NaiveDate]) -> String {
    let mut ranges: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for day in days {
        match ranges.last_mut() {
            Some((_, end)) if end.succ_opt() == Some(*day) => *end = *day,
            _ => ranges.push((*day, *day)),
        }
    }
    ranges
        .iter()
        .map(|(start, end)| {
            if start == end {
                start.to_string()
            } else {
                format!("{start} to {end}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run judged as of `day` in which `alice` has `status` under one
    /// control and `bob` passes.
    fn run(day: &str, status: &str, digest: &str) -> RunReport {
        let alice = if status.is_empty() {
            String::new()
        } else {
            format!(r#"{{"resource": "user/alice", "status": "{status}", "message": "m"}},"#)
        };
        let control = match status {
            "fail" => "fail",
            "" => "pass",
            other => other,
        };
        parse_run(
            format!(
            r#"{{"report_version": 1, "as_of": "{day}", "tenet_version": "x",
                "snapshot": {{"collected_at": "{day}T03:00:00Z"}},
                "policy": {{"origin": "tenet.toml", "digest": "{digest}"}},
                "controls": [{{"id": "aws.iam.console-mfa", "title": "MFA", "severity": "critical",
                  "status": "{control}", "findings": [{alice} {{"resource": "user/bob", "status": "pass"}}]}}]}}"#
            )
            .as_bytes(),
        )
        .expect("a run")
    }

    #[test]
    fn records_count_runs_streaks_and_missing_days() {
        // Out of order, one night missing (10-04), alice absent on 10-06.
        let runs = vec![
            run("2026-10-03", "fail", "d"),
            run("2026-10-01", "pass", "d"),
            run("2026-10-02", "fail", "d"),
            run("2026-10-05", "fail", "d"),
            run("2026-10-06", "", "d"),
            run("2026-10-07", "fail", "d"),
            run("2026-10-08", "waived", "d"),
            run("2026-10-09", "error", "d"),
        ];
        let trend = trend(runs, None, None);
        let day = |d: &str| d.parse::<NaiveDate>().ok();
        assert_eq!(trend.runs.len(), 8);
        assert_eq!(trend.missing_days, vec![day("2026-10-04").expect("date")]);
        assert!(!trend.policies_differ);
        let control = &trend.controls[0];
        assert_eq!(control.failing_resources.len(), 1, "bob never failed");
        let alice = &control.failing_resources[0].record;
        assert_eq!(
            (
                alice.judged,
                alice.passed,
                alice.failed,
                alice.waived,
                alice.undetermined
            ),
            (7, 1, 4, 1, 1)
        );
        assert_eq!(alice.first_failure, day("2026-10-02"));
        assert_eq!(alice.last_failure, day("2026-10-07"));
        // 10-02, 10-03 and 10-05 are runs in a row (no run on 10-04); the
        // run without alice (10-06) ends the streak.
        assert_eq!(alice.longest_failing_streak, 3);
        assert_eq!(alice.pass_rate, Some(14));
        assert_eq!(control.record.judged, 8);
    }

    #[test]
    fn a_period_narrows_the_runs_and_policies_are_compared() {
        let runs = vec![
            run("2026-09-30", "fail", "a"),
            run("2026-10-01", "pass", "a"),
            run("2026-10-02", "pass", "b"),
        ];
        let from = "2026-10-01".parse().ok();
        let trend = trend(runs, from, "2026-10-03".parse().ok());
        assert_eq!(trend.runs.len(), 2);
        assert_eq!(trend.missing_days.len(), 1, "10-03");
        assert!(trend.policies_differ);
        assert!(trend.controls[0].failing_resources.is_empty());
    }

    #[test]
    fn a_population_counts_each_item_once_by_its_latest_verdict() {
        // Three overlapping runs: change a fails in the first two; b could
        // not be read at first, then passes; c is only in the last run.
        let run = |day: &str, findings: &[(&str, &str)]| {
            let findings: Vec<String> = findings
                .iter()
                .map(|(sha, status)| {
                    format!(
                        r#"{{"resource": "github:acme/app:commit/{sha}", "status": "{status}"}}"#
                    )
                })
                .collect();
            parse_run(
                format!(
                    r#"{{"report_version": 1, "as_of": "{day}",
                    "snapshot": {{"collected_at": "{day}T03:00:00Z"}}, "policy": {{}},
                    "controls": [{{"id": "github.changes.two-person-review", "title": "t",
                      "severity": "high", "status": "fail", "population": "changes",
                      "findings": [{}]}}]}}"#,
                    findings.join(",")
                )
                .as_bytes(),
            )
            .expect("a run")
        };
        let runs = vec![
            run("2026-10-02", &[("a", "fail"), ("b", "pass"), ("c", "pass")]),
            run("2026-10-01", &[("a", "fail"), ("b", "error")]),
            run("2026-10-03", &[("a", "waived"), ("b", "skipped")]),
        ];
        let trend = trend(runs, None, None);
        let population = trend.controls[0].population.as_ref().expect("population");
        assert_eq!(
            (
                population.items,
                population.passed,
                population.failed,
                population.waived,
                population.undetermined
            ),
            (3, 2, 0, 1, 0),
            "a is waived at last, b's skip in the last run does not hide its pass"
        );
        assert_eq!(trend.controls[0].failing_resources.len(), 1);
        assert!(
            trend
                .render_text()
                .contains("3 changes over the runs, each counted once by its latest verdict: 2 passed, 0 failed, 1 waived, 0 undetermined")
        );
    }

    #[test]
    fn other_versions_and_garbage_are_refused() {
        assert!(matches!(
            parse_run(
                br#"{"report_version": 2, "as_of": "2026-10-01", "snapshot": {"collected_at": "2026-10-01T00:00:00Z"}, "policy": {}, "controls": []}"#
            ),
            Err(TrendError::Version(2))
        ));
        assert!(matches!(parse_run(b"{"), Err(TrendError::Invalid(_))));
    }

    #[test]
    fn days_read_as_ranges() {
        let d = |s: &str| s.parse::<NaiveDate>().expect("date");
        assert_eq!(
            days(&[
                d("2026-10-14"),
                d("2026-11-03"),
                d("2026-11-04"),
                d("2026-11-05")
            ]),
            "2026-10-14, 2026-11-03 to 2026-11-05"
        );
    }
}
