//! `aws.s3.no-public-policy`: no bucket policy grants access to everyone
//! without a restricting condition.

use super::s3_common::{bucket_policy, bucket_resource, each_bucket};
use crate::{Context, Outcome};

/// One outcome per bucket.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_bucket(cx, |_, bucket, out| {
        let resource = bucket_resource(bucket);
        out.push(match bucket_policy(bucket) {
            Err(unavailable) => unavailable,
            Ok(None) => Outcome::pass(resource, format!("{} has no bucket policy", bucket.name)),
            Ok(Some(policy)) if policy.is_public() => Outcome::fail(
                resource,
                format!(
                    "{}'s policy allows anyone (Principal \"*\") without a restricting condition",
                    bucket.name
                ),
            )
            .with("public_statements", policy.public_statements()),
            Ok(Some(_)) => Outcome::pass(
                resource,
                format!("{}'s policy grants nothing to everyone", bucket.name),
            ),
        });
    })
}
