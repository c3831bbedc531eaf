//! RDS collection against `aws-smithy-mocks`: instances, clusters and the
//! TLS parameters of their groups read into exact facts, every page of a
//! group read, and an answer that lost a list unavailable, never empty.

use std::{collections::BTreeMap, time::Duration};

use aws_sdk_rds::{
    config::retry::RetryConfig,
    error::ErrorMetadata,
    operation::{
        describe_db_cluster_parameters::DescribeDbClusterParametersOutput,
        describe_db_clusters::DescribeDbClustersOutput,
        describe_db_instances::DescribeDbInstancesOutput,
        describe_db_parameters::DescribeDbParametersOutput,
    },
    types::{
        DbCluster as SdkCluster, DbClusterMember, DbInstance as SdkInstance,
        DbParameterGroupStatus, Parameter,
    },
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};

use super::*;

const ARN: &str = "arn:aws:rds:us-east-1:111122223333";

fn instance(id: &str, cluster: Option<&str>, group: &str) -> SdkInstance {
    let builder = SdkInstance::builder()
        .db_instance_identifier(id)
        .db_instance_arn(format!("{ARN}:db:{id}"))
        .engine(if cluster.is_some() {
            "aurora-postgresql"
        } else {
            "postgres"
        })
        .storage_encrypted(true)
        .publicly_accessible(false)
        .backup_retention_period(7)
        .db_parameter_groups(
            DbParameterGroupStatus::builder()
                .db_parameter_group_name(group)
                .parameter_apply_status("in-sync")
                .build(),
        );
    match cluster {
        Some(cluster) => builder.db_cluster_identifier(cluster),
        None => builder,
    }
    .build()
}

/// `reports` on its own with `pg-tls`, `orders-1` in the `orders` cluster.
fn instances() -> DescribeDbInstancesOutput {
    DescribeDbInstancesOutput::builder()
        .db_instances(instance("reports", None, "pg-tls"))
        .db_instances(instance(
            "orders-1",
            Some("orders"),
            "default.aurora-postgresql16",
        ))
        .build()
}

fn cluster() -> SdkCluster {
    SdkCluster::builder()
        .db_cluster_identifier("orders")
        .db_cluster_arn(format!("{ARN}:cluster:orders"))
        .engine("aurora-postgresql")
        .storage_encrypted(false)
        .backup_retention_period(1)
        .db_cluster_parameter_group("aurora-tls")
        .db_cluster_members(
            DbClusterMember::builder()
                .db_instance_identifier("orders-1")
                .db_cluster_parameter_group_status("pending-reboot")
                .build(),
        )
        .build()
}

fn parameter(name: &str, value: Option<&str>) -> Parameter {
    let builder = Parameter::builder()
        .parameter_name(name)
        .apply_type("dynamic");
    match value {
        Some(value) => builder.parameter_value(value),
        None => builder,
    }
    .build()
}

fn denied(action: &str) -> ErrorMetadata {
    ErrorMetadata::builder()
        .code("AccessDenied")
        .message(format!(
            "User: arn:aws:sts::111122223333:assumed-role/audit/tenet is not authorized to perform: {action}"
        ))
        .build()
}

/// Every call answered, except what `overrides` answer first: `pg-tls`
/// lists `rds.force_ssl` on its second page, `aurora-tls` lists
/// `require_secure_transport` without a value.
fn client(overrides: Vec<Rule>) -> Client {
    let mut rules = overrides;
    rules.extend([
        mock!(Client::describe_db_instances).then_output(instances),
        mock!(Client::describe_db_clusters).then_output(|| {
            DescribeDbClustersOutput::builder()
                .db_clusters(cluster())
                .build()
        }),
        mock!(Client::describe_db_parameters)
            .match_requests(|input| {
                input.db_parameter_group_name() == Some("pg-tls") && input.marker().is_none()
            })
            .then_output(|| {
                DescribeDbParametersOutput::builder()
                    .parameters(parameter("max_connections", Some("100")))
                    .marker("page-2")
                    .build()
            }),
        mock!(Client::describe_db_parameters)
            .match_requests(|input| {
                input.db_parameter_group_name() == Some("pg-tls")
                    && input.marker() == Some("page-2")
            })
            .then_output(|| {
                DescribeDbParametersOutput::builder()
                    .parameters(parameter("rds.force_ssl", Some("1")))
                    .build()
            }),
        mock!(Client::describe_db_cluster_parameters)
            .match_requests(|input| input.db_cluster_parameter_group_name() == Some("aurora-tls"))
            .then_output(|| {
                DescribeDbClusterParametersOutput::builder()
                    .parameters(parameter("require_secure_transport", None))
                    .parameters(parameter("rds.force_ssl", Some("0")))
                    .build()
            }),
    ]);
    mock_client!(aws_sdk_rds, RuleMode::MatchAny, &rules, |config| config
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1))
        ))
}

