//! One report from shards: `tenet merge A.json B.json …` combines the JSON
//! reports of CI jobs that each scanned some organizations or accounts
//! against the same policy.
//!
//! Reports of another `report_version` or of a different policy (digest,
//! origin, `fail_on`, controls and their severities, waivers) are refused,
//! and so are reports that cover the same organization or account (the same
//! shard twice, or overlapping shards, whose findings would count twice). The
//! merged report covers the union of the organizations and accounts; its
//! findings are the union of the shards' (a resource seen by two shards keeps
//! its worst finding); statuses, counts, the verdict and waiver matches are
//! recomputed. It is judged as of the latest `as_of` of the shards, and its
//! snapshot is as old as the oldest shard's. The version fields are the
//! first report's.

use std::collections::{BTreeMap, BTreeSet};

use tenet_rules::{Severity, access::Roster};

use crate::json::{
    JsonControl, JsonCounts, JsonFinding, JsonReport, JsonStatus, JsonSummary, JsonVerdict,
    JsonWaiverState, REPORT_VERSION,
};

/// Why reports cannot be merged.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no report to merge")]
    Empty,
    /// A report of another format version.
    #[error("report {index} has report_version {found}, expected {REPORT_VERSION}")]
    Version {
        /// 1-based position of the report among the inputs.
        index: usize,
        /// Its version.
        found: u32,
    },
    /// A report of another policy than the first.
    #[error("report {index} was evaluated against a different policy than report 1: {what} differ")]
    Policy {
        /// 1-based position of the report among the inputs.
        index: usize,
        /// What differs.
        what: &'static str,
    },
    /// A report of another audit period than the first: its changes are
    /// another population.
    #[error(
        "report {index} covers the audit period {found}, report 1 {expected}: collect every shard of one audit with the same --from and --to"
    )]
    Period {
        /// 1-based position of the report among the inputs.
        index: usize,
        /// Its period, or `none`.
        found: String,
        /// The first report's period, or `none`.
        expected: String,
    },
    /// Two reports cover the same organization or account: the same shard
    /// given twice, or shards that overlap (its findings would count twice).
    #[error(
        "reports {first} and {second} both cover {what}: each shard must cover its own organizations and accounts (the same report given twice?)"
    )]
    Overlap {
        /// 1-based position of the earlier report.
        first: usize,
        /// 1-based position of the later report.
        second: usize,
        /// What both cover, e.g. `AWS account 111122223333`.
        what: String,
    },
}

/// Merges shard reports into one (see the module documentation).
pub fn merge(reports: &[JsonReport]) -> Result<JsonReport, MergeError> {
    let first = reports.first().ok_or(MergeError::Empty)?;
    for (index, report) in reports.iter().enumerate() {
        check(first, report, index + 1)?;
    }
    disjoint(reports)?;
    let as_of = reports.iter().map(|r| r.as_of).max().unwrap_or(first.as_of);
    let mut merged = first.clone();
    merged.as_of = as_of;
    merged.snapshot.collected_at = reports
        .iter()
        .map(|r| r.snapshot.collected_at)
        .min()
        .unwrap_or(first.snapshot.collected_at);
    merged.snapshot.github_orgs = union(reports.iter().map(|r| &r.snapshot.github_orgs));
    merged.snapshot.aws_accounts = union(reports.iter().map(|r| &r.snapshot.aws_accounts));
    merged.snapshot.digests = union(reports.iter().map(|r| &r.snapshot.digests));
    merged.snapshot.aws_account_names = reports
        .iter()
        .flat_map(|r| r.snapshot.aws_account_names.clone())
        .collect();
    merged.snapshot.aws_readers = reports
        .iter()
        .flat_map(|r| r.snapshot.aws_readers.clone())
        .collect();
    merged.snapshot.aws_regions = reports
        .iter()
        .flat_map(|r| r.snapshot.aws_regions.clone())
        .collect();
    merged.snapshot.github_readers = reports
        .iter()
        .flat_map(|r| r.snapshot.github_readers.clone())
        .collect();
    // Shards collected in different runs have no one run.
    if reports.iter().any(|r| r.snapshot.run != first.snapshot.run) {
        merged.snapshot.run = None;
    }
    let roots: Vec<BTreeSet<String>> = reports.iter().map(roots).collect();
    let covered: BTreeSet<&String> = roots.iter().flatten().collect();
    for (position, control) in merged.controls.iter_mut().enumerate() {
        let shards: Vec<(&JsonControl, &BTreeSet<String>)> = reports
            .iter()
            .zip(&roots)
            .filter_map(|(r, own)| Some((r.controls.get(position)?, own)))
            .collect();
        merge_control(control, &shards, &covered);
    }
    for (position, waiver) in merged.waivers.iter_mut().enumerate() {
        waiver.matched = reports
            .iter()
            .filter_map(|r| r.waivers.get(position))
            .map(|w| w.matched)
            .sum();
        waiver.days_to_expiry = (waiver.expires - as_of).num_days();
        waiver.state = if waiver.days_to_expiry < 0 {
            JsonWaiverState::Expired
        } else {
            JsonWaiverState::Active
        };
    }
    // The policies are the same (their digests are): so are the entries.
    for (position, entry) in merged.allowlist.iter_mut().enumerate() {
        entry.matched = reports
            .iter()
            .filter_map(|r| r.allowlist.get(position))
            .map(|e| e.matched)
            .sum();
        entry.days_to_expiry = entry.expires.map(|expires| (expires - as_of).num_days());
        entry.state = match entry.days_to_expiry {
            Some(days) if days < 0 => JsonWaiverState::Expired,
            _ => JsonWaiverState::Active,
        };
    }
    merged.access = merged_access(reports);
    merged.summary = summary(&merged.controls);
    merged.verdict = verdict(&merged.controls, merged.policy.fail_on);
    Ok(merged)
}

