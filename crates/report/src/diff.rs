//! What changed between two JSON reports: regressions, fixes, new and
//! removed resources, waivers that expired or expire soon.
//!
//! Findings are matched by control id × resource id. A *regression* is a
//! finding that fails now and did not before (it passed, was waived, was
//! undetermined, skipped, or did not exist); `tenet diff` exits 1 on one.

use std::{collections::BTreeMap, fmt::Write};

use serde::Serialize;
use tenet_rules::Severity;

use crate::json::{JsonReport, JsonStatus, JsonWaiverState};

/// A waiver expiring within this many days of the new report is listed.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// The differences between an old and a new report.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Diff {
    /// Findings failing now that did not fail before (including resources
    /// that are new and fail).
    pub regressions: Vec<Change>,
    /// Findings that failed before and pass now.
    pub fixed: Vec<Change>,
    /// Findings failing in both reports.
    pub still_failing: Vec<Change>,
    /// Other status changes of a resource present in both (e.g. pass to
    /// error, fail to waived).
    pub changed: Vec<Change>,
    /// Findings only in the new report.
    pub new_resources: Vec<Change>,
    /// Findings only in the old report.
    pub removed_resources: Vec<Change>,
    /// Controls whose status became `fail`.
    pub controls_now_failing: Vec<String>,
    /// Waivers expired in the new report that were active (or absent) in
    /// the old one.
    pub expired_waivers: Vec<WaiverNote>,
    /// Active waivers of the new report expiring within
    /// [`EXPIRY_WARNING_DAYS`].
    pub expiring_waivers: Vec<WaiverNote>,
}

/// One finding, before and after.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// The control id.
    pub control: String,
    /// The control's severity (in the new report when present there).
    pub severity: Severity,
    /// The resource id.
    pub resource: String,
    /// Status in the old report; `None` when absent.
    pub old: Option<JsonStatus>,
    /// Status in the new report; `None` when absent.
    pub new: Option<JsonStatus>,
    /// The newest message.
    pub message: String,
}

/// A waiver worth a look.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WaiverNote {
    /// The control id.
    pub control: String,
    /// The resource glob.
    pub resource: String,
    /// Who accepted the risk.
    pub owner: String,
    /// Why.
    pub reason: String,
    /// Last day covered.
    pub expires: chrono::NaiveDate,
    /// Days from the new report's `as_of` to expiry; negative once expired.
    pub days_to_expiry: i64,
}

/// A finding keyed for matching: (control, resource) → (severity, status, message).
type Findings<'a> = BTreeMap<(&'a str, &'a str), (Severity, JsonStatus, &'a str)>;

fn findings(report: &JsonReport) -> Findings<'_> {
    report
        .controls
        .iter()
        .flat_map(|control| {
            control.findings.iter().map(move |finding| {
                (
                    (control.id.as_str(), finding.resource.as_str()),
                    (control.severity, finding.status, finding.message.as_str()),
                )
            })
        })
        .collect()
}

impl Diff {
    /// The differences with [`crate::text::visible`] applied to every text
    /// from the reports.
    pub(crate) fn visible(&self) -> Diff {
        use crate::text::shown;
        let change = |change: &Change| Change {
            control: shown(&change.control),
            resource: shown(&change.resource),
            message: shown(&change.message),
            ..change.clone()
        };
        let note = |note: &WaiverNote| WaiverNote {
            control: shown(&note.control),
            resource: shown(&note.resource),
            owner: shown(&note.owner),
            reason: shown(&note.reason),
            ..note.clone()
        };
        Diff {
            regressions: self.regressions.iter().map(change).collect(),
            fixed: self.fixed.iter().map(change).collect(),
            still_failing: self.still_failing.iter().map(change).collect(),
            changed: self.changed.iter().map(change).collect(),
            new_resources: self.new_resources.iter().map(change).collect(),
            removed_resources: self.removed_resources.iter().map(change).collect(),
            controls_now_failing: self.controls_now_failing.iter().map(|c| shown(c)).collect(),
            expired_waivers: self.expired_waivers.iter().map(note).collect(),
            expiring_waivers: self.expiring_waivers.iter().map(note).collect(),
        }
    }

