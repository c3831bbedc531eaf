//! The `sub` claim of a repository's tokens, kind by kind: GitHub's default
//! template (`repo:OWNER/REPO:<context>`, or with the owner's and the
//! repository's immutable ids) or a customized one, which GitHub makes of
//! its claim keys in order, each as `key:value` (`context` as its value
//! alone), joined by `:`.

use tenet_inventory::github::Visibility;

use super::{Via, claims::Claim, search::Suffix};

/// How a repository's subjects are made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// The default template, after this prefix (`repo:acme/app`).
    Default(String),
    /// A customized template of these claim keys.
    Custom(Vec<String>),
}

/// What tenet knows of one repository for its customized subjects.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Repo<'a> {
    /// The owner's login.
    pub owner: &'a str,
    /// The owner's id, when known.
    pub owner_id: Option<u64>,
    /// The repository's name.
    pub name: &'a str,
    /// Its id, when known.
    pub id: Option<u64>,
    /// Who may see it.
    pub visibility: Visibility,
    /// Its subjects name the owner and the repository with their ids.
    pub immutable: Option<bool>,
}

/// The claims GitHub may put in a customized subject whose values the
/// workflow run decides (its trigger, actor, workflow files, run): tenet
/// reads them as any value.
const RUN_CLAIMS: [&str; 20] = [
    "actor",
    "actor_id",
    "base_ref",
    "check_run_id",
    "enterprise",
    "enterprise_id",
    "event_name",
    "head_ref",
    "job_workflow_ref",
    "job_workflow_sha",
    "ref_protected",
    "run_attempt",
    "run_id",
    "run_number",
    "runner_environment",
    "sha",
    "workflow",
    "workflow_ref",
    "workflow_sha",
    "ref_type",
];

/// One piece of a subject.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    /// This text.
    Text(String),
    /// The value searched for.
    Value,
    /// Whatever the run makes it.
    Any,
}

/// The `sub` claim of the tokens of kind `via`, or why tenet cannot tell.
pub(crate) fn subject(format: &Format, via: Via, repo: Repo<'_>) -> Result<Claim, String> {
    match format {
        Format::Default(prefix) => Ok(match via {
            Via::Branch => template(format!("{prefix}:ref:refs/heads/"), Suffix::none()),
            Via::Tag => template(format!("{prefix}:ref:refs/tags/"), Suffix::none()),
            Via::Environment => template(format!("{prefix}:environment:"), Suffix::none()),
            _ => Claim::Known(format!("{prefix}:pull_request")),
        }),
        Format::Custom(keys) => {
            let mut parts = Vec::new();
            for (index, key) in keys.iter().enumerate() {
                if index > 0 {
                    parts.push(Part::Text(":".into()));
                }
                if key != "context" {
                    parts.push(Part::Text(format!("{key}:")));
                }
                parts.extend(value(key, via, repo)?);
            }
            assemble(parts).ok_or_else(|| {
                format!(
                    "its customized subject ({}) puts a value the run decides before others, \
                     which tenet does not judge yet",
                    keys.join(", ")
                )
            })
        }
    }
}

/// The value of claim `key` in a token of kind `via`.
fn value(key: &str, via: Via, repo: Repo<'_>) -> Result<Vec<Part>, String> {
    let text = |text: String| Ok(vec![Part::Text(text)]);
    let around = |before: &str, after: &str| {
        Ok(vec![
            Part::Text(before.to_owned()),
            Part::Value,
            Part::Text(after.to_owned()),
        ])
    };
    let unknown = |what: &str| Err(format!("its customized subject names {key}, {what}"));
    match (key, via) {
        ("repo", _) if repo.immutable == Some(true) => unknown(
            "whose form with immutable ids GitHub does not document for customized subjects",
        ),
        ("repo" | "repository", _) => text(format!("{}/{}", repo.owner, repo.name)),
        ("repository_owner", _) => text(repo.owner.to_owned()),
        ("repository_owner_id", _) => match repo.owner_id {
            Some(id) => text(id.to_string()),
            None => unknown("and the organization's id was not collected"),
        },
        ("repository_id", _) => match repo.id {
            Some(id) => text(id.to_string()),
            None => unknown("and the repository's id was not collected"),
        },
        ("repository_visibility", _) => text(
            match repo.visibility {
                Visibility::Public => "public",
                Visibility::Internal => "internal",
                Visibility::Private => "private",
            }
            .to_owned(),
        ),
        ("context", Via::Branch) => around("ref:refs/heads/", ""),
        ("context", Via::Tag) => around("ref:refs/tags/", ""),
        ("context", Via::Environment) => around("environment:", ""),
        ("context", _) => text("pull_request".into()),
        ("ref", Via::Branch) => around("refs/heads/", ""),
        ("ref", Via::Tag) => around("refs/tags/", ""),
        ("ref", Via::PullRequest) => around("refs/pull/", "/merge"),
        ("ref", _) => Ok(vec![Part::Any]),
        ("environment", Via::Environment) => around("", ""),
        ("environment", _) => {
            unknown("and GitHub does not document what it writes for a job without an environment")
        }
        (claim, _) if RUN_CLAIMS.contains(&claim) => Ok(vec![Part::Any]),
        _ => unknown("a claim tenet does not know"),
    }
}

