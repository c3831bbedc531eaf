//! GraphQL answers to inventory types. A connection that has more items than
//! were read becomes an `Err` with the reason, never a short list.

use tenet_inventory::{
    Observed,
    github::{
        Account, Actor, BranchProtection, BypassActor, CodeScanningTool, Collaborator,
        DeploymentBranches, Enforcement, Environment, PropertyTarget, RefNameCondition,
        RepoPermission, RepositoryIdCondition, RepositoryNameCondition,
        RepositoryPropertyCondition, RequiredCheck, Ruleset, RulesetConditions, RulesetRule,
        RulesetSource, Visibility, WorkflowFile,
    },
};

use crate::{
    environments::DETAILS_UNREAD,
    graphql::{
        ActorNode, BYPASS_FIRST, BypassNode, CollaboratorConnection, Conditions, Connection,
        EnvironmentNode, PropertyTargetNode, ProtectionRuleNode, RULES_FIRST, RuleNode,
        RuleParameters, RulesetNode, StatusCheckNode, TypedLogin,
    },
    rest::actor,
};

/// Whether GitHub showed the credential the bypass actors of a ruleset:
/// it shows them only to those with write access to the ruleset (REST
/// documents it for "Get a repository ruleset"; GraphQL is assumed to do the
/// same), so without administration rights on the ruleset's owner an empty
/// list may be a hidden one.
#[derive(Clone, Debug)]
pub(crate) enum BypassVisibility {
    /// The credential administers the repository or organization.
    Visible,
    /// It does not, or that is unknown; the reason says which.
    Hidden(String),
}

impl BypassVisibility {
    /// From GraphQL's `viewerCanAdminister` of `owner`.
    pub(crate) fn from_viewer(can_administer: Option<bool>, owner: &str) -> BypassVisibility {
        match can_administer {
            Some(true) => BypassVisibility::Visible,
            Some(false) => BypassVisibility::Hidden(format!(
                "GitHub shows a ruleset's bypass actors only to credentials with write access to \
                 it, and this credential cannot administer {owner}; needs an organization owner's \
                 token or Administration: write"
            )),
            None => BypassVisibility::Hidden(format!(
                "GitHub did not say whether this credential can administer {owner}, so hidden \
                 bypass actors cannot be ruled out"
            )),
        }
    }
}

/// `PUBLIC`, `INTERNAL`, `PRIVATE`.
pub(crate) fn visibility(text: &str) -> Option<Visibility> {
    match text {
        "PUBLIC" => Some(Visibility::Public),
        "INTERNAL" => Some(Visibility::Internal),
        "PRIVATE" => Some(Visibility::Private),
        _ => None,
    }
}

/// The nodes of a connection, or why they are incomplete.
pub(crate) fn complete<T>(
    connection: Connection<T>,
    what: &str,
    read: usize,
) -> Result<Vec<T>, String> {
    if connection.page_info.has_next_page {
        return Err(format!(
            "more than {read} {what}; tenet reads at most {read}"
        ));
    }
    connection
        .nodes
        .into_iter()
        .map(|node| node.ok_or_else(|| format!("one of the {what} was not returned")))
        .collect()
}

/// Rulesets read to the end, converted and sorted by id; unavailable with
/// the reason (prefixed with `label` when a ruleset cannot be converted).
pub(crate) fn rulesets(
    nodes: Result<Vec<RulesetNode>, String>,
    label: &str,
    bypass: &BypassVisibility,
) -> Observed<Vec<Ruleset>> {
    let rulesets = nodes.and_then(|nodes| {
        nodes
            .into_iter()
            .map(|node| ruleset(node, bypass).map_err(|reason| format!("{label}: {reason}")))
            .collect::<Result<Vec<_>, _>>()
    });
    match rulesets {
        Ok(mut rulesets) => {
            rulesets.sort_by_key(|r| r.id);
            Observed::Known(rulesets)
        }
        Err(reason) => Observed::unavailable(reason),
    }
}

