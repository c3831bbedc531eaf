//! REST payloads tenet reads, and their conversion to inventory types.

use serde::Deserialize;
use serde_json::Value;
use tenet_inventory::{
    Observed,
    github::{
        ActionsSettings, Actor, BasePermission, Collaborator, DeploymentBranches, Environment,
        RepoPermission, Webhook, WorkflowPermissions,
    },
};

use crate::environments::DETAILS_UNREAD;

/// `GET /orgs/{org}`: the settings tenet reads. GitHub omits them for
/// callers that are not owners.
#[derive(Debug, Deserialize)]
pub(crate) struct OrgJson {
    pub id: Option<u64>,
    pub two_factor_requirement_enabled: Option<bool>,
    pub default_repository_permission: Option<String>,
    pub members_can_create_public_repositories: Option<bool>,
}

/// How a repository's Actions OIDC subject is made.
#[derive(Debug, Deserialize)]
pub(crate) struct OidcSubjectJson {
    pub use_default: bool,
    pub use_immutable_subject: Option<bool>,
    pub include_claim_keys: Option<Vec<String>>,
}

/// An organization's Actions OIDC subject template: the claim keys are
/// required; none means GitHub's default template.
#[derive(Debug, Deserialize)]
pub(crate) struct OrgOidcSubjectJson {
    pub include_claim_keys: Vec<String>,
}

/// An entry of `GET /repos/{owner}/{repo}/activity`: a change of a ref
/// and who made it.
#[derive(Debug, Deserialize)]
pub(crate) struct ActivityJson {
    /// The full ref, `refs/heads/BRANCH`.
    #[serde(rename = "ref")]
    pub git_ref: String,
    /// The commit the ref pointed to afterwards.
    pub after: String,
    pub timestamp: chrono::DateTime<chrono::Utc>,
    /// Who did it; `null` for a deleted account.
    #[serde(deserialize_with = "Option::deserialize")]
    pub actor: Option<ActorJson>,
}

/// A user of an activity or a workflow run, with GitHub's type name.
#[derive(Debug, Deserialize)]
pub(crate) struct ActorJson {
    pub login: String,
    #[serde(rename = "type")]
    pub kind: String,
}

impl ActorJson {
    /// The inventory's account.
    pub(crate) fn account(&self) -> tenet_inventory::github::Account {
        tenet_inventory::github::Account {
            login: self.login.clone(),
            kind: self.kind.clone(),
        }
    }
}

/// A rule suite of `GET /repos/{owner}/{repo}/rulesets/rule-suites`.
/// GitHub's description marks none of its fields required; tenet needs
/// all but the actor.
#[derive(Debug, Deserialize)]
pub(crate) struct RuleSuiteJson {
    pub id: u64,
    #[serde(rename = "ref")]
    pub git_ref: String,
    pub before_sha: String,
    pub after_sha: String,
    #[serde(default)]
    pub actor_name: Option<String>,
    pub pushed_at: chrono::DateTime<chrono::Utc>,
    /// `pass`, `fail` or `bypass`, for the rules being enforced.
    pub result: String,
}

/// `GET /repos/{owner}/{repo}/actions/runs/{run_id}` (and
/// `…/attempts/{attempt_number}`): who started the run and its latest
/// attempt. GitHub's description does not mark these fields required.
#[derive(Debug, Deserialize)]
pub(crate) struct WorkflowRunJson {
    #[serde(default)]
    pub actor: Option<ActorJson>,
    #[serde(default)]
    pub triggering_actor: Option<ActorJson>,
    #[serde(default)]
    pub run_attempt: Option<u64>,
}

/// A user in a listing.
#[derive(Debug, Deserialize)]
pub(crate) struct UserJson {
    pub login: String,
}

/// A webhook.
#[derive(Debug, Deserialize)]
pub(crate) struct HookJson {
    pub id: u64,
    pub active: bool,
    pub config: HookConfig,
}

/// A webhook's `config`.
#[derive(Debug, Deserialize)]
pub(crate) struct HookConfig {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub insecure_ssl: Option<Value>,
}

