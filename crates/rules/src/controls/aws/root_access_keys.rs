//! `aws.iam.root-access-keys`: the root user has no access keys.

use tenet_inventory::Observed;

use crate::{Context, Outcome, Resource, support::each_account};

/// One outcome per account's root user.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_account(cx, |account, out| {
        let resource = Resource::aws_root(&account.account_id);
        out.push(match &account.root.access_keys_present {
            Observed::Known(false) => Outcome::pass(resource, "the root user has no access keys")
                .with("access_keys_present", false),
            Observed::Known(true) => Outcome::fail(
                resource,
                "the root user has access keys: unrestricted, unmonitored API access to the account",
            )
            .with("access_keys_present", true),
            Observed::Unavailable { reason } => {
                Outcome::unavailable(resource, "whether the root user has access keys", reason)
            }
        });
    })
}
