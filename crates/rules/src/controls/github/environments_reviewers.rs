//! `github.environments.reviewers`: production deployment environments need
//! a reviewer other than the person deploying.

use super::environments_common::Production;
use crate::{
    Context, Outcome, Resource,
    environment::{self, Reviewers},
    support::{Globs, each_repo, known, parameter_error},
};

/// One outcome per production environment.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Production = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let production = Globs::ignoring_case(&params.production_environments);
    each_repo(cx, |org, repo, out| {
        let Some(environments) = known(
            &repo.environments,
            out,
            || Resource::github_repo(&org.login, &repo.name),
            "the repository's environments",
        ) else {
            return;
        };
        for env in environments
            .iter()
            .filter(|env| production.is_match(&env.name))
        {
            let resource = Resource::github_repo_part(
                &org.login,
                &repo.name,
                "environment",
                &env.name,
                "GitHub deployment environment",
            );
            let reviewers: Vec<String> = env
                .required_reviewers
                .iter()
                .map(|a| format!("{}:{}", a.kind, a.name))
                .collect();
            let outcome = match environment::reviewers(env) {
                Reviewers::None => Outcome::fail(
                    resource,
                    format!("deployments to {} need no approval", env.name),
                ),
                Reviewers::SelfReview => Outcome::fail(
                    resource,
                    format!(
                        "the person deploying to {} may approve their own deployment",
                        env.name
                    ),
                ),
                Reviewers::AdminBypass => Outcome::fail(
                    resource,
                    format!(
                        "administrators may bypass the required reviewers of {} and deploy without another person's approval",
                        env.name
                    ),
                ),
                Reviewers::Another => Outcome::pass(
                    resource,
                    format!("deployments to {} need another person's approval", env.name),
                ),
                Reviewers::BypassUnknown(reason) => Outcome::unavailable(
                    resource,
                    &format!(
                        "whether administrators may bypass the required reviewers of {}",
                        env.name
                    ),
                    reason,
                ),
            };
            out.push(
                outcome
                    .with("required_reviewers", reviewers)
                    .with("prevent_self_review", env.prevent_self_review)
                    .with("admins_can_bypass", env.admins_can_bypass.known().copied()),
            );
        }
    })
}
