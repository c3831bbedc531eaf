//! The changes of the period: every commit of each repository's default
//! and protected branches' first-parent history committed inside the
//! snapshot's period, with the merged pull request that brought it in and
//! that pull request's reviews. Read through GraphQL, a page of
//! [`HISTORY_FIRST`] commits of [`HISTORY_BATCH`] branches per request, each
//! branch's pages to its end; whatever could not be read makes that
//! branch's changes unavailable, never a shorter list.

use std::collections::HashMap;

use futures::future::join_all;
use serde_json::{Value, json};
use tenet_inventory::{
    Observed,
    github::{BranchChanges, Change, PullRequest, Repository, Review},
};

use crate::{
    client::Client,
    convert::short,
    graphql::{
        self, CommitNode, Connection, HISTORY_BATCH, HISTORY_FIRST, HISTORY_SIZES,
        HistoryRepository, PullRequestNode, ReviewNode,
    },
    org::errors_under,
    pages::{self, FirstPage, FollowUp},
    permissions,
};

mod bypasses;
mod convert;
mod pushers;

use convert::{first_parent, review};
use pushers::Head;

/// Most pages of one branch's history before the listing counts as a
/// broken pagination loop (100,000 commits at 50 a page).
const MAX_PAGES: usize = 2_000;

/// One branch whose history is being read.
struct Target {
    /// Index of the repository in the organization's list.
    repo: usize,
    branch: String,
    /// The next page's cursor; `None` before the first page.
    cursor: Option<String>,
    /// Commits to ask for on the next page.
    first: usize,
    /// The commit the branch points to.
    tip: Option<String>,
    nodes: Vec<CommitNode>,
    pages: usize,
    /// `Some` once read to the end or failed.
    outcome: Option<Result<(), String>>,
}

/// Reads the changes of the period of every repository into its
/// `changes`. `counted` holds, by repository, how many commits of its
/// default branch GitHub dated in the period with the repository's
/// details: none needs no request, a few a smaller first page.
pub(crate) async fn collect(
    client: &Client<'_>,
    org: &str,
    repositories: &mut [Repository],
    counted: &HashMap<String, u64>,
) {
    let settings = client.settings();
    if let Some(reason) = &settings.skip_changes {
        for repo in repositories.iter_mut() {
            repo.changes = Observed::unavailable(reason);
            repo.rule_bypasses = Observed::unavailable(reason);
        }
        return;
    }
    let mut targets = Vec::new();
    for (index, repo) in repositories.iter_mut().enumerate() {
        let Some(default) = repo.default_branch.clone() else {
            // An empty repository: no branch, no change.
            repo.changes = Observed::Known(Vec::new());
            continue;
        };
        let mut branches = vec![default.clone()];
        if settings.extra_branches {
            match &repo.branches {
                Observed::Known(rules) => branches.extend(
                    rules
                        .iter()
                        .map(|rules| rules.branch.clone())
                        .filter(|name| *name != default),
                ),
                Observed::Unavailable { reason } => {
                    repo.changes = Observed::unavailable(format!(
                        "the protected branches of {org}/{} could not be listed, so their changes were not read: {reason}",
                        repo.name
                    ));
                    continue;
                }
            }
        }
        branches.sort();
        branches.dedup();
        let count = counted.get(&repo.name).copied();
        targets.extend(branches.into_iter().map(|branch| {
            let count = count.filter(|_| branch == default);
            Target {
                repo: index,
                outcome: (count == Some(0)).then_some(Ok(())),
                first: first_page_size(count),
                branch,
                cursor: None,
                tip: None,
                nodes: Vec::new(),
                pages: 0,
            }
        }));
    }
    read_all(client, org, repositories, &mut targets).await;
    let period = settings.period;
    let mut read: Vec<(usize, BranchChanges)> = Vec::new();
    let mut more_reviews = Vec::new();
    let mut heads = Vec::new();
    for target in targets {
        let repo = &repositories[target.repo];
        let label = format!(
            "GraphQL BranchHistory of {org}/{}@{}",
            repo.name, target.branch
        );
        let changes = match target.outcome {
            Some(Ok(())) => match first_parent(
                &target.nodes,
                target.tip.as_deref(),
                &target.branch,
                &period,
                &label,
            ) {
                Ok(changes) => {
                    more_reviews.extend(
                        reviews_to_read(&target, &changes)
                            .map(|(change, number, first)| (read.len(), change, number, first)),
                    );
                    heads.extend(
                        heads_of(&target, &changes)
                            .map(|(change, head)| (read.len(), change, head)),
                    );
                    Observed::Known(changes)
                }
                Err(reason) => Observed::unavailable(reason),
            },
            Some(Err(reason)) => Observed::unavailable(reason),
            None => Observed::unavailable(format!("{label}: not read")),
        };
        read.push((
            target.repo,
            BranchChanges {
                branch: target.branch,
                changes,
            },
        ));
    }
    let rest = join_all(
        more_reviews
            .into_iter()
            .map(|(branch, change, number, first)| {
                let repo = read.get(branch).map_or("", |(index, _)| {
                    repositories.get(*index).map_or("", |r| r.name.as_str())
                });
                async move {
                    let reviews = all_reviews(client, org, repo, number, first).await;
                    (branch, change, reviews)
                }
            }),
    )
    .await;
    for (branch, change, reviews) in rest {
        if let Some(pull_request) = pull_request_mut(&mut read, branch, change) {
            pull_request.reviews = match reviews {
                Ok(reviews) => Observed::Known(reviews),
                Err(reason) => Observed::unavailable(reason),
            };
        }
    }
    read_pushers(client, &mut read, heads).await;
    let mut by_repo: HashMap<usize, Vec<BranchChanges>> = HashMap::new();
    for (index, branch) in read {
        by_repo.entry(index).or_default().push(branch);
    }
    for (index, branches) in by_repo {
        if let Some(repo) = repositories.get_mut(index) {
            repo.changes = Observed::Known(branches);
        }
    }
    bypasses::collect(client, org, repositories).await;
}

