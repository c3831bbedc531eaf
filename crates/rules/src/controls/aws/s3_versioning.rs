//! `aws.s3.versioning`: the buckets the policy calls critical (the `buckets`
//! name globs) keep object versions, so an overwritten or deleted object can
//! be restored.

use tenet_inventory::Observed;

use super::s3_common::{BucketSelection, each_selected_bucket};
use crate::{Context, Outcome, support::parameter_error};

/// One outcome per bucket the `buckets` globs or the `bucket_tags` select.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let selection = match BucketSelection::of(cx) {
        Ok(selection) => selection,
        Err(reason) => return parameter_error(&reason),
    };
    each_selected_bucket(cx, &selection, |bucket, resource, out| {
        out.push(match &bucket.versioning {
            Observed::Known(true) => {
                Outcome::pass(resource, format!("{} keeps object versions", bucket.name))
                    .with("versioning", true)
            }
            Observed::Known(false) => Outcome::fail(
                resource,
                format!(
                    "{} keeps no object versions: an overwritten or deleted object is lost",
                    bucket.name
                ),
            )
            .with("versioning", false),
            Observed::Unavailable { reason } => {
                Outcome::unavailable(resource, "the bucket's versioning", reason)
            }
        });
    })
}
