//! S3 buckets: region, policy, public access block, default encryption,
//! versioning, server access logging, tags, and the lifecycle expiration
//! trails need.

use std::collections::{BTreeMap, BTreeSet};

use aws_config::{Region, SdkConfig};
use aws_sdk_s3::{
    Client,
    config::Builder,
    types::{LifecycleRule, PublicAccessBlockConfiguration},
};
use futures::{StreamExt, stream};
use tenet_inventory::{
    Observed,
    aws::{PublicAccessBlock, S3Bucket},
};

use crate::{
    convert::policy_document,
    error::{code, reason},
    pages::PageToken,
    required::Required,
};

/// Buckets read at the same time within one account.
const BUCKET_CONCURRENCY: usize = 8;

/// Builds S3 clients for any region from the account's configuration.
#[derive(Clone, Debug)]
pub(crate) struct S3Clients {
    sdk: SdkConfig,
    path_style: bool,
}

impl S3Clients {
    /// `path_style` for emulators, which serve every bucket on one host.
    pub(crate) fn new(sdk: &SdkConfig, path_style: bool) -> Self {
        S3Clients {
            sdk: sdk.clone(),
            path_style,
        }
    }

    /// A client for `region`, or the configured region.
    pub(crate) fn client(&self, region: Option<&str>) -> Client {
        let mut builder = Builder::from(&self.sdk)
            .force_path_style(self.path_style)
            .interceptor(crate::requestlog::RequestLog);
        if let Some(region) = region {
            builder = builder.region(Region::new(region.to_owned()));
        }
        Client::from_conf(builder.build())
    }
}

/// Every bucket of the account, sorted by name.
pub(crate) async fn collect(clients: &S3Clients) -> Observed<Vec<S3Bucket>> {
    let listing = clients.client(None);
    let mut pages = listing.list_buckets().into_paginator().send();
    let mut listed = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason("s3:ListAllMyBuckets", &err)),
        };
        token.saw(page.continuation_token());
        // S3 always sends the owner and the list, empty or not: without
        // them the answer lost its content, and no bucket is not "none".
        if page.owner.is_none() {
            return Observed::unavailable("s3:ListBuckets answered without Owner");
        }
        let Some(page_buckets) = &page.buckets else {
            return Observed::unavailable("s3:ListBuckets answered without Buckets");
        };
        for bucket in page_buckets {
            let Some(name) = bucket.name().filter(|name| !name.is_empty()) else {
                return Observed::unavailable("s3:ListBuckets listed a bucket without a Name");
            };
            listed.push((name.to_owned(), bucket.bucket_region().map(str::to_owned)));
        }
    }
    if let Some(cut) = token.cut_short("s3:ListAllMyBuckets") {
        return Observed::unavailable(cut);
    }
    let mut read: Vec<(S3Bucket, Observed<Option<LogTarget>>)> = stream::iter(listed)
        .map(|(name, region)| bucket(clients, name, region))
        .buffer_unordered(BUCKET_CONCURRENCY)
        .collect()
        .await;
    log_retentions(clients, &mut read).await;
    let mut buckets: Vec<S3Bucket> = read.into_iter().map(|(bucket, _)| bucket).collect();
    buckets.sort_by(|a, b| a.name.cmp(&b.name));
    Observed::Known(buckets)
}

/// The region of a bucket, from `GetBucketLocation`.
pub(crate) async fn region(client: &Client, bucket: &str) -> Result<String, String> {
    let output = client
        .get_bucket_location()
        .bucket(bucket)
        .send()
        .await
        .map_err(|err| reason("s3:GetBucketLocation", &err))?;
    Ok(match output.location_constraint().map(|c| c.as_str()) {
        None | Some("") => "us-east-1".to_owned(),
        Some("EU") => "eu-west-1".to_owned(),
        Some(region) => region.to_owned(),
    })
}

/// Where a bucket's server access logs go.
#[derive(Clone, Debug)]
struct LogTarget {
    /// The bucket that receives them.
    bucket: String,
    /// The prefix of their keys (S3's `TargetPrefix`).
    prefix: String,
}