/// Fills in who pushed each merged head of `heads` (the branch's position
/// in `read`, the change's, and where to look or why it cannot be).
async fn read_pushers(
    client: &Client<'_>,
    read: &mut [(usize, BranchChanges)],
    heads: Vec<(usize, usize, Result<Head, String>)>,
) {
    let mut located = Vec::new();
    let mut lookups = Vec::new();
    for (branch, change, head) in heads {
        match head {
            Ok(head) => {
                located.push((branch, change));
                lookups.push(head);
            }
            Err(reason) => {
                if let Some(pull_request) = pull_request_mut(read, branch, change) {
                    pull_request.pushed_by = Observed::unavailable(reason);
                }
            }
        }
    }
    let pushers = pushers::read(client, &lookups).await;
    for ((branch, change), pushed_by) in located.into_iter().zip(pushers) {
        if let Some(pull_request) = pull_request_mut(read, branch, change) {
            pull_request.pushed_by = match pushed_by {
                Ok(accounts) => Observed::Known(accounts),
                Err(reason) => Observed::unavailable(reason),
            };
        }
    }
}

/// The pull request a change of the branch at `read[branch]` came
/// through, when both are known.
fn pull_request_mut(
    read: &mut [(usize, BranchChanges)],
    branch: usize,
    change: usize,
) -> Option<&mut PullRequest> {
    let (_, branch) = read.get_mut(branch)?;
    let change = match &mut branch.changes {
        Observed::Known(changes) => changes.get_mut(change)?,
        Observed::Unavailable { .. } => return None,
    };
    match &mut change.pull_request {
        Observed::Known(Some(pull_request)) => Some(pull_request),
        _ => None,
    }
}

