//! `aws.apigateway.tls`: every API Gateway REST API and custom domain name
//! refuses TLS older than 1.2.
//!
//! A security policy sets the oldest TLS an endpoint accepts. `TLS_1_0`
//! accepts TLS 1.0 and 1.1; `TLS_1_2` and every enhanced policy
//! (`SecurityPolicy_…`) accept TLS 1.2 or newer only. A REST API's default
//! `execute-api` endpoint without a policy of its own accepts TLS 1.0 when
//! it is edge-optimized or regional, and TLS 1.2 when it is private (API
//! Gateway's documentation, "Choose a security policy for your REST API
//! custom domain"). A policy tenet does not know is an error.

use tenet_inventory::aws::{ApiDomainName, RestApi};

use crate::{
    Context, Outcome, Resource,
    support::{each_region, known},
};

/// The policies that accept TLS 1.2 or newer only, as API Gateway names
/// them (every value of the API's `SecurityPolicy` but `TLS_1_0`).
const TLS_1_2: [&str; 13] = [
    "TLS_1_2",
    "SecurityPolicy_TLS12_2018_EDGE",
    "SecurityPolicy_TLS12_PFS_2025_EDGE",
    "SecurityPolicy_TLS13_1_2_2021_06",
    "SecurityPolicy_TLS13_1_2_Ext2_FIPS_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_Ext2_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_FIPS_PFS_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_FIPS_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09",
    "SecurityPolicy_TLS13_1_2_PQ_2025_09",
    "SecurityPolicy_TLS13_1_3_2025_09",
    "SecurityPolicy_TLS13_1_3_FIPS_2025_09",
    "SecurityPolicy_TLS13_2025_EDGE",
];

/// The policy that still accepts TLS 1.0 and 1.1.
const TLS_1_0: &str = "TLS_1_0";

/// One outcome per REST API and per custom domain name.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_region(cx, |account, region, out| {
        let account_resource = || Resource::aws_account(&account.account_id);
        if let Some(apis) = known(
            &region.rest_apis,
            out,
            account_resource,
            &format!("the API Gateway REST APIs of {}", region.name),
        ) {
            out.extend(apis.iter().map(rest_api));
        }
        if let Some(domains) = known(
            &region.api_domain_names,
            out,
            account_resource,
            &format!("the API Gateway custom domain names of {}", region.name),
        ) {
            out.extend(domains.iter().map(domain_name));
        }
    })
}

/// A REST API's default endpoint; with the endpoint turned off, clients
/// reach the API through custom domain names, each judged on its own.
fn rest_api(api: &RestApi) -> Outcome {
    let resource = Resource::new(api.arn.clone(), "API Gateway REST API");
    let subject = format!("REST API {} ({})", api.name, api.id);
    let endpoint = format!("the default execute-api endpoint of {subject}");
    let outcome = if api.execute_api_endpoint_disabled {
        Outcome::pass(
            resource,
            format!(
                "{subject} has its default execute-api endpoint turned off: clients reach it \
                 through its custom domain names only"
            ),
        )
    } else {
        let (policy, set) = match &api.security_policy {
            Some(policy) => (policy.as_str(), "its security policy"),
            None if is_public(&api.endpoint_types) => (
                TLS_1_0,
                "the default for an edge-optimized or regional endpoint",
            ),
            None => ("TLS_1_2", "the default for a private endpoint"),
        };
        judge(resource, &endpoint, policy, set)
    };
    let outcome = outcome
        .with("endpoint_types", api.endpoint_types.clone())
        .with(
            "execute_api_endpoint_disabled",
            api.execute_api_endpoint_disabled,
        );
    match &api.security_policy {
        Some(policy) => outcome.with("security_policy", policy.as_str()),
        None => outcome,
    }
}

/// A custom domain name's security policy.
fn domain_name(domain: &ApiDomainName) -> Outcome {
    let resource = Resource::new(domain.arn.clone(), "API Gateway domain name");
    judge(
        resource,
        &format!("custom domain name {}", domain.name),
        &domain.security_policy,
        "its security policy",
    )
    .with("endpoint_types", domain.endpoint_types.clone())
    .with("security_policy", domain.security_policy.clone())
}

/// Whether an endpoint is edge-optimized or regional: reachable from the
/// internet, where the default policy is `TLS_1_0`.
fn is_public(types: &[String]) -> bool {
    types.iter().any(|endpoint| endpoint != "PRIVATE")
}

/// The verdict on `policy`, which `set` says where it comes from.
fn judge(resource: Resource, subject: &str, policy: &str, set: &str) -> Outcome {
    if policy == TLS_1_0 {
        Outcome::fail(
            resource,
            format!("{subject} accepts TLS 1.0 and 1.1 ({policy}, {set})"),
        )
    } else if TLS_1_2.contains(&policy) {
        Outcome::pass(
            resource,
            format!("{subject} accepts TLS 1.2 or newer only ({policy}, {set})"),
        )
    } else {
        Outcome::unavailable(
            resource,
            &format!("whether {subject} accepts TLS older than 1.2"),
            &format!("the security policy `{policy}` is one tenet does not know"),
        )
    }
}
