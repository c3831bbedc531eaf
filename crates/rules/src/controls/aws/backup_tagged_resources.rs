//! `aws.backup.tagged-resources`: in every region, an AWS Backup plan backs
//! up every resource the policy's tag marks as critical, keeping backups at
//! least `min_retention_days`, and the resource types that hold critical
//! data are opted in (a selection by tags backs up only opted-in types).

use serde::Deserialize;
use tenet_inventory::{
    Observed,
    aws::{BackupPlan, BackupSelection},
};

use crate::{
    Context, Outcome, Resource,
    support::{each_region, parameter_error},
};

/// The control's parameters (defaults in its metadata file).
#[derive(Debug, Deserialize)]
struct Params {
    /// The tag key that marks a resource as critical.
    tag_key: String,
    /// The tag value that marks a resource as critical.
    tag_value: String,
    /// Days backups must be kept at least.
    min_retention_days: u32,
    /// AWS Backup resource types that must be opted in.
    resource_types: Vec<String>,
}

/// One outcome per region.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Params = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let tag = format!("{}={}", params.tag_key, params.tag_value);
    each_region(cx, |account, region, out| {
        let resource = Resource::new(
            format!("aws:{}:{}:backup", account.account_id, region.name),
            "AWS Backup of a region",
        );
        let fact = format!("whether the resources tagged {tag} are backed up");
        let plans = match &region.backup_plans {
            Observed::Known(plans) => plans,
            Observed::Unavailable { reason } => {
                out.push(Outcome::unavailable(resource, &fact, reason));
                return;
            }
        };
        out.push(
            judge(plans, &params, &region.name, &tag, resource.clone(), &fact)
                .map_or_else(
                    |outcome| outcome,
                    |plan| opted_in(region, &params, &tag, plan, resource, &fact),
                )
                .with("tag", tag.as_str()),
        );
    })
}

/// The plan (and its selection) that backs up every critical resource long
/// enough; or the failing or undetermined outcome.
fn judge<'a>(
    plans: &'a [BackupPlan],
    params: &Params,
    region: &str,
    tag: &str,
    resource: Resource,
    fact: &str,
) -> Result<(&'a BackupPlan, &'a BackupSelection, Option<u32>), Outcome> {
    let mut unread = None;
    let mut too_short = None;
    for plan in plans {
        let selections = match &plan.selections {
            Observed::Known(selections) => selections,
            Observed::Unavailable { reason } => {
                unread.get_or_insert_with(|| {
                    format!("the selections of plan {}: {reason}", plan.name)
                });
                continue;
            }
        };
        let Some(selection) = selections
            .iter()
            .find(|selection| selects_every_tagged(selection, &params.tag_key, &params.tag_value))
        else {
            continue;
        };
        let rules = match &plan.rules {
            Observed::Known(rules) => rules,
            Observed::Unavailable { reason } => {
                unread.get_or_insert_with(|| format!("the rules of plan {}: {reason}", plan.name));
                continue;
            }
        };
        // The rule that keeps backups longest: `None` is until deleted.
        let longest = rules
            .iter()
            .map(|rule| rule.delete_after_days)
            .max_by_key(|days| days.unwrap_or(u32::MAX));
        match longest {
            Some(kept) if kept.is_none_or(|days| days >= params.min_retention_days) => {
                return Ok((plan, selection, kept));
            }
            Some(Some(days)) => {
                too_short.get_or_insert((plan.name.as_str(), days));
            }
            _ => {}
        }
    }
    Err(match (unread, too_short) {
        (Some(reason), _) => Outcome::unavailable(resource, fact, &reason),
        (None, Some((plan, days))) => Outcome::fail(
            resource,
            format!(
                "backup plan {plan} selects every resource tagged {tag} in {region}, but keeps \
                 backups {days} days (at least {})",
                params.min_retention_days
            ),
        ),
        (None, None) => Outcome::fail(
            resource,
            format!(
                "no backup plan with a rule selects every resource tagged {tag} in {region} \
                 ({} plans read; a selection that also names resources, leaves some out or \
                 adds another condition is not counted)",
                plans.len()
            ),
        ),
    })
}

/// The verdict once a plan covers the tag: every type of
/// `resource_types` must be opted in, or its tagged resources are skipped.
fn opted_in(
    region: &tenet_inventory::aws::AwsRegion,
    params: &Params,
    tag: &str,
    (plan, selection, kept): (&BackupPlan, &BackupSelection, Option<u32>),
    resource: Resource,
    fact: &str,
) -> Outcome {
    let opt_in = match &region.backup_opt_in {
        Observed::Known(opt_in) => opt_in,
        Observed::Unavailable { reason } => return Outcome::unavailable(resource, fact, reason),
    };
    let unknown: Vec<&str> = params
        .resource_types
        .iter()
        .filter(|kind| !opt_in.contains_key(kind.as_str()))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        return Outcome::unavailable(
            resource,
            fact,
            &format!(
                "backup:DescribeRegionSettings does not list the resource types {}",
                unknown.join(", ")
            ),
        );
    }
    let off: Vec<&str> = params
        .resource_types
        .iter()
        .filter(|kind| opt_in.get(kind.as_str()) == Some(&false))
        .map(String::as_str)
        .collect();
    let kept_text = kept.map_or("until deleted".to_owned(), |days| format!("{days} days"));
    if off.is_empty() {
        Outcome::pass(
            resource,
            format!(
                "backup plan {} (selection {}) backs up every resource tagged {tag} in {} and \
                 keeps backups {kept_text}",
                plan.name, selection.name, region.name
            ),
        )
        .with("plan", plan.name.as_str())
    } else {
        Outcome::fail(
            resource,
            format!(
                "backup plan {} selects every resource tagged {tag} in {}, but AWS Backup skips \
                 the types not opted in there: {}",
                plan.name,
                region.name,
                off.join(", ")
            ),
        )
        .with("plan", plan.name.as_str())
    }
}