/// The claim the parts make: `None` when the run decides a value before
/// the end, or the value searched for appears twice.
fn assemble(parts: Vec<Part>) -> Option<Claim> {
    let mut merged: Vec<Part> = Vec::new();
    for part in parts {
        match (merged.last_mut(), part) {
            (Some(Part::Text(last)), Part::Text(text)) => last.push_str(&text),
            (_, Part::Text(text)) if text.is_empty() => {}
            (_, part) => merged.push(part),
        }
    }
    let open = merged.last() == Some(&Part::Any);
    if open {
        merged.pop();
    }
    if merged.contains(&Part::Any) || merged.iter().filter(|p| **p == Part::Value).count() > 1 {
        return None;
    }
    let text_of = |parts: &[Part]| -> String {
        parts
            .iter()
            .map(|part| match part {
                Part::Text(text) => text.as_str(),
                _ => "",
            })
            .collect()
    };
    Some(match merged.iter().position(|part| *part == Part::Value) {
        Some(at) => template(
            text_of(&merged[..at]),
            Suffix {
                text: text_of(&merged[at + 1..]),
                open,
            },
        ),
        None if open => Claim::OpenEnded(text_of(&merged)),
        None => Claim::Known(text_of(&merged)),
    })
}

fn template(prefix: String, suffix: Suffix) -> Claim {
    Claim::Template { prefix, suffix }
}

/// The subject of the example token: the claim with `example` for the
/// value searched for, `…` where the run decides the rest.
pub(crate) fn spell(claim: &Claim, example: &str) -> String {
    match claim {
        Claim::Known(text) => text.clone(),
        Claim::OpenEnded(text) => format!("{text}…"),
        Claim::Template { prefix, suffix } => format!(
            "{prefix}{example}{}{}",
            suffix.text,
            if suffix.open { "…" } else { "" }
        ),
        Claim::Chosen { .. } | Claim::Absent => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: Repo<'static> = Repo {
        owner: "acme",
        owner_id: Some(1000),
        name: "app",
        id: Some(2000),
        visibility: Visibility::Private,
        immutable: Some(false),
    };

    fn custom(keys: &[&str], via: Via) -> Result<String, String> {
        let format = Format::Custom(keys.iter().map(|key| (*key).to_owned()).collect());
        subject(&format, via, APP).map(|claim| spell(&claim, "V"))
    }

    #[test]
    fn customized_subjects_are_made_of_their_claims_in_order() {
        let cases: [(&[&str], Via, &str); 6] = [
            (
                &["repo", "context"],
                Via::Branch,
                "repo:acme/app:ref:refs/heads/V",
            ),
            (
                &["repo", "context", "job_workflow_ref"],
                Via::Environment,
                "repo:acme/app:environment:V:job_workflow_ref:…",
            ),
            (
                &["repository_owner_id", "repository_id", "context"],
                Via::PullRequest,
                "repository_owner_id:1000:repository_id:2000:pull_request",
            ),
            (
                &["repository_owner", "repository_visibility", "ref"],
                Via::Tag,
                "repository_owner:acme:repository_visibility:private:ref:refs/tags/V",
            ),
            (
                &["repo", "ref"],
                Via::PullRequest,
                "repo:acme/app:ref:refs/pull/V/merge",
            ),
            (
                &["repo", "workflow"],
                Via::Branch,
                "repo:acme/app:workflow:…",
            ),
        ];
        for (keys, via, expected) in cases {
            assert_eq!(
                custom(keys, via).as_deref(),
                Ok(expected),
                "{keys:?} {via:?}"
            );
        }
    }

    #[test]
    fn what_tenet_cannot_spell_is_an_error() {
        for (keys, via) in [
            (&["workflow", "repo"][..], Via::Branch),
            (&["context", "ref"][..], Via::Branch),
            (&["repo", "environment"][..], Via::Branch),
            (&["repo", "colour"][..], Via::Branch),
        ] {
            assert!(custom(keys, via).is_err(), "{keys:?}");
        }
    }
}
