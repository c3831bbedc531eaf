//! Benchmark: collects a mock organization of N repositories whose every
//! answer takes 50 ms, and prints requests and wall time per N. Every
//! control's facts are read: code scanning through one code security
//! configuration enforced on every repository, and open alerts (20
//! Dependabot, 5 code scanning) from the organization listings.
//!
//! `cargo run --release -p tenet-github --example bench -- [N ...] [--concurrency C] [--without-webhooks] [--changes M]`
//! (default N: 100 500 1000 2000; default C: 16, the connector's default). `--without-webhooks`
//! collects as for a policy that turns `github.webhooks.tls` off. `--changes M` gives the
//! default branches M changes of the period in all, spread evenly (squash merges approved
//! by two people, each with three entries of the repository's activity: its branch's
//! creation, the push of its head, its merge; no rule bypass; default 0).

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tenet_github::{Auth, GithubConfig, NoProgress, RepoFilter, Secret};
use wiremock::{
    Mock, MockServer, Request, Respond, ResponseTemplate,
    matchers::{body_string_contains, method, path, path_regex, query_param},
};

const LATENCY: Duration = Duration::from_millis(50);
const ORG: &str = "bench";

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_delay(LATENCY)
        .set_body_json(body)
}

fn name(i: usize) -> String {
    format!("repo-{i:05}")
}

/// GraphQL: discovery pages, detail batches and branch histories,
/// generated from the request.
struct Graphql {
    repos: usize,
    /// Changes of the period on each default branch.
    changes_per_repo: usize,
}

/// The page sizes a `BranchHistory` query asks for, alias by alias.
fn page_sizes(query: &str) -> Vec<usize> {
    query
        .split("history(first: ")
        .skip(1)
        .filter_map(|rest| rest.split(',').next()?.parse().ok())
        .collect()
}

/// One page of `first` commits of a default branch's history of `count`
/// squash merges, after `cursor` (`h` and the offset).
fn history(repo: &str, count: usize, first: usize, cursor: Option<&str>) -> Value {
    let start: usize = cursor
        .and_then(|c| c.strip_prefix('h'))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let end = (start + first).min(count);
    let now = chrono::Utc::now();
    let oid = |i: usize| format!("{:0>40}", format!("{:x}{i:x}", repo.len()));
    let nodes: Vec<Value> = (start..end)
        .map(|i| {
            let head = format!("{:f>40}", i);
            let approval = |login: &str| json!({"author": {"__typename": "User", "login": login}, "state": "APPROVED", "commit": {"oid": head}, "submittedAt": "2026-11-01T00:00:00Z"});
            json!({
                "oid": oid(i),
                "committedDate": (now - chrono::Duration::minutes(i as i64 + 1)).to_rfc3339(),
                "parents": {"totalCount": 1, "nodes": [{"oid": oid(i + 1)}]},
                "author": {"user": {"login": "a"}},
                "associatedPullRequests": {"pageInfo": {"hasNextPage": false}, "nodes": [{
                    "number": i + 1, "merged": true, "mergedAt": "2026-11-01T00:00:00Z",
                    "baseRefName": "main", "headRefName": format!("pr-{}", i + 1), "headRefOid": head,
                    "headRepository": {"nameWithOwner": format!("{ORG}/{repo}")}, "mergeCommit": {"oid": oid(i)},
                    "author": {"__typename": "User", "login": "a"},
                    "mergedBy": {"__typename": "User", "login": "a"},
                    "commits": {"nodes": [{"commit": {"oid": head, "committedDate": "2026-11-01T00:00:00Z", "author": {"user": {"login": "a"}}, "committer": {"user": {"login": "a"}}}}]},
                    "reviews": {"pageInfo": {"hasNextPage": false}, "nodes": [approval("b"), approval("c")]}
                }]}
            })
        })
        .collect();
    json!({"ref": {"target": {"__typename": "Commit", "oid": oid(0), "history": {
        "pageInfo": {"hasNextPage": end < count, "endCursor": format!("h{end}")},
        "nodes": nodes
    }}}})
}

