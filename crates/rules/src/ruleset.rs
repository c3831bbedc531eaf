//! Whether a ruleset applies to a branch of a repository, decided as GitHub
//! decides it, or undetermined with the reason.
//!
//! GitHub applies an active branch ruleset to a branch when every condition
//! it has holds: the ref condition (`ref_name`) and, for an organization
//! ruleset, its repository condition (`repository_name`, `repository_id` or
//! `repository_property`). Patterns are matched with GitHub's `fnmatch`
//! ([`crate::fnmatch`]); a condition, pattern or property tenet cannot
//! decide makes the answer [`Verdict::Unknown`], never a guess either way.

use tenet_inventory::{
    Observed,
    github::{
        Enforcement, PropertyTarget, PropertyValue, RefNameCondition, Repository,
        RepositoryIdCondition, RepositoryNameCondition, RepositoryPropertyCondition, Ruleset,
        RulesetConditions, RulesetSource,
    },
};

use crate::{
    fnmatch::{NameKind, PatternMatch, github_match},
    verdict::Verdict,
};

/// Whether `ruleset` applies to `branch` of `repo`.
pub(crate) fn applies(ruleset: &Ruleset, repo: &Repository, branch: &str) -> Verdict {
    let conditions = match evaluable(ruleset) {
        Ok(conditions) => conditions,
        Err(verdict) => return verdict,
    };
    match refs(conditions.ref_name.as_ref(), repo, branch)
        .and(|| repository(ruleset, conditions, repo))
    {
        Verdict::Unknown(reason) => {
            Verdict::Unknown(format!("ruleset \"{}\": {reason}", ruleset.name))
        }
        decided => decided,
    }
}

/// The conditions of `ruleset` when it is an active branch ruleset whose
/// repository conditions hold for `repo`, whatever branches it targets;
/// otherwise `No`, or why it is undetermined.
pub(crate) fn targets_repository<'r>(
    ruleset: &'r Ruleset,
    repo: &Repository,
) -> Result<&'r RulesetConditions, Verdict> {
    let conditions = evaluable(ruleset)?;
    match repository(ruleset, conditions, repo) {
        Verdict::Yes => Ok(conditions),
        other => Err(other),
    }
}

/// The conditions of an active branch ruleset, when tenet evaluates every
/// one of them; otherwise `No` (not active, not on branches), or why it is
/// undetermined.
fn evaluable(ruleset: &Ruleset) -> Result<&RulesetConditions, Verdict> {
    if ruleset.enforcement != Enforcement::Active || ruleset.target != "branch" {
        return Err(Verdict::No);
    }
    match &ruleset.conditions {
        Observed::Known(conditions) if conditions.other.is_empty() => Ok(conditions),
        Observed::Known(conditions) => Err(Verdict::Unknown(format!(
            "ruleset \"{}\" has conditions tenet does not evaluate: {}",
            ruleset.name,
            conditions.other.join(", ")
        ))),
        Observed::Unavailable { reason } => Err(Verdict::Unknown(format!(
            "the conditions of ruleset \"{}\" are unavailable: {reason}",
            ruleset.name
        ))),
    }
}

/// The `ref_name` condition for `refs/heads/<branch>`. A ruleset without
/// one targets no branch, as GitHub shows it ("does not target any
/// resources").
fn refs(condition: Option<&RefNameCondition>, repo: &Repository, branch: &str) -> Verdict {
    let Some(condition) = condition else {
        return Verdict::No;
    };
    let full = format!("refs/heads/{branch}");
    let is_default = repo.default_branch.as_deref() == Some(branch);
    let one = |pattern: &String| match pattern.as_str() {
        "~ALL" => Verdict::Yes,
        "~DEFAULT_BRANCH" => Verdict::from_bool(is_default),
        special if special.starts_with('~') => Verdict::Unknown(format!(
            "the ref pattern `{special}` is not one GitHub documents"
        )),
        short if !short.starts_with("refs/") => {
            // GitHub matches patterns against full ref names; whether it
            // also reads one without `refs/heads/` as a branch name is not
            // documented, so both readings must agree.
            match (
                pattern_verdict(short, &full, NameKind::Ref),
                pattern_verdict(short, branch, NameKind::Ref),
            ) {
                (a, b) if a == b => a,
                (Verdict::Unknown(reason), _) | (_, Verdict::Unknown(reason)) => {
                    Verdict::Unknown(reason)
                }
                _ => Verdict::Unknown(format!(
                    "GitHub's documentation does not say whether the ref pattern `{short}`, \
                     which lacks `refs/heads/`, matches the branch `{branch}`"
                )),
            }
        }
        pattern => pattern_verdict(pattern, &full, NameKind::Ref),
    };
    let included = Verdict::any(condition.include.iter().map(one));
    included.and(|| Verdict::any(condition.exclude.iter().map(one)).not())
}