/// A classic protection rule.
pub(crate) fn protection(rule: ProtectionRuleNode) -> Result<BranchProtection, String> {
    let allowances = complete(
        rule.bypass_pull_request_allowances,
        "pull-request bypass allowances",
        BYPASS_FIRST,
    )?;
    // An allowance tenet cannot name still bypasses: kept, never dropped.
    let mut bypass_actors: Vec<Actor> = allowances
        .into_iter()
        .map(|a| match a.actor {
            Some(node) => {
                let typename = node.typename.clone();
                actor_of(node).unwrap_or_else(|| actor("unknown", typename))
            }
            None => actor("unknown", "unnamed"),
        })
        .collect();
    bypass_actors.sort();
    Ok(BranchProtection {
        require_pull_request: rule.requires_approving_reviews,
        required_approving_review_count: if rule.requires_approving_reviews {
            rule.required_approving_review_count.unwrap_or(0)
        } else {
            0
        },
        dismiss_stale_reviews: rule.dismisses_stale_reviews,
        require_last_push_approval: rule.require_last_push_approval,
        require_code_owner_reviews: rule.requires_code_owner_reviews,
        enforce_admins: rule.is_admin_enforced,
        allow_force_pushes: rule.allows_force_pushes,
        allow_deletions: rule.allows_deletions,
        bypass_actors,
        required_status_checks: match (rule.requires_status_checks, rule.required_status_checks) {
            (false, _) => Observed::Known(Vec::new()),
            (true, Some(checks)) => Observed::Known(required_checks(checks)),
            (true, None) => Observed::unavailable(
                "the protection rule requires status checks, and GitHub did not say which",
            ),
        },
    })
}

/// Required status checks, sorted.
fn required_checks(nodes: Vec<StatusCheckNode>) -> Vec<RequiredCheck> {
    let mut checks: Vec<RequiredCheck> = nodes
        .into_iter()
        .map(|node| RequiredCheck {
            context: node.context,
            app_id: node
                .integration_id
                .or_else(|| node.app.and_then(|app| app.database_id)),
        })
        .collect();
    checks.sort();
    checks.dedup();
    checks
}

/// A user, team or app of GraphQL.
fn actor_of(node: ActorNode) -> Option<Actor> {
    match node.typename.as_str() {
        "User" => node.login.map(|name| actor("user", name)),
        "Team" => node.slug.map(|name| actor("team", name)),
        "App" => node.slug.map(|name| actor("app", name)),
        _ => None,
    }
}

/// A ruleset.
pub(crate) fn ruleset(node: RulesetNode, visibility: &BypassVisibility) -> Result<Ruleset, String> {
    let name = node.name;
    let id = node
        .database_id
        .ok_or_else(|| format!("ruleset `{name}` has no id"))?;
    let source = match node.source.typename.as_str() {
        "Repository" => RulesetSource::Repository,
        // An enterprise ruleset is enforced on the organization's
        // repositories like an organization ruleset; the inventory has no
        // separate level for it.
        "Organization" | "Enterprise" => RulesetSource::Organization,
        other => return Err(format!("ruleset `{name}` has an unknown source {other}")),
    };
    let enforcement = match node.enforcement.as_str() {
        "ACTIVE" => Enforcement::Active,
        "EVALUATE" => Enforcement::Evaluate,
        "DISABLED" => Enforcement::Disabled,
        other => {
            return Err(format!(
                "ruleset `{name}` has an unknown enforcement {other}"
            ));
        }
    };
    // A bypass list GitHub cut short or nulled is this ruleset's unknown,
    // not an error of the whole list: its rules still count.
    let bypass = match node.bypass_actors {
        Some(connection) => complete(
            connection,
            &format!("bypass actors in ruleset `{name}`"),
            BYPASS_FIRST,
        ),
        None => Err(format!(
            "the bypass actors of ruleset `{name}` were not returned"
        )),
    };
    let rules = match node.rules {
        Some(connection) => complete(
            connection,
            &format!("rules in ruleset `{name}`"),
            RULES_FIRST,
        )?,
        None => return Err(format!("the rules of ruleset `{name}` were not returned")),
    };
    let bypass_actors = match (visibility, bypass) {
        (_, Err(reason)) => Observed::unavailable(reason),
        (BypassVisibility::Hidden(reason), Ok(bypass)) if bypass.is_empty() => {
            Observed::unavailable(reason)
        }
        (_, Ok(bypass)) => Observed::Known(bypass.into_iter().map(bypass_actor).collect()),
    };
    let mut conditions = Observed::Known(conditions(node.conditions));
    if source == RulesetSource::Organization && node.source.typename == "Enterprise" {
        // An enterprise ruleset also selects organizations, by conditions
        // GraphQL does not return.
        conditions = Observed::unavailable(format!(
            "ruleset `{name}` is an enterprise ruleset, whose organization conditions GitHub's \
             GraphQL API does not return"
        ));
    }
    Ok(Ruleset {
        id,
        name,
        source,
        enforcement,
        target: node.target.unwrap_or_default().to_ascii_lowercase(),
        conditions,
        bypass_actors,
        rules: rules.into_iter().map(rule).collect(),
    })
}

