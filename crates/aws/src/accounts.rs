//! Which accounts to collect, reaching them, and collecting each one.

use std::time::Duration;

use aws_config::{SdkConfig, sts::AssumeRoleProvider};
use aws_sdk_sts::config::{ProvideCredentials, SharedCredentialsProvider};
use futures::{StreamExt, stream};
use tenet_inventory::{
    Observed,
    aws::{AwsAccount, RootUser},
    collector::AwsReader,
};
use tokio::time::{Instant, timeout_at};

use crate::{
    cloudfront,
    config::{self, AwsConfig, ConfigError},
    convert::{arn_account, is_account_id, is_iam_arn},
    credentials,
    error::reason,
    iam, organizations,
    pages::PageToken,
    regional::{self, Regions},
    regions,
    s3::{self, S3Clients},
};

/// Told how collection advances, e.g. to draw a progress bar.
pub trait Progress: Sync {
    /// Collection of `accounts` accounts starts.
    fn start(&self, accounts: usize) {
        let _ = accounts;
    }
    /// One account is done.
    fn account_done(&self, account_id: &str) {
        let _ = account_id;
    }
}

/// No progress reporting.
impl Progress for () {}

/// An account to collect and how to reach it.
#[derive(Debug)]
enum Target {
    /// The account of the credentials themselves.
    Own { account_id: String },
    /// An account reached by assuming a role.
    Role {
        account_id: String,
        role_arn: String,
        external_id: Option<String>,
        name: Option<String>,
    },
}

/// Collects every account `config` names, `config.concurrency` at a time,
/// sorted by account id. An account that cannot be reached is still in the
/// result, every fact unavailable with the reason.
pub async fn collect(
    config: &AwsConfig,
    progress: &dyn Progress,
) -> Result<Vec<AwsAccount>, ConfigError> {
    let mut base = config::load(config, config.regions.first().map(String::as_str)).await;
    if let Some(credentials) = &config.credentials {
        base = base
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(credentials.clone()))
            .build();
    } else {
        credentials::check(&base, config.profile.as_deref()).await?;
    }
    // Without listed regions, each account's enabled regions are read,
    // asked in the profile's region.
    let (regions, partition) = if config.regions.is_empty() {
        let from = base.region().ok_or(ConfigError::NoRegion)?.to_string();
        let partition = regions::partition(std::slice::from_ref(&from))?;
        (Regions::Enabled { from }, partition)
    } else {
        let partition = regions::partition(&config.regions)?;
        (Regions::Listed(config.regions.clone()), partition)
    };
    let deadline = Deadline {
        at: Instant::now() + config.time_limit,
        limit: config.time_limit,
    };
    let (targets, caller_arn) = targets(config, &base, partition).await?;
    // Service control policies are read with the credentials the scan
    // starts from, each answer once for every account.
    let scps = organizations::Reader::new(&base);
    progress.start(targets.len());
    let mut accounts: Vec<AwsAccount> = stream::iter(targets)
        .map(|target| {
            let (base, regions, scps, caller_arn) = (&base, &regions, &scps, &caller_arn);
            async move {
                let reach = Reach {
                    base,
                    caller_arn,
                    deadline,
                };
                let account = collect_target(config, &reach, scps, regions, target).await;
                progress.account_done(&account.account_id);
                account
            }
        })
        .buffer_unordered(config.concurrency.max(1))
        .collect()
        .await;
    accounts.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    Ok(accounts)
}

/// The accounts to collect, every role ARN in the regions' `partition`:
/// those `config` names, or else the account of the credentials; and the
/// ARN of the credentials (`sts:GetCallerIdentity`).
async fn targets(
    config: &AwsConfig,
    base: &SdkConfig,
    partition: &str,
) -> Result<(Vec<Target>, String), ConfigError> {
    let mut targets = Vec::new();
    for account in &config.accounts {
        let account_id = arn_account(&account.role_arn)
            .filter(|id| is_iam_arn(&account.role_arn, id, "role"))
            .ok_or_else(|| ConfigError::RoleArn(account.role_arn.clone()))?;
        same_partition(&account.role_arn, partition)?;
        targets.push(Target::Role {
            account_id: account_id.to_owned(),
            role_arn: account.role_arn.clone(),
            external_id: account.external_id.clone(),
            name: account.name.clone(),
        });
    }
    // Before any other call: credentials AWS refuses, or no AWS at all,
    // stop the run here.
    let identity = credentials::identity(base, config).await?;
    if let Some(role_name) = &config.organization_role {
        for (account_id, name) in organization_accounts(base).await? {
            let listed = targets.iter().any(
                |target| matches!(target, Target::Role { account_id: id, .. } if *id == account_id),
            );
            if !listed {
                targets.push(Target::Role {
                    role_arn: format!("arn:{partition}:iam::{account_id}:role/{role_name}"),
                    account_id,
                    external_id: None,
                    name,
                });
            }
        }
    }
    if targets.is_empty() {
        same_partition(&identity.arn, partition)?;
        targets.push(Target::Own {
            account_id: identity.account_id,
        });
    }
    Ok((targets, identity.arn))
}