/// The access rosters of disjoint shards as one: every entry and gap, in
/// shard order; none when a shard did not record one (a partial roster
/// would understate who has access).
fn merged_access(reports: &[JsonReport]) -> Option<Roster> {
    let mut merged = Roster::default();
    for report in reports {
        let roster = report.access.as_ref()?;
        merged.entries.extend(roster.entries.iter().cloned());
        merged.gaps.extend(roster.gaps.iter().cloned());
        for line in &roster.not_collected {
            if !merged.not_collected.contains(line) {
                merged.not_collected.push(line.clone());
            }
        }
    }
    merged.sort();
    Some(merged)
}

fn check(first: &JsonReport, report: &JsonReport, index: usize) -> Result<(), MergeError> {
    if report.report_version != REPORT_VERSION {
        return Err(MergeError::Version {
            index,
            found: report.report_version,
        });
    }
    let policy = |what| Err(MergeError::Policy { index, what });
    if report.policy.origin != first.policy.origin {
        return policy("policy files");
    }
    if report.policy.digest != first.policy.digest {
        return policy("policy digests (the policy file's text or its custom controls)");
    }
    if report.policy.fail_on != first.policy.fail_on {
        return policy("fail_on thresholds");
    }
    if report.snapshot.period != first.snapshot.period {
        let text = |r: &JsonReport| {
            r.snapshot
                .period
                .map_or("none".to_owned(), |p| format!("{} to {}", p.from, p.to))
        };
        return Err(MergeError::Period {
            index,
            found: text(report),
            expected: text(first),
        });
    }
    let controls = |r: &JsonReport| -> Vec<(String, Severity)> {
        r.controls
            .iter()
            .map(|c| (c.id.clone(), c.severity))
            .collect()
    };
    if controls(report) != controls(first) {
        return policy("controls or their severities");
    }
    let waivers = |r: &JsonReport| -> Vec<_> {
        r.waivers
            .iter()
            .map(|w| {
                (
                    w.line,
                    w.control.clone(),
                    w.resource.clone(),
                    w.expires,
                    w.owner.clone(),
                    w.reason.clone(),
                )
            })
            .collect()
    };
    if waivers(report) != waivers(first) {
        return policy("waivers");
    }
    Ok(())
}

/// Refuses reports that cover the same organization or account, and the
/// same report twice (two reports of an empty scope collected at the same
/// instant).
fn disjoint(reports: &[JsonReport]) -> Result<(), MergeError> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut empty: BTreeMap<chrono::DateTime<chrono::Utc>, usize> = BTreeMap::new();
    for (index, report) in reports.iter().enumerate() {
        let snapshot = &report.snapshot;
        let covered = snapshot
            .github_orgs
            .iter()
            .map(|org| format!("GitHub organization {org}"))
            .chain(
                snapshot
                    .aws_accounts
                    .iter()
                    .map(|account| format!("AWS account {account}")),
            );
        let mut any = false;
        for what in covered {
            any = true;
            if let Some(&first) = seen.get(&what) {
                return Err(MergeError::Overlap {
                    first,
                    second: index + 1,
                    what,
                });
            }
            seen.insert(what, index + 1);
        }
        if !any {
            if let Some(&first) = empty.get(&snapshot.collected_at) {
                return Err(MergeError::Overlap {
                    first,
                    second: index + 1,
                    what: format!("the snapshot collected at {}", snapshot.collected_at),
                });
            }
            empty.insert(snapshot.collected_at, index + 1);
        }
    }
    Ok(())
}

