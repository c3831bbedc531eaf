//! The deployments of the period: every deployment to a repository's
//! production environments (`production_environments`) created inside the
//! snapshot's period, who triggered it, and the environment reviews of the
//! GitHub Actions run whose job made it. Read through GraphQL: a page of
//! [`DEPLOYMENTS_FIRST`] deployments per request, newest first, to the
//! first one older than the period; then the reviews of the runs found,
//! [`RUNS_BATCH`] runs per request. Whatever could not be read makes that
//! repository's deployments, or that deployment's run, unavailable, never a
//! shorter list. Who started each run's attempts comes from REST.

use std::collections::HashMap;

use futures::future::join_all;
use serde_json::{Value, json};
use tenet_inventory::{
    Observed,
    github::{
        Deployment, DeploymentReview, DeploymentReviewState, DeploymentRun, EnvironmentDeployments,
        Repository,
    },
};

use crate::{
    client::Client,
    convert::{account, short},
    graphql::{
        self, DEPLOYMENTS_FIRST, DeploymentNode, DeploymentsRepository, REVIEW_ENVIRONMENTS_FIRST,
        RUN_REVIEWS_FIRST, RUNS_BATCH, RunReviewsNode,
    },
    org::errors_under,
    permissions,
};

mod starters;

/// Most pages of one repository's deployments before the listing counts as
/// a broken pagination loop (50,000 deployments).
const MAX_PAGES: usize = 1_000;

/// A deployment read, and the run that made it as far as its check suites
/// tell: the run's node id, or why it is unknown.
struct Read {
    deployment: Deployment,
    run: Result<String, String>,
}

/// Reads the deployments of the period of every repository into its
/// `deployments`.
pub(crate) async fn collect(client: &Client<'_>, org: &str, repositories: &mut [Repository]) {
    let settings = client.settings();
    if let Some(reason) = &settings.skip_deployments {
        for repo in repositories.iter_mut() {
            repo.deployments = Observed::unavailable(reason);
        }
        return;
    }
    let mut targets = Vec::new();
    for (index, repo) in repositories.iter_mut().enumerate() {
        let environments = match &repo.environments {
            Observed::Known(environments) => environments,
            Observed::Unavailable { reason } => {
                repo.deployments = Observed::unavailable(format!(
                    "the environments of {org}/{} could not be listed, so their deployments were not read: {reason}",
                    repo.name
                ));
                continue;
            }
        };
        let production: Vec<String> = environments
            .iter()
            .filter(|environment| settings.production.is_match(&environment.name))
            .map(|environment| environment.name.clone())
            .collect();
        if production.is_empty() {
            repo.deployments = Observed::Known(Vec::new());
        } else {
            targets.push((index, repo.name.clone(), production));
        }
    }
    let read = join_all(
        targets
            .iter()
            .map(|(_, name, production)| deployments_of(client, org, name, production)),
    )
    .await;
    let mut runs: Vec<String> = read
        .iter()
        .flatten()
        .flatten()
        .filter_map(|read| read.run.as_ref().ok().cloned())
        .collect();
    runs.sort();
    runs.dedup();
    let mut reviews = run_reviews(client, org, &runs).await;
    read_starters(client, org, &targets, &read, &mut reviews).await;
    for ((index, _, production), read) in targets.into_iter().zip(read) {
        let Some(repo) = repositories.get_mut(index) else {
            continue;
        };
        repo.deployments = match read {
            Ok(read) => Observed::Known(by_environment(
                production,
                read.into_iter().map(
                    |Read {
                         mut deployment,
                         run,
                     }| {
                        deployment.run = match run {
                            Ok(id) => match reviews.get(&id) {
                                Some(Ok(run)) => Observed::Known(run.clone()),
                                Some(Err(reason)) => Observed::unavailable(reason),
                                None => Observed::unavailable(format!(
                                    "the reviews of workflow run {id} were not read"
                                )),
                            },
                            Err(reason) => Observed::unavailable(reason),
                        };
                        deployment
                    },
                ),
            )),
            Err(reason) => Observed::unavailable(reason),
        };
    }
}

