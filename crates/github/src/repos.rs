//! An organization's repositories: discovery (GraphQL, paginated to the
//! end), details in batches (GraphQL), and what only REST has.

use std::collections::{BTreeMap, HashMap};

use futures::{StreamExt, future::join_all, stream};
use serde_json::{Value, json};
use tenet_inventory::{
    Observed,
    github::{
        ActionsSettings, CodeScanning, Collaborator, Environment, Repository, RepositoryIds,
        Ruleset, SecurityFeatures, WorkflowPermissions,
    },
};

use crate::{
    alerts::{self, OrgAlerts},
    changes,
    client::Client,
    code_scanning::{self, Coverage},
    convert, deployments, environments,
    error::ApiError,
    graphql::{self, DETAILS_BATCH, RepoSummary, RepositoriesData},
    org, permissions,
    progress::{Progress, ProgressEvent},
    properties::{self, Properties},
    rest::{self, CollaboratorJson, EnvironmentJson, RepoSecurityJson, SecurityAndAnalysis},
};

mod connections;
mod details;

use details::GraphqlFacts;

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
    org_rulesets: &Observed<Vec<Ruleset>>,
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
    let (security, properties, coverage, alerts, details) = tokio::join!(
        security(client, org),
        properties::collect(client, org, org_rulesets),
        code_scanning::coverage(client, org),
        alerts::collect(client, org),
        join_all(
            in_scope
                .chunks(DETAILS_BATCH)
                .map(|chunk| details::details(client, org, chunk))
        )
    );
    let inherited = inherited_actions(org_actions);
    // How many commits of each default branch are dated in the period:
    // the history of a quiet branch needs no request, or a small one.
    let counted: HashMap<String, u64> = in_scope
        .iter()
        .zip(details.iter().flatten())
        .filter_map(|(summary, facts)| Some((summary.name.clone(), facts.commits_in_period?)))
        .collect();
    let mut repositories: Vec<Repository> =
        stream::iter(in_scope.iter().zip(details.into_iter().flatten()))
            .map(|(summary, facts)| {
                let org_facts = OrgFacts {
                    security: &security,
                    properties: &properties,
                    inherited_actions: &inherited,
                    code_scanning: &coverage,
                    alerts: &alerts,
                };
                async move {
                    let repo = assemble(client, org, summary, facts, org_facts).await;
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
    changes::collect(client, org, &mut repositories, &counted).await;
    deployments::collect(client, org, &mut repositories).await;
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
            // GitHub counts the organization's repositories on every page:
            // a list that ends short of the count lost some.
            if repositories.len() != connection.total_count {
                return Err(format!(
                    "{label}: GitHub counts {} repositories and listed {}; {incomplete} \
                     (a repository created or deleted during the collection also shows here: \
                     collect again)",
                    connection.total_count,
                    repositories.len()
                ));
            }
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
    code_scanning: Observed<CodeScanning>,
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
        code_scanning,
    }
}

/// What the organization-level listings say of every repository.
struct OrgFacts<'a> {
    security: &'a Result<BTreeMap<String, Option<SecurityAndAnalysis>>, String>,
    properties: &'a Properties,
    inherited_actions: &'a Option<ActionsSettings>,
    /// What the code security configurations say.
    code_scanning: &'a Coverage,
    alerts: &'a OrgAlerts,
}

/// Adds what only REST has to the GraphQL facts of one repository.
async fn assemble(
    client: &Client<'_>,
    org: &str,
    summary: &RepoSummary,
    facts: GraphqlFacts,
    org_facts: OrgFacts<'_>,
) -> Repository {
    let OrgFacts {
        security,
        properties,
        inherited_actions,
        code_scanning,
        alerts,
    } = org_facts;
    let name = &summary.name;
    let base = format!("/repos/{org}/{name}");
    let (
        (branches, protection_rules),
        rulesets,
        deploy_keys,
        webhooks,
        actions,
        environments,
        outside_collaborators,
        code_scanning,
    ) = tokio::join!(
        connections::branches(client, org, name, facts.branches),
        connections::rulesets(client, org, name, facts.rulesets, &facts.bypass_visibility),
        connections::deploy_keys(client, org, name, facts.deploy_keys),
        async {
            match &client.settings().skip_repository_webhooks {
                Some(reason) => Observed::unavailable(reason),
                None => {
                    org::webhooks(client, format!("{base}/hooks"), permissions::REPO_HOOKS).await
                }
            }
        },
        async {
            match (
                inherited_actions,
                &client.settings().skip_repository_actions,
            ) {
                (Some(settings), _) => Observed::Known(settings.clone()),
                (None, Some(reason)) => Observed::unavailable(reason),
                (None, None) => {
                    org::actions(
                        client,
                        &format!("{base}/actions/permissions/workflow"),
                        permissions::REPO_ADMIN,
                    )
                    .await
                }
            }
        },
        async {
            let mut environments =
                fallback(facts.environments, || rest_environments(client, &base)).await;
            let settings = client.settings();
            if settings.skip_environment_details.is_none() {
                environments::complete(client, &base, &mut environments, |name| {
                    settings.detailed.is_match(name)
                })
                .await;
            }
            environments
        },
        fallback(facts.collaborators, || rest_collaborators(client, &base)),
        code_scanning::of_repository(client, org, name, code_scanning),
    );
    Repository {
        name: name.clone(),
        ids: match summary.database_id {
            Some(database_id) => Observed::Known(RepositoryIds {
                node_id: summary.id.clone(),
                database_id,
            }),
            None => Observed::unavailable(format!(
                "GraphQL Repositories did not return the database id of {org}/{name}"
            )),
        },
        custom_properties: properties.for_repository(name),
        // `discover` refused any page with an unknown visibility.
        visibility: convert::visibility(&summary.visibility)
            .unwrap_or(tenet_inventory::github::Visibility::Private),
        archived: summary.is_archived,
        default_branch: summary.default_branch_ref.as_ref().map(|r| r.name.clone()),
        branches,
        protection_rules,
        rulesets,
        environments,
        webhooks,
        deploy_keys,
        outside_collaborators,
        security: security_features(org, name, security, facts.dependabot_alerts, code_scanning),
        open_alerts: alerts.for_repository(name),
        actions,
        oidc_subject: Observed::unavailable("not read yet"),
        changes: Observed::unavailable("not read yet"),
        rule_bypasses: Observed::unavailable("not read yet"),
        deployments: Observed::unavailable("not read yet"),
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
