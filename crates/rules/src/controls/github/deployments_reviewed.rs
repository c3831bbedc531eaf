//! `github.deployments.reviewed`: every deployment to a production
//! environment during the audit period was approved, in GitHub's
//! environment review, by someone other than the person who triggered it
//! or started an attempt of the run that made it.

use serde_json::json;
use tenet_inventory::github::{Deployment, DeploymentReviewState};

use super::environments_common::Production;
use crate::{
    Context, Outcome, Resource,
    support::{Globs, each_repo_in_period, known, parameter_error, short},
};

/// What the control reads.
const FACT: &str = "the deployments of the audit period";

/// One outcome per deployment of the period; an error for a repository
/// whose deployments could not be read, or a production environment the
/// snapshot has none of.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Production = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let production = Globs::ignoring_case(&params.production_environments);
    each_repo_in_period(cx, FACT, |org, repo, period, out| {
        let repository = || Resource::github_repo(&org.login, &repo.name);
        let Some(environments) = known(
            &repo.environments,
            out,
            repository,
            "the repository's environments",
        ) else {
            return;
        };
        let Some(read) = known(&repo.deployments, out, repository, FACT) else {
            return;
        };
        // A production environment whose deployments the snapshot lacks
        // (collected under other production_environments) is not an
        // environment without deployments.
        for missing in environments
            .iter()
            .filter(|environment| production.is_match(&environment.name))
            .filter(|environment| {
                !read
                    .iter()
                    .any(|r| r.environment.eq_ignore_ascii_case(&environment.name))
            })
        {
            out.push(Outcome::unavailable(
                Resource::github_repo_part(
                    &org.login,
                    &repo.name,
                    "environment",
                    &missing.name,
                    "GitHub deployment environment",
                ),
                FACT,
                "the snapshot has no deployments of this environment: it was collected with other production_environments; collect again with this policy",
            ));
        }
        for deployment in read
            .iter()
            .filter(|r| production.is_match(&r.environment))
            .flat_map(|r| &r.deployments)
            .filter(|d| period.contains(d.created_at))
        {
            let resource = Resource::github_repo_part(
                &org.login,
                &repo.name,
                "deployment",
                &deployment.id.to_string(),
                "GitHub deployment",
            );
            out.push(judge(resource, deployment));
        }
    })
}

/// One deployment: an approval by someone other than whoever triggered it,
/// or why there is none.
fn judge(resource: Resource, deployment: &Deployment) -> Outcome {
    let sha = short(&deployment.commit);
    let what = format!(
        "deployment {} of {sha} to {}",
        deployment.id, deployment.environment
    );
    let triggered_by = deployment.creator.as_ref().map(|c| c.login.as_str());
    let evidence = |outcome: Outcome| {
        outcome
            .with("environment", deployment.environment.as_str())
            .with("deployment", deployment.id)
            .with("commit", deployment.commit.as_str())
            .with("created_at", deployment.created_at.to_rfc3339())
            .with("state", deployment.state.as_str())
            .with("triggered_by", triggered_by)
    };
    if deployment.state == "waiting" {
        return evidence(Outcome::skipped(
            resource,
            format!("{what} was waiting for a review when collected: it has not run"),
        ));
    }
    let run = match deployment.run.as_result() {
        Ok(run) => run,
        Err(reason) => {
            return evidence(Outcome::unavailable(
                resource,
                &format!("who approved {what}"),
                reason,
            ));
        }
    };
    let Some(triggered_by) = triggered_by else {
        return evidence(Outcome::unavailable(
            resource,
            &format!("who triggered {what}"),
            "GitHub names no account (a deleted one), so an approval by that person cannot be told apart",
        ))
        .with("run", run.id);
    };
    let for_this = |state: DeploymentReviewState| -> Vec<&str> {
        let mut logins: Vec<&str> = run
            .reviews
            .iter()
            .filter(|review| review.state == state)
            .filter(|review| {
                review
                    .environments
                    .iter()
                    .any(|e| e.eq_ignore_ascii_case(&deployment.environment))
            })
            .map(|review| review.reviewer.as_str())
            .collect();
        logins.sort_unstable();
        logins.dedup();
        logins
    };
    let approvals = for_this(DeploymentReviewState::Approved);
    let rejections = for_this(DeploymentReviewState::Rejected);
    // Whoever re-ran the run triggered the deployment its attempt made,
    // though GitHub names the run's first actor as its creator.
    let starters: Vec<&str> = run
        .started_by
        .known()
        .map(|accounts| accounts.iter().map(|a| a.login.as_str()).collect())
        .unwrap_or_default();
    let (others, own): (Vec<&str>, Vec<&str>) = approvals.iter().partition(|login| {
        !login.eq_ignore_ascii_case(triggered_by)
            && !starters
                .iter()
                .any(|starter| login.eq_ignore_ascii_case(starter))
    });
    let outcome = if let (false, Err(reason)) = (others.is_empty(), run.started_by.as_result()) {
        Outcome::unavailable(
            resource,
            &format!("who started the attempts of workflow run {}", run.id),
            reason,
        )
    } else if !others.is_empty() {
        Outcome::pass(
            resource,
            format!(
                "{what}, triggered by {triggered_by}, approved by {}",
                others.join(", ")
            ),
        )
    } else if approvals.is_empty() && !rejections.is_empty() {
        Outcome::pass(
            resource,
            format!(
                "{what}, triggered by {triggered_by}, was rejected by {}: it did not run",
                rejections.join(", ")
            ),
        )
    } else if own
        .iter()
        .all(|login| login.eq_ignore_ascii_case(triggered_by))
        && !own.is_empty()
    {
        Outcome::fail(
            resource,
            format!(
                "{what} was approved only by {triggered_by}, who triggered it (workflow run {})",
                run.id
            ),
        )
    } else if !own.is_empty() {
        Outcome::fail(
            resource,
            format!(
                "{what}, triggered by {triggered_by}, was approved only by {}, who started or re-ran its workflow run {}",
                own.join(", "),
                run.id
            ),
        )
    } else {
        Outcome::fail(
            resource,
            format!(
                "{what}, triggered by {triggered_by}, ran with nobody's approval (the environment had no required reviewers then, or an administrator bypassed them; workflow run {})",
                run.id
            ),
        )
    };
    evidence(outcome)
        .with("run", run.id)
        .with(
            "run_started_by",
            run.started_by.known().map(|_| json!(starters)),
        )
        .with("approvers", json!(others))
        .with("self_approved", !own.is_empty())
        .with("rejected_by", json!(rejections))
}

