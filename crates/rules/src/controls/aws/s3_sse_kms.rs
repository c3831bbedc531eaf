//! `aws.s3.sse-kms`: the buckets the policy names (the `buckets` name globs)
//! encrypt new objects with KMS keys by default (SSE-KMS or DSSE-KMS), so
//! that reading them needs a key the company controls and audits.

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
        out.push(match &bucket.encryption {
            Observed::Unavailable { reason } => {
                Outcome::unavailable(resource, "the bucket's default encryption", reason)
            }
            Observed::Known(Some(algorithm)) => match algorithm.as_str() {
                "aws:kms" | "aws:kms:dsse" => Outcome::pass(
                    resource,
                    format!("{name} encrypts new objects with a KMS key ({algorithm})"),
                ),
                "AES256" => Outcome::fail(
                    resource,
                    format!(
                        "{name} encrypts new objects with keys S3 manages (SSE-S3), not a KMS key"
                    ),
                ),
                other => Outcome::unavailable(
                    resource,
                    "the bucket's default encryption",
                    &format!("the algorithm `{other}` is one tenet does not know"),
                ),
            }
            .with("sse_algorithm", algorithm.as_str()),
            Observed::Known(None) => Outcome::fail(
                resource,
                format!("{name} has no default encryption with a KMS key"),
            )
            .with("sse_algorithm", serde_json::Value::Null),
        });
    })
}