/// Each change of `changes` that came through a pull request, with that
/// pull request as GraphQL answered it: the change's position and the
/// node.
fn pull_request_nodes<'a>(
    target: &'a Target,
    changes: &'a [Change],
) -> impl Iterator<Item = (usize, &'a PullRequestNode)> + 'a {
    changes.iter().enumerate().filter_map(|(index, change)| {
        let number = change.pull_request.known()?.as_ref()?.number;
        let node = target.nodes.iter().find(|node| node.oid == change.sha)?;
        let pull_request = node
            .associated_pull_requests
            .as_ref()?
            .nodes
            .iter()
            .flatten()
            .find(|pull_request| pull_request.number == number)?;
        Some((index, pull_request))
    })
}

/// The pull requests of `changes` with more reviews than their first page
/// held: the change's position, the pull request's number and the first
/// page, to read on from.
fn reviews_to_read<'a>(
    target: &'a Target,
    changes: &'a [Change],
) -> impl Iterator<Item = (usize, u64, Connection<ReviewNode>)> + 'a {
    pull_request_nodes(target, changes).filter_map(|(index, pull_request)| {
        let reviews = pull_request.reviews.as_ref()?;
        reviews
            .page_info
            .has_next_page
            .then(|| (index, pull_request.number, reviews.clone()))
    })
}

/// The merged head of each pull request of `changes`, to find who pushed
/// it; why it cannot be looked for when its fork is gone.
fn heads_of<'a>(
    target: &'a Target,
    changes: &'a [Change],
) -> impl Iterator<Item = (usize, Result<Head, String>)> + 'a {
    pull_request_nodes(target, changes).filter_map(|(index, pull_request)| {
        let commit = &pull_request.commits.nodes.first()?.as_ref()?.commit;
        let head = match &pull_request.head_repository {
            Some(repository) => Ok(Head {
                repository: repository.name_with_owner.clone(),
                branch: pull_request.head_ref_name.clone(),
                sha: pull_request.head_ref_oid.clone(),
                committed_at: commit.committed_date,
            }),
            None => Err(format!(
                "the repository of its branch {} (a fork) no longer exists",
                pull_request.head_ref_name
            )),
        };
        Some((index, head))
    })
}

/// Every review of pull request `number` of `repo`, whose first page is
/// `first`: that page's and each following page's (`PullRequestReviews`),
/// to the end.
async fn all_reviews(
    client: &Client<'_>,
    org: &str,
    repo: &str,
    number: u64,
    first: Connection<ReviewNode>,
) -> Result<Vec<Review>, String> {
    let needs = permissions::REPO_CHANGES;
    let first =
        FirstPage::of(first, "reviews").map_err(|reason| format!("{reason}; needs {needs}"))?;
    let nodes = pages::complete(
        client,
        first,
        FollowUp {
            name: format!("PullRequestReviews of {org}/{repo}#{number}"),
            query: graphql::pull_request_reviews(),
            variables: json!({ "owner": org, "name": repo, "number": number }),
            path: &["repository", "pullRequest", "reviews"],
            needs,
        },
    )
    .await?;
    nodes
        .iter()
        .map(review)
        .collect::<Result<_, _>>()
        .map_err(|reason| format!("the reviews of #{number}: {reason}; needs {needs}"))
}

/// The first page's size for a branch with `count` commits in the period:
/// the smallest of [`HISTORY_SIZES`] that holds them, the largest when the
/// count is unknown.
fn first_page_size(count: Option<u64>) -> usize {
    count
        .and_then(|count| {
            HISTORY_SIZES
                .into_iter()
                .find(|size| u64::try_from(*size).is_ok_and(|size| size >= count))
        })
        .unwrap_or(HISTORY_FIRST)
}

/// Reads every target's history page by page, [`HISTORY_BATCH`] branches
/// per request, until each is read to the end or failed.
async fn read_all(
    client: &Client<'_>,
    org: &str,
    repositories: &[Repository],
    targets: &mut [Target],
) {
    let since = client.settings().period.start().to_rfc3339();
    loop {
        let mut pending: Vec<&mut Target> = targets
            .iter_mut()
            .filter(|target| target.outcome.is_none())
            .collect();
        if pending.is_empty() {
            return;
        }
        let requests = pending
            .chunks_mut(HISTORY_BATCH)
            .map(|chunk| page(client, org, repositories, &since, chunk));
        join_all(requests).await;
    }
}