/// One bucket, with where its access logs go; the retention of those logs
/// is read once per target bucket afterwards ([`log_retentions`]).
async fn bucket(
    clients: &S3Clients,
    name: String,
    listed_region: Option<String>,
) -> (S3Bucket, Observed<Option<LogTarget>>) {
    let region = match listed_region {
        Some(region) => Ok(region),
        None => region(&clients.client(None), &name).await,
    };
    // With the region unknown, the configured region is tried: each call
    // then fails, or not, on its own.
    let client = clients.client(region.as_deref().ok());
    let (policy, public_access_block, encryption, versioning, access_logging, tags) = tokio::join!(
        policy(&client, &name),
        public_access_block(&client, &name),
        encryption(&client, &name),
        versioning(&client, &name),
        access_logging(&client, &name),
        tags(&client, &name),
    );
    let bucket = S3Bucket {
        region: match region {
            Ok(region) => Observed::Known(region),
            Err(reason) => Observed::unavailable(reason),
        },
        policy,
        public_access_block,
        encryption,
        versioning,
        access_logging: access_logging
            .as_ref()
            .map(|target| target.as_ref().map(|target| target.bucket.clone())),
        access_log_retention_days: Observed::unavailable("the target bucket was not read"),
        tags,
        name,
    };
    (bucket, access_logging)
}

/// Sets how long each bucket's access logs are kept, reading the lifecycle
/// of each target bucket once (in its region when the account lists it).
async fn log_retentions(
    clients: &S3Clients,
    buckets: &mut [(S3Bucket, Observed<Option<LogTarget>>)],
) {
    let regions: BTreeMap<&str, &str> = buckets
        .iter()
        .filter_map(|(bucket, _)| Some((bucket.name.as_str(), bucket.region.known()?.as_str())))
        .collect();
    let targets: BTreeSet<&str> = buckets
        .iter()
        .filter_map(|(_, target)| Some(target.known()?.as_ref()?.bucket.as_str()))
        .collect();
    let regions = &regions;
    let rules: BTreeMap<&str, Observed<Vec<LifecycleRule>>> = stream::iter(targets)
        .map(|target| async move {
            let region = regions.get(target).copied();
            (target, lifecycle(clients, target, region).await)
        })
        .buffer_unordered(BUCKET_CONCURRENCY)
        .collect()
        .await;
    let retentions: Vec<Observed<Option<u32>>> = buckets
        .iter()
        .map(|(_, target)| match target {
            Observed::Known(None) => Observed::Known(None),
            Observed::Known(Some(target)) => match rules.get(target.bucket.as_str()) {
                Some(Observed::Known(rules)) => expiration(rules, &target.bucket, &target.prefix),
                Some(Observed::Unavailable { reason }) => Observed::unavailable(format!(
                    "the lifecycle of the target bucket {}: {reason}",
                    target.bucket
                )),
                None => Observed::unavailable("the target bucket was not read"),
            },
            Observed::Unavailable { reason } => Observed::unavailable(reason.clone()),
        })
        .collect();
    for ((bucket, _), retention) in buckets.iter_mut().zip(retentions) {
        bucket.access_log_retention_days = retention;
    }
}

/// The bucket's tags. A bucket without tags answers `NoSuchTagSet`; an
/// answer without its `TagSet` lost it (the SDK would read none).
async fn tags(client: &Client, bucket: &str) -> Observed<BTreeMap<String, String>> {
    const CALL: &str = "s3:GetBucketTagging";
    match client
        .get_bucket_tagging()
        .bucket(bucket)
        .customize()
        .interceptor(Required {
            call: CALL,
            elements: &["TagSet"],
            root_payload: true,
        })
        .send()
        .await
    {
        Ok(output) => Observed::Known(
            output
                .tag_set()
                .iter()
                .map(|tag| (tag.key().to_owned(), tag.value().to_owned()))
                .collect(),
        ),
        Err(err) if code(&err) == Some("NoSuchTagSet") => Observed::Known(BTreeMap::new()),
        Err(err) => Observed::unavailable(reason(CALL, &err)),
    }
}