fn union<'a>(lists: impl Iterator<Item = &'a Vec<String>>) -> Vec<String> {
    let mut all: Vec<String> = lists.flatten().cloned().collect();
    all.sort();
    all.dedup();
    all
}

/// How bad a status is, as the engine ranks it: fail > error > waived >
/// pass > skipped.
fn rank(status: JsonStatus) -> u8 {
    match status {
        JsonStatus::Fail => 4,
        JsonStatus::Error => 3,
        JsonStatus::Waived => 2,
        JsonStatus::Pass => 1,
        JsonStatus::Skipped => 0,
    }
}

/// The resource ids of the organizations and accounts a report covers
/// (`github:ORG`, `aws:ACCOUNT`).
fn roots(report: &JsonReport) -> BTreeSet<String> {
    let snapshot = &report.snapshot;
    snapshot
        .github_orgs
        .iter()
        .map(|org| format!("github:{org}"))
        .chain(snapshot.aws_accounts.iter().map(|id| format!("aws:{id}")))
        .collect()
}

/// Merges one control's shards, each with the organizations and accounts it
/// covers. A shard's error about an organization or account it did not
/// cover but another shard did ("in scope but not in the snapshot", when
/// every shard runs the policy that lists them all) is left out: that
/// shard's job was not to read it. An organization or account no shard
/// covered keeps its error.
fn merge_control(
    control: &mut JsonControl,
    shards: &[(&JsonControl, &BTreeSet<String>)],
    covered: &BTreeSet<&String>,
) {
    let mut findings: BTreeMap<&str, &JsonFinding> = BTreeMap::new();
    let read_elsewhere = |finding: &JsonFinding, own: &BTreeSet<String>| {
        finding.status == JsonStatus::Error
            && covered.contains(&finding.resource)
            && !own.contains(&finding.resource)
    };
    for finding in shards.iter().flat_map(|(c, own)| {
        c.findings
            .iter()
            .filter(move |finding| !read_elsewhere(finding, own))
    }) {
        let worse = findings
            .get(finding.resource.as_str())
            .is_none_or(|kept| rank(finding.status) > rank(kept.status));
        if worse {
            findings.insert(&finding.resource, finding);
        }
    }
    control.findings = findings.into_values().cloned().collect();
    control.status = control
        .findings
        .iter()
        .map(|f| f.status)
        .max_by_key(|status| rank(*status))
        .unwrap_or(JsonStatus::Skipped);
    control.skipped_reason = if control.status == JsonStatus::Skipped {
        shards.iter().find_map(|(c, _)| c.skipped_reason.clone())
    } else {
        None
    };
}

fn count(counts: &mut JsonCounts, status: JsonStatus) {
    *match status {
        JsonStatus::Pass => &mut counts.pass,
        JsonStatus::Fail => &mut counts.fail,
        JsonStatus::Waived => &mut counts.waived,
        JsonStatus::Error => &mut counts.error,
        JsonStatus::Skipped => &mut counts.skipped,
    } += 1;
}

fn summary(controls: &[JsonControl]) -> JsonSummary {
    let mut summary = JsonSummary {
        controls: JsonCounts::default(),
        findings: JsonCounts::default(),
    };
    for control in controls {
        count(&mut summary.controls, control.status);
        for finding in &control.findings {
            count(&mut summary.findings, finding.status);
        }
    }
    summary
}

fn verdict(controls: &[JsonControl], fail_on: Severity) -> JsonVerdict {
    let failing = controls
        .iter()
        .filter(|c| c.severity >= fail_on)
        .flat_map(|c| &c.findings)
        .filter(|f| f.status == JsonStatus::Fail)
        .count();
    let errors = controls
        .iter()
        .flat_map(|c| &c.findings)
        .filter(|f| f.status == JsonStatus::Error)
        .count();
    let (status, exit_code) = if failing > 0 {
        (JsonStatus::Fail, 1)
    } else if errors > 0 {
        (JsonStatus::Error, 3)
    } else {
        (JsonStatus::Pass, 0)
    };
    JsonVerdict {
        status,
        exit_code,
        failing,
        errors,
    }
}
