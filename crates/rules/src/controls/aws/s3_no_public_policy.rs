//! `aws.s3.no-public-policy`: no bucket policy grants access to everyone
//! without a restricting condition, unless S3 Block Public Access's
//! `RestrictPublicBuckets` (the bucket's or the account's) keeps such a
//! policy to AWS services and the bucket owner's account.

use tenet_inventory::{
    Observed,
    aws::{AwsAccount, S3Bucket},
};

use super::s3_common::{bucket_policy, bucket_resource, each_bucket};
use crate::{Context, Outcome};

/// One outcome per bucket.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_bucket(cx, |account, bucket, out| {
        let resource = bucket_resource(bucket);
        out.push(match bucket_policy(bucket) {
            Err(unavailable) => unavailable,
            Ok(None) => Outcome::pass(resource, format!("{} has no bucket policy", bucket.name))
                .with("bucket_policy", serde_json::Value::Null),
            Ok(Some(policy)) if policy.is_public() => match restricted_by(account, bucket) {
                Observed::Known(Some(whose)) => Outcome::pass(
                    resource,
                    format!(
                        "{}'s policy allows anyone, but {whose} RestrictPublicBuckets keeps it to \
                         AWS services and the bucket owner's account",
                        bucket.name
                    ),
                )
                .with("public_statements", policy.public_statements())
                .with("restrict_public_buckets", whose),
                Observed::Known(None) => Outcome::fail(
                    resource,
                    format!(
                        "{}'s policy allows anyone (Principal \"*\") without a restricting condition",
                        bucket.name
                    ),
                )
                .with("public_statements", policy.public_statements()),
                Observed::Unavailable { reason } => Outcome::unavailable(
                    resource,
                    "whether Block Public Access restricts the public policy",
                    &reason,
                ),
            },
            Ok(Some(_)) => Outcome::pass(
                resource,
                format!("{}'s policy grants nothing to everyone", bucket.name),
            )
            .with("public_statements", serde_json::json!([])),
        });
    })
}

/// Whose `RestrictPublicBuckets` is on for the bucket (`the bucket's` or
/// `the account's`), `None` when neither is, unavailable when one that
/// could be on was not read.
fn restricted_by(account: &AwsAccount, bucket: &S3Bucket) -> Observed<Option<&'static str>> {
    let on = |block: &Observed<Option<tenet_inventory::aws::PublicAccessBlock>>| match block {
        Observed::Known(block) => Observed::Known(
            block
                .as_ref()
                .is_some_and(|block| block.restrict_public_buckets),
        ),
        Observed::Unavailable { reason } => Observed::unavailable(reason.clone()),
    };
    match (
        on(&bucket.public_access_block),
        on(&account.s3_account_public_access_block),
    ) {
        (Observed::Known(true), _) => Observed::Known(Some("the bucket's")),
        (_, Observed::Known(true)) => Observed::Known(Some("the account's")),
        (Observed::Known(false), Observed::Known(false)) => Observed::Known(None),
        (Observed::Unavailable { reason }, _) | (_, Observed::Unavailable { reason }) => {
            Observed::Unavailable { reason }
        }
    }
}
