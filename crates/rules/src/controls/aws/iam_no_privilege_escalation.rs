//! `aws.iam.no-privilege-escalation`: no user or role can escalate its own
//! privileges through a known method, except allow-listed principals.

use serde_json::json;

use crate::{
    Context, Outcome,
    iam::{CountedMethod, each_principal},
    support::Globs,
};

/// One outcome per user and role.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let allowed = cx.params.string_list("allowlist");
    let allow = Globs::new(allowed);
    each_principal(cx, |resource, name, grants, out| {
        // A method that passes a role counts when a role it can pass is an
        // administrator.
        let methods = grants.escalations();
        let listed: Vec<String> = methods.iter().map(CountedMethod::label).collect();
        let full_admin = grants.analysis.holds_full_admin();
        let outcome = if full_admin && !allow.is_match(&resource.id) {
            Outcome::fail(
                resource,
                format!("{name} holds full admin: every escalation method is open to it"),
            )
        } else if methods.is_empty() {
            let harmless = grants.harmless_reaches();
            let why = if harmless.is_empty() {
                String::new()
            } else {
                format!(
                    " (it can reach roles through {}, but none of the account's roles these reach is an administrator)",
                    harmless.join(", ")
                )
            };
            Outcome::pass(
                resource,
                format!("{name} has no known privilege-escalation path{why}"),
            )
        } else if allow.is_match(&resource.id) {
            let entries = allow.matching(&resource.id);
            Outcome::pass(
                resource,
                format!("{name} can escalate privileges; allow-listed"),
            )
            .allowlisted("allowlist", entries)
        } else {
            Outcome::fail(
                resource,
                format!("{name} can escalate privileges: {}", listed.join(", ")),
            )
        };
        let evidence: Vec<_> = methods
            .iter()
            .map(|counted| {
                let m = &counted.method;
                let mut method =
                    json!({"id": m.id, "actions": m.actions, "conditional": m.conditional});
                if !counted.administrators.is_empty() {
                    method["administrator_roles"] = json!(counted.administrators);
                }
                if !counted.through.is_empty() {
                    method["through"] = json!(counted.through);
                }
                if !counted.on.is_empty() {
                    method["on"] = json!(counted.on);
                }
                method
            })
            .collect();
        out.push(
            outcome
                .with("escalation_methods", json!(evidence))
                .with("policies", grants.policies),
        );
    })
}
