//! `aws.iam.role-trust-anyone`: no IAM role can be assumed by any AWS
//! principal; the accounts a role trusts are named in its evidence, those
//! outside the snapshot's accounts apart.

use super::iam_trust_common::{RoleTrust, each_trust};
use crate::{Context, Outcome};

/// One outcome per role.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let scanned: Vec<&str> = cx
        .snapshot
        .aws
        .iter()
        .map(|account| account.account_id.as_str())
        .collect();
    each_trust(
        cx,
        |RoleTrust {
             account,
             role,
             trust,
             ..
         },
         resource,
         out| {
            let name = &role.name;
            let outside: Vec<&str> = trust
                .accounts
                .iter()
                .map(String::as_str)
                .filter(|id| *id != account.account_id && !scanned.contains(id))
                .collect();
            let outcome = if trust.anyone.is_empty() {
                let message = if outside.is_empty() {
                    format!("{name} can be assumed only by the principals its trust policy names")
                } else {
                    format!(
                        "{name} can be assumed only by the principals its trust policy names, \
                     some in accounts outside this scan: {}",
                        outside.join(", ")
                    )
                };
                Outcome::pass(resource, message)
            } else {
                Outcome::fail(
                    resource,
                    format!(
                        "{name} can be assumed by any AWS principal (trust policy statement {}, \
                     without a condition on the caller's account or organization)",
                        trust
                            .anyone
                            .iter()
                            .map(usize::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            };
            out.push(
                outcome
                    .with("trusted_accounts", trust.accounts.clone())
                    .with("accounts_outside_the_scan", outside),
            );
        },
    )
}
