//! `github.branch.no-bypass`: nobody, administrators included, can skip the
//! review requirement, except actors on the policy's allow-list.

use tenet_inventory::Observed;

use crate::{Context, Outcome, branch::each_branch, support::Globs, verdict::Verdict};

/// One outcome per protected branch.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let min = u32::try_from(cx.params.integer("min_approvals").unwrap_or(2)).unwrap_or(u32::MAX);
    let allowed = cx.params.string_list("bypass_allowlist");
    let allow = Globs::new(allowed);
    each_branch(cx, |resource, rules| {
        let bypassers: Vec<&str> = rules
            .sources
            .iter()
            .filter(|s| s.approvals >= min)
            .filter_map(|s| s.bypass.known())
            .flat_map(|actors| actors.iter().map(String::as_str))
            .filter(|actor| !allow.is_match(actor))
            .collect();
        let fail = if rules.sources.iter().any(|s| s.approvals >= min) {
            format!(
                "the review requirement can be bypassed by {}",
                bypassers.join(", ")
            )
        } else {
            format!("no rule requires {min} reviews, so there is nothing that cannot be bypassed")
        };
        rules
            .judge_with(
                resource,
                |source| {
                    Verdict::from_bool(source.approvals >= min).and(|| match &source.bypass {
                        Observed::Known(actors) => {
                            Verdict::from_bool(actors.iter().all(|actor| allow.is_match(actor)))
                        }
                        Observed::Unavailable { reason } => Verdict::Unknown(reason.clone()),
                    })
                },
                "the review requirement applies to everyone",
                &fail,
            )
            .with("bypass_allowlist", allowed.to_vec())
    })
}
