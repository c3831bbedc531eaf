//! `github.members.two-factor`: every organization member has 2FA enabled.

use tenet_inventory::Observed;

use crate::{Context, Outcome, Resource};

/// One outcome per member; one error for an organization whose member list
/// could not be read.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    for org in &cx.snapshot.github {
        let members = match &org.members {
            Observed::Known(members) => members,
            Observed::Unavailable { reason } => {
                outcomes.push(Outcome::unavailable(
                    Resource::github_org(&org.login),
                    "the organization's members",
                    reason,
                ));
                continue;
            }
        };
        for member in members {
            let resource = Resource::github_member(&org.login, &member.login);
            let outcome = match &member.two_factor_enabled {
                Observed::Known(true) => Outcome::pass(
                    resource,
                    format!("{} has two-factor authentication enabled", member.login),
                ),
                Observed::Known(false) => Outcome::fail(
                    resource,
                    format!("{} has not enabled two-factor authentication", member.login),
                ),
                Observed::Unavailable { reason } => Outcome::unavailable(
                    resource,
                    &format!("whether {} has 2FA enabled", member.login),
                    reason,
                ),
            };
            outcomes.push(
                outcome
                    .with(
                        "role",
                        serde_json::to_value(member.role).unwrap_or_default(),
                    )
                    .with(
                        "two_factor_enabled",
                        member.two_factor_enabled.known().copied(),
                    ),
            );
        }
    }
    outcomes
}
