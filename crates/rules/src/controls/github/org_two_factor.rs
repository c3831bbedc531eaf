//! `github.org.two-factor-required`: the organization requires 2FA.

use tenet_inventory::Observed;

use crate::{Context, Outcome, Resource};

/// One outcome per organization.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    cx.snapshot
        .github
        .iter()
        .map(|org| {
            let resource = Resource::github_org(&org.login);
            match &org.settings.two_factor_requirement_enabled {
                Observed::Known(true) => Outcome::pass(
                    resource,
                    format!("{} requires two-factor authentication", org.login),
                ),
                Observed::Known(false) => Outcome::fail(
                    resource,
                    format!(
                        "{} does not require two-factor authentication of its members",
                        org.login
                    ),
                ),
                Observed::Unavailable { reason } => {
                    Outcome::unavailable(resource, "the organization's 2FA requirement", reason)
                }
            }
            .with(
                "two_factor_requirement_enabled",
                org.settings.two_factor_requirement_enabled.known().copied(),
            )
        })
        .collect()
}
