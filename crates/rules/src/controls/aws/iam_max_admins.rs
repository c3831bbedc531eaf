//! `aws.iam.max-admins`: at most `max_admins` administrators per account
//! (principals that hold full admin or can make themselves full admin).

use serde::Deserialize;

use crate::{
    Context, Outcome, Resource,
    iam::AccountIam,
    support::{each_account, parameter_error},
};

/// The control's parameters (defaults in its metadata file).
#[derive(Debug, Deserialize)]
struct Params {
    /// Administrators allowed per account.
    max_admins: u64,
}

/// One outcome per account.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Params = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let max = params.max_admins;
    each_account(cx, |account, out| {
        let resource = Resource::aws_account(&account.account_id);
        let before = out.len();
        let mut admins = Vec::new();
        let mut unknown = Vec::new();
        for principal in AccountIam::new(account, cx.snapshot.collected_at).principals(out) {
            match principal.grants {
                Ok(grants) if grants.is_administrator() => {
                    admins.push(principal.resource.id);
                }
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
