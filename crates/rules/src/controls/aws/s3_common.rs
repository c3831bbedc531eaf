//! Shared walk of S3 buckets.

use serde::Deserialize;
use tenet_iam_policy::PolicyDocument;
use tenet_inventory::{
    Observed,
    aws::{AwsAccount, S3Bucket},
};

use crate::{
    Context, Outcome, Resource,
    support::{Globs, each_account, known},
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

/// The buckets a control judges: those whose name one of the `buckets`
/// globs matches, and those carrying one of the `bucket_tags` (`KEY=VALUE`,
/// or `KEY` for any value).
pub(crate) struct BucketSelection {
    names: Globs,
    tags: Vec<(String, Option<String>)>,
}

/// The `buckets` and `bucket_tags` parameters of a control that selects
/// buckets (defaults in its metadata file).
#[derive(Debug, Deserialize)]
struct SelectionParams {
    /// Name globs of the buckets the control judges.
    buckets: Vec<String>,
    /// Tags (`KEY=VALUE` or `KEY`) that select a bucket too.
    bucket_tags: Vec<String>,
}

impl BucketSelection {
    /// The selection the control's `buckets` and `bucket_tags` parameters
    /// describe; why they could not be read otherwise.
    pub(crate) fn of(cx: &Context<'_>) -> Result<BucketSelection, String> {
        let params: SelectionParams = cx.params.typed()?;
        Ok(BucketSelection::new(&params.buckets, &params.bucket_tags))
    }

    /// The selection the two parameters describe.
    fn new(buckets: &[String], bucket_tags: &[String]) -> BucketSelection {
        BucketSelection {
            names: Globs::new(buckets),
            tags: bucket_tags
                .iter()
                .map(|tag| match tag.split_once('=') {
                    Some((key, value)) => (key.to_owned(), Some(value.to_owned())),
                    None => (tag.clone(), None),
                })
                .collect(),
        }
    }

    /// Whether the bucket is selected; the reason its tags could not be
    /// read when only they could tell.
    fn selects<'a>(&self, bucket: &'a S3Bucket) -> Result<bool, &'a str> {
        if self.names.is_match(&bucket.name) {
            return Ok(true);
        }
        if self.tags.is_empty() {
            return Ok(false);
        }
        let tags = bucket.tags.as_result()?;
        Ok(self.tags.iter().any(|(key, value)| {
            tags.get(key)
                .is_some_and(|found| value.as_ref().is_none_or(|value| value == found))
        }))
    }
}

/// Runs `check` for every bucket of every account that `selection` selects;
/// a bucket whose selection depends on tags that could not be read is an
/// error, never left out.
pub(crate) fn each_selected_bucket(
    cx: &Context<'_>,
    selection: &BucketSelection,
    mut check: impl FnMut(&S3Bucket, Resource, &mut Vec<Outcome>),
) -> Vec<Outcome> {
    each_bucket(cx, |_, bucket, out| match selection.selects(bucket) {
        Ok(true) => check(bucket, bucket_resource(bucket), out),
        Ok(false) => {}
        Err(reason) => out.push(Outcome::unavailable(
            bucket_resource(bucket),
            "the bucket's tags, which decide whether the control applies to it",
            reason,
        )),
    })
}
