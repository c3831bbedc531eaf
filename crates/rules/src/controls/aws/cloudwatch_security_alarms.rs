//! `aws.cloudwatch.security-alarms`: the CloudTrail events of CIS's
//! monitoring section — use of the root user, console sign-in without MFA,
//! IAM policy changes — are counted by a metric filter on the log group of
//! a multi-region trail that is logging, and an alarm with an action
//! watches that metric.

use tenet_inventory::{
    Observed,
    aws::{AwsAccount, MetricFilter},
};

use super::{
    filter_pattern::{self, Event},
    logs_retention::log_group_arn,
};
use crate::{Context, Outcome, Resource, support::each_account};

/// A kind of event the alarms must catch: every event it lists.
struct Kind {
    id: &'static str,
    title: &'static str,
    events: &'static [Event],
}

const fn iam_event(name: &'static str) -> [(&'static str, &'static str, &'static str); 2] {
    [
        ("$.eventName", "=", name),
        ("$.eventSource", "=", "iam.amazonaws.com"),
    ]
}

/// CIS AWS Foundations Benchmark v3.0.0, 4.4: the calls that change what
/// an IAM policy allows.
const IAM_POLICY_EVENTS: [[(&str, &str, &str); 2]; 16] = [
    iam_event("DeleteGroupPolicy"),
    iam_event("DeleteRolePolicy"),
    iam_event("DeleteUserPolicy"),
    iam_event("PutGroupPolicy"),
    iam_event("PutRolePolicy"),
    iam_event("PutUserPolicy"),
    iam_event("CreatePolicy"),
    iam_event("DeletePolicy"),
    iam_event("CreatePolicyVersion"),
    iam_event("DeletePolicyVersion"),
    iam_event("AttachRolePolicy"),
    iam_event("DetachRolePolicy"),
    iam_event("AttachUserPolicy"),
    iam_event("DetachUserPolicy"),
    iam_event("AttachGroupPolicy"),
    iam_event("DetachGroupPolicy"),
];

const KINDS: &[Kind] = &[
    Kind {
        id: "root-use",
        title: "use of the root user",
        events: &[&[
            ("$.userIdentity.type", "=", "Root"),
            ("$.userIdentity.invokedBy", "NOT EXISTS", ""),
            ("$.eventType", "!=", "AwsServiceEvent"),
        ]],
    },
    Kind {
        id: "console-sign-in-without-mfa",
        title: "console sign-in without MFA",
        // CIS accepts narrowing to successful sign-ins of IAM users.
        events: &[&[
            ("$.eventName", "=", "ConsoleLogin"),
            ("$.additionalEventData.MFAUsed", "!=", "Yes"),
            ("$.userIdentity.type", "=", "IAMUser"),
            ("$.responseElements.ConsoleLogin", "=", "Success"),
        ]],
    },
    Kind {
        id: "iam-policy-changes",
        title: "IAM policy change",
        events: &[
            &IAM_POLICY_EVENTS[0],
            &IAM_POLICY_EVENTS[1],
            &IAM_POLICY_EVENTS[2],
            &IAM_POLICY_EVENTS[3],
            &IAM_POLICY_EVENTS[4],
            &IAM_POLICY_EVENTS[5],
            &IAM_POLICY_EVENTS[6],
            &IAM_POLICY_EVENTS[7],
            &IAM_POLICY_EVENTS[8],
            &IAM_POLICY_EVENTS[9],
            &IAM_POLICY_EVENTS[10],
            &IAM_POLICY_EVENTS[11],
            &IAM_POLICY_EVENTS[12],
            &IAM_POLICY_EVENTS[13],
            &IAM_POLICY_EVENTS[14],
            &IAM_POLICY_EVENTS[15],
        ],
    },
];

/// The log groups (region, name) that multi-region trails which are
/// logging deliver to, and why some trail could not be judged.
type TrailGroups = (Vec<(String, String)>, Vec<String>);

/// The [`TrailGroups`] of the account; `Err` when its trails were not read.
fn trail_groups(account: &AwsAccount) -> Result<TrailGroups, String> {
    let trails = match &account.trails {
        Observed::Known(trails) => trails,
        Observed::Unavailable { reason } => return Err(format!("the account's trails: {reason}")),
    };
    let mut groups = Vec::new();
    let mut unknown = Vec::new();
    for trail in trails.iter().filter(|trail| trail.multi_region) {
        match (&trail.is_logging, &trail.cloudwatch_log_group) {
            (Observed::Known(false), _) | (_, Observed::Known(None)) => {}
            (Observed::Unavailable { reason }, _) | (_, Observed::Unavailable { reason }) => {
                unknown.push(format!("trail {}: {reason}", trail.name));
            }
            (Observed::Known(true), Observed::Known(Some(arn))) => match log_group_arn(arn) {
                Some((region, owner, name)) if owner == account.account_id => {
                    groups.push((region.to_owned(), name.to_owned()));
                }
                _ => unknown.push(format!(
                    "trail {} delivers to {arn}, a log group not read with this account",
                    trail.name
                )),
            },
        }
    }
    groups.sort();
    groups.dedup();
    Ok((groups, unknown))
}