/// Fills in who started each attempt of each run whose reviews were read
/// (`targets` and `read`: each repository's deployments and their runs'
/// node ids).
async fn read_starters(
    client: &Client<'_>,
    org: &str,
    targets: &[(usize, String, Vec<String>)],
    read: &[Result<Vec<Read>, String>],
    reviews: &mut HashMap<String, Result<DeploymentRun, String>>,
) {
    let mut key_of: HashMap<String, (String, u64)> = HashMap::new();
    for ((_, name, _), read) in targets.iter().zip(read) {
        for node in read
            .iter()
            .flatten()
            .filter_map(|read| read.run.as_ref().ok())
        {
            if let Some(Ok(run)) = reviews.get(node) {
                key_of.insert(node.clone(), (name.clone(), run.id));
            }
        }
    }
    let mut wanted: Vec<(String, u64)> = key_of.values().cloned().collect();
    wanted.sort();
    wanted.dedup();
    let starters = starters::read(client, org, &wanted).await;
    for (node, key) in key_of {
        if let Some(Ok(run)) = reviews.get_mut(&node) {
            run.started_by = match starters.get(&key) {
                Some(Ok(accounts)) => Observed::Known(accounts.clone()),
                Some(Err(reason)) => Observed::unavailable(reason.clone()),
                None => Observed::unavailable(format!(
                    "who started workflow run {} was not read",
                    key.1
                )),
            };
        }
    }
}

/// The deployments per environment of `production` (each listed, with
/// or without deployments), sorted by name; the deployments keep their
/// order (newest first).
fn by_environment(
    production: Vec<String>,
    deployments: impl Iterator<Item = Deployment>,
) -> Vec<EnvironmentDeployments> {
    let mut environments: Vec<EnvironmentDeployments> = production
        .into_iter()
        .map(|environment| EnvironmentDeployments {
            environment,
            deployments: Vec::new(),
        })
        .collect();
    environments.sort_by(|a, b| a.environment.cmp(&b.environment));
    for deployment in deployments {
        // GitHub matches environment names without regard to case.
        match environments
            .iter_mut()
            .find(|e| e.environment.eq_ignore_ascii_case(&deployment.environment))
        {
            Some(environment) => environment.deployments.push(deployment),
            None => environments.push(EnvironmentDeployments {
                environment: deployment.environment.clone(),
                deployments: vec![deployment],
            }),
        }
    }
    environments
}

/// Every deployment of `repo` to `production` created inside the period,
/// newest first: pages of [`DEPLOYMENTS_FIRST`] to the first deployment
/// created before the period.
async fn deployments_of(
    client: &Client<'_>,
    org: &str,
    repo: &str,
    production: &[String],
) -> Result<Vec<Read>, String> {
    let needs = permissions::REPO_DEPLOYMENTS;
    let period = client.settings().period;
    let query = graphql::deployment_history();
    let mut variables = json!({ "owner": org, "name": repo, "environments": production });
    let mut read = Vec::new();
    for page in 1..=MAX_PAGES {
        let name = format!("DeploymentHistory of {org}/{repo} (page {page})");
        let label = format!("GraphQL {name}");
        let mut reply = client
            .graphql(&name, &query, variables.clone())
            .await
            .map_err(|err| err.reason(needs))?;
        if let Some(message) = errors_under(&reply.errors, &["repository"]) {
            return Err(format!("{label}: {message}; needs {needs}"));
        }
        let repository = reply.data.remove("repository").unwrap_or(Value::Null);
        if repository.is_null() {
            return Err(format!(
                "{label}: the repository was not returned; needs {needs}"
            ));
        }
        let repository: DeploymentsRepository = serde_json::from_value(repository)
            .map_err(|err| format!("{label}: malformed answer: {err}"))?;
        let connection = repository
            .deployments
            .ok_or_else(|| format!("{label}: the deployments were not returned; needs {needs}"))?;
        let mut older = false;
        for node in connection.nodes {
            let node = node
                .ok_or_else(|| format!("{label}: a deployment was not returned; needs {needs}"))?;
            let created = node.created_at.date_naive();
            if created < period.from {
                older = true;
                continue;
            }
            if created > period.to {
                continue;
            }
            read.push(deployment(node).map_err(|reason| format!("{label}: {reason}"))?);
        }
        match (
            connection.page_info.has_next_page,
            connection.page_info.end_cursor,
        ) {
            (false, _) => return Ok(read),
            (true, _) if older => return Ok(read),
            (true, None) => {
                return Err(format!(
                    "{label}: a next page is announced without a cursor"
                ));
            }
            (true, Some(cursor)) => variables["after"] = Value::String(cursor),
        }
    }
    Err(format!(
        "GraphQL DeploymentHistory of {org}/{repo}: more than {MAX_PAGES} pages of {DEPLOYMENTS_FIRST} deployments"
    ))
}

