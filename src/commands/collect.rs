//! `tenet collect` and `tenet scan`: read the live systems into a snapshot,
//! and optionally evaluate it at once.

use anyhow::{Context, bail};
use tenet_engine::{Policy, role_account_id};
use tenet_inventory::{SCHEMA_VERSION, Scope, Snapshot};

use crate::{
    cli::{CollectArgs, CollectTargets, ScanArgs},
    connectors::{aws, github},
    output,
};

/// Collects and writes the snapshot.
pub fn run(args: &CollectArgs) -> anyhow::Result<u8> {
    let policy =
        super::evaluate::policy_or_default(args.targets.config.as_deref(), &args.control_paths)?;
    let snapshot = collect(&args.targets, &policy)?;
    output::emit(&snapshot.to_json(), Some(&args.output))?;
    output::note(&format!("wrote snapshot to {}", args.output.display()));
    Ok(0)
}

/// Collects, evaluates and reports, with the exit code of `evaluate`.
pub fn scan(args: &ScanArgs) -> anyhow::Result<u8> {
    // The selection first: what no control selected reads is not collected.
    let policy = args.report.select(super::evaluate::policy_or_default(
        args.targets.config.as_deref(),
        &args.report.control_paths,
    )?)?;
    let snapshot = collect(&args.targets, &policy)?;
    if let Some(path) = &args.save_snapshot {
        output::emit(&snapshot.to_json(), Some(path))?;
    }
    let as_of = snapshot.collected_at.date_naive();
    let report = super::evaluate::evaluate(&snapshot, policy, &args.report, as_of);
    super::evaluate::write_report(&report, &args.report)?;
    Ok(report.verdict().exit_code())
}

/// Runs the connectors the flags and policy ask for, concurrently, and
/// assembles the snapshot.
fn collect(targets: &CollectTargets, policy: &Policy) -> anyhow::Result<Snapshot> {
    let github_orgs = if targets.github.orgs.is_empty() {
        policy.scope.github_orgs.clone()
    } else {
        targets.github.orgs.clone()
    };
    if github_orgs.is_empty() && !targets.aws.wanted(policy) {
        bail!(
            "nothing to collect: pass --github-org ORG and/or --aws, or list them in [scope] of the policy file"
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let collected_at = chrono::Utc::now();
    let (github, aws) = runtime.block_on(async {
        tokio::join!(
            github::collect(&targets.github, policy, &github_orgs, targets.limits()),
            aws::collect(&targets.aws, policy, targets.limits())
        )
    });
    let mut github = github?;
    let mut aws = aws?;
    github.sort_by(|a, b| a.login.cmp(&b.login));
    aws.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    let mut aws_accounts: Vec<String> = policy
        .scope
        .aws_accounts
        .iter()
        .cloned()
        .chain(
            policy
                .aws
                .accounts
                .iter()
                .filter_map(|a| role_account_id(&a.role_arn).map(str::to_owned)),
        )
        .chain(aws.iter().map(|a| a.account_id.clone()))
        .collect();
    aws_accounts.sort();
    aws_accounts.dedup();
    Ok(Snapshot {
        schema_version: SCHEMA_VERSION,
        tenet_version: env!("CARGO_PKG_VERSION").to_owned(),
        collected_at,
        scope: Scope {
            github_orgs,
            aws_accounts,
        },
        github,
        aws,
    })
}
