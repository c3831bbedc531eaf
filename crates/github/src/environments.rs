//! What GitHub's GraphQL API does not tell of a deployment environment:
//! whether administrators may bypass its protection rules
//! (`can_admins_bypass`) and which branches and tags may deploy to it
//! (`deployment_branch_policy`, and for "Selected branches and tags" its
//! name patterns). Read by REST (`GET /repos/{owner}/{repo}/environments`,
//! then `GET …/environments/{name}/deployment-branch-policies` for each
//! environment with selected branches), and only for the environments a
//! control judges: the production ones, and those of repositories an AWS
//! role that trusts GitHub Actions may let in.

use futures::future::join_all;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use tenet_inventory::{
    Observed,
    github::{DeploymentBranches, DeploymentRef, Environment, RefKind},
};

use crate::{
    client::Client,
    permissions,
    rest::{self, EnvironmentJson},
};

/// Why the details are missing where they were not asked for.
pub(crate) const DETAILS_UNREAD: &str = "GitHub's GraphQL API does not give it, and tenet reads \
     it by REST only for production environments and for the repositories an AWS role that \
     trusts GitHub Actions may let in";

/// Whether an environment still lacks what only REST gives.
fn lacks_details(environment: &Environment) -> bool {
    matches!(environment.admins_can_bypass, Observed::Unavailable { .. })
        || matches!(
            environment.deployment_branches,
            Observed::Unavailable { .. }
        )
}

/// Completes the environments of the repository at `base`
/// (`/repos/{owner}/{repo}`) that `wanted` picks and that lack details:
/// one listing for the repository, then the name patterns of each wanted
/// environment with selected branches. The listing replaces what GraphQL
/// gave (it holds the same facts and the details); when it fails, or names
/// other environments than GraphQL did, the wanted environments' details
/// are unavailable with the reason.
pub(crate) async fn complete(
    client: &Client<'_>,
    base: &str,
    environments: &mut Observed<Vec<Environment>>,
    wanted: impl Fn(&str) -> bool,
) {
    let Observed::Known(known) = environments else {
        return;
    };
    if !known
        .iter()
        .any(|env| wanted(&env.name) && lacks_details(env))
    {
        return;
    }
    let path = format!("{base}/environments");
    let listed = match client
        .list_in::<EnvironmentJson>(&path, Some("environments"))
        .await
    {
        Ok(listed) => listed,
        Err(err) => {
            unread(known, &wanted, &err.reason(permissions::REPO_ENVIRONMENTS));
            return;
        }
    };
    let names = |names: Vec<&str>| {
        let mut names: Vec<String> = names.into_iter().map(str::to_lowercase).collect();
        names.sort();
        names
    };
    let before = names(known.iter().map(|env| env.name.as_str()).collect());
    let now = names(listed.iter().map(|json| json.name.as_str()).collect());
    if before != now {
        unread(
            known,
            &wanted,
            &format!(
                "GET {path} lists the environments {now:?}, the collection's GraphQL answer \
                 {before:?}: they changed in between, or one answer is incomplete; collect again"
            ),
        );
        return;
    }
    let mut read: Vec<Environment> = join_all(listed.into_iter().map(|json| async {
        let selected = json
            .deployment_branch_policy
            .as_ref()
            .and_then(Option::as_ref)
            .is_some_and(|policy| policy.custom_branch_policies);
        let mut env = rest::environment(json);
        if selected && wanted(&env.name) {
            env.deployment_branches = selected_refs(client, base, &env.name).await;
        }
        env
    }))
    .await;
    read.sort_by(|a, b| a.name.cmp(&b.name));
    *known = read;
}

/// Records why the wanted environments' missing details are unavailable.
fn unread(known: &mut [Environment], wanted: &impl Fn(&str) -> bool, reason: &str) {
    for env in known.iter_mut().filter(|env| wanted(&env.name)) {
        if let Observed::Unavailable { .. } = env.admins_can_bypass {
            env.admins_can_bypass = Observed::unavailable(reason);
        }
        if let Observed::Unavailable { .. } = env.deployment_branches {
            env.deployment_branches = Observed::unavailable(reason);
        }
    }
}

/// One name pattern of `GET …/deployment-branch-policies`.
#[derive(Debug, Deserialize)]
struct BranchPolicyJson {
    name: String,
    /// `branch` or `tag`.
    #[serde(rename = "type", default)]
    kind: Option<String>,
}

/// The name patterns of an environment with "Selected branches and tags".
async fn selected_refs(
    client: &Client<'_>,
    base: &str,
    name: &str,
) -> Observed<DeploymentBranches> {
    let path = format!(
        "{base}/environments/{}/deployment-branch-policies",
        utf8_percent_encode(name, NON_ALPHANUMERIC)
    );
    let listed = match client
        .list_in::<BranchPolicyJson>(&path, Some("branch_policies"))
        .await
    {
        Ok(listed) => listed,
        Err(err) => {
            return Observed::unavailable(err.reason(permissions::REPO_ENVIRONMENTS));
        }
    };
    let mut refs = Vec::new();
    for policy in listed {
        let kind = match policy.kind.as_deref() {
            Some("branch") => RefKind::Branch,
            Some("tag") => RefKind::Tag,
            other => {
                return Observed::unavailable(format!(
                    "GET {path}: the pattern {:?} is of type {other:?}, neither a branch nor a tag",
                    policy.name
                ));
            }
        };
        refs.push(DeploymentRef {
            kind,
            pattern: policy.name,
        });
    }
    refs.sort();
    Observed::Known(DeploymentBranches::Selected(refs))
}
