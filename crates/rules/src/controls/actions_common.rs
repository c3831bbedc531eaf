//! Shared walk of the GitHub Actions settings: the organization's, then each
//! repository's override.

use tenet_inventory::github::ActionsSettings;

use crate::{
    Context, Outcome, Resource,
    support::{each_org, known},
};

/// Judges the organization's Actions settings and every repository's.
pub(crate) fn each_actions_settings(
    cx: &Context<'_>,
    judge: impl Fn(Resource, &ActionsSettings) -> Outcome,
) -> Vec<Outcome> {
    each_org(cx, |org, out| {
        let resource = || Resource::github_org(&org.login);
        if let Some(settings) = known(&org.actions, out, resource, "the Actions settings") {
            out.push(judge(resource(), settings));
        }
        let Some(repos) = known(
            &org.repositories,
            out,
            resource,
            "the organization's repositories",
        ) else {
            return;
        };
        for repo in repos {
            let resource = || Resource::github_repo(&org.login, &repo.name);
            if let Some(settings) = known(&repo.actions, out, resource, "the Actions settings") {
                out.push(judge(resource(), settings));
            }
        }
    })
}
