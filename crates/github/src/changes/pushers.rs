//! Who pushed each merged pull request's head: GitHub's repository
//! activity (`GET /repos/{owner}/{repo}/activity`), read newest first, once
//! per repository the head branches live in (this one, or a fork), back to
//! the day before the oldest head was committed. GraphQL has no pusher.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use futures::future::join_all;
use tenet_inventory::github::Account;

use crate::{
    client::Client,
    convert::short,
    permissions,
    rest::{ActivityJson, ActorJson},
};

/// How far before a head's commit date its push is looked for: a
/// committer's clock may run ahead of GitHub's.
const CLOCK_SKEW_DAYS: i64 = 1;

/// A merged head whose pushers are looked for.
#[derive(Debug)]
pub(super) struct Head {
    /// `owner/name` of the repository of the pull request's branch.
    pub repository: String,
    /// The branch, without `refs/heads/`.
    pub branch: String,
    /// The head commit's SHA.
    pub sha: String,
    /// When the head was committed.
    pub committed_at: DateTime<Utc>,
}

/// For each of `heads`, in order: the accounts that made its branch point
/// to it (sorted, deleted accounts left out), or why that is unknown.
pub(super) async fn read(client: &Client<'_>, heads: &[Head]) -> Vec<Result<Vec<Account>, String>> {
    let mut by_repository: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, head) in heads.iter().enumerate() {
        by_repository
            .entry(head.repository.to_lowercase())
            .or_default()
            .push(index);
    }
    let mut answers: Vec<Result<Vec<Account>, String>> =
        vec![Err("not read".to_owned()); heads.len()];
    let read = join_all(by_repository.into_values().map(|indices| async move {
        let group: Vec<&Head> = indices.iter().map(|&i| &heads[i]).collect();
        let pushers = repository(client, &group).await;
        indices.into_iter().zip(pushers).collect::<Vec<_>>()
    }))
    .await;
    for (index, answer) in read.into_iter().flatten() {
        answers[index] = answer;
    }
    answers
}

/// Reads one repository's activity back to the earliest of `heads`'
/// commit dates, and finds each head's pushers in it.
async fn repository(client: &Client<'_>, heads: &[&Head]) -> Vec<Result<Vec<Account>, String>> {
    let needs = permissions::REPO_ACTIVITY;
    let Some(repository) = heads.first().map(|head| head.repository.as_str()) else {
        return Vec::new();
    };
    let floor = heads
        .iter()
        .map(|head| since(head))
        .min()
        .unwrap_or_else(Utc::now);
    let listing = client
        .list_until::<ActivityJson>(
            &format!("/repos/{repository}/activity?direction=desc"),
            None,
            |page| page.iter().any(|entry| entry.timestamp < floor),
        )
        .await;
    let entries = match listing {
        Ok(entries) => entries,
        Err(err) => {
            let reason = err.reason(needs);
            return heads.iter().map(|_| Err(reason.clone())).collect();
        }
    };
    let oldest = entries.iter().map(|entry| entry.timestamp).min();
    heads
        .iter()
        .map(|head| pushers(head, &entries, oldest))
        .collect()
}

/// The earliest a push of `head` can be.
fn since(head: &Head) -> DateTime<Utc> {
    head.committed_at - Duration::days(CLOCK_SKEW_DAYS)
}

/// Who made `head`'s branch point to its commit, from `entries`, the
/// activity read back to at least `head`'s [`since`] (unless it ends
/// earlier, at `oldest`).
fn pushers(
    head: &Head,
    entries: &[ActivityJson],
    oldest: Option<DateTime<Utc>>,
) -> Result<Vec<Account>, String> {
    let git_ref = format!("refs/heads/{}", head.branch);
    let pushes: Vec<&ActivityJson> = entries
        .iter()
        .filter(|entry| entry.git_ref == git_ref && entry.after == head.sha)
        .collect();
    if pushes.is_empty() {
        let since = since(head);
        let read_to = match oldest {
            Some(oldest) if oldest > since => format!(
                "the activity GitHub returned goes back only to {}",
                oldest.format("%Y-%m-%d")
            ),
            _ => format!("read back to {}", since.format("%Y-%m-%d")),
        };
        return Err(format!(
            "GitHub's activity of {} records no push of {} to {} ({read_to}); needs {}",
            head.repository,
            short(&head.sha),
            head.branch,
            permissions::REPO_ACTIVITY
        ));
    }
    let mut accounts: Vec<Account> = pushes
        .iter()
        .filter_map(|entry| entry.actor.as_ref())
        .map(ActorJson::account)
        .collect();
    accounts.sort();
    accounts.dedup();
    Ok(accounts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rest::ActorJson;

    const SHA: &str = "b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7b7";

    fn at(day: u32) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(&format!("2026-11-{day:02}T12:00:00Z"))
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn entry(git_ref: &str, after: &str, login: Option<&str>, day: u32) -> ActivityJson {
        ActivityJson {
            git_ref: git_ref.to_owned(),
            after: after.to_owned(),
            timestamp: at(day),
            actor: login.map(|login| ActorJson {
                login: login.to_owned(),
                kind: "User".to_owned(),
            }),
        }
    }

    fn head() -> Head {
        Head {
            repository: "acme/api".to_owned(),
            branch: "feature".to_owned(),
            sha: SHA.to_owned(),
            committed_at: at(10),
        }
    }

    fn logins(found: Result<Vec<Account>, String>) -> Result<Vec<String>, String> {
        found.map(|accounts| accounts.into_iter().map(|a| a.login).collect())
    }

    #[test]
    fn every_account_that_made_the_branch_point_to_the_head_pushed_it() {
        let entries = [
            entry("refs/heads/main", SHA, Some("carol"), 12),
            entry("refs/heads/feature", SHA, Some("erin"), 11),
            entry("refs/heads/feature", "c0ffee", Some("frank"), 11),
            entry("refs/heads/feature", SHA, Some("dave"), 10),
            entry("refs/heads/feature", SHA, None, 10),
            entry("refs/heads/feature", SHA, Some("dave"), 9),
        ];
        assert_eq!(
            logins(pushers(&head(), &entries, Some(at(9)))),
            Ok(vec!["dave".to_owned(), "erin".to_owned()]),
            "another branch's or another commit's pushes are not the head's; a deleted account is left out"
        );
    }

    #[test]
    fn a_head_without_a_push_says_how_far_back_was_read() {
        let entries = [entry("refs/heads/feature", "c0ffee", Some("frank"), 11)];
        let read_back = pushers(&head(), &entries, Some(at(1)));
        assert_eq!(
            logins(read_back),
            Err("GitHub's activity of acme/api records no push of b7b7b7b to feature (read back to 2026-11-09); needs repo (classic token), repository Contents: read (fine-grained token or GitHub App)".to_owned())
        );
        let ends = pushers(&head(), &entries, Some(at(11)));
        assert!(ends.is_err_and(|reason| {
            reason.contains("(the activity GitHub returned goes back only to 2026-11-11)")
        }),);
    }
}
