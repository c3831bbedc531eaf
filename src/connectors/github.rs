//! `--github-*` flags and the call into `tenet-github`.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::PathBuf,
};

use anyhow::{Context, bail};
use clap::Args;
use tenet_engine::Policy;
use tenet_github::{AppAuth, Auth, GithubConfig, RepoFilter, Secret, TerminalProgress};
use tenet_inventory::{Period, aws::AwsAccount, github::GithubOrg};

use crate::cli::TimeLimits;

/// GitHub flags of `collect` and `scan`. The token comes from the
/// environment only (`GITHUB_TOKEN`, else `GH_TOKEN`), never from the
/// command line, where other users of the machine could read it.
#[derive(Debug, Args)]
#[command(next_help_heading = "GitHub")]
pub struct GithubArgs {
    /// Organization to collect (repeatable) [default: `github_orgs` of the
    /// policy's scope].
    #[arg(long = "github-org", value_name = "ORG")]
    pub orgs: Vec<String>,
    /// REST API URL: https://HOST/api/v3 for GitHub Enterprise Server
    /// [default: `[github] api_url` of the policy, else
    /// https://api.github.com].
    #[arg(
        id = "github_api_url",
        long = "github-api-url",
        value_name = "URL",
        env = "GITHUB_API_URL"
    )]
    pub api_url: Option<String>,
    /// Authenticate as this GitHub App instead of with GITHUB_TOKEN (needs
    /// --github-app-private-key).
    #[arg(
        id = "github_app_id",
        long = "github-app-id",
        value_name = "ID",
        env = "TENET_GITHUB_APP_ID",
        requires = "github_app_private_key"
    )]
    pub app_id: Option<u64>,
    /// The GitHub App's private key (PEM file).
    #[arg(
        id = "github_app_private_key",
        long = "github-app-private-key",
        value_name = "FILE",
        env = "TENET_GITHUB_APP_PRIVATE_KEY",
        requires = "github_app_id"
    )]
    pub app_private_key: Option<PathBuf>,
    /// The App installation to use [default: each organization's
    /// installation, looked up].
    #[arg(
        id = "github_app_installation_id",
        long = "github-app-installation-id",
        value_name = "ID",
        env = "TENET_GITHUB_APP_INSTALLATION_ID",
        requires = "github_app_id"
    )]
    pub app_installation_id: Option<u64>,
    /// Most GitHub requests in flight at once (GitHub allows 100).
    #[arg(
        id = "github_concurrency",
        long = "github-concurrency",
        value_name = "N",
        default_value_t = 16
    )]
    pub concurrency: usize,
}

/// Collects the given organizations.
pub async fn collect(
    args: &GithubArgs,
    policy: &Policy,
    orgs: &[String],
    limits: TimeLimits,
    period: Period,
) -> anyhow::Result<Vec<GithubOrg>> {
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    let config = config(args, policy, orgs, limits, period)?;
    let progress: Box<dyn tenet_github::Progress> = if crate::output::quiet() {
        Box::new(tenet_github::NoProgress)
    } else {
        Box::new(TerminalProgress::stderr())
    };
    let collection = tenet_github::collect(&config, progress.as_ref())
        .await
        .context("cannot collect GitHub")?;
    crate::output::note(&summary(&collection));
    Ok(collection.orgs)
}

/// Reads, after both collections, how the Actions OIDC subject of each
/// repository is made and what GraphQL does not give of its environments,
/// for the repositories a role of `aws` may let in
/// (`aws.iam.github-deploy-review`); the others' subject settings are
/// recorded as not read, with the reason.
pub async fn read_deploy_settings(
    args: &GithubArgs,
    policy: &Policy,
    orgs: &mut [GithubOrg],
    aws: &[AwsAccount],
    limits: TimeLimits,
    period: Period,
) -> anyhow::Result<()> {
    if orgs.is_empty() {
        return Ok(());
    }
    let (wanted, unread) = match unread(policy, &OIDC_CONTROLS, "OIDC subject settings") {
        Some(reason) => (BTreeMap::new(), reason),
        None => (
            orgs.iter()
                .map(|org| (org.login.clone(), tenet_rules::subjects_needed(aws, org)))
                .collect(),
            "OIDC subject settings were not read: no role of the scanned AWS accounts trusts \
             GitHub Actions tokens this repository's subject could fit"
                .to_owned(),
        ),
    };
    let logins: Vec<String> = orgs.iter().map(|org| org.login.clone()).collect();
    let config = config(args, policy, &logins, limits, period)?;
    let stats = tenet_github::read_deploy_settings(&config, orgs, &wanted, &unread)
        .await
        .context("cannot read GitHub's OIDC subject settings and environments")?;
    let read: usize = wanted.values().map(BTreeSet::len).sum();
    if read > 0 {
        crate::output::note(&format!(
            "GitHub: the OIDC subject settings and environments of {read} repositories that AWS roles may trust, {} requests",
            stats.graphql + stats.rest
        ));
    }
    Ok(())
}

