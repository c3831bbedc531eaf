//! Shared walk of S3 buckets.

use tenet_inventory::aws::{AwsAccount, S3Bucket};

use crate::{
    Context, Outcome, Resource,
    support::{each_account, known},
};

/// A bucket as a report resource, by ARN.
pub(crate) fn bucket_resource(bucket: &S3Bucket) -> Resource {
    Resource::new(format!("arn:aws:s3:::{}", bucket.name), "S3 bucket")
}

/// Runs `check` for every bucket of every account.
pub(crate) fn each_bucket(
    cx: &Context<'_>,
    mut check: impl FnMut(&AwsAccount, &S3Bucket, &mut Vec<Outcome>),
) -> Vec<Outcome> {
    each_account(cx, |account, out| {
        let Some(buckets) = known(
            &account.s3_buckets,
            out,
            || Resource::aws_account(&account.account_id),
            "the account's S3 buckets",
        ) else {
            return;
        };
        for bucket in buckets {
            check(account, bucket, out);
        }
    })
}
