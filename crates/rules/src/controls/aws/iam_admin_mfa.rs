//! `aws.iam.admin-mfa`: every IAM user that is an administrator (holds full
//! admin, or can make itself full admin) has MFA.

use tenet_inventory::Observed;

use crate::{Context, Outcome, Resource, iam::user_grants, support::each_user};

/// One outcome per administrator (or user whose grants are unknown).
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_user(cx, |account, user, out| {
        let resource = Resource::iam_user(&user.arn);
        let grants = match user_grants(account, user) {
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
