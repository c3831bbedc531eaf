//! `github.org.owners`: between `min_owners` and `max_owners` organization
//! owners.

use serde::Deserialize;

use crate::{
    Context, Outcome, Resource,
    support::{each_org, known, parameter_error},
};
use tenet_inventory::github::MemberRole;

/// The control's parameters (defaults in its metadata file).
#[derive(Debug, Deserialize)]
struct Params {
    /// Fewest owners.
    min_owners: u64,
    /// Most owners.
    max_owners: u64,
}

/// One outcome per organization.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Params = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let min = params.min_owners;
    let max = params.max_owners;
    each_org(cx, |org, out| {
        let resource = || Resource::github_org(&org.login);
        let Some(members) = known(&org.members, out, resource, "the organization's owners") else {
            return;
        };
        let owners: Vec<&str> = members
            .iter()
            .filter(|m| m.role == MemberRole::Admin)
            .map(|m| m.login.as_str())
            .collect();
        let n = owners.len() as u64;
        let counted = if n == 1 {
            "1 owner".to_owned()
        } else {
            format!("{n} owners")
        };
        let outcome = if n > max {
            Outcome::fail(
                resource(),
                format!("{counted}; the policy allows at most {max}"),
            )
        } else if n < min {
            Outcome::fail(
                resource(),
                format!(
                    "{counted}; at least {min} are needed so that one can stand in for another"
                ),
            )
        } else {
            Outcome::pass(resource(), format!("{counted}, between {min} and {max}"))
        };
        out.push(outcome.with("owners", owners));
    })
}
