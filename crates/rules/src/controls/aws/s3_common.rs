//! Shared walk of S3 buckets.

use tenet_iam_policy::PolicyDocument;
use tenet_inventory::{
    Observed,
    aws::{AwsAccount, S3Bucket},
};

use crate::{
    Context, Outcome, Resource,
    support::{each_account, known},
};

/// A bucket as a report resource, by ARN.
pub(crate) fn bucket_resource(bucket: &S3Bucket) -> Resource {
    Resource::new(format!("arn:aws:s3:::{}", bucket.name), "S3 bucket")
}

/// A bucket's policy, parsed (`None` when the bucket has none); or, when it
/// could not be read or is malformed, the bucket's unavailable outcome.
pub(crate) fn bucket_policy(bucket: &S3Bucket) -> Result<Option<PolicyDocument>, Outcome> {
    let unavailable =
        |reason: &str| Outcome::unavailable(bucket_resource(bucket), "the bucket policy", reason);
    match &bucket.policy {
        Observed::Unavailable { reason } => Err(unavailable(reason)),
        Observed::Known(None) => Ok(None),
        Observed::Known(Some(document)) => {
            let parsed = PolicyDocument::parse(document)
                .map_err(|err| unavailable(&format!("the policy is malformed: {err}")))?;
            // A resource policy names whom each statement is about and on
            // what: AWS refuses a bucket policy statement without them, so
            // one read without them lost part of the document.
            for (index, statement) in parsed.statements.iter().enumerate() {
                let missing = if statement.principal.is_none() {
                    "Principal or NotPrincipal"
                } else if statement.resources.is_none() {
                    "Resource or NotResource"
                } else {
                    continue;
                };
                return Err(unavailable(&format!(
                    "the policy is malformed: statement {index} has no {missing}, which every \
                     statement of a bucket policy has"
                )));
            }
            Ok(Some(parsed))
        }
    }
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
