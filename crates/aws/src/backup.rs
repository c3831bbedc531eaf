//! AWS Backup: the region's backup plans with their rules and resource
//! selections, and the resource types opted in to AWS Backup. One list call
//! per region (per 100 plans) and one settings call, then per plan one call
//! for its rules and one list of its selections, and one call per selection.

use std::collections::BTreeMap;

use aws_sdk_backup::{
    Client,
    types::{BackupSelection as SdkSelection, ConditionParameter},
};
use futures::{StreamExt, stream};
use tenet_inventory::{
    Observed,
    aws::{BackupPlan, BackupRule, BackupSelection, TagCondition},
};

use crate::{error::reason, pages::PageToken};

#[cfg(test)]
mod tests;

/// The largest page the `List*` calls of AWS Backup serve.
const PAGE: i32 = 100;

/// Plans read at the same time.
const CONCURRENCY: usize = 4;

/// The region's backup plans, sorted by name, each with its rules and
/// selections.
pub(crate) async fn plans(client: &Client) -> Observed<Vec<BackupPlan>> {
    const CALL: &str = "backup:ListBackupPlans";
    let mut pages = client
        .list_backup_plans()
        .max_results(PAGE)
        .into_paginator()
        .send();
    let mut listed = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        token.saw(page.next_token());
        let Some(plans) = &page.backup_plans_list else {
            return Observed::unavailable(format!("{CALL} answered without BackupPlansList"));
        };
        for plan in plans {
            let (Some(id), Some(name)) = (
                plan.backup_plan_id().filter(|id| !id.is_empty()),
                plan.backup_plan_name().filter(|name| !name.is_empty()),
            ) else {
                return Observed::unavailable(format!(
                    "{CALL} listed a plan without its BackupPlanId or BackupPlanName"
                ));
            };
            listed.push((id.to_owned(), name.to_owned()));
        }
    }
    if let Some(cut) = token.cut_short(CALL) {
        return Observed::unavailable(cut);
    }
    let mut plans: Vec<BackupPlan> = stream::iter(listed)
        .map(|(id, name)| async move {
            let (rules, selections) = tokio::join!(rules(client, &id), selections(client, &id));
            BackupPlan {
                id,
                name,
                rules,
                selections,
            }
        })
        .buffered(CONCURRENCY)
        .collect()
        .await;
    plans.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    Observed::Known(plans)
}

/// The rules of one plan.
async fn rules(client: &Client, plan: &str) -> Observed<Vec<BackupRule>> {
    const CALL: &str = "backup:GetBackupPlan";
    let output = match client.get_backup_plan().backup_plan_id(plan).send().await {
        Ok(output) => output,
        Err(err) => return Observed::unavailable(reason(CALL, &err)),
    };
    let Some(document) = output.backup_plan() else {
        return Observed::unavailable(format!("{CALL} answered without BackupPlan"));
    };
    let mut rules = Vec::new();
    for rule in document.rules() {
        if rule.rule_name().is_empty() {
            return Observed::unavailable(format!("{CALL} answered a rule without its RuleName"));
        }
        let delete_after_days = match rule
            .lifecycle()
            .and_then(|lifecycle| lifecycle.delete_after_days())
        {
            None => None,
            Some(days) => match u32::try_from(days) {
                Ok(days) => Some(days),
                Err(_) => {
                    return Observed::unavailable(format!(
                        "{CALL} answered the rule {} with DeleteAfterDays {days}",
                        rule.rule_name()
                    ));
                }
            },
        };
        rules.push(BackupRule {
            name: rule.rule_name().to_owned(),
            delete_after_days,
        });
    }
    rules.sort_by(|a, b| a.name.cmp(&b.name));
    Observed::Known(rules)
}

