//! Answers that are well-formed but lost part of their content, served as
//! raw XML by wiremock: an absent list or member is never read as "none",
//! and a blank caller identity is a credential error, not an account.

mod common;

use std::time::Duration;

use tenet_aws::{AwsConfig, ConfigError};
use tenet_inventory::{
    Observed,
    aws::{AwsAccount, S3Bucket},
};
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{body_string_contains, header, method, path},
};

const IDENTITY: &str = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/audit</Arn><UserId>AIDATENETTEST</UserId><Account>111122223333</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"#;

fn config(endpoint: String) -> AwsConfig {
    common::config(endpoint, Duration::from_secs(2), Duration::from_secs(4))
}

/// A query-protocol action (STS, IAM) answers `body`.
async fn action(server: &MockServer, name: &str, body: &str) {
    Mock::given(method("POST"))
        .and(body_string_contains(format!("Action={name}&")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_owned(), "text/xml"))
        .mount(server)
        .await;
}

/// The one account collected from a mock whose caller identity is good and
/// which answers `GetAccountAuthorizationDetails` and `ListBuckets` with the
/// given bodies (every other call is refused with a 404).
async fn account(details: &str, buckets: &str) -> AwsAccount {
    let server = MockServer::start().await;
    action(&server, "GetCallerIdentity", IDENTITY).await;
    action(&server, "GetAccountAuthorizationDetails", details).await;
    Mock::given(method("GET"))
        .and(path("/"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(buckets.to_owned(), "application/xml"),
        )
        .mount(&server)
        .await;
    let accounts = tenet_aws::collect(&config(server.uri()), &())
        .await
        .expect("valid configuration");
    accounts.into_iter().next().expect("one account")
}

fn details(result: &str) -> String {
    format!(
        r#"<GetAccountAuthorizationDetailsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetAccountAuthorizationDetailsResult>{result}</GetAccountAuthorizationDetailsResult><ResponseMetadata><RequestId>2</RequestId></ResponseMetadata></GetAccountAuthorizationDetailsResponse>"#
    )
}

fn buckets(result: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">{result}</ListAllMyBucketsResult>"#
    )
}

const OWNER: &str =
    "<Owner><ID>bcaf1ffd86f41161ca5fb16fd081034f</ID><DisplayName>webfile</DisplayName></Owner>";
const EMPTY_LISTS: &str = "<UserDetailList/><GroupDetailList/><RoleDetailList/><Policies/><IsTruncated>false</IsTruncated>";

#[tokio::test]
async fn the_account_records_who_read_it() {
    let account = account(
        &details(EMPTY_LISTS),
        &buckets(&format!("<Buckets/>{OWNER}")),
    )
    .await;
    let reader = account.read_by.expect("the reader is recorded");
    assert_eq!(reader.caller_arn, "arn:aws:iam::111122223333:user/audit");
    assert_eq!(reader.assumed_role, None, "read with its own credentials");
}

#[tokio::test]
async fn empty_elements_are_empty_lists() {
    let account = account(
        &details(EMPTY_LISTS),
        &buckets(&format!("<Buckets/>{OWNER}")),
    )
    .await;
    assert_eq!(account.groups, Observed::Known(vec![]));
    assert_eq!(account.roles, Observed::Known(vec![]));
    assert_eq!(account.s3_buckets, Observed::Known(vec![]));
}

#[tokio::test]
async fn absent_elements_are_unavailable_never_empty() {
    let lost_all = account(&details(""), &buckets("")).await;
    let lost = "iam:GetAccountAuthorizationDetails answered without UserDetailList";
    assert_eq!(lost_all.users.map(|_| ()), Observed::unavailable(lost));
    assert_eq!(lost_all.roles.map(|_| ()), Observed::unavailable(lost));
    assert_eq!(
        lost_all.s3_buckets,
        Observed::unavailable("s3:ListBuckets answered without Owner")
    );
    let without_list = account(&details(EMPTY_LISTS), &buckets(OWNER)).await;
    assert_eq!(
        without_list.s3_buckets,
        Observed::unavailable("s3:ListBuckets answered without Buckets")
    );
}

