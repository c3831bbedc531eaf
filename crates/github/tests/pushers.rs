//! Who pushed each merged pull request's head, from GitHub's repository
//! activity: read newest first, once per repository the head branches live
//! in (a fork's too), only as far back as the oldest head, and every way
//! the listing can fail, each making those pushers unknown rather than
//! empty.

mod common;

use common::{Github, fixture};
use serde_json::{Value, json};
use tenet_inventory::{
    Observed,
    github::{GithubOrg, PullRequest},
};
use wiremock::{Mock, ResponseTemplate, matchers};

/// The pull request `number` that brought a change into `repo`'s main.
fn pull_request<'a>(org: &'a GithubOrg, repo: &str, number: u64) -> &'a PullRequest {
    common::repo(org, repo)
        .changes
        .known()
        .and_then(|branches| branches.iter().find(|b| b.branch == "main"))
        .and_then(|main| main.changes.known())
        .and_then(|changes| {
            changes
                .iter()
                .find_map(|change| match &change.pull_request {
                    Observed::Known(Some(pr)) if pr.number == number => Some(pr),
                    _ => None,
                })
        })
        .expect("the pull request's change was read")
}

/// Who pushed the head of `number`, or why that is unknown.
fn pushers(org: &GithubOrg, repo: &str, number: u64) -> Result<Vec<String>, String> {
    pull_request(org, repo, number)
        .pushed_by
        .as_result()
        .map(|accounts| accounts.iter().map(|a| a.login.clone()).collect())
        .map_err(str::to_owned)
}

#[tokio::test]
async fn each_merged_head_is_pushed_by_whom_the_activity_names() {
    let github = Github::start().await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    assert_eq!(
        pushers(&org, "api", 7),
        Ok(vec!["dave".to_owned()]),
        "dave pushed the head, not erin who pushed another commit to the branch"
    );
    assert_eq!(
        pushers(&org, "api", 5),
        Ok(vec!["bob".to_owned()]),
        "read from the fork the pull request came from"
    );
    assert_eq!(pushers(&org, "web", 3), Ok(vec!["alice".to_owned()]));
    for repository in ["acme/api", "acme/web", "frank/api"] {
        let route = format!("/repos/{repository}/activity");
        assert_eq!(github.hits(&route).await, 1, "{route}");
    }
    let requests = github.server.received_requests().await.unwrap_or_default();
    let activity = requests
        .iter()
        .find(|r| r.url.path() == "/repos/acme/api/activity")
        .expect("api's activity was read");
    assert_eq!(
        activity.url.query(),
        Some("direction=desc&per_page=100"),
        "newest first, the largest pages"
    );
}

/// api's activity in three pages: the first newer than every head, the
/// second reaching past the oldest head (so the third is not read).
async fn mount_three_pages(github: &Github) {
    let entries = fixture("repo-activity-api.json");
    let entries = entries.as_array().cloned().unwrap_or_default();
    let route = "/repos/acme/api/activity";
    let link = |cursor: &str| {
        format!(
            "<{}{route}?direction=desc&per_page=100&after={cursor}>; rel=\"next\"",
            github.server.uri()
        )
    };
    let pages = [
        (None, entries[..6].to_vec(), Some("c2")),
        (Some("c2"), entries[6..].to_vec(), Some("c3")),
        (Some("c3"), vec![], None),
    ];
    for (cursor, page, next) in pages {
        let mut answer = ResponseTemplate::new(200).set_body_json(Value::Array(page));
        if let Some(next) = next {
            answer = answer.insert_header("link", link(next).as_str());
        }
        let mock = Mock::given(matchers::method("GET")).and(matchers::path(route));
        let mock = match cursor {
            None => mock.and(matchers::query_param_is_missing("after")),
            Some(cursor) => mock.and(matchers::query_param("after", cursor)),
        };
        mock.respond_with(answer)
            .with_priority(1)
            .mount(&github.server)
            .await;
    }
}

