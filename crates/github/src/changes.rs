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
    Observed, Period,
    github::{Account, BranchChanges, Change, PullRequest, Repository, Review, ReviewState},
};

use crate::{
    client::Client,
    graphql::{
        self, ASSOCIATED_FIRST, CommitNode, Connection, HISTORY_BATCH, HISTORY_FIRST,
        HISTORY_SIZES, HistoryRepository, PullRequestNode, REVIEWS_FIRST, ReviewNode, TypedLogin,
    },
    org::errors_under,
    pages::{self, FirstPage, FollowUp},
    permissions,
};

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
    for target in targets {
        let repo = &repositories[target.repo];
        let label = format!(
            "GraphQL BranchHistory of {org}/{}@{}",
            repo.name, target.branch
        );
        let changes = match target.outcome {
            Some(Ok(())) => match first_parent(&target, &period, &label) {
                Ok(changes) => {
                    more_reviews.extend(
                        reviews_to_read(&target, &changes)
                            .map(|(change, number, first)| (read.len(), change, number, first)),
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
        let pull_request = read
            .get_mut(branch)
            .and_then(|(_, branch)| match &mut branch.changes {
                Observed::Known(changes) => changes.get_mut(change),
                Observed::Unavailable { .. } => None,
            })
            .and_then(|change| match &mut change.pull_request {
                Observed::Known(Some(pull_request)) => Some(pull_request),
                _ => None,
            });
        if let Some(pull_request) = pull_request {
            pull_request.reviews = match reviews {
                Ok(reviews) => Observed::Known(reviews),
                Err(reason) => Observed::unavailable(reason),
            };
        }
    }
    let mut by_repo: HashMap<usize, Vec<BranchChanges>> = HashMap::new();
    for (index, branch) in read {
        by_repo.entry(index).or_default().push(branch);
    }
    for (index, branches) in by_repo {
        if let Some(repo) = repositories.get_mut(index) {
            repo.changes = Observed::Known(branches);
        }
    }
}

/// The pull requests of `changes` with more reviews than their first page
/// held: the change's position, the pull request's number and the first
/// page, to read on from.
fn reviews_to_read<'a>(
    target: &'a Target,
    changes: &'a [Change],
) -> impl Iterator<Item = (usize, u64, Connection<ReviewNode>)> + 'a {
    changes.iter().enumerate().filter_map(|(index, change)| {
        let number = change.pull_request.known()?.as_ref()?.number;
        let node = target.nodes.iter().find(|node| node.oid == change.sha)?;
        let reviews = node
            .associated_pull_requests
            .as_ref()?
            .nodes
            .iter()
            .flatten()
            .find(|pull_request| pull_request.number == number)?
            .reviews
            .as_ref()?;
        reviews
            .page_info
            .has_next_page
            .then(|| (index, number, reviews.clone()))
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

/// The commits of the branch's first-parent history inside `period`,
/// newest first, walking from the branch's head through the commits read.
fn first_parent(target: &Target, period: &Period, label: &str) -> Result<Vec<Change>, String> {
    if target.nodes.is_empty() {
        return Ok(Vec::new());
    }
    let by_oid: HashMap<&str, &CommitNode> = target
        .nodes
        .iter()
        .map(|node| (node.oid.as_str(), node))
        .collect();
    let tip = target.tip.as_deref().unwrap_or_default();
    let Some(mut node) = by_oid.get(tip).copied() else {
        return Err(format!(
            "{label}: the branch's head {} is dated before the period while {} commits of its history fall in it; its first-parent history cannot be followed",
            short(tip),
            target.nodes.len()
        ));
    };
    let mut changes = Vec::new();
    for _ in 0..target.nodes.len() {
        if period.contains(node.committed_date) {
            changes.push(change(node, &target.branch, label));
        }
        let parent = node.parents.nodes.first().and_then(Option::as_ref);
        match parent.and_then(|parent| by_oid.get(parent.oid.as_str())) {
            Some(next) => node = next,
            None => return Ok(changes),
        }
    }
    Err(format!("{label}: the first-parent history loops"))
}

fn change(node: &CommitNode, branch: &str, label: &str) -> Change {
    let label = format!("{label}: commit {}", short(&node.oid));
    Change {
        sha: node.oid.clone(),
        committed_at: node.committed_date,
        parents: u32::try_from(node.parents.total_count).unwrap_or(u32::MAX),
        author: node
            .author
            .as_ref()
            .and_then(|author| author.user.as_ref())
            .map(|user| user.login.clone()),
        pull_request: match pull_request(node, branch) {
            Ok(pull_request) => Observed::Known(pull_request),
            Err(reason) => Observed::unavailable(format!(
                "{label}: {reason}; needs {}",
                permissions::REPO_CHANGES
            )),
        },
    }
}

/// The merged pull request that brought `node` into `branch`: the one
/// merged as this commit (a merge or squash commit), else the only one
/// merged into the branch that contains it (a rebase merge); `None` when
/// GitHub associates none with it.
fn pull_request(node: &CommitNode, branch: &str) -> Result<Option<PullRequest>, String> {
    let connection = node
        .associated_pull_requests
        .as_ref()
        .ok_or("its pull requests were not returned")?;
    let mut merged = Vec::new();
    for pull_request in &connection.nodes {
        let pull_request = pull_request
            .as_ref()
            .ok_or("one of its pull requests was not returned")?;
        if pull_request.merged && pull_request.base_ref_name == branch {
            merged.push(pull_request);
        }
    }
    let merged_as_this = merged.iter().find(|pull_request| {
        pull_request
            .merge_commit
            .as_ref()
            .is_some_and(|commit| commit.oid == node.oid)
    });
    let chosen = match (merged_as_this, merged.as_slice()) {
        (Some(pull_request), _) => Some(*pull_request),
        (None, [only]) => Some(*only),
        (None, []) => None,
        (None, several) => {
            let numbers: Vec<String> = several.iter().map(|pr| format!("#{}", pr.number)).collect();
            return Err(format!(
                "pull requests {} were merged into {branch} with it and none as it; which one brought it in is unknown",
                numbers.join(", ")
            ));
        }
    };
    match chosen {
        Some(pull_request) => convert(pull_request).map(Some),
        None if connection.page_info.has_next_page => Err(format!(
            "more than {ASSOCIATED_FIRST} pull requests contain it, none of the first merged into {branch}"
        )),
        None => Ok(None),
    }
}

fn convert(node: &PullRequestNode) -> Result<PullRequest, String> {
    let number = node.number;
    let merged_at = node
        .merged_at
        .ok_or_else(|| format!("#{number} is merged without a merge time"))?;
    let head = node
        .commits
        .nodes
        .first()
        .and_then(Option::as_ref)
        .ok_or_else(|| format!("the last commit of #{number} was not returned"))?;
    if head.commit.oid != node.head_ref_oid {
        return Err(format!(
            "the last commit of #{number} ({}) is not its head ({}): who made the merged head is unknown",
            short(&head.commit.oid),
            short(&node.head_ref_oid)
        ));
    }
    let mut last_commit_by: Vec<String> = [&head.commit.author, &head.commit.committer]
        .into_iter()
        .flatten()
        .filter_map(|actor| actor.user.as_ref().map(|user| user.login.clone()))
        .collect();
    last_commit_by.sort();
    last_commit_by.dedup();
    Ok(PullRequest {
        number,
        author: node.author.as_ref().map(account),
        base_branch: node.base_ref_name.clone(),
        merged_at,
        merged_by: node.merged_by.as_ref().map(account),
        merge_commit: node.merge_commit.as_ref().map(|commit| commit.oid.clone()),
        head_sha: node.head_ref_oid.clone(),
        last_commit_by,
        reviews: match reviews(node) {
            Ok(reviews) => Observed::Known(reviews),
            Err(reason) => {
                Observed::unavailable(format!("{reason}; needs {}", permissions::REPO_CHANGES))
            }
        },
    })
}

fn reviews(node: &PullRequestNode) -> Result<Vec<Review>, String> {
    let connection = node.reviews.as_ref().ok_or("not returned")?;
    if connection.page_info.has_next_page {
        // Read on by `all_reviews`, which replaces this reason.
        return Err(format!(
            "more than {REVIEWS_FIRST} reviews; the rest were not read"
        ));
    }
    connection
        .nodes
        .iter()
        .map(|review| {
            review
                .as_ref()
                .ok_or_else(|| "a review was not returned".to_owned())
        })
        .map(|review| review.and_then(self::review))
        .collect()
}

fn review(node: &ReviewNode) -> Result<Review, String> {
    let state = match node.state.as_str() {
        "APPROVED" => ReviewState::Approved,
        "CHANGES_REQUESTED" => ReviewState::ChangesRequested,
        "COMMENTED" => ReviewState::Commented,
        "DISMISSED" => ReviewState::Dismissed,
        "PENDING" => ReviewState::Pending,
        other => return Err(format!("unknown review state `{other}`")),
    };
    Ok(Review {
        author: node.author.as_ref().map(account),
        state,
        commit: node.commit.as_ref().map(|commit| commit.oid.clone()),
        submitted_at: node.submitted_at,
    })
}

fn account(login: &TypedLogin) -> Account {
    Account {
        login: login.login.clone(),
        kind: login.typename.clone(),
    }
}

/// A commit's short SHA, as GitHub shows it.
fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
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
