//! The deployments of the audit period: each production environment's
//! deployments read newest first to the first one older than the period,
//! the workflow run whose job made each, and that run's environment
//! reviews; and every way a request can fail, each making that repository's
//! deployments, or that deployment's run, unavailable rather than shorter.

mod common;

use common::{Github, fixture};
use serde_json::{Value, json};
use tenet_github::GithubConfig;
use tenet_inventory::{
    Observed,
    github::{Deployment, DeploymentReviewState, EnvironmentDeployments, GithubOrg},
};

/// The configuration of the tests: `prod*` environments are production.
fn production(github: &Github) -> GithubConfig {
    let mut config = github.config();
    config.production_environments = vec!["PROD*".into()];
    config
}

/// `api`'s deployments per environment, or why they are unavailable.
fn api(org: &GithubOrg) -> Result<&[EnvironmentDeployments], String> {
    let repos = org.repositories.known().expect("repositories listed");
    let repo = repos.iter().find(|r| r.name == "api").expect("api");
    repo.deployments
        .as_result()
        .map(Vec::as_slice)
        .map_err(str::to_owned)
}

fn by_id(deployments: &[Deployment], id: u64) -> &Deployment {
    deployments
        .iter()
        .find(|d| d.id == id)
        .expect("deployment read")
}

/// The recorded deployment history and run reviews.
fn history() -> Value {
    fixture("graphql-deployment-history.json")
}

fn reviews() -> Value {
    fixture("graphql-deployment-reviews.json")
}

/// Mounts `acme`, its deployment history answering `history` and its
/// runs' reviews answering `reviews`.
async fn mount(github: &Github, history: Value, reviews: Value) {
    github.graphql_first("DeploymentHistory", history).await;
    github.graphql_first("DeploymentReviews", reviews).await;
    github.acme().await;
    let run = fixture("repo-actions-run.json");
    github
        .get("/repos/acme/api/actions/runs/8012", 200, run.clone())
        .await;
    github
        .get(
            "/repos/acme/api/actions/runs/8012/attempts/2",
            200,
            fixture("repo-actions-run-attempt.json"),
        )
        .await;
    for (id, creator) in [(8000, "dave"), (8005, "bob"), (8015, "alice")] {
        let mut once = run.clone();
        once["id"] = json!(id);
        once["run_attempt"] = json!(1);
        once["actor"]["login"] = json!(creator);
        once["triggering_actor"]["login"] = json!(creator);
        github
            .get(&format!("/repos/acme/api/actions/runs/{id}"), 200, once)
            .await;
    }
}

async fn with_deployments(github: &Github) {
    mount(github, history(), reviews()).await;
}

#[tokio::test]
async fn each_deployment_of_the_period_with_the_reviews_of_the_run_that_made_it() {
    let github = Github::start().await;
    with_deployments(&github).await;
    let (org, stats) = github.collect(&production(&github)).await;
    let environments = api(&org).expect("api's deployments");
    assert_eq!(environments.len(), 1, "staging is not production");
    assert_eq!(environments[0].environment, "production");
    let deployments = &environments[0].deployments;
    let ids: Vec<u64> = deployments.iter().map(|d| d.id).collect();
    assert_eq!(
        ids,
        [815, 812, 805, 800, 790],
        "newest first, inside the period only"
    );
    let approved = by_id(deployments, 812);
    assert_eq!(
        approved.creator.as_ref().map(|c| c.login.as_str()),
        Some("alice")
    );
    assert_eq!(approved.state, "active");
    let run = approved.run.known().expect("its run");
    assert_eq!(
        run.id, 8012,
        "the run whose job made it, not the CI suite's"
    );
    assert_eq!(run.reviews[1].reviewer, "bob");
    assert_eq!(run.reviews[1].state, DeploymentReviewState::Approved);
    assert_eq!(run.reviews[1].environments, ["production", "staging"]);
    let rejected = by_id(deployments, 800).run.known().expect("run");
    assert_eq!(rejected.reviews[0].state, DeploymentReviewState::Rejected);
    let unmade = by_id(deployments, 790).run.as_result().expect_err("no run");
    assert!(
        unmade.starts_with("no GitHub Actions job of commit d790d79 made deployment 790"),
        "{unmade}"
    );
    // `web` has no production environment: nothing to read, nothing read.
    let repos = org.repositories.known().expect("repositories");
    let web = repos.iter().find(|r| r.name == "web").expect("web");
    assert_eq!(web.deployments, Observed::Known(Vec::new()));
    // One page (the one before the period ends the listing), one batch
    // of runs.
    let history = github.requests_of("DeploymentHistory").await;
    assert_eq!(history.len(), 1);
    assert_eq!(
        history[0]["variables"]["environments"],
        json!(["production"])
    );
    let reviews = github.requests_of("DeploymentReviews").await;
    assert_eq!(reviews.len(), 1);
    assert_eq!(
        reviews[0]["variables"]["ids"],
        json!(["WFR_kwDO800", "WFR_kwDO805", "WFR_kwDO812", "WFR_kwDO815"])
    );
    assert_eq!(stats.graphql, 6);
}

