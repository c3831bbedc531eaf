//! Shared walk of RDS database instances.

use tenet_inventory::aws::{AwsAccount, AwsRegion, DbInstance};

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

/// An instance as a report resource, by ARN.
pub(crate) fn instance_resource(instance: &DbInstance) -> Resource {
    Resource::new(instance.arn.clone(), "RDS instance")
}
