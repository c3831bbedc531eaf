//! `aws.logs.retention`: the CloudWatch Logs log groups that receive access
//! logs — a CloudTrail trail's, a VPC flow log's, and those the `log_groups`
//! name globs add — keep their events at least `min_retention_days`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use tenet_inventory::{
    Observed,
    aws::{AwsAccount, AwsRegion},
};

use crate::{
    Context, Outcome, Resource,
    support::{Globs, each_account, known, parameter_error},
};

/// The control's parameters (defaults in its metadata file).
#[derive(Debug, Deserialize)]
struct Params {
    /// Days the events are kept at least.
    min_retention_days: u32,
    /// Name globs of further log groups that hold access logs.
    log_groups: Vec<String>,
}

/// The log groups that receive access logs, by region and name, each with
/// what it receives.
type Receivers = BTreeMap<(String, String), BTreeSet<String>>;

/// One outcome per log group that receives access logs.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Params = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let named = Globs::new(&params.log_groups);
    let min = params.min_retention_days;
    each_account(cx, |account, out| {
        let account_resource = || Resource::aws_account(&account.account_id);
        let Some(regions) = known(
            &account.regions,
            out,
            account_resource,
            "the account's regions",
        ) else {
            return;
        };
        let mut receivers = Receivers::new();
        trail_groups(account, &mut receivers, out);
        for region in regions {
            region_groups(
                account,
                region,
                &named,
                &params.log_groups,
                &mut receivers,
                out,
            );
        }
        for ((region_name, name), sources) in receivers {
            let resource = Resource::new(
                format!(
                    "arn:aws:logs:{region_name}:{}:log-group:{name}",
                    account.account_id
                ),
                "CloudWatch Logs log group",
            );
            let sources: Vec<String> = sources.into_iter().collect();
            let receives = sources.join(", ");
            let Some(region) = regions.iter().find(|region| region.name == region_name) else {
                out.push(Outcome::unavailable(
                    resource,
                    "the log group's retention",
                    &format!("region {region_name} was not read"),
                ));
                continue;
            };
            let groups = match &region.log_groups {
                Observed::Known(groups) => groups,
                Observed::Unavailable { reason } => {
                    out.push(Outcome::unavailable(
                        resource,
                        "the log group's retention",
                        reason,
                    ));
                    continue;
                }
            };
            let outcome = match groups.iter().find(|group| group.name == name) {
                None => Outcome::fail(
                    resource,
                    format!("{name} does not exist, so nothing it should receive ({receives}) is kept"),
                ),
                Some(group) => match group.retention_days {
                    None => Outcome::pass(resource, format!("{name} keeps its events forever; it receives {receives}")),
                    Some(days) if days < min => Outcome::fail(
                        resource,
                        format!(
                            "{name} keeps its events {days} days, less than {min}; it receives {receives}"
                        ),
                    )
                    .with("retention_days", days),
                    Some(days) => {
                        Outcome::pass(resource, format!("{name} keeps its events {days} days; it receives {receives}"))
                            .with("retention_days", days)
                    }
                },
            };
            out.push(outcome.with("receives", sources));
        }
    })
}

/// The log groups CloudTrail trails deliver to.
fn trail_groups(account: &AwsAccount, receivers: &mut Receivers, out: &mut Vec<Outcome>) {
    let Some(trails) = known(
        &account.trails,
        out,
        || Resource::aws_account(&account.account_id),
        "the account's trails",
    ) else {
        return;
    };
    for trail in trails {
        let trail_resource = || Resource::new(trail.arn.clone(), "CloudTrail trail");
        let Some(Some(arn)) = known(
            &trail.cloudwatch_log_group,
            out,
            trail_resource,
            "the trail's log group",
        ) else {
            continue;
        };
        match log_group_arn(arn) {
            Some((region, owner, name)) if owner == account.account_id => {
                receivers
                    .entry((region.to_owned(), name.to_owned()))
                    .or_default()
                    .insert(format!("trail {}", trail.name));
            }
            Some((_, owner, _)) => out.push(Outcome::unavailable(
                trail_resource(),
                "the trail's log group",
                &format!("{arn} is in account {owner}, which is not read with this account"),
            )),
            None => out.push(Outcome::unavailable(
                trail_resource(),
                "the trail's log group",
                &format!("`{arn}` is not a log group ARN tenet can read"),
            )),
        }
    }
}

/// The log groups of one region that flow logs deliver to or that the
/// policy's globs name.
fn region_groups(
    account: &AwsAccount,
    region: &AwsRegion,
    named: &Globs,
    patterns: &[String],
    receivers: &mut Receivers,
    out: &mut Vec<Outcome>,
) {
    let account_resource = || Resource::aws_account(&account.account_id);
    if let Some(logs) = known(
        &region.flow_logs,
        out,
        account_resource,
        &format!("the flow logs of {}", region.name),
    ) {
        for log in logs {
            let Some(Some(name)) = known(
                &log.log_group,
                out,
                account_resource,
                &format!("the log group of flow log {}", log.id),
            ) else {
                continue;
            };
            receivers
                .entry((region.name.clone(), name.clone()))
                .or_default()
                .insert(format!("flow log {}", log.id));
        }
    }
    if patterns.is_empty() {
        return;
    }
    if let Some(groups) = known(
        &region.log_groups,
        out,
        account_resource,
        &format!("the log groups of {}", region.name),
    ) {
        for group in groups.iter().filter(|group| named.is_match(&group.name)) {
            receivers
                .entry((region.name.clone(), group.name.clone()))
                .or_default()
                .insert("access logs (the policy's log_groups)".to_owned());
        }
    }
}

/// The region, account and name of a log group ARN
/// (`arn:aws:logs:us-east-1:123456789012:log-group:name:*`); log group
/// names hold no `:`.
pub(crate) fn log_group_arn(arn: &str) -> Option<(&str, &str, &str)> {
    let arn = arn.strip_suffix(":*").unwrap_or(arn);
    let mut parts = arn.splitn(7, ':');
    let (
        Some("arn"),
        Some(_partition),
        Some("logs"),
        Some(region),
        Some(owner),
        Some("log-group"),
        Some(name),
    ) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    )
    else {
        return None;
    };
    (!region.is_empty() && !owner.is_empty() && !name.is_empty() && !name.contains(':'))
        .then_some((region, owner, name))
}

#[cfg(test)]
mod tests {
    use super::log_group_arn;

    #[test]
    fn log_group_arns_are_read_as_cloudtrail_writes_them() {
        let cases = [
            (
                "arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/main:*",
                Some(("us-east-1", "123456789012", "/aws/cloudtrail/main")),
            ),
            (
                "arn:aws-us-gov:logs:us-gov-west-1:123456789012:log-group:trail",
                Some(("us-gov-west-1", "123456789012", "trail")),
            ),
            ("arn:aws:logs:us-east-1:123456789012:log-group::*", None),
            ("arn:aws:s3:::bucket", None),
            ("arn:aws:logs:us-east-1:123456789012:log-group:a:b:*", None),
            ("not an arn", None),
        ];
        for (arn, expected) in cases {
            assert_eq!(log_group_arn(arn), expected, "{arn}");
        }
    }
}
