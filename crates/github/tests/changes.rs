//! The changes of the audit period: each branch's first-parent history
//! read in batches and page by page, the pull request behind each commit
//! and its reviews, and every way a page can fail, each making that
//! branch's changes unavailable rather than shorter.

mod common;

use std::sync::Arc;

use common::{Github, fixture};
use serde_json::{Value, json};
use tenet_inventory::{
    Observed,
    github::{BranchChanges, Change, GithubOrg, Review, ReviewState},
};
use wiremock::{Mock, Request, Respond, ResponseTemplate, matchers};

/// The branches of a repository as collected, or the reason they are not.
fn branches<'a>(org: &'a GithubOrg, repo: &str) -> Result<&'a [BranchChanges], String> {
    let repos = org.repositories.known().expect("repositories listed");
    let repo = repos.iter().find(|r| r.name == repo).expect("repository");
    repo.changes
        .as_result()
        .map(Vec::as_slice)
        .map_err(str::to_owned)
}

/// The changes of `repo`'s `main`, or the reason they are unavailable.
fn main_changes<'a>(org: &'a GithubOrg, repo: &str) -> Result<&'a [Change], String> {
    let branches = branches(org, repo)?;
    let main = branches
        .iter()
        .find(|b| b.branch == "main")
        .expect("main is read");
    main.changes
        .as_result()
        .map(Vec::as_slice)
        .map_err(str::to_owned)
}

fn short(changes: &[Change]) -> Vec<String> {
    changes.iter().map(|c| c.sha[..4].to_owned()).collect()
}

#[tokio::test]
async fn the_first_parent_line_inside_the_period_with_each_pull_request() {
    let github = Github::start().await;
    github.acme().await;
    let (org, stats) = github.collect(&github.config()).await;
    let api = main_changes(&org, "api").expect("api's changes");
    // After the period (#9), the direct push, the merge commit of #7 (its
    // inner commit is not on the first-parent line), the squash of #5, and
    // the commit of 31 August (before the period).
    assert_eq!(short(api), ["adad", "a7a7", "a5a5"]);
    assert_eq!(api[0].pull_request, Observed::Known(None), "a direct push");
    assert_eq!(api[0].author.as_deref(), Some("mallory"));
    let merge = api[1].pull_request.known().cloned().flatten().expect("#7");
    assert_eq!((merge.number, api[1].parents), (7, 2));
    assert_eq!(merge.last_commit_by, ["dave"]);
    let squash = api[2].pull_request.known().cloned().flatten().expect("#5");
    assert_eq!(
        squash.number, 5,
        "the merged pull request, not the unmerged #4"
    );
    let reviews = squash.reviews.known().expect("reviews read");
    assert_eq!(reviews[1].state, ReviewState::Dismissed);
    let web = main_changes(&org, "web").expect("web's changes");
    let web_pr = web[0].pull_request.known().cloned().flatten().expect("#3");
    let reviewers: Vec<Option<(String, String)>> = web_pr
        .reviews
        .known()
        .expect("reviews")
        .iter()
        .map(|r| r.author.as_ref().map(|a| (a.login.clone(), a.kind.clone())))
        .collect();
    assert_eq!(reviewers[2], Some(("dependabot[bot]".into(), "Bot".into())));
    assert_eq!(reviewers[3], None, "a deleted account");
    // Both branches in one request.
    let requests = history_requests(&github).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0]["variables"]["since"],
        "2026-09-01T00:00:00+00:00"
    );
    assert_eq!(stats.graphql, 4);
}

/// Answers `BranchHistory` by calling `answer` with each alias's
/// repository, branch and cursor.
struct History(Arc<Answer>);

/// An alias's answer from its repository, branch and cursor.
type Answer = dyn Fn(&str, &str, Option<&str>) -> Value + Send + Sync;

/// A page of api's history from its cursor.
type Page = Box<dyn Fn(Option<&str>) -> Value + Send + Sync>;

impl Respond for History {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let variables = &body["variables"];
        let mut data = json!({ "rateLimit": { "cost": 4, "remaining": 4000, "resetAt": "2026-12-01T00:00:00Z" } });
        for i in 0.. {
            let Some(repo) = variables[format!("r{i}")].as_str() else {
                break;
            };
            let branch = variables[format!("b{i}")].as_str().unwrap_or_default();
            let cursor = variables[format!("a{i}")].as_str();
            data[format!("h{i}")] = (self.0)(repo, branch, cursor);
        }
        ResponseTemplate::new(200).set_body_json(json!({ "data": data }))
    }
}

