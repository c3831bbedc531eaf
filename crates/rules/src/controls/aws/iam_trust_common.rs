//! Shared walk of IAM roles with their trust policies read.

use tenet_iam_policy::{PolicyDocument, Trust, analyze_trust};
use tenet_inventory::aws::{AwsAccount, IamRole};

use crate::{
    Context, Outcome, Resource,
    support::{each_account, known},
};

/// What [`each_trust`] hands its check for one role.
pub(crate) struct RoleTrust<'a> {
    /// The account of the role.
    pub account: &'a AwsAccount,
    /// The role.
    pub role: &'a IamRole,
    /// Its trust policy, parsed.
    pub document: PolicyDocument,
    /// What the trust policy lets in.
    pub trust: Trust,
}

/// Runs `check` for every role of every account with what its trust policy
/// lets in; a trust policy that does not parse is an error for its role.
pub(crate) fn each_trust<'a>(
    cx: &Context<'a>,
    mut check: impl FnMut(RoleTrust<'a>, Resource, &mut Vec<Outcome>),
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
                .and_then(|document| analyze_trust(&document).map(|trust| (document, trust)))
            {
                Ok((document, trust)) => check(
                    RoleTrust {
                        account,
                        role,
                        document,
                        trust,
                    },
                    resource,
                    out,
                ),
                Err(err) => out.push(Outcome::unavailable(
                    resource,
                    &format!("who may assume {}", role.name),
                    &format!("its trust policy is malformed: {err}"),
                )),
            }
        }
    })
}
