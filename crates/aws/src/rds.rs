//! RDS databases: instances and DB clusters (storage encryption, public
//! accessibility, automated backups), and the parameter groups that decide
//! whether their connections must use TLS. One list call per region each
//! (per 100 databases), then one call per parameter group in use (per 100
//! parameters).

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_rds::{Client, types::Parameter};
use futures::{StreamExt, stream};
use tenet_inventory::{
    Observed,
    aws::{
        ClusterMember, DbCluster, DbInstance, DbParameter, DbParameterGroup, ParameterGroupStatus,
    },
};

use crate::{error::reason, pages::PageToken};

#[cfg(test)]
mod tests;

/// The largest page the `Describe*` calls of RDS serve.
const PAGE: i32 = 100;

/// Parameter groups read at the same time.
const CONCURRENCY: usize = 4;

/// The parameters that decide whether a database refuses connections
/// without TLS: `rds.force_ssl` (PostgreSQL, SQL Server) and
/// `require_secure_transport` (MySQL, MariaDB).
const TLS_PARAMETERS: [&str; 2] = ["rds.force_ssl", "require_secure_transport"];

/// The RDS facts of one region.
pub(crate) struct Databases {
    /// Instances, sorted by identifier.
    pub instances: Observed<Vec<DbInstance>>,
    /// DB clusters, sorted by identifier.
    pub clusters: Observed<Vec<DbCluster>>,
    /// The DB parameter groups of the instances outside a cluster.
    pub parameter_groups: Observed<Vec<DbParameterGroup>>,
    /// The DB cluster parameter groups of the clusters.
    pub cluster_parameter_groups: Observed<Vec<DbParameterGroup>>,
}

/// Reads the region's databases and the parameter groups they use.
pub(crate) async fn databases(client: &Client) -> Databases {
    let (instances, clusters) = tokio::join!(instances(client), clusters(client));
    let instance_groups = instances.as_ref().map(|instances| {
        instances
            .iter()
            .filter(|instance| instance.cluster == Observed::Known(None))
            .filter_map(|instance| instance.parameter_groups.known())
            .flatten()
            .map(|group| group.name.clone())
            .collect::<BTreeSet<_>>()
    });
    let cluster_groups = clusters.as_ref().map(|clusters| {
        clusters
            .iter()
            .map(|cluster| cluster.parameter_group.clone())
            .collect::<BTreeSet<_>>()
    });
    let (parameter_groups, cluster_parameter_groups) = tokio::join!(
        groups(client, instance_groups, Kind::Instance),
        groups(client, cluster_groups, Kind::Cluster),
    );
    Databases {
        instances,
        clusters,
        parameter_groups,
        cluster_parameter_groups,
    }
}

/// The region's database instances, sorted by identifier.
async fn instances(client: &Client) -> Observed<Vec<DbInstance>> {
    const CALL: &str = "rds:DescribeDBInstances";
    let mut pages = client
        .describe_db_instances()
        .max_records(PAGE)
        .into_paginator()
        .send();
    let mut instances = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        token.saw(page.marker());
        let Some(listed) = &page.db_instances else {
            return Observed::unavailable(format!("{CALL} answered without DBInstances"));
        };
        for instance in listed {
            // Each of these decides a verdict: an instance read without one
            // cannot be judged, and leaving it out would shorten the list.
            let (Some(id), Some(arn), Some(encrypted), Some(public), Some(retention)) = (
                instance
                    .db_instance_identifier()
                    .filter(|id| !id.is_empty()),
                instance.db_instance_arn().filter(|arn| !arn.is_empty()),
                instance.storage_encrypted(),
                instance.publicly_accessible(),
                instance
                    .backup_retention_period()
                    .and_then(|days| u32::try_from(days).ok()),
            ) else {
                return Observed::unavailable(format!(
                    "{CALL} listed an instance without its DBInstanceIdentifier, DBInstanceArn, \
                     StorageEncrypted, PubliclyAccessible or BackupRetentionPeriod"
                ));
            };
            instances.push(DbInstance {
                id: id.to_owned(),
                arn: arn.to_owned(),
                engine: instance.engine().unwrap_or_default().to_owned(),
                storage_encrypted: encrypted,
                publicly_accessible: public,
                backup_retention_days: retention,
                cluster: Observed::Known(
                    instance
                        .db_cluster_identifier()
                        .filter(|cluster| !cluster.is_empty())
                        .map(str::to_owned),
                ),
                parameter_groups: parameter_group_statuses(
                    instance.db_parameter_groups.as_deref(),
                    id,
                ),
            });
        }
    }
    if let Some(cut) = token.cut_short(CALL) {
        return Observed::unavailable(cut);
    }
    instances.sort_by(|a, b| a.id.cmp(&b.id));
    Observed::Known(instances)
}

