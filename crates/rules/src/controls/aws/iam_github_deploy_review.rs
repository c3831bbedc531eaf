//! `aws.iam.github-deploy-review`: every way from GitHub Actions into a
//! production role passes a second person's review.

use serde::Deserialize;
use serde_json::Value;

use super::iam_trust_common::{RoleTrust, each_trust};
use crate::{
    Context, Outcome, Resource,
    branch::Approvals,
    deploy::{DeployPath, PathStatus, deploy_paths, github_trusts},
    iam::AccountIam,
    support::{Globs, parameter_error},
};

/// The control's parameters (defaults in its metadata file).
#[derive(Debug, Deserialize)]
struct Params {
    #[serde(flatten)]
    approvals: Approvals,
    /// Role ARN globs that are production, besides the administrators.
    production_roles: Vec<String>,
}

/// One outcome per role that trusts GitHub Actions' OIDC tokens.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Params = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let min = params.approvals.min_approvals;
    let production = Globs::new(&params.production_roles);
    let orgs = &cx.snapshot.github;
    // The IAM analysis of the account at hand, made once per account.
    let mut analyzed: Option<(&str, AccountIam<'_>)> = None;
    each_trust(
        cx,
        |RoleTrust {
             account,
             role,
             document,
             ..
         },
         resource,
         out| {
            let trusts = github_trusts(&document);
            if trusts.is_empty() {
                return;
            }
            let why_production = if production.is_match(&role.arn) {
                "its ARN matches production_roles".to_owned()
            } else {
                if analyzed
                    .as_ref()
                    .is_none_or(|(id, _)| *id != account.account_id)
                {
                    analyzed = Some((
                        &account.account_id,
                        AccountIam::new(account, cx.snapshot.collected_at),
                    ));
                }
                let grants = analyzed.as_ref().map(|(_, iam)| iam.role_grants(role));
                match grants {
                    Some(Ok(grants)) if grants.is_administrator() => {
                        "it is an administrator".to_owned()
                    }
                    Some(Err(reason)) => {
                        out.push(Outcome::unavailable(
                            resource,
                            &format!("whether {} is a production role", role.name),
                            &reason,
                        ));
                        return;
                    }
                    _ => {
                        out.push(Outcome::skipped(
                            resource,
                            format!(
                                "{} is trusted by GitHub Actions but is not a production role \
                             (not an administrator, and production_roles does not name it)",
                                role.name
                            ),
                        ));
                        return;
                    }
                }
            };
            let issuers: Vec<String> = trusts.iter().map(|t| t.issuer.clone()).collect();
            if orgs.is_empty() {
                out.push(
                    Outcome::unavailable(
                        resource,
                        &format!("who may deploy through {}", role.name),
                        "it trusts GitHub Actions and no GitHub organization is in this \
                     snapshot: scan the organizations with the accounts, in one job \
                     (--github-org with --aws, not separate shards)",
                    )
                    .with("issuers", issuers),
                );
                return;
            }
            let mut paths: Vec<DeployPath> = trusts
                .iter()
                .flat_map(|trust| deploy_paths(trust, orgs, min))
                .collect();
            paths.sort_by_key(|path| std::cmp::Reverse(path.status));
            out.push(
                judge(&role.name, resource, &paths)
                    .with("production", why_production)
                    .with("issuers", issuers)
                    .with(
                        "paths",
                        Value::Array(paths.iter().map(DeployPath::evidence).collect()),
                    ),
            );
        },
    )
}

/// The role's verdict: fail on an open path, error on an undecided one.
fn judge(name: &str, resource: Resource, paths: &[DeployPath]) -> Outcome {
    let count = |status| paths.iter().filter(|p| p.status == status).count();
    let (open, undecided) = (count(PathStatus::Open), count(PathStatus::Undecided));
    let first = paths.first().map(DeployPath::describe).unwrap_or_default();
    let more = |n: usize| {
        if n > 1 {
            format!(" (and {} more)", n - 1)
        } else {
            String::new()
        }
    };
    if open > 0 {
        Outcome::fail(
            resource,
            format!(
                "{name} can be assumed from GitHub Actions without a second person's review: {first}{}",
                more(open)
            ),
        )
    } else if undecided > 0 {
        Outcome::unavailable(
            resource,
            &format!("whether every path from GitHub Actions into {name} is reviewed"),
            &format!("{first}{}", more(undecided)),
        )
    } else if paths.is_empty() {
        Outcome::pass(
            resource,
            format!(
                "{name} trusts GitHub Actions, but no token of the scanned organizations or of anyone else fits its trust policy"
            ),
        )
    } else {
        Outcome::pass(
            resource,
            format!(
                "every path from GitHub Actions into {name} passes a second person's review ({})",
                match paths.len() {
                    1 => "1 path".to_owned(),
                    n => format!("{n} paths"),
                }
            ),
        )
    }
}