/// Refuses an ARN of another partition than the regions'.
fn same_partition(arn: &str, partition: &str) -> Result<(), ConfigError> {
    match arn.split(':').nth(1) {
        Some(arn_partition) if arn_partition == partition => Ok(()),
        arn_partition => Err(ConfigError::PartitionMismatch {
            arn: arn.to_owned(),
            arn_partition: arn_partition.unwrap_or_default().to_owned(),
            partition: partition.to_owned(),
        }),
    }
}

/// The active accounts of the organization, with their names.
async fn organization_accounts(
    base: &SdkConfig,
) -> Result<Vec<(String, Option<String>)>, ConfigError> {
    let client = crate::requestlog::client!(aws_sdk_organizations, base);
    let mut pages = client.list_accounts().into_paginator().send();
    let mut accounts = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = page
            .map_err(|err| ConfigError::Organization(reason("organizations:ListAccounts", &err)))?;
        token.saw(page.next_token());
        #[allow(deprecated)]
        let active = page.accounts().iter().filter(|account| {
            account
                .status()
                .is_none_or(|status| status.as_str() == "ACTIVE")
        });
        for account in active {
            let id = account.id().unwrap_or_default();
            if !is_account_id(id) {
                return Err(ConfigError::Organization(format!(
                    "organizations:ListAccounts listed an account whose Id `{id}` is not 12 digits"
                )));
            }
            accounts.push((id.to_owned(), account.name().map(str::to_owned)));
        }
    }
    if let Some(cut) = token.cut_short("organizations:ListAccounts") {
        return Err(ConfigError::Organization(cut));
    }
    Ok(accounts)
}

/// When the collection's time is up.
#[derive(Clone, Copy, Debug)]
struct Deadline {
    at: Instant,
    limit: Duration,
}

impl Deadline {
    /// Why a fact not read by the deadline is unavailable.
    fn reason(self) -> String {
        format!(
            "not read within the collection's time limit of {} s (--timeout)",
            self.limit.as_secs()
        )
    }

    /// Time left.
    fn remaining(self) -> Duration {
        self.at.saturating_duration_since(Instant::now())
    }
}

/// How the accounts are reached: the credentials the scan starts from,
/// whose they are, and the collection's deadline.
#[derive(Clone, Copy)]
struct Reach<'a> {
    base: &'a SdkConfig,
    caller_arn: &'a str,
    deadline: Deadline,
}

/// Reaches `target`, assuming its role if it has one, and collects it.
async fn collect_target(
    config: &AwsConfig,
    reach: &Reach<'_>,
    scps: &organizations::Reader,
    regions: &Regions,
    target: Target,
) -> AwsAccount {
    let (base, deadline) = (reach.base, reach.deadline);
    let (account_id, role_arn, external_id, name) = match target {
        Target::Own { account_id } => {
            let account =
                collect_account(config, base, scps, regions, account_id, None, deadline).await;
            return read_by(account, reader(reach, None));
        }
        Target::Role {
            account_id,
            role_arn,
            external_id,
            name,
        } => (account_id, role_arn, external_id, name),
    };
    let mut provider = AssumeRoleProvider::builder(&role_arn)
        .session_name("tenet")
        .configure(base);
    if let Some(external_id) = external_id {
        provider = provider.external_id(external_id);
    }
    let provider = provider.build().await;
    let reader = reader(reach, Some(&role_arn));
    let Ok(assumed) = timeout_at(deadline.at, provider.provide_credentials()).await else {
        return read_by(
            unreachable_account(account_id, name, &deadline.reason()),
            reader,
        );
    };
    if let Err(err) = assumed {
        let detail = aws_sdk_sts::error::DisplayErrorContext(&err).to_string();
        let why = if detail.contains("AccessDenied") {
            format!(
                "cannot assume {role_arn}: access denied: needs sts:AssumeRole on it, allowed by its trust policy"
            )
        } else {
            format!("cannot assume {role_arn}: {detail}")
        };
        return read_by(unreachable_account(account_id, name, &why), reader);
    }
    let sdk = base
        .to_builder()
        .credentials_provider(SharedCredentialsProvider::new(provider))
        .build();
    let account = collect_account(config, &sdk, scps, regions, account_id, name, deadline).await;
    read_by(account, reader)
}

