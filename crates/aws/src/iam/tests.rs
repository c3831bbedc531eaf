//! Error classes of single calls, against `aws-smithy-mocks`: each failure
//! costs exactly its own facts, with a reason naming the permission.

use std::time::Duration;

use aws_sdk_iam::{
    Client,
    config::retry::RetryConfig,
    error::ErrorMetadata,
    operation::{
        generate_credential_report::{
            GenerateCredentialReportError, GenerateCredentialReportOutput,
        },
        get_account_authorization_details::GetAccountAuthorizationDetailsOutput,
        get_account_password_policy::GetAccountPasswordPolicyError,
        get_account_summary::GetAccountSummaryOutput,
        get_credential_report::GetCredentialReportOutput,
        list_virtual_mfa_devices::ListVirtualMfaDevicesOutput,
    },
    primitives::{Blob, DateTime},
    types::{
        ManagedPolicyDetail, PolicyVersion, ReportStateType, RoleDetail, SummaryKeyType, Tag,
        UserDetail,
    },
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use serde_json::{Value, json};
use tenet_inventory::Observed;

use super::{ReportWait, collect};

/// The account the mocked answers are of.
const ACCOUNT: &str = "111122223333";

/// Waits at most `seconds` for the credential report.
fn wait(seconds: u64) -> ReportWait {
    ReportWait {
        max: Duration::from_secs(seconds),
        time_limited: false,
    }
}

const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
const REPORT: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
alice,arn:aws:iam::111122223333:user/alice,2020-01-01T00:00:00+00:00,true,no_information,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
";

fn alice() -> UserDetail {
    UserDetail::builder()
        .user_name("alice")
        .arn(ALICE)
        .create_date(DateTime::from_secs(1_577_836_800))
        .build()
}

/// One user, and every other list present and empty, as AWS answers.
fn details() -> GetAccountAuthorizationDetailsOutput {
    GetAccountAuthorizationDetailsOutput::builder()
        .user_detail_list(alice())
        .set_group_detail_list(Some(vec![]))
        .set_role_detail_list(Some(vec![]))
        .set_policies(Some(vec![]))
        .build()
}

/// Every IAM call answered well, except those `overrides` answer first.
fn client(overrides: Vec<Rule>) -> Client {
    let mut rules = overrides;
    rules.extend([
        mock!(Client::get_account_authorization_details).then_output(details),
        mock!(Client::generate_credential_report).then_output(|| {
            GenerateCredentialReportOutput::builder()
                .state(ReportStateType::Complete)
                .build()
        }),
        mock!(Client::get_credential_report).then_output(|| {
            GetCredentialReportOutput::builder()
                .content(Blob::new(REPORT))
                .build()
        }),
        mock!(Client::get_account_summary).then_output(|| {
            GetAccountSummaryOutput::builder()
                .summary_map(SummaryKeyType::AccountMfaEnabled, 1)
                .summary_map(SummaryKeyType::AccountAccessKeysPresent, 0)
                .build()
        }),
        mock!(Client::list_virtual_mfa_devices).then_output(|| {
            ListVirtualMfaDevicesOutput::builder()
                .set_virtual_mfa_devices(Some(vec![]))
                .build()
                .expect("the device list is set")
        }),
        mock!(Client::get_account_password_policy).then_error(|| {
            GetAccountPasswordPolicyError::generic(
                ErrorMetadata::builder().code("NoSuchEntity").build(),
            )
        }),
    ]);
    // Standard retries: the adaptive mode's client-side rate limiter waits
    // on the mock's frozen test clock. The moto tests run production's
    // adaptive mode.
    mock_client!(aws_sdk_iam, RuleMode::MatchAny, &rules, |config| config
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
        ))
}

#[tokio::test]
async fn everything_answered_gives_every_fact() {
    let facts = collect(&client(vec![]), ACCOUNT, wait(5)).await;
    assert_eq!(facts.root.mfa_enabled, Observed::Known(true));
    assert_eq!(
        facts.root.hardware_mfa,
        Observed::Known(true),
        "no virtual device"
    );
    assert_eq!(facts.root.access_keys_present, Observed::Known(false));
    assert_eq!(
        facts.password_policy,
        Observed::Known(None),
        "no policy is a fact"
    );
    let users = facts.users.known().cloned().unwrap_or_default();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].console_access, Observed::Known(true));
    assert_eq!(users[0].mfa_devices, Observed::Known(vec![]));
    assert_eq!(users[0].access_keys, Observed::Known(vec![]));
}

