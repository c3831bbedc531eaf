//! `aws.iam.root-hardware-mfa`: the root user's MFA is a hardware device.

use tenet_inventory::Observed;

use crate::{Context, Outcome, Resource, support::each_account};

/// One outcome per account's root user.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_account(cx, |account, out| {
        let resource = Resource::aws_root(&account.account_id);
        let root = &account.root;
        out.push(match (&root.mfa_enabled, &root.hardware_mfa) {
            (Observed::Known(false), _) => {
                Outcome::fail(resource, "the root user has no MFA device at all")
                    .with("mfa_enabled", false)
            }
            (Observed::Unavailable { reason }, _) => {
                Outcome::unavailable(resource, "whether the root user has MFA", reason)
            }
            (Observed::Known(true), Observed::Known(true)) => {
                Outcome::pass(resource, "the root user's MFA is a hardware device")
                    .with("mfa_enabled", true)
                    .with("hardware_mfa", true)
            }
            (Observed::Known(true), Observed::Known(false)) => Outcome::fail(
                resource,
                "the root user's MFA is a virtual device on a phone or computer",
            )
            .with("mfa_enabled", true)
            .with("hardware_mfa", false),
            (Observed::Known(true), Observed::Unavailable { reason }) => Outcome::unavailable(
                resource,
                "whether the root user's MFA device is hardware",
                reason,
            ),
        });
    })
}
