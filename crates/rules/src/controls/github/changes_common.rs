//! What the change controls share: the branches of a repository whose
//! changes of the audit period are known, and an error for each that is
//! not.

use tenet_inventory::{
    Period,
    github::{Change, GithubOrg, Repository},
};

use crate::{
    Outcome, Resource,
    branch::protected_names,
    support::{Globs, known},
};

/// What the change controls read.
pub(crate) const CHANGES: &str = "the changes of the audit period";

/// The resource of one branch of a repository.
pub(crate) fn branch_resource(org: &GithubOrg, repo: &Repository, branch: &str) -> Resource {
    Resource::github_repo_part(&org.login, &repo.name, "branch", branch, "GitHub branch")
}

/// The resource of one change (a commit) of a repository.
pub(crate) fn change_resource(org: &GithubOrg, repo: &Repository, sha: &str) -> Resource {
    Resource::github_repo_part(&org.login, &repo.name, "commit", sha, "GitHub change")
}

/// Each branch of `repo` whose changes are known, with its changes inside
/// `period` (newest first). An error goes to `out` for the repository
/// when none could be read, for each branch that could not, and for each
/// branch `protected` names whose changes the snapshot lacks (collected
/// under other `protected_branches`): never a branch without changes.
pub(crate) fn known_branches<'a>(
    org: &GithubOrg,
    repo: &'a Repository,
    protected: &Globs,
    period: Period,
    out: &mut Vec<Outcome>,
) -> Vec<(&'a str, Vec<&'a Change>)> {
    let Some(branches) = known(
        &repo.changes,
        out,
        || Resource::github_repo(&org.login, &repo.name),
        CHANGES,
    ) else {
        return Vec::new();
    };
    for missing in protected_names(repo, protected)
        .into_iter()
        .filter(|name| !branches.iter().any(|b| b.branch == *name))
    {
        out.push(Outcome::unavailable(
            branch_resource(org, repo, missing),
            CHANGES,
            "the snapshot has no changes of this branch: it was collected with other protected_branches; collect again with this policy",
        ));
    }
    branches
        .iter()
        .filter_map(|branch| {
            let changes = known(
                &branch.changes,
                out,
                || branch_resource(org, repo, &branch.branch),
                CHANGES,
            )?;
            let inside = changes
                .iter()
                .filter(|change| period.contains(change.committed_at))
                .collect();
            Some((branch.branch.as_str(), inside))
        })
        .collect()
}
