//! `aws.iam.unused-credentials`: passwords and active keys unused for more
//! than `max_unused_days` are removed (offboarding).

use chrono::{DateTime, Utc};
use serde::Deserialize;
use tenet_inventory::{
    Observed,
    aws::{IamUser, KeyStatus},
};

use crate::{
    Context, Outcome, Resource,
    support::{each_user, parameter_error},
};

/// The control's parameters (defaults in its metadata file).
#[derive(Debug, Deserialize)]
struct Params {
    /// Days a credential may go unused.
    max_unused_days: i64,
}

/// One outcome per user with a password or an active key.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Params = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let max = params.max_unused_days;
    let now = cx.snapshot.collected_at;
    each_user(cx, |_, user, out| {
        if let Some(outcome) = judge(user, now, max) {
            out.push(outcome);
        }
    })
}

/// Days since a credential was last used, or since it was created if never.
fn idle_days(now: DateTime<Utc>, last_used: Option<DateTime<Utc>>, created: DateTime<Utc>) -> i64 {
    (now - last_used.unwrap_or(created)).num_days()
}

/// A credential's last use for the evidence: its time, or `never (created
/// …)`.
fn last_use(last_used: Option<DateTime<Utc>>, created: DateTime<Utc>) -> String {
    match last_used {
        Some(when) => when.to_rfc3339(),
        None => format!("never (created {})", created.to_rfc3339()),
    }
}

fn judge(user: &IamUser, now: DateTime<Utc>, max: i64) -> Option<Outcome> {
    let resource = Resource::iam_user(&user.arn);
    let mut stale = Vec::new();
    let mut unknown = Vec::new();
    let mut credentials = 0;
    let mut last_used = serde_json::Map::new();
    match (&user.console_access, &user.password_last_used) {
        (Observed::Known(false), _) => {}
        (Observed::Known(true), Observed::Known(last)) => {
            credentials += 1;
            last_used.insert("password".into(), last_use(*last, user.created).into());
            let days = idle_days(now, *last, user.created);
            if days > max {
                stale.push(format!("password unused for {days} days"));
            }
        }
        (Observed::Known(true), Observed::Unavailable { reason })
        | (Observed::Unavailable { reason }, _) => unknown.push(format!("password: {reason}")),
    }
    match &user.access_keys {
        Observed::Known(keys) => {
            for key in keys.iter().filter(|k| k.status == KeyStatus::Active) {
                credentials += 1;
                last_used.insert(
                    format!("key {}", key.id),
                    last_use(key.last_used, key.created).into(),
                );
                let days = idle_days(now, key.last_used, key.created);
                if days > max {
                    stale.push(format!("key {} unused for {days} days", key.id));
                }
            }
        }
        Observed::Unavailable { reason } => unknown.push(format!("access keys: {reason}")),
    }
    let outcome = if !stale.is_empty() {
        Outcome::fail(resource, format!("{}: {}", user.name, stale.join(", ")))
    } else if !unknown.is_empty() {
        Outcome::unavailable(
            resource,
            &format!("when {} last used its credentials", user.name),
            &unknown.join("; "),
        )
    } else if credentials == 0 {
        return None;
    } else {
        Outcome::pass(
            resource,
            format!("{} used every credential within {max} days", user.name),
        )
    };
    let outcome = outcome.with("max_unused_days", max);
    Some(if last_used.is_empty() {
        outcome
    } else {
        outcome.with("last_used", serde_json::Value::Object(last_used))
    })
}