/// One request: the next page of each branch of `chunk`.
async fn page(
    client: &Client<'_>,
    org: &str,
    repositories: &[Repository],
    since: &str,
    chunk: &mut [&mut Target],
) {
    let needs = permissions::REPO_CHANGES;
    let mut variables = json!({ "owner": org, "since": since });
    for (i, target) in chunk.iter().enumerate() {
        variables[format!("r{i}")] = json!(repositories[target.repo].name);
        variables[format!("b{i}")] = json!(format!("refs/heads/{}", target.branch));
        variables[format!("a{i}")] = json!(target.cursor);
    }
    let reply = client
        .graphql(
            "BranchHistory",
            &graphql::branch_history(&chunk.iter().map(|target| target.first).collect::<Vec<_>>()),
            variables,
        )
        .await;
    let mut reply = match reply {
        Ok(reply) => reply,
        Err(err) => {
            let reason = err.reason(needs);
            for target in chunk.iter_mut() {
                target.outcome = Some(Err(reason.clone()));
            }
            return;
        }
    };
    for (i, target) in chunk.iter_mut().enumerate() {
        let alias = format!("h{i}");
        let value = reply.data.remove(&alias).unwrap_or(Value::Null);
        let label = format!(
            "GraphQL BranchHistory of {org}/{}@{} (page {})",
            repositories[target.repo].name,
            target.branch,
            target.pages + 1
        );
        if let Err(reason) = take_page(target, value, errors_under(&reply.errors, &[&alias]))
            .map_err(|message| format!("{label}: {message}; needs {needs}"))
        {
            target.outcome = Some(Err(reason));
        }
    }
}

/// Adds one answer's page to `target`, or says why it cannot be used.
fn take_page(target: &mut Target, value: Value, errors: Option<String>) -> Result<(), String> {
    if let Some(message) = errors {
        return Err(message);
    }
    if value.is_null() {
        return Err("the repository was not returned".to_owned());
    }
    let repository: HistoryRepository =
        serde_json::from_value(value).map_err(|err| format!("malformed answer: {err}"))?;
    let Some(git_ref) = repository.git_ref else {
        return Err(format!("branch {} not found", target.branch));
    };
    let Some(commit) = git_ref.target else {
        return Err("the branch's commit was not returned".to_owned());
    };
    if commit.typename != "Commit" {
        return Err(format!(
            "the branch points to a {}, not a commit",
            commit.typename
        ));
    }
    let Some(history) = commit.history else {
        return Err("the history was not returned".to_owned());
    };
    match &target.tip {
        None => target.tip = Some(commit.oid),
        Some(tip) if *tip != commit.oid => {
            return Err(format!(
                "the branch moved from {} to {} while its history was read; collect again",
                short(tip),
                short(&commit.oid)
            ));
        }
        Some(_) => {}
    }
    target.pages += 1;
    target.first = HISTORY_FIRST;
    for node in history.nodes {
        target
            .nodes
            .push(node.ok_or("a commit of the history was not returned")?);
    }
    match (
        history.page_info.has_next_page,
        history.page_info.end_cursor,
    ) {
        (false, _) => target.outcome = Some(Ok(())),
        (true, None) => return Err("a next page is announced without a cursor".to_owned()),
        (true, Some(_)) if target.pages >= MAX_PAGES => {
            return Err(format!(
                "more than {MAX_PAGES} pages of {HISTORY_FIRST} commits"
            ));
        }
        (true, Some(cursor)) => target.cursor = Some(cursor),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_page_holds_the_counted_commits_and_no_more_than_it_must() {
        let cases = [
            (None, 50),
            (Some(1), 1),
            (Some(2), 5),
            (Some(5), 5),
            (Some(6), 10),
            (Some(11), 25),
            (Some(26), 50),
            (Some(5_000), 50),
        ];
        for (count, size) in cases {
            assert_eq!(first_page_size(count), size, "{count:?}");
        }
    }
}
