//! `github.changes.two-person-review`: every change that reached a
//! protected branch during the audit period came through a merged pull
//! request approved by at least `min_approvals` people other than its
//! author, whoever wrote or pushed its last commit, on the commit that was
//! merged.

use std::collections::BTreeMap;

use serde_json::json;
use tenet_inventory::github::{Change, PullRequest, Review, ReviewState};

use super::changes_common::{CHANGES, change_resource, known_branches};
use crate::{
    Context, Outcome, Resource,
    branch::Approvals,
    support::{Globs, each_repo_in_period, parameter_error, short},
};

/// One outcome per change of the period; an error for a repository or
/// branch whose changes could not be read.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Approvals = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let protected = Globs::new(cx.protected_branches);
    each_repo_in_period(cx, CHANGES, |org, repo, period, out| {
        for (branch, changes) in known_branches(org, repo, &protected, period, out) {
            for change in changes {
                let resource = change_resource(org, repo, &change.sha);
                out.push(judge(resource, branch, change, params.min_approvals));
            }
        }
    })
}

/// One change: its pull request's approvals, or why it has none.
fn judge(resource: Resource, branch: &str, change: &Change, min: u32) -> Outcome {
    let sha = short(&change.sha);
    let pull_request = match change.pull_request.as_result() {
        Ok(pull_request) => pull_request,
        Err(reason) => {
            return Outcome::unavailable(
                resource,
                &format!("the pull request behind {sha}"),
                reason,
            )
            .with("branch", branch)
            .with("commit", change.sha.as_str());
        }
    };
    let Some(pull_request) = pull_request else {
        return Outcome::fail(
            resource,
            format!(
                "{sha} was pushed to {branch} directly, not through a pull request{}",
                change
                    .author
                    .as_ref()
                    .map(|author| format!(" (author {author})"))
                    .unwrap_or_default()
            ),
        )
        .with("branch", branch)
        .with("commit", change.sha.as_str())
        .with("committed_at", change.committed_at.to_rfc3339())
        .with("author", change.author.clone())
        .with("pull_request", serde_json::Value::Null)
        .with("min_approvals", min);
    };
    let via = format!(
        "{sha} on {branch} via #{}{}",
        pull_request.number,
        pull_request
            .merged_by
            .as_ref()
            .map(|by| format!(" (merged by {})", by.login))
            .unwrap_or_default()
    );
    let evidence = |outcome: Outcome| {
        outcome
            .with("branch", branch)
            .with("commit", change.sha.as_str())
            .with("committed_at", change.committed_at.to_rfc3339())
            .with("pull_request", pull_request.number)
            .with(
                "author",
                pull_request.author.as_ref().map(|a| a.login.clone()),
            )
            .with(
                "merged_by",
                pull_request.merged_by.as_ref().map(|a| a.login.clone()),
            )
            .with("merged_at", pull_request.merged_at.to_rfc3339())
            .with("head_commit", pull_request.head_sha.as_str())
            .with(
                "pushed_by",
                pull_request
                    .pushed_by
                    .known()
                    .map(|accounts| accounts.iter().map(|a| a.login.clone()).collect::<Vec<_>>()),
            )
            .with("min_approvals", min)
    };
    let reviews = match pull_request.reviews.as_result() {
        Ok(reviews) => reviews,
        Err(reason) => {
            return evidence(Outcome::unavailable(
                resource,
                &format!("the reviews of #{}", pull_request.number),
                reason,
            ));
        }
    };
    let Approvers {
        counted,
        not_counted,
    } = approvers(pull_request, reviews);
    let not_counted_text: Vec<String> = not_counted
        .iter()
        .map(|(login, why)| format!("{login} ({why})"))
        .collect();
    let counted_len = u32::try_from(counted.len()).unwrap_or(u32::MAX);
    let outcome =
        if let (true, Err(reason)) = (counted_len >= min, pull_request.pushed_by.as_result()) {
            // Whoever pushed the last commit may be among the approvers.
            Outcome::unavailable(
                resource,
                &format!("who pushed the last commit of #{}", pull_request.number),
                reason,
            )
        } else if counted_len >= min {
            Outcome::pass(
                resource,
                format!("{via}: approved by {}", counted.join(", ")),
            )
        } else {
            let mut message = format!(
                "{via}: {counted_len} of the {min} approvals required{}",
                if counted.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", counted.join(", "))
                }
            );
            if !not_counted_text.is_empty() {
                message.push_str(&format!("; not counted: {}", not_counted_text.join(", ")));
            }
            Outcome::fail(resource, message)
        };
    evidence(outcome)
        .with("approvers", counted)
        .with("not_counted", json!(not_counted_text))
}