#[tokio::test]
async fn a_page_without_an_older_deployment_is_followed() {
    let github = Github::start().await;
    let mut first = history();
    let nodes = first["data"]["repository"]["deployments"]["nodes"]
        .as_array_mut()
        .expect("nodes");
    let rest = nodes.split_off(3);
    github.graphql_page("DeploymentHistory", None, first).await;
    let mut second = history();
    second["data"]["repository"]["deployments"] = json!({
        "pageInfo": { "hasNextPage": false, "endCursor": null },
        "nodes": rest,
    });
    github
        .graphql_page("DeploymentHistory", Some("Y3Vyc29yOjY="), second)
        .await;
    github.graphql_first("DeploymentReviews", reviews()).await;
    github.acme().await;
    let (org, _) = github.collect(&production(&github)).await;
    let deployments = &api(&org).expect("read")[0].deployments;
    assert_eq!(deployments.len(), 5, "both pages");
    assert_eq!(github.requests_of("DeploymentHistory").await.len(), 2);
}

#[tokio::test]
async fn every_failure_of_the_listing_makes_the_repositorys_deployments_unavailable() {
    let cases: [(&str, Value, &str); 4] = [
        (
            "an HTTP error",
            Value::Null,
            "GraphQL DeploymentHistory of acme/api (page 1): 502 Bad Gateway",
        ),
        (
            "a GraphQL error on the repository",
            json!({ "data": { "repository": null }, "errors": [{ "type": "FORBIDDEN", "path": ["repository"], "message": "Resource not accessible by integration" }] }),
            "GraphQL DeploymentHistory of acme/api (page 1): Resource not accessible by integration; needs",
        ),
        (
            "a null repository",
            json!({ "data": { "repository": null } }),
            "GraphQL DeploymentHistory of acme/api (page 1): the repository was not returned; needs",
        ),
        (
            "a null deployment",
            json!({ "data": { "repository": { "deployments": { "pageInfo": { "hasNextPage": false }, "nodes": [null] } } } }),
            "GraphQL DeploymentHistory of acme/api (page 1): a deployment was not returned; needs",
        ),
    ];
    for (case, body, expected) in cases {
        let github = Github::start().await;
        if body.is_null() {
            github
                .graphql_status_first("DeploymentHistory", 502, fixture("error-502.json"))
                .await;
        } else {
            github.graphql_first("DeploymentHistory", body).await;
        }
        github.acme().await;
        let (org, _) = github.collect(&production(&github)).await;
        let reason = api(&org).expect_err(case);
        assert!(reason.contains(expected), "{case}: {reason}");
        assert!(
            reason.contains("Deployments: read, Checks: read and Actions: read")
                || case == "an HTTP error",
            "{case} names the permission: {reason}"
        );
    }
}

#[tokio::test]
async fn runs_whose_reviews_cannot_be_read_leave_their_deployments_undetermined() {
    let github = Github::start().await;
    let mut reviews = reviews();
    // 805's reviews cut short, 812 not returned, 815 with a GraphQL error.
    reviews["data"]["nodes"][1]["deploymentReviews"]["pageInfo"]["hasNextPage"] = json!(true);
    reviews["data"]["nodes"][2] = Value::Null;
    reviews["data"]["nodes"][3] = Value::Null;
    reviews["errors"] = json!([{ "type": "NOT_FOUND", "path": ["nodes", 3], "message": "Could not resolve to a node with the global id of 'WFR_kwDO815'" }]);
    mount(&github, history(), reviews).await;
    let (org, _) = github.collect(&production(&github)).await;
    let deployments = &api(&org).expect("the listing was read")[0].deployments;
    let reason = |id| {
        by_id(deployments, id)
            .run
            .as_result()
            .expect_err("unavailable")
            .to_owned()
    };
    assert!(
        reason(805).ends_with("workflow run 8005 has more than 20 environment reviews"),
        "{}",
        reason(805)
    );
    assert!(
        reason(812).contains("workflow run WFR_kwDO812 was not returned"),
        "{}",
        reason(812)
    );
    assert!(
        reason(815).contains("Could not resolve to a node"),
        "{}",
        reason(815)
    );
    assert!(
        by_id(deployments, 800).run.known().is_some(),
        "the others stand"
    );
}

#[tokio::test]
async fn a_run_that_cannot_be_found_for_certain_is_unknown() {
    let github = Github::start().await;
    let mut history = history();
    let nodes = history["data"]["repository"]["deployments"]["nodes"]
        .as_array_mut()
        .expect("nodes");
    // 790's commit has more suites than were read; 805's job list is cut
    // short but names it; 800 is claimed by a check that is not a run.
    nodes[5]["commit"]["checkSuites"]["pageInfo"]["hasNextPage"] = json!(true);
    nodes[3]["commit"]["checkSuites"]["nodes"][0]["checkRuns"]["pageInfo"]["hasNextPage"] =
        json!(true);
    nodes[4]["commit"]["checkSuites"]["nodes"][0]["workflowRun"] = Value::Null;
    let mut reviews = reviews();
    reviews["data"]["nodes"]
        .as_array_mut()
        .expect("nodes")
        .remove(0);
    mount(&github, history, reviews).await;
    let (org, _) = github.collect(&production(&github)).await;
    let deployments = &api(&org).expect("read")[0].deployments;
    let reason = by_id(deployments, 790)
        .run
        .as_result()
        .expect_err("unknown")
        .to_owned();
    assert!(
        reason.starts_with("commit d790d79 has more check suites or jobs than were read"),
        "{reason}"
    );
    assert!(
        by_id(deployments, 805).run.known().is_some(),
        "found all the same"
    );
    let reason = by_id(deployments, 800)
        .run
        .as_result()
        .expect_err("not a run")
        .to_owned();
    assert!(
        reason.contains("made by a check that is not a GitHub Actions workflow run"),
        "{reason}"
    );
}

