//! `aws.iam.root-mfa`: the root user of every account has MFA.

use tenet_inventory::Observed;

use crate::{Context, Outcome, Resource};

/// One outcome per account's root user.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    cx.snapshot
        .aws
        .iter()
        .map(|account| {
            let resource = Resource::aws_root(&account.account_id);
            match &account.root.mfa_enabled {
                Observed::Known(true) => Outcome::pass(resource, "the root user has MFA enabled"),
                Observed::Known(false) => {
                    Outcome::fail(resource, "the root user has no MFA device")
                }
                Observed::Unavailable { reason } => {
                    Outcome::unavailable(resource, "whether the root user has MFA", reason)
                }
            }
            .with("mfa_enabled", account.root.mfa_enabled.known().copied())
        })
        .collect()
}
