//! `aws.iam.admin-mfa`: every IAM user that is an administrator (holds full
//! admin, or can make itself full admin) has MFA.

use std::collections::HashMap;

use tenet_inventory::Observed;

use crate::{Context, Outcome, Resource, iam::AccountIam, support::each_user};

/// One outcome per administrator (or user whose grants are unknown).
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    // Each account's roles judged once, whichever of its users pass them.
    let accounts: HashMap<&str, AccountIam<'_>> = cx
        .snapshot
        .aws
        .iter()
        .map(|account| {
            (
                account.account_id.as_str(),
                AccountIam::new(account, cx.snapshot.collected_at),
            )
        })
        .collect();
    each_user(cx, |account, user, out| {
        let resource = Resource::iam_user(&user.arn);
        let judged = accounts
            .get(account.account_id.as_str())
            .map(|iam| iam.user_grants(user))
            .unwrap_or_else(|| {
                AccountIam::new(account, cx.snapshot.collected_at).user_grants(user)
            });
        let grants = match judged {
            Ok(grants) => grants,
            Err(reason) => {
                out.push(Outcome::unavailable(
                    resource,
                    &format!("what {} may do", user.name),
                    &reason,
                ));
                return;
            }
        };
        if !grants.is_administrator() {
            return;
        }
        let outcome = match &user.mfa_devices {
            Observed::Known(devices) if devices.is_empty() => Outcome::fail(
                resource,
                format!("{} is an administrator and has no MFA device", user.name),
            ),
            Observed::Known(_) => Outcome::pass(
                resource,
                format!("{} is an administrator and has MFA", user.name),
            ),
            Observed::Unavailable { reason } => Outcome::unavailable(
                resource,
                &format!("the MFA devices of {}", user.name),
                reason,
            ),
        };
        out.push(outcome.with("policies", grants.policies.clone()));
    })
}
