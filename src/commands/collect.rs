//! `tenet collect` and `tenet scan`: read the live systems into a snapshot,
//! and optionally evaluate it at once.

use anyhow::{Context, bail};
use tenet_engine::{Policy, role_account_id};
use tenet_inventory::{
    SCHEMA_VERSION, Scope, Snapshot,
    collector::{ActionsRun, Run},
};

use crate::{
    cli::{CollectArgs, CollectTargets, ScanArgs, Shard},
    connectors::{aws, github},
    output,
};

/// Collects and writes the snapshot.
pub fn run(args: &CollectArgs) -> anyhow::Result<u8> {
    let policy = sharded(
        super::evaluate::policy_or_default(args.targets.config.as_deref(), &args.control_paths)?,
        &args.targets.shard,
    )?;
    let snapshot = collect(&args.targets, &policy)?;
    output::emit(&snapshot.to_json(), Some(&args.output))?;
    output::note(&format!("wrote snapshot to {}", args.output.display()));
    Ok(0)
}

/// Collects, evaluates and reports, with the exit code of `evaluate`.
pub fn scan(args: &ScanArgs) -> anyhow::Result<u8> {
    // The selection first: what no control selected reads is not collected.
    let policy = args.report.select(sharded(
        super::evaluate::policy_or_default(
            args.targets.config.as_deref(),
            &args.report.control_paths,
        )?,
        &args.targets.shard,
    )?)?;
    let snapshot = collect(&args.targets, &policy)?;
    if let Some(path) = &args.save_snapshot {
        output::emit(&snapshot.to_json(), Some(path))?;
    }
    let as_of = snapshot.collected_at.date_naive();
    let report = super::evaluate::evaluate(&snapshot, policy, &args.report, as_of);
    super::evaluate::write_report(&report, &args.report.out)?;
    Ok(report.verdict().exit_code())
}

/// The policy narrowed to this job's `--shard`s: its scope (and its AWS
/// roles to assume) keep only them, so that the other organizations and
/// accounts are neither collected nor reported missing. Its digest stays
/// the whole policy's, so the shards' reports merge. Every shard must be in
/// the policy's `[scope]`.
fn sharded(mut policy: Policy, shards: &[Shard]) -> anyhow::Result<Policy> {
    if shards.is_empty() {
        return Ok(policy);
    }
    let scope = &policy.scope;
    let outside: Vec<String> = shards
        .iter()
        .filter_map(|shard| match shard {
            Shard::GithubOrg(org) => {
                (!scope.github_orgs.contains(org)).then(|| format!("github:{org}"))
            }
            Shard::AwsAccount(id) => {
                (!scope.aws_accounts.contains(id)).then(|| format!("aws:{id}"))
            }
        })
        .collect();
    if !outside.is_empty() {
        bail!(
            "--shard {} is not in the [scope] of the policy {}: a shard is a part of the policy's scope, which lists every organization and account of all the shards",
            outside.join(", "),
            policy.origin
        );
    }
    let orgs: Vec<&String> = shards
        .iter()
        .filter_map(|shard| match shard {
            Shard::GithubOrg(org) => Some(org),
            Shard::AwsAccount(_) => None,
        })
        .collect();
    let accounts: Vec<&String> = shards
        .iter()
        .filter_map(|shard| match shard {
            Shard::AwsAccount(id) => Some(id),
            Shard::GithubOrg(_) => None,
        })
        .collect();
    policy.scope.github_orgs.retain(|org| orgs.contains(&org));
    policy
        .scope
        .aws_accounts
        .retain(|id| accounts.contains(&id));
    policy.aws.accounts.retain(|target| {
        role_account_id(&target.role_arn).is_some_and(|id| accounts.iter().any(|a| *a == id))
    });
    Ok(policy)
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
    let collected_at = chrono::Utc::now();
    let period = targets.period(policy, collected_at.date_naive())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let (github, aws) = runtime.block_on(async {
        tokio::join!(
            github::collect(
                &targets.github,
                policy,
                &github_orgs,
                targets.limits(),
                period
            ),
            aws::collect(&targets.aws, policy, targets.limits())
        )
    });
    let mut github = github?;
    let mut aws = aws?;
    runtime.block_on(github::read_deploy_settings(
        &targets.github,
        policy,
        &mut github,
        &aws,
        targets.limits(),
        period,
    ))?;
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
        period: Some(period),
        run: this_run(targets.run_label.clone()),
        github,
        aws,
    })
}

/// The run to record: its label, and the GitHub Actions run tenet runs in.
fn this_run(label: Option<String>) -> Option<Run> {
    let run = Run {
        label,
        github_actions: ActionsRun::from_env(|name| std::env::var(name).ok()),
    };
    (!run.is_empty()).then_some(run)
}
