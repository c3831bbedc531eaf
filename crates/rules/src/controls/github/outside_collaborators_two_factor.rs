//! `github.outside-collaborators.two-factor`: every outside collaborator has
//! 2FA enabled.

use tenet_inventory::Observed;

use crate::{
    Context, Outcome, Resource,
    support::{each_org, known},
};

/// One outcome per outside collaborator.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_org(cx, |org, out| {
        let Some(collaborators) = known(
            &org.outside_collaborators,
            out,
            || Resource::github_org(&org.login),
            "the organization's outside collaborators",
        ) else {
            return;
        };
        for person in collaborators {
            let resource = Resource::github_org_part(
                &org.login,
                "outside-collaborator",
                &person.login,
                "GitHub outside collaborator",
            );
            out.push(match &person.two_factor_enabled {
                Observed::Known(true) => Outcome::pass(
                    resource,
                    format!("{} has two-factor authentication enabled", person.login),
                )
                .with("two_factor_enabled", true),
                Observed::Known(false) => Outcome::fail(
                    resource,
                    format!("{} has not enabled two-factor authentication", person.login),
                )
                .with("two_factor_enabled", false),
                Observed::Unavailable { reason } => Outcome::unavailable(
                    resource,
                    &format!("whether {} has 2FA enabled", person.login),
                    reason,
                ),
            });
        }
    })
}