/// The reviewers whose approval counts, and the others with the reason.
#[derive(Debug, Default, PartialEq, Eq)]
struct Approvers {
    counted: Vec<String>,
    not_counted: Vec<(String, String)>,
}

/// Judges each reviewer by their latest review that approved, asked for
/// changes or was dismissed (as GitHub does: a later request for changes or
/// a dismissal takes an approval back). An approval counts only from a
/// person (not a bot or a deleted account) other than the pull request's
/// author, whoever pushed its last commit and that commit's author or
/// committer, given on the commit that was merged: an approval of an
/// earlier head is not counted, since tenet cannot tell whether the later
/// commits changed what was approved.
fn approvers(pull_request: &PullRequest, reviews: &[Review]) -> Approvers {
    let mut latest: BTreeMap<&str, &Review> = BTreeMap::new();
    let mut ordered: Vec<&Review> = reviews
        .iter()
        .filter(|review| {
            matches!(
                review.state,
                ReviewState::Approved | ReviewState::ChangesRequested | ReviewState::Dismissed
            )
        })
        .collect();
    ordered.sort_by_key(|review| review.submitted_at);
    let mut deleted = 0;
    for review in ordered {
        match &review.author {
            Some(author) => {
                latest.insert(author.login.as_str(), review);
            }
            None if review.state == ReviewState::Approved => deleted += 1,
            None => {}
        }
    }
    let author = pull_request.author.as_ref().map(|a| a.login.as_str());
    let pushers = pull_request
        .pushed_by
        .known()
        .map_or(&[][..], Vec::as_slice);
    let mut result = Approvers::default();
    for (login, review) in latest {
        let why = match review.state {
            ReviewState::Dismissed => Some("review dismissed".to_owned()),
            ReviewState::ChangesRequested => Some("requested changes".to_owned()),
            _ if !review.author.as_ref().is_some_and(|a| a.is_human()) => {
                Some("not a person".to_owned())
            }
            _ if Some(login) == author => Some("the pull request's author".to_owned()),
            _ if pushers.iter().any(|pusher| pusher.login == login) => {
                Some("pushed the last commit".to_owned())
            }
            _ if pull_request.last_commit_by.iter().any(|by| by == login) => {
                Some("wrote or committed the last commit".to_owned())
            }
            _ if review.commit.as_deref() != Some(pull_request.head_sha.as_str()) => Some(format!(
                "approved {}, not the merged head {}",
                review.commit.as_deref().map_or("an unknown commit", short),
                short(&pull_request.head_sha)
            )),
            _ => None,
        };
        match why {
            None => result.counted.push(login.to_owned()),
            Some(why) => result.not_counted.push((login.to_owned(), why)),
        }
    }
    let why = match deleted {
        0 => None,
        1 => Some("a deleted account".to_owned()),
        n => Some(format!("{n} approvals by deleted accounts")),
    };
    if let Some(why) = why {
        // GitHub shows a deleted account as `ghost`.
        result.not_counted.push(("ghost".to_owned(), why));
    }
    result
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use tenet_inventory::{Observed, github::Account};

    use super::*;

    const HEAD: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
    const EARLIER: &str = "0f0e0d0c0b0a09080706050403020100ffeeddcc";

    fn user(login: &str) -> Option<Account> {
        Some(Account {
            login: login.to_owned(),
            kind: if login.ends_with("[bot]") {
                "Bot"
            } else {
                "User"
            }
            .to_owned(),
        })
    }

    fn at(minute: u32) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(&format!("2026-10-01T10:{minute:02}:00Z"))
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    fn review(login: &str, state: ReviewState, commit: &str, minute: u32) -> Review {
        Review {
            author: user(login),
            state,
            commit: Some(commit.to_owned()),
            submitted_at: at(minute),
        }
    }

    fn pull_request(reviews: Vec<Review>) -> PullRequest {
        PullRequest {
            number: 7,
            author: user("alice"),
            base_branch: "main".into(),
            merged_at: at(59).unwrap_or_default(),
            merged_by: user("alice"),
            merge_commit: Some(HEAD.into()),
            head_sha: HEAD.into(),
            last_commit_by: vec!["dave".into()],
            pushed_by: Observed::Known(user("erin").into_iter().collect()),
            reviews: Observed::Known(reviews),
        }
    }

    fn judged(reviews: Vec<Review>) -> Approvers {
        let pr = pull_request(reviews);
        let reviews = pr.reviews.known().cloned().unwrap_or_default();
        approvers(&pr, &reviews)
    }

    /// Each row: the reviews, the logins counted, the not-counted reasons.
    #[test]
    fn who_counts_as_an_approver() {
        use ReviewState::*;
        /// A case: its name, the reviews, who counts, who does not and why.
        type Case<'a> = (&'a str, Vec<Review>, Vec<&'a str>, Vec<(&'a str, &'a str)>);
        let cases: Vec<Case<'_>> = vec![
            (
                "two people on the merged head",
                vec![
                    review("bob", Approved, HEAD, 1),
                    review("carol", Approved, HEAD, 2),
                ],
                vec!["bob", "carol"],
                vec![],
            ),
            (
                "the author approving their own",
                vec![review("alice", Approved, HEAD, 1)],
                vec![],
                vec![("alice", "the pull request's author")],
            ),
            (
                "the last commit's author",
                vec![review("dave", Approved, HEAD, 1)],
                vec![],
                vec![("dave", "wrote or committed the last commit")],
            ),
            (
                "whoever pushed the last commit",
                vec![review("erin", Approved, HEAD, 1)],
                vec![],
                vec![("erin", "pushed the last commit")],
            ),
            (
                "a bot",
                vec![review("renovate[bot]", Approved, HEAD, 1)],
                vec![],
                vec![("renovate[bot]", "not a person")],
            ),
            (
                "a stale approval",
                vec![review("bob", Approved, EARLIER, 1)],
                vec![],
                vec![("bob", "approved 0f0e0d0, not the merged head a1b2c3d")],
            ),
            (
                "a stale approval renewed on the head",
                vec![
                    review("bob", Approved, EARLIER, 1),
                    review("bob", Approved, HEAD, 3),
                ],
                vec!["bob"],
                vec![],
            ),
            (
                "a dismissed review",
                vec![review("bob", Dismissed, HEAD, 1)],
                vec![],
                vec![("bob", "review dismissed")],
            ),
            (
                "changes requested after approving",
                vec![
                    review("bob", Approved, HEAD, 1),
                    review("bob", ChangesRequested, HEAD, 2),
                ],
                vec![],
                vec![("bob", "requested changes")],
            ),
            (
                "approved after requesting changes",
                vec![
                    review("bob", ChangesRequested, HEAD, 1),
                    review("bob", Approved, HEAD, 2),
                ],
                vec!["bob"],
                vec![],
            ),
            (
                "comments and pending reviews are not approvals",
                vec![
                    review("bob", Commented, HEAD, 1),
                    review("carol", Pending, HEAD, 2),
                ],
                vec![],
                vec![],
            ),
            (
                "one person approving twice counts once",
                vec![
                    review("bob", Approved, HEAD, 1),
                    review("bob", Approved, HEAD, 2),
                ],
                vec!["bob"],
                vec![],
            ),
        ];
        for (name, reviews, counted, not_counted) in cases {
            let result = judged(reviews);
            assert_eq!(result.counted, counted, "{name}");
            let not_counted: Vec<(String, String)> = not_counted
                .into_iter()
                .map(|(a, b)| (a.to_owned(), b.to_owned()))
                .collect();
            assert_eq!(result.not_counted, not_counted, "{name}");
        }
    }

    #[test]
    fn a_pass_needs_to_know_who_pushed_the_last_commit() {
        let mut pr = pull_request(vec![
            review("bob", ReviewState::Approved, HEAD, 1),
            review("carol", ReviewState::Approved, HEAD, 2),
        ]);
        let change = |pr: &PullRequest| Change {
            sha: HEAD.into(),
            committed_at: at(59).unwrap_or_default(),
            parents: 1,
            author: Some("alice".into()),
            pull_request: Observed::Known(Some(pr.clone())),
        };
        let resource = || Resource::new("github:acme/api:commit/x", "GitHub change");
        let known = judge(resource(), "main", &change(&pr), 2);
        assert_eq!(known.status, crate::CheckStatus::Pass, "{known:?}");
        pr.pushed_by = Observed::unavailable("GET /repos/acme/api/activity failed: HTTP 403");
        let unknown = judge(resource(), "main", &change(&pr), 2);
        assert_eq!(unknown.status, crate::CheckStatus::Error);
        assert_eq!(
            unknown.message,
            "could not determine who pushed the last commit of #7: GET /repos/acme/api/activity failed: HTTP 403"
        );
        let short = judge(resource(), "main", &change(&pr), 3);
        assert_eq!(
            short.status,
            crate::CheckStatus::Fail,
            "a change short of approvals fails whoever pushed it: {short:?}"
        );
    }

    #[test]
    fn a_deleted_account_approval_is_named_not_counted() {
        let mut ghost = review("x", ReviewState::Approved, HEAD, 1);
        ghost.author = None;
        let result = judged(vec![ghost]);
        assert!(result.counted.is_empty());
        assert_eq!(
            result.not_counted,
            vec![("ghost".to_owned(), "a deleted account".to_owned())]
        );
    }
}