#[tokio::test]
async fn skipped_or_without_environments_nothing_is_requested() {
    let github = Github::start().await;
    with_deployments(&github).await;
    let mut config = production(&github);
    config.skip_deployments = Some("no control reads them".into());
    let (org, _) = github.collect(&config).await;
    assert_eq!(api(&org).expect_err("skipped"), "no control reads them");
    assert!(github.requests_of("DeploymentHistory").await.is_empty());

    // The default configuration names no production environment.
    let github = Github::start().await;
    with_deployments(&github).await;
    let (org, _) = github.collect(&github.config()).await;
    assert_eq!(api(&org), Ok(&[][..]));
    assert!(github.requests_of("DeploymentHistory").await.is_empty());
}

/// Who started each attempt of deployment `id`'s run, or why that is
/// unknown.
fn starters(org: &GithubOrg, id: u64) -> Result<Vec<String>, String> {
    let environments = api(org).expect("api's deployments");
    let run = by_id(&environments[0].deployments, id)
        .run
        .known()
        .expect("the run's reviews were read");
    run.started_by
        .as_result()
        .map(|accounts| accounts.iter().map(|a| a.login.clone()).collect())
        .map_err(str::to_owned)
}

#[tokio::test]
async fn whoever_started_or_re_ran_each_run_is_read_from_rest() {
    let github = Github::start().await;
    with_deployments(&github).await;
    let (org, _) = github.collect(&production(&github)).await;
    assert_eq!(
        starters(&org, 812),
        Ok(vec![
            "alice".to_owned(),
            "carol".to_owned(),
            "dave".to_owned()
        ]),
        "the run's actor, the second attempt's and the latest's"
    );
    assert_eq!(starters(&org, 805), Ok(vec!["bob".to_owned()]));
    assert_eq!(
        github.hits("/repos/acme/api/actions/runs/8012").await,
        1,
        "the run itself names its actor and its latest attempt's"
    );
    assert_eq!(
        github
            .hits("/repos/acme/api/actions/runs/8012/attempts/2")
            .await,
        1
    );
    for attempt in [1, 3] {
        let route = format!("/repos/acme/api/actions/runs/8012/attempts/{attempt}");
        assert_eq!(github.hits(&route).await, 0, "{route}");
    }
}

#[tokio::test]
async fn a_run_whose_starters_cannot_be_read_keeps_its_reviews() {
    let run = fixture("repo-actions-run.json");
    let without = |field: &str| {
        let mut run = run.clone();
        if let Some(fields) = run.as_object_mut() {
            fields.remove(field);
        }
        run
    };
    let cases: Vec<(&str, &str, u16, Value, &[&str])> = vec![
        (
            "the run forbidden",
            "/repos/acme/api/actions/runs/8012",
            403,
            fixture("error-403-missing-scope.json"),
            &[
                "GET /repos/acme/api/actions/runs/8012: 403",
                "Actions: read",
            ],
        ),
        (
            "the run gone",
            "/repos/acme/api/actions/runs/8012",
            404,
            fixture("error-404.json"),
            &[
                "GET /repos/acme/api/actions/runs/8012: 404",
                "Actions: read",
            ],
        ),
        (
            "no attempt number",
            "/repos/acme/api/actions/runs/8012",
            200,
            without("run_attempt"),
            &["the run's `run_attempt` is missing", "Actions: read"],
        ),
        (
            "no triggering actor",
            "/repos/acme/api/actions/runs/8012",
            200,
            without("triggering_actor"),
            &["the run's `triggering_actor` is missing", "Actions: read"],
        ),
        (
            "an attempt between failing",
            "/repos/acme/api/actions/runs/8012/attempts/2",
            502,
            fixture("error-502.json"),
            &["GET /repos/acme/api/actions/runs/8012/attempts/2: 502"],
        ),
    ];
    for (name, route, status, body, expected) in cases {
        let github = Github::start().await;
        github.get_first(route, status, body).await;
        with_deployments(&github).await;
        let (org, _) = github.collect(&production(&github)).await;
        let reason = starters(&org, 812).expect_err(name);
        for part in expected {
            assert!(reason.contains(part), "{name}: {reason}");
        }
        assert_eq!(starters(&org, 805), Ok(vec!["bob".to_owned()]), "{name}");
    }
}