/// The parameter groups an instance lists; an absent list or a group
/// without its name or status is unavailable, never no group.
fn parameter_group_statuses(
    listed: Option<&[aws_sdk_rds::types::DbParameterGroupStatus]>,
    instance: &str,
) -> Observed<Vec<ParameterGroupStatus>> {
    let Some(listed) = listed else {
        return Observed::unavailable(format!(
            "rds:DescribeDBInstances listed {instance} without its DBParameterGroups"
        ));
    };
    let mut groups = Vec::new();
    for group in listed {
        let (Some(name), Some(status)) = (
            group
                .db_parameter_group_name()
                .filter(|name| !name.is_empty()),
            group
                .parameter_apply_status()
                .filter(|status| !status.is_empty()),
        ) else {
            return Observed::unavailable(format!(
                "rds:DescribeDBInstances listed a parameter group of {instance} without its \
                 DBParameterGroupName or ParameterApplyStatus"
            ));
        };
        groups.push(ParameterGroupStatus {
            name: name.to_owned(),
            apply_status: status.to_owned(),
        });
    }
    Observed::Known(groups)
}

/// The region's DB clusters, sorted by identifier.
async fn clusters(client: &Client) -> Observed<Vec<DbCluster>> {
    const CALL: &str = "rds:DescribeDBClusters";
    let mut pages = client
        .describe_db_clusters()
        .max_records(PAGE)
        .into_paginator()
        .send();
    let mut clusters = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        token.saw(page.marker());
        let Some(listed) = &page.db_clusters else {
            return Observed::unavailable(format!("{CALL} answered without DBClusters"));
        };
        for cluster in listed {
            let (Some(id), Some(arn), Some(encrypted), Some(retention), Some(group), Some(members)) = (
                cluster.db_cluster_identifier().filter(|id| !id.is_empty()),
                cluster.db_cluster_arn().filter(|arn| !arn.is_empty()),
                cluster.storage_encrypted(),
                cluster
                    .backup_retention_period()
                    .and_then(|days| u32::try_from(days).ok()),
                cluster
                    .db_cluster_parameter_group()
                    .filter(|group| !group.is_empty()),
                cluster.db_cluster_members.as_deref(),
            ) else {
                return Observed::unavailable(format!(
                    "{CALL} listed a cluster without its DBClusterIdentifier, DBClusterArn, \
                     StorageEncrypted, BackupRetentionPeriod, DBClusterParameterGroup or \
                     DBClusterMembers"
                ));
            };
            let mut statuses = Vec::new();
            for member in members {
                let (Some(instance), Some(status)) = (
                    member
                        .db_instance_identifier()
                        .filter(|instance| !instance.is_empty()),
                    member
                        .db_cluster_parameter_group_status()
                        .filter(|status| !status.is_empty()),
                ) else {
                    return Observed::unavailable(format!(
                        "{CALL} listed a member of {id} without its DBInstanceIdentifier or \
                         DBClusterParameterGroupStatus"
                    ));
                };
                statuses.push(ClusterMember {
                    instance: instance.to_owned(),
                    parameter_group_status: status.to_owned(),
                });
            }
            statuses.sort_by(|a, b| a.instance.cmp(&b.instance));
            clusters.push(DbCluster {
                id: id.to_owned(),
                arn: arn.to_owned(),
                engine: cluster.engine().unwrap_or_default().to_owned(),
                storage_encrypted: encrypted,
                backup_retention_days: retention,
                parameter_group: group.to_owned(),
                members: statuses,
            });
        }
    }
    if let Some(cut) = token.cut_short(CALL) {
        return Observed::unavailable(cut);
    }
    clusters.sort_by(|a, b| a.id.cmp(&b.id));
    Observed::Known(clusters)
}

