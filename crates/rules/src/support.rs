//! Helpers shared by the checks: walking the snapshot, turning unavailable
//! facts into error outcomes, glob lists.

use globset::GlobBuilder;
use tenet_inventory::{
    Observed,
    aws::{AwsAccount, IamUser},
    github::{GithubOrg, Repository},
};

use crate::{Context, Outcome, Resource};

/// The value of a fact, or `None` after pushing an error outcome for
/// `resource` that names the fact and the reason it is unavailable.
pub(crate) fn known<'a, T>(
    fact: &'a Observed<T>,
    out: &mut Vec<Outcome>,
    resource: impl FnOnce() -> Resource,
    what: &str,
) -> Option<&'a T> {
    match fact {
        Observed::Known(value) => Some(value),
        Observed::Unavailable { reason } => {
            out.push(Outcome::unavailable(resource(), what, reason));
            None
        }
    }
}

/// The outcome of a check whose parameters could not be read (a catalog
/// bug: see [`crate::Params::typed`]).
pub(crate) fn parameter_error(reason: &str) -> Vec<Outcome> {
    vec![Outcome::unavailable(
        Resource::new("policy", "tenet policy"),
        "the control's parameters",
        reason,
    )]
}

/// Runs `check` for every organization.
pub(crate) fn each_org(
    cx: &Context<'_>,
    mut check: impl FnMut(&GithubOrg, &mut Vec<Outcome>),
) -> Vec<Outcome> {
    let mut out = Vec::new();
    for org in &cx.snapshot.github {
        check(org, &mut out);
    }
    out
}

/// Runs `check` for every in-scope repository of every organization; an
/// organization whose repositories could not be listed is one error.
pub(crate) fn each_repo(
    cx: &Context<'_>,
    mut check: impl FnMut(&GithubOrg, &Repository, &mut Vec<Outcome>),
) -> Vec<Outcome> {
    each_org(cx, |org, out| {
        let Some(repos) = known(
            &org.repositories,
            out,
            || Resource::github_org(&org.login),
            "the organization's repositories",
        ) else {
            return;
        };
        for repo in repos {
            check(org, repo, out);
        }
    })
}

/// Runs `check` for every AWS account.
pub(crate) fn each_account(
    cx: &Context<'_>,
    mut check: impl FnMut(&AwsAccount, &mut Vec<Outcome>),
) -> Vec<Outcome> {
    let mut out = Vec::new();
    for account in &cx.snapshot.aws {
        check(account, &mut out);
    }
    out
}

/// Runs `check` for every IAM user of every account; an account whose users
/// could not be listed is one error.
pub(crate) fn each_user(
    cx: &Context<'_>,
    mut check: impl FnMut(&AwsAccount, &IamUser, &mut Vec<Outcome>),
) -> Vec<Outcome> {
    each_account(cx, |account, out| {
        let Some(users) = known(
            &account.users,
            out,
            || Resource::aws_account(&account.account_id),
            "the account's IAM users",
        ) else {
            return;
        };
        for user in users {
            check(account, user, out);
        }
    })
}

/// Whether `text` matches any of the globs (`*` matches across `/`). An
/// invalid glob matches nothing; the policy validator rejects them first.
pub(crate) fn matches_any(patterns: &[String], text: &str) -> bool {
    patterns.iter().any(|pattern| {
        GlobBuilder::new(pattern)
            .literal_separator(false)
            .build()
            .is_ok_and(|glob| glob.compile_matcher().is_match(text))
    })
}

/// Like [`matches_any`], ignoring ASCII case.
pub(crate) fn matches_any_ignore_case(patterns: &[String], text: &str) -> bool {
    patterns.iter().any(|pattern| {
        GlobBuilder::new(pattern)
            .literal_separator(false)
            .case_insensitive(true)
            .build()
            .is_ok_and(|glob| glob.compile_matcher().is_match(text))
    })
}