/// Where the bucket's server access logs go: the target bucket and the
/// prefix of their keys. An answer without `LoggingEnabled` is logging off,
/// as S3 documents; losing it can only turn a pass into a failure, never the
/// reverse.
async fn access_logging(client: &Client, bucket: &str) -> Observed<Option<LogTarget>> {
    const CALL: &str = "s3:GetBucketLogging";
    match client.get_bucket_logging().bucket(bucket).send().await {
        Ok(output) => match output.logging_enabled() {
            None => Observed::Known(None),
            // The SDK fills the required TargetBucket with "" when it is lost.
            Some(enabled) if enabled.target_bucket().is_empty() => Observed::unavailable(format!(
                "{CALL} answered LoggingEnabled without its TargetBucket"
            )),
            Some(enabled) => Observed::Known(Some(LogTarget {
                bucket: enabled.target_bucket().to_owned(),
                prefix: enabled.target_prefix().to_owned(),
            })),
        },
        Err(err) => Observed::unavailable(reason(CALL, &err)),
    }
}

/// Whether the bucket keeps object versions. A bucket whose versioning was
/// never enabled answers without a status: that is off, as S3 documents.
async fn versioning(client: &Client, bucket: &str) -> Observed<bool> {
    match client.get_bucket_versioning().bucket(bucket).send().await {
        Ok(output) => Observed::Known(
            output
                .status()
                .is_some_and(|status| status.as_str() == "Enabled"),
        ),
        Err(err) => Observed::unavailable(reason("s3:GetBucketVersioning", &err)),
    }
}

async fn policy(client: &Client, bucket: &str) -> Observed<Option<serde_json::Value>> {
    match client.get_bucket_policy().bucket(bucket).send().await {
        // A bucket without a policy is the NoSuchBucketPolicy error; an
        // answer without the document lost it and is no "no policy".
        Ok(output) => match output.policy().filter(|text| !text.trim().is_empty()) {
            Some(text) => Observed::Known(Some(policy_document(text))),
            None => Observed::unavailable("s3:GetBucketPolicy answered without the policy"),
        },
        Err(err) if code(&err) == Some("NoSuchBucketPolicy") => Observed::Known(None),
        Err(err) => Observed::unavailable(reason("s3:GetBucketPolicy", &err)),
    }
}

async fn public_access_block(client: &Client, bucket: &str) -> Observed<Option<PublicAccessBlock>> {
    match client.get_public_access_block().bucket(bucket).send().await {
        Ok(output) => match output.public_access_block_configuration() {
            Some(config) => read_public_access_block(config),
            None => Observed::unavailable(
                "s3:GetPublicAccessBlock answered without PublicAccessBlockConfiguration",
            ),
        },
        Err(err) if code(&err) == Some("NoSuchPublicAccessBlockConfiguration") => {
            Observed::Known(None)
        }
        Err(err) => Observed::unavailable(reason("s3:GetBucketPublicAccessBlock", &err)),
    }
}

/// The four settings, which S3 always sends: one missing is a lost answer,
/// neither blocked nor open.
fn read_public_access_block(
    config: &PublicAccessBlockConfiguration,
) -> Observed<Option<PublicAccessBlock>> {
    four_settings(
        "s3:GetPublicAccessBlock",
        [
            config.block_public_acls(),
            config.ignore_public_acls(),
            config.block_public_policy(),
            config.restrict_public_buckets(),
        ],
    )
}

/// A public access block from its four settings, in S3's order
/// (`BlockPublicAcls`, `IgnorePublicAcls`, `BlockPublicPolicy`,
/// `RestrictPublicBuckets`); one missing makes it unavailable.
fn four_settings(call: &str, settings: [Option<bool>; 4]) -> Observed<Option<PublicAccessBlock>> {
    const NAMES: [&str; 4] = [
        "BlockPublicAcls",
        "IgnorePublicAcls",
        "BlockPublicPolicy",
        "RestrictPublicBuckets",
    ];
    match settings {
        [Some(acls), Some(ignore), Some(policy), Some(restrict)] => {
            Observed::Known(Some(PublicAccessBlock {
                block_public_acls: acls,
                ignore_public_acls: ignore,
                block_public_policy: policy,
                restrict_public_buckets: restrict,
            }))
        }
        _ => {
            let missing = settings
                .iter()
                .zip(NAMES)
                .find_map(|(value, name)| value.is_none().then_some(name))
                .unwrap_or("a setting");
            Observed::unavailable(format!("{call} answered without {missing}"))
        }
    }
}

