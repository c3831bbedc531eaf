//! Shared verdict on access logs written to an S3 bucket: on, and kept at
//! least as long as the policy asks by the lifecycle of the bucket that
//! receives them.

use tenet_inventory::Observed;

use crate::{Outcome, Resource};

/// Where a resource's access logs go and how long they stay there.
pub(crate) struct AccessLogs<'a> {
    /// The bucket that receives them; `None` when they are off.
    pub target: &'a Observed<Option<String>>,
    /// Days after which that bucket's lifecycle deletes them; `None` when
    /// they are kept until deleted by hand.
    pub retention_days: &'a Observed<Option<u32>>,
}

/// The verdict on `logs`: `writes` says what `name` does when they are on
/// ("logs every request to it"), `off` why it fails when they are off.
pub(crate) fn judge(
    resource: Resource,
    name: &str,
    writes: &str,
    off: String,
    logs: &AccessLogs<'_>,
    min_days: u32,
) -> Outcome {
    let target = match logs.target {
        Observed::Unavailable { reason } => {
            return Outcome::unavailable(
                resource,
                &format!("where the access logs of {name} go"),
                reason,
            );
        }
        Observed::Known(None) => {
            return Outcome::fail(resource, off).with("target_bucket", serde_json::Value::Null);
        }
        Observed::Known(Some(target)) => target.as_str(),
    };
    let outcome = match logs.retention_days {
        Observed::Unavailable { reason } => Outcome::unavailable(
            resource,
            &format!("how long the bucket {target} keeps the access logs of {name}"),
            reason,
        ),
        Observed::Known(Some(days)) if *days < min_days => Outcome::fail(
            resource,
            format!(
                "{name} {writes} in the bucket {target}, whose lifecycle deletes them after \
                 {days} days, less than {min_days}"
            ),
        ),
        Observed::Known(Some(days)) => Outcome::pass(
            resource,
            format!("{name} {writes} in the bucket {target}, which keeps them {days} days"),
        ),
        Observed::Known(None) => Outcome::pass(
            resource,
            format!("{name} {writes} in the bucket {target}, which keeps them until deleted"),
        ),
    };
    let outcome = outcome.with("target_bucket", target);
    match logs.retention_days {
        Observed::Known(days) => outcome.with("retention_days", *days),
        Observed::Unavailable { .. } => outcome,
    }
}