async fn mount_history(
    github: &Github,
    answer: impl Fn(&str, &str, Option<&str>) -> Value + Send + Sync + 'static,
) {
    Mock::given(matchers::method("POST"))
        .and(matchers::path("/graphql"))
        .and(matchers::body_string_contains("query BranchHistory("))
        .respond_with(History(Arc::new(answer)))
        .with_priority(1)
        .mount(&github.server)
        .await;
}

async fn history_requests(github: &Github) -> Vec<Value> {
    github.requests_of("BranchHistory").await
}

/// A squash-merged commit `n` of a linear history, approved by two people.
fn squash(n: usize, parent: Option<String>) -> Value {
    let oid = format!("{n:040x}");
    let head = format!("{:040x}", n + 1_000_000);
    json!({
        "oid": oid,
        "committedDate": format!("2026-11-{:02}T{:02}:{:02}:00Z", 29 - n / 600, (n / 60) % 10, n % 60),
        "parents": { "totalCount": 1, "nodes": parent.map(|p| json!([{ "oid": p }])).unwrap_or(json!([])) },
        "author": { "user": { "login": "alice" } },
        "associatedPullRequests": { "pageInfo": { "hasNextPage": false }, "nodes": [{
            "number": n, "merged": true, "mergedAt": "2026-11-20T00:00:00Z", "baseRefName": "main",
            "headRefName": format!("pr-{n}"), "headRefOid": head,
            "headRepository": { "nameWithOwner": "acme/api" }, "mergeCommit": { "oid": oid },
            "author": { "__typename": "User", "login": "alice" },
            "mergedBy": { "__typename": "User", "login": "alice" },
            "commits": { "nodes": [{ "commit": { "oid": head, "committedDate": "2026-11-19T00:00:00Z", "author": { "user": { "login": "alice" } }, "committer": { "user": null } } }] },
            "reviews": { "pageInfo": { "hasNextPage": false }, "nodes": [
                { "author": { "__typename": "User", "login": "bob" }, "state": "APPROVED", "commit": { "oid": head }, "submittedAt": "2026-11-19T00:00:00Z" }
            ] }
        }] }
    })
}

/// A linear history of `count` commits (newest first), served in pages of
/// 50 with cursors `p1`, `p2`, …
fn linear(count: usize, cursor: Option<&str>) -> Value {
    let page: usize = cursor
        .and_then(|c| c.strip_prefix('p'))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let start = page * 50;
    let end = (start + 50).min(count);
    let nodes: Vec<Value> = (start..end)
        .map(|i| {
            squash(
                count - i,
                (i + 1 < count).then(|| format!("{:040x}", count - i - 1)),
            )
        })
        .collect();
    json!({ "ref": { "target": {
        "__typename": "Commit",
        "oid": format!("{count:040x}"),
        "history": {
            "pageInfo": { "hasNextPage": end < count, "endCursor": (end < count).then(|| format!("p{}", page + 1)) },
            "nodes": nodes
        }
    } } })
}

#[tokio::test]
async fn long_histories_are_read_to_the_end_in_batched_pages() {
    let github = Github::start().await;
    github.acme().await;
    mount_history(&github, |repo, _, cursor| match repo {
        "api" => linear(130, cursor),
        _ => linear(3, cursor),
    })
    .await;
    let (org, _) = github.collect(&github.config()).await;
    let api = main_changes(&org, "api").expect("api's changes");
    assert_eq!(api.len(), 130);
    assert_eq!(api[0].sha, format!("{:040x}", 130));
    assert_eq!(api[129].sha, format!("{:040x}", 1));
    assert_eq!(main_changes(&org, "web").expect("web").len(), 3);
    // Both branches' first pages in one request; api's next two alone.
    let requests = history_requests(&github).await;
    let cursors: Vec<Value> = requests
        .iter()
        .map(|r| json!([r["variables"]["a0"], r["variables"]["a1"]]))
        .collect();
    assert_eq!(
        cursors,
        [
            json!([null, null]),
            json!(["p1", null]),
            json!(["p2", null])
        ]
    );
}

