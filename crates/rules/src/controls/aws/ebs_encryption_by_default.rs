//! `aws.ebs.encryption-by-default`: every region encrypts new EBS volumes
//! by default.

use tenet_inventory::Observed;

use crate::{Context, Outcome, Resource, support::each_region};

/// One outcome per region.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_region(cx, |account, region, out| {
        let resource = Resource::new(
            format!(
                "aws:{}:{}:ebs-encryption-by-default",
                account.account_id, region.name
            ),
            "EBS settings of a region",
        );
        out.push(match &region.ebs_encryption_by_default {
            Observed::Known(true) => Outcome::pass(
                resource,
                format!("{} encrypts new EBS volumes by default", region.name),
            )
            .with("ebs_encryption_by_default", true),
            Observed::Known(false) => Outcome::fail(
                resource,
                format!(
                    "{} does not encrypt new EBS volumes by default",
                    region.name
                ),
            )
            .with("ebs_encryption_by_default", false),
            Observed::Unavailable { reason } => {
                Outcome::unavailable(resource, "EBS encryption by default", reason)
            }
        });
    })
}