/// Which kind of parameter group: they are named in separate namespaces
/// (`default.aurora-postgresql16` is both) and read by separate calls.
#[derive(Clone, Copy)]
enum Kind {
    /// A DB parameter group, of an instance.
    Instance,
    /// A DB cluster parameter group.
    Cluster,
}

/// The named groups with their TLS parameters, sorted by name; unavailable
/// when the databases that use them were not read.
async fn groups(
    client: &Client,
    names: Observed<BTreeSet<String>>,
    kind: Kind,
) -> Observed<Vec<DbParameterGroup>> {
    let names = match names {
        Observed::Known(names) => names,
        Observed::Unavailable { reason } => {
            return Observed::unavailable(format!(
                "the databases that use them were not read: {reason}"
            ));
        }
    };
    Observed::Known(
        stream::iter(names)
            .map(|name| async move {
                let tls_parameters = tls_parameters(client, &name, kind).await;
                DbParameterGroup {
                    name,
                    tls_parameters,
                }
            })
            .buffered(CONCURRENCY)
            .collect()
            .await,
    )
}

/// The TLS parameters of one group, read through every page of its
/// parameters.
async fn tls_parameters(
    client: &Client,
    group: &str,
    kind: Kind,
) -> Observed<BTreeMap<String, DbParameter>> {
    let mut kept = BTreeMap::new();
    match kind {
        Kind::Instance => {
            const CALL: &str = "rds:DescribeDBParameters";
            let mut pages = client
                .describe_db_parameters()
                .db_parameter_group_name(group)
                .max_records(PAGE)
                .into_paginator()
                .send();
            let mut token = PageToken::default();
            while let Some(page) = pages.next().await {
                let page = match page {
                    Ok(page) => page,
                    Err(err) => return Observed::unavailable(reason(CALL, &err)),
                };
                token.saw(page.marker());
                if let Err(missing) = keep(page.parameters.as_deref(), &mut kept) {
                    return Observed::unavailable(format!("{CALL} answered {missing}"));
                }
            }
            if let Some(cut) = token.cut_short(CALL) {
                return Observed::unavailable(cut);
            }
        }
        Kind::Cluster => {
            const CALL: &str = "rds:DescribeDBClusterParameters";
            let mut pages = client
                .describe_db_cluster_parameters()
                .db_cluster_parameter_group_name(group)
                .max_records(PAGE)
                .into_paginator()
                .send();
            let mut token = PageToken::default();
            while let Some(page) = pages.next().await {
                let page = match page {
                    Ok(page) => page,
                    Err(err) => return Observed::unavailable(reason(CALL, &err)),
                };
                token.saw(page.marker());
                if let Err(missing) = keep(page.parameters.as_deref(), &mut kept) {
                    return Observed::unavailable(format!("{CALL} answered {missing}"));
                }
            }
            if let Some(cut) = token.cut_short(CALL) {
                return Observed::unavailable(cut);
            }
        }
    }
    Observed::Known(kept)
}

/// Keeps the TLS parameters of one page; says what the page lacked.
fn keep(
    listed: Option<&[Parameter]>,
    kept: &mut BTreeMap<String, DbParameter>,
) -> Result<(), &'static str> {
    let listed = listed.ok_or("without Parameters")?;
    for parameter in listed {
        let name = parameter
            .parameter_name()
            .filter(|name| !name.is_empty())
            .ok_or("a parameter without its ParameterName")?;
        if TLS_PARAMETERS.contains(&name) {
            kept.insert(
                name.to_owned(),
                DbParameter {
                    value: parameter.parameter_value().map(str::to_owned),
                    apply_type: parameter.apply_type().map(str::to_owned),
                },
            );
        }
    }
    Ok(())
}
