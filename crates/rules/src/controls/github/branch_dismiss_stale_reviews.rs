//! `github.branch.dismiss-stale-reviews`: a new commit dismisses earlier
//! approvals, so what was approved is what is merged.

use crate::{Context, Outcome, branch::each_branch};

/// One outcome per protected branch.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_branch(cx, |resource, rules| {
        rules.judge(
            resource,
            |source| source.approvals > 0 && source.dismiss_stale,
            "stale approvals are dismissed on new commits",
            "approvals survive new commits: code can change after it was approved",
        )
    })
}
