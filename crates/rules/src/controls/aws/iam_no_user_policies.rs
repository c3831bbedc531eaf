//! `aws.iam.no-user-policies`: users get permissions through groups or roles,
//! not policies attached to them.

use crate::{Context, Outcome, Resource, support::each_user};

/// One outcome per user.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_user(cx, |_, user, out| {
        let mut direct: Vec<String> = user.attached_policies.clone();
        direct.extend(
            user.inline_policies
                .iter()
                .map(|p| format!("inline:{}", p.name)),
        );
        let resource = Resource::iam_user(&user.arn);
        let outcome = if direct.is_empty() {
            Outcome::pass(
                resource,
                format!("{} has no directly attached policy", user.name),
            )
        } else {
            Outcome::fail(
                resource,
                format!(
                    "{} has policies attached directly: {}",
                    user.name,
                    direct.join(", ")
                ),
            )
        };
        out.push(outcome.with("direct_policies", direct));
    })
}
