//! `aws.opensearch.encrypted`: every OpenSearch Service domain encrypts its
//! data at rest.

use super::opensearch_common::each_domain;
use crate::{Context, Outcome};

/// One outcome per domain.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_domain(cx, |domain, resource, out| {
        let outcome = if domain.encryption_at_rest {
            Outcome::pass(
                resource,
                format!(
                    "{} encrypts its indices, logs and snapshots at rest",
                    domain.name
                ),
            )
        } else {
            Outcome::fail(
                resource,
                format!(
                    "{} stores its indices, logs and snapshots unencrypted",
                    domain.name
                ),
            )
        };
        out.push(outcome.with("encryption_at_rest", domain.encryption_at_rest));
    })
}
