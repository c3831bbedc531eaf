//! Seeds one moto account through the AWS APIs themselves, for the tests of
//! the AWS connector (`crates/aws/tests`) and of `tenet scan --aws`
//! (`tests/integration/aws.rs`, which includes this file).
//!
//! Every test uses an account of its own: moto lets STS assume a role in any
//! account id and keeps each account's resources apart, so tests run in
//! parallel against one server without seeing each other.

#![allow(clippy::print_stderr, dead_code)]

use tenet_aws::{
    Credentials, WithoutHostPrefix,
    sdk::{
        apigateway,
        aws_config::{self, BehaviorVersion, Region, SdkConfig},
        backup, cloudformation, cloudfront, cloudtrail, config, dynamodb, ec2, elbv2, guardduty,
        iam, kms, lambda, logs, opensearch, rds, s3, s3control, securityhub, sts,
    },
};

/// The fake long-term credentials tests sign with; they must never show up
/// in any output.
pub const ACCESS_KEY_ID: &str = "AKIATENETTESTKEY0001";
/// See [`ACCESS_KEY_ID`].
pub const SECRET_ACCESS_KEY: &str = "tenet-test-secret-must-not-leak";

/// The moto endpoint, or `None` (with a note) when a developer runs the
/// tests without it. In CI a missing endpoint fails the test.
pub fn endpoint() -> Option<String> {
    match std::env::var("TENET_TEST_AWS_ENDPOINT") {
        Ok(endpoint) if !endpoint.is_empty() => Some(endpoint),
        _ if std::env::var_os("CI").is_some() => {
            panic!("TENET_TEST_AWS_ENDPOINT is unset in CI: scripts/test starts moto and sets it")
        }
        _ => {
            eprintln!("note: skipped: TENET_TEST_AWS_ENDPOINT is unset (scripts/test starts moto)");
            None
        }
    }
}

/// A fresh 12-digit account id, so that reruns against the same moto server
/// and parallel tests never share resources.
pub fn unique_account() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos())
        .unwrap_or_default();
    let unique = (nanos as u64 / 1000).wrapping_add(NEXT.fetch_add(1, Ordering::Relaxed));
    format!("3{:011}", unique % 100_000_000_000)
}

/// The role the tests tell tenet to assume in `account`.
pub fn role_arn(account: &str) -> String {
    format!("arn:aws:iam::{account}:role/tenet-audit")
}

/// The long-term test credentials.
pub fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY, None, None, "tenet-tests")
}

/// An SDK configuration signed as the test role of `account`.
pub async fn account_config(endpoint: &str, account: &str) -> SdkConfig {
    let base = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(credentials())
        .load()
        .await;
    let assumed = sts::Client::new(&base)
        .assume_role()
        .role_arn(role_arn(account))
        .role_session_name("seed")
        .send()
        .await
        .expect("moto assumes the role");
    let temporary = assumed.credentials().expect("credentials");
    base.to_builder()
        .credentials_provider(sts::config::SharedCredentialsProvider::new(
            Credentials::new(
                temporary.access_key_id(),
                temporary.secret_access_key(),
                Some(temporary.session_token().to_owned()),
                None,
                "seed",
            ),
        ))
        .build()
}

fn s3_client(config: &SdkConfig) -> s3::Client {
    s3::Client::from_conf(
        s3::config::Builder::from(config)
            .force_path_style(true)
            .build(),
    )
}

const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

/// A zip archive without entries: its end-of-central-directory record.
const EMPTY_ZIP: [u8; 22] = [
    0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
];

/// A policy document granting `action` on `*`.
pub fn allow(action: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"}}]}}"#
    )
}