/// The reason api's (or, with `repo`, another repository's) main changes
/// are unavailable when the history answers `answer`.
async fn failure(
    answer: impl Fn(&str, &str, Option<&str>) -> Value + Send + Sync + 'static,
) -> String {
    let github = Github::start().await;
    github.acme().await;
    mount_history(&github, answer).await;
    let (org, _) = github.collect(&github.config()).await;
    assert!(main_changes(&org, "web").is_ok(), "web is unaffected");
    main_changes(&org, "api").expect_err("api's changes are unavailable")
}

fn api_or_linear(
    broken: impl Fn(Option<&str>) -> Value + Send + Sync + 'static,
) -> impl Fn(&str, &str, Option<&str>) -> Value + Send + Sync + 'static {
    move |repo, _, cursor| match repo {
        "api" => broken(cursor),
        _ => linear(3, cursor),
    }
}

#[tokio::test]
async fn every_broken_page_makes_the_branch_unavailable() {
    let cases: Vec<(&str, Page, &str)> = vec![
        (
            "the repository not returned",
            Box::new(|_| Value::Null),
            "GraphQL BranchHistory of acme/api@main (page 1): the repository was not returned; needs repo (classic token), repository Contents: read and Pull requests: read (fine-grained token or GitHub App)",
        ),
        (
            "the branch not found",
            Box::new(|_| json!({ "ref": null })),
            "(page 1): branch main not found",
        ),
        (
            "a tag, not a commit",
            Box::new(|_| json!({ "ref": { "target": { "__typename": "Tag", "oid": "x" } } })),
            "the branch points to a Tag, not a commit",
        ),
        (
            "a next page without a cursor",
            Box::new(|cursor| {
                let mut page = linear(60, cursor);
                page["ref"]["target"]["history"]["pageInfo"]["endCursor"] = Value::Null;
                page
            }),
            "(page 1): a next page is announced without a cursor",
        ),
        (
            "a null commit on the second page",
            Box::new(|cursor| {
                let mut page = linear(60, cursor);
                if cursor.is_some() {
                    page["ref"]["target"]["history"]["nodes"][3] = Value::Null;
                }
                page
            }),
            "(page 2): a commit of the history was not returned",
        ),
        (
            "the branch moved between pages",
            Box::new(|cursor| {
                let mut page = linear(60, cursor);
                if cursor.is_some() {
                    page["ref"]["target"]["oid"] = json!("f".repeat(40));
                }
                page
            }),
            "(page 2): the branch moved from 0000000 to fffffff while its history was read; collect again",
        ),
        (
            "a malformed commit",
            Box::new(|cursor| {
                let mut page = linear(3, cursor);
                page["ref"]["target"]["history"]["nodes"][0]["committedDate"] = json!("yesterday");
                page
            }),
            "(page 1): malformed answer: ",
        ),
        (
            "a head dated before the period",
            Box::new(|cursor| {
                let mut page = linear(3, cursor);
                page["ref"]["target"]["oid"] = json!("e".repeat(40));
                page
            }),
            "the branch's head eeeeeee is dated before the period while 3 commits of its history fall in it",
        ),
    ];
    for (name, broken, expected) in cases {
        let reason = failure(api_or_linear(broken)).await;
        assert!(reason.contains(expected), "{name}: {reason}");
    }
}

#[tokio::test]
async fn a_graphql_error_on_one_branch_spares_the_other() {
    let github = Github::start().await;
    github.acme().await;
    Mock::given(matchers::method("POST"))
        .and(matchers::path("/graphql"))
        .and(matchers::body_string_contains("query BranchHistory("))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": { "h0": linear(3, None), "h1": null },
            "errors": [{ "type": "FORBIDDEN", "message": "Resource not accessible by integration", "path": ["h1", "ref"] }]
        })))
        .with_priority(1)
        .mount(&github.server)
        .await;
    let (org, _) = github.collect(&github.config()).await;
    assert_eq!(main_changes(&org, "api").map(<[Change]>::len), Ok(3));
    assert_eq!(
        main_changes(&org, "web"),
        Err("GraphQL BranchHistory of acme/web@main (page 1): Resource not accessible by integration; needs repo (classic token), repository Contents: read and Pull requests: read (fine-grained token or GitHub App)".to_owned())
    );
}

