//! An organization's repositories: discovery (GraphQL, paginated to the
//! end), details in batches (GraphQL), and what only REST has.

use std::collections::BTreeMap;

use futures::{StreamExt, future::join_all, stream};
use serde_json::{Value, json};
use tenet_inventory::{
    Observed,
    github::{
        ActionsSettings, BranchRules, Collaborator, DeployKey, Environment, Repository, Ruleset,
        SecurityFeatures, WorkflowPermissions,
    },
};

use crate::{
    client::{Client, GraphqlError},
    convert,
    error::ApiError,
    graphql::{
        self, COLLABORATORS_FIRST, DETAILS_BATCH, DeployKeyNode, ENVIRONMENTS_FIRST, RefNode,
        RepoDetails, RepoSummary, RepositoriesData, RulesetNode,
    },
    org::{self, errors_under},
    pages::{self, FirstPage, FollowUp},
    permissions::{self, Needs},
    progress::{Progress, ProgressEvent},
    rest::{self, CollaboratorJson, EnvironmentJson, RepoSecurityJson, SecurityAndAnalysis},
};

/// Most discovery pages (100 repositories each) before the listing counts
/// as a broken pagination loop.
const MAX_DISCOVERY_PAGES: usize = 10_000;

/// Collects every repository of `org` in scope, sorted by name. The list is
/// unavailable as a whole if discovery could not be completed: a partial list
/// is never reported.
pub(crate) async fn collect(
    client: &Client<'_>,
    org: &str,
    org_actions: &Observed<ActionsSettings>,
    progress: &dyn Progress,
) -> Observed<Vec<Repository>> {
    let summaries = match discover(client, org).await {
        Ok(summaries) => summaries,
        Err(reason) => return Observed::unavailable(reason),
    };
    let filter = &client.settings().repo_filter;
    let in_scope: Vec<RepoSummary> = summaries
        .into_iter()
        .filter(|r| filter.includes(&r.name, r.is_archived))
        .collect();
    progress.event(ProgressEvent::ReposFound {
        org: org.to_owned(),
        count: in_scope.len(),
    });
    let (security, details) = tokio::join!(
        security(client, org),
        join_all(
            in_scope
                .chunks(DETAILS_BATCH)
                .map(|chunk| details(client, org, chunk))
        )
    );
    let inherited = inherited_actions(org_actions);
    let mut repositories: Vec<Repository> =
        stream::iter(in_scope.iter().zip(details.into_iter().flatten()))
            .map(|(summary, facts)| {
                let security = &security;
                let inherited = &inherited;
                async move {
                    let repo = assemble(client, org, summary, facts, security, inherited).await;
                    progress.event(ProgressEvent::RepoDone {
                        org: org.to_owned(),
                    });
                    repo
                }
            })
            .buffer_unordered(client.settings().concurrency * 2)
            .collect()
            .await;
    repositories.sort_by(|a, b| a.name.cmp(&b.name));
    Observed::Known(repositories)
}

/// Every repository of the organization, page after page to the end.
async fn discover(client: &Client<'_>, org: &str) -> Result<Vec<RepoSummary>, String> {
    let query = graphql::repositories();
    let needs = permissions::REPO_READ;
    let mut repositories = Vec::new();
    let mut after: Option<String> = None;
    for page in 1..=MAX_DISCOVERY_PAGES {
        let name = format!("Repositories (page {page})");
        let label = format!("GraphQL {name}");
        let incomplete = "the repository list is incomplete, so no repository is reported";
        let reply = client
            .graphql(
                &name,
                &query,
                json!({ "org": org, "after": after, "isArchived": null }),
            )
            .await
            .map_err(|err| format!("{}; {incomplete}", err.reason(needs)))?;
        if !reply.errors.is_empty() {
            let messages: Vec<&str> = reply.errors.iter().map(|e| e.message.as_str()).collect();
            return Err(format!(
                "{label}: {}; needs {needs}; {incomplete}",
                messages.join("; ")
            ));
        }
        let data: RepositoriesData = serde_json::from_value(Value::Object(reply.data))
            .map_err(|err| format!("{}; {incomplete}", ApiError::malformed(&label, err).plain()))?;
        let Some(organization) = data.organization else {
            return Err(format!(
                "{label}: organization {org} not found; needs {needs}"
            ));
        };
        let connection = organization.repositories;
        if connection.nodes.iter().any(Option::is_none) {
            return Err(format!(
                "{label}: a repository was not returned; {incomplete}"
            ));
        }
        for repo in connection.nodes.into_iter().flatten() {
            if convert::visibility(&repo.visibility).is_none() {
                return Err(format!(
                    "{label}: unknown visibility `{}` of {}; {incomplete}",
                    repo.visibility, repo.name
                ));
            }
            repositories.push(repo);
        }
        if !connection.page_info.has_next_page {
            return Ok(repositories);
        }
        match connection.page_info.end_cursor {
            Some(cursor) => after = Some(cursor),
            None => {
                return Err(format!(
                    "{label}: a next page is announced without a cursor; {incomplete}"
                ));
            }
        }
    }
    Err(format!(
        "GraphQL Repositories: more than {MAX_DISCOVERY_PAGES} pages; the repository list is incomplete"
    ))
}

