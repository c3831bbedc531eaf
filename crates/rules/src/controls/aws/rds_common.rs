//! Shared walks of RDS databases: every instance, or every database judged
//! on its own (an instance outside a cluster, or a DB cluster).

use tenet_inventory::{
    Observed,
    aws::{AwsAccount, AwsRegion, DbCluster, DbInstance},
};

use crate::{
    Context, Outcome, Resource,
    support::{each_region, known},
};

/// Runs `check` for every database instance of every region read.
pub(crate) fn each_db_instance(
    cx: &Context<'_>,
    mut check: impl FnMut(&AwsAccount, &AwsRegion, &DbInstance, &mut Vec<Outcome>),
) -> Vec<Outcome> {
    each_region(cx, |account, region, out| {
        let Some(instances) = known(
            &region.db_instances,
            out,
            || Resource::aws_account(&account.account_id),
            &format!("the RDS instances of {}", region.name),
        ) else {
            return;
        };
        for instance in instances {
            check(account, region, instance, out);
        }
    })
}

/// A database whose storage, backups and TLS settings are its own.
#[derive(Clone, Copy)]
pub(crate) enum Database<'a> {
    /// An instance outside a cluster.
    Instance(&'a DbInstance),
    /// A DB cluster, for itself and its member instances.
    Cluster(&'a DbCluster),
}

impl Database<'_> {
    /// The instance or cluster identifier.
    pub(crate) fn id(&self) -> &str {
        match self {
            Database::Instance(instance) => &instance.id,
            Database::Cluster(cluster) => &cluster.id,
        }
    }

    /// The engine, `postgres`, `aurora-mysql`, …
    pub(crate) fn engine(&self) -> &str {
        match self {
            Database::Instance(instance) => &instance.engine,
            Database::Cluster(cluster) => &cluster.engine,
        }
    }

    /// The storage is encrypted at rest.
    pub(crate) fn storage_encrypted(&self) -> bool {
        match self {
            Database::Instance(instance) => instance.storage_encrypted,
            Database::Cluster(cluster) => cluster.storage_encrypted,
        }
    }

    /// Days automated backups are kept.
    pub(crate) fn backup_retention_days(&self) -> u32 {
        match self {
            Database::Instance(instance) => instance.backup_retention_days,
            Database::Cluster(cluster) => cluster.backup_retention_days,
        }
    }

    /// The database as a report resource, by ARN.
    pub(crate) fn resource(&self) -> Resource {
        match self {
            Database::Instance(instance) => instance_resource(instance),
            Database::Cluster(cluster) => Resource::new(cluster.arn.clone(), "RDS cluster"),
        }
    }
}

/// Runs `check` for every database of every region judged on its own: each
/// DB cluster, and each instance outside a cluster. A member of a cluster
/// the region's list lacks, or an instance not known to be outside a
/// cluster, is an error of its own, never skipped or judged alone.
pub(crate) fn each_database(
    cx: &Context<'_>,
    mut check: impl FnMut(&AwsRegion, Database<'_>, &mut Vec<Outcome>),
) -> Vec<Outcome> {
    each_region(cx, |account, region, out| {
        let account_resource = || Resource::aws_account(&account.account_id);
        let clusters = known(
            &region.db_clusters,
            out,
            account_resource,
            &format!("the RDS clusters of {}", region.name),
        );
        if let Some(clusters) = clusters {
            for cluster in clusters {
                check(region, Database::Cluster(cluster), out);
            }
        }
        let Some(instances) = known(
            &region.db_instances,
            out,
            account_resource,
            &format!("the RDS instances of {}", region.name),
        ) else {
            return;
        };
        for instance in instances {
            match (&instance.cluster, clusters) {
                (Observed::Known(Some(_)), None) => {}
                (Observed::Known(Some(member_of)), Some(clusters)) => {
                    if !clusters.iter().any(|cluster| &cluster.id == member_of) {
                        out.push(Outcome::unavailable(
                            instance_resource(instance),
                            &format!("the settings of {}", instance.id),
                            &format!(
                                "it is a member of the cluster {member_of}, which \
                                 rds:DescribeDBClusters did not list"
                            ),
                        ));
                    }
                }
                (Observed::Known(None), _) => check(region, Database::Instance(instance), out),
                (Observed::Unavailable { reason }, _) => out.push(Outcome::unavailable(
                    instance_resource(instance),
                    &format!("whether {} belongs to a cluster", instance.id),
                    reason,
                )),
            }
        }
    })
}

/// An instance as a report resource, by ARN.
pub(crate) fn instance_resource(instance: &DbInstance) -> Resource {
    Resource::new(instance.arn.clone(), "RDS instance")
}