/// GraphQL's ruleset conditions.
fn conditions(node: Conditions) -> RulesetConditions {
    let target = |t: PropertyTargetNode| PropertyTarget {
        name: t.name,
        property_values: t.property_values,
        // GitHub: "Defaults to 'custom' if not specified".
        source: t.source.unwrap_or_else(|| "custom".to_owned()),
    };
    RulesetConditions {
        ref_name: node.ref_name.map(|c| RefNameCondition {
            include: c.include,
            exclude: c.exclude,
        }),
        repository_name: node.repository_name.map(|c| RepositoryNameCondition {
            include: c.include,
            exclude: c.exclude,
            protected: c.protected,
        }),
        repository_id: node.repository_id.map(|c| RepositoryIdCondition {
            repository_ids: c.repository_ids,
        }),
        repository_property: node
            .repository_property
            .map(|c| RepositoryPropertyCondition {
                include: c.include.into_iter().map(target).collect(),
                exclude: c.exclude.into_iter().map(target).collect(),
            }),
        other: Vec::new(),
    }
}

/// A bypass actor; one tenet cannot name still bypasses, as
/// `unknown:<GraphQL type>`, so that it is never dropped.
fn bypass_actor(node: BypassNode) -> BypassActor {
    let actor_id = if node.organization_admin || node.enterprise_owner || node.deploy_key {
        None
    } else if node.repository_role_name.is_some() {
        node.repository_role_database_id
    } else {
        node.actor.as_ref().and_then(|actor| actor.database_id)
    };
    let who = if node.organization_admin {
        actor("organization_admin", "organization_admin")
    } else if node.enterprise_owner {
        actor("enterprise_owner", "enterprise_owner")
    } else if node.deploy_key {
        actor("deploy_key", "deploy_key")
    } else if let Some(role) = node.repository_role_name {
        actor("repository_role", role)
    } else {
        match node.actor {
            Some(node) => {
                let typename = node.typename.clone();
                actor_of(node).unwrap_or_else(|| actor("unknown", typename))
            }
            None => actor("unknown", "unnamed"),
        }
    };
    BypassActor {
        actor: who,
        actor_id,
        bypass_mode: node
            .bypass_mode
            .map_or_else(|| "unknown".to_owned(), |mode| mode.to_ascii_lowercase()),
    }
}

