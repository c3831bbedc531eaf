//! Collects GitHub organizations into `tenet_inventory` types.
//!
//! One call, [`collect`], reads every organization of a [`GithubConfig`] from
//! github.com or a GitHub Enterprise Server and returns one
//! [`GithubOrg`](tenet_inventory::github::GithubOrg) per organization. The
//! connector never decides pass or fail; it only observes. Whatever it could
//! not read (a missing permission, a 404, a timeout, a GraphQL error on one
//! repository, a listing that broke off part-way) is recorded as
//! [`Observed::Unavailable`](tenet_inventory::Observed) with a reason that
//! names the request, the HTTP status and the permission it needs; the rest
//! of the organization is still collected. Only an unusable configuration is
//! an `Err`.
//!
//! Requests: GraphQL reads repositories with their branch protection,
//! rulesets (repository and organization level), environments, outside
//! collaborators and Dependabot alert status, 100 repositories per request;
//! REST reads what GraphQL lacks (organization settings, members and their
//! 2FA status, webhooks, Actions settings, secret scanning, deploy key ids).
//! `README.md` lists every request and the permission it needs.

#![deny(missing_docs)]

mod alerts;
mod app;
mod changes;
mod client;
mod code_scanning;
mod config;
mod convert;
mod deployments;
mod environments;
mod error;
mod graphql;
mod identity;
mod oidc;
mod org;
mod pages;
mod permissions;
mod progress;
mod properties;
mod repos;
mod rest;
mod rulesets_rest;
mod secret;

pub use client::RequestStats;
pub use config::{AppAuth, Auth, ConfigError, GithubConfig, RepoFilter, RetryPolicy};
pub use oidc::read_deploy_settings;
pub use progress::{NoProgress, Progress, ProgressEvent, TerminalProgress};
pub use secret::Secret;

use futures::future::join_all;
use tenet_inventory::github::GithubOrg;

/// What one collection returned: the organizations, and how many requests it
/// took.
#[derive(Debug)]
pub struct Collection {
    /// One entry per configured organization, sorted by login.
    pub orgs: Vec<GithubOrg>,
    /// Requests sent, retries and GraphQL cost, over all organizations.
    pub stats: RequestStats,
}

/// Collects every organization of `config`, concurrently within the
/// configured bound, reporting progress to `progress`.
///
/// Returns `Err` when the configuration cannot be used at all (an invalid
/// API URL, branch pattern or App private key), and when the first request
/// of an organization shows that nothing of it can be read: the
/// credentials are refused, the organization does not exist or is not
/// visible, or GitHub cannot be reached. Everything else that goes wrong is
/// recorded in the organizations as unavailable facts.
pub async fn collect(
    config: &GithubConfig,
    progress: &dyn Progress,
) -> Result<Collection, ConfigError> {
    let settings = config.validate()?;
    let stats = client::Stats::default();
    let orgs = join_all(
        config
            .orgs
            .iter()
            .map(|login| org::collect(&settings, &stats, login, progress)),
    )
    .await;
    let mut orgs: Vec<GithubOrg> = orgs.into_iter().collect::<Result<_, _>>()?;
    // A token is the same for every organization: whose it is is asked
    // once, after the organizations' first answers showed it is accepted.
    if let config::ValidAuth::Token(token) = &settings.auth {
        let client = client::Client::new(&settings, &stats, client::Credential::token(token));
        let reader = identity::token_reader(&client, token).await;
        for org in &mut orgs {
            org.read_by = Some(reader.clone());
        }
    }
    orgs.sort_by(|a, b| a.login.cmp(&b.login));
    Ok(Collection {
        orgs,
        stats: stats.snapshot(),
    })
}