#[tokio::test]
async fn the_activity_is_read_only_back_to_the_oldest_head() {
    let github = Github::start().await;
    github.acme().await;
    mount_three_pages(&github).await;
    let (org, _) = github.collect(&github.config()).await;
    assert_eq!(pushers(&org, "api", 7), Ok(vec!["dave".to_owned()]));
    let requests = github.server.received_requests().await.unwrap_or_default();
    let cursors: Vec<Option<String>> = requests
        .iter()
        .filter(|r| r.url.path() == "/repos/acme/api/activity")
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(key, _)| key == "after")
                .map(|(_, value)| value.into_owned())
        })
        .collect();
    assert_eq!(
        cursors,
        [None, Some("c2".to_owned())],
        "the second page reaches a merge older than every head, so the third is not read"
    );
}

#[tokio::test]
async fn a_failed_listing_makes_its_repositorys_pushers_unknown() {
    let error =
        |status: u16, file: &str| ResponseTemplate::new(status).set_body_json(fixture(file));
    let cases: Vec<(&str, ResponseTemplate, &[&str])> = vec![
        (
            "forbidden",
            error(403, "error-403-missing-scope.json"),
            &[
                "GET /repos/acme/api/activity?direction=desc: 403",
                "repository Contents: read",
            ],
        ),
        (
            "not found",
            error(404, "error-404.json"),
            &[
                "GET /repos/acme/api/activity?direction=desc: 404",
                "repository Contents: read",
            ],
        ),
        (
            "a server error, retried",
            error(502, "error-502.json"),
            &["502 Bad Gateway (Server Error), after 3 retries"],
        ),
        (
            "not a list",
            ResponseTemplate::new(200).set_body_json(json!({ "message": "ok" })),
            &["expected a list"],
        ),
        (
            "an entry without its actor",
            ResponseTemplate::new(200).set_body_json(json!([{
                "id": 1, "node_id": "RA_1", "before": "0", "after": "1", "ref": "refs/heads/x",
                "timestamp": "2026-11-10T11:05:00Z", "activity_type": "push"
            }])),
            &["missing field `actor`"],
        ),
    ];
    for (name, answer, expected) in cases {
        let github = Github::start().await;
        github.acme().await;
        Mock::given(matchers::method("GET"))
            .and(matchers::path("/repos/acme/api/activity"))
            .respond_with(answer)
            .with_priority(1)
            .mount(&github.server)
            .await;
        let (org, _) = github.collect(&github.config()).await;
        let reason = pushers(&org, "api", 7).expect_err(name);
        for part in expected {
            assert!(reason.contains(part), "{name}: {reason}");
        }
        assert_eq!(
            pushers(&org, "api", 5),
            Ok(vec!["bob".to_owned()]),
            "{name}: the fork's activity is another listing"
        );
        assert_eq!(
            pushers(&org, "web", 3),
            Ok(vec!["alice".to_owned()]),
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_head_the_activity_does_not_hold_is_unknown_not_pushed_by_nobody() {
    let github = Github::start().await;
    github.acme().await;
    github
        .get_first("/repos/acme/web/activity", 200, json!([]))
        .await;
    let (org, _) = github.collect(&github.config()).await;
    assert_eq!(
        pushers(&org, "web", 3),
        Err("GitHub's activity of acme/web records no push of d3d3d3d to alice/update (read back to 2026-09-14); needs repo (classic token), repository Contents: read (fine-grained token or GitHub App)".to_owned())
    );
}

#[tokio::test]
async fn a_deleted_fork_leaves_its_pusher_unknown_without_a_request() {
    let github = Github::start().await;
    github.acme().await;
    let mut history = fixture("graphql-branch-history.json");
    let nodes = history["data"]["h0"]["ref"]["target"]["history"]["nodes"]
        .as_array_mut()
        .expect("api's history");
    for node in nodes {
        for pull_request in node["associatedPullRequests"]["nodes"]
            .as_array_mut()
            .into_iter()
            .flatten()
        {
            if pull_request["number"] == 5 {
                pull_request["headRepository"] = Value::Null;
            }
        }
    }
    github.graphql_first("BranchHistory", history).await;
    let (org, _) = github.collect(&github.config()).await;
    assert_eq!(
        pushers(&org, "api", 5),
        Err("the repository of its branch frank/feature (a fork) no longer exists".to_owned())
    );
    assert_eq!(github.hits("/repos/frank/api/activity").await, 0);
}
