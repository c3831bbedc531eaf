//! `aws.s3.access-logging`: the buckets the policy names (the `buckets` name
//! globs or `bucket_tags`) log every request to them (server access
//! logging) in a bucket that keeps the logs at least `min_retention_days`,
//! so accesses to the data can be traced.

use serde::Deserialize;

use super::{
    access_logs_common::{AccessLogs, judge},
    s3_common::{BucketSelection, each_selected_bucket},
};
use crate::{Context, Outcome, support::parameter_error};

/// The control's own parameter (the selection's are read by
/// [`BucketSelection::of`]).
#[derive(Debug, Deserialize)]
struct Params {
    /// Days the target bucket must keep the access logs.
    min_retention_days: u32,
}

/// One outcome per bucket the `buckets` globs or the `bucket_tags` select.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let selection = match BucketSelection::of(cx) {
        Ok(selection) => selection,
        Err(reason) => return parameter_error(&reason),
    };
    let min_days = match cx.params.typed::<Params>() {
        Ok(params) => params.min_retention_days,
        Err(reason) => return parameter_error(&reason),
    };
    each_selected_bucket(cx, &selection, |bucket, resource, out| {
        let name = &bucket.name;
        out.push(judge(
            resource,
            name,
            "logs every request to it",
            format!(
                "{name} has server access logging off: requests to its objects leave no access \
                 log"
            ),
            &AccessLogs {
                target: &bucket.access_logging,
                retention_days: &bucket.access_log_retention_days,
            },
            min_days,
        ));
    })
}
