//! The details batch: one GraphQL request for up to 100 repositories, split
//! into each repository's facts, some of them first pages of longer lists.

use serde_json::{Value, json};
use tenet_inventory::{
    Observed,
    github::{Collaborator, Environment},
};

use crate::{
    client::{Client, GraphqlError},
    convert::{self, BypassVisibility},
    error::ApiError,
    graphql::{
        self, COLLABORATORS_FIRST, DeployKeyNode, ENVIRONMENTS_FIRST, ProtectionRuleNode, RefNode,
        RepoDetails, RepoSummary, RulesetNode,
    },
    org::errors_under,
    pages::FirstPage,
    permissions::{self, Needs},
};
/// What the branches of one repository are built from.
pub(super) struct BranchFacts {
    pub(super) default_branch: Result<Option<RefNode>, String>,
    pub(super) refs: Result<FirstPage<RefNode>, String>,
    pub(super) protection_rules: Result<FirstPage<ProtectionRuleNode>, String>,
}

/// What GraphQL gave about one repository: each fact, or why it is missing.
/// Branches, rulesets and deploy keys may have more pages to read.
pub(super) struct GraphqlFacts {
    pub(super) branches: BranchFacts,
    pub(super) rulesets: Result<FirstPage<RulesetNode>, String>,
    /// Whether GitHub showed this credential the rulesets' bypass actors.
    pub(super) bypass_visibility: BypassVisibility,
    pub(super) environments: Result<Vec<Environment>, String>,
    pub(super) deploy_keys: Result<FirstPage<DeployKeyNode>, String>,
    pub(super) collaborators: Result<Vec<Collaborator>, String>,
    pub(super) dependabot_alerts: Observed<bool>,
    /// How many commits of the default branch's history are dated inside
    /// the period, when GitHub said.
    pub(super) commits_in_period: Option<u64>,
}

impl GraphqlFacts {
    fn failed(reason: &str) -> Self {
        GraphqlFacts {
            branches: BranchFacts {
                default_branch: Err(reason.to_owned()),
                refs: Err(reason.to_owned()),
                protection_rules: Err(reason.to_owned()),
            },
            rulesets: Err(reason.to_owned()),
            bypass_visibility: BypassVisibility::Hidden(reason.to_owned()),
            environments: Err(reason.to_owned()),
            deploy_keys: Err(reason.to_owned()),
            collaborators: Err(reason.to_owned()),
            dependabot_alerts: Observed::unavailable(reason),
            commits_in_period: None,
        }
    }
}

/// Details of up to [`DETAILS_BATCH`] repositories in one request, in the
/// order of `chunk`.
pub(super) async fn details(
    client: &Client<'_>,
    org: &str,
    chunk: &[RepoSummary],
) -> Vec<GraphqlFacts> {
    let settings = client.settings();
    let mut variables = json!({
        "owner": org,
        "withBranches": settings.extra_branches,
        "withHistory": settings.skip_changes.is_none(),
        "since": settings.period.start().to_rfc3339(),
    });
    for (i, repo) in chunk.iter().enumerate() {
        variables[format!("r{i}")] = json!(repo.name);
    }
    let reply = client
        .graphql(
            "RepositoryDetails",
            &graphql::repository_details(chunk.len()),
            variables,
        )
        .await;
    let mut reply = match reply {
        Ok(reply) => reply,
        Err(err) => {
            let reason = err.reason(permissions::REPO_READ);
            return chunk
                .iter()
                .map(|_| GraphqlFacts::failed(&reason))
                .collect();
        }
    };
    chunk
        .iter()
        .enumerate()
        .map(|(i, repo)| {
            let alias = format!("r{i}");
            let value = reply.data.remove(&alias).unwrap_or(Value::Null);
            facts(client, org, repo, &alias, value, &reply.errors)
        })
        .collect()
}