fn in_sync(name: &str) -> ParameterGroupStatus {
    ParameterGroupStatus {
        name: name.to_owned(),
        apply_status: "in-sync".to_owned(),
    }
}

fn dynamic(value: Option<&str>) -> DbParameter {
    DbParameter {
        value: value.map(str::to_owned),
        apply_type: Some("dynamic".to_owned()),
    }
}

#[tokio::test]
async fn databases_and_the_tls_parameters_of_their_groups_are_read_exactly() {
    let databases = databases(&client(vec![])).await;
    assert_eq!(
        databases.instances,
        Observed::Known(vec![
            DbInstance {
                id: "orders-1".into(),
                arn: format!("{ARN}:db:orders-1"),
                engine: "aurora-postgresql".into(),
                storage_encrypted: true,
                publicly_accessible: false,
                backup_retention_days: 7,
                cluster: Observed::Known(Some("orders".into())),
                parameter_groups: Observed::Known(vec![in_sync("default.aurora-postgresql16")]),
            },
            DbInstance {
                id: "reports".into(),
                arn: format!("{ARN}:db:reports"),
                engine: "postgres".into(),
                storage_encrypted: true,
                publicly_accessible: false,
                backup_retention_days: 7,
                cluster: Observed::Known(None),
                parameter_groups: Observed::Known(vec![in_sync("pg-tls")]),
            },
        ])
    );
    assert_eq!(
        databases.clusters,
        Observed::Known(vec![DbCluster {
            id: "orders".into(),
            arn: format!("{ARN}:cluster:orders"),
            engine: "aurora-postgresql".into(),
            storage_encrypted: false,
            backup_retention_days: 1,
            parameter_group: "aurora-tls".into(),
            members: vec![ClusterMember {
                instance: "orders-1".into(),
                parameter_group_status: "pending-reboot".into(),
            }],
        }])
    );
    // Only the group of the instance on its own is read: the cluster
    // member's TLS settings are its cluster's.
    assert_eq!(
        databases.parameter_groups,
        Observed::Known(vec![DbParameterGroup {
            name: "pg-tls".into(),
            tls_parameters: Observed::Known(BTreeMap::from([(
                "rds.force_ssl".to_owned(),
                dynamic(Some("1"))
            )])),
        }])
    );
    assert_eq!(
        databases.cluster_parameter_groups,
        Observed::Known(vec![DbParameterGroup {
            name: "aurora-tls".into(),
            tls_parameters: Observed::Known(BTreeMap::from([
                ("rds.force_ssl".to_owned(), dynamic(Some("0"))),
                ("require_secure_transport".to_owned(), dynamic(None)),
            ])),
        }])
    );
}

#[tokio::test]
async fn a_denied_group_costs_only_that_group() {
    let rule = mock!(Client::describe_db_cluster_parameters)
        .then_error(|| aws_sdk_rds::operation::describe_db_cluster_parameters::DescribeDBClusterParametersError::generic(denied("rds:DescribeDBClusterParameters")));
    let databases = databases(&client(vec![rule])).await;
    assert!(databases.parameter_groups.known().is_some());
    assert_eq!(
        databases.cluster_parameter_groups,
        Observed::Known(vec![DbParameterGroup {
            name: "aurora-tls".into(),
            tls_parameters: Observed::unavailable(
                "access denied: needs rds:DescribeDBClusterParameters"
            ),
        }])
    );
}

