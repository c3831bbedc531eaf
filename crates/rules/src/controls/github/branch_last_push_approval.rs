//! `github.branch.last-push-approval`: the most recent push must be approved
//! by someone other than its author.

use crate::{Context, Outcome, branch::each_branch};

/// One outcome per protected branch.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_branch(cx, |resource, rules| {
        rules.judge(
            resource,
            |source| source.approvals > 0 && source.last_push,
            "the last push must be approved by someone else",
            "the author of the last push can merge it on earlier approvals",
        )
    })
}
