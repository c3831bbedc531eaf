//! What to collect and how: [`AwsConfig`], and the SDK configuration built
//! from it.

use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig, retry::RetryConfig, timeout::TimeoutConfig};

/// What to collect and how to reach AWS.
#[derive(Clone, Debug)]
pub struct AwsConfig {
    /// Named profile of the shared config files; `None` for the default
    /// credential chain (environment, default profile, SSO, instance or
    /// container role).
    pub profile: Option<String>,
    /// Regions to read regional resources (load balancers, trails, security
    /// groups, EBS) from; empty means every region enabled in each account,
    /// listed from the profile's region.
    pub regions: Vec<String>,
    /// Endpoint of every AWS API, for an emulator such as moto; `None` for
    /// AWS itself. S3 is then addressed path-style.
    pub endpoint_url: Option<String>,
    /// Accounts reached by assuming a role; empty (and no
    /// `organization_role`) means the account of the credentials.
    pub accounts: Vec<AccountTarget>,
    /// Also collect every active account of the AWS Organization the
    /// credentials manage, by assuming this role name in each.
    pub organization_role: Option<String>,
    /// Credentials to use instead of the default chain (for emulators and
    /// tests); their `Debug` hides the secret.
    pub credentials: Option<aws_sdk_sts::config::Credentials>,
    /// Accounts collected at the same time (at least 1).
    pub concurrency: usize,
    /// Time limits.
    pub timeouts: Timeouts,
    /// Attempts per API call, the first included; throttling and transient
    /// errors are retried with the SDK's adaptive retry.
    pub max_attempts: u32,
    /// Time allowed for the whole collection, counted from its start: the
    /// credential report is waited for no longer, and what an account had
    /// not read by then (IAM, S3, load balancers, trails: each part on its
    /// own) is unavailable, saying so.
    pub time_limit: Duration,
}

/// The default time limit of a collection: 30 minutes.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(1800);

impl Default for AwsConfig {
    fn default() -> Self {
        AwsConfig {
            profile: None,
            regions: Vec::new(),
            endpoint_url: None,
            accounts: Vec::new(),
            organization_role: None,
            credentials: None,
            concurrency: 4,
            timeouts: Timeouts::default(),
            max_attempts: 5,
            time_limit: DEFAULT_TIME_LIMIT,
        }
    }
}

/// An account reached through `sts:AssumeRole`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountTarget {
    /// The role to assume, `arn:aws:iam::<account>:role/<name>`.
    pub role_arn: String,
    /// The external id the role's trust policy requires, if any.
    pub external_id: Option<String>,
    /// A display name for reports.
    pub name: Option<String>,
}

/// Time limits of the connector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Establishing a connection.
    pub connect: Duration,
    /// One attempt of one API call.
    pub attempt: Duration,
    /// One API call, retries included.
    pub operation: Duration,
    /// Waiting for AWS to generate the IAM credential report.
    pub credential_report: Duration,
    /// The first call, `sts:GetCallerIdentity`, retries included: a dead
    /// endpoint or network stops the run within this time.
    pub first_call: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(5),
            attempt: Duration::from_secs(30),
            operation: Duration::from_secs(120),
            credential_report: Duration::from_secs(180),
            first_call: Duration::from_secs(60),
        }
    }
}

/// A configuration that cannot work; collection does not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No region was given and the profile names none.
    #[error(
        "no AWS region: pass --aws-region, list `regions` under [aws] in the policy file, or set a region in the AWS profile"
    )]
    NoRegion,
    /// A role ARN does not name an account.
    #[error("{0} is not a role ARN: write it as arn:aws:iam::111122223333:role/NAME")]
    RoleArn(String),
    /// A region that is in no partition of AWS's partition data.
    #[error(
        "unknown AWS region `{region}` in --aws-region, `regions` under [aws] or the AWS profile{}",
        suggestion.as_ref().map(|s| format!(": did you mean `{s}`?")).unwrap_or_default()
    )]
    UnknownRegion {
        /// The region as given.
        region: String,
        /// The closest known region, if one is close.
        suggestion: Option<String>,
    },
    /// Regions of two partitions (e.g. `aws` and `aws-cn`).
    #[error(
        "regions {first} and {other} are in two partitions, which no one set of credentials reaches: collect each partition in a run of its own"
    )]
    MixedPartitions {
        /// The first region and its partition.
        first: String,
        /// A region of another partition, and that partition.
        other: String,
    },
    /// A role (or the credentials) in another partition than the regions.
    #[error(
        "{arn} is in partition `{arn_partition}`, the regions in `{partition}`: collect each partition in a run of its own"
    )]
    PartitionMismatch {
        /// The ARN.
        arn: String,
        /// Its partition.
        arn_partition: String,
        /// The regions' partition.
        partition: String,
    },
    /// The default credentials do not work (expired, invalid).
    #[error("the AWS credentials do not work: {0}")]
    Credentials(String),
    /// AWS could not be reached at all: no answer, or no connection.
    #[error("cannot reach AWS at {endpoint}: {reason}")]
    Unreachable {
        /// The endpoint: `--aws-endpoint-url`, or the host of STS.
        endpoint: String,
        /// What failed: DNS, refused connection, TLS, or no answer in time.
        reason: String,
    },
    /// The credential chain found no credentials.
    #[error(
        "no AWS credentials found: tenet looked at the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), profile `{profile}` of the AWS config and credentials files (keys, SSO, credential_process, role_arn), web identity (AWS_WEB_IDENTITY_TOKEN_FILE), the ECS container endpoint and the EC2 instance metadata; the last answer: {cause}"
    )]
    NoCredentials {
        /// The profile looked at.
        profile: String,
        /// Why the chain gave up.
        cause: String,
    },
    /// The named profile is in neither AWS config file.
    #[error(
        "AWS profile `{name}` (--aws-profile or AWS_PROFILE) is in neither ~/.aws/config nor ~/.aws/credentials (nor AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE); profiles there: {known}"
    )]
    UnknownProfile {
        /// The profile.
        name: String,
        /// The profiles the files define.
        known: String,
    },
    /// The AWS config files could not be read.
    #[error("cannot read the AWS config files: {0}")]
    ProfileFiles(String),
    /// The accounts of the organization could not be listed.
    #[error("cannot list the accounts of the AWS Organization: {0}")]
    Organization(String),
}

/// The retry policy of every client: adaptive (client-side rate limiting on
/// throttling), with `max_attempts` attempts.
pub(crate) fn retry_config(max_attempts: u32) -> RetryConfig {
    RetryConfig::adaptive().with_max_attempts(max_attempts.max(1))
}

/// The SDK's time limits: connecting, each attempt, and `operation` for a
/// whole call.
pub(crate) fn timeout_config(timeouts: &Timeouts, operation: Duration) -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(timeouts.connect)
        .operation_attempt_timeout(timeouts.attempt.min(operation))
        .operation_timeout(operation)
        .build()
}

/// Loads the shared SDK configuration: credential chain, profile, endpoint,
/// retries and timeouts. `region` overrides the profile's region.
pub(crate) async fn load(config: &AwsConfig, region: Option<&str>) -> SdkConfig {
    let timeouts = timeout_config(&config.timeouts, config.timeouts.operation);
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(retry_config(config.max_attempts))
        .timeout_config(timeouts);
    if let Some(profile) = &config.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &config.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(region) = region {
        loader = loader.region(Region::new(region.to_owned()));
    }
    loader.load().await
}