/// Who reads an account: the caller, assuming `role` if any.
fn reader(reach: &Reach<'_>, role: Option<&str>) -> AwsReader {
    AwsReader {
        caller_arn: reach.caller_arn.to_owned(),
        assumed_role: role.map(str::to_owned),
    }
}

/// `account`, recording that `reader` read it.
fn read_by(mut account: AwsAccount, reader: AwsReader) -> AwsAccount {
    account.read_by = Some(reader);
    account
}

/// An account none of whose facts could be read.
fn unreachable_account(account_id: String, name: Option<String>, reason: &str) -> AwsAccount {
    AwsAccount {
        account_id,
        name,
        read_by: None,
        root: RootUser {
            mfa_enabled: Observed::unavailable(reason),
            hardware_mfa: Observed::unavailable(reason),
            access_keys_present: Observed::unavailable(reason),
        },
        users: Observed::unavailable(reason),
        groups: Observed::unavailable(reason),
        roles: Observed::unavailable(reason),
        policies: Observed::unavailable(reason),
        service_control_policies: Observed::unavailable(reason),
        password_policy: Observed::unavailable(reason),
        s3_buckets: Observed::unavailable(reason),
        load_balancers: Observed::unavailable(reason),
        trails: Observed::unavailable(reason),
        s3_account_public_access_block: Observed::unavailable(reason),
        cloudfront_distributions: Observed::unavailable(reason),
        regions: Observed::unavailable(reason),
        all_regions: false,
    }
}

/// Reads the parts of an account at once (IAM, S3, the account's Block
/// Public Access, the regional facts) with `sdk`, and the service control
/// policies that apply to it with `scps`, which reads with the credentials
/// the scan started from (a member account cannot list them); a part still
/// running at the deadline is cut off and its facts are unavailable, the
/// others kept.
async fn collect_account(
    config: &AwsConfig,
    sdk: &SdkConfig,
    scps: &organizations::Reader,
    regions: &Regions,
    account_id: String,
    name: Option<String>,
    deadline: Deadline,
) -> AwsAccount {
    tracing::info!(account = account_id.as_str(), "collecting the account");
    let iam_client = crate::requestlog::client!(aws_sdk_iam, sdk);
    let s3_clients = S3Clients::new(sdk, config.endpoint_url.is_some());
    let left = deadline.remaining();
    let report_wait = iam::ReportWait {
        max: config.timeouts.credential_report.min(left),
        time_limited: left < config.timeouts.credential_report,
    };
    let cloudfront_client = crate::requestlog::client!(aws_sdk_cloudfront, sdk);
    let (iam, s3_buckets, account_block, distributions, regional, scps) = tokio::join!(
        timeout_at(
            deadline.at,
            iam::collect(&iam_client, &account_id, report_wait)
        ),
        timeout_at(deadline.at, s3::collect(&s3_clients)),
        timeout_at(
            deadline.at,
            s3::account_public_access_block(sdk, &account_id, config.endpoint_url.is_some())
        ),
        timeout_at(deadline.at, cloudfront::distributions(&cloudfront_client)),
        timeout_at(deadline.at, regional::collect(sdk, &s3_clients, regions)),
        timeout_at(deadline.at, scps.service_control_policies(&account_id)),
    );
    let mut account = unreachable_account(account_id, name, &deadline.reason());
    if let Ok(iam) = iam {
        account.root = iam.root;
        account.users = iam.users;
        account.groups = iam.groups;
        account.roles = iam.roles;
        account.policies = iam.policies;
        account.password_policy = iam.password_policy;
    }
    if let Ok(s3_buckets) = s3_buckets {
        account.s3_buckets = s3_buckets;
    }
    if let Ok(block) = account_block {
        account.s3_account_public_access_block = block;
    }
    if let Ok(distributions) = distributions {
        account.cloudfront_distributions = distributions;
    }
    if let Ok(scps) = scps {
        account.service_control_policies = scps;
    }
    if let Ok(regional) = regional {
        account.load_balancers = regional.load_balancers;
        account.trails = regional.trails;
        account.all_regions = matches!(regions, Regions::Enabled { .. });
        account.regions = regional.regions;
    }
    account
}
