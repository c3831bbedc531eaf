//! RDS database instances: storage encryption, public accessibility and
//! automated backups, one list call per region (per 100 instances).

use aws_sdk_rds::Client;
use tenet_inventory::{Observed, aws::DbInstance};

use crate::error::reason;

/// The largest page `DescribeDBInstances` serves.
const PAGE: i32 = 100;

/// The region's database instances, sorted by identifier.
pub(crate) async fn instances(client: &Client) -> Observed<Vec<DbInstance>> {
    const CALL: &str = "rds:DescribeDBInstances";
    let mut pages = client
        .describe_db_instances()
        .max_records(PAGE)
        .into_paginator()
        .send();
    let mut instances = Vec::new();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
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
            });
        }
    }
    instances.sort_by(|a, b| a.id.cmp(&b.id));
    Observed::Known(instances)
}