#[tokio::test]
async fn a_denied_credential_report_costs_only_its_facts() {
    let rule = mock!(Client::generate_credential_report).then_error(|| {
        GenerateCredentialReportError::generic(
            ErrorMetadata::builder()
                .code("AccessDenied")
                .message(
                    "User: arn:aws:sts::111122223333:assumed-role/audit/tenet is not authorized",
                )
                .build(),
        )
    });
    let facts = collect(&client(vec![rule]), ACCOUNT, wait(5)).await;
    fn denied<T>() -> Observed<T> {
        Observed::unavailable("access denied: needs iam:GenerateCredentialReport")
    }
    let users = facts.users.known().cloned().unwrap_or_default();
    assert_eq!(users.len(), 1, "the users themselves are still known");
    assert_eq!(users[0].console_access, denied());
    assert_eq!(users[0].password_last_used, denied());
    assert_eq!(users[0].mfa_devices, denied());
    assert_eq!(users[0].access_keys, denied());
    assert_eq!(facts.root.mfa_enabled, Observed::Known(true));
    assert_eq!(facts.password_policy, Observed::Known(None));
}

#[tokio::test]
async fn throttling_is_retried() {
    let throttled = mock!(Client::get_account_authorization_details)
        .sequence()
        .http_status(400, Some(throttling_body()))
        .times(2)
        .output(details)
        .build();
    let facts = collect(&client(vec![throttled.clone()]), ACCOUNT, wait(5)).await;
    assert_eq!(throttled.num_calls(), 3);
    assert_eq!(facts.users.known().map(Vec::len), Some(1));
}

#[tokio::test]
async fn throttling_past_the_retries_and_server_errors_are_reasons() {
    let throttled = mock!(Client::get_account_authorization_details)
        .sequence()
        .http_status(400, Some(throttling_body()))
        .repeatedly()
        .build();
    let unavailable = mock!(Client::get_account_summary)
        .sequence()
        .http_status(503, None)
        .repeatedly()
        .build();
    let facts = collect(&client(vec![throttled, unavailable]), ACCOUNT, wait(5)).await;
    assert_eq!(
        facts.users,
        Observed::unavailable(
            "iam:GetAccountAuthorizationDetails failed: Throttling: Rate exceeded (still throttled after retries)"
        )
    );
    assert_eq!(facts.groups, facts.users.clone().map(|_| vec![]));
    assert_eq!(
        facts.root.mfa_enabled,
        Observed::unavailable(
            "iam:GetAccountSummary failed: HTTP 503 without an AWS error code (error parsing XML: no root element)"
        )
    );
    assert_eq!(facts.root.hardware_mfa, facts.root.mfa_enabled);
    assert_eq!(facts.password_policy, Observed::Known(None));
}

