//! `github.org.base-permission`: members get no more than read access to
//! every repository by default.

use tenet_inventory::{Observed, github::BasePermission};

use crate::{Context, Outcome, Resource, support::each_org};

/// One outcome per organization.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_org(cx, |org, out| {
        let resource = Resource::github_org(&org.login);
        out.push(match &org.settings.default_repository_permission {
            Observed::Known(p @ (BasePermission::None | BasePermission::Read)) => Outcome::pass(
                resource,
                format!("base repository permission is {}", name(*p)),
            )
            .with("default_repository_permission", name(*p)),
            Observed::Known(p) => Outcome::fail(
                resource,
                format!(
                    "base repository permission is {}: every member can change every repository",
                    name(*p)
                ),
            )
            .with("default_repository_permission", name(*p)),
            Observed::Unavailable { reason } => {
                Outcome::unavailable(resource, "the base repository permission", reason)
            }
        });
    })
}

fn name(permission: BasePermission) -> &'static str {
    match permission {
        BasePermission::None => "none",
        BasePermission::Read => "read",
        BasePermission::Write => "write",
        BasePermission::Admin => "admin",
    }
}
