//! The exceptions register: every exception the policy grants in one list,
//! the waivers (failures accepted as risk) and the allow-list entries
//! (passes a control grants), each with its owner, approval, reason,
//! expiry and the findings it covers, as the audit formats show it.

use chrono::NaiveDate;
use tenet_engine::{AllowlistResult, Approval, Finding, Report, WaiverState};

use crate::text::markdown_code;

/// What an exception covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Covers<'a> {
    /// A waiver: the resources its glob matches.
    Resources(&'a str),
    /// An allow-list entry: the pattern of a control's parameter.
    Entry {
        /// The parameter, e.g. `allowlist`.
        parameter: &'a str,
        /// The pattern.
        pattern: &'a str,
    },
}

/// One row of the register.
#[derive(Clone, Debug)]
pub(crate) struct Exception<'a> {
    /// The control.
    pub control: &'a str,
    /// What it covers.
    pub covers: Covers<'a>,
    /// Who owns it; `None` for an allow-list entry written as a bare
    /// pattern.
    pub owner: Option<&'a str>,
    /// Why it is accepted.
    pub reason: Option<&'a str>,
    /// Who approved it, when, under which ticket.
    pub approval: &'a Approval,
    /// Last day it covers; `None` when it does not expire.
    pub expires: Option<NaiveDate>,
    /// Days from the evaluation date to `expires`.
    pub days_left: Option<i64>,
    /// Active or expired.
    pub state: WaiverState,
    /// Findings it covers: failures it waives, or passes it grants.
    pub findings: usize,
}

impl Exception<'_> {
    /// `waiver` or `allow-list`.
    pub fn kind(&self) -> &'static str {
        match self.covers {
            Covers::Resources(_) => "waiver",
            Covers::Entry { .. } => "allow-list",
        }
    }

    /// The state in words: an active exception that covers nothing should
    /// go.
    pub fn state_words(&self) -> &'static str {
        match (self.state, self.findings) {
            (WaiverState::Expired, _) => "expired",
            (WaiverState::Active, 0) => "active, covers nothing",
            (WaiverState::Active, _) => "active",
        }
    }

    /// How it was approved, in words.
    pub fn approval_words(&self) -> String {
        let approval = self.approval;
        let mut parts = Vec::new();
        if let Some(approver) = &approval.approver {
            parts.push(format!("by {approver}"));
        }
        if let Some(day) = approval.approved {
            parts.push(format!("on {day}"));
        }
        if let Some(ticket) = &approval.ticket {
            parts.push(format!("ticket {ticket}"));
        }
        if parts.is_empty() {
            "not recorded".into()
        } else {
            parts.join(", ")
        }
    }

    /// Its expiry in words, with the days left.
    pub fn expiry_words(&self) -> String {
        match (self.expires, self.days_left) {
            (Some(day), Some(days)) if days < 0 => format!("{day} (expired {} days ago)", -days),
            (Some(day), Some(days)) => format!("{day} (in {days} days)"),
            _ => "does not expire".into(),
        }
    }

    /// Whether it is active and expires within `days`.
    pub fn expires_within(&self, days: i64) -> bool {
        self.state == WaiverState::Active && self.days_left.is_some_and(|left| left <= days)
    }

    /// What it covers, in Markdown.
    pub fn covers_markdown(&self) -> String {
        match self.covers {
            Covers::Resources(glob) => markdown_code(glob),
            Covers::Entry { parameter, pattern } => {
                format!("{}: {}", markdown_code(parameter), markdown_code(pattern))
            }
        }
    }
}

/// Every exception of `report`: its waivers in file order, then its
/// allow-list entries.
pub(crate) fn register(report: &Report) -> Vec<Exception<'_>> {
    let waivers = report.waivers.iter().map(|waiver| Exception {
        control: &waiver.control,
        covers: Covers::Resources(&waiver.resource),
        owner: Some(&waiver.owner),
        reason: Some(&waiver.reason),
        approval: &waiver.approval,
        expires: Some(waiver.expires),
        days_left: Some(waiver.days_to_expiry),
        state: waiver.state,
        findings: waiver.matched,
    });
    let entries = report.allowlist.iter().map(|entry| Exception {
        control: &entry.control,
        covers: Covers::Entry {
            parameter: &entry.parameter,
            pattern: &entry.pattern,
        },
        owner: entry.owner.as_deref(),
        reason: entry.reason.as_deref(),
        approval: &entry.approval,
        expires: entry.expires,
        days_left: entry.days_to_expiry,
        state: entry.state,
        findings: entry.matched,
    });
    waivers.chain(entries).collect()
}

/// The allow-list entries of `control` that granted `finding`.
pub(crate) fn granting<'a>(
    report: &'a Report,
    control: &str,
    finding: &Finding,
) -> Vec<&'a AllowlistResult> {
    report
        .allowlist
        .iter()
        .filter(|entry| entry.control == control && entry.granted(finding))
        .collect()
}