/// The connector's configuration for `orgs` under the flags and the policy.
fn config(
    args: &GithubArgs,
    policy: &Policy,
    orgs: &[String],
    limits: TimeLimits,
    period: Period,
) -> anyhow::Result<GithubConfig> {
    let mut config = GithubConfig::new(auth(args)?, orgs.to_vec());
    if let Some(url) = args
        .api_url
        .clone()
        .or_else(|| policy.github.api_url.clone())
    {
        config.api_url = url;
    }
    let scope = policy.scope.clone();
    config.repo_filter = RepoFilter::new(move |name, archived| scope.includes(name, archived));
    config.protected_branches = policy.scope.protected_branches.clone();
    config.concurrency = args.concurrency;
    config.time_limit = limits.collection;
    config.timeout = limits.request;
    config.retry.max_unanswered = limits.request * 2;
    config.skip_repository_webhooks = unread(policy, &WEBHOOK_CONTROLS, "repository webhooks");
    config.skip_repository_actions =
        unread(policy, &ACTIONS_CONTROLS, "repository Actions settings");
    config.skip_code_scanning = unread(policy, &CODE_SCANNING_CONTROLS, "code scanning setups");
    config.skip_alerts = unread(policy, &ALERT_CONTROLS, "open security alerts");
    config.period = period;
    config.skip_changes = unread(policy, &CHANGE_CONTROLS, "the changes of the period");
    // Deployments are read for the environments github.deployments.reviewed
    // judges; REST details for those and github.environments.reviewers'.
    config.production_environments = production_environments(policy, DEPLOYMENT_CONTROLS[0]);
    config.reviewed_environments = production_environments(policy, ENVIRONMENT_CONTROLS[0]);
    config.skip_deployments = unread(
        policy,
        &DEPLOYMENT_CONTROLS,
        "the deployments of the period",
    );
    config.skip_rule_bypasses = unread(policy, &BYPASS_CONTROLS, "the rule bypasses");
    config.skip_environment_details = unread(
        policy,
        &ENVIRONMENT_CONTROLS,
        "whether administrators may bypass an environment's protection rules and which \
         branches may deploy to it",
    );
    Ok(config)
}

/// One line for standard error: what was read, and what it cost.
fn summary(collection: &tenet_github::Collection) -> String {
    let repositories: usize = collection
        .orgs
        .iter()
        .filter_map(|org| org.repositories.known())
        .map(Vec::len)
        .sum();
    let stats = collection.stats;
    format!(
        "GitHub: {} organization(s), {repositories} repositories, {} requests ({} GraphQL, {} REST, {} retries)",
        collection.orgs.len(),
        stats.graphql + stats.rest,
        stats.graphql,
        stats.rest,
        stats.retries
    )
}

/// The only controls that read repository webhooks.
const WEBHOOK_CONTROLS: [&str; 1] = ["github.webhooks.tls"];
/// The only controls that read repository Actions settings.
const ACTIONS_CONTROLS: [&str; 2] = [
    "github.actions.read-only-token",
    "github.actions.no-pr-approval",
];

/// The only controls that read whether code scanning runs.
const CODE_SCANNING_CONTROLS: [&str; 1] = ["github.repo.code-scanning"];
/// The only controls that read open security alerts.
const ALERT_CONTROLS: [&str; 1] = ["github.repo.alert-deadlines"];
/// The only controls that read the changes of the period.
const CHANGE_CONTROLS: [&str; 2] = [
    "github.changes.two-person-review",
    "github.changes.no-rule-bypass",
];
/// The only control that reads the rule bypasses of the period.
const BYPASS_CONTROLS: [&str; 1] = ["github.changes.no-rule-bypass"];