/// `GET …/actions/permissions/workflow`.
#[derive(Debug, Deserialize)]
pub(crate) struct WorkflowJson {
    pub default_workflow_permissions: String,
    pub can_approve_pull_request_reviews: bool,
}

/// A repository of `GET /orgs/{org}/repos`, for its security settings.
#[derive(Debug, Deserialize)]
pub(crate) struct RepoSecurityJson {
    pub name: String,
    #[serde(default)]
    pub security_and_analysis: Option<SecurityAndAnalysis>,
}

/// `security_and_analysis`, shown to repository administrators.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct SecurityAndAnalysis {
    #[serde(default)]
    pub secret_scanning: Option<Status>,
    #[serde(default)]
    pub secret_scanning_push_protection: Option<Status>,
}

/// `{"status": "enabled"}`.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Status {
    pub status: String,
}

/// An environment of `GET /repos/{owner}/{repo}/environments`.
#[derive(Debug, Deserialize)]
pub(crate) struct EnvironmentJson {
    pub name: String,
    #[serde(default)]
    pub protection_rules: Vec<EnvironmentRuleJson>,
    /// "Allow administrators to bypass configured protection rules".
    #[serde(default)]
    pub can_admins_bypass: Option<bool>,
    /// `None` when the answer has no such field, `Some(None)` for `null`
    /// (every branch and tag may deploy).
    #[serde(default, deserialize_with = "present")]
    pub deployment_branch_policy: Option<Option<BranchPolicySettingsJson>>,
}

/// An environment's `deployment_branch_policy`: exactly one is `true`.
#[derive(Debug, Deserialize)]
pub(crate) struct BranchPolicySettingsJson {
    pub protected_branches: bool,
    pub custom_branch_policies: bool,
}

/// A field that is present, `null` or not.
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A deployment protection rule.
#[derive(Debug, Deserialize)]
pub(crate) struct EnvironmentRuleJson {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub prevent_self_review: Option<bool>,
    #[serde(default)]
    pub reviewers: Vec<ReviewerJson>,
}

/// A required reviewer.
#[derive(Debug, Deserialize)]
pub(crate) struct ReviewerJson {
    #[serde(rename = "type")]
    pub kind: String,
    pub reviewer: ReviewerIdentity,
}

/// A reviewer's user login or team slug.
#[derive(Debug, Deserialize)]
pub(crate) struct ReviewerIdentity {
    #[serde(default)]
    pub login: Option<String>,
    #[serde(default)]
    pub slug: Option<String>,
}

/// A collaborator of `GET /repos/{owner}/{repo}/collaborators`.
#[derive(Debug, Deserialize)]
pub(crate) struct CollaboratorJson {
    pub login: String,
    pub permissions: PermissionsJson,
}

/// A collaborator's permission flags.
#[derive(Debug, Deserialize)]
pub(crate) struct PermissionsJson {
    #[serde(default)]
    pub admin: bool,
    #[serde(default)]
    pub maintain: bool,
    #[serde(default)]
    pub push: bool,
    #[serde(default)]
    pub triage: bool,
}

/// `read`, `write`, `admin` or `none`.
pub(crate) fn base_permission(text: &str) -> Option<BasePermission> {
    match text {
        "none" => Some(BasePermission::None),
        "read" => Some(BasePermission::Read),
        "write" => Some(BasePermission::Write),
        "admin" => Some(BasePermission::Admin),
        _ => None,
    }
}

/// Actions workflow settings; `None` for an unknown permission value.
pub(crate) fn actions(json: WorkflowJson) -> Option<ActionsSettings> {
    let default_workflow_permissions = match json.default_workflow_permissions.as_str() {
        "read" => WorkflowPermissions::Read,
        "write" => WorkflowPermissions::Write,
        _ => return None,
    };
    Some(ActionsSettings {
        default_workflow_permissions,
        can_approve_pull_request_reviews: json.can_approve_pull_request_reviews,
    })
}