#[tokio::test]
async fn a_failed_request_makes_every_branch_of_it_unavailable() {
    let github = Github::start().await;
    github.acme().await;
    Mock::given(matchers::method("POST"))
        .and(matchers::path("/graphql"))
        .and(matchers::body_string_contains("query BranchHistory("))
        .respond_with(ResponseTemplate::new(502).set_body_json(fixture("error-502.json")))
        .with_priority(1)
        .mount(&github.server)
        .await;
    let (org, _) = github.collect(&github.config()).await;
    for repo in ["api", "web"] {
        let reason = main_changes(&org, repo).expect_err("unavailable");
        assert!(reason.contains("GraphQL BranchHistory: 502"), "{reason}");
    }
}

#[tokio::test]
async fn a_pull_request_whose_reviews_or_association_are_cut_short_is_unavailable() {
    let github = Github::start().await;
    github.acme().await;
    mount_history(&github, |repo, _, cursor| {
        let mut page = linear(3, cursor);
        let nodes = &mut page["ref"]["target"]["history"]["nodes"];
        if repo == "api" {
            nodes[0]["associatedPullRequests"]["nodes"][0]["reviews"]["pageInfo"]["hasNextPage"] =
                json!(true);
            nodes[1]["associatedPullRequests"]["nodes"][0]["baseRefName"] = json!("develop");
            nodes[1]["associatedPullRequests"]["pageInfo"]["hasNextPage"] = json!(true);
            nodes[2]["associatedPullRequests"]["nodes"][0]["state"] = json!("x");
            nodes[2]["associatedPullRequests"]["nodes"][0]["reviews"]["nodes"][0]["state"] =
                json!("REJECTED");
        }
        page
    })
    .await;
    let (org, _) = github.collect(&github.config()).await;
    let api = main_changes(&org, "api").expect("the branch is read");
    let reviews = api[0]
        .pull_request
        .known()
        .cloned()
        .flatten()
        .expect("a pull request")
        .reviews;
    assert_eq!(
        reviews.as_result().err(),
        Some(
            "a next page of reviews is announced without a cursor; needs repo (classic token), repository Contents: read and Pull requests: read (fine-grained token or GitHub App)"
        )
    );
    assert!(
        api[1].pull_request.as_result().is_err_and(|reason| reason.ends_with(
            "commit 0000000: more than 5 pull requests contain it, none of the first merged into main; needs repo (classic token), repository Contents: read and Pull requests: read (fine-grained token or GitHub App)"
        )),
        "{:?}",
        api[1].pull_request
    );
    let unknown = api[2]
        .pull_request
        .known()
        .cloned()
        .flatten()
        .expect("a pull request")
        .reviews;
    assert!(
        unknown
            .as_result()
            .is_err_and(|reason| reason.contains("unknown review state `REJECTED`")),
        "{unknown:?}"
    );
}

#[tokio::test]
async fn changes_are_not_read_when_no_control_needs_them() {
    let github = Github::start().await;
    github.acme().await;
    let mut config = github.config();
    config.skip_changes = Some("the policy turns the change controls off".into());
    let (org, stats) = github.collect(&config).await;
    assert_eq!(
        branches(&org, "api").err().as_deref(),
        Some("the policy turns the change controls off")
    );
    assert!(history_requests(&github).await.is_empty());
    assert_eq!(stats.graphql, 3);
}

#[tokio::test]
async fn protected_branches_that_could_not_be_listed_leave_the_changes_unread() {
    let github = Github::start().await;
    github.acme().await;
    let mut config = github.config();
    // The recorded details answer carries no branch list.
    config.protected_branches = vec!["release/*".into()];
    let (org, _) = github.collect(&config).await;
    let reason = branches(&org, "api").expect_err("unavailable");
    assert!(
        reason.starts_with(
            "the protected branches of acme/api could not be listed, so their changes were not read: GraphQL RepositoryDetails of acme/api: branches not returned"
        ),
        "{reason}"
    );
}

