//! `aws.s3.tls-only`: every bucket policy denies requests that do not use
//! TLS, for the bucket and its objects.

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
            Observed::Known(None) => Outcome::fail(
                resource,
                format!("{} has no bucket policy, so plain HTTP requests are accepted", bucket.name),
            ),
            Observed::Known(Some(document)) => match PolicyDocument::parse(document) {
                Err(err) => Outcome::unavailable(
                    resource,
                    "the bucket policy",
                    &format!("the policy is malformed: {err}"),
                ),
                Ok(policy) => {
                    let arns = [
                        format!("arn:aws:s3:::{}", bucket.name),
                        format!("arn:aws:s3:::{}/*", bucket.name),
                    ];
                    let arns: Vec<&str> = arns.iter().map(String::as_str).collect();
                    if policy.denies_insecure_transport(&arns) {
                        Outcome::pass(
                            resource,
                            format!("{} denies requests without TLS", bucket.name),
                        )
                    } else {
                        Outcome::fail(
                            resource,
                            format!(
                                "{}'s policy does not deny requests where aws:SecureTransport is false",
                                bucket.name
                            ),
                        )
                    }
                }
            },
        });
    })
}
