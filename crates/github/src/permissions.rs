//! The permission each request needs, named in unavailable reasons. The
//! permission table of `docs/github.md` is the same list; where GitHub's
//! documentation names no permission (GraphQL, owner-only fields), that page
//! says what is assumed.

use std::fmt;

/// What a request needs, for each kind of credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Needs {
    /// Classic personal access token: scope, and role where one is needed.
    pub classic: &'static str,
    /// Fine-grained token and GitHub App permission.
    pub fine_grained: &'static str,
}

impl fmt::Display for Needs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (classic token), {} (fine-grained token or GitHub App)",
            self.classic, self.fine_grained
        )
    }
}

/// `GET /orgs/{org}`: the owner-only settings. GitHub documents the owner
/// role and `admin:org`; the fine-grained and App permission is assumed.
pub(crate) const ORG_SETTINGS: Needs = Needs {
    classic: "admin:org as an organization owner (read:org is not enough)",
    fine_grained: "organization Administration: read, as an organization owner",
};

/// Member and outside-collaborator listings.
pub(crate) const ORG_MEMBERS: Needs = Needs {
    classic: "read:org",
    fine_grained: "organization Members: read",
};

/// `filter=2fa_disabled`: owners only (documented for members). GitHub names
/// no classic scope for it; `admin:org` is assumed.
pub(crate) const ORG_MEMBERS_2FA: Needs = Needs {
    classic: "admin:org as an organization owner",
    fine_grained: "organization Members: read, as an organization owner",
};

/// Organization webhooks: owners only.
pub(crate) const ORG_HOOKS: Needs = Needs {
    classic: "admin:org_hook as an organization owner",
    fine_grained: "organization Webhooks: read, as an organization owner",
};

/// Organization Actions workflow settings, and the organization rulesets
/// (GraphQL: assumed; REST documents Administration: write for them).
pub(crate) const ORG_ADMIN: Needs = Needs {
    classic: "admin:org as an organization owner",
    fine_grained: "organization Administration: read",
};

/// `GET /orgs/{org}/rulesets/{id}` with its bypass actors: GitHub shows
/// them only to credentials with write access to the ruleset.
pub(crate) const ORG_RULESET_BYPASS: Needs = Needs {
    classic: "admin:org as an organization owner",
    fine_grained: "organization Administration: write",
};

/// Custom property values of the organization's repositories
/// (`GET /orgs/{org}/properties/values`; the classic scope is assumed).
pub(crate) const ORG_PROPERTIES: Needs = Needs {
    classic: "read:org",
    fine_grained: "organization Custom properties: read",
};

/// Repository discovery and the GraphQL repository details (branch
/// protection, rulesets): the permissions of the REST equivalents.
pub(crate) const REPO_READ: Needs = Needs {
    classic: "repo",
    fine_grained: "repository Metadata: read and Administration: read",
};

/// Outside collaborators of a repository (push access).
pub(crate) const REPO_COLLABORATORS: Needs = Needs {
    classic: "repo and read:org, with push access to the repository",
    fine_grained: "repository Metadata: read, with push access",
};

/// Deployment environments (`GET /repos/{owner}/{repo}/environments` needs
/// Actions, not Environments, which covers environment secrets and variables).
pub(crate) const REPO_ENVIRONMENTS: Needs = Needs {
    classic: "repo",
    fine_grained: "repository Actions: read",
};

/// Repository webhooks.
pub(crate) const REPO_HOOKS: Needs = Needs {
    classic: "read:repo_hook (or repo)",
    fine_grained: "repository Webhooks: read",
};

/// Repository administration facts: deploy keys, Dependabot alerts, Actions,
/// and `security_and_analysis` (shown to administrators; its fine-grained and
/// App permission is assumed).
pub(crate) const REPO_ADMIN: Needs = Needs {
    classic: "repo, as a repository administrator",
    fine_grained: "repository Administration: read",
};

