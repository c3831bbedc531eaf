//! `github.branch.code-owner-review` (optional): a code owner must approve.

use crate::{Context, Outcome, branch::each_branch};

/// One outcome per protected branch.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_branch(cx, |resource, rules| {
        rules.judge(
            resource,
            |source| source.approvals > 0 && source.code_owner,
            "a code owner must approve",
            "code-owner review is not required",
        )
    })
}
