//! `github.changes.no-rule-bypass`: no change that reached a protected
//! branch during the audit period came through a push that bypassed a
//! ruleset or branch rule, as far back as GitHub's rule insights reach;
//! the changes before that are an error, never a pass.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use tenet_inventory::{
    Observed,
    github::{Change, RULE_INSIGHT_DAYS, RuleSuite},
};

use super::changes_common::{CHANGES, branch_resource, change_resource, known_branches};
use crate::{
    Context, Outcome, Resource,
    support::{Globs, each_repo_in_period, short},
};

/// What the control reads besides the changes.
const BYPASSES: &str = "the rule bypasses of the audit period";

/// One outcome per change GitHub's rule insights cover, one error per
/// branch for the changes older than them, and one failure per bypass of
/// the period that no change of the branch's line carries.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let protected = Globs::new(cx.protected_branches);
    each_repo_in_period(cx, CHANGES, |org, repo, period, out| {
        let branches = known_branches(org, repo, &protected, period, out);
        let since = repo
            .rule_bypasses
            .known()
            .map_or_else(|| insights_since(cx), |bypasses| bypasses.since);
        let since_text = since.to_rfc3339_opts(SecondsFormat::Secs, false);
        let recent = branches
            .iter()
            .any(|(_, changes)| changes.iter().any(|change| change.committed_at >= since));
        // Without a change recent enough for the insights, an unread list
        // decides nothing: the older changes are the error.
        let bypasses = match (&repo.rule_bypasses, recent) {
            (Observed::Known(bypasses), _) => bypasses.suites.as_slice(),
            (Observed::Unavailable { .. }, false) => &[],
            (Observed::Unavailable { reason }, true) => {
                out.push(Outcome::unavailable(
                    Resource::github_repo(&org.login, &repo.name),
                    BYPASSES,
                    reason,
                ));
                return;
            }
        };
        for (branch, changes) in branches {
            let git_ref = format!("refs/heads/{branch}");
            let suites: Vec<&RuleSuite> = bypasses
                .iter()
                .filter(|suite| suite.git_ref == git_ref && period.contains(suite.pushed_at))
                .collect();
            let (seen, unseen): (Vec<&Change>, Vec<&Change>) = changes
                .iter()
                .partition(|change| change.committed_at >= since);
            if let (Some(newest), Some(oldest)) = (unseen.first(), unseen.last()) {
                let (first, last) = (
                    oldest.committed_at.format("%Y-%m-%d").to_string(),
                    newest.committed_at.format("%Y-%m-%d").to_string(),
                );
                let (what, when) = match unseen.len() {
                    1 => ("the change".to_owned(), format!("was committed on {first}")),
                    n => (
                        format!("{n} changes"),
                        format!("were committed from {first} to {last}"),
                    ),
                };
                out.push(
                    Outcome::unavailable(
                        branch_resource(org, repo, branch),
                        &format!(
                            "whether {what} before {} bypassed a rule",
                            since.format("%Y-%m-%d")
                        ),
                        &format!(
                            "GitHub's rule insights reach back a month before the collection (taken as 28 days, to {}), and {what} {when}; collect at least every four weeks and merge the runs with `tenet trend`",
                            since_text.as_str()
                        ),
                    )
                    .with("branch", branch)
                    .with("changes", unseen.len())
                    .with("insights_since", since_text.as_str()),
                );
            }
            let mut carried = vec![false; suites.len()];
            for (index, change) in seen.iter().enumerate() {
                let resource = change_resource(org, repo, &change.sha);
                let by = suites.iter().position(|suite| carries(suite, &seen, index));
                let outcome = match by {
                    Some(at) => {
                        carried[at] = true;
                        let suite = suites[at];
                        bypass(
                            Outcome::fail(
                                resource,
                                format!(
                                    "{} on {branch} came with a push that bypassed a rule: {} at {} (rule suite {})",
                                    short(&change.sha),
                                    pusher(suite),
                                    suite.pushed_at.to_rfc3339(),
                                    suite.id
                                ),
                            ),
                            suite,
                        )
                    }
                    None => Outcome::pass(
                        resource,
                        format!(
                            "{} on {branch}: GitHub recorded no rule bypass for it",
                            short(&change.sha)
                        ),
                    ),
                };
                out.push(
                    outcome
                        .with("branch", branch)
                        .with("commit", change.sha.as_str())
                        .with("committed_at", change.committed_at.to_rfc3339())
                        .with("insights_since", since_text.as_str()),
                );
            }
            for (suite, _) in suites.iter().zip(carried).filter(|(_, carried)| !carried) {
                let outcome = Outcome::fail(
                    Resource::github_repo_part(
                        &org.login,
                        &repo.name,
                        "rule-suite",
                        &suite.id.to_string(),
                        "GitHub rule bypass",
                    ),
                    format!(
                        "a push to {branch} bypassed a rule: {} at {} made it {} (rule suite {}), which no change of the period on its first-parent line is",
                        pusher(suite),
                        suite.pushed_at.to_rfc3339(),
                        short(&suite.after_sha),
                        suite.id
                    ),
                );
                out.push(
                    bypass(outcome, suite)
                        .with("branch", branch)
                        .with("after", suite.after_sha.as_str())
                        .with("before", suite.before_sha.as_str()),
                );
            }
        }
    })
}