/// A GitHub pattern match as a verdict.
fn pattern_verdict(pattern: &str, name: &str, kind: NameKind) -> Verdict {
    match github_match(pattern, name, kind) {
        PatternMatch::Matches => Verdict::Yes,
        PatternMatch::DoesNotMatch => Verdict::No,
        PatternMatch::Undetermined { reason } => Verdict::Unknown(reason),
    }
}

/// The repository conditions. An organization ruleset must have one; a
/// repository ruleset applies to its own repository, and any repository
/// condition GitHub nevertheless reports on it must hold too.
fn repository(ruleset: &Ruleset, conditions: &RulesetConditions, repo: &Repository) -> Verdict {
    let mut verdicts = Vec::new();
    if let Some(condition) = &conditions.repository_name {
        verdicts.push(by_name(condition, repo));
    }
    if let Some(condition) = &conditions.repository_id {
        verdicts.push(by_id(condition, repo));
    }
    if let Some(condition) = &conditions.repository_property {
        verdicts.push(by_property(condition, repo));
    }
    if verdicts.is_empty() && ruleset.source == RulesetSource::Organization {
        return Verdict::Unknown(
            "GitHub reported no repository condition for this organization ruleset".into(),
        );
    }
    Verdict::all(verdicts)
}

/// `repository_name`: one include pattern (or `~ALL`) matches and no
/// exclude pattern does.
fn by_name(condition: &RepositoryNameCondition, repo: &Repository) -> Verdict {
    let one = |pattern: &String| match pattern.as_str() {
        "~ALL" => Verdict::Yes,
        special if special.starts_with('~') => Verdict::Unknown(format!(
            "the repository pattern `{special}` is not one GitHub documents"
        )),
        pattern => pattern_verdict(pattern, &repo.name, NameKind::Repository),
    };
    Verdict::any(condition.include.iter().map(one))
        .and(|| Verdict::any(condition.exclude.iter().map(one)).not())
}

/// `repository_id`: the repository is one of the ids, in either of the
/// forms GitHub gives them (REST database ids, GraphQL node ids).
fn by_id(condition: &RepositoryIdCondition, repo: &Repository) -> Verdict {
    match &repo.ids {
        Observed::Known(ids) => {
            let database_id = ids.database_id.to_string();
            Verdict::from_bool(
                condition
                    .repository_ids
                    .iter()
                    .any(|id| *id == ids.node_id || *id == database_id),
            )
        }
        Observed::Unavailable { reason } => Verdict::Unknown(format!(
            "it targets repositories by id, and the id of {} is unavailable: {reason}",
            repo.name
        )),
    }
}

/// `repository_property`: every included property matches and no excluded
/// one does.
fn by_property(condition: &RepositoryPropertyCondition, repo: &Repository) -> Verdict {
    if condition.include.is_empty() {
        return Verdict::Unknown(
            "its repository_property condition includes no property, and GitHub's \
             documentation does not say what that targets"
                .into(),
        );
    }
    let values = match &repo.custom_properties {
        Observed::Known(values) => values,
        Observed::Unavailable { reason } => {
            return Verdict::Unknown(format!(
                "it targets repositories by custom property, and the properties of {} are \
                 unavailable: {reason}",
                repo.name
            ));
        }
    };
    let one = |target: &PropertyTarget| property_matches(target, values, &repo.name);
    Verdict::all(condition.include.iter().map(one))
        .and(|| Verdict::any(condition.exclude.iter().map(one)).not())
}

/// Whether one property target matches the repository's value.
fn property_matches(
    target: &PropertyTarget,
    values: &[tenet_inventory::github::CustomPropertyValue],
    repo: &str,
) -> Verdict {
    if target.source != "custom" {
        return Verdict::Unknown(format!(
            "it targets repositories by the {} property `{}`, which tenet does not read",
            if target.source.is_empty() {
                "unnamed-source"
            } else {
                &target.source
            },
            target.name
        ));
    }
    let Some(entry) = values.iter().find(|v| v.property_name == target.name) else {
        return Verdict::Unknown(format!(
            "GitHub listed no value of the custom property `{}` for {repo}",
            target.name
        ));
    };
    let selected: Vec<&str> = match &entry.value {
        None => return Verdict::No,
        Some(PropertyValue::Single(value)) => vec![value.as_str()],
        Some(PropertyValue::Multiple(values)) => values.iter().map(String::as_str).collect(),
    };
    let wanted = &target.property_values;
    if selected.iter().any(|v| wanted.iter().any(|w| w == v)) {
        return Verdict::Yes;
    }
    if selected
        .iter()
        .any(|v| wanted.iter().any(|w| w.eq_ignore_ascii_case(v)))
    {
        return Verdict::Unknown(format!(
            "the custom property `{}` of {repo} differs from the ruleset's values only in case, \
             and GitHub's documentation does not say whether property values are compared \
             ignoring case",
            target.name
        ));
    }
    Verdict::No
}

#[cfg(test)]
mod tests;
