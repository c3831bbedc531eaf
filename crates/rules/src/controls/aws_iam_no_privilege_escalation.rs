//! `aws.iam.no-privilege-escalation`: no user or role can escalate its own
//! privileges through a known method, except allow-listed principals.

use serde_json::json;

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
            let outcome = if grants.is_admin() && !matches_any(allowed, &principal.resource.id) {
                Outcome::fail(
                    principal.resource,
                    format!(
                        "{} is an administrator: every escalation method is open to it",
                        principal.name
                    ),
                )
            } else if methods.is_empty() {
                Outcome::pass(
                    principal.resource,
                    format!("{} has no known privilege-escalation path", principal.name),
                )
            } else if matches_any(allowed, &principal.resource.id) {
                Outcome::pass(
                    principal.resource,
                    format!("{} can escalate privileges; allow-listed", principal.name),
                )
            } else {
                Outcome::fail(
                    principal.resource,
                    format!(
                        "{} can escalate privileges: {}",
                        principal.name,
                        listed.join(", ")
                    ),
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
        }
    })
}