/// The only controls that read how each repository's OIDC subject is made.
const OIDC_CONTROLS: [&str; 1] = ["aws.iam.github-deploy-review"];

/// The only controls that read the deployments of the period.
const DEPLOYMENT_CONTROLS: [&str; 1] = ["github.deployments.reviewed"];

/// The only controls that read whether administrators may bypass an
/// environment's protection rules and which branches may deploy to it.
const ENVIRONMENT_CONTROLS: [&str; 2] = [
    "github.environments.reviewers",
    "aws.iam.github-deploy-review",
];

/// The environments `control` names as production under the policy.
fn production_environments(policy: &Policy, control: &str) -> Vec<String> {
    let Some(control) = policy.catalog.get(control) else {
        return Vec::new();
    };
    policy
        .params(&control.meta)
        .string_list("production_environments")
        .to_vec()
}

/// Why `what` is not collected when the policy turns off every control in
/// `controls`; `None` (collect it) when any of them runs, or when a custom
/// GitHub control runs (its rule may read any fact). Each of these facts
/// costs requests per repository or permissions a policy that does not
/// check them should not need, so it does not pay for them.
fn unread(policy: &Policy, controls: &[&str], what: &str) -> Option<String> {
    let catalog = &policy.catalog;
    let custom = catalog.controls().iter().any(|control| {
        matches!(control.check, tenet_rules::Check::Custom(_))
            && control.meta.resource.starts_with("GitHub")
            && policy.enables(&control.meta)
    });
    let needed = custom
        || controls.iter().any(|id| {
            catalog
                .get(id)
                .is_none_or(|control| policy.enables(&control.meta))
        });
    (!needed).then(|| {
        format!(
            "{what} were not collected: the policy {} turns off {}, the only control(s) that read them",
            policy.origin,
            controls.join(" and ")
        )
    })
}

/// Credentials from the App flags, else from `GITHUB_TOKEN` / `GH_TOKEN`.
fn auth(args: &GithubArgs) -> anyhow::Result<Auth> {
    if let (Some(app_id), Some(key_path)) = (args.app_id, &args.app_private_key) {
        let private_key = std::fs::read_to_string(key_path).with_context(|| {
            format!(
                "cannot read the GitHub App private key {}",
                key_path.display()
            )
        })?;
        return Ok(Auth::App(AppAuth {
            app_id,
            private_key: Secret::new(private_key),
            installation_id: args.app_installation_id,
        }));
    }
    let token = ["GITHUB_TOKEN", "GH_TOKEN"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.trim().is_empty());
    match token {
        Some(token) => Ok(Auth::Token(Secret::new(token))),
        None => bail!(
            "no GitHub credentials: set GITHUB_TOKEN (or GH_TOKEN) to a read-only token, or pass --github-app-id and --github-app-private-key (see docs/github.md for the permissions)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gating_controls_exist() {
        for id in WEBHOOK_CONTROLS
            .iter()
            .chain(&ACTIONS_CONTROLS)
            .chain(&CODE_SCANNING_CONTROLS)
            .chain(&ALERT_CONTROLS)
            .chain(&CHANGE_CONTROLS)
            .chain(&BYPASS_CONTROLS)
            .chain(&DEPLOYMENT_CONTROLS)
            .chain(&OIDC_CONTROLS)
        {
            assert!(tenet_rules::catalog().get(id).is_some(), "{id}");
        }
    }

    #[test]
    fn facts_are_skipped_only_when_every_control_reading_them_is_off() {
        let policy = Policy::parse(
            "[controls.\"github.webhooks.tls\"]\nenabled = false\n[controls.\"github.actions.no-pr-approval\"]\nenabled = false\n",
            "tenet.toml",
        )
        .expect("valid policy");
        assert_eq!(
            unread(&policy, &WEBHOOK_CONTROLS, "repository webhooks").as_deref(),
            Some(
                "repository webhooks were not collected: the policy tenet.toml turns off github.webhooks.tls, the only control(s) that read them"
            )
        );
        assert_eq!(
            unread(&policy, &ACTIONS_CONTROLS, "repository Actions settings"),
            None,
            "github.actions.read-only-token still runs"
        );
    }
}