/// What GraphQL gave about one repository: each fact, or why it is missing.
/// Branches, rulesets and deploy keys may have more pages to read.
struct GraphqlFacts {
    default_branch: Result<Option<RefNode>, String>,
    refs: Result<FirstPage<RefNode>, String>,
    rulesets: Result<FirstPage<RulesetNode>, String>,
    environments: Result<Vec<Environment>, String>,
    deploy_keys: Result<FirstPage<DeployKeyNode>, String>,
    collaborators: Result<Vec<Collaborator>, String>,
    dependabot_alerts: Observed<bool>,
}

impl GraphqlFacts {
    fn failed(reason: &str) -> Self {
        GraphqlFacts {
            default_branch: Err(reason.to_owned()),
            refs: Err(reason.to_owned()),
            rulesets: Err(reason.to_owned()),
            environments: Err(reason.to_owned()),
            deploy_keys: Err(reason.to_owned()),
            collaborators: Err(reason.to_owned()),
            dependabot_alerts: Observed::unavailable(reason),
        }
    }
}

/// Details of up to [`DETAILS_BATCH`] repositories in one request, in the
/// order of `chunk`.
async fn details(client: &Client<'_>, org: &str, chunk: &[RepoSummary]) -> Vec<GraphqlFacts> {
    let mut variables = json!({
        "owner": org,
        "withBranches": client.settings().extra_branches,
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
    let error_at = |field: &str, needs: Needs| {
        errors_under(errors, &[alias, field]).map(|m| format!("{label}: {m}; needs {needs}"))
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

    let branch_error = error_at("defaultBranchRef", read).or_else(|| error_at("refs", read));
    let (default_branch, refs) = match branch_error {
        Some(reason) => (Err(reason.clone()), Err(reason)),
        None if !client.settings().extra_branches => {
            (Ok(details.default_branch_ref), Ok(FirstPage::empty()))
        }
        None => (
            Ok(details.default_branch_ref),
            first_page(&label, details.refs, "branches"),
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
        default_branch,
        refs,
        rulesets,
        environments,
        deploy_keys,
        collaborators,
        dependabot_alerts,
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

/// How to read the rest of one of `org/name`'s connections.
fn follow_up<'a>(
    org: &str,
    name: &str,
    operation: &str,
    query: String,
    path: &'a [&'a str],
    needs: Needs,
) -> FollowUp<'a> {
    FollowUp {
        name: format!("{operation} of {org}/{name}"),
        query,
        variables: json!({ "owner": org, "name": name }),
        path,
        needs,
    }
}

/// The default branch and the branches matching `protected_branches`, with
/// their classic protection, sorted by name.
async fn branches(
    client: &Client<'_>,
    org: &str,
    name: &str,
    default_branch: Result<Option<RefNode>, String>,
    refs: Result<FirstPage<RefNode>, String>,
) -> Observed<Vec<BranchRules>> {
    let default_branch = match default_branch {
        Ok(default_branch) => default_branch,
        Err(reason) => return Observed::unavailable(reason),
    };
    let refs = match refs {
        Ok(first) => {
            let follow = follow_up(
                org,
                name,
                "RepositoryBranches",
                graphql::repository_refs(),
                &["repository", "refs"],
                permissions::REPO_READ,
            );
            pages::complete(client, first, follow).await
        }
        Err(reason) => Err(reason),
    };
    let refs = match refs {
        Ok(refs) => refs,
        Err(reason) => return Observed::unavailable(reason),
    };
    let patterns = &client.settings().branches;
    let mut out: Vec<BranchRules> = Vec::new();
    let candidates = default_branch
        .iter()
        .chain(refs.iter().filter(|r| patterns.is_match(&r.name)));
    for branch in candidates {
        if out.iter().any(|b| b.branch == branch.name) {
            continue;
        }
        let protection = match branch
            .branch_protection_rule
            .clone()
            .map(convert::protection)
        {
            None => Observed::Known(None),
            Some(Ok(protection)) => Observed::Known(Some(protection)),
            Some(Err(reason)) => Observed::unavailable(reason),
        };
        out.push(BranchRules {
            branch: branch.name.clone(),
            protection,
        });
    }
    out.sort_by(|a, b| a.branch.cmp(&b.branch));
    Observed::Known(out)
}

/// Every ruleset that applies to `org/name`, sorted by id.
async fn rulesets(
    client: &Client<'_>,
    org: &str,
    name: &str,
    first: Result<FirstPage<RulesetNode>, String>,
) -> Observed<Vec<Ruleset>> {
    let follow = follow_up(
        org,
        name,
        "RepositoryRulesets",
        graphql::repository_rulesets(),
        &["repository", "rulesets"],
        permissions::REPO_READ,
    );
    let label = format!("GraphQL RepositoryRulesets of {org}/{name}");
    match first {
        Ok(first) => convert::rulesets(pages::complete(client, first, follow).await, &label),
        Err(reason) => Observed::unavailable(reason),
    }
}

/// Every deploy key of `org/name`, sorted by id.
async fn deploy_keys(
    client: &Client<'_>,
    org: &str,
    name: &str,
    first: Result<FirstPage<DeployKeyNode>, String>,
) -> Observed<Vec<DeployKey>> {
    let follow = follow_up(
        org,
        name,
        "RepositoryDeployKeys",
        graphql::repository_deploy_keys(),
        &["repository", "deployKeys"],
        permissions::REPO_ADMIN,
    );
    let keys = match first {
        Ok(first) => pages::complete(client, first, follow).await,
        Err(reason) => Err(reason),
    };
    match keys {
        Ok(keys) => {
            let mut keys: Vec<DeployKey> = keys
                .into_iter()
                .map(|k| DeployKey {
                    id: k.id,
                    title: k.title,
                    read_only: k.read_only,
                })
                .collect();
            keys.sort_by(|a, b| a.id.cmp(&b.id));
            Observed::Known(keys)
        }
        Err(reason) => Observed::unavailable(reason),
    }
}

/// The Actions settings every repository has when the organization's are
/// the most restrictive: GitHub then forbids repositories to choose
/// anything more permissive, so no request per repository is needed.
fn inherited_actions(org: &Observed<ActionsSettings>) -> Option<ActionsSettings> {
    match org {
        Observed::Known(
            settings @ ActionsSettings {
                default_workflow_permissions: WorkflowPermissions::Read,
                can_approve_pull_request_reviews: false,
            },
        ) => Some(settings.clone()),
        _ => None,
    }
}

/// Security settings of every repository, from one paginated listing; or
/// why it failed.
async fn security(
    client: &Client<'_>,
    org: &str,
) -> Result<BTreeMap<String, Option<SecurityAndAnalysis>>, String> {
    client
        .list::<RepoSecurityJson>(&format!("/orgs/{org}/repos?type=all"))
        .await
        .map(|repos| {
            repos
                .into_iter()
                .map(|r| (r.name, r.security_and_analysis))
                .collect()
        })
        .map_err(|err| err.reason(permissions::REPO_ADMIN))
}

fn security_features(
    org: &str,
    name: &str,
    listing: &Result<BTreeMap<String, Option<SecurityAndAnalysis>>, String>,
    dependabot_alerts: Observed<bool>,
) -> SecurityFeatures {
    let path = format!("GET /orgs/{org}/repos");
    let analysis = match listing {
        Err(reason) => Err(reason.clone()),
        Ok(map) => match map.get(name) {
            None => Err(format!("{path} did not list {name}")),
            Some(None) => Err(format!(
                "{path} did not include security_and_analysis for {name}: GitHub shows it to repository administrators only; needs {}",
                permissions::REPO_ADMIN
            )),
            Some(Some(analysis)) => Ok(analysis),
        },
    };
    let status = |pick: fn(&SecurityAndAnalysis) -> Option<&rest::Status>, field: &str| {
        match &analysis {
            Err(reason) => Observed::unavailable(reason),
            Ok(analysis) => match pick(analysis) {
                Some(status) => Observed::Known(status.status == "enabled"),
                None => Observed::unavailable(format!(
                    "{path} did not include security_and_analysis.{field} for {name}: the feature is not available to this repository or the token may not see it"
                )),
            },
        }
    };
    SecurityFeatures {
        secret_scanning: status(|a| a.secret_scanning.as_ref(), "secret_scanning"),
        secret_scanning_push_protection: status(
            |a| a.secret_scanning_push_protection.as_ref(),
            "secret_scanning_push_protection",
        ),
        dependabot_alerts,
    }
}

/// Adds what only REST has to the GraphQL facts of one repository.
async fn assemble(
    client: &Client<'_>,
    org: &str,
    summary: &RepoSummary,
    facts: GraphqlFacts,
    security: &Result<BTreeMap<String, Option<SecurityAndAnalysis>>, String>,
    inherited_actions: &Option<ActionsSettings>,
) -> Repository {
    let name = &summary.name;
    let base = format!("/repos/{org}/{name}");
    let (branches, rulesets, deploy_keys, webhooks, actions, environments, outside_collaborators) = tokio::join!(
        branches(client, org, name, facts.default_branch, facts.refs),
        rulesets(client, org, name, facts.rulesets),
        deploy_keys(client, org, name, facts.deploy_keys),
        org::webhooks(client, format!("{base}/hooks"), permissions::REPO_HOOKS),
        async {
            match inherited_actions {
                Some(settings) => Observed::Known(settings.clone()),
                None => {
                    org::actions(
                        client,
                        &format!("{base}/actions/permissions/workflow"),
                        permissions::REPO_ADMIN,
                    )
                    .await
                }
            }
        },
        fallback(facts.environments, || rest_environments(client, &base)),
        fallback(facts.collaborators, || rest_collaborators(client, &base)),
    );
    Repository {
        name: name.clone(),
        // `discover` refused any page with an unknown visibility.
        visibility: convert::visibility(&summary.visibility)
            .unwrap_or(tenet_inventory::github::Visibility::Private),
        archived: summary.is_archived,
        default_branch: summary.default_branch_ref.as_ref().map(|r| r.name.clone()),
        branches,
        rulesets,
        environments,
        webhooks,
        deploy_keys,
        outside_collaborators,
        security: security_features(org, name, security, facts.dependabot_alerts),
        actions,
    }
}

/// The GraphQL value, or else the REST one; both reasons if both failed.
async fn fallback<T, F>(
    graphql: Result<Vec<T>, String>,
    rest: impl FnOnce() -> F,
) -> Observed<Vec<T>>
where
    F: std::future::Future<Output = Result<Vec<T>, String>>,
{
    match graphql {
        Ok(items) => Observed::Known(items),
        Err(graphql_reason) => match rest().await {
            Ok(items) => Observed::Known(items),
            Err(rest_reason) => {
                Observed::unavailable(format!("{graphql_reason}; REST fallback: {rest_reason}"))
            }
        },
    }
}

async fn rest_environments(client: &Client<'_>, base: &str) -> Result<Vec<Environment>, String> {
    let mut environments: Vec<Environment> = client
        .list_in::<EnvironmentJson>(&format!("{base}/environments"), Some("environments"))
        .await
        .map_err(|err| err.reason(permissions::REPO_ENVIRONMENTS))?
        .into_iter()
        .map(rest::environment)
        .collect();
    environments.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(environments)
}

async fn rest_collaborators(client: &Client<'_>, base: &str) -> Result<Vec<Collaborator>, String> {
    let mut collaborators: Vec<Collaborator> = client
        .list::<CollaboratorJson>(&format!("{base}/collaborators?affiliation=outside"))
        .await
        .map_err(|err| err.reason(permissions::REPO_COLLABORATORS))?
        .into_iter()
        .map(rest::collaborator)
        .collect();
    collaborators.sort_by(|a, b| a.login.cmp(&b.login));
    Ok(collaborators)
}
