//! `aws.securityhub.enabled`: Security Hub is enabled in every region read.

use tenet_inventory::Observed;

use crate::{Context, Outcome, Resource, support::each_region};

/// One outcome per region.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_region(cx, |account, region, out| {
        let resource = Resource::new(
            format!("aws:{}:{}:securityhub", account.account_id, region.name),
            "Security Hub of a region",
        );
        out.push(match &region.security_hub_enabled {
            Observed::Unavailable { reason } => {
                Outcome::unavailable(resource, "Security Hub's status", reason)
            }
            Observed::Known(true) => Outcome::pass(
                resource,
                format!("Security Hub is enabled in {}", region.name),
            )
            .with("security_hub_enabled", true),
            Observed::Known(false) => Outcome::fail(
                resource,
                format!(
                    "Security Hub is not enabled in {}: the account is not subscribed there",
                    region.name
                ),
            )
            .with("security_hub_enabled", false),
        });
    })
}
