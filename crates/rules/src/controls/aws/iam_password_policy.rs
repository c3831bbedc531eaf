//! `aws.iam.password-policy`: the account password policy requires long,
//! complex, non-reused passwords.

use serde::Deserialize;
use tenet_inventory::aws::PasswordPolicy;

use crate::{
    Context, Outcome, Resource,
    support::{each_account, known, parameter_error},
};

/// The control's parameters (defaults in its metadata file).
#[derive(Debug, Deserialize)]
struct Params {
    /// Shortest password allowed.
    minimum_length: u64,
    /// Earlier passwords that may not be reused.
    reuse_prevention: u64,
    /// Symbols, numbers, upper and lower case required.
    require_complexity: bool,
}

/// One outcome per account.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Params = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let min_length = params.minimum_length;
    let reuse = params.reuse_prevention;
    let complexity = params.require_complexity;
    each_account(cx, |account, out| {
        let resource = || {
            Resource::new(
                format!("aws:{}:password-policy", account.account_id),
                "IAM password policy",
            )
        };
        let Some(policy) = known(
            &account.password_policy,
            out,
            resource,
            "the password policy",
        ) else {
            return;
        };
        let Some(policy) = policy else {
            out.push(
                Outcome::fail(
                    resource(),
                    "the account has no password policy: AWS defaults allow 8-character passwords",
                )
                .with("password_policy", serde_json::Value::Null),
            );
            return;
        };
        let problems = problems(policy, min_length, reuse, complexity);
        let outcome = if problems.is_empty() {
            Outcome::pass(resource(), "the password policy meets the policy")
        } else {
            Outcome::fail(resource(), problems.join("; "))
        };
        out.push(
            outcome
                .with("minimum_password_length", policy.minimum_password_length)
                .with(
                    "password_reuse_prevention",
                    policy.password_reuse_prevention,
                ),
        );
    })
}

fn problems(policy: &PasswordPolicy, min_length: u64, reuse: u64, complexity: bool) -> Vec<String> {
    let mut problems = Vec::new();
    if u64::from(policy.minimum_password_length) < min_length {
        problems.push(format!(
            "minimum length {} (at least {min_length})",
            policy.minimum_password_length
        ));
    }
    let remembered = u64::from(policy.password_reuse_prevention.unwrap_or(0));
    if remembered < reuse {
        problems.push(format!(
            "remembers {remembered} previous passwords (at least {reuse})"
        ));
    }
    if complexity {
        for (on, what) in [
            (policy.require_symbols, "a symbol"),
            (policy.require_numbers, "a number"),
            (policy.require_uppercase_characters, "an uppercase letter"),
            (policy.require_lowercase_characters, "a lowercase letter"),
        ] {
            if !on {
                problems.push(format!("does not require {what}"));
            }
        }
    }
    if !policy.allow_users_to_change_password {
        problems.push("users cannot change their own password".into());
    }
    problems
}