/// How a repository's Actions OIDC subject is made (`GET
/// /repos/{owner}/{repo}/actions/oidc/customization/sub`).
pub(crate) const REPO_OIDC_SUBJECT: Needs = Needs {
    classic: "repo",
    fine_grained: "repository Actions: read",
};

/// The organization's OIDC subject template, which a repository that is
/// customized without claim keys follows (GitHub's current reference names
/// `read:org`; an older page asked GitHub Apps for Administration: write).
pub(crate) const ORG_OIDC_SUBJECT: Needs = Needs {
    classic: "read:org",
    fine_grained: "organization Administration: read",
};

/// The organization's code security configurations and the repositories
/// attached to each (GitHub's current reference; older pages said
/// `write:org` and Administration: write).
pub(crate) const ORG_CODE_SECURITY: Needs = Needs {
    classic: "read:org, as an organization owner or security manager",
    fine_grained: "organization Administration: read, as an organization owner or security manager",
};

/// A repository's code scanning analyses.
pub(crate) const REPO_CODE_SCANNING: Needs = Needs {
    classic: "security_events (public_repo for public repositories only)",
    fine_grained: "repository Code scanning alerts: read",
};

/// The organization's open Dependabot alerts.
pub(crate) const ORG_DEPENDABOT_ALERTS: Needs = Needs {
    classic: "security_events, as an organization owner or security manager",
    fine_grained: "repository Dependabot alerts: read, as an organization owner or security manager",
};

/// The organization's open code scanning alerts.
pub(crate) const ORG_CODE_SCANNING_ALERTS: Needs = Needs {
    classic: "security_events (or repo), as an organization owner or security manager",
    fine_grained: "repository Code scanning alerts: read, as an organization owner or security manager",
};

/// The organization's open secret scanning alerts.
pub(crate) const ORG_SECRET_SCANNING_ALERTS: Needs = Needs {
    classic: "repo (or security_events), as an organization owner or security manager",
    fine_grained: "repository Secret scanning alerts: read, as an organization owner or security manager",
};

/// The history of a branch and the pull requests and reviews behind each
/// commit (GraphQL; the permissions of the REST equivalents, `GET
/// /repos/{owner}/{repo}/commits` and `GET
/// /repos/{owner}/{repo}/pulls/{pull_number}/reviews`).
pub(crate) const REPO_CHANGES: Needs = Needs {
    classic: "repo",
    fine_grained: "repository Contents: read and Pull requests: read",
};

/// `GET /repos/{owner}/{repo}/activity`: who pushed each pull request's
/// head. GitHub's permission data lists it under Contents: read; no classic
/// scope is documented, so `repo` (which reads a private repository's
/// contents) is assumed.
pub(crate) const REPO_ACTIVITY: Needs = Needs {
    classic: "repo",
    fine_grained: "repository Contents: read",
};

/// `GET /repos/{owner}/{repo}/rulesets/rule-suites`: the pushes that
/// bypassed a rule. GitHub's current permission data lists it under
/// repository Administration: read (older pages said write); no classic
/// scope is documented, so `repo` is assumed.
pub(crate) const REPO_RULE_SUITES: Needs = Needs {
    classic: "repo",
    fine_grained: "repository Administration: read",
};

/// The deployments of a repository's production environments, the check
/// runs of each deployed commit (which job made the deployment) and the
/// environment reviews of that job's workflow run (GraphQL; the
/// permissions of the REST equivalents, `GET /repos/{owner}/{repo}/deployments`,
/// `GET /repos/{owner}/{repo}/commits/{ref}/check-suites` and `GET
/// /repos/{owner}/{repo}/actions/runs/{run_id}/approvals`), and who started
/// that run and its attempts (REST `GET
/// /repos/{owner}/{repo}/actions/runs/{run_id}` and `…/attempts/{n}`,
/// Actions: read).
pub(crate) const REPO_DEPLOYMENTS: Needs = Needs {
    classic: "repo",
    fine_grained: "repository Deployments: read, Checks: read and Actions: read",
};