fn rule(node: RuleNode) -> RulesetRule {
    match node.kind.as_str() {
        "PULL_REQUEST" => {
            let p = node
                .parameters
                .filter(|p| p.typename == "PullRequestParameters");
            let p = p.as_ref();
            RulesetRule::PullRequest {
                required_approving_review_count: p
                    .and_then(|p| p.required_approving_review_count)
                    .unwrap_or(0),
                dismiss_stale_reviews_on_push: p
                    .and_then(|p| p.dismiss_stale_reviews_on_push)
                    .unwrap_or(false),
                require_code_owner_review: p
                    .and_then(|p| p.require_code_owner_review)
                    .unwrap_or(false),
                require_last_push_approval: p
                    .and_then(|p| p.require_last_push_approval)
                    .unwrap_or(false),
            }
        }
        "NON_FAST_FORWARD" => RulesetRule::NonFastForward,
        "DELETION" => RulesetRule::Deletion,
        kind => {
            // A rule whose parameters did not come is kept by name only, so
            // that controls reading them report it as unread.
            let p = node.parameters;
            match (kind, p) {
                (
                    "REQUIRED_STATUS_CHECKS",
                    Some(RuleParameters {
                        required_status_checks: Some(checks),
                        ..
                    }),
                ) => RulesetRule::RequiredStatusChecks {
                    required_status_checks: required_checks(checks),
                },
                (
                    "CODE_SCANNING",
                    Some(RuleParameters {
                        code_scanning_tools: Some(tools),
                        ..
                    }),
                ) => RulesetRule::CodeScanning {
                    code_scanning_tools: tools
                        .into_iter()
                        .map(|t| CodeScanningTool {
                            tool: t.tool,
                            alerts_threshold: t.alerts_threshold,
                            security_alerts_threshold: t.security_alerts_threshold,
                        })
                        .collect(),
                },
                (
                    "WORKFLOWS",
                    Some(RuleParameters {
                        workflows: Some(workflows),
                        ..
                    }),
                ) => RulesetRule::Workflows {
                    workflows: workflows
                        .into_iter()
                        .map(|w| WorkflowFile {
                            path: w.path,
                            repository_id: w.repository_id,
                            git_ref: w.git_ref,
                        })
                        .collect(),
                },
                (other, _) => RulesetRule::Other {
                    name: other.to_ascii_lowercase(),
                },
            }
        }
    }
}

/// An environment.
pub(crate) fn environment(node: EnvironmentNode) -> Result<Environment, String> {
    let name = node.name;
    let rules = complete(
        node.protection_rules,
        &format!("protection rules in environment `{name}`"),
        5,
    )?;
    let mut required_reviewers = Vec::new();
    let mut prevent_self_review = false;
    let mut branch_policy = false;
    for rule in rules {
        branch_policy |= rule.kind == "BRANCH_POLICY";
        if rule.kind != "REQUIRED_REVIEWERS" {
            continue;
        }
        prevent_self_review = rule.prevent_self_review.unwrap_or(false);
        let reviewers = complete(
            rule.reviewers,
            &format!("reviewers in environment `{name}`"),
            6,
        )?;
        required_reviewers.extend(reviewers.into_iter().filter_map(actor_of));
    }
    required_reviewers.sort();
    Ok(Environment {
        name,
        required_reviewers,
        prevent_self_review,
        admins_can_bypass: Observed::unavailable(DETAILS_UNREAD),
        deployment_branches: if branch_policy {
            Observed::unavailable(DETAILS_UNREAD)
        } else {
            Observed::Known(DeploymentBranches::Any)
        },
    })
}

/// Outside collaborators with their permission.
pub(crate) fn collaborators(
    connection: CollaboratorConnection,
    read: usize,
) -> Result<Vec<Collaborator>, String> {
    if connection.page_info.has_next_page {
        return Err(format!("more than {read} outside collaborators"));
    }
    connection
        .edges
        .into_iter()
        .map(|edge| {
            edge.ok_or_else(|| "one of the outside collaborators was not returned".to_owned())
        })
        .map(|edge| {
            let edge = edge?;
            let permission = match edge.permission.as_str() {
                "ADMIN" => RepoPermission::Admin,
                "MAINTAIN" => RepoPermission::Maintain,
                "WRITE" => RepoPermission::Write,
                "TRIAGE" => RepoPermission::Triage,
                "READ" => RepoPermission::Read,
                other => return Err(format!("unknown permission {other}")),
            };
            Ok(Collaborator {
                login: edge.node.login,
                permission,
            })
        })
        .collect()
}

/// A GitHub account: its login and GraphQL type.
pub(crate) fn account(login: &TypedLogin) -> Account {
    Account {
        login: login.login.clone(),
        kind: login.typename.clone(),
    }
}

/// A commit's short SHA, as GitHub shows it.
pub(crate) fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}
