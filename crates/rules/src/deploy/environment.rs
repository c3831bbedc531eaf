//! Environment paths: which environments pass a second person's review.
//!
//! A job that names an environment deploys only after its protection rules
//! pass. An environment is reviewed when either
//!
//! - it has required reviewers, "Prevent self-review", and administrators
//!   may not bypass its rules (by default they may, and "Start all waiting
//!   jobs" then deploys without anyone's approval); or
//! - its deployment branch policy lets only branches deploy that need
//!   `min` approvals from everyone (a branch policy is not bypassed: a job
//!   from another ref fails at once instead of waiting). "Protected
//!   branches only" admits the branches a branch protection rule matches,
//!   or every branch when the repository has none; "Selected branches and
//!   tags" admits its name patterns (Ruby's `File.fnmatch`, `*` within a
//!   segment), read as matching no fewer refs than GitHub's reading does.
//!   Tags and pull requests (`refs/pull/N/merge`) are not reviewed.

use tenet_inventory::{
    Observed,
    github::{DeploymentBranches, Environment, GithubOrg, RefKind, Repository},
};

use super::{
    Cover, Judged, PathStatus, Shape, branch_cover, gap_reason, open_unless_undecided, reviewed,
    ruleset_pattern,
};
use super::{
    nfa::{Bound, Nfa},
    search::{Formula, Found, Space, Suffix},
};
use crate::{
    branch::effective,
    environment::{Reviewers, reviewers},
    verdict::Verdict,
};

/// Whether `env` passes review, and why (or why it does not, or why that
/// is unknown).
fn assess(env: &Environment, org: &GithubOrg, repo: &Repository, min: u32) -> (Verdict, String) {
    let name = &env.name;
    let people = match reviewers(env) {
        Reviewers::None => (
            Verdict::No,
            format!("deployments to {name} need no approval"),
        ),
        Reviewers::SelfReview => (
            Verdict::No,
            format!("the person deploying to {name} may approve their own deployment"),
        ),
        Reviewers::AdminBypass => (
            Verdict::No,
            format!("administrators may bypass the required reviewers of {name}"),
        ),
        Reviewers::BypassUnknown(reason) => {
            let why =
                format!("whether administrators may bypass the reviewers of {name}: {reason}");
            (Verdict::Unknown(why.clone()), why)
        }
        Reviewers::Another => {
            return (
                Verdict::Yes,
                format!("deployments to {name} need another person's approval"),
            );
        }
    };
    let branches = deploying_branches(env, org, repo, min);
    match (people, branches) {
        (_, (Verdict::Yes, why)) => (Verdict::Yes, why),
        ((Verdict::No, people), (Verdict::No, branches)) => {
            (Verdict::No, format!("{people}, and {branches}"))
        }
        ((Verdict::Unknown(reason), _), (Verdict::No, _))
        | ((_, _), (Verdict::Unknown(reason), _)) => (Verdict::Unknown(reason.clone()), reason),
        // `people` is never `Yes` here: that returned above.
        ((Verdict::Yes, why), _) => (Verdict::Yes, why),
    }
}

/// Whether only branches that need `min` approvals from everyone may
/// deploy to `env`.
fn deploying_branches(
    env: &Environment,
    org: &GithubOrg,
    repo: &Repository,
    min: u32,
) -> (Verdict, String) {
    let unknown = |reason: String| (Verdict::Unknown(reason.clone()), reason);
    let policy = match &env.deployment_branches {
        Observed::Known(policy) => policy,
        Observed::Unavailable { reason } => {
            return unknown(format!(
                "which branches may deploy to {}: {reason}",
                env.name
            ));
        }
    };
    let mut space = Space::default();
    let admitted = match policy {
        DeploymentBranches::Any => {
            return (Verdict::No, "any branch or tag may deploy to it".into());
        }
        DeploymentBranches::Protected => match protected(&mut space, org, repo) {
            Ok(admitted) => admitted,
            Err(reason) => return unknown(reason),
        },
        DeploymentBranches::Selected(refs) => {
            if let Some(tag) = refs.iter().find(|r| r.kind == RefKind::Tag) {
                return (
                    Verdict::No,
                    format!(
                        "tags matching {} may deploy to it, and tags are not reviewed",
                        tag.pattern
                    ),
                );
            }
            if let Some(pull) = refs.iter().find(|r| admits_pull_requests(&r.pattern)) {
                return (
                    Verdict::No,
                    format!(
                        "pull requests may deploy to it (pattern {}), before anyone reviews them",
                        pull.pattern
                    ),
                );
            }
            let mut parts = Vec::new();
            for r in refs {
                for prefix in ["", "refs/heads/"] {
                    parts.push(space.test(
                        Nfa::fnmatch(&r.pattern, Bound::Around),
                        prefix,
                        Suffix::none(),
                    ));
                }
            }
            Formula::any(parts)
        }
    };
    let shaped = Formula::all(vec![admitted, Shape::RefName.formula(&mut space)]);
    let cover = branch_cover(&mut space, org, repo, min);
    let open = Formula::all(vec![shaped, cover.formula.not()]);
    let too_large = || unknown("its deployment branch policy is too large to search".into());
    let gap = match space.find(&open, Shape::RefName.certain()) {
        Found::Value(gap) => gap,
        Found::TooLarge => return too_large(),
        Found::Nothing => {
            return match space.find(&open, Shape::RefName.possible()) {
                Found::Nothing if cover.unknown.is_empty() => (
                    Verdict::Yes,
                    format!(
                        "only branches that need {min} approvals from everyone may deploy to {} \
                         (its deployment branch policy)",
                        env.name
                    ),
                ),
                Found::Nothing => unknown(cover.unknown.join("; ")),
                Found::Value(gap) => unknown(format!(
                    "only a branch such as `{gap}` may deploy to it without review, and git's \
                     rules for branch names are read loosely"
                )),
                Found::TooLarge => too_large(),
            };
        }
    };
    let rules = effective(org, repo, &gap);
    match reviewed(&rules, min) {
        Verdict::No => (
            Verdict::No,
            format!(
                "branch {gap} may deploy to it and {}",
                gap_reason(&rules, min)
            ),
        ),
        Verdict::Unknown(reason) => unknown(format!(
            "whether branch {gap}, which may deploy to it, needs review: {reason}"
        )),
        Verdict::Yes => unknown(format!(
            "tenet could not show that every branch that may deploy to it needs review; {gap}, \
             for one, does"
        )),
    }
}