#[tokio::test]
async fn a_malformed_policy_document_stays_text_and_the_rest_is_read() {
    let malformed = mock!(Client::get_account_authorization_details).then_output(|| {
        GetAccountAuthorizationDetailsOutput::builder()
            .user_detail_list(
                UserDetail::builder()
                    .user_name("alice")
                    .arn(ALICE)
                    .create_date(DateTime::from_secs(1_577_836_800))
                    .attached_managed_policies(
                        aws_sdk_iam::types::AttachedPolicy::builder()
                            .policy_arn("arn:aws:iam::111122223333:policy/broken")
                            .build(),
                    )
                    .build(),
            )
            .set_group_detail_list(Some(vec![]))
            .set_role_detail_list(Some(vec![]))
            .policies(
                ManagedPolicyDetail::builder()
                    .policy_name("broken")
                    .arn("arn:aws:iam::111122223333:policy/broken")
                    .policy_version_list(
                        PolicyVersion::builder()
                            .is_default_version(true)
                            .document("%7B%22Version%22%3A%222012-10-17%22%2C")
                            .build(),
                    )
                    .build(),
            )
            .build()
    });
    let facts = collect(&client(vec![malformed]), ACCOUNT, wait(5)).await;
    let policies = facts.policies.known().cloned().unwrap_or_default();
    assert_eq!(policies.len(), 1);
    assert_eq!(
        policies[0].document,
        Value::String(r#"{"Version":"2012-10-17","#.into())
    );
    assert_eq!(
        facts
            .users
            .known()
            .map(|users| users[0].attached_policies.clone()),
        Some(vec!["arn:aws:iam::111122223333:policy/broken".to_owned()])
    );
    assert_eq!(json!(facts.password_policy), json!({"known": null}));
}

fn throttling_body() -> String {
    String::from(
        "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>1</RequestId></ErrorResponse>",
    )
}

/// The facts of a collection whose authorization details are `answer`.
async fn with_details(
    answer: impl Fn() -> GetAccountAuthorizationDetailsOutput + Send + Sync + 'static,
) -> super::IamFacts {
    let rule = mock!(Client::get_account_authorization_details).then_output(answer);
    collect(&client(vec![rule]), ACCOUNT, wait(5)).await
}

#[tokio::test]
async fn an_answer_that_lost_a_list_or_a_member_is_never_an_empty_account() {
    type Answer = fn() -> GetAccountAuthorizationDetailsOutput;
    let cases: Vec<(&str, Answer, &str)> = vec![
        (
            "empty result element",
            || GetAccountAuthorizationDetailsOutput::builder().build(),
            "iam:GetAccountAuthorizationDetails answered without UserDetailList",
        ),
        (
            "no role list",
            || {
                let mut answer = details();
                answer.role_detail_list = None;
                answer
            },
            "iam:GetAccountAuthorizationDetails answered without RoleDetailList",
        ),
        (
            "a marker without IsTruncated",
            || {
                let mut answer = details();
                answer.marker = Some("next".into());
                answer
            },
            "iam:GetAccountAuthorizationDetails answered with a Marker but without IsTruncated: the listing may be cut short",
        ),
        (
            "a user without a name",
            || {
                let mut answer = details();
                answer.user_detail_list = Some(vec![
                    UserDetail::builder()
                        .arn(ALICE)
                        .create_date(DateTime::from_secs(1_577_836_800))
                        .build(),
                ]);
                answer
            },
            "iam:GetAccountAuthorizationDetails answered without a user's UserName",
        ),
        (
            "an attached policy without its ARN",
            || {
                let mut answer = details();
                let mut user = alice();
                user.attached_managed_policies = Some(vec![
                    aws_sdk_iam::types::AttachedPolicy::builder()
                        .policy_name("AdministratorAccess")
                        .build(),
                ]);
                answer.user_detail_list = Some(vec![user]);
                answer
            },
            "iam:GetAccountAuthorizationDetails answered without the PolicyArn of a policy attached to alice",
        ),
    ];
    for (case, answer, reason) in cases {
        let facts = with_details(answer).await;
        for (list, fact) in [
            ("users", facts.users.clone().map(|_| ())),
            ("groups", facts.groups.clone().map(|_| ())),
            ("roles", facts.roles.clone().map(|_| ())),
            ("policies", facts.policies.clone().map(|_| ())),
        ] {
            assert_eq!(fact, Observed::unavailable(reason), "{case}: {list}");
        }
    }
}

#[tokio::test]
async fn lists_that_disagree_with_the_account_summary_or_the_credential_report_are_unavailable() {
    let counted = mock!(Client::get_account_summary).then_output(|| {
        GetAccountSummaryOutput::builder()
            .summary_map(SummaryKeyType::AccountMfaEnabled, 1)
            .summary_map(SummaryKeyType::AccountAccessKeysPresent, 0)
            .summary_map(SummaryKeyType::Users, 5)
            .summary_map(SummaryKeyType::Groups, 0)
            .summary_map(SummaryKeyType::Roles, 2)
            .build()
    });
    let facts = collect(&client(vec![counted]), ACCOUNT, wait(5)).await;
    assert_eq!(
        facts.users.map(|_| ()),
        Observed::unavailable(
            "iam:GetAccountSummary counts 5 users and iam:GetAccountAuthorizationDetails listed 1: \
             the list may be incomplete (the summary can lag a few minutes behind changes; collect again)"
        )
    );
    assert_eq!(facts.groups, Observed::Known(vec![]), "the counts agree");
    assert!(
        matches!(&facts.roles, Observed::Unavailable { reason } if reason.starts_with("iam:GetAccountSummary counts 2 roles and iam:GetAccountAuthorizationDetails listed 0")),
        "{:?}",
        facts.roles
    );

    let report = format!(
        "{REPORT}bob,arn:aws:iam::111122223333:user/bob,2020-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
    );
    let listed = mock!(Client::get_credential_report).then_output(move || {
        GetCredentialReportOutput::builder()
            .content(Blob::new(report.clone()))
            .build()
    });
    let facts = collect(&client(vec![listed.clone()]), ACCOUNT, wait(5)).await;
    assert_eq!(
        facts.users.map(|_| ()),
        Observed::unavailable(
            "the credential report lists users iam:GetAccountAuthorizationDetails did not: \
             arn:aws:iam::111122223333:user/bob (a user deleted since the report was generated, \
             at most 4 hours ago, also shows here; collect again)"
        )
    );

    // With the account's count agreeing with the listing, bob was deleted
    // since the report was generated: the listing is whole.
    let agreeing = mock!(Client::get_account_summary).then_output(|| {
        GetAccountSummaryOutput::builder()
            .summary_map(SummaryKeyType::AccountMfaEnabled, 1)
            .summary_map(SummaryKeyType::AccountAccessKeysPresent, 0)
            .summary_map(SummaryKeyType::Users, 1)
            .build()
    });
    let facts = collect(&client(vec![listed, agreeing]), ACCOUNT, wait(5)).await;
    let users = facts.users.known().cloned().unwrap_or_default();
    let names: Vec<&str> = users.iter().map(|user| user.name.as_str()).collect();
    assert_eq!(names, ["alice"]);
}

#[tokio::test]
async fn a_credential_report_answer_without_state_is_not_polled_again() {
    let stateless = mock!(Client::generate_credential_report)
        .then_output(|| GenerateCredentialReportOutput::builder().build());
    let facts = collect(&client(vec![stateless.clone()]), ACCOUNT, wait(30)).await;
    assert_eq!(stateless.num_calls(), 1);
    let users = facts.users.known().cloned().unwrap_or_default();
    assert_eq!(
        users[0].console_access,
        Observed::unavailable("iam:GenerateCredentialReport answered without State")
    );
}

#[tokio::test(start_paused = true)]
async fn a_credential_report_that_is_never_ready_is_polled_a_bounded_number_of_times() {
    let started = mock!(Client::generate_credential_report).then_output(|| {
        GenerateCredentialReportOutput::builder()
            .state(ReportStateType::Started)
            .build()
    });
    // The clock is paused: the 180 s of polling pass at once.
    let facts = collect(&client(vec![started.clone()]), ACCOUNT, wait(180)).await;
    let users = facts.users.known().cloned().unwrap_or_default();
    assert_eq!(
        users[0].console_access,
        Observed::unavailable("the credential report was not ready after 180s")
    );
    // 0.2, 0.4, … 5 s apart: a handful of polls, then one every 5 s.
    let polls = started.num_calls();
    assert!((30..=45).contains(&polls), "{polls} polls");
}

#[tokio::test]
async fn a_role_without_its_tags_list_has_unavailable_tags() {
    let role = |name: &str, tags: Option<Vec<Tag>>| {
        RoleDetail::builder()
            .role_name(name)
            .arn(format!("arn:aws:iam::111122223333:role/{name}"))
            .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[]}"#)
            .set_instance_profile_list(Some(vec![]))
            .set_tags(tags)
            .build()
    };
    let tag = Tag::builder()
        .key("Environment")
        .value("production")
        .build()
        .expect("key and value");
    let roles = vec![
        role("deploy", Some(vec![tag])),
        role("untagged", Some(vec![])),
        role("lost", None),
    ];
    let rule = mock!(Client::get_account_authorization_details).then_output(move || {
        GetAccountAuthorizationDetailsOutput::builder()
            .user_detail_list(alice())
            .set_group_detail_list(Some(vec![]))
            .set_role_detail_list(Some(roles.clone()))
            .set_policies(Some(vec![]))
            .build()
    });
    let facts = collect(&client(vec![rule]), ACCOUNT, wait(5)).await;
    let tags: Vec<(String, Value)> = facts
        .roles
        .known()
        .into_iter()
        .flatten()
        .map(|role| (role.name.clone(), json!(role.tags)))
        .collect();
    assert_eq!(
        tags,
        [
            (
                "deploy".to_owned(),
                json!({"known": {"Environment": "production"}})
            ),
            (
                "lost".to_owned(),
                json!({"unavailable": {"reason": "iam:GetAccountAuthorizationDetails answered without the Tags of role lost"}})
            ),
            ("untagged".to_owned(), json!({"known": {}})),
        ],
        "roles in name order"
    );
}
