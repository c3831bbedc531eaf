//! From GraphQL's answers to inventory facts: a branch's first-parent line
//! inside the period, the pull request behind each commit and its reviews.

use std::collections::HashMap;

use tenet_inventory::{
    Observed, Period,
    github::{Change, PullRequest, Review, ReviewState},
};

use crate::{
    convert::{account, short},
    graphql::{ASSOCIATED_FIRST, CommitNode, PullRequestNode, REVIEWS_FIRST, ReviewNode},
    permissions,
};

/// The commits of the branch's first-parent history inside `period`,
/// newest first, walking from the branch's head through the commits read.
pub(super) fn first_parent(
    nodes: &[CommitNode],
    tip: Option<&str>,
    branch: &str,
    period: &Period,
    label: &str,
) -> Result<Vec<Change>, String> {
    if nodes.is_empty() {
        return Ok(Vec::new());
    }
    let by_oid: HashMap<&str, &CommitNode> =
        nodes.iter().map(|node| (node.oid.as_str(), node)).collect();
    let tip = tip.unwrap_or_default();
    let Some(mut node) = by_oid.get(tip).copied() else {
        return Err(format!(
            "{label}: the branch's head {} is dated before the period while {} commits of its history fall in it; its first-parent history cannot be followed",
            short(tip),
            nodes.len()
        ));
    };
    let mut changes = Vec::new();
    for _ in 0..nodes.len() {
        if period.contains(node.committed_date) {
            changes.push(change(node, branch, label));
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
        // Read from the repository's activity once every branch is read.
        pushed_by: Observed::unavailable(format!("who pushed the head of #{number} was not read")),
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

pub(super) fn review(node: &ReviewNode) -> Result<Review, String> {
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
