//! `aws.iam.no-privilege-escalation`: no user or role can escalate its own
//! privileges through a known method, except allow-listed principals.

use serde_json::json;

use crate::{Context, Outcome, iam::each_principal, support::Globs};

/// One outcome per user and role.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let allowed = cx.params.string_list("allowlist");
    let allow = Globs::new(allowed);
    each_principal(cx, |resource, name, grants, out| {
        let methods = &grants.analysis.privilege_escalation;
        let listed: Vec<String> = methods
            .iter()
            .map(|m| {
                if m.conditional {
                    format!("{} (under a condition)", m.id)
                } else {
                    m.id.clone()
                }
            })
            .collect();
        let outcome = if grants.analysis.holds_full_admin() && !allow.is_match(&resource.id) {
            Outcome::fail(
                resource,
                format!("{name} holds full admin: every escalation method is open to it"),
            )
        } else if methods.is_empty() {
            Outcome::pass(
                resource,
                format!("{name} has no known privilege-escalation path"),
            )
        } else if allow.is_match(&resource.id) {
            Outcome::pass(
                resource,
                format!("{name} can escalate privileges; allow-listed"),
            )
        } else {
            Outcome::fail(
                resource,
                format!("{name} can escalate privileges: {}", listed.join(", ")),
            )
        };
        out.push(
                outcome
                    .with(
                        "escalation_methods",
                        json!(methods.iter().map(|m| json!({"id": m.id, "actions": m.actions, "conditional": m.conditional})).collect::<Vec<_>>()),
                    )
                    .with("policies", grants.policies),
            );
    })
}