/// Whether a selection assigns every resource tagged `key`=`value` as AWS
/// Backup reads it: its resources are all (none named, or `*`), none is
/// left out, its tag list (when it has one) holds the tag, and each of its
/// conditions is that tag again. Any other shape narrows, or may narrow,
/// what it selects, and is not counted.
fn selects_every_tagged(selection: &BackupSelection, key: &str, value: &str) -> bool {
    let all_resources = selection.resources.is_empty()
        || selection.resources.iter().any(|resource| resource == "*");
    let tag_listed = selection.list_of_tags.is_empty()
        || selection.list_of_tags.iter().any(|tag| {
            tag.operator.eq_ignore_ascii_case("STRINGEQUALS")
                && tag.key == key
                && tag.value == value
        });
    let condition_key = format!("aws:ResourceTag/{key}");
    let conditions_are_the_tag = selection.conditions.iter().all(|condition| {
        condition.operator == "StringEquals"
            && condition.key == condition_key
            && condition.value == value
    });
    all_resources && selection.not_resources.is_empty() && tag_listed && conditions_are_the_tag
}

#[cfg(test)]
mod tests {
    use tenet_inventory::aws::TagCondition;

    use super::*;

    fn tag(operator: &str, key: &str, value: &str) -> TagCondition {
        TagCondition {
            operator: operator.into(),
            key: key.into(),
            value: value.into(),
        }
    }

    fn selection(
        resources: &[&str],
        not_resources: &[&str],
        list_of_tags: Vec<TagCondition>,
        conditions: Vec<TagCondition>,
    ) -> BackupSelection {
        BackupSelection {
            id: "s".into(),
            name: "s".into(),
            resources: resources.iter().map(|r| (*r).to_owned()).collect(),
            not_resources: not_resources.iter().map(|r| (*r).to_owned()).collect(),
            list_of_tags,
            conditions,
        }
    }

    /// Selections read as AWS Backup's documentation reads them (resources
    /// OR'ed, conditions AND'ed, tags narrowing the resources).
    #[test]
    fn selections_are_read_as_aws_backup_assigns_resources() {
        let listed = || vec![tag("STRINGEQUALS", "backup", "critical")];
        let condition = || vec![tag("StringEquals", "aws:ResourceTag/backup", "critical")];
        let volumes = "arn:aws:ec2:*:*:volume/*";
        let cases = [
            ("tags only", selection(&[], &[], listed(), vec![]), true),
            (
                "every resource, by tag",
                selection(&["*"], &[], listed(), vec![]),
                true,
            ),
            (
                "every resource, by condition",
                selection(&["*"], &[], vec![], condition()),
                true,
            ),
            (
                "condition alone",
                selection(&[], &[], vec![], condition()),
                true,
            ),
            (
                "nothing named: every resource",
                selection(&[], &[], vec![], vec![]),
                true,
            ),
            (
                "another tag too (OR)",
                selection(
                    &[],
                    &[],
                    vec![tag("STRINGEQUALS", "backup", "daily"), listed()[0].clone()],
                    vec![],
                ),
                true,
            ),
            (
                "volumes only",
                selection(&[volumes], &[], listed(), vec![]),
                false,
            ),
            (
                "volumes left out",
                selection(&["*"], &[volumes], listed(), vec![]),
                false,
            ),
            (
                "another tag only",
                selection(
                    &[],
                    &[],
                    vec![tag("STRINGEQUALS", "backup", "daily")],
                    vec![],
                ),
                false,
            ),
            (
                "tag key differs in case",
                selection(
                    &[],
                    &[],
                    vec![tag("STRINGEQUALS", "Backup", "critical")],
                    vec![],
                ),
                false,
            ),
            (
                "a second condition narrows",
                selection(
                    &["*"],
                    &[],
                    vec![],
                    vec![
                        condition()[0].clone(),
                        tag("StringEquals", "aws:ResourceTag/stage", "prod"),
                    ],
                ),
                false,
            ),
            (
                "a negated condition narrows",
                selection(
                    &["*"],
                    &[],
                    listed(),
                    vec![tag("StringNotEquals", "aws:ResourceTag/stage", "test")],
                ),
                false,
            ),
            (
                "a like condition is not read",
                selection(
                    &["*"],
                    &[],
                    vec![],
                    vec![tag("StringLike", "aws:ResourceTag/backup", "crit*")],
                ),
                false,
            ),
        ];
        for (name, selection, expected) in cases {
            assert_eq!(
                selects_every_tagged(&selection, "backup", "critical"),
                expected,
                "{name}"
            );
        }
    }
}
