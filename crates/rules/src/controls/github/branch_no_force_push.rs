//! `github.branch.no-force-push`: protected branches cannot be force-pushed
//! or deleted, so reviewed history cannot be rewritten.

use crate::{Context, Outcome, branch::each_branch};

/// One outcome per protected branch.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_branch(cx, |resource, rules| {
        let force = rules.sources.iter().any(|s| s.blocks_force_push);
        let delete = rules.sources.iter().any(|s| s.blocks_deletion);
        let missing: Vec<&str> = [(!force, "force pushes"), (!delete, "deletion")]
            .into_iter()
            .filter_map(|(missing, what)| missing.then_some(what))
            .collect();
        let fail = format!("{} allowed", missing.join(" and "));
        if force && delete {
            Outcome::pass(resource, "force pushes and deletion are blocked")
                .with("rules", rules.evidence())
        } else if !rules.unknown.is_empty() {
            Outcome::unavailable(resource, "the branch's rules", &rules.unknown.join("; "))
                .with("rules", rules.evidence())
        } else {
            Outcome::fail(resource, fail).with("rules", rules.evidence())
        }
    })
}