impl Respond for Graphql {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let query = body["query"].as_str().unwrap_or_default();
        let variables = &body["variables"];
        let rate = json!({"cost": 1, "remaining": 4000, "resetAt": "2026-07-01T00:00:00Z"});
        if query.contains("query Repositories(") {
            let page: usize = variables["after"]
                .as_str()
                .and_then(|c| c.trim_start_matches('c').parse().ok())
                .unwrap_or(0);
            let start = page * 100;
            let end = (start + 100).min(self.repos);
            let nodes: Vec<Value> = (start..end)
                .map(|i| json!({"id": format!("R_{i}"), "databaseId": i + 1, "name": name(i), "visibility": "PRIVATE", "isArchived": false, "defaultBranchRef": {"name": "main"}}))
                .collect();
            return ok(
                json!({"data": {"rateLimit": rate, "organization": {"repositories": {
                "totalCount": self.repos,
                "pageInfo": {"hasNextPage": end < self.repos, "endCursor": format!("c{}", page + 1)},
                "nodes": nodes}}}}),
            );
        }
        if query.contains("query BranchHistory(") {
            let mut data = serde_json::Map::new();
            data.insert("rateLimit".into(), rate);
            for (i, first) in page_sizes(query).into_iter().enumerate() {
                let repo = variables[format!("r{i}")].as_str().unwrap_or_default();
                let cursor = variables[format!("a{i}")].as_str();
                data.insert(
                    format!("h{i}"),
                    history(repo, self.changes_per_repo, first, cursor),
                );
            }
            return ok(json!({"data": data}));
        }
        if query.contains("query RepositoryDetails(") {
            let mut data = serde_json::Map::new();
            data.insert("rateLimit".into(), rate);
            let empty = json!({"pageInfo": {"hasNextPage": false}, "nodes": []});
            for (key, value) in variables.as_object().into_iter().flatten() {
                let Some(repo) = value.as_str().filter(|_| key.starts_with('r')) else {
                    continue;
                };
                let index: usize = repo.trim_start_matches("repo-").parse().unwrap_or(0);
                data.insert(key.clone(), json!({
                    "name": repo,
                    "hasVulnerabilityAlertsEnabled": true,
                    "defaultBranchRef": {"name": "main", "branchProtectionRule": {"id": "BPR_main"},
                        "target": {"history": {"totalCount": self.changes_per_repo}}},
                    "branchProtectionRules": {"pageInfo": {"hasNextPage": false}, "nodes": [{
                        "id": "BPR_main", "pattern": "main",
                        "requiresApprovingReviews": true, "requiredApprovingReviewCount": 1,
                        "dismissesStaleReviews": true, "requireLastPushApproval": false,
                        "requiresCodeOwnerReviews": false, "isAdminEnforced": true,
                        "allowsForcePushes": false, "allowsDeletions": false,
                        "requiresStatusChecks": true,
                        "requiredStatusChecks": [{"context": "CodeQL", "app": {"databaseId": 57789}}],
                        "bypassPullRequestAllowances": empty}]},
                    "rulesets": empty,
                    "environments": {"pageInfo": {"hasNextPage": false}, "nodes": [
                        {"name": "production", "protectionRules": {"pageInfo": {"hasNextPage": false}, "nodes": [
                            {"type": "REQUIRED_REVIEWERS", "preventSelfReview": true, "reviewers": {
                                "pageInfo": {"hasNextPage": false}, "nodes": [{"__typename": "Team", "slug": "sre"}]}}]}}]},
                    "deployKeys": {"pageInfo": {"hasNextPage": false}, "nodes": if index.is_multiple_of(10) {
                        json!([{"id": format!("DK_{index}"), "title": "ci", "readOnly": true}])
                    } else {
                        json!([])
                    }},
                    "collaborators": {"pageInfo": {"hasNextPage": false}, "edges": []},
                    "viewerCanAdminister": true
                }));
            }
            return ok(json!({"data": data}));
        }
        ok(
            json!({"data": {"rateLimit": rate, "organization": {"viewerCanAdminister": true, "rulesets": {"pageInfo": {"hasNextPage": false}, "nodes": []}}}}),
        )
    }
}

/// A listing of one item per repository, paginated with `Link`: `GET
/// /orgs/{org}/repos` and the repositories of a code security
/// configuration.
struct PerRepository {
    repos: usize,
    /// The listing's URL without the page.
    url: String,
    item: fn(usize) -> Value,
}

impl Respond for PerRepository {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let page: usize = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "page")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(1);
        let start = (page - 1) * 100;
        let end = (start + 100).min(self.repos);
        let items: Vec<Value> = (start..end).map(self.item).collect();
        let mut response = ok(Value::Array(items));
        if end < self.repos {
            response = response.insert_header(
                "link",
                format!("<{}&page={}>; rel=\"next\"", self.url, page + 1),
            );
        }
        response
    }
}

