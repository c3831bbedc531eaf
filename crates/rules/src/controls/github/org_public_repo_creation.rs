//! `github.org.public-repo-creation`: members cannot create public
//! repositories.

use tenet_inventory::Observed;

use crate::{Context, Outcome, Resource, support::each_org};

/// One outcome per organization.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_org(cx, |org, out| {
        let resource = Resource::github_org(&org.login);
        out.push(match &org.settings.members_can_create_public_repositories {
            Observed::Known(false) => {
                Outcome::pass(resource, "members cannot create public repositories")
                    .with("members_can_create_public_repositories", false)
            }
            Observed::Known(true) => Outcome::fail(
                resource,
                "any member can create a public repository, and publish code with it",
            )
            .with("members_can_create_public_repositories", true),
            Observed::Unavailable { reason } => Outcome::unavailable(
                resource,
                "whether members can create public repositories",
                reason,
            ),
        });
    })
}
