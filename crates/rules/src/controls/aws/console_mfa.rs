//! `aws.iam.console-mfa`: every IAM user who can sign in to the console has
//! an MFA device.

use tenet_inventory::{Observed, aws::AwsAccount};

use crate::{Context, Outcome, Resource};

/// One outcome per IAM user with console access (or whose console access is
/// unknown); one pass per account without console users; one error per
/// account whose users could not be listed.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    cx.snapshot.aws.iter().flat_map(check_account).collect()
}

fn check_account(account: &AwsAccount) -> Vec<Outcome> {
    let users = match &account.users {
        Observed::Known(users) => users,
        Observed::Unavailable { reason } => {
            return vec![Outcome::unavailable(
                Resource::aws_account(&account.account_id),
                "the account's IAM users",
                reason,
            )];
        }
    };
    let mut outcomes = Vec::new();
    for user in users {
        let resource = Resource::iam_user(&user.arn);
        let outcome = match (&user.console_access, &user.mfa_devices) {
            (Observed::Known(false), _) => continue,
            (Observed::Unavailable { reason }, _) => Outcome::unavailable(
                resource,
                &format!("whether {} has console access", user.name),
                reason,
            ),
            (Observed::Known(true), Observed::Unavailable { reason }) => Outcome::unavailable(
                resource,
                &format!("the MFA devices of {}", user.name),
                reason,
            ),
            (Observed::Known(true), Observed::Known(devices)) if devices.is_empty() => {
                Outcome::fail(
                    resource,
                    format!("{} can sign in to the console without MFA", user.name),
                )
            }
            (Observed::Known(true), Observed::Known(devices)) => Outcome::pass(
                resource,
                format!(
                    "{} has {} MFA device{}",
                    user.name,
                    devices.len(),
                    if devices.len() == 1 { "" } else { "s" }
                ),
            ),
        };
        outcomes.push(
            outcome
                .with("console_access", user.console_access.known().copied())
                .with(
                    "mfa_devices",
                    user.mfa_devices.known().map(|devices| devices.len()),
                ),
        );
    }
    if outcomes.is_empty() {
        outcomes.push(
            Outcome::pass(
                Resource::aws_account(&account.account_id),
                format!("no IAM user of {} has console access", account.account_id),
            )
            .with("users", users.len()),
        );
    }
    outcomes
}
