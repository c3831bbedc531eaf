//! AWS Backup collection against `aws-smithy-mocks`: plans, rules and
//! selections read into exact facts; a denied or lost part costs only what
//! it feeds, and is unavailable, never empty.

use std::time::Duration;

use aws_sdk_backup::{
    config::retry::RetryConfig,
    error::ErrorMetadata,
    operation::{
        describe_region_settings::{DescribeRegionSettingsError, DescribeRegionSettingsOutput},
        get_backup_plan::GetBackupPlanOutput,
        get_backup_selection::{GetBackupSelectionError, GetBackupSelectionOutput},
        list_backup_plans::ListBackupPlansOutput,
        list_backup_selections::ListBackupSelectionsOutput,
    },
    types::{
        BackupPlan as SdkPlan, BackupPlansListMember, BackupRule as SdkRule,
        BackupSelection as SdkSelection, BackupSelectionsListMember, Condition, ConditionType,
        Conditions, Lifecycle,
    },
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};

use super::*;

fn plan_listed(id: &str, name: &str) -> BackupPlansListMember {
    BackupPlansListMember::builder()
        .backup_plan_id(id)
        .backup_plan_name(name)
        .build()
}

fn rule(name: &str, days: Option<i64>) -> SdkRule {
    let builder = SdkRule::builder()
        .rule_name(name)
        .target_backup_vault_name("Default");
    match days {
        Some(days) => builder.lifecycle(Lifecycle::builder().delete_after_days(days).build()),
        None => builder,
    }
    .build()
    .expect("rule")
}

fn denied(action: &str) -> ErrorMetadata {
    ErrorMetadata::builder()
        .code("AccessDeniedException")
        .message(format!("not authorized to perform: {action}"))
        .build()
}

/// One plan, `critical` (id `p1`): a daily rule kept 35 days and a monthly
/// one kept forever, and one selection by tag `backup=critical`.
fn client(overrides: Vec<Rule>) -> Client {
    let mut rules = overrides;
    rules.extend([
        mock!(Client::list_backup_plans).then_output(|| {
            ListBackupPlansOutput::builder()
                .backup_plans_list(plan_listed("p1", "critical"))
                .build()
        }),
        mock!(Client::get_backup_plan).then_output(|| {
            GetBackupPlanOutput::builder()
                .backup_plan(
                    SdkPlan::builder()
                        .backup_plan_name("critical")
                        .rules(rule("monthly", None))
                        .rules(rule("daily", Some(35)))
                        .build()
                        .expect("plan"),
                )
                .build()
        }),
        mock!(Client::list_backup_selections).then_output(|| {
            ListBackupSelectionsOutput::builder()
                .backup_selections_list(
                    BackupSelectionsListMember::builder()
                        .selection_id("s1")
                        .selection_name("tagged")
                        .build(),
                )
                .build()
        }),
        mock!(Client::get_backup_selection).then_output(|| {
            GetBackupSelectionOutput::builder()
                .backup_selection(
                    SdkSelection::builder()
                        .selection_name("tagged")
                        .iam_role_arn("arn:aws:iam::111122223333:role/backup")
                        .resources("*")
                        .list_of_tags(
                            Condition::builder()
                                .condition_type(ConditionType::Stringequals)
                                .condition_key("backup")
                                .condition_value("critical")
                                .build()
                                .expect("tag"),
                        )
                        .conditions(
                            Conditions::builder()
                                .string_not_equals(
                                    aws_sdk_backup::types::ConditionParameter::builder()
                                        .condition_key("aws:ResourceTag/stage")
                                        .condition_value("test")
                                        .build(),
                                )
                                .build(),
                        )
                        .build()
                        .expect("selection"),
                )
                .build()
        }),
        mock!(Client::describe_region_settings).then_output(|| {
            DescribeRegionSettingsOutput::builder()
                .resource_type_opt_in_preference("EBS", true)
                .resource_type_opt_in_preference("RDS", false)
                .build()
        }),
    ]);
    mock_client!(aws_sdk_backup, RuleMode::MatchAny, &rules, |config| config
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
        ))
}

#[tokio::test]
async fn plans_rules_and_selections_are_read_exactly() {
    let client = client(vec![]);
    assert_eq!(
        plans(&client).await,
        Observed::Known(vec![BackupPlan {
            id: "p1".into(),
            name: "critical".into(),
            rules: Observed::Known(vec![
                BackupRule {
                    name: "daily".into(),
                    delete_after_days: Some(35),
                },
                BackupRule {
                    name: "monthly".into(),
                    delete_after_days: None,
                },
            ]),
            selections: Observed::Known(vec![BackupSelection {
                id: "s1".into(),
                name: "tagged".into(),
                resources: vec!["*".into()],
                not_resources: vec![],
                list_of_tags: vec![TagCondition {
                    operator: "STRINGEQUALS".into(),
                    key: "backup".into(),
                    value: "critical".into(),
                }],
                conditions: vec![TagCondition {
                    operator: "StringNotEquals".into(),
                    key: "aws:ResourceTag/stage".into(),
                    value: "test".into(),
                }],
            }]),
        }])
    );
    assert_eq!(
        opt_in(&client).await,
        Observed::Known(BTreeMap::from([
            ("EBS".to_owned(), true),
            ("RDS".to_owned(), false)
        ]))
    );
}

#[tokio::test]
async fn a_denied_or_lost_part_is_unavailable_never_empty() {
    let selection_denied = mock!(Client::get_backup_selection)
        .then_error(|| GetBackupSelectionError::generic(denied("backup:GetBackupSelection")));
    let read = plans(&client(vec![selection_denied])).await;
    let plan = &read.known().expect("plans listed")[0];
    assert_eq!(
        plan.selections,
        Observed::unavailable("access denied: needs backup:GetBackupSelection")
    );
    assert!(plan.rules.known().is_some(), "the rules are still read");

    let lost_list =
        mock!(Client::list_backup_plans).then_output(|| ListBackupPlansOutput::builder().build());
    assert_eq!(
        plans(&client(vec![lost_list])).await,
        Observed::unavailable("backup:ListBackupPlans answered without BackupPlansList")
    );

    let lost_selections = mock!(Client::list_backup_selections)
        .then_output(|| ListBackupSelectionsOutput::builder().build());
    let read = plans(&client(vec![lost_selections])).await;
    assert_eq!(
        read.known().expect("plans listed")[0].selections,
        Observed::unavailable("backup:ListBackupSelections answered without BackupSelectionsList")
    );

    let settings_denied = mock!(Client::describe_region_settings).then_error(|| {
        DescribeRegionSettingsError::generic(denied("backup:DescribeRegionSettings"))
    });
    assert_eq!(
        opt_in(&client(vec![settings_denied])).await,
        Observed::unavailable("access denied: needs backup:DescribeRegionSettings")
    );
    let settings_lost = mock!(Client::describe_region_settings)
        .then_output(|| DescribeRegionSettingsOutput::builder().build());
    assert_eq!(
        opt_in(&client(vec![settings_lost])).await,
        Observed::unavailable(
            "backup:DescribeRegionSettings answered without ResourceTypeOptInPreference"
        )
    );
}