/// The resource selections of one plan, sorted by name.
async fn selections(client: &Client, plan: &str) -> Observed<Vec<BackupSelection>> {
    const CALL: &str = "backup:ListBackupSelections";
    let mut pages = client
        .list_backup_selections()
        .backup_plan_id(plan)
        .max_results(PAGE)
        .into_paginator()
        .send();
    let mut ids = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        token.saw(page.next_token());
        let Some(listed) = &page.backup_selections_list else {
            return Observed::unavailable(format!("{CALL} answered without BackupSelectionsList"));
        };
        for selection in listed {
            let Some(id) = selection.selection_id().filter(|id| !id.is_empty()) else {
                return Observed::unavailable(format!(
                    "{CALL} listed a selection without its SelectionId"
                ));
            };
            ids.push(id.to_owned());
        }
    }
    if let Some(cut) = token.cut_short(CALL) {
        return Observed::unavailable(cut);
    }
    let mut selections = Vec::new();
    for id in ids {
        match selection(client, plan, &id).await {
            Ok(selection) => selections.push(selection),
            Err(reason) => return Observed::unavailable(reason),
        }
    }
    selections.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    Observed::Known(selections)
}

/// One selection: which resources it assigns to the plan.
async fn selection(client: &Client, plan: &str, id: &str) -> Result<BackupSelection, String> {
    const CALL: &str = "backup:GetBackupSelection";
    let output = client
        .get_backup_selection()
        .backup_plan_id(plan)
        .selection_id(id)
        .send()
        .await
        .map_err(|err| reason(CALL, &err))?;
    let selection: &SdkSelection = output
        .backup_selection()
        .ok_or_else(|| format!("{CALL} answered without BackupSelection"))?;
    let mut list_of_tags = Vec::new();
    for tag in selection.list_of_tags() {
        if tag.condition_key().is_empty() {
            return Err(format!(
                "{CALL} answered a tag condition without its ConditionKey"
            ));
        }
        list_of_tags.push(TagCondition {
            operator: tag.condition_type().as_str().to_owned(),
            key: tag.condition_key().to_owned(),
            value: tag.condition_value().to_owned(),
        });
    }
    let mut conditions = Vec::new();
    if let Some(given) = selection.conditions() {
        for (operator, parameters) in [
            ("StringEquals", given.string_equals()),
            ("StringNotEquals", given.string_not_equals()),
            ("StringLike", given.string_like()),
            ("StringNotLike", given.string_not_like()),
        ] {
            for parameter in parameters {
                conditions.push(condition(CALL, operator, parameter)?);
            }
        }
    }
    Ok(BackupSelection {
        id: id.to_owned(),
        name: selection.selection_name().to_owned(),
        resources: selection.resources().to_vec(),
        not_resources: selection.not_resources().to_vec(),
        list_of_tags,
        conditions,
    })
}

/// One condition of a selection's `Conditions`.
fn condition(
    call: &str,
    operator: &str,
    parameter: &ConditionParameter,
) -> Result<TagCondition, String> {
    match (parameter.condition_key(), parameter.condition_value()) {
        (Some(key), Some(value)) if !key.is_empty() => Ok(TagCondition {
            operator: operator.to_owned(),
            key: key.to_owned(),
            value: value.to_owned(),
        }),
        _ => Err(format!(
            "{call} answered a {operator} condition without its ConditionKey or ConditionValue"
        )),
    }
}

/// Which resource types are opted in to AWS Backup in the region, by type
/// (`EBS`, `RDS`, `Aurora`, …).
pub(crate) async fn opt_in(client: &Client) -> Observed<BTreeMap<String, bool>> {
    const CALL: &str = "backup:DescribeRegionSettings";
    match client.describe_region_settings().send().await {
        Ok(output) => match output.resource_type_opt_in_preference() {
            Some(preferences) => Observed::Known(
                preferences
                    .iter()
                    .map(|(kind, on)| (kind.clone(), *on))
                    .collect(),
            ),
            None => Observed::unavailable(format!(
                "{CALL} answered without ResourceTypeOptInPreference"
            )),
        },
        Err(err) => Observed::unavailable(reason(CALL, &err)),
    }
}