#[tokio::test]
async fn a_default_branch_without_commits_in_the_period_costs_no_request() {
    let github = Github::start().await;
    github.acme().await;
    let mut details = fixture("graphql-repository-details.json");
    details["data"]["r1"]["defaultBranchRef"]["target"] = json!({ "history": { "totalCount": 0 } });
    // A failed count leaves api's branch protection alone and its history
    // read.
    if let Some(errors) = details["errors"].as_array_mut() {
        errors.push(json!({
            "type": "FORBIDDEN",
            "message": "Resource not accessible by integration",
            "path": ["r0", "defaultBranchRef", "target"]
        }));
    }
    github.graphql_first("RepositoryDetails", details).await;
    let (org, _) = github.collect(&github.config()).await;
    assert_eq!(main_changes(&org, "web").map(<[Change]>::len), Ok(0));
    assert_eq!(main_changes(&org, "api").map(<[Change]>::len), Ok(3));
    let api = org.repositories.known().expect("repositories")[0].clone();
    assert!(api.branches.known().is_some(), "{:?}", api.branches);
    let requests = history_requests(&github).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0]["variables"]["r0"], "api");
    assert_eq!(requests[0]["variables"].get("r1"), None, "web is not read");
}

/// The reviews of api's newest change when its pull request's first page
/// of reviews announces a second page (cursor `reviews-1`) that
/// `PullRequestReviews` answers with `answer`; and that request's bodies.
async fn reviews_with_a_second_page(answer: Value) -> (Observed<Vec<Review>>, Vec<Value>) {
    let github = Github::start().await;
    github.acme().await;
    mount_history(&github, |repo, _, cursor| {
        let mut page = linear(3, cursor);
        if repo == "api" {
            let reviews =
                &mut page["ref"]["target"]["history"]["nodes"][0]["associatedPullRequests"]["nodes"][0]["reviews"];
            reviews["pageInfo"] = json!({ "hasNextPage": true, "endCursor": "reviews-1" });
        }
        page
    })
    .await;
    Mock::given(matchers::method("POST"))
        .and(matchers::path("/graphql"))
        .and(matchers::body_string_contains("query PullRequestReviews("))
        .and(matchers::body_string_contains("\"after\":\"reviews-1\""))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .with_priority(1)
        .mount(&github.server)
        .await;
    let (org, _) = github.collect(&github.config()).await;
    let api = main_changes(&org, "api").expect("the branch is read");
    assert!(
        api[1].pull_request.known().is_some(),
        "the other changes stand"
    );
    let reviews = api[0]
        .pull_request
        .known()
        .cloned()
        .flatten()
        .expect("a pull request")
        .reviews;
    (reviews, github.requests_of("PullRequestReviews").await)
}

#[tokio::test]
async fn reviews_past_the_first_page_are_read_to_the_end() {
    let head = format!("{:040x}", 3 + 1_000_000);
    let (reviews, follow_up) = reviews_with_a_second_page(json!({ "data": { "repository": { "pullRequest": { "reviews": {
        "pageInfo": { "hasNextPage": false, "endCursor": null },
        "nodes": [{ "author": { "__typename": "User", "login": "carol" }, "state": "APPROVED", "commit": { "oid": head }, "submittedAt": "2026-11-19T01:00:00Z" }]
    } } } } }))
    .await;
    let reviewers: Vec<String> = reviews
        .known()
        .expect("every review")
        .iter()
        .filter_map(|review| review.author.as_ref().map(|a| a.login.clone()))
        .collect();
    assert_eq!(reviewers, ["bob", "carol"], "the second page's review too");
    assert_eq!(follow_up.len(), 1);
    assert_eq!(follow_up[0]["variables"]["number"], 3);
    assert_eq!(follow_up[0]["variables"]["name"], "api");
}

#[tokio::test]
async fn a_failed_page_of_reviews_makes_only_those_reviews_unavailable() {
    let (reviews, _) = reviews_with_a_second_page(json!({
        "data": { "repository": null },
        "errors": [{ "type": "NOT_FOUND", "message": "Could not resolve to a Repository with the name 'acme/api'.", "path": ["repository"] }]
    }))
    .await;
    assert_eq!(
        reviews.as_result().err(),
        Some(
            "GraphQL PullRequestReviews of acme/api#3 (page 2): Could not resolve to a Repository with the name 'acme/api'.; needs repo (classic token), repository Contents: read and Pull requests: read (fine-grained token or GitHub App)"
        )
    );
}