#[tokio::test]
async fn groups_of_databases_not_read_are_unavailable_never_none() {
    let rule = mock!(Client::describe_db_instances).then_error(|| {
        aws_sdk_rds::operation::describe_db_instances::DescribeDBInstancesError::generic(denied(
            "rds:DescribeDBInstances",
        ))
    });
    let databases = databases(&client(vec![rule])).await;
    let reason = "access denied: needs rds:DescribeDBInstances";
    assert_eq!(databases.instances, Observed::unavailable(reason));
    assert_eq!(
        databases.parameter_groups,
        Observed::unavailable(format!(
            "the databases that use them were not read: {reason}"
        ))
    );
    assert!(databases.clusters.known().is_some());
}

#[tokio::test]
async fn an_answer_that_lost_a_list_is_unavailable_never_empty() {
    let cases: Vec<(Rule, &str)> = vec![
        (
            mock!(Client::describe_db_clusters)
                .then_output(|| DescribeDbClustersOutput::builder().build()),
            "rds:DescribeDBClusters answered without DBClusters",
        ),
        (
            mock!(Client::describe_db_clusters).then_output(|| {
                let mut cluster = cluster();
                cluster.db_cluster_members = None;
                DescribeDbClustersOutput::builder()
                    .db_clusters(cluster)
                    .build()
            }),
            "rds:DescribeDBClusters listed a cluster without its DBClusterIdentifier, \
             DBClusterArn, StorageEncrypted, BackupRetentionPeriod, DBClusterParameterGroup or \
             DBClusterMembers",
        ),
    ];
    for (rule, reason) in cases {
        let databases = databases(&client(vec![rule])).await;
        assert_eq!(databases.clusters, Observed::unavailable(reason));
        assert_eq!(
            databases.cluster_parameter_groups,
            Observed::unavailable(format!(
                "the databases that use them were not read: {reason}"
            ))
        );
    }

    let lost_groups = mock!(Client::describe_db_instances).then_output(|| {
        let mut reports = instance("reports", None, "pg-tls");
        reports.db_parameter_groups = None;
        DescribeDbInstancesOutput::builder()
            .db_instances(reports)
            .build()
    });
    let read = databases(&client(vec![lost_groups])).await;
    let instances = read.instances.known().expect("instances read");
    assert_eq!(
        instances[0].parameter_groups,
        Observed::unavailable(
            "rds:DescribeDBInstances listed reports without its DBParameterGroups"
        )
    );
    assert_eq!(read.parameter_groups, Observed::Known(vec![]));

    let lost_parameters = mock!(Client::describe_db_parameters).then_output(|| {
        DescribeDbParametersOutput::builder()
            .marker("page-2")
            .build()
    });
    let read = databases(&client(vec![lost_parameters])).await;
    assert_eq!(
        read.parameter_groups,
        Observed::Known(vec![DbParameterGroup {
            name: "pg-tls".into(),
            tls_parameters: Observed::unavailable(
                "rds:DescribeDBParameters answered without Parameters"
            ),
        }])
    );
}

#[tokio::test]
async fn a_repeated_page_token_cuts_the_list_short_never_ends_it() {
    // The second page answers the token it was sent: the SDK's paginator
    // stops there, without an error.
    let first = mock!(Client::describe_db_instances)
        .match_requests(|input| input.marker().is_none())
        .then_output(|| {
            DescribeDbInstancesOutput::builder()
                .db_instances(instance("reports", None, "pg-tls"))
                .marker("page-2")
                .build()
        });
    let repeated = mock!(Client::describe_db_instances)
        .match_requests(|input| input.marker() == Some("page-2"))
        .then_output(|| {
            DescribeDbInstancesOutput::builder()
                .db_instances(instance("billing", None, "pg-tls"))
                .marker("page-2")
                .build()
        });
    let read = databases(&client(vec![first, repeated])).await;
    assert_eq!(
        read.instances,
        Observed::unavailable(
            "rds:DescribeDBInstances answered a page token it had already been sent, so the \
             pages after it were not read"
        )
    );
}
