//! `aws.s3.tls-only`: every bucket policy denies requests that do not use
//! TLS, for the bucket and its objects.

use super::s3_common::{bucket_policy, bucket_resource, each_bucket};
use crate::{Context, Outcome};

/// One outcome per bucket.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_bucket(cx, |_, bucket, out| {
        let resource = bucket_resource(bucket);
        out.push(match bucket_policy(bucket) {
            Err(unavailable) => unavailable,
            Ok(None) => Outcome::fail(
                resource,
                format!(
                    "{} has no bucket policy, so plain HTTP requests are accepted",
                    bucket.name
                ),
            )
            .with("bucket_policy", serde_json::Value::Null),
            Ok(Some(policy)) => {
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
                    .with("denies_insecure_transport", true)
                } else {
                    Outcome::fail(
                        resource,
                        format!(
                            "{}'s policy does not deny requests where aws:SecureTransport is false",
                            bucket.name
                        ),
                    )
                    .with("denies_insecure_transport", false)
                }
            }
        });
    })
}
