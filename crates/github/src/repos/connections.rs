//! Branches, rulesets and deploy keys of one repository: the first page
//! from the details batch, the rest read with follow-up requests.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_json::json;
use tenet_inventory::{
    Observed,
    github::{BranchRules, DeployKey, ProtectionRule, Ruleset},
};

use super::details::BranchFacts;
use crate::{
    client::Client,
    convert::{self, BypassVisibility},
    graphql::{self, DeployKeyNode, ProtectionRuleNode, RulesetNode},
    pages::{self, FirstPage, FollowUp},
    permissions::{self, Needs},
};
/// One of a repository's connections that may need follow-up pages.
struct Connection {
    /// The follow-up operation's name.
    operation: &'static str,
    /// The follow-up operation.
    query: fn() -> String,
    /// Where the connection is in the follow-up's answer.
    path: &'static [&'static str],
    /// What reading it needs, for reasons.
    needs: Needs,
}

const BRANCHES: Connection = Connection {
    operation: "RepositoryBranches",
    query: graphql::repository_refs,
    path: &["repository", "refs"],
    needs: permissions::REPO_READ,
};

const PROTECTION_RULES: Connection = Connection {
    operation: "RepositoryProtectionRules",
    query: graphql::repository_protection_rules,
    path: &["repository", "branchProtectionRules"],
    needs: permissions::REPO_READ,
};

const RULESETS: Connection = Connection {
    operation: "RepositoryRulesets",
    query: graphql::repository_rulesets,
    path: &["repository", "rulesets"],
    needs: permissions::REPO_READ,
};

const DEPLOY_KEYS: Connection = Connection {
    operation: "RepositoryDeployKeys",
    query: graphql::repository_deploy_keys,
    path: &["repository", "deployKeys"],
    needs: permissions::REPO_ADMIN,
};

/// Every node of `connection` of `org/name`: the first page, then the
/// follow-up pages; or why it could not be read to the end.
async fn read_all<T: DeserializeOwned>(
    client: &Client<'_>,
    (org, name): (&str, &str),
    first: Result<FirstPage<T>, String>,
    connection: &Connection,
) -> Result<Vec<T>, String> {
    let follow = FollowUp {
        name: format!("{} of {org}/{name}", connection.operation),
        query: (connection.query)(),
        variables: json!({ "owner": org, "name": name }),
        path: connection.path,
        needs: connection.needs,
    };
    pages::complete(client, first?, follow).await
}

/// The default branch and the branches matching `protected_branches`, with
/// their classic protection, sorted by name; and every classic protection
/// rule with its pattern, sorted by pattern.
pub(super) async fn branches(
    client: &Client<'_>,
    org: &str,
    name: &str,
    facts: BranchFacts,
) -> (Observed<Vec<BranchRules>>, Observed<Vec<ProtectionRule>>) {
    let BranchFacts {
        default_branch,
        refs,
        protection_rules,
    } = facts;
    let (refs, rules) = tokio::join!(
        read_all(client, (org, name), refs, &BRANCHES),
        read_all(client, (org, name), protection_rules, &PROTECTION_RULES),
    );
    let (default_branch, refs, rules) = match (default_branch, refs, rules) {
        (Ok(default_branch), Ok(refs), Ok(rules)) => (default_branch, refs, rules),
        (Err(reason), _, _) | (_, Err(reason), _) | (_, _, Err(reason)) => {
            return (
                Observed::unavailable(&reason),
                Observed::unavailable(reason),
            );
        }
    };
    let mut protection_rules: Vec<ProtectionRule> = rules
        .iter()
        .map(|rule| ProtectionRule {
            pattern: rule.pattern.clone(),
            protection: match convert::protection(rule.clone()) {
                Ok(protection) => Observed::Known(protection),
                Err(reason) => Observed::unavailable(reason),
            },
        })
        .collect();
    protection_rules.sort_by(|a, b| a.pattern.cmp(&b.pattern));
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
    (Observed::Known(out), Observed::Known(protection_rules))
}

/// The rulesets defined on `org/name` itself, sorted by id (organization
/// rulesets are read once, on the organization).
pub(super) async fn rulesets(
    client: &Client<'_>,
    org: &str,
    name: &str,
    first: Result<FirstPage<RulesetNode>, String>,
    bypass: &BypassVisibility,
) -> Observed<Vec<Ruleset>> {
    let label = format!("GraphQL RepositoryRulesets of {org}/{name}");
    convert::rulesets(
        read_all(client, (org, name), first, &RULESETS).await,
        &label,
        bypass,
    )
}

/// Every deploy key of `org/name`, sorted by id.
pub(super) async fn deploy_keys(
    client: &Client<'_>,
    org: &str,
    name: &str,
    first: Result<FirstPage<DeployKeyNode>, String>,
) -> Observed<Vec<DeployKey>> {
    match read_all(client, (org, name), first, &DEPLOY_KEYS).await {
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
