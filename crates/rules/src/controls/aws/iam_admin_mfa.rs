//! `aws.iam.admin-mfa`: every IAM user with admin-equivalent access has MFA.

use tenet_inventory::Observed;

use crate::{Context, Outcome, Resource, iam::user_grants, support::each_user};

/// One outcome per admin-equivalent user (or user whose grants are unknown).
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
        let escalation = grants
            .analysis
            .privilege_escalation
            .iter()
            .any(|e| !e.conditional);
        if !grants.is_admin() && !escalation {
            return;
        }
        let outcome = match &user.mfa_devices {
            Observed::Known(devices) if devices.is_empty() => Outcome::fail(
                resource,
                format!(
                    "{} has admin-equivalent access and no MFA device",
                    user.name
                ),
            ),
            Observed::Known(_) => Outcome::pass(
                resource,
                format!("{} has admin-equivalent access and MFA", user.name),
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
