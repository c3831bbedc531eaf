//! Shared walk of the GitHub Actions settings: the organization's, then each
//! repository's override.

use tenet_inventory::github::ActionsSettings;

use crate::{
    Context, Outcome, Resource,
    support::{each_org, each_repo, known},
};

/// Judges the organization's Actions settings and every repository's.
pub(crate) fn each_actions_settings(
    cx: &Context<'_>,
    judge: impl Fn(Resource, &ActionsSettings) -> Outcome,
) -> Vec<Outcome> {
    let mut outcomes = each_org(cx, |org, out| {
        let resource = || Resource::github_org(&org.login);
        if let Some(settings) = known(&org.actions, out, resource, "the Actions settings") {
            out.push(judge(resource(), settings));
        }
    });
    outcomes.extend(each_repo(cx, |org, repo, out| {
        let resource = || Resource::github_repo(&org.login, &repo.name);
        if let Some(settings) = known(&repo.actions, out, resource, "the Actions settings") {
            out.push(judge(resource(), settings));
        }
    }));
    outcomes
}
