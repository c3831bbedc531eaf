//! Shared walk of IAM roles with their trust policies read.

use tenet_iam_policy::{PolicyDocument, Trust, analyze_trust};
use tenet_inventory::aws::{AwsAccount, IamRole};

use crate::{
    Context, Outcome, Resource,
    support::{each_account, known},
};

/// Runs `check` for every role of every account with what its trust policy
/// lets in; a trust policy that does not parse is an error for its role.
pub(crate) fn each_trust(
    cx: &Context<'_>,
    mut check: impl FnMut(&AwsAccount, &IamRole, Trust, Resource, &mut Vec<Outcome>),
) -> Vec<Outcome> {
    each_account(cx, |account, out| {
        let Some(roles) = known(
            &account.roles,
            out,
            || Resource::aws_account(&account.account_id),
            "the account's IAM roles",
        ) else {
            return;
        };
        for role in roles {
            let resource = Resource::new(role.arn.clone(), "IAM role");
            match PolicyDocument::parse(&role.trust_policy)
                .and_then(|document| analyze_trust(&document))
            {
                Ok(trust) => check(account, role, trust, resource, out),
                Err(err) => out.push(Outcome::unavailable(
                    resource,
                    &format!("who may assume {}", role.name),
                    &format!("its trust policy is malformed: {err}"),
                )),
            }
        }
    })
}
