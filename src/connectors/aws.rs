//! `--aws*` flags and the call into `tenet-aws`.

use std::{
    io::IsTerminal,
    sync::atomic::{AtomicUsize, Ordering},
};

use clap::Args;
use tenet_aws::{AccountTarget, AwsConfig, Progress};
use tenet_engine::Policy;
use tenet_inventory::aws::AwsAccount;

use crate::{cli::TimeLimits, output};

/// AWS flags of `collect` and `scan`.
#[derive(Debug, Args)]
#[command(next_help_heading = "AWS")]
pub struct AwsArgs {
    /// Collect AWS: the account of the default credentials, or the
    /// `[[aws.accounts]]` of the policy.
    #[arg(long)]
    pub aws: bool,
    /// Named profile of the AWS config files [default: the default
    /// credential chain: environment, default profile, SSO, instance or
    /// container role].
    #[arg(long = "aws-profile", value_name = "PROFILE", env = "AWS_PROFILE")]
    pub profile: Option<String>,
    /// Region to read regional resources (load balancers, trails, security
    /// groups, EBS) from (repeatable) [default: `regions` under [aws] of the
    /// policy, else every region enabled in the account].
    #[arg(long = "aws-region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// Also collect every active account of the AWS Organization the
    /// credentials manage, by assuming this role name in each.
    #[arg(long = "aws-organization-role", value_name = "ROLE_NAME")]
    pub organization_role: Option<String>,
    /// Accounts collected at the same time.
    #[arg(long = "aws-concurrency", value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: u16,
    /// Endpoint of every AWS API, for an emulator such as moto (testing
    /// only).
    #[arg(
        long = "aws-endpoint-url",
        value_name = "URL",
        env = "AWS_ENDPOINT_URL",
        hide = true
    )]
    pub endpoint_url: Option<String>,
}

impl AwsArgs {
    /// Whether AWS is to be collected, by flag or by policy.
    pub fn wanted(&self, policy: &Policy) -> bool {
        self.aws
            || self.organization_role.is_some()
            || !policy.aws.accounts.is_empty()
            || !policy.scope.aws_accounts.is_empty()
    }

    /// The connector configuration: flags first, then the policy's `[aws]`.
    fn config(&self, policy: &Policy) -> AwsConfig {
        AwsConfig {
            profile: self.profile.clone(),
            regions: if self.regions.is_empty() {
                policy.aws.regions.clone()
            } else {
                self.regions.clone()
            },
            endpoint_url: self.endpoint_url.clone(),
            accounts: policy
                .aws
                .accounts
                .iter()
                .map(|account| AccountTarget {
                    role_arn: account.role_arn.clone(),
                    external_id: account.external_id.clone(),
                    name: account.name.clone(),
                })
                .collect(),
            organization_role: self.organization_role.clone(),
            concurrency: usize::from(self.concurrency),
            ..AwsConfig::default()
        }
    }
}

/// Collects the accounts the flags and policy name.
pub async fn collect(
    args: &AwsArgs,
    policy: &Policy,
    limits: TimeLimits,
) -> anyhow::Result<Vec<AwsAccount>> {
    if !args.wanted(policy) {
        return Ok(Vec::new());
    }
    let progress = StderrProgress {
        enabled: std::io::stderr().is_terminal() && !output::quiet(),
        total: AtomicUsize::new(0),
        done: AtomicUsize::new(0),
    };
    let mut config = AwsConfig {
        time_limit: limits.collection,
        ..args.config(policy)
    };
    config.timeouts.attempt = limits.request;
    // The first call decides whether AWS can be reached at all, within
    // whichever limit ends first: twice the request's, or the collection's.
    config.timeouts.first_call = (limits.request * 2).min(limits.collection);
    Ok(tenet_aws::collect(&config, &progress).await?)
}

/// One line per collected account on stderr, only when it is a terminal.
struct StderrProgress {
    enabled: bool,
    total: AtomicUsize,
    done: AtomicUsize,
}

impl Progress for StderrProgress {
    fn start(&self, accounts: usize) {
        self.total.store(accounts, Ordering::Relaxed);
        if self.enabled {
            output::note(&format!(
                "AWS: collecting {accounts} account{}…",
                if accounts == 1 { "" } else { "s" }
            ));
        }
    }

    fn account_done(&self, account_id: &str) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.enabled {
            let total = self.total.load(Ordering::Relaxed);
            output::note(&format!("AWS: {account_id} done ({done}/{total})"));
        }
    }
}