/// Who made the bypassing push `suite`, as the findings name them.
fn pusher(suite: &RuleSuite) -> &str {
    suite
        .actor
        .as_deref()
        .unwrap_or("an actor GitHub does not name")
}

/// `outcome` with the facts of the bypassing push `suite`.
fn bypass(outcome: Outcome, suite: &RuleSuite) -> Outcome {
    outcome
        .with("rule_suite", suite.id)
        .with("bypassed_by", suite.actor.clone())
        .with("pushed_at", suite.pushed_at.to_rfc3339())
}

/// How far back GitHub's rule insights reach from the snapshot's
/// collection, for a repository whose bypasses were not read.
fn insights_since(cx: &Context<'_>) -> DateTime<Utc> {
    cx.snapshot.collected_at - Duration::days(RULE_INSIGHT_DAYS)
}

/// Whether the push `suite` brought `changes[index]` (a branch's changes
/// of the period, newest first along its first-parent line): the push made
/// the branch point to that change or to a newer one, and the change is
/// newer than what the branch pointed to before. When that earlier commit
/// is not among the changes (older than the period, a new branch, or a
/// force push), every older change counts as brought: a bypass is never
/// narrowed to less than it may have carried.
fn carries(suite: &RuleSuite, changes: &[&Change], index: usize) -> bool {
    let Some(after) = changes.iter().position(|c| c.sha == suite.after_sha) else {
        return false;
    };
    let before = changes.iter().position(|c| c.sha == suite.before_sha);
    after <= index && before.is_none_or(|before| index < before)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use tenet_inventory::Observed;

    use super::*;

    fn change(sha: &str) -> Change {
        Change {
            sha: sha.repeat(20),
            committed_at: DateTime::<Utc>::default(),
            parents: 1,
            author: None,
            pull_request: Observed::Known(None),
        }
    }

    fn suite(before: &str, after: &str) -> RuleSuite {
        RuleSuite {
            id: 1,
            git_ref: "refs/heads/main".into(),
            before_sha: before.repeat(20),
            after_sha: after.repeat(20),
            actor: Some("mallory".into()),
            pushed_at: DateTime::<Utc>::default(),
        }
    }

    /// Each row: the push, and which of the changes `e5 d4 c3 b2 a1`
    /// (newest first) it brought.
    #[test]
    fn a_push_brings_the_changes_between_its_before_and_after() {
        let owned: Vec<Change> = ["e5", "d4", "c3", "b2", "a1"].map(change).into();
        let changes: Vec<&Change> = owned.iter().collect();
        let cases = [
            (
                "one change",
                suite("c3", "d4"),
                [false, true, false, false, false],
            ),
            (
                "three changes",
                suite("a1", "d4"),
                [false, true, true, true, false],
            ),
            (
                "from before the period",
                suite("00", "c3"),
                [false, false, true, true, true],
            ),
            (
                "a commit no longer on the line",
                suite("b2", "ff"),
                [false, false, false, false, false],
            ),
        ];
        for (name, suite, brought) in cases {
            let found: Vec<bool> = (0..changes.len())
                .map(|index| carries(&suite, &changes, index))
                .collect();
            assert_eq!(found, brought, "{name}");
        }
    }
}
