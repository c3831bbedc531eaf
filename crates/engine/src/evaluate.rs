//! The evaluator: snapshot + policy + date ⇒ report.

use std::collections::HashMap;

use chrono::NaiveDate;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use tenet_inventory::{Snapshot, aws::AwsAccount};
use tenet_rules::{Attestation, CheckStatus, Context, Control, Outcome, Resource, RunMemo};

use crate::{
    AllowlistResult, ControlResult, Finding, Policy, RegionsRead, Report, SnapshotInfo, Status,
    Waiver, WaiverRef, WaiverResult, WaiverState, policy::labelled, scope::Scoped,
};

/// Evaluates every control of the catalog against `snapshot` under `policy`,
/// judging waivers as of `as_of`. Pure and deterministic: the same inputs
/// give the same report.
pub fn evaluate(snapshot: &Snapshot, policy: &Policy, as_of: NaiveDate) -> Report {
    let scoped = policy.scope.apply(snapshot);
    let mut matched = vec![0usize; policy.waivers.len()];
    // The waivers of each control, in file order: a finding is compared with
    // its control's waivers only, however many the file holds.
    let mut by_control: HashMap<&str, Vec<(usize, &Waiver)>> = HashMap::new();
    for (index, waiver) in policy.waivers.iter().enumerate() {
        by_control
            .entry(&waiver.control)
            .or_default()
            .push((index, waiver));
    }
    let memo = RunMemo::default();
    // The checks run in parallel, and beside them the access roster (an
    // IAM analysis of its own); waivers are applied in catalog order, so
    // the report is the same whatever order they finish in.
    let (checked, access): (Vec<Checked>, _) = rayon::join(
        || {
            policy
                .catalog
                .controls()
                .par_iter()
                .map(|control| check_control(control, &scoped, policy, as_of, &memo))
                .collect()
        },
        || tenet_rules::access::roster(&scoped.snapshot),
    );
    let controls: Vec<ControlResult> = checked
        .into_iter()
        .map(|checked| {
            let waivers = by_control
                .get(checked.result.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            judge(checked, &scoped, waivers, as_of, &mut matched)
        })
        .collect();
    let waivers = policy
        .waivers
        .iter()
        .zip(matched)
        .map(|(waiver, matched)| waiver_result(waiver, matched, as_of))
        .collect();
    let allowlist = allowlist_results(policy, &controls, as_of);
    Report {
        tenet_version: env!("CARGO_PKG_VERSION").to_owned(),
        as_of,
        snapshot: SnapshotInfo {
            collected_at: snapshot.collected_at,
            tenet_version: snapshot.tenet_version.clone(),
            github_orgs: scoped
                .snapshot
                .github
                .iter()
                .map(|o| o.login.clone())
                .collect(),
            aws_accounts: scoped
                .snapshot
                .aws
                .iter()
                .map(|a| a.account_id.clone())
                .collect(),
            aws_account_names: scoped
                .snapshot
                .aws
                .iter()
                .filter_map(|a| Some((a.account_id.clone(), a.name.clone()?)))
                .collect(),
            period: snapshot.period,
            digests: vec![snapshot_digest(snapshot)],
            aws_readers: scoped
                .snapshot
                .aws
                .iter()
                .filter_map(|a| Some((a.account_id.clone(), a.read_by.clone()?)))
                .collect(),
            aws_regions: scoped
                .snapshot
                .aws
                .iter()
                .map(|a| (a.account_id.clone(), regions_read(a)))
                .collect(),
            github_readers: scoped
                .snapshot
                .github
                .iter()
                .filter_map(|o| Some((o.login.clone(), o.read_by.clone()?)))
                .collect(),
            run: snapshot.run.clone(),
        },
        policy: policy.origin.clone(),
        policy_digest: Some(policy.digest.clone()),
        fail_on: policy.fail_on,
        controls,
        waivers,
        allowlist,
        frameworks: policy.frameworks.clone(),
        access: Some(access),
    }
}

/// The regions read in `account`.
fn regions_read(account: &AwsAccount) -> RegionsRead {
    RegionsRead {
        names: account
            .regions
            .as_result()
            .map(|regions| regions.iter().map(|r| r.name.clone()).collect())
            .map_err(str::to_owned),
        every_enabled: account.all_regions,
    }
}

/// `sha256:HEX` of `snapshot` as `tenet collect` writes it
/// ([`Snapshot::to_json`]).
fn snapshot_digest(snapshot: &Snapshot) -> String {
    labelled(&Sha256::digest(snapshot.to_json().as_bytes()))
}

/// A control's result before waivers: skipped, or its check's outcomes.
struct Checked {
    result: ControlResult,
    outcomes: Option<Vec<Outcome>>,
}

/// Applies the control's `waivers` (each with its index in the policy) to
/// a checked control's outcomes and sets its status.
fn judge(
    checked: Checked,
    scoped: &Scoped,
    waivers: &[(usize, &Waiver)],
    as_of: NaiveDate,
    matched: &mut [usize],
) -> ControlResult {
    let Checked {
        mut result,
        outcomes,
    } = checked;
    let Some(mut outcomes) = outcomes else {
        return result;
    };
    outcomes.extend(not_collected(&result.id, scoped));
    result.findings = outcomes
        .into_iter()
        .map(|outcome| apply_waivers(outcome, waivers, as_of, matched))
        .collect();
    result
        .findings
        .sort_by(|a, b| (&a.resource.id, a.status).cmp(&(&b.resource.id, b.status)));
    match result
        .findings
        .iter()
        .map(|f| f.status)
        .max_by_key(|s| s.rank())
    {
        Some(status) => result.status = status,
        None => result.skipped_reason = Some("no resource in scope".into()),
    }
    result
}

/// Runs a control's check unless the policy or the command line skips it.
fn check_control(
    control: &Control,
    scoped: &Scoped,
    policy: &Policy,
    as_of: NaiveDate,
    memo: &RunMemo,
) -> Checked {
    let meta = &control.meta;
    let settings = policy.control(&meta.id);
    let mut result = ControlResult {
        id: meta.id.clone(),
        title: meta.title.clone(),
        pillar: meta.pillar,
        severity: settings.and_then(|s| s.severity).unwrap_or(meta.severity),
        status: Status::Skipped,
        skipped_reason: None,
        rationale: meta.rationale.clone(),
        remediation: meta.remediation.clone(),
        references: meta.references.clone(),
        population: meta.population.clone(),
        findings: Vec::new(),
    };
    if policy.left_out.contains(&meta.id) {
        result.skipped_reason = Some("left out by --controls/--skip-controls".into());
        return Checked {
            result,
            outcomes: None,
        };
    }
    if !policy.enables(meta) {
        result.skipped_reason = Some(match settings {
            Some(settings) => format!(
                "disabled by the policy ({}:{})",
                policy.origin, settings.line
            ),
            None => "optional control, off unless the policy sets `enabled = true`".into(),
        });
        return Checked {
            result,
            outcomes: None,
        };
    }
    let params = policy.params_on(meta, as_of);
    let attestations: Vec<Attestation> = policy
        .attestations
        .iter()
        .filter(|attestation| attestation.control == meta.id)
        .cloned()
        .collect();
    let outcomes = control.check.run(&Context {
        snapshot: &scoped.snapshot,
        params: &params,
        as_of,
        attestations: &attestations,
        protected_branches: &policy.scope.protected_branches,
        memo,
    });
    Checked {
        result,
        outcomes: Some(outcomes),
    }
}

/// Error outcomes for in-scope organizations and accounts that the snapshot
/// does not contain: a target that was not collected cannot pass.
fn not_collected(control_id: &str, scoped: &Scoped) -> Vec<Outcome> {
    let reason = "in scope but not in the snapshot (collection failed or was not run for it)";
    if control_id.starts_with("github.") {
        scoped
            .missing_orgs
            .iter()
            .map(|org| Outcome::unavailable(Resource::github_org(org), "the organization", reason))
            .collect()
    } else if control_id.starts_with("aws.") {
        scoped
            .missing_accounts
            .iter()
            .map(|id| Outcome::unavailable(Resource::aws_account(id), "the account", reason))
            .collect()
    } else {
        Vec::new()
    }
}

fn waiver_ref(waiver: &Waiver) -> WaiverRef {
    WaiverRef {
        line: waiver.line,
        reason: waiver.reason.clone(),
        owner: waiver.owner.clone(),
        expires: waiver.expires,
        approval: waiver.approval.clone(),
    }
}

/// Turns an outcome into a finding; a failure covered by an unexpired waiver
/// becomes `waived`, one matched only by expired waivers stays `fail` and
/// names the expired waiver.
fn apply_waivers(
    outcome: Outcome,
    waivers: &[(usize, &Waiver)],
    as_of: NaiveDate,
    matched: &mut [usize],
) -> Finding {
    let mut finding = Finding {
        status: match outcome.status {
            CheckStatus::Pass => Status::Pass,
            CheckStatus::Fail => Status::Fail,
            CheckStatus::Error => Status::Error,
            CheckStatus::Skipped => Status::Skipped,
        },
        resource: outcome.resource,
        message: outcome.message,
        evidence: outcome.evidence,
        waiver: None,
        expired_waiver: None,
    };
    if finding.status != Status::Fail {
        return finding;
    }
    let matching = waivers
        .iter()
        .filter(|(_, w)| w.matches(&finding.resource.id));
    for &(index, waiver) in matching {
        if let Some(count) = matched.get_mut(index) {
            *count += 1;
        }
        if waiver.expires >= as_of {
            finding.status = Status::Waived;
            finding.waiver = Some(waiver_ref(waiver));
            finding.expired_waiver = None;
            return finding;
        }
        finding
            .expired_waiver
            .get_or_insert_with(|| waiver_ref(waiver));
    }
    finding
}

/// The allow-list entries of `policy`, each with the passes it granted in
/// `controls`.
fn allowlist_results(
    policy: &Policy,
    controls: &[ControlResult],
    as_of: NaiveDate,
) -> Vec<AllowlistResult> {
    let mut results = Vec::new();
    for control in controls {
        let Some(settings) = policy.control(&control.id) else {
            continue;
        };
        for (parameter, entries) in &settings.allowlists {
            for entry in entries {
                let matched = control
                    .findings
                    .iter()
                    .filter(|finding| crate::report::grants(finding, parameter, &entry.pattern))
                    .count();
                results.push(AllowlistResult {
                    control: control.id.clone(),
                    parameter: parameter.clone(),
                    pattern: entry.pattern.clone(),
                    reason: entry.reason.clone(),
                    owner: entry.owner.clone(),
                    approval: entry.approval.clone(),
                    expires: entry.expires,
                    line: entry.line,
                    state: if entry.in_force(as_of) {
                        WaiverState::Active
                    } else {
                        WaiverState::Expired
                    },
                    days_to_expiry: entry.expires.map(|expires| (expires - as_of).num_days()),
                    matched,
                });
            }
        }
    }
    results
}

fn waiver_result(waiver: &Waiver, matched: usize, as_of: NaiveDate) -> WaiverResult {
    WaiverResult {
        control: waiver.control.clone(),
        resource: waiver.resource.clone(),
        reason: waiver.reason.clone(),
        owner: waiver.owner.clone(),
        expires: waiver.expires,
        approval: waiver.approval.clone(),
        line: waiver.line,
        state: if waiver.expires >= as_of {
            WaiverState::Active
        } else {
            WaiverState::Expired
        },
        days_to_expiry: (waiver.expires - as_of).num_days(),
        matched,
    }
}