/// What was found for one kind of event.
#[derive(Default)]
struct Search {
    /// A filter and the alarm that watches its metric.
    found: Option<(String, String)>,
    problems: Vec<String>,
    unknown: Vec<String>,
}

fn search(account: &AwsAccount, groups: &[(String, String)], kind: &Kind) -> Search {
    let mut search = Search::default();
    let Observed::Known(regions) = &account.regions else {
        search
            .unknown
            .push("the account's regions were not read".to_owned());
        return search;
    };
    for (region_name, group) in groups {
        let Some(region) = regions.iter().find(|region| &region.name == region_name) else {
            search.unknown.push(format!(
                "region {region_name} of log group {group} was not read"
            ));
            continue;
        };
        let filters = match &region.metric_filters {
            Observed::Known(filters) => filters,
            Observed::Unavailable { reason } => {
                search
                    .unknown
                    .push(format!("the metric filters of {region_name}: {reason}"));
                continue;
            }
        };
        let matching: Vec<&MetricFilter> = filters
            .iter()
            .filter(|filter| &filter.log_group == group)
            .filter(|filter| match filter_pattern::parse(&filter.pattern) {
                Ok(alternatives) => kind
                    .events
                    .iter()
                    .all(|event| filter_pattern::matches_every(&alternatives, event)),
                Err(reason) => {
                    search.unknown.push(format!(
                        "the pattern of metric filter {} is one tenet does not read ({reason})",
                        filter.name
                    ));
                    false
                }
            })
            .collect();
        if matching.is_empty() {
            search.problems.push(format!(
                "no metric filter on {group} ({region_name}) matches every {}",
                kind.title
            ));
            continue;
        }
        let alarms = match &region.alarms {
            Observed::Known(alarms) => alarms,
            Observed::Unavailable { reason } => {
                search
                    .unknown
                    .push(format!("the alarms of {region_name}: {reason}"));
                continue;
            }
        };
        for filter in matching {
            let alarm = alarms.iter().find(|alarm| {
                alarm.actions_enabled
                    && !alarm.alarm_actions.is_empty()
                    && alarm
                        .metric
                        .as_ref()
                        .is_some_and(|metric| filter.metrics.contains(metric))
            });
            match alarm {
                Some(alarm) => {
                    search.found = Some((filter.name.clone(), alarm.name.clone()));
                    return search;
                }
                None => search.problems.push(format!(
                    "metric filter {} counts every {} but no alarm with an action watches its metric",
                    filter.name, kind.title
                )),
            }
        }
    }
    search
}

/// One outcome per kind of event per account.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_account(cx, |account, out| {
        let groups = trail_groups(account);
        for kind in KINDS {
            let resource = Resource::new(
                format!("aws:{}:security-alarm/{}", account.account_id, kind.id),
                "alarm on a CloudTrail event",
            );
            let (groups, mut unknown) = match &groups {
                Ok((groups, unknown)) => (groups.as_slice(), unknown.clone()),
                Err(reason) => {
                    out.push(Outcome::unavailable(
                        resource,
                        "the trails' log groups",
                        reason,
                    ));
                    continue;
                }
            };
            let search = search(account, groups, kind);
            unknown.extend(search.unknown);
            out.push(match search.found {
                Some((filter, alarm)) => Outcome::pass(
                    resource,
                    format!(
                        "metric filter {filter} counts every {} and alarm {alarm} acts on it",
                        kind.title
                    ),
                )
                .with("metric_filter", filter)
                .with("alarm", alarm),
                None if !unknown.is_empty() => Outcome::unavailable(
                    resource,
                    &format!("the alarm on every {}", kind.title),
                    &unknown.join("; "),
                ),
                None if groups.is_empty() => Outcome::fail(
                    resource,
                    format!(
                        "no multi-region trail that is logging delivers to CloudWatch Logs, so no alarm sees any {}",
                        kind.title
                    ),
                )
                .with("log_groups", groups.len()),
                None => Outcome::fail(resource, search.problems.join("; "))
                    .with("problems", search.problems.clone()),
            });
        }
    })
}
