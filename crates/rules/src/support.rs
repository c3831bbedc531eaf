//! Helpers shared by the checks: walking the snapshot, turning unavailable
//! facts into error outcomes, glob lists.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use tenet_inventory::{
    Observed, Period,
    aws::{AwsAccount, AwsRegion, IamUser},
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

/// Runs `check` for every in-scope repository with the snapshot's audit
/// period, for a control that judges what happened in it (`fact`, e.g. the
/// changes of the audit period): a snapshot without a period is an error
/// per repository, naming `fact`; every outcome names the period.
pub(crate) fn each_repo_in_period(
    cx: &Context<'_>,
    fact: &str,
    mut check: impl FnMut(&GithubOrg, &Repository, Period, &mut Vec<Outcome>),
) -> Vec<Outcome> {
    let period = cx.snapshot.period;
    each_repo(cx, |org, repo, out| match period {
        Some(period) => check(org, repo, period, out),
        None => out.push(Outcome::unavailable(
            Resource::github_repo(&org.login, &repo.name),
            fact,
            "the snapshot records no audit period: collect it with this tenet (--from/--to)",
        )),
    })
    .into_iter()
    .map(|outcome| match period {
        Some(Period { from, to }) => outcome.with("period", format!("{from} to {to}")),
        None => outcome,
    })
    .collect()
}

/// Runs `check` for every AWS account.
pub(crate) fn each_account<'a>(
    cx: &Context<'a>,
    mut check: impl FnMut(&'a AwsAccount, &mut Vec<Outcome>),
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
        for user in users_of(account, out) {
            check(account, user, out);
        }
    })
}

/// The IAM users of `account`; none, with one error outcome, when they
/// could not be listed.
pub(crate) fn users_of<'a>(account: &'a AwsAccount, out: &mut Vec<Outcome>) -> &'a [IamUser] {
    known(
        &account.users,
        out,
        || Resource::aws_account(&account.account_id),
        "the account's IAM users",
    )
    .map_or(&[], Vec::as_slice)
}

/// Runs `check` for every region read of every account; an account whose
/// regions could not be listed is one error.
pub(crate) fn each_region(
    cx: &Context<'_>,
    mut check: impl FnMut(&AwsAccount, &AwsRegion, &mut Vec<Outcome>),
) -> Vec<Outcome> {
    each_account(cx, |account, out| {
        let Some(regions) = known(
            &account.regions,
            out,
            || Resource::aws_account(&account.account_id),
            "the account's regions",
        ) else {
            return;
        };
        for region in regions {
            check(account, region, out);
        }
    })
}

/// Globs compiled once into one set, matched in one pass (`*` matches
/// across `/`). Patterns come from the policy, whose validator rejects
/// invalid or oversized ones first; should the set still not compile, it
/// matches nothing (an allow-list then exempts no one), and it never panics.
pub(crate) struct Globs {
    set: GlobSet,
    /// The patterns of `set`, in its order.
    patterns: Vec<String>,
}

impl Globs {
    /// The set of `patterns`.
    pub fn new(patterns: &[String]) -> Globs {
        Globs::build(patterns, false)
    }

    /// The set of `patterns`, ignoring ASCII case.
    pub fn ignoring_case(patterns: &[String]) -> Globs {
        Globs::build(patterns, true)
    }

    fn build(patterns: &[String], case_insensitive: bool) -> Globs {
        let mut set = GlobSetBuilder::new();
        let mut built = Vec::new();
        for pattern in patterns {
            if let Ok(glob) = GlobBuilder::new(pattern)
                .literal_separator(false)
                .case_insensitive(case_insensitive)
                .build()
            {
                set.add(glob);
                built.push(pattern.clone());
            }
        }
        match set.build() {
            Ok(set) => Globs {
                set,
                patterns: built,
            },
            Err(_) => Globs {
                set: GlobSet::empty(),
                patterns: Vec::new(),
            },
        }
    }

    /// Whether `text` matches any of the globs.
    pub fn is_match(&self, text: &str) -> bool {
        self.set.is_match(text)
    }

    /// The patterns `text` matches, in the order given.
    pub fn matching(&self, text: &str) -> Vec<String> {
        self.set
            .matches(text)
            .into_iter()
            .filter_map(|index| self.patterns.get(index).cloned())
            .collect()
    }
}

/// A commit's short SHA, as GitHub shows it.
pub(crate) fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}