/// The branches "Protected branches only" admits, read wide: those a
/// classic rule or a ruleset may match, or every branch when the
/// repository has no classic rule.
fn protected(space: &mut Space, org: &GithubOrg, repo: &Repository) -> Result<Formula, String> {
    let rules = match &repo.protection_rules {
        Observed::Known(rules) if rules.is_empty() => return Ok(Formula::Const(true)),
        Observed::Known(rules) => rules,
        Observed::Unavailable { reason } => {
            return Err(format!(
                "the repository's branch protection rules: {reason}"
            ));
        }
    };
    let mut parts: Vec<Formula> = rules
        .iter()
        .map(|rule| {
            space.test(
                Nfa::fnmatch(&rule.pattern, Bound::Around),
                "",
                Suffix::none(),
            )
        })
        .collect();
    for (level, rulesets) in [
        ("repository", &repo.rulesets),
        ("organization", &org.rulesets),
    ] {
        let Observed::Known(rulesets) = rulesets else {
            return Err(format!("the {level} rulesets are unavailable"));
        };
        for ruleset in rulesets {
            match &ruleset.conditions {
                Observed::Known(conditions) => match &conditions.ref_name {
                    Some(refs) => parts.extend(
                        refs.include
                            .iter()
                            .map(|pattern| ruleset_pattern(space, repo, pattern, Bound::Around)),
                    ),
                    None => return Ok(Formula::Const(true)),
                },
                Observed::Unavailable { .. } => return Ok(Formula::Const(true)),
            }
        }
    }
    Ok(Formula::any(parts))
}

/// Whether a "Selected branches" pattern may admit a pull request's ref
/// (`refs/pull/N/merge`), as GitHub documents for `refs/pull/*/merge`.
fn admits_pull_requests(pattern: &str) -> bool {
    let mut space = Space::default();
    let test = space.test(
        Nfa::fnmatch(pattern, Bound::Around),
        "refs/pull/",
        Suffix::text("/merge"),
    );
    !matches!(space.find(&test, |c| c.is_ascii_digit()), Found::Nothing)
}

/// The environment names whose deployments pass review, compared as
/// GitHub compares them, ignoring case; those whose review is unknown are
/// `maybe`.
pub(super) fn cover(space: &mut Space, org: &GithubOrg, repo: &Repository, min: u32) -> Cover {
    let environments = match &repo.environments {
        Observed::Known(environments) => environments,
        Observed::Unavailable { reason } => {
            return Cover {
                unknown: vec![format!("the repository's environments: {reason}")],
                ..Cover::none()
            };
        }
    };
    let mut reviewed = Vec::new();
    let mut maybe = Vec::new();
    for env in environments {
        let name = space.test(Nfa::iam(&env.name, false, true), "", Suffix::none());
        match assess(env, org, repo, min).0 {
            Verdict::Yes => reviewed.push(name),
            Verdict::No => {}
            Verdict::Unknown(reason) => maybe.push((name, reason)),
        }
    }
    Cover {
        maybe,
        witnesses: environments.iter().map(|env| env.name.clone()).collect(),
        ..Cover::of(Formula::any(reviewed))
    }
}

/// The environment of `repo` named `name`, compared as GitHub compares
/// names, ignoring case.
fn named<'r>(repo: &'r Repository, name: &str) -> Option<&'r Environment> {
    repo.environments
        .known()
        .and_then(|envs| envs.iter().find(|env| env.name.eq_ignore_ascii_case(name)))
}

/// An environment path's verdict.
pub(super) fn verdict(
    judged: &Judged,
    org: &GithubOrg,
    repo: &Repository,
    min: u32,
) -> (PathStatus, String) {
    let gap = match &judged.gap {
        Err(reason) => return (PathStatus::Undecided, reason.clone()),
        Ok(None) => {
            let example = &judged.example;
            let why = named(repo, example).map_or_else(String::new, |env| {
                format!(": {}", assess(env, org, repo, min).1)
            });
            return (
                PathStatus::Closed,
                format!("every environment the trust lets in passes review (e.g. {example}{why})"),
            );
        }
        Ok(Some(gap)) => gap,
    };
    if !judged.unknown.is_empty() {
        return (PathStatus::Undecided, judged.unknown.join("; "));
    }
    let why = match named(repo, gap) {
        Some(env) => assess(env, org, repo, min).1,
        None => "no such environment exists: a job that names it creates it, without reviewers"
            .to_owned(),
    };
    open_unless_undecided(judged, why)
}
