//! `aws.iam.role-trust-oidc`: every role that trusts a web-identity
//! provider (GitHub Actions, any OIDC provider, Cognito) confines who may
//! assume it to the customer's own subjects or application.

use serde_json::json;

use super::iam_trust_common::each_trust;
use crate::{Context, Outcome};

/// One outcome per role that trusts a web-identity provider.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_trust(cx, |_, role, trust, resource, out| {
        if trust.web_identity_providers.is_empty() {
            return;
        }
        let name = &role.name;
        let outcome = match trust.open_web_identities.first() {
            None => Outcome::pass(
                resource,
                format!(
                    "{name} trusts {} for the customer's own subjects only",
                    trust.web_identity_providers.join(", ")
                ),
            ),
            Some(open) => Outcome::fail(
                resource,
                format!(
                    "{name} trusts {} without confining who may assume it (trust policy \
                     statement {}): {}",
                    open.provider, open.statement, open.reason
                ),
            ),
        };
        out.push(
            outcome
                .with("providers", trust.web_identity_providers.clone())
                .with(
                    "open",
                    json!(
                        trust
                            .open_web_identities
                            .iter()
                            .map(|open| json!({"statement": open.statement, "provider": open.provider, "reason": open.reason}))
                            .collect::<Vec<_>>()
                    ),
                ),
        );
    })
}
