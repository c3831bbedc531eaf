//! `aws.iam.admin-mfa`: every IAM user that is an administrator (holds full
//! admin, or can make itself full admin) has MFA.

use tenet_inventory::{Observed, aws::IamUser};

use crate::{
    Context, Outcome, Resource,
    iam::AccountIam,
    support::{each_account, users_of},
};

/// One outcome per administrator (or user whose grants are unknown).
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_account(cx, |account, out| {
        // The account's roles judged once, whichever of its users pass them.
        let iam = AccountIam::new(account, cx.snapshot.collected_at);
        for user in users_of(account, out) {
            judge(&iam, user, out);
        }
    })
}

/// The outcome of one user, if it is an administrator or its grants are
/// unknown.
fn judge(iam: &AccountIam<'_>, user: &IamUser, out: &mut Vec<Outcome>) {
    let resource = Resource::iam_user(&user.arn);
    let grants = match iam.user_grants(user) {
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
    out.push(outcome.with("policies", grants.policies));
}
