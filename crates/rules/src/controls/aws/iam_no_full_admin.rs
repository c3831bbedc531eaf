//! `aws.iam.no-full-admin`: no user or role holds full admin, except the
//! policy's allow-listed break-glass principals.

use crate::{Context, Outcome, iam::each_principal, support::Globs};

/// One outcome per user and role.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let allowed = cx.params.string_list("allowlist");
    let allow = Globs::new(allowed);
    each_principal(cx, |resource, name, grants, out| {
        let outcome = if !grants.analysis.holds_full_admin() {
            Outcome::pass(resource, format!("{name} does not hold full admin"))
        } else if allow.is_match(&resource.id) {
            let entries = allow.matching(&resource.id);
            Outcome::pass(resource, format!("{name} holds full admin; allow-listed"))
                .allowlisted("allowlist", entries)
        } else {
            let how = if grants.analysis.full_admin {
                "full admin (every action on every resource)"
            } else if grants.analysis.conditional_full_admin {
                "full admin under a condition"
            } else {
                "every action except a short exclusion list, IAM included"
            };
            Outcome::fail(resource, format!("{name} has {how}"))
        };
        out.push(outcome.with("policies", grants.policies));
    })
}
