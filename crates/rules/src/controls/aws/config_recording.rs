//! `aws.config.recording`: AWS Config records every resource type of every
//! region read.

use tenet_inventory::Observed;

use crate::{Context, Outcome, Resource, support::each_region};

/// One outcome per region.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_region(cx, |account, region, out| {
        let resource = Resource::new(
            format!("aws:{}:{}:config", account.account_id, region.name),
            "AWS Config of a region",
        );
        let recorders = match &region.config_recorders {
            Observed::Unavailable { reason } => {
                out.push(Outcome::unavailable(
                    resource,
                    "AWS Config's recorders",
                    reason,
                ));
                return;
            }
            Observed::Known(recorders) => recorders,
        };
        let whole = recorders
            .iter()
            .find(|recorder| recorder.recording && recorder.all_supported);
        out.push(match (whole, recorders.first()) {
            (Some(recorder), _) => Outcome::pass(
                resource,
                format!(
                    "recorder {} records every resource type of {}",
                    recorder.name, region.name
                ),
            )
            .with(
                "include_global_resource_types",
                recorder.include_global_resource_types,
            ),
            (None, None) => Outcome::fail(
                resource,
                format!("{} has no AWS Config recorder", region.name),
            ),
            (None, Some(recorder)) if !recorder.recording => Outcome::fail(
                resource,
                format!(
                    "AWS Config recorder {} of {} is stopped",
                    recorder.name, region.name
                ),
            ),
            (None, Some(recorder)) => Outcome::fail(
                resource,
                format!(
                    "AWS Config recorder {} of {} records only some resource types",
                    recorder.name, region.name
                ),
            ),
        });
    })
}