/// A webhook, its URL stripped of credentials.
pub(crate) fn webhook(json: HookJson) -> Webhook {
    let insecure_ssl = match &json.config.insecure_ssl {
        Some(Value::String(text)) => text == "1",
        Some(Value::Number(number)) => number.as_u64() == Some(1),
        _ => false,
    };
    Webhook {
        id: json.id,
        url: json
            .config
            .url
            .as_deref()
            .map(redact_url)
            .unwrap_or_default(),
        insecure_ssl,
        active: json.active,
    }
}

/// Removes user information and query values from a URL: they often carry
/// credentials, and a snapshot must not.
pub(crate) fn redact_url(text: &str) -> String {
    let Ok(mut url) = url::Url::parse(text) else {
        return "[unparsable URL]".to_owned();
    };
    if !url.username().is_empty() || url.password().is_some() {
        let _ = url.set_username("***");
        let _ = url.set_password(None);
    }
    if url.query().is_some() {
        let keys: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        url.query_pairs_mut()
            .clear()
            .extend_pairs(keys.iter().map(|k| (k.as_str(), "***")));
    }
    url.set_fragment(None);
    url.to_string()
}

/// An environment from REST.
pub(crate) fn environment(json: EnvironmentJson) -> Environment {
    let reviewers_rule = json
        .protection_rules
        .iter()
        .find(|rule| rule.kind == "required_reviewers");
    let mut required_reviewers: Vec<Actor> = reviewers_rule
        .map(|rule| {
            rule.reviewers
                .iter()
                .filter_map(|r| match r.kind.as_str() {
                    "User" => r.reviewer.login.clone().map(|name| actor("user", name)),
                    "Team" => r.reviewer.slug.clone().map(|name| actor("team", name)),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    required_reviewers.sort();
    let prevent_self_review = reviewers_rule
        .and_then(|rule| rule.prevent_self_review)
        .unwrap_or(false);
    let deployment_branches = match &json.deployment_branch_policy {
        None => Observed::unavailable("GitHub's answer has no deployment_branch_policy"),
        Some(None) => Observed::Known(DeploymentBranches::Any),
        Some(Some(policy)) => match (policy.protected_branches, policy.custom_branch_policies) {
            (true, false) => Observed::Known(DeploymentBranches::Protected),
            (false, true) => Observed::unavailable(DETAILS_UNREAD),
            (protected, custom) => Observed::unavailable(format!(
                "GitHub's deployment_branch_policy says protected_branches: {protected} and \
                 custom_branch_policies: {custom}; one of them should be true"
            )),
        },
    };
    Environment {
        admins_can_bypass: match json.can_admins_bypass {
            Some(bypass) => Observed::Known(bypass),
            None => Observed::unavailable("GitHub's answer has no can_admins_bypass"),
        },
        deployment_branches,
        name: json.name,
        required_reviewers,
        prevent_self_review,
    }
}

/// An outside collaborator from REST, with their highest permission.
pub(crate) fn collaborator(json: CollaboratorJson) -> Collaborator {
    let p = &json.permissions;
    let permission = if p.admin {
        RepoPermission::Admin
    } else if p.maintain {
        RepoPermission::Maintain
    } else if p.push {
        RepoPermission::Write
    } else if p.triage {
        RepoPermission::Triage
    } else {
        RepoPermission::Read
    };
    Collaborator {
        login: json.login,
        permission,
    }
}

/// An [`Actor`].
pub(crate) fn actor(kind: &str, name: impl Into<String>) -> Actor {
    Actor {
        kind: kind.to_owned(),
        name: name.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_credentials_and_query_values() {
        assert_eq!(
            redact_url("https://bob:hunter2@hooks.example.com/in?token=abc&x=1#frag"),
            "https://***@hooks.example.com/in?token=***&x=***"
        );
        assert_eq!(
            redact_url("http://example.com/webhook"),
            "http://example.com/webhook"
        );
        assert_eq!(redact_url("not a url"), "[unparsable URL]");
    }
}
