//! `github.repo.outside-collaborator-admin`: no outside collaborator
//! administers a repository.

use tenet_inventory::github::RepoPermission;

use crate::{
    Context, Outcome, Resource,
    support::{each_repo, known},
};

/// One outcome per repository.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_repo(cx, |org, repo, out| {
        let resource = || Resource::github_repo(&org.login, &repo.name);
        let Some(collaborators) = known(
            &repo.outside_collaborators,
            out,
            resource,
            "the repository's outside collaborators",
        ) else {
            return;
        };
        let admins: Vec<&str> = collaborators
            .iter()
            .filter(|c| c.permission == RepoPermission::Admin)
            .map(|c| c.login.as_str())
            .collect();
        let outcome = if admins.is_empty() {
            Outcome::pass(resource(), "no outside collaborator has admin access")
        } else {
            Outcome::fail(
                resource(),
                format!(
                    "outside collaborators with admin access: {}",
                    admins.join(", ")
                ),
            )
        };
        out.push(outcome.with("outside_admins", admins));
    })
}
