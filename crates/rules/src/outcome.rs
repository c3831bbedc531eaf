//! What a check returns: one outcome per resource.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// The result of a check for one resource. `waived` is not here: waivers are
/// the policy's business, applied by the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    /// The resource meets the control.
    Pass,
    /// The resource violates the control.
    Fail,
    /// Whether the resource meets the control could not be determined.
    Error,
    /// The control does not apply to the resource.
    Skipped,
}

/// The facts a finding rests on, by name. A sorted map, so that reports are
/// deterministic.
pub type Evidence = BTreeMap<String, Value>;

/// The thing a finding is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Resource {
    /// Stable id that waivers match with globs: an ARN for AWS
    /// (`arn:aws:iam::123456789012:user/alice`, `aws:123456789012` for an
    /// account); `github:<org>[/<repo>][:<kind>/<name>]` for GitHub
    /// (`github:acme`, `github:acme/api`, `github:acme:member/alice`).
    pub id: String,
    /// What kind of resource it is, e.g. `IAM user`.
    pub kind: String,
}

impl Resource {
    /// A resource with an explicit id and kind.
    pub fn new(id: impl Into<String>, kind: &str) -> Resource {
        Resource {
            id: id.into(),
            kind: kind.to_owned(),
        }
    }

    /// A repository, `github:<org>/<repo>`.
    pub fn github_repo(org: &str, repo: &str) -> Resource {
        Resource::new(format!("github:{org}/{repo}"), "GitHub repository")
    }

    /// A part of a repository, `github:<org>/<repo>:<kind>/<name>`.
    pub fn github_repo_part(org: &str, repo: &str, part: &str, name: &str, kind: &str) -> Resource {
        Resource::new(format!("github:{org}/{repo}:{part}/{name}"), kind)
    }

    /// A part of an organization, `github:<org>:<kind>/<name>`.
    pub fn github_org_part(org: &str, part: &str, name: &str, kind: &str) -> Resource {
        Resource::new(format!("github:{org}:{part}/{name}"), kind)
    }

    /// A GitHub organization.
    pub fn github_org(org: &str) -> Resource {
        Resource {
            id: format!("github:{org}"),
            kind: "GitHub organization".into(),
        }
    }

    /// A member of a GitHub organization.
    pub fn github_member(org: &str, login: &str) -> Resource {
        Resource {
            id: format!("github:{org}:member/{login}"),
            kind: "GitHub organization member".into(),
        }
    }

    /// An AWS account as a whole.
    pub fn aws_account(account_id: &str) -> Resource {
        Resource {
            id: format!("aws:{account_id}"),
            kind: "AWS account".into(),
        }
    }

    /// The root user of an AWS account.
    pub fn aws_root(account_id: &str) -> Resource {
        Resource {
            id: format!("arn:aws:iam::{account_id}:root"),
            kind: "AWS root user".into(),
        }
    }

    /// An IAM user, by ARN.
    pub fn iam_user(arn: &str) -> Resource {
        Resource {
            id: arn.to_owned(),
            kind: "IAM user".into(),
        }
    }
}

/// One check result: a status for one resource, why, and the evidence read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    /// The resource.
    pub resource: Resource,
    /// Pass, fail, error or skipped.
    pub status: CheckStatus,
    /// One sentence for a person: what was found.
    pub message: String,
    /// The facts read.
    pub evidence: Evidence,
}

impl Outcome {
    fn new(resource: Resource, status: CheckStatus, message: impl Into<String>) -> Outcome {
        Outcome {
            resource,
            status,
            message: message.into(),
            evidence: Evidence::new(),
        }
    }

    /// The resource meets the control.
    pub fn pass(resource: Resource, message: impl Into<String>) -> Outcome {
        Outcome::new(resource, CheckStatus::Pass, message)
    }

    /// The resource violates the control.
    pub fn fail(resource: Resource, message: impl Into<String>) -> Outcome {
        Outcome::new(resource, CheckStatus::Fail, message)
    }

    /// The control could not be evaluated for the resource because `fact`
    /// was unavailable for `reason`. The reason is kept as evidence.
    pub fn unavailable(resource: Resource, fact: &str, reason: &str) -> Outcome {
        Outcome::new(
            resource,
            CheckStatus::Error,
            format!("could not determine {fact}: {reason}"),
        )
        .with("unavailable", reason)
    }

    /// The control does not apply to the resource.
    pub fn skipped(resource: Resource, message: impl Into<String>) -> Outcome {
        Outcome::new(resource, CheckStatus::Skipped, message)
    }

    /// Adds one piece of evidence.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Outcome {
        self.evidence.insert(key.to_owned(), value.into());
        self
    }

    /// Marks a pass as an exception the policy grants: the resource would
    /// fail but matches `entries`, patterns of the control's allow-list
    /// `parameter`. Reports show it as allow-listed, not as a plain pass,
    /// and name the entries' owners (evidence [`ALLOWLISTED_BY`] and
    /// [`ALLOWLIST_ENTRIES`]).
    pub fn allowlisted(self, parameter: &str, entries: Vec<String>) -> Outcome {
        self.with(ALLOWLISTED_BY, parameter)
            .with(ALLOWLIST_ENTRIES, entries)
    }
}

/// The evidence key of a pass the policy's allow-list grants: its value is
/// the control parameter that lists the resource.
pub const ALLOWLISTED_BY: &str = "allowlisted_by";

/// The evidence key of the allow-list's patterns that granted a pass.
pub const ALLOWLIST_ENTRIES: &str = "allowlist_entries";