/// One repository's facts from its alias of the details answer.
fn facts(
    client: &Client<'_>,
    org: &str,
    repo: &RepoSummary,
    alias: &str,
    value: Value,
    errors: &[GraphqlError],
) -> GraphqlFacts {
    let label = format!("GraphQL RepositoryDetails of {org}/{}", repo.name);
    // The count of the period's commits is a hint for reading changes:
    // an error there (say, no Contents permission) leaves the branch's
    // protection alone.
    let probe = [alias, "defaultBranchRef", "target"];
    let probe_failed = errors_under(errors, &probe).is_some();
    let others: Vec<GraphqlError> = errors
        .iter()
        .filter(|e| errors_under(std::slice::from_ref(*e), &probe).is_none())
        .cloned()
        .collect();
    let error_at = |field: &str, needs: Needs| {
        errors_under(&others, &[alias, field]).map(|m| format!("{label}: {m}; needs {needs}"))
    };
    if value.is_null() {
        let message = errors_under(errors, &[alias])
            .unwrap_or_else(|| "the repository was not returned".to_owned());
        return GraphqlFacts::failed(&format!(
            "{label}: {message}; needs {}",
            permissions::REPO_READ
        ));
    }
    let details: RepoDetails = match serde_json::from_value(value) {
        Ok(details) => details,
        Err(err) => return GraphqlFacts::failed(&ApiError::malformed(&label, err).plain()),
    };
    let not_returned = |what: &str| format!("{label}: {what} not returned");
    let read = permissions::REPO_READ;

    let branch_error = error_at("defaultBranchRef", read)
        .or_else(|| error_at("refs", read))
        .or_else(|| error_at("branchProtectionRules", read));
    let commits_in_period = match branch_error {
        Some(_) => None,
        None if probe_failed => None,
        None => details
            .default_branch_ref
            .as_ref()
            .and_then(|branch| branch.target.as_ref())
            .and_then(|target| target.history.as_ref())
            .map(|history| history.total_count),
    };
    let (default_branch, refs, protection_rules) = match branch_error {
        Some(reason) => (Err(reason.clone()), Err(reason.clone()), Err(reason)),
        None => (
            Ok(details.default_branch_ref),
            if client.settings().extra_branches {
                first_page(&label, details.refs, "branches")
            } else {
                Ok(FirstPage::empty())
            },
            first_page(
                &label,
                details.branch_protection_rules,
                "branch protection rules",
            ),
        ),
    };
    let rulesets = match error_at("rulesets", read) {
        Some(reason) => Err(reason),
        None => first_page(&label, details.rulesets, "rulesets"),
    };
    let environments = match (
        error_at("environments", permissions::REPO_ENVIRONMENTS),
        details.environments,
    ) {
        (Some(reason), _) => Err(reason),
        (None, None) => Err(not_returned("environments")),
        (None, Some(connection)) => {
            convert::complete(connection, "environments", ENVIRONMENTS_FIRST)
                .and_then(|nodes| {
                    nodes
                        .into_iter()
                        .map(convert::environment)
                        .collect::<Result<Vec<_>, _>>()
                })
                .map(|mut environments| {
                    environments.sort_by(|a, b| a.name.cmp(&b.name));
                    environments
                })
                .map_err(|reason| format!("{label}: {reason}"))
        }
    };
    let deploy_keys = match error_at("deployKeys", permissions::REPO_ADMIN) {
        Some(reason) => Err(reason),
        None => first_page(&label, details.deploy_keys, "deploy keys"),
    };
    let collaborators = match (
        error_at("collaborators", permissions::REPO_COLLABORATORS),
        details.collaborators,
    ) {
        (Some(reason), _) => Err(reason),
        (None, None) => Err(not_returned("outside collaborators")),
        (None, Some(connection)) => convert::collaborators(connection, COLLABORATORS_FIRST)
            .map(|mut collaborators| {
                collaborators.sort_by(|a, b| a.login.cmp(&b.login));
                collaborators
            })
            .map_err(|reason| format!("{label}: {reason}")),
    };
    let dependabot_alerts = match (
        error_at("hasVulnerabilityAlertsEnabled", permissions::REPO_ADMIN),
        details.has_vulnerability_alerts_enabled,
    ) {
        (Some(reason), _) => Observed::unavailable(reason),
        (None, None) => Observed::unavailable(not_returned("Dependabot alert status")),
        (None, Some(enabled)) => Observed::Known(enabled),
    };
    GraphqlFacts {
        branches: BranchFacts {
            default_branch,
            refs,
            protection_rules,
        },
        rulesets,
        bypass_visibility: BypassVisibility::from_viewer(
            details.viewer_can_administer,
            &format!("{org}/{}", repo.name),
        ),
        environments,
        deploy_keys,
        collaborators,
        dependabot_alerts,
        commits_in_period,
    }
}

/// The first page of a connection of the details answer.
fn first_page<T>(
    label: &str,
    connection: Option<graphql::Connection<T>>,
    what: &str,
) -> Result<FirstPage<T>, String> {
    match connection {
        None => Err(format!("{label}: {what} not returned")),
        Some(connection) => FirstPage::of(connection, what).map_err(|e| format!("{label}: {e}")),
    }
}
