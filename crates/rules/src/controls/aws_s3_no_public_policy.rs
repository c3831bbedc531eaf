//! `aws.s3.no-public-policy`: no bucket policy grants access to everyone
//! without a restricting condition.

use tenet_iam_policy::PolicyDocument;
use tenet_inventory::Observed;

use super::s3_common::{bucket_resource, each_bucket};
use crate::{Context, Outcome};

/// One outcome per bucket.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_bucket(cx, |_, bucket, out| {
        let resource = bucket_resource(bucket);
        out.push(match &bucket.policy {
            Observed::Unavailable { reason } => {
                Outcome::unavailable(resource, "the bucket policy", reason)
            }
            Observed::Known(None) => {
                Outcome::pass(resource, format!("{} has no bucket policy", bucket.name))
            }
            Observed::Known(Some(document)) => match PolicyDocument::parse(document) {
                Err(err) => Outcome::unavailable(
                    resource,
                    "the bucket policy",
                    &format!("the policy is malformed: {err}"),
                ),
                Ok(policy) if policy.is_public() => Outcome::fail(
                    resource,
                    format!(
                        "{}'s policy allows anyone (Principal \"*\") without a restricting condition",
                        bucket.name
                    ),
                )
                .with("public_statements", policy.public_statements()),
                Ok(_) => Outcome::pass(
                    resource,
                    format!("{}'s policy grants nothing to everyone", bucket.name),
                ),
            },
        });
    })
}
