//! `aws.s3.versioning`: the buckets the policy calls critical (the `buckets`
//! name globs) keep object versions, so an overwritten or deleted object can
//! be restored.

use serde::Deserialize;
use tenet_inventory::Observed;

use super::s3_common::{bucket_resource, each_bucket};
use crate::{
    Context, Outcome,
    support::{Globs, parameter_error},
};

/// The control's parameters (defaults in its metadata file).
#[derive(Debug, Deserialize)]
struct Params {
    /// Name globs of the buckets that must keep versions.
    buckets: Vec<String>,
}

/// One outcome per bucket the `buckets` globs name.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Params = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let critical = Globs::new(&params.buckets);
    each_bucket(cx, |_, bucket, out| {
        if !critical.is_match(&bucket.name) {
            return;
        }
        let resource = bucket_resource(bucket);
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