    /// Compares `old` with `new`. Every list is sorted by control, then
    /// resource.
    pub fn between(old: &JsonReport, new: &JsonReport) -> Diff {
        let before = findings(old);
        let after = findings(new);
        let mut diff = Diff::default();
        for (&(control, resource), &(severity, status, message)) in &after {
            let previous = before
                .get(&(control, resource))
                .map(|(_, status, _)| *status);
            let change = Change {
                control: control.to_owned(),
                severity,
                resource: resource.to_owned(),
                old: previous,
                new: Some(status),
                message: message.to_owned(),
            };
            if status == JsonStatus::Fail && previous != Some(JsonStatus::Fail) {
                diff.regressions.push(change.clone());
            }
            match previous {
                None => diff.new_resources.push(change),
                Some(JsonStatus::Fail) if status == JsonStatus::Fail => {
                    diff.still_failing.push(change);
                }
                Some(JsonStatus::Fail) if status == JsonStatus::Pass => diff.fixed.push(change),
                Some(previous) if previous != status && status != JsonStatus::Fail => {
                    diff.changed.push(change);
                }
                Some(_) => {}
            }
        }
        for (&(control, resource), &(severity, status, message)) in &before {
            if !after.contains_key(&(control, resource)) {
                diff.removed_resources.push(Change {
                    control: control.to_owned(),
                    severity,
                    resource: resource.to_owned(),
                    old: Some(status),
                    new: None,
                    message: message.to_owned(),
                });
            }
        }
        diff.controls_now_failing = new
            .controls
            .iter()
            .filter(|control| control.status == JsonStatus::Fail)
            .filter(|control| {
                old.controls
                    .iter()
                    .find(|before| before.id == control.id)
                    .is_none_or(|before| before.status != JsonStatus::Fail)
            })
            .map(|control| control.id.clone())
            .collect();
        diff.waivers(old, new);
        diff
    }

    fn waivers(&mut self, old: &JsonReport, new: &JsonReport) {
        for waiver in &new.waivers {
            let note = WaiverNote {
                control: waiver.control.clone(),
                resource: waiver.resource.clone(),
                owner: waiver.owner.clone(),
                reason: waiver.reason.clone(),
                expires: waiver.expires,
                days_to_expiry: waiver.days_to_expiry,
            };
            match waiver.state {
                JsonWaiverState::Expired => {
                    let was_expired = old.waivers.iter().any(|before| {
                        before.control == waiver.control
                            && before.resource == waiver.resource
                            && before.expires == waiver.expires
                            && before.state == JsonWaiverState::Expired
                    });
                    if !was_expired {
                        self.expired_waivers.push(note);
                    }
                }
                JsonWaiverState::Active if waiver.days_to_expiry <= EXPIRY_WARNING_DAYS => {
                    self.expiring_waivers.push(note);
                }
                JsonWaiverState::Active => {}
            }
        }
    }

    /// Whether a finding regressed: `tenet diff` exits 1.
    pub fn has_regressions(&self) -> bool {
        !self.regressions.is_empty()
    }

    /// The finding changes under the titles the audit reports give them,
    /// in report order.
    pub(crate) fn sections(&self) -> [(&'static str, &[Change]); 6] {
        [
            ("New failures", &self.regressions),
            ("Fixed", &self.fixed),
            ("Still failing", &self.still_failing),
            ("Other status changes", &self.changed),
            ("New resources", &self.new_resources),
            ("Removed resources", &self.removed_resources),
        ]
    }

    /// The differences as text for a terminal or a log.
    pub fn render_text(&self) -> String {
        let shown = self.visible();
        let mut out = String::new();
        let mut sections = shown.sections();
        // The text names new failures after the exit code they cause.
        sections[0].0 = "Regressions";
        for (title, changes) in sections {
            let _ = writeln!(out, "{title}: {}", changes.len());
            for change in changes {
                let _ = writeln!(
                    out,
                    "  {:<7} -> {:<7}  {:<8}  {}  {}  {}",
                    crate::words::status_name(change.old),
                    crate::words::status_name(change.new),
                    change.severity.as_str(),
                    change.control,
                    change.resource,
                    change.message
                );
            }
        }
        let _ = writeln!(
            out,
            "Controls now failing: {}",
            shown.controls_now_failing.len()
        );
        for control in &shown.controls_now_failing {
            let _ = writeln!(out, "  {control}");
        }
        let waivers: [(&str, &[WaiverNote]); 2] = [
            ("Waivers expired", &shown.expired_waivers),
            (
                &format!("Waivers expiring within {EXPIRY_WARNING_DAYS} days"),
                &shown.expiring_waivers,
            ),
        ];
        for (title, notes) in waivers {
            let _ = writeln!(out, "{title}: {}", notes.len());
            for note in notes {
                let _ = writeln!(
                    out,
                    "  {}  {}  expires {} ({} days), owner {}: {}",
                    note.control,
                    note.resource,
                    note.expires,
                    note.days_to_expiry,
                    note.owner,
                    note.reason
                );
            }
        }
        let _ = writeln!(
            out,
            "Result: {}",
            if self.has_regressions() {
                format!(
                    "REGRESSED, {} finding{} fail{} now that did not fail before (exit code 1)",
                    self.regressions.len(),
                    crate::words::plural(self.regressions.len()),
                    if self.regressions.len() == 1 { "s" } else { "" }
                )
            } else {
                "no regression (exit code 0)".to_owned()
            }
        );
        crate::text::guard_lines(out)
    }

    /// The differences as pretty JSON with a trailing newline.
    pub fn render_json(&self) -> String {
        // Serialization cannot fail: every map key is a string.
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}
