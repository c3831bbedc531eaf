//! `github.repo.code-scanning`: code scanning analyses every repository,
//! through a code security configuration with default setup on, or through
//! analyses uploaded by default setup or a workflow.

use tenet_inventory::{Observed, github::CodeScanning};

use crate::{Context, Outcome, Resource, support::each_repo};

/// One outcome per repository; an empty repository has no code to scan.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_repo(cx, |org, repo, out| {
        let resource = Resource::github_repo(&org.login, &repo.name);
        if repo.default_branch.is_none() {
            out.push(Outcome::skipped(
                resource,
                "empty repository: no code to scan",
            ));
            return;
        }
        out.push(match &repo.security.code_scanning {
            Observed::Known(CodeScanning::Configuration { id, name }) => Outcome::pass(
                resource,
                format!(
                    "code scanning default setup is on through the code security configuration \"{name}\""
                ),
            )
            .with("configuration_id", *id),
            Observed::Known(CodeScanning::Analyses { tool, created_at }) => Outcome::pass(
                resource,
                format!(
                    "code scanning results are uploaded (latest by {tool} on {})",
                    created_at.format("%Y-%m-%d")
                ),
            )
            .with("latest_analysis", created_at.to_rfc3339()),
            Observed::Known(CodeScanning::Off { detail }) => Outcome::fail(
                resource,
                "code scanning does not analyse the repository: no code security configuration \
                 turns default setup on for it, and GitHub has no analysis of it",
            )
            .with("github_answer", detail.clone()),
            Observed::Unavailable { reason } => {
                Outcome::unavailable(resource, "whether code scanning is on", reason)
            }
        });
    })
}