/// The account-wide Block Public Access (`s3control`); `None` when the
/// account has none. `emulator`: the endpoint is an emulator's, which
/// serves S3 Control without the account id in the host name.
pub(crate) async fn account_public_access_block(
    sdk: &SdkConfig,
    account_id: &str,
    emulator: bool,
) -> Observed<Option<PublicAccessBlock>> {
    const CALL: &str = "s3control:GetPublicAccessBlock";
    let mut builder =
        aws_sdk_s3control::config::Builder::from(sdk).interceptor(crate::requestlog::RequestLog);
    if emulator {
        builder = builder.interceptor(WithoutHostPrefix);
    }
    let client = aws_sdk_s3control::Client::from_conf(builder.build());
    match client
        .get_public_access_block()
        .account_id(account_id)
        .send()
        .await
    {
        Ok(output) => match output.public_access_block_configuration() {
            Some(config) => four_settings(
                CALL,
                [
                    config.block_public_acls(),
                    config.ignore_public_acls(),
                    config.block_public_policy(),
                    config.restrict_public_buckets(),
                ],
            ),
            None => Observed::unavailable(format!(
                "{CALL} answered without PublicAccessBlockConfiguration"
            )),
        },
        Err(err) if code(&err) == Some("NoSuchPublicAccessBlockConfiguration") => {
            Observed::Known(None)
        }
        Err(err) => Observed::unavailable(reason("s3:GetAccountPublicAccessBlock", &err)),
    }
}

/// For an emulator's endpoint only: S3 Control puts the account id in
/// front of the host name (`111122223333.s3-control…`), which a local
/// emulator's address cannot take. An interceptor for S3 Control clients
/// that takes it off again; public for tests that seed an emulator.
#[derive(Debug)]
pub struct WithoutHostPrefix;

impl aws_sdk_s3control::config::Intercept for WithoutHostPrefix {
    fn name(&self) -> &'static str {
        "tenet::WithoutHostPrefix"
    }

    fn modify_before_transmit(
        &self,
        context: &mut aws_sdk_s3control::config::interceptors::BeforeTransmitInterceptorContextMut<
            '_,
        >,
        _runtime_components: &aws_sdk_s3control::config::RuntimeComponents,
        _cfg: &mut aws_sdk_s3control::config::ConfigBag,
    ) -> Result<(), aws_sdk_s3control::error::BoxError> {
        let request = context.request_mut();
        let uri = request.uri().to_owned();
        if let Some((scheme, rest)) = uri.split_once("://")
            && let Some((host, _)) = rest.split_once('.')
            && host.len() == 12
            && host.bytes().all(|b| b.is_ascii_digit())
        {
            let stripped = format!("{scheme}://{}", &rest[host.len() + 1..]);
            request.set_uri(stripped)?;
        }
        Ok(())
    }
}

/// The algorithm of the bucket's default encryption (`AES256`, `aws:kms`,
/// `aws:kms:dsse`); `None` when it has none.
async fn encryption(client: &Client, bucket: &str) -> Observed<Option<String>> {
    const CALL: &str = "s3:GetBucketEncryption";
    match client.get_bucket_encryption().bucket(bucket).send().await {
        Ok(output) => {
            // An answer always holds the configuration and a rule; the SDK
            // reads a lost rule list as an empty one.
            let Some(rule) = output
                .server_side_encryption_configuration()
                .and_then(|config| config.rules().first())
            else {
                return Observed::unavailable(format!(
                    "{CALL} answered without ServerSideEncryptionConfiguration or its Rule"
                ));
            };
            match rule
                .apply_server_side_encryption_by_default()
                .map(|default| default.sse_algorithm().as_str())
            {
                None => Observed::Known(None),
                // What the SDK fills a lost required enum member with.
                Some("" | "no value was set") => {
                    Observed::unavailable(format!("{CALL} answered without SSEAlgorithm"))
                }
                Some(algorithm) => Observed::Known(Some(algorithm.to_owned())),
            }
        }
        Err(err) if code(&err) == Some("ServerSideEncryptionConfigurationNotFoundError") => {
            Observed::Known(None)
        }
        Err(err) => Observed::unavailable(reason("s3:GetEncryptionConfiguration", &err)),
    }
}

