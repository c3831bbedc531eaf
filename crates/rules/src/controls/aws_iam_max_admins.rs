//! `aws.iam.max-admins`: at most `max_admins` administrators per account.

use crate::{Context, Outcome, Resource, iam::principals, support::each_account};

/// One outcome per account.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let max = cx.params.integer("max_admins").unwrap_or(3);
    each_account(cx, |account, out| {
        let resource = Resource::aws_account(&account.account_id);
        let before = out.len();
        let mut admins = Vec::new();
        let mut unknown = Vec::new();
        for principal in principals(account, out) {
            match principal.grants {
                Ok(grants) if grants.is_admin() => admins.push(principal.resource.id),
                Ok(_) => {}
                Err(reason) => unknown.push(format!("{}: {reason}", principal.resource.id)),
            }
        }
        if out.len() > before {
            // A principal list could not be read; the error is already reported.
            return;
        }
        let n = admins.len() as u64;
        let counted = if n == 1 {
            "1 administrator".to_owned()
        } else {
            format!("{n} administrators")
        };
        let outcome = if n > max {
            Outcome::fail(
                resource,
                format!("{counted}; the policy allows at most {max}"),
            )
        } else if !unknown.is_empty() {
            Outcome::unavailable(
                resource,
                "how many administrators there are",
                &unknown.join("; "),
            )
        } else {
            Outcome::pass(resource, format!("{counted}, at most {max}"))
        };
        out.push(outcome.with("administrators", admins));
    })
}
