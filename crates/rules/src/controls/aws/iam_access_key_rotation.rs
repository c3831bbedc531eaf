//! `aws.iam.access-key-rotation`: active access keys are younger than
//! `max_key_age_days`.

use chrono::Duration;
use serde::Deserialize;

use crate::{
    Context, Outcome, Resource,
    support::{each_user, known, parameter_error},
};
use tenet_inventory::aws::KeyStatus;

/// The control's parameters (defaults in its metadata file).
#[derive(Debug, Deserialize)]
struct Params {
    /// Oldest an active key may be, in days.
    max_key_age_days: u64,
}

/// One outcome per user with active keys.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Params = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let max = params.max_key_age_days;
    let now = cx.snapshot.collected_at;
    each_user(cx, |_, user, out| {
        let resource = || Resource::iam_user(&user.arn);
        let Some(keys) = known(&user.access_keys, out, resource, "the user's access keys") else {
            return;
        };
        let active: Vec<_> = keys
            .iter()
            .filter(|k| k.status == KeyStatus::Active)
            .collect();
        if active.is_empty() {
            return;
        }
        let ages: Vec<(String, i64)> = active
            .iter()
            .map(|k| (k.id.clone(), (now - k.created).num_days()))
            .collect();
        let old: Vec<String> = ages
            .iter()
            .filter(|(_, age)| {
                Duration::days(*age) > Duration::days(i64::try_from(max).unwrap_or(i64::MAX))
            })
            .map(|(id, age)| format!("{id} ({age} days)"))
            .collect();
        let outcome = if old.is_empty() {
            Outcome::pass(
                resource(),
                format!("{}'s active keys are at most {max} days old", user.name),
            )
        } else {
            Outcome::fail(
                resource(),
                format!(
                    "{} has active keys older than {max} days: {}",
                    user.name,
                    old.join(", ")
                ),
            )
        };
        out.push(
            outcome.with(
                "key_ages_days",
                serde_json::to_value(
                    ages.into_iter()
                        .collect::<std::collections::BTreeMap<_, _>>(),
                )
                .unwrap_or_default(),
            ),
        );
    })
}
