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
            )
            .with("recorders", 0),
            (None, Some(recorder)) => {
                let why = if recorder.recording {
                    "records only some resource types"
                } else {
                    "is stopped"
                };
                Outcome::fail(
                    resource,
                    format!(
                        "AWS Config recorder {} of {} {why}",
                        recorder.name, region.name
                    ),
                )
                .with("recorder", recorder.name.clone())
                .with("recording", recorder.recording)
                .with("all_supported", recorder.all_supported)
            }
        });
    })
}
