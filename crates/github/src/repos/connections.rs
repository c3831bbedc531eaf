//! Branches, rulesets and deploy keys of one repository: the first page
//! from the details batch, the rest read with follow-up requests.

use std::collections::BTreeMap;

use serde_json::json;
use tenet_inventory::{
    Observed,
    github::{BranchRules, DeployKey, Ruleset},
};

use super::details::BranchFacts;
use crate::{
    client::Client,
    convert,
    graphql::{self, DeployKeyNode, ProtectionRuleNode, RulesetNode},
    pages::{self, FirstPage, FollowUp},
    permissions::{self, Needs},
};
/// How to read the rest of one of `org/name`'s connections.
fn follow_up<'a>(
    org: &str,
    name: &str,
    operation: &str,
    query: String,
    path: &'a [&'a str],
    needs: Needs,
) -> FollowUp<'a> {
    FollowUp {
        name: format!("{operation} of {org}/{name}"),
        query,
        variables: json!({ "owner": org, "name": name }),
        path,
        needs,
    }
}

/// The default branch and the branches matching `protected_branches`, with
/// their classic protection, sorted by name.
pub(super) async fn branches(
    client: &Client<'_>,
    org: &str,
    name: &str,
    facts: BranchFacts,
) -> Observed<Vec<BranchRules>> {
    let BranchFacts {
        default_branch,
        refs,
        protection_rules,
    } = facts;
    let read = permissions::REPO_READ;
    let refs = async {
        let follow = follow_up(
            org,
            name,
            "RepositoryBranches",
            graphql::repository_refs(),
            &["repository", "refs"],
            read,
        );
        pages::complete(client, refs?, follow).await
    };
    let rules = async {
        let follow = follow_up(
            org,
            name,
            "RepositoryProtectionRules",
            graphql::repository_protection_rules(),
            &["repository", "branchProtectionRules"],
            read,
        );
        pages::complete(client, protection_rules?, follow).await
    };
    let (refs, rules) = tokio::join!(refs, rules);
    let (default_branch, refs, rules) = match (default_branch, refs, rules) {
        (Ok(default_branch), Ok(refs), Ok(rules)) => (default_branch, refs, rules),
        (Err(reason), _, _) | (_, Err(reason), _) | (_, _, Err(reason)) => {
            return Observed::unavailable(reason);
        }
    };
    let rules: BTreeMap<String, ProtectionRuleNode> = rules
        .into_iter()
        .map(|rule| (rule.id.clone(), rule))
        .collect();
    let patterns = &client.settings().branches;
    let mut out: Vec<BranchRules> = Vec::new();
    let candidates = default_branch
        .iter()
        .chain(refs.iter().filter(|r| patterns.is_match(&r.name)));
    for branch in candidates {
        if out.iter().any(|b| b.branch == branch.name) {
            continue;
        }
        let protection = match &branch.branch_protection_rule {
            None => Observed::Known(None),
            Some(rule) => match rules.get(&rule.id).cloned().map(convert::protection) {
                Some(Ok(protection)) => Observed::Known(Some(protection)),
                Some(Err(reason)) => Observed::unavailable(reason),
                None => Observed::unavailable(format!(
                    "GraphQL RepositoryDetails of {org}/{name}: branch {} has protection rule {} that is not among the repository's rules",
                    branch.name, rule.id
                )),
            },
        };
        out.push(BranchRules {
            branch: branch.name.clone(),
            protection,
        });
    }
    out.sort_by(|a, b| a.branch.cmp(&b.branch));
    Observed::Known(out)
}

/// Every ruleset that applies to `org/name`, sorted by id.
pub(super) async fn rulesets(
    client: &Client<'_>,
    org: &str,
    name: &str,
    first: Result<FirstPage<RulesetNode>, String>,
) -> Observed<Vec<Ruleset>> {
    let follow = follow_up(
        org,
        name,
        "RepositoryRulesets",
        graphql::repository_rulesets(),
        &["repository", "rulesets"],
        permissions::REPO_READ,
    );
    let label = format!("GraphQL RepositoryRulesets of {org}/{name}");
    match first {
        Ok(first) => convert::rulesets(pages::complete(client, first, follow).await, &label),
        Err(reason) => Observed::unavailable(reason),
    }
}

/// Every deploy key of `org/name`, sorted by id.
pub(super) async fn deploy_keys(
    client: &Client<'_>,
    org: &str,
    name: &str,
    first: Result<FirstPage<DeployKeyNode>, String>,
) -> Observed<Vec<DeployKey>> {
    let follow = follow_up(
        org,
        name,
        "RepositoryDeployKeys",
        graphql::repository_deploy_keys(),
        &["repository", "deployKeys"],
        permissions::REPO_ADMIN,
    );
    let keys = match first {
        Ok(first) => pages::complete(client, first, follow).await,
        Err(reason) => Err(reason),
    };
    match keys {
        Ok(keys) => {
            let mut keys: Vec<DeployKey> = keys
                .into_iter()
                .map(|k| DeployKey {
                    id: k.id,
                    title: k.title,
                    read_only: k.read_only,
                })
                .collect();
            keys.sort_by(|a, b| a.id.cmp(&b.id));
            Observed::Known(keys)
        }
        Err(reason) => Observed::unavailable(reason),
    }
}
