//! `aws.cloudtrail.trail`: a multi-region trail is logging, validates its log
//! files, and its logs are kept at least `min_retention_days`.

use serde::Deserialize;
use tenet_inventory::{Observed, aws::Trail};

use crate::{
    Context, Outcome, Resource,
    support::{each_account, known, parameter_error},
};

/// Whether one trail meets every requirement: `Ok(true)`, `Ok(false)` with
/// the reasons, or `Err` when a fact it depends on is unknown.
fn judge(trail: &Trail, min_days: u64) -> (Result<bool, String>, Vec<String>) {
    let mut problems = Vec::new();
    if !trail.multi_region {
        problems.push(format!("{} records one region only", trail.name));
    }
    if !trail.log_file_validation {
        problems.push(format!("{} does not validate its log files", trail.name));
    }
    let mut unknown = None;
    match &trail.is_logging {
        Observed::Known(true) => {}
        Observed::Known(false) => problems.push(format!("{} is not logging", trail.name)),
        Observed::Unavailable { reason } => unknown = Some(format!("{}: {reason}", trail.name)),
    }
    match &trail.retention_days {
        Observed::Known(Some(days)) if u64::from(*days) < min_days => problems.push(format!(
            "{} keeps logs {days} days, less than {min_days}",
            trail.name
        )),
        Observed::Known(_) => {}
        Observed::Unavailable { reason } => {
            unknown.get_or_insert_with(|| format!("{}: {reason}", trail.name));
        }
    }
    match (problems.is_empty(), unknown) {
        (false, _) => (Ok(false), problems),
        (true, Some(reason)) => (Err(reason), problems),
        (true, None) => (Ok(true), problems),
    }
}

/// The control's parameters (defaults in its metadata file).
#[derive(Debug, Deserialize)]
struct Params {
    /// Days the logs are kept at least.
    min_retention_days: u64,
}

/// One outcome per account.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Params = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let min_days = params.min_retention_days;
    each_account(cx, |account, out| {
        let resource = || Resource::aws_account(&account.account_id);
        let Some(trails) = known(&account.trails, out, resource, "the account's trails") else {
            return;
        };
        let mut problems = Vec::new();
        let mut unknown = Vec::new();
        let mut good = None;
        for trail in trails {
            let (verdict, reasons) = judge(trail, min_days);
            match verdict {
                Ok(true) => good = good.or(Some(trail.name.as_str())),
                Ok(false) => problems.extend(reasons),
                Err(reason) => unknown.push(reason),
            }
        }
        let outcome = if let Some(name) = good {
            Outcome::pass(
                resource(),
                format!("trail {name} logs every region with validation, kept {min_days}+ days"),
            )
        } else if !unknown.is_empty() {
            Outcome::unavailable(
                resource(),
                "whether a trail meets the policy",
                &unknown.join("; "),
            )
        } else if trails.is_empty() {
            Outcome::fail(resource(), "no CloudTrail trail")
        } else {
            Outcome::fail(resource(), problems.join("; "))
        };
        out.push(outcome.with(
            "trails",
            trails.iter().map(|t| t.arn.clone()).collect::<Vec<_>>(),
        ));
    })
}