/// `GET /repos/{owner}/{repo}/activity`: for each change of a default
/// branch, newest first, its merge, the push of its head and the creation
/// of its branch; 100 a page, with the `after` cursor `pN`.
struct Activity {
    changes_per_repo: usize,
    uri: String,
}

impl Respond for Activity {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let page: usize = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "after")
            .and_then(|(_, v)| v.trim_start_matches('p').parse().ok())
            .unwrap_or(0);
        let total = self.changes_per_repo * 3;
        let start = page * 100;
        let end = (start + 100).min(total);
        let entries: Vec<Value> = (start..end)
            .map(|n| {
                let i = n / 3;
                let head = format!("{:f>40}", i);
                let (git_ref, after, kind) = match n % 3 {
                    0 => ("refs/heads/main".to_owned(), format!("{:e>40}", i), "pr_merge"),
                    1 => (format!("refs/heads/pr-{}", i + 1), head, "push"),
                    _ => (format!("refs/heads/pr-{}", i + 1), format!("{:d>40}", i), "branch_creation"),
                };
                json!({"id": n, "node_id": format!("RA_{n}"), "before": "0", "after": after, "ref": git_ref,
                    "timestamp": "2026-11-01T00:05:00Z", "activity_type": kind,
                    "actor": {"login": "a", "type": "User"}})
            })
            .collect();
        let mut response = ok(Value::Array(entries));
        if end < total {
            response = response.insert_header(
                "link",
                format!(
                    "<{}{}?direction=desc&per_page=100&after=p{}>; rel=\"next\"",
                    self.uri,
                    request.url.path(),
                    page + 1
                ),
            );
        }
        response
    }
}

/// One open alert of the benchmark's listings.
fn alert(kind: &str, i: usize) -> Value {
    json!({
        "number": i + 1,
        "created_at": "2026-11-01T00:00:00Z",
        "html_url": format!("https://github.com/{ORG}/{}/security/{kind}/{}", name(i), i + 1),
        "repository": {"name": name(i)},
        "security_advisory": {"ghsa_id": "GHSA-jf85-cpcp-j695", "severity": "high"},
        "dependency": {"package": {"name": "lodash"}},
        "rule": {"id": "js/zipslip", "severity": "error", "security_severity_level": "high"},
        "tool": {"name": "CodeQL"},
        "secret_type": "adafruit_io_key",
        "secret_type_display_name": "Adafruit IO Key"
    })
}