#[tokio::test]
async fn a_permissions_boundary_is_read_and_one_without_its_arn_is_unavailable() {
    let role = |boundary: &str| {
        details(&format!(
            "<UserDetailList/><GroupDetailList/><RoleDetailList><member><RoleName>ops</RoleName><Arn>arn:aws:iam::111122223333:role/ops</Arn><AssumeRolePolicyDocument>%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D</AssumeRolePolicyDocument><AttachedManagedPolicies/><RolePolicyList/>{boundary}</member></RoleDetailList><Policies/><IsTruncated>false</IsTruncated>"
        ))
    };
    let bounded = account(
        &role("<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType><PermissionsBoundaryArn>arn:aws:iam::aws:policy/ReadOnlyAccess</PermissionsBoundaryArn></PermissionsBoundary>"),
        &buckets(&format!("<Buckets/>{OWNER}")),
    )
    .await;
    let roles = bounded.roles.known().expect("roles read");
    assert_eq!(
        roles[0].permissions_boundary.as_deref(),
        Some("arn:aws:iam::aws:policy/ReadOnlyAccess")
    );
    let unbounded = account(&role(""), &buckets(&format!("<Buckets/>{OWNER}"))).await;
    assert_eq!(
        unbounded.roles.known().expect("roles read")[0].permissions_boundary,
        None
    );
    let lost = account(
        &role("<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType></PermissionsBoundary>"),
        &buckets(&format!("<Buckets/>{OWNER}")),
    )
    .await;
    assert_eq!(
        lost.roles.map(|_| ()),
        Observed::unavailable(
            "iam:GetAccountAuthorizationDetails answered without the PermissionsBoundaryArn of \
             the permissions boundary of ops"
        )
    );
}

