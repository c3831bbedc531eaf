//! The permission each request needs, named in unavailable reasons. The
//! README's permission table is the same list.

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

/// `GET /orgs/{org}`: the owner-only settings.
pub(crate) const ORG_SETTINGS: Needs = Needs {
    classic: "admin:org as an organization owner (read:org is not enough)",
    fine_grained: "organization Administration: read",
};

/// Member and outside-collaborator listings.
pub(crate) const ORG_MEMBERS: Needs = Needs {
    classic: "read:org",
    fine_grained: "organization Members: read",
};

/// `filter=2fa_disabled`: owners only.
pub(crate) const ORG_MEMBERS_2FA: Needs = Needs {
    classic: "admin:org as an organization owner (read:org is not enough to see 2FA status)",
    fine_grained: "organization Members: read, as an organization owner",
};

/// Organization webhooks.
pub(crate) const ORG_HOOKS: Needs = Needs {
    classic: "admin:org_hook",
    fine_grained: "organization Webhooks: read",
};

/// Organization rulesets and Actions workflow settings.
pub(crate) const ORG_ADMIN: Needs = Needs {
    classic: "admin:org",
    fine_grained: "organization Administration: read",
};

/// Repository discovery and the GraphQL repository details.
pub(crate) const REPO_READ: Needs = Needs {
    classic: "repo",
    fine_grained: "repository Metadata: read and Administration: read",
};

/// Outside collaborators of a repository (push access).
pub(crate) const REPO_COLLABORATORS: Needs = Needs {
    classic: "repo, with push access to the repository",
    fine_grained: "repository Metadata: read, with push access",
};

/// Deployment environments.
pub(crate) const REPO_ENVIRONMENTS: Needs = Needs {
    classic: "repo",
    fine_grained: "repository Environments: read",
};

/// Repository webhooks.
pub(crate) const REPO_HOOKS: Needs = Needs {
    classic: "read:repo_hook",
    fine_grained: "repository Webhooks: read",
};

/// Repository administration facts: deploy keys, security settings, Actions.
pub(crate) const REPO_ADMIN: Needs = Needs {
    classic: "repo, as a repository administrator",
    fine_grained: "repository Administration: read",
};