/// Days after which `bucket`'s lifecycle deletes the logs written under
/// `prefix`, the bucket's region asked first unless known; `None` when no
/// enabled rule expires them.
pub(crate) async fn log_retention(
    clients: &S3Clients,
    bucket: &str,
    prefix: &str,
    region: Option<&str>,
) -> Observed<Option<u32>> {
    match lifecycle(clients, bucket, region).await {
        Observed::Known(rules) => expiration(&rules, bucket, prefix),
        Observed::Unavailable { reason } => Observed::unavailable(reason),
    }
}

/// The lifecycle rules of `bucket`, its region asked first unless known;
/// none when it has no lifecycle configuration.
async fn lifecycle(
    clients: &S3Clients,
    bucket: &str,
    region: Option<&str>,
) -> Observed<Vec<LifecycleRule>> {
    let region = match region {
        Some(region) => region.to_owned(),
        None => match self::region(&clients.client(None), bucket).await {
            Ok(region) => region,
            Err(reason) => return Observed::unavailable(reason),
        },
    };
    match clients
        .client(Some(&region))
        .get_bucket_lifecycle_configuration()
        .bucket(bucket)
        .send()
        .await
    {
        // A bucket without lifecycle is the NoSuchLifecycleConfiguration
        // error: an answer without rules lost them.
        Ok(output) => match output.rules {
            Some(rules) => Observed::Known(rules),
            None => {
                Observed::unavailable("s3:GetBucketLifecycleConfiguration answered without a Rule")
            }
        },
        Err(err) if code(&err) == Some("NoSuchLifecycleConfiguration") => {
            Observed::Known(Vec::new())
        }
        Err(err) => Observed::unavailable(reason("s3:GetLifecycleConfiguration", &err)),
    }
}

/// Days after which `rules` (of `bucket`) delete objects under `prefix`;
/// `None` when no enabled rule expires them.
fn expiration(rules: &[LifecycleRule], bucket: &str, prefix: &str) -> Observed<Option<u32>> {
    let mut days = None;
    for rule in rules.iter().filter(|rule| applies(rule, prefix)) {
        let Some(expiration) = rule.expiration() else {
            continue;
        };
        if expiration.date().is_some() {
            return Observed::unavailable(format!(
                "lifecycle rule {} of bucket {bucket} deletes the logs on a date, not after a number of days",
                rule.id().unwrap_or("(without id)")
            ));
        }
        if let Some(rule_days) = expiration.days().and_then(|d| u32::try_from(d).ok()) {
            days = Some(days.map_or(rule_days, |d: u32| d.min(rule_days)));
        }
    }
    Observed::Known(days)
}

/// An enabled rule without tag conditions whose prefix covers (part of)
/// the objects under `prefix`.
fn applies(rule: &LifecycleRule, prefix: &str) -> bool {
    if rule.status().as_str() != "Enabled" {
        return false;
    }
    let filter = rule.filter();
    if filter
        .is_some_and(|f| f.tag().is_some() || f.and().is_some_and(|and| !and.tags().is_empty()))
    {
        return false;
    }
    #[allow(deprecated)]
    let rule_prefix = filter
        .and_then(|f| f.prefix().or_else(|| f.and().and_then(|and| and.prefix())))
        .or(rule.prefix())
        .unwrap_or_default();
    prefix.starts_with(rule_prefix) || rule_prefix.starts_with(prefix)
}
