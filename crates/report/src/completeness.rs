//! What a report did not assess, and why, for the audit formats' section
//! of it: the controls that did not run, the scope that was not read (AWS
//! regions), the facts tenet could not read (grouped by reason, with the
//! controls each left undetermined), and the criteria of each framework
//! shown that no control evidences.

use std::collections::BTreeMap;

use tenet_engine::{ControlResult, Report, Status};

use crate::audit::FrameworkView;

/// Reasons a report lists before it counts the rest.
const REASONS_SHOWN: usize = 10;

/// What a report did not assess.
pub(crate) struct Completeness<'a> {
    /// Controls that did not run: off by the policy, optional, or with
    /// nothing to judge; by id.
    pub skipped: Vec<&'a ControlResult>,
    /// Scope not read: one line per account whose regions were not all
    /// read.
    pub scope: Vec<String>,
    /// Why facts could not be read, most findings first: at most
    /// [`REASONS_SHOWN`].
    pub unread: Vec<Unread<'a>>,
    /// The reasons past those.
    pub unread_more: usize,
    /// Per framework shown: its name, the criteria of tenet's catalog no
    /// control evidences, the catalog's size and whether it is every
    /// criterion of the framework.
    pub frameworks: Vec<(&'a str, usize, usize, bool)>,
}

/// One reason facts could not be read.
pub(crate) struct Unread<'a> {
    /// The reason, as the connector gave it.
    pub reason: &'a str,
    /// The findings it left undetermined.
    pub findings: usize,
    /// Their controls, by id.
    pub controls: Vec<&'a str>,
}

/// Controls a reason names before it counts the rest.
const CONTROLS_SHOWN: usize = 10;

impl Unread<'_> {
    /// The controls to name, and how many more there are.
    pub fn controls_shown(&self) -> (&[&str], usize) {
        let shown = self.controls.len().min(CONTROLS_SHOWN);
        (&self.controls[..shown], self.controls.len() - shown)
    }
}

impl Completeness<'_> {
    /// The reasons past those listed, in words: `and 3 more reasons (…)`;
    /// `None` when every reason is listed.
    pub fn more_reasons(&self) -> Option<String> {
        (self.unread_more > 0).then(|| {
            format!(
                "and {} more reasons (the JSON report has each undetermined finding's)",
                self.unread_more
            )
        })
    }

    /// Whether everything in scope was assessed.
    pub fn is_empty(&self) -> bool {
        self.skipped.is_empty()
            && self.scope.is_empty()
            && self.unread.is_empty()
            && self
                .frameworks
                .iter()
                .all(|(_, missing, _, _)| *missing == 0)
    }
}

/// What `report` did not assess, with the frameworks of `views`.
pub(crate) fn completeness<'a>(
    report: &'a Report,
    views: &'a [FrameworkView<'a>],
) -> Completeness<'a> {
    let skipped = report
        .controls
        .iter()
        .filter(|c| c.status == Status::Skipped)
        .collect();
    let mut by_reason: BTreeMap<&str, (usize, Vec<&str>)> = BTreeMap::new();
    for control in &report.controls {
        for finding in control
            .findings
            .iter()
            .filter(|f| f.status == Status::Error)
        {
            let reason = finding
                .evidence
                .get("unavailable")
                .and_then(|reason| reason.as_str())
                .unwrap_or(&finding.message);
            let (count, controls) = by_reason.entry(reason).or_default();
            *count += 1;
            if !controls.contains(&control.id.as_str()) {
                controls.push(&control.id);
            }
        }
    }
    let mut unread: Vec<Unread<'_>> = by_reason
        .into_iter()
        .map(|(reason, (findings, controls))| Unread {
            reason,
            findings,
            controls,
        })
        .collect();
    unread.sort_by(|a, b| b.findings.cmp(&a.findings).then(a.reason.cmp(b.reason)));
    let unread_more = unread.len().saturating_sub(REASONS_SHOWN);
    unread.truncate(REASONS_SHOWN);
    let scope = report
        .snapshot
        .aws_regions
        .iter()
        .filter_map(|(account, read)| match &read.names {
            Err(reason) => Some(format!(
                "AWS {account}: its regions could not be listed ({reason}): no regional resource of it was assessed"
            )),
            Ok(names) if !read.every_enabled => Some(format!(
                "AWS {account}: only the policy's regions were read ({}); resources in its other enabled regions were not assessed",
                names.join(", ")
            )),
            Ok(_) => None,
        })
        .collect();
    let frameworks = views
        .iter()
        .map(|view| {
            (
                view.framework.name.as_str(),
                view.not_assessed.len(),
                view.framework.criteria.len(),
                view.framework.complete,
            )
        })
        .collect();
    Completeness {
        skipped,
        scope,
        unread,
        unread_more,
        frameworks,
    }
}

/// The skipped controls grouped by their reason, in the order the reasons
/// first come.
pub(crate) fn skipped_by_reason<'a>(
    skipped: &[&'a ControlResult],
) -> Vec<(&'a str, Vec<&'a ControlResult>)> {
    let mut groups: Vec<(&str, Vec<&ControlResult>)> = Vec::new();
    for control in skipped {
        let reason = control
            .skipped_reason
            .as_deref()
            .unwrap_or("no resource in scope");
        match groups.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, controls)) => controls.push(control),
            None => groups.push((reason, vec![control])),
        }
    }
    groups
}

/// A framework's line: `SOC 2 (2017 TSC): 47 of the 61 criteria of tenet's
/// catalog of it, every criterion of the framework, have no control`.
pub(crate) fn framework_line(name: &str, missing: usize, total: usize, complete: bool) -> String {
    let catalog = if complete {
        "tenet's catalog of it, every criterion of the framework"
    } else {
        "tenet's catalog of it, which is not every criterion of the framework"
    };
    format!("{name}: {missing} of the {total} criteria of {catalog}, have no control")
}