/// A deployment as read, and its run's node id (or why it is unknown):
/// the workflow run of the one check suite whose job made the deployment.
fn deployment(node: DeploymentNode) -> Result<Read, String> {
    let id = node
        .database_id
        .ok_or("a deployment without its id was returned")?;
    let environment = node
        .environment
        .ok_or_else(|| format!("deployment {id} was returned without its environment"))?;
    let state = node
        .state
        .ok_or_else(|| format!("deployment {id} was returned without its state"))?;
    let short = short(&node.commit_oid);
    let run = match node.commit.and_then(|commit| commit.check_suites) {
        None => Err(format!(
            "the check suites of commit {short}, which deployment {id} deployed, were not returned"
        )),
        Some(suites) => {
            let mut makers = Vec::new();
            let mut cut = suites.page_info.has_next_page;
            for suite in suites.nodes.into_iter() {
                let Some(suite) = suite else {
                    cut = true;
                    continue;
                };
                let Some(jobs) = suite.check_runs else {
                    cut = true;
                    continue;
                };
                cut |= jobs.page_info.has_next_page || jobs.nodes.iter().any(Option::is_none);
                let made = jobs.nodes.iter().flatten().any(|job| {
                    job.deployment
                        .as_ref()
                        .is_some_and(|made| made.database_id == Some(id))
                });
                if made {
                    makers.push(suite.workflow_run);
                }
            }
            match makers.as_slice() {
                [Some(run)] => match run.database_id {
                    Some(_) => Ok(run.id.clone()),
                    None => Err(format!(
                        "the workflow run that made deployment {id} was returned without its id"
                    )),
                },
                [None] => Err(format!(
                    "deployment {id} was made by a check that is not a GitHub Actions workflow run: no environment review applies to it"
                )),
                [] if cut => Err(format!(
                    "commit {short} has more check suites or jobs than were read ({} suites, {} jobs each), so the run that made deployment {id} was not found",
                    graphql::SUITES_FIRST,
                    graphql::JOBS_FIRST
                )),
                [] => Err(format!(
                    "no GitHub Actions job of commit {short} made deployment {id} (created through the API, or its workflow run was deleted): whether anyone approved it cannot be seen"
                )),
                _ => Err(format!("several check suites claim deployment {id}")),
            }
        }
    };
    Ok(Read {
        deployment: Deployment {
            id,
            environment,
            created_at: node.created_at,
            commit: node.commit_oid,
            state: state.to_ascii_lowercase(),
            creator: node.creator.as_ref().map(account),
            run: Observed::unavailable("not read yet"),
        },
        run,
    })
}

