//! `github.branch.no-bypass`: nobody, administrators included, can skip the
//! review requirement, except actors on the policy's allow-list.

use serde::Deserialize;
use tenet_inventory::Observed;

use crate::{
    CheckStatus, Context, Outcome,
    branch::{Approvals, Source, each_branch},
    support::{Globs, parameter_error},
    verdict::Verdict,
};

/// The control's parameters (defaults in its metadata file).
#[derive(Debug, Deserialize)]
struct Params {
    /// Approving reviews a rule must require to count.
    #[serde(flatten)]
    approvals: Approvals,
    /// Bypass actors accepted, as globs.
    bypass_allowlist: Vec<String>,
}

/// One outcome per protected branch.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Params = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let min = params.approvals.min_approvals;
    let allowed = &params.bypass_allowlist;
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
        let meets = |source: &Source| {
            Verdict::from_bool(source.approvals >= min).and(|| match &source.bypass {
                Observed::Known(actors) => {
                    Verdict::from_bool(actors.iter().all(|actor| allow.is_match(actor)))
                }
                Observed::Unavailable { reason } => Verdict::Unknown(reason.clone()),
            })
        };
        let outcome = rules
            .judge_with(
                resource,
                meets,
                "the review requirement applies to everyone",
                &fail,
            )
            .with("bypass_allowlist", allowed.to_vec());
        // A pass whose rule lets allow-listed actors bypass it is an
        // exception the policy grants, and says so.
        let exempt = rules
            .met_by(meets)
            .and_then(|source| Some((source.name.as_str(), source.bypass.known()?)));
        match exempt {
            Some((source, actors)) if outcome.status == CheckStatus::Pass && !actors.is_empty() => {
                let mut entries: Vec<String> = actors
                    .iter()
                    .flat_map(|actor| allow.matching(actor))
                    .collect();
                entries.sort();
                entries.dedup();
                Outcome {
                    message: format!(
                        "the review requirement applies to everyone but {}, whom the policy's bypass_allowlist accepts ({source})",
                        actors.join(", ")
                    ),
                    ..outcome
                }
                .allowlisted("bypass_allowlist", entries)
            }
            _ => outcome,
        }
    })
}
