//! `aws.s3.public-access-block`: every bucket blocks public ACLs and public
//! policies.

use tenet_inventory::Observed;

use super::s3_common::{bucket_resource, each_bucket};
use crate::{Context, Outcome};

/// One outcome per bucket.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_bucket(cx, |_, bucket, out| {
        let resource = bucket_resource(bucket);
        out.push(match &bucket.public_access_block {
            Observed::Unavailable { reason } => {
                Outcome::unavailable(resource, "the public access block", reason)
            }
            Observed::Known(None) => Outcome::fail(
                resource,
                format!("{} has no public access block", bucket.name),
            ),
            Observed::Known(Some(block)) => {
                let off: Vec<&str> = [
                    (block.block_public_acls, "BlockPublicAcls"),
                    (block.ignore_public_acls, "IgnorePublicAcls"),
                    (block.block_public_policy, "BlockPublicPolicy"),
                    (block.restrict_public_buckets, "RestrictPublicBuckets"),
                ]
                .into_iter()
                .filter_map(|(on, name)| (!on).then_some(name))
                .collect();
                if off.is_empty() {
                    Outcome::pass(
                        resource,
                        format!("{} blocks all public access", bucket.name),
                    )
                } else {
                    Outcome::fail(
                        resource,
                        format!(
                            "{}'s public access block has {} off",
                            bucket.name,
                            off.join(", ")
                        ),
                    )
                    .with("off", off)
                }
            }
        });
    })
}
