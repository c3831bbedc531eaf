//! `aws.iam.no-privilege-escalation`: no user or role can escalate its own
//! privileges through a known method, except allow-listed principals.

use serde_json::json;

use crate::{Context, Outcome, iam::each_principal, support::Globs};

/// One outcome per user and role.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let allowed = cx.params.string_list("allowlist");
    let allow = Globs::new(allowed);
    each_principal(cx, |resource, name, grants, out| {
        // A method confined to particular roles counts when one of them is
        // an administrator.
        let methods: Vec<_> = grants
            .analysis
            .privilege_escalation
            .iter()
            .filter(|m| {
                m.roles.is_empty()
                    || grants
                        .passes
                        .iter()
                        .any(|p| p.method == m.id && !p.administrators.is_empty())
            })
            .collect();
        let listed: Vec<String> = methods
            .iter()
            .map(|m| {
                let passing = grants
                    .passes
                    .iter()
                    .find(|p| p.method == m.id)
                    .map(|p| {
                        format!(
                            ", passing administrator role {}",
                            p.administrators.join(", ")
                        )
                    })
                    .unwrap_or_default();
                let condition = if m.conditional {
                    ", under a condition"
                } else {
                    ""
                };
                if passing.is_empty() && condition.is_empty() {
                    m.id.clone()
                } else {
                    format!(
                        "{} ({}{})",
                        m.id,
                        passing.trim_start_matches(", "),
                        condition
                    )
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
                        json!(methods.iter().map(|m| if m.roles.is_empty() {
                            json!({"id": m.id, "actions": m.actions, "conditional": m.conditional})
                        } else {
                            json!({"id": m.id, "actions": m.actions, "conditional": m.conditional, "roles": m.roles})
                        }).collect::<Vec<_>>()),
                    )
                    .with("policies", grants.policies),
            );
    })
}
