//! `github.branch.required-approvals`: changes to protected branches need at
//! least `min_approvals` approving reviews.

use crate::{Context, Outcome, branch::each_branch};

/// One outcome per protected branch.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let min = u32::try_from(cx.params.integer("min_approvals").unwrap_or(2)).unwrap_or(u32::MAX);
    each_branch(cx, |resource, rules| {
        let best = rules.sources.iter().map(|s| s.approvals).max().unwrap_or(0);
        rules
            .judge(
                resource,
                |source| source.approvals >= min,
                &format!("requires {best} approving reviews, at least {min}"),
                &format!("requires {best} approving reviews; the policy requires {min}"),
            )
            .with("min_approvals", min)
    })
}
