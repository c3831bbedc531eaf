//! `aws.iam.no-full-admin`: no user or role holds full admin, except the
//! policy's allow-listed break-glass principals.

use crate::{
    Context, Outcome,
    iam::principals,
    support::{each_account, matches_any},
};

/// One outcome per user and role.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let allowed = cx.params.string_list("allowlist");
    each_account(cx, |account, out| {
        for principal in principals(account, out) {
            let grants = match principal.grants {
                Ok(grants) => grants,
                Err(reason) => {
                    out.push(Outcome::unavailable(
                        principal.resource,
                        &format!("what {} may do", principal.name),
                        &reason,
                    ));
                    continue;
                }
            };
            let outcome = if !grants.is_admin() {
                Outcome::pass(
                    principal.resource,
                    format!("{} is not an administrator", principal.name),
                )
            } else if matches_any(allowed, &principal.resource.id) {
                Outcome::pass(
                    principal.resource,
                    format!("{} is an allow-listed administrator", principal.name),
                )
            } else {
                let how = if grants.analysis.full_admin {
                    "full admin (every action on every resource)"
                } else if grants.analysis.conditional_full_admin {
                    "full admin under a condition"
                } else {
                    "every action except a short exclusion list, IAM included"
                };
                Outcome::fail(principal.resource, format!("{} has {how}", principal.name))
            };
            out.push(outcome.with("policies", grants.policies));
        }
    })
}