#[cfg(test)]
mod tests {
    use tenet_inventory::{
        Observed,
        github::{Account, DeploymentReview, DeploymentRun},
    };

    use super::*;

    fn account(login: &str) -> Account {
        Account {
            login: login.to_owned(),
            kind: "User".to_owned(),
        }
    }

    /// A deployment alice created, approved by `approver`, whose run
    /// `started_by` says who started its attempts.
    fn deployment(approver: &str, started_by: Observed<Vec<Account>>) -> Deployment {
        Deployment {
            id: 812,
            environment: "production".into(),
            created_at: chrono::DateTime::default(),
            commit: "b8".repeat(20),
            state: "active".into(),
            creator: Some(account("alice")),
            run: Observed::Known(DeploymentRun {
                id: 8012,
                reviews: vec![DeploymentReview {
                    reviewer: approver.into(),
                    state: DeploymentReviewState::Approved,
                    environments: vec!["production".into()],
                }],
                started_by,
            }),
        }
    }

    #[test]
    fn whoever_re_ran_the_run_cannot_approve_its_deployment() {
        let resource = || Resource::new("github:acme/api:deployment/812", "GitHub deployment");
        let started =
            |logins: &[&str]| Observed::Known(logins.iter().map(|l| account(l)).collect());
        let cases = [
            (
                "another person",
                deployment("bob", started(&["alice"])),
                crate::CheckStatus::Pass,
            ),
            (
                "the person who re-ran it",
                deployment("Dave", started(&["alice", "dave"])),
                crate::CheckStatus::Fail,
            ),
            (
                "someone else while the starters are unknown",
                deployment("bob", Observed::unavailable("GET …/runs/8012: 404")),
                crate::CheckStatus::Error,
            ),
            (
                "the creator while the starters are unknown",
                deployment("alice", Observed::unavailable("GET …/runs/8012: 404")),
                crate::CheckStatus::Fail,
            ),
        ];
        for (name, deployment, status) in cases {
            let outcome = judge(resource(), &deployment);
            assert_eq!(outcome.status, status, "{name}: {outcome:?}");
        }
    }

    #[test]
    fn the_default_parameters_fit_the_type() {
        let catalog = crate::catalog();
        let control = catalog
            .get("github.deployments.reviewed")
            .expect("in the catalog");
        let params = crate::Params::resolve(&control.meta.parameters, &Default::default());
        let production: Production = params.typed().expect("defaults fit");
        assert_eq!(production.production_environments, ["prod*", "production*"]);
    }
}