/// Path, optional query parameter, answer.
type Route = (&'static str, Option<(&'static str, &'static str)>, Value);

async fn mock(repos: usize, changes_per_repo: usize) -> MockServer {
    let server = MockServer::start().await;
    let users = |names: &[&str]| -> Value { names.iter().map(|n| json!({"login": n})).collect() };
    let routes: Vec<Route> = vec![
        (
            "/orgs/bench",
            None,
            json!({"two_factor_requirement_enabled": true, "default_repository_permission": "read", "members_can_create_public_repositories": false}),
        ),
        (
            "/orgs/bench/members",
            Some(("role", "admin")),
            users(&["owner"]),
        ),
        (
            "/orgs/bench/members",
            Some(("role", "member")),
            users(&["a", "b", "c"]),
        ),
        (
            "/orgs/bench/members",
            Some(("filter", "2fa_disabled")),
            users(&[]),
        ),
        ("/orgs/bench/outside_collaborators", None, users(&["x"])),
        ("/orgs/bench/hooks", None, json!([])),
        (
            "/orgs/bench/code-security/configurations",
            None,
            json!([{"id": 1, "name": "GitHub recommended", "target_type": "global", "code_scanning_default_setup": "enabled"}]),
        ),
        (
            "/orgs/bench/dependabot/alerts",
            None,
            Value::Array((0..20).map(|i| alert("dependabot", i * 7)).collect()),
        ),
        (
            "/orgs/bench/code-scanning/alerts",
            None,
            Value::Array((0..5).map(|i| alert("code-scanning", i * 11)).collect()),
        ),
        ("/orgs/bench/secret-scanning/alerts", None, json!([])),
        (
            "/orgs/bench/actions/permissions/workflow",
            None,
            json!({"default_workflow_permissions": "read", "can_approve_pull_request_reviews": false}),
        ),
    ];
    for (route, param, body) in routes {
        let mut mock = Mock::given(method("GET")).and(path(route));
        if let Some((key, value)) = param {
            mock = mock.and(query_param(key, value));
        }
        mock.respond_with(ok(body)).mount(&server).await;
    }
    Mock::given(method("GET"))
        .and(path("/orgs/bench/repos"))
        .respond_with(PerRepository {
            repos,
            url: format!("{}/orgs/{ORG}/repos?type=all&per_page=100", server.uri()),
            item: |i| {
                json!({"name": name(i), "security_and_analysis": {
                "secret_scanning": {"status": "enabled"},
                "secret_scanning_push_protection": {"status": "enabled"}}})
            },
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(
            "/orgs/bench/code-security/configurations/1/repositories",
        ))
        .respond_with(PerRepository {
            repos,
            url: format!(
                "{}/orgs/{ORG}/code-security/configurations/1/repositories?per_page=100",
                server.uri()
            ),
            item: |i| json!({"status": "enforced", "repository": {"name": name(i)}}),
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/repos/bench/[^/]+/activity$"))
        .respond_with(Activity {
            changes_per_repo,
            uri: server.uri(),
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/repos/bench/[^/]+/rulesets/rule-suites$"))
        .respond_with(ok(json!([])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/repos/bench/[^/]+/hooks$"))
        .respond_with(ok(json!([])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .and(body_string_contains("query"))
        .respond_with(Graphql {
            repos,
            changes_per_repo,
        })
        .mount(&server)
        .await;
    server
}

#[tokio::main]
#[allow(clippy::print_stdout)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let concurrency = args
        .iter()
        .position(|a| a == "--concurrency")
        .and_then(|i| args.get(i + 1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(16);
    let changes: usize = args
        .iter()
        .position(|a| a == "--changes")
        .and_then(|i| args.get(i + 1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut sizes: Vec<usize> = args
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            !matches!(
                i.checked_sub(1)
                    .and_then(|p| args.get(p))
                    .map(String::as_str),
                Some("--concurrency" | "--changes")
            )
        })
        .filter_map(|(_, a)| a.parse().ok())
        .collect();
    if sizes.is_empty() {
        sizes = vec![100, 500, 1000, 2000];
    }
    let without_webhooks = args.iter().any(|a| a == "--without-webhooks");
    println!(
        "latency {} ms per answer, concurrency {concurrency}, repository webhooks {}, {changes} changes of the period",
        LATENCY.as_millis(),
        if without_webhooks { "skipped" } else { "read" }
    );
    println!(
        "| repositories | changes | GraphQL requests | of which histories | REST requests | total | history points | wall time |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for repos in sizes {
        let per_repo = changes / repos.max(1);
        let server = mock(repos, per_repo).await;
        let mut config = GithubConfig::new(Auth::Token(Secret::new("bench")), vec![ORG.into()]);
        config.api_url = server.uri();
        config.concurrency = concurrency;
        config.repo_filter = RepoFilter::new(|_, _| true);
        if without_webhooks {
            config.skip_repository_webhooks = Some("skipped by the benchmark".into());
        }
        let start = Instant::now();
        let collection = match tenet_github::collect(&config, &NoProgress).await {
            Ok(collection) => collection,
            Err(err) => {
                println!("error: {err}");
                return;
            }
        };
        let elapsed = start.elapsed();
        let collected = collection
            .orgs
            .first()
            .and_then(|o| o.repositories.known())
            .map_or(0, Vec::len);
        assert_eq!(collected, repos, "every repository is collected");
        let read: usize = collection
            .orgs
            .iter()
            .filter_map(|o| o.repositories.known())
            .flatten()
            .filter_map(|r| r.changes.known())
            .flatten()
            .filter_map(|b| b.changes.known())
            .map(Vec::len)
            .sum();
        assert_eq!(read, per_repo * repos, "every change is read");
        // GitHub's score of a history request: each alias of N commits
        // asks for 1 + 12N nodes' connections (history, parents, pull
        // requests, their last commit and reviews), over 100, rounded (the
        // connector's test computes the same from the schema).
        let histories: Vec<usize> = server
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter_map(|r| serde_json::from_slice::<Value>(&r.body).ok())
            .filter(|b| {
                b["query"]
                    .as_str()
                    .is_some_and(|q| q.starts_with("query BranchHistory("))
            })
            .map(|b| {
                let requests: usize = page_sizes(b["query"].as_str().unwrap_or_default())
                    .iter()
                    .map(|n| 1 + 12 * n)
                    .sum();
                ((requests + 50) / 100).max(1)
            })
            .collect();
        let s = collection.stats;
        println!(
            "| {repos} | {read} | {} | {} | {} | {} | {} | {:.1} s |",
            s.graphql,
            histories.len(),
            s.rest,
            s.graphql + s.rest,
            histories.iter().sum::<usize>(),
            elapsed.as_secs_f64()
        );
    }
}
