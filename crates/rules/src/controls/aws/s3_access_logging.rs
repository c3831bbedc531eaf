//! `aws.s3.access-logging`: the buckets the policy names (the `buckets` name
//! globs) log every request to them (server access logging), so accesses to
//! the data can be traced.

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
        let name = &bucket.name;
        out.push(match &bucket.access_logging {
            Observed::Unavailable { reason } => {
                Outcome::unavailable(resource, "the bucket's server access logging", reason)
            }
            Observed::Known(Some(target)) => Outcome::pass(
                resource,
                format!("{name} logs every request to it in the bucket {target}"),
            )
            .with("target_bucket", target.as_str()),
            Observed::Known(None) => Outcome::fail(
                resource,
                format!(
                    "{name} has server access logging off: requests to its objects leave no \
                     access log"
                ),
            ),
        });
    })
}