#[tokio::test]
async fn a_blank_or_malformed_caller_identity_is_a_credential_error() {
    let cases = [
        (
            "<Arn></Arn><UserId></UserId><Account></Account>",
            "sts:GetCallerIdentity answered with the account id ``, not 12 digits",
        ),
        (
            "<Arn>arn:aws:iam::111122223333:user/audit</Arn><UserId>A</UserId><Account>11112222333</Account>",
            "sts:GetCallerIdentity answered with the account id `11112222333`, not 12 digits",
        ),
        (
            "<UserId>A</UserId><Account>111122223333</Account>",
            "sts:GetCallerIdentity answered with the ARN ``, which is not one of account 111122223333",
        ),
    ];
    for (result, message) in cases {
        let server = MockServer::start().await;
        let body = format!(
            r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>{result}</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"#
        );
        action(&server, "GetCallerIdentity", &body).await;
        match tenet_aws::collect(&config(server.uri()), &()).await {
            Err(ConfigError::Credentials(reason)) => assert_eq!(reason, message),
            other => panic!("{result}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_trail_answer_without_its_list_is_unavailable_never_no_trail() {
    let server = MockServer::start().await;
    action(&server, "GetCallerIdentity", IDENTITY).await;
    Mock::given(method("POST"))
        .and(header("x-amz-target", "CloudTrail_20131101.DescribeTrails"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{}", "application/x-amz-json-1.1"))
        .mount(&server)
        .await;
    let accounts = tenet_aws::collect(&config(server.uri()), &())
        .await
        .expect("valid configuration");
    let trails = accounts.into_iter().next().expect("one account").trails;
    assert!(
        matches!(&trails, Observed::Unavailable { reason } if reason.contains("cloudtrail:DescribeTrails answered without trailList")),
        "{trails:?}"
    );
}

/// An IAM query answer whose result element holds `result`.
fn iam_answer(operation: &str, result: &str) -> String {
    format!(
        r#"<{operation}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><{operation}Result>{result}</{operation}Result><ResponseMetadata><RequestId>3</RequestId></ResponseMetadata></{operation}Response>"#
    )
}

#[tokio::test]
async fn members_the_sdk_would_default_are_read_from_the_raw_answer() {
    let server = MockServer::start().await;
    action(&server, "GetCallerIdentity", IDENTITY).await;
    action(
        &server,
        "GetAccountSummary",
        &iam_answer(
            "GetAccountSummary",
            "<SummaryMap><entry><key>AccountMFAEnabled</key><value>1</value></entry><entry><key>AccountAccessKeysPresent</key><value>0</value></entry></SummaryMap>",
        ),
    )
    .await;
    // Both members are required by the API model: without the raw check the
    // SDK would read an empty device list (the root user's MFA would be a
    // hardware device) and a password policy that requires nothing.
    action(
        &server,
        "ListVirtualMFADevices",
        &iam_answer("ListVirtualMFADevices", "<IsTruncated>false</IsTruncated>"),
    )
    .await;
    action(
        &server,
        "GetAccountPasswordPolicy",
        &iam_answer("GetAccountPasswordPolicy", ""),
    )
    .await;
    let accounts = tenet_aws::collect(&config(server.uri()), &())
        .await
        .expect("valid configuration");
    let account = accounts.into_iter().next().expect("one account");
    assert_eq!(account.root.mfa_enabled, Observed::Known(true));
    assert_eq!(
        account.root.hardware_mfa,
        Observed::unavailable("iam:ListVirtualMFADevices answered without VirtualMFADevices")
    );
    assert_eq!(
        account.password_policy,
        Observed::unavailable("iam:GetAccountPasswordPolicy answered without PasswordPolicy")
    );
}

#[tokio::test]
async fn an_assigned_device_without_its_user_is_an_error_not_a_device_of_nobody() {
    let server = MockServer::start().await;
    action(&server, "GetCallerIdentity", IDENTITY).await;
    action(
        &server,
        "GetAccountSummary",
        &iam_answer(
            "GetAccountSummary",
            "<SummaryMap><entry><key>AccountMFAEnabled</key><value>1</value></entry></SummaryMap>",
        ),
    )
    .await;
    action(
        &server,
        "ListVirtualMFADevices",
        &iam_answer(
            "ListVirtualMFADevices",
            "<VirtualMFADevices><member><SerialNumber>arn:aws:iam::111122223333:mfa/root-device</SerialNumber></member></VirtualMFADevices><IsTruncated>false</IsTruncated>",
        ),
    )
    .await;
    let accounts = tenet_aws::collect(&config(server.uri()), &())
        .await
        .expect("valid configuration");
    let account = accounts.into_iter().next().expect("one account");
    assert_eq!(
        account.root.hardware_mfa,
        Observed::unavailable(
            "iam:ListVirtualMFADevices listed assigned device arn:aws:iam::111122223333:mfa/root-device without the ARN of its user"
        )
    );
}

/// A mock account with one user, whose credential report is never ready.
async fn report_never_ready() -> MockServer {
    let server = MockServer::start().await;
    action(&server, "GetCallerIdentity", IDENTITY).await;
    action(
        &server,
        "GenerateCredentialReport",
        &iam_answer(
            "GenerateCredentialReport",
            "<State>STARTED</State><Description>No report exists. Starting a new report generation task</Description>",
        ),
    )
    .await;
    action(
        &server,
        "GetAccountAuthorizationDetails",
        &details("<UserDetailList><member><UserName>alice</UserName><Arn>arn:aws:iam::111122223333:user/alice</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate></member></UserDetailList><GroupDetailList/><RoleDetailList/><Policies/><IsTruncated>false</IsTruncated>"),
    )
    .await;
    server
}

/// Why alice's console access is unavailable, collected with `config`.
async fn console_access(config: &AwsConfig) -> Observed<bool> {
    let accounts = tenet_aws::collect(config, &())
        .await
        .expect("valid configuration");
    let account = accounts.into_iter().next().expect("one account");
    let users = account.users.known().cloned().unwrap_or_default();
    assert_eq!(users.len(), 1, "{:?}", account.users);
    users[0].console_access.clone()
}

#[tokio::test]
async fn a_credential_report_that_is_never_ready_is_waited_for_a_bounded_time() {
    let server = report_never_ready().await;
    // The test configuration waits 1 s for the report.
    assert_eq!(
        console_access(&config(server.uri())).await,
        Observed::unavailable("the credential report was not ready after 1s")
    );
    let polls = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|request| {
            String::from_utf8_lossy(&request.body).contains("Action=GenerateCredentialReport&")
        })
        .count();
    assert!(
        (2..=5).contains(&polls),
        "polled with a growing delay: {polls}"
    );
}

#[tokio::test]
async fn the_collections_time_limit_cuts_the_credential_report_wait() {
    let server = report_never_ready().await;
    let mut config = config(server.uri());
    config.timeouts.credential_report = Duration::from_secs(180);
    // The polls (0.2, 0.4, 0.8 s apart) stop well before the time limit cuts
    // the whole account off.
    config.time_limit = Duration::from_secs(3);
    assert_eq!(
        console_access(&config).await,
        Observed::unavailable(
            "the credential report was not ready within the collection's time limit (--timeout)"
        )
    );
}

#[tokio::test]
async fn parts_of_an_account_still_running_at_the_time_limit_are_unavailable() {
    let server = report_never_ready().await;
    let mut config = config(server.uri());
    config.time_limit = Duration::ZERO;
    let accounts = tenet_aws::collect(&config, &())
        .await
        .expect("valid configuration");
    let account = accounts.into_iter().next().expect("one account");
    let reason = "not read within the collection's time limit of 0 s (--timeout)";
    assert_eq!(account.users.map(|_| ()), Observed::unavailable(reason));
    assert_eq!(account.s3_buckets, Observed::unavailable(reason));
    assert_eq!(account.root.mfa_enabled, Observed::unavailable(reason));
}

#[tokio::test]
async fn an_entity_arn_of_another_account_makes_the_entities_unavailable() {
    let account = account(
        &details("<UserDetailList><member><UserName>alice</UserName><Arn>arn:aws:iam::444455556666:user/alice</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate></member></UserDetailList><GroupDetailList/><RoleDetailList/><Policies/><IsTruncated>false</IsTruncated>"),
        &buckets(&format!("<Buckets/>{OWNER}")),
    )
    .await;
    let reason = "iam:GetAccountAuthorizationDetails answered with `arn:aws:iam::444455556666:user/alice` as the Arn of user alice, not an IAM user ARN of account 111122223333";
    assert_eq!(account.users.map(|_| ()), Observed::unavailable(reason));
    assert_eq!(account.roles.map(|_| ()), Observed::unavailable(reason));
}

#[tokio::test]
async fn a_role_arn_that_names_no_role_is_refused_before_any_call() {
    for arn in [
        "arn:aws:iam::111122223333:user/audit",
        "arn:aws:iam::111122223333:role/",
        "arn:aws:sts::111122223333:role/audit",
        "arn:aws-cn:iam::111122223333:role/audit",
    ] {
        let mut config = config("http://127.0.0.1:9".to_owned());
        config.accounts = vec![tenet_aws::AccountTarget {
            role_arn: arn.to_owned(),
            external_id: None,
            name: None,
        }];
        let err = tenet_aws::collect(&config, &())
            .await
            .expect_err("refused")
            .to_string();
        let expected = if arn.starts_with("arn:aws-cn") {
            format!(
                "{arn} is in partition `aws-cn`, the regions in `aws`: collect each partition in a run of its own"
            )
        } else {
            format!("{arn} is not a role ARN: write it as arn:aws:iam::111122223333:role/NAME")
        };
        assert_eq!(err, expected);
    }
}

/// Bucket `data` as collected when S3 answers each of its calls with `body`
/// (only the fact that answer feeds is looked at).
async fn bucket_read_from(body: &str) -> S3Bucket {
    let server = MockServer::start().await;
    action(&server, "GetCallerIdentity", IDENTITY).await;
    Mock::given(method("GET"))
        .and(path("/"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            buckets(&format!(
                "<Buckets><Bucket><Name>data</Name><BucketRegion>us-east-1</BucketRegion></Bucket></Buckets>{OWNER}"
            )),
            "application/xml",
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/data/"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_owned(), "application/xml"))
        .mount(&server)
        .await;
    let accounts = tenet_aws::collect(&config(server.uri()), &())
        .await
        .expect("valid configuration");
    let account = accounts.into_iter().next().expect("one account");
    let buckets = account.s3_buckets.known().cloned().unwrap_or_default();
    assert_eq!(buckets.len(), 1, "{:?}", account.s3_buckets);
    buckets[0].clone()
}

#[tokio::test]
async fn bucket_versioning_is_read_as_s3_answers_it() {
    let cases = [
        // Never enabled: AWS answers an empty configuration.
        (
            r#"<?xml version="1.0" encoding="UTF-8"?><VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>"#,
            false,
        ),
        (
            r#"<?xml version="1.0" encoding="UTF-8"?><VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Suspended</Status></VersioningConfiguration>"#,
            false,
        ),
        (
            r#"<?xml version="1.0" encoding="UTF-8"?><VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>"#,
            true,
        ),
    ];
    for (body, on) in cases {
        assert_eq!(
            bucket_read_from(body).await.versioning,
            Observed::Known(on),
            "{body}"
        );
    }
}

#[tokio::test]
async fn default_encryption_is_read_as_s3_answers_it() {
    const XMLNS: &str = r#"xmlns="http://s3.amazonaws.com/doc/2006-03-01/""#;
    let cases = [
        (
            format!(
                "<ServerSideEncryptionConfiguration {XMLNS}><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>"
            ),
            Observed::Known(Some("aws:kms".to_owned())),
        ),
        (
            format!(
                "<ServerSideEncryptionConfiguration {XMLNS}><Rule><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>"
            ),
            Observed::Known(None),
        ),
        (
            format!("<ServerSideEncryptionConfiguration {XMLNS}/>"),
            Observed::unavailable(
                "s3:GetBucketEncryption answered without ServerSideEncryptionConfiguration or its Rule",
            ),
        ),
        (
            format!(
                "<ServerSideEncryptionConfiguration {XMLNS}><Rule><ApplyServerSideEncryptionByDefault/></Rule></ServerSideEncryptionConfiguration>"
            ),
            Observed::unavailable("s3:GetBucketEncryption answered without SSEAlgorithm"),
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(bucket_read_from(&body).await.encryption, expected, "{body}");
    }
}

#[tokio::test]
async fn server_access_logging_is_read_as_s3_answers_it() {
    const XMLNS: &str = r#"xmlns="http://s3.amazonaws.com/doc/2006-03-01/""#;
    let cases = [
        // Off: AWS answers an empty status.
        (
            format!("<BucketLoggingStatus {XMLNS}/>"),
            Observed::Known(None),
        ),
        (
            format!(
                "<BucketLoggingStatus {XMLNS}><LoggingEnabled><TargetBucket>access-logs</TargetBucket><TargetPrefix>data/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>"
            ),
            Observed::Known(Some("access-logs".to_owned())),
        ),
        (
            format!(
                "<BucketLoggingStatus {XMLNS}><LoggingEnabled><TargetPrefix>data/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>"
            ),
            Observed::unavailable(
                "s3:GetBucketLogging answered LoggingEnabled without its TargetBucket",
            ),
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(
            bucket_read_from(&body).await.access_logging,
            expected,
            "{body}"
        );
    }
}

/// A request whose query has `key` (an S3 sub-resource: `?logging`).
fn query_key(key: &'static str) -> impl Fn(&wiremock::Request) -> bool {
    move |request| request.url.query_pairs().any(|(name, _)| name == key)
}

/// Buckets `data` and `web` log to `logs` (prefixes `data/` and `web/`),
/// whose lifecycle answers `lifecycle` (status and body) once.
async fn log_retentions(lifecycle: (u16, &str)) -> Vec<(String, Observed<Option<u32>>)> {
    const XMLNS: &str = r#"xmlns="http://s3.amazonaws.com/doc/2006-03-01/""#;
    let server = MockServer::start().await;
    action(&server, "GetCallerIdentity", IDENTITY).await;
    Mock::given(method("GET"))
        .and(path("/"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            buckets(&format!(
                "<Buckets><Bucket><Name>data</Name><BucketRegion>us-east-1</BucketRegion></Bucket><Bucket><Name>logs</Name><BucketRegion>us-east-1</BucketRegion></Bucket><Bucket><Name>web</Name><BucketRegion>us-east-1</BucketRegion></Bucket></Buckets>{OWNER}"
            )),
            "application/xml",
        ))
        .mount(&server)
        .await;
    for (bucket, logging) in [
        (
            "data",
            "<LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix>data/</TargetPrefix></LoggingEnabled>",
        ),
        (
            "web",
            "<LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix>web/</TargetPrefix></LoggingEnabled>",
        ),
        ("logs", ""),
    ] {
        Mock::given(method("GET"))
            .and(path(format!("/{bucket}/")))
            .and(query_key("logging"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(
                format!("<BucketLoggingStatus {XMLNS}>{logging}</BucketLoggingStatus>"),
                "application/xml",
            ))
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/logs/"))
        .and(query_key("lifecycle"))
        .respond_with(
            ResponseTemplate::new(lifecycle.0)
                .set_body_raw(lifecycle.1.to_owned(), "application/xml"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let accounts = tenet_aws::collect(&config(server.uri()), &())
        .await
        .expect("valid configuration");
    let account = accounts.into_iter().next().expect("one account");
    account
        .s3_buckets
        .known()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|bucket| (bucket.name, bucket.access_log_retention_days))
        .collect()
}

#[tokio::test]
async fn access_logs_are_kept_as_the_target_buckets_lifecycle_says_read_once() {
    let kept = log_retentions((
        200,
        r#"<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ID>data-logs</ID><Filter><Prefix>data/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule></LifecycleConfiguration>"#,
    ))
    .await;
    assert_eq!(
        kept,
        [
            ("data".to_owned(), Observed::Known(Some(30))),
            ("logs".to_owned(), Observed::Known(None)),
            ("web".to_owned(), Observed::Known(None)),
        ]
    );
    let denied = log_retentions((
        403,
        r#"<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"#,
    ))
    .await;
    let reason = "the lifecycle of the target bucket logs: access denied: needs \
                  s3:GetLifecycleConfiguration";
    assert_eq!(
        denied,
        [
            ("data".to_owned(), Observed::unavailable(reason)),
            ("logs".to_owned(), Observed::Known(None)),
            ("web".to_owned(), Observed::unavailable(reason)),
        ]
    );
}

#[tokio::test]
async fn bucket_tags_are_read_as_s3_answers_them() {
    const XMLNS: &str = r#"xmlns="http://s3.amazonaws.com/doc/2006-03-01/""#;
    let cases = [
        (
            format!(
                "<Tagging {XMLNS}><TagSet><Tag><Key>data</Key><Value>critical</Value></Tag></TagSet></Tagging>"
            ),
            Observed::Known(std::collections::BTreeMap::from([(
                "data".to_owned(),
                "critical".to_owned(),
            )])),
        ),
        // The SDK would read a lost TagSet as no tag.
        (
            format!("<Tagging {XMLNS}/>"),
            Observed::unavailable("s3:GetBucketTagging answered without TagSet"),
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(bucket_read_from(&body).await.tags, expected, "{body}");
    }
}
