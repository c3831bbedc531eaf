//! `github.branch.required-approvals`: changes to protected branches need at
//! least `min_approvals` approving reviews.

use crate::{
    Context, Outcome,
    branch::{Approvals, each_branch},
    support::parameter_error,
};

/// One outcome per protected branch.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Approvals = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let min = params.min_approvals;
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