/// The environment reviews of the workflow runs `ids` (node ids), by id:
/// [`RUNS_BATCH`] runs per request.
async fn run_reviews(
    client: &Client<'_>,
    org: &str,
    ids: &[String],
) -> HashMap<String, Result<DeploymentRun, String>> {
    let query = graphql::deployment_reviews();
    let batches = join_all(ids.chunks(RUNS_BATCH).enumerate().map(|(batch, chunk)| {
        let query = &query;
        async move {
            let name = format!("DeploymentReviews of {org} (batch {})", batch + 1);
            let reply = client.graphql(&name, query, json!({ "ids": chunk })).await;
            (name, chunk, reply)
        }
    }))
    .await;
    let needs = permissions::REPO_DEPLOYMENTS;
    let mut reviews = HashMap::new();
    for (name, chunk, reply) in batches {
        let label = format!("GraphQL {name}");
        let mut reply = match reply {
            Ok(reply) => reply,
            Err(err) => {
                let reason = err.reason(needs);
                reviews.extend(chunk.iter().map(|id| (id.clone(), Err(reason.clone()))));
                continue;
            }
        };
        let nodes = reply.data.remove("nodes").unwrap_or(Value::Null);
        let nodes: Vec<Option<RunReviewsNode>> = match serde_json::from_value(nodes) {
            Ok(nodes) => nodes,
            Err(err) => {
                let reason = format!("{label}: malformed answer: {err}");
                reviews.extend(chunk.iter().map(|id| (id.clone(), Err(reason.clone()))));
                continue;
            }
        };
        for (index, id) in chunk.iter().enumerate() {
            let result = match (
                errors_under(&reply.errors, &["nodes", &index.to_string()]),
                nodes.get(index),
            ) {
                (Some(message), _) => Err(format!("{label}: {message}; needs {needs}")),
                (None, Some(Some(node))) if node.id.as_deref() == Some(id.as_str()) => {
                    run(node).map_err(|reason| format!("{label}: {reason}"))
                }
                (None, _) => Err(format!(
                    "{label}: workflow run {id} was not returned; needs {needs}"
                )),
            };
            reviews.insert(id.clone(), result);
        }
    }
    reviews
}

/// A workflow run's reviews, whole, or why they are not.
fn run(node: &RunReviewsNode) -> Result<DeploymentRun, String> {
    let id = node
        .database_id
        .filter(|_| node.typename == "WorkflowRun")
        .ok_or("a node that is not a workflow run was returned")?;
    let connection = node
        .deployment_reviews
        .as_ref()
        .ok_or_else(|| format!("the reviews of workflow run {id} were not returned"))?;
    if connection.page_info.has_next_page {
        return Err(format!(
            "workflow run {id} has more than {RUN_REVIEWS_FIRST} environment reviews"
        ));
    }
    let mut reviews = Vec::new();
    for review in &connection.nodes {
        let review = review
            .as_ref()
            .ok_or_else(|| format!("a review of workflow run {id} was not returned"))?;
        let state = match review.state.as_str() {
            "APPROVED" => DeploymentReviewState::Approved,
            "REJECTED" => DeploymentReviewState::Rejected,
            other => {
                return Err(format!(
                    "a review of workflow run {id} has the unknown state {other}"
                ));
            }
        };
        let reviewer = review
            .user
            .as_ref()
            .ok_or_else(|| {
                format!("a review of workflow run {id} was returned without its reviewer")
            })?
            .login
            .clone();
        let environments = review
            .environments
            .as_ref()
            .filter(|environments| !environments.page_info.has_next_page)
            .ok_or_else(|| {
                format!(
                    "a review of workflow run {id} names more than {REVIEW_ENVIRONMENTS_FIRST} environments, or none was returned"
                )
            })?
            .nodes
            .iter()
            .map(|environment| {
                environment
                    .as_ref()
                    .map(|environment| environment.name.clone())
                    .ok_or_else(|| {
                        format!("an environment of a review of workflow run {id} was not returned")
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        reviews.push(DeploymentReview {
            reviewer,
            state,
            environments,
        });
    }
    Ok(DeploymentRun {
        id,
        reviews,
        // Read from REST once every run's reviews are in.
        started_by: Observed::unavailable(format!("who started workflow run {id} was not read")),
    })
}