/// The scenario of the end-to-end tests:
/// - `alice`: console password and a virtual MFA device, in group `readers`;
/// - `bob`: console password without MFA, `AdministratorAccess` attached,
///   an inline `iam:PassRole` on `*`;
/// - `carol`: no console, one active access key never used, one inactive,
///   an inline `iam:PassRole` on the account's roles with
///   `ec2:RunInstances` and `ssm:SendCommand`;
/// - role `app` trusted by EC2, in instance profile `app`; Lambda function
///   `orders` and stack `queue` (us-east-1) run as it; customer policy
///   `read-only` on `readers`;
/// - role `bounded-admin`: `AdministratorAccess` within the permissions
///   boundary `read-only`; roles `deploy` and `ci-open` trusted by GitHub
///   Actions (one repository; any), `partner` by any AWS principal;
/// - a weak password policy (8 characters, nothing else);
/// - buckets `tls-only-ACCOUNT` (TLS-only policy, encrypted, blocked),
///   `public-ACCOUNT` (a public policy, no block, no encryption) and
///   `trail-ACCOUNT` (the trail's logs, encrypted with KMS, expired after
///   365 days);
/// - a metric filter counting root use on the trail's log group (its alarm
///   cannot be seeded: moto does not read the CBOR protocol the CloudWatch
///   SDK speaks, so alarms are unavailable here, and their control is an
///   error);
/// - trail `main`: multi-region, log validation, logging, also delivering to
///   log group `/aws/cloudtrail/main` (us-east-1, kept 400 days);
/// - the account's S3 Block Public Access blocks public ACLs only;
/// - CloudFront distribution `secure` (HTTPS only, TLSv1.2_2021, an HTTPS
///   origin) and `legacy` (HTTP allowed, the default certificate);
/// - in us-east-1 (compliant): EBS encryption by default, an encrypted
///   volume, an instance running as profile `app` (its root volume
///   encrypted), the default security group without rules, group `web` open to
///   the internet on 443 only, a flow log on the default VPC, database
///   `orders` encrypted, private, backups kept 7 days, a GuardDuty detector,
///   an AWS Config recorder of every resource type, recording, Security Hub,
///   a KMS key rotated, table `orders` with point-in-time recovery;
/// - in eu-west-1 (violating): no EBS encryption by default, an unencrypted
///   volume, the default security group as AWS creates it (all outbound),
///   group `ssh` open to 0.0.0.0/0 on port 22, no flow log, database
///   `legacy` unencrypted, publicly accessible, without backups, neither
///   GuardDuty nor AWS Config nor Security Hub, a KMS key not rotated, table
///   `sessions` without point-in-time recovery, a flow log on a subnet (not
///   the VPC) into log group `vpc-flow-logs`, kept 30 days.
pub async fn scenario(config: &SdkConfig, account: &str) {
    s3control::Client::from_conf(
        s3control::config::Builder::from(config)
            .interceptor(WithoutHostPrefix)
            .build(),
    )
    .put_public_access_block()
    .account_id(account)
    .public_access_block_configuration(
        s3control::types::PublicAccessBlockConfiguration::builder()
            .block_public_acls(true)
            .ignore_public_acls(true)
            .block_public_policy(false)
            .restrict_public_buckets(false)
            .build(),
    )
    .send()
    .await
    .expect("account public access block");
    let iam = iam::Client::new(config);
    for user in ["alice", "bob", "carol"] {
        iam.create_user()
            .user_name(user)
            .send()
            .await
            .expect("user");
    }
    for user in ["alice", "bob"] {
        iam.create_login_profile()
            .user_name(user)
            .password("Correct-Horse-1")
            .send()
            .await
            .expect("login profile");
    }
    let device = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("alice")
        .send()
        .await
        .expect("mfa device");
    let serial = device
        .virtual_mfa_device()
        .map(|device| device.serial_number().to_owned())
        .expect("serial");
    iam.enable_mfa_device()
        .user_name("alice")
        .serial_number(serial)
        .authentication_code1("123456")
        .authentication_code2("654321")
        .send()
        .await
        .expect("enable mfa");
    iam.attach_user_policy()
        .user_name("bob")
        .policy_arn(ADMIN)
        .send()
        .await
        .expect("attach admin");
    iam.put_user_policy()
        .user_name("bob")
        .policy_name("pass-any-role")
        .policy_document(allow("iam:PassRole"))
        .send()
        .await
        .expect("inline policy");
    for _ in 0..2 {
        iam.create_access_key()
            .user_name("carol")
            .send()
            .await
            .expect("access key");
    }
    let keys = iam
        .list_access_keys()
        .user_name("carol")
        .send()
        .await
        .expect("keys");
    let second = keys
        .access_key_metadata()
        .get(1)
        .and_then(|key| key.access_key_id())
        .expect("second key");
    iam.update_access_key()
        .user_name("carol")
        .access_key_id(second)
        .status(iam::types::StatusType::Inactive)
        .send()
        .await
        .expect("deactivate key");
    // carol may launch instances with the account's roles, and run commands
    // on the account's instances: none of those roles, nor `app` that an
    // instance runs as, is an administrator (`bounded-admin` is bounded to
    // read-only), so the scan finds no escalation.
    iam.put_user_policy()
        .user_name("carol")
        .policy_name("launch")
        .policy_document(format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::{account}:role/*"}},{{"Effect":"Allow","Action":["ec2:RunInstances","ssm:SendCommand"],"Resource":"*"}}]}}"#
        ))
        .send()
        .await
        .expect("inline policy");
    iam.create_group()
        .group_name("readers")
        .send()
        .await
        .expect("group");
    iam.add_user_to_group()
        .group_name("readers")
        .user_name("alice")
        .send()
        .await
        .expect("membership");
    let read_only = iam
        .create_policy()
        .policy_name("read-only")
        .policy_document(allow("s3:GetObject"))
        .send()
        .await
        .expect("policy");
    let read_only_arn = read_only.policy().and_then(|p| p.arn()).expect("arn");
    iam.attach_group_policy()
        .group_name("readers")
        .policy_arn(read_only_arn)
        .send()
        .await
        .expect("attach group policy");
    iam.create_role()
        .role_name("app")
        .assume_role_policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
        )
        .send()
        .await
        .expect("role");
    iam.create_instance_profile()
        .instance_profile_name("app")
        .send()
        .await
        .expect("instance profile");
    iam.add_role_to_instance_profile()
        .instance_profile_name("app")
        .role_name("app")
        .send()
        .await
        .expect("role in instance profile");
    // Lambda function `orders` in us-east-1 runs as `app` (its code an
    // empty archive: moto does not run it).
    lambda::Client::new(&regional(config, "us-east-1"))
        .create_function()
        .function_name("orders")
        .runtime(lambda::types::Runtime::Python312)
        .handler("app.handler")
        .role(format!("arn:aws:iam::{account}:role/app"))
        .code(
            lambda::types::FunctionCode::builder()
                .zip_file(lambda::primitives::Blob::new(EMPTY_ZIP.to_vec()))
                .build(),
        )
        .send()
        .await
        .expect("function");
    // Stack `queue` in us-east-1 is updated as `app`.
    cloudformation::Client::new(&regional(config, "us-east-1"))
        .create_stack()
        .stack_name("queue")
        .template_body(r#"{"Resources":{"Queue":{"Type":"AWS::SQS::Queue"}}}"#)
        .role_arn(format!("arn:aws:iam::{account}:role/app"))
        .send()
        .await
        .expect("stack");
    iam.create_role()
        .role_name("bounded-admin")
        .assume_role_policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
        )
        .permissions_boundary(read_only_arn)
        .send()
        .await
        .expect("bounded role");
    iam.attach_role_policy()
        .role_name("bounded-admin")
        .policy_arn(ADMIN)
        .send()
        .await
        .expect("attach role policy");
    // GitHub Actions: `deploy` is confined to one repository's production
    // environment, `ci-open` to nothing but the audience (any repository on
    // GitHub); `partner` trusts any AWS principal that knows an external id.
    let github = r#"{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}"#;
    for (name, principal, condition) in [
        (
            "deploy",
            github,
            r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"repo:acme/app:environment:production"}}"#,
        ),
        (
            "ci-open",
            github,
            r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}"#,
        ),
        (
            "partner",
            r#"{"AWS":"*"}"#,
            r#"{"StringEquals":{"sts:ExternalId":"acme-partner"}}"#,
        ),
    ] {
        let action = if principal == github {
            "sts:AssumeRoleWithWebIdentity"
        } else {
            "sts:AssumeRole"
        };
        iam.create_role()
            .role_name(name)
            .assume_role_policy_document(format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"{action}","Condition":{condition}}}]}}"#
            ))
            .send()
            .await
            .expect("role");
    }
    iam.update_account_password_policy()
        .minimum_password_length(8)
        .send()
        .await
        .expect("password policy");

    let s3 = s3_client(config);
    for bucket in ["tls-only", "public", "trail"] {
        s3.create_bucket()
            .bucket(format!("{bucket}-{account}"))
            .send()
            .await
            .expect("bucket");
    }
    let tls_only = format!("tls-only-{account}");
    s3.put_bucket_policy()
        .bucket(&tls_only)
        .policy(format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::{tls_only}","arn:aws:s3:::{tls_only}/*"],"Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}}]}}"#
        ))
        .send()
        .await
        .expect("tls policy");
    s3.put_public_access_block()
        .bucket(&tls_only)
        .public_access_block_configuration(
            s3::types::PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .ignore_public_acls(true)
                .block_public_policy(true)
                .restrict_public_buckets(true)
                .build(),
        )
        .send()
        .await
        .expect("public access block");
    let aes = s3::types::ServerSideEncryptionByDefault::builder()
        .sse_algorithm(s3::types::ServerSideEncryption::Aes256)
        .build()
        .expect("sse");
    s3.put_bucket_encryption()
        .bucket(&tls_only)
        .server_side_encryption_configuration(
            s3::types::ServerSideEncryptionConfiguration::builder()
                .rules(
                    s3::types::ServerSideEncryptionRule::builder()
                        .apply_server_side_encryption_by_default(aes)
                        .build(),
                )
                .build()
                .expect("encryption"),
        )
        .send()
        .await
        .expect("bucket encryption");
    let public = format!("public-{account}");
    s3.put_bucket_policy()
        .bucket(&public)
        .policy(format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{public}/*"}}]}}"#
        ))
        .send()
        .await
        .expect("public policy");
    let trail_bucket = format!("trail-{account}");
    // The trail bucket also receives the access logs of `tls-only` (the
    // other buckets log nothing) and of the load balancer in us-east-1.
    s3.put_bucket_policy()
        .bucket(&trail_bucket)
        .policy(format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"logging.s3.amazonaws.com"}},"Action":"s3:PutObject","Resource":"arn:aws:s3:::{trail_bucket}/*"}}]}}"#
        ))
        .send()
        .await
        .expect("log delivery policy");
    s3.put_bucket_tagging()
        .bucket(&tls_only)
        .tagging(
            s3::types::Tagging::builder()
                .tag_set(
                    s3::types::Tag::builder()
                        .key("data")
                        .value("customer")
                        .build()
                        .expect("tag"),
                )
                .build()
                .expect("tagging"),
        )
        .send()
        .await
        .expect("bucket tags");
    s3.put_bucket_logging()
        .bucket(&tls_only)
        .bucket_logging_status(
            s3::types::BucketLoggingStatus::builder()
                .logging_enabled(
                    s3::types::LoggingEnabled::builder()
                        .target_bucket(&trail_bucket)
                        .target_prefix("s3/")
                        .build()
                        .expect("logging"),
                )
                .build(),
        )
        .send()
        .await
        .expect("bucket logging");
    s3.put_bucket_encryption()
        .bucket(&trail_bucket)
        .server_side_encryption_configuration(
            s3::types::ServerSideEncryptionConfiguration::builder()
                .rules(
                    s3::types::ServerSideEncryptionRule::builder()
                        .apply_server_side_encryption_by_default(
                            s3::types::ServerSideEncryptionByDefault::builder()
                                .sse_algorithm(s3::types::ServerSideEncryption::AwsKms)
                                .build()
                                .expect("sse-kms"),
                        )
                        .build(),
                )
                .build()
                .expect("encryption"),
        )
        .send()
        .await
        .expect("trail bucket encryption");
    s3.put_bucket_lifecycle_configuration()
        .bucket(&trail_bucket)
        .lifecycle_configuration(
            s3::types::BucketLifecycleConfiguration::builder()
                .rules(
                    s3::types::LifecycleRule::builder()
                        .id("expire-logs")
                        .status(s3::types::ExpirationStatus::Enabled)
                        .filter(s3::types::LifecycleRuleFilter::builder().prefix("").build())
                        .expiration(s3::types::LifecycleExpiration::builder().days(365).build())
                        .build()
                        .expect("rule"),
                )
                .build()
                .expect("lifecycle"),
        )
        .send()
        .await
        .expect("bucket lifecycle");

    let trail_group = log_group(config, "us-east-1", "/aws/cloudtrail/main", 400).await;
    logs::Client::new(config)
        .put_metric_filter()
        .log_group_name("/aws/cloudtrail/main")
        .filter_name("root-use")
        .filter_pattern(
            r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
        )
        .metric_transformations(
            logs::types::MetricTransformation::builder()
                .metric_name("RootUse")
                .metric_namespace("CloudTrailMetrics")
                .metric_value("1")
                .build()
                .expect("metric transformation"),
        )
        .send()
        .await
        .expect("metric filter");
    let trails = cloudtrail::Client::new(config);
    trails
        .create_trail()
        .name("main")
        .s3_bucket_name(&trail_bucket)
        .is_multi_region_trail(true)
        .enable_log_file_validation(true)
        .cloud_watch_logs_log_group_arn(trail_group)
        .cloud_watch_logs_role_arn(format!("arn:aws:iam::{account}:role/cloudtrail-logs"))
        .send()
        .await
        .expect("trail");
    trails
        .start_logging()
        .name("main")
        .send()
        .await
        .expect("start logging");
    network_and_storage(config, &trail_bucket).await;
    load_balancer(config, "us-east-1", "web", Some(&trail_bucket)).await;
    search_domain(config, "us-east-1", "search", true).await;
    search_domain(config, "eu-west-1", "legacy-search", false).await;
    api_gateway(config, "us-east-1", "orders", true).await;
    api_gateway(config, "eu-west-1", "legacy-orders", false).await;
    load_balancer(config, "eu-west-1", "legacy-web", None).await;
    distribution(config, "secure", true).await;
    distribution(config, "legacy", false).await;
}

/// A CloudFront distribution in front of `NAME.example.com`: HTTPS only with
/// a TLS 1.2 policy and an HTTPS origin when `secure`, HTTP allowed with the
/// default certificate and an HTTP origin when not.
async fn distribution(config: &SdkConfig, name: &str, secure: bool) {
    use cloudfront::types::{
        CustomOriginConfig, DefaultCacheBehavior, DistributionConfig, MinimumProtocolVersion,
        Origin, OriginProtocolPolicy, Origins, SslSupportMethod, ViewerCertificate,
        ViewerProtocolPolicy,
    };
    let (viewer, origin_policy) = if secure {
        (
            ViewerProtocolPolicy::RedirectToHttps,
            OriginProtocolPolicy::HttpsOnly,
        )
    } else {
        (
            ViewerProtocolPolicy::AllowAll,
            OriginProtocolPolicy::HttpOnly,
        )
    };
    let certificate = if secure {
        ViewerCertificate::builder()
            .cloud_front_default_certificate(false)
            .acm_certificate_arn(
                "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
            )
            .ssl_support_method(SslSupportMethod::SniOnly)
            .minimum_protocol_version(MinimumProtocolVersion::TlSv122021)
            .build()
    } else {
        ViewerCertificate::builder()
            .cloud_front_default_certificate(true)
            .build()
    };
    let origin = Origin::builder()
        .id("web")
        .domain_name(format!("{name}.example.com"))
        .custom_origin_config(
            CustomOriginConfig::builder()
                .http_port(80)
                .https_port(443)
                .origin_protocol_policy(origin_policy)
                .build()
                .expect("origin configuration"),
        )
        .build()
        .expect("origin");
    cloudfront::Client::new(config)
        .create_distribution()
        .distribution_config(
            DistributionConfig::builder()
                .caller_reference(name)
                .comment(name)
                .enabled(true)
                .origins(
                    Origins::builder()
                        .quantity(1)
                        .items(origin)
                        .build()
                        .expect("origins"),
                )
                .default_cache_behavior(
                    DefaultCacheBehavior::builder()
                        .target_origin_id("web")
                        .viewer_protocol_policy(viewer)
                        .build()
                        .expect("cache behavior"),
                )
                .viewer_certificate(certificate)
                .build()
                .expect("distribution configuration"),
        )
        .send()
        .await
        .expect("distribution");
}

/// The EC2 part of [`scenario`], in its two regions; flow logs go to
/// `bucket`.
async fn network_and_storage(config: &SdkConfig, bucket: &str) {
    let region = |name: &str| {
        ec2::Client::new(
            &config
                .to_builder()
                .region(Region::new(name.to_owned()))
                .build(),
        )
    };
    let compliant = region("us-east-1");
    compliant
        .enable_ebs_encryption_by_default()
        .send()
        .await
        .expect("encryption by default");
    volume(&compliant, "us-east-1a", true).await;
    compliant
        .run_instances()
        .image_id("ami-12c6146b")
        .instance_type(ec2::types::InstanceType::T3Micro)
        .min_count(1)
        .max_count(1)
        .iam_instance_profile(
            ec2::types::IamInstanceProfileSpecification::builder()
                .name("app")
                .build(),
        )
        .block_device_mappings(
            ec2::types::BlockDeviceMapping::builder()
                .device_name("/dev/sda1")
                .ebs(
                    ec2::types::EbsBlockDevice::builder()
                        .encrypted(true)
                        .volume_size(8)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("instance");
    let default = default_group(&compliant).await;
    compliant
        .revoke_security_group_egress()
        .group_id(&default)
        .ip_permissions(
            ec2::types::IpPermission::builder()
                .ip_protocol("-1")
                .ip_ranges(ec2::types::IpRange::builder().cidr_ip("0.0.0.0/0").build())
                .build(),
        )
        .send()
        .await
        .expect("close the default group");
    open_group(&compliant, "web", 443).await;
    let vpc = compliant
        .describe_vpcs()
        .send()
        .await
        .expect("vpcs")
        .vpcs()
        .first()
        .and_then(|vpc| vpc.vpc_id())
        .expect("the default VPC")
        .to_owned();
    compliant
        .create_flow_logs()
        .resource_type(ec2::types::FlowLogsResourceType::Vpc)
        .resource_ids(vpc)
        .traffic_type(ec2::types::TrafficType::All)
        .log_destination_type(ec2::types::LogDestinationType::S3)
        .log_destination(format!("arn:aws:s3:::{bucket}"))
        .send()
        .await
        .expect("flow log");

    databases(config, "us-east-1", true).await;
    monitored(config, "us-east-1", bucket).await;
    databases(config, "eu-west-1", false).await;

    let violating = region("eu-west-1");
    volume(&violating, "eu-west-1a", false).await;
    open_group(&violating, "ssh", 22).await;
    log_group(config, "eu-west-1", "vpc-flow-logs", 30).await;
    let subnet = violating
        .describe_subnets()
        .send()
        .await
        .expect("subnets")
        .subnets()
        .first()
        .and_then(|subnet| subnet.subnet_id())
        .expect("a default subnet")
        .to_owned();
    violating
        .create_flow_logs()
        .resource_type(ec2::types::FlowLogsResourceType::Subnet)
        .resource_ids(subnet)
        .traffic_type(ec2::types::TrafficType::Reject)
        .log_destination_type(ec2::types::LogDestinationType::CloudWatchLogs)
        .log_group_name("vpc-flow-logs")
        .deliver_logs_permission_arn("arn:aws:iam::123456789012:role/flow-logs")
        .send()
        .await
        .expect("subnet flow log");

    keys_and_tables(config, "us-east-1", "orders", true).await;
    keys_and_tables(config, "eu-west-1", "sessions", false).await;
    securityhub::Client::new(&regional(config, "us-east-1"))
        .enable_security_hub()
        .send()
        .await
        .expect("Security Hub");
}

/// An application load balancer in the default subnets of `region`, writing
/// access logs to `log_bucket` when given, or with them off.
///
/// A moto gap: moto leaves `access_logs.s3.enabled` out of a new load
/// balancer's attributes ("for Terraform compatibility"), where AWS lists
/// it as `false`; it is set here either way.
async fn load_balancer(config: &SdkConfig, region: &str, name: &str, log_bucket: Option<&str>) {
    let regional = regional(config, region);
    let subnets: Vec<String> = ec2::Client::new(&regional)
        .describe_subnets()
        .send()
        .await
        .expect("subnets")
        .subnets()
        .iter()
        .filter_map(|subnet| subnet.subnet_id().map(str::to_owned))
        .take(2)
        .collect();
    let client = elbv2::Client::new(&regional);
    let arn = client
        .create_load_balancer()
        .name(name)
        .set_subnets(Some(subnets))
        .send()
        .await
        .expect("load balancer")
        .load_balancers()
        .first()
        .and_then(|balancer| balancer.load_balancer_arn())
        .expect("the load balancer's ARN")
        .to_owned();
    let attribute = |key: &str, value: &str| {
        elbv2::types::LoadBalancerAttribute::builder()
            .key(key)
            .value(value)
            .build()
    };
    client
        .modify_load_balancer_attributes()
        .load_balancer_arn(arn)
        .attributes(attribute(
            "access_logs.s3.enabled",
            if log_bucket.is_some() {
                "true"
            } else {
                "false"
            },
        ))
        .attributes(attribute(
            "access_logs.s3.bucket",
            log_bucket.unwrap_or_default(),
        ))
        .send()
        .await
        .expect("access logs");
}

/// A backup plan in `region` keeping daily backups 35 days.
///
/// A moto gap: moto serves neither backup selections
/// (`ListBackupSelections`, `GetBackupSelection`) nor
/// `DescribeRegionSettings`, so the plan's selections and the region's
/// opt-in are unavailable here; `src/backup/tests.rs` tests those answers
/// with aws-smithy-mocks. moto answers `ListBackupSelections` with a 500,
/// which tenet retries with backoff, so [`scenario`] leaves the plan out
/// and only the connector's own moto test adds it.
pub async fn backup_plan(config: &SdkConfig, region: &str) {
    backup::Client::new(&regional(config, region))
        .create_backup_plan()
        .backup_plan(
            backup::types::BackupPlanInput::builder()
                .backup_plan_name("critical")
                .rules(
                    backup::types::BackupRuleInput::builder()
                        .rule_name("daily")
                        .target_backup_vault_name("Default")
                        .schedule_expression("cron(0 5 ? * * *)")
                        .lifecycle(
                            backup::types::Lifecycle::builder()
                                .delete_after_days(35)
                                .build(),
                        )
                        .build()
                        .expect("rule"),
                )
                .build()
                .expect("plan"),
        )
        .send()
        .await
        .expect("backup plan");
}

/// An OpenSearch domain in `region`: HTTPS only with TLS 1.2, node-to-node
/// encryption and encryption at rest when `secure`, none of them when not.
async fn search_domain(config: &SdkConfig, region: &str, name: &str, secure: bool) {
    let client = opensearch::Client::new(&regional(config, region));
    let mut create = client
        .create_domain()
        .domain_name(name)
        .engine_version("OpenSearch_2.13");
    if secure {
        create = create
            .domain_endpoint_options(
                opensearch::types::DomainEndpointOptions::builder()
                    .enforce_https(true)
                    .tls_security_policy(opensearch::types::TlsSecurityPolicy::PolicyMinTls12201907)
                    .build(),
            )
            .node_to_node_encryption_options(
                opensearch::types::NodeToNodeEncryptionOptions::builder()
                    .enabled(true)
                    .build(),
            )
            .encryption_at_rest_options(
                opensearch::types::EncryptionAtRestOptions::builder()
                    .enabled(true)
                    .build(),
            );
    }
    create.send().await.expect("search domain");
}

/// A regional REST API and a custom domain name in `region`: the API's
/// default endpoint turned off and the domain on TLS 1.2 when `secure`, the
/// default endpoint on (TLS 1.0) and the domain on TLS 1.0 when not.
/// (moto serves no enhanced security policy on a REST API: the rules'
/// fixtures cover those.)
async fn api_gateway(config: &SdkConfig, region: &str, name: &str, secure: bool) {
    let client = apigateway::Client::new(&regional(config, region));
    let regional_endpoint = || {
        apigateway::types::EndpointConfiguration::builder()
            .types(apigateway::types::EndpointType::Regional)
            .build()
    };
    client
        .create_rest_api()
        .name(name)
        .endpoint_configuration(regional_endpoint())
        .disable_execute_api_endpoint(secure)
        .send()
        .await
        .expect("REST API");
    let policy = if secure {
        apigateway::types::SecurityPolicy::Tls12
    } else {
        apigateway::types::SecurityPolicy::Tls10
    };
    client
        .create_domain_name()
        .domain_name(format!("{name}.example.com"))
        .regional_certificate_arn(format!(
            "arn:aws:acm:{region}:123456789012:certificate/{name}"
        ))
        .endpoint_configuration(regional_endpoint())
        .security_policy(policy)
        .send()
        .await
        .expect("domain name");
}

/// `config` in `region`.
fn regional(config: &SdkConfig, region: &str) -> SdkConfig {
    config
        .to_builder()
        .region(Region::new(region.to_owned()))
        .build()
}

/// A log group in `region` keeping its events `days`; its ARN as CloudTrail
/// takes it.
async fn log_group(config: &SdkConfig, region: &str, name: &str, days: i32) -> String {
    let client = logs::Client::new(&regional(config, region));
    client
        .create_log_group()
        .log_group_name(name)
        .send()
        .await
        .expect("log group");
    client
        .put_retention_policy()
        .log_group_name(name)
        .retention_in_days(days)
        .send()
        .await
        .expect("retention");
    let described = client
        .describe_log_groups()
        .log_group_name_prefix(name)
        .send()
        .await
        .expect("log groups");
    described
        .log_groups()
        .first()
        .and_then(|group| group.arn())
        .expect("the group's ARN")
        .to_owned()
}

/// A KMS key and a DynamoDB table `table` in `region`: the key rotated and
/// the table with point-in-time recovery when `compliant`, neither when not.
async fn keys_and_tables(config: &SdkConfig, region: &str, table: &str, compliant: bool) {
    let regional = regional(config, region);
    let keys = kms::Client::new(&regional);
    let key = keys.create_key().send().await.expect("key");
    let id = key
        .key_metadata()
        .map(|metadata| metadata.key_id().to_owned())
        .expect("key id");
    if compliant {
        keys.enable_key_rotation()
            .key_id(id)
            .send()
            .await
            .expect("key rotation");
        // A moto gap: the `aws/ebs` key moto makes for the first encrypted
        // volume is a customer managed key there (AWS manages it, and
        // rotates it, on AWS), so it is rotated here like AWS would.
        if let Ok(ebs) = keys.describe_key().key_id("alias/aws/ebs").send().await {
            let id = ebs
                .key_metadata()
                .map(|metadata| metadata.key_id().to_owned())
                .expect("key id");
            keys.enable_key_rotation()
                .key_id(id)
                .send()
                .await
                .expect("aws/ebs rotation");
        }
    }
    let tables = dynamodb::Client::new(&regional);
    tables
        .create_table()
        .table_name(table)
        .attribute_definitions(
            dynamodb::types::AttributeDefinition::builder()
                .attribute_name("id")
                .attribute_type(dynamodb::types::ScalarAttributeType::S)
                .build()
                .expect("attribute"),
        )
        .key_schema(
            dynamodb::types::KeySchemaElement::builder()
                .attribute_name("id")
                .key_type(dynamodb::types::KeyType::Hash)
                .build()
                .expect("key schema"),
        )
        .billing_mode(dynamodb::types::BillingMode::PayPerRequest)
        .send()
        .await
        .expect("table");
    if compliant {
        tables
            .update_continuous_backups()
            .table_name(table)
            .point_in_time_recovery_specification(
                dynamodb::types::PointInTimeRecoverySpecification::builder()
                    .point_in_time_recovery_enabled(true)
                    .build()
                    .expect("recovery"),
            )
            .send()
            .await
            .expect("point-in-time recovery");
    }
}

async fn volume(client: &ec2::Client, zone: &str, encrypted: bool) {
    client
        .create_volume()
        .availability_zone(zone)
        .size(8)
        .encrypted(encrypted)
        .send()
        .await
        .expect("volume");
}

/// The id of the region's default VPC's default security group.
async fn default_group(client: &ec2::Client) -> String {
    let groups = client
        .describe_security_groups()
        .filters(
            ec2::types::Filter::builder()
                .name("group-name")
                .values("default")
                .build(),
        )
        .send()
        .await
        .expect("security groups");
    groups
        .security_groups()
        .first()
        .and_then(|group| group.group_id())
        .expect("a default group")
        .to_owned()
}

/// A group of the default VPC open to the whole internet on `port`.
async fn open_group(client: &ec2::Client, name: &str, port: i32) {
    let created = client
        .create_security_group()
        .group_name(name)
        .description(format!("{name} from anywhere"))
        .send()
        .await
        .expect("security group");
    client
        .authorize_security_group_ingress()
        .group_id(created.group_id().expect("group id"))
        .ip_permissions(
            ec2::types::IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(port)
                .to_port(port)
                .ip_ranges(ec2::types::IpRange::builder().cidr_ip("0.0.0.0/0").build())
                .build(),
        )
        .send()
        .await
        .expect("ingress rule");
}

/// The RDS part of [`scenario`] in `region`: a PostgreSQL instance on its
/// own and an Aurora PostgreSQL cluster with one member, each with a
/// parameter group of its own that forces TLS when `compliant`; the
/// violating ones are unencrypted, public (the instance) and keep backups
/// 0 days (the instance) or 1 day (the cluster).
async fn databases(config: &SdkConfig, region: &str, compliant: bool) {
    let client = rds::Client::new(&regional(config, region));
    let force_ssl = if compliant { "1" } else { "0" };
    let (instance, cluster) = if compliant {
        ("orders", "ledger")
    } else {
        ("legacy", "events")
    };
    let group = format!("{instance}-pg16");
    client
        .create_db_parameter_group()
        .db_parameter_group_name(&group)
        .db_parameter_group_family("postgres16")
        .description("tenet test")
        .send()
        .await
        .expect("parameter group");
    client
        .modify_db_parameter_group()
        .db_parameter_group_name(&group)
        .parameters(
            rds::types::Parameter::builder()
                .parameter_name("rds.force_ssl")
                .parameter_value(force_ssl)
                .apply_method(rds::types::ApplyMethod::Immediate)
                .build(),
        )
        .send()
        .await
        .expect("rds.force_ssl");
    client
        .create_db_instance()
        .db_instance_identifier(instance)
        .db_instance_class("db.t3.micro")
        .engine("postgres")
        .engine_version("16.3")
        .db_parameter_group_name(&group)
        .master_username("tenet")
        .master_user_password("Correct-Horse-1")
        .allocated_storage(20)
        .storage_encrypted(compliant)
        .publicly_accessible(!compliant)
        .backup_retention_period(if compliant { 7 } else { 0 })
        .send()
        .await
        .expect("database instance");

    let cluster_group = format!("{cluster}-aurora-pg16");
    client
        .create_db_cluster_parameter_group()
        .db_cluster_parameter_group_name(&cluster_group)
        .db_parameter_group_family("aurora-postgresql16")
        .description("tenet test")
        .send()
        .await
        .expect("cluster parameter group");
    client
        .modify_db_cluster_parameter_group()
        .db_cluster_parameter_group_name(&cluster_group)
        .parameters(
            rds::types::Parameter::builder()
                .parameter_name("rds.force_ssl")
                .parameter_value(force_ssl)
                .apply_method(rds::types::ApplyMethod::Immediate)
                .build(),
        )
        .send()
        .await
        .expect("cluster rds.force_ssl");
    client
        .create_db_cluster()
        .db_cluster_identifier(cluster)
        .engine("aurora-postgresql")
        .engine_version("16.3")
        .db_cluster_parameter_group_name(&cluster_group)
        .master_username("tenet")
        .master_user_password("Correct-Horse-1")
        .storage_encrypted(compliant)
        .backup_retention_period(if compliant { 7 } else { 1 })
        .send()
        .await
        .expect("database cluster");
    client
        .create_db_instance()
        .db_instance_identifier(format!("{cluster}-1"))
        .db_cluster_identifier(cluster)
        .db_instance_class("db.r6g.large")
        .engine("aurora-postgresql")
        // moto leaves PubliclyAccessible out of its answer unless it was
        // given; AWS always answers it.
        .publicly_accessible(false)
        .send()
        .await
        .expect("cluster member");
}

/// GuardDuty and an AWS Config recorder of every resource type, recording,
/// in `region`; the recorder delivers to `bucket`.
async fn monitored(config: &SdkConfig, region: &str, bucket: &str) {
    let regional = config
        .to_builder()
        .region(Region::new(region.to_owned()))
        .build();
    guardduty::Client::new(&regional)
        .create_detector()
        .enable(true)
        .send()
        .await
        .expect("detector");
    let recorders = config::Client::new(&regional);
    recorders
        .put_configuration_recorder()
        .configuration_recorder(
            config::types::ConfigurationRecorder::builder()
                .name("default")
                .role_arn("arn:aws:iam::123456789012:role/config")
                .recording_group(
                    config::types::RecordingGroup::builder()
                        .all_supported(true)
                        .include_global_resource_types(true)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("recorder");
    recorders
        .put_delivery_channel()
        .delivery_channel(
            config::types::DeliveryChannel::builder()
                .name("default")
                .s3_bucket_name(bucket)
                .build(),
        )
        .send()
        .await
        .expect("delivery channel");
    recorders
        .start_configuration_recorder()
        .configuration_recorder_name("default")
        .send()
        .await
        .expect("start recording");
}
