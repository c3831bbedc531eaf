//! `aws.s3.versioning`: the buckets the policy calls critical (the `buckets`
//! name globs) keep object versions, so an overwritten or deleted object can
//! be restored.

use serde::Deserialize;
use tenet_inventory::Observed;

use super::s3_common::{BucketSelection, each_selected_bucket};
use crate::{Context, Outcome, support::parameter_error};

/// The control's parameters (defaults in its metadata file).
#[derive(Debug, Deserialize)]
struct Params {
    /// Name globs of the buckets that must keep versions.
    buckets: Vec<String>,
    /// Tags (`KEY=VALUE` or `KEY`) that select a bucket too.
    bucket_tags: Vec<String>,
}

/// One outcome per bucket the `buckets` globs or the `bucket_tags` select.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Params = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let selection = BucketSelection::new(&params.buckets, &params.bucket_tags);
    each_selected_bucket(cx, &selection, |bucket, resource, out| {
        out.push(match &bucket.versioning {
            Observed::Known(true) => {
                Outcome::pass(resource, format!("{} keeps object versions", bucket.name))
            }
            Observed::Known(false) => Outcome::fail(
                resource,
                format!(
                    "{} keeps no object versions: an overwritten or deleted object is lost",
                    bucket.name
                ),
            ),
            Observed::Unavailable { reason } => {
                Outcome::unavailable(resource, "the bucket's versioning", reason)
            }
        });
    })
}
