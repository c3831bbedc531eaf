//! `aws.opensearch.tls`: every OpenSearch Service domain refuses plain HTTP,
//! accepts TLS 1.2 or newer only, and encrypts the traffic between its
//! nodes.

use super::opensearch_common::each_domain;
use crate::{Context, Outcome};

/// The TLS security policies that accept TLS 1.2 or newer only, as the
/// OpenSearch Service API names them.
const TLS_1_2: [&str; 4] = [
    "Policy-Min-TLS-1-2-2019-07",
    "Policy-Min-TLS-1-2-PFS-2023-10",
    "Policy-Min-TLS-1-2-RFC9151-FIPS-2024-08",
    "Policy-Min-TLS-1-2-FIPS-PQ-2026-10",
];

/// The TLS security policies that still accept TLS 1.0 and 1.1.
const TLS_1_0: [&str; 1] = ["Policy-Min-TLS-1-0-2019-07"];

/// One outcome per domain.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_domain(cx, |domain, resource, out| {
        let name = &domain.name;
        let policy = domain.tls_policy.as_str();
        let mut gaps = Vec::new();
        if !domain.enforce_https {
            gaps.push("accepts plain HTTP (EnforceHTTPS is off)".to_owned());
        }
        if TLS_1_0.contains(&policy) {
            gaps.push(format!("accepts TLS 1.0 and 1.1 ({policy})"));
        }
        if !domain.node_to_node_encryption {
            gaps.push("sends traffic between its nodes in clear".to_owned());
        }
        let outcome = if !gaps.is_empty() {
            Outcome::fail(resource, format!("{name} {}", gaps.join("; ")))
        } else if TLS_1_2.contains(&policy) {
            Outcome::pass(
                resource,
                format!(
                    "{name} requires HTTPS with TLS 1.2 or newer ({policy}) and encrypts the \
                     traffic between its nodes"
                ),
            )
        } else {
            Outcome::unavailable(
                resource,
                &format!("whether {name} accepts TLS older than 1.2"),
                &format!("the TLS security policy `{policy}` is one tenet does not know"),
            )
        };
        out.push(
            outcome
                .with("enforce_https", domain.enforce_https)
                .with("tls_policy", policy)
                .with("node_to_node_encryption", domain.node_to_node_encryption),
        );
    })
}
