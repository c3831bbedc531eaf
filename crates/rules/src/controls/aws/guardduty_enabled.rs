//! `aws.guardduty.enabled`: GuardDuty watches every region read.

use tenet_inventory::Observed;

use crate::{Context, Outcome, Resource, support::each_region};

/// One outcome per region.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_region(cx, |account, region, out| {
        let resource = Resource::new(
            format!("aws:{}:{}:guardduty", account.account_id, region.name),
            "GuardDuty of a region",
        );
        out.push(match &region.guardduty {
            Observed::Unavailable { reason } => {
                Outcome::unavailable(resource, "GuardDuty's detector", reason)
            }
            Observed::Known(None) => Outcome::fail(
                resource,
                format!("{} has no GuardDuty detector", region.name),
            )
            .with("detector", serde_json::Value::Null),
            Observed::Known(Some(detector)) if detector.enabled => Outcome::pass(
                resource,
                format!("GuardDuty detector {} watches {}", detector.id, region.name),
            )
            .with("detector", detector.id.clone())
            .with("status", "ENABLED"),
            Observed::Known(Some(detector)) => Outcome::fail(
                resource,
                format!(
                    "GuardDuty detector {} of {} is suspended",
                    detector.id, region.name
                ),
            )
            .with("detector", detector.id.clone())
            .with("status", "DISABLED"),
        });
    })
}
