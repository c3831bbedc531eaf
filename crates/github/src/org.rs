//! One organization: its settings, people, webhooks, rulesets and Actions
//! settings, then its repositories.

use std::{collections::BTreeSet, sync::Arc};

use serde_json::json;
use tenet_inventory::{
    Observed,
    github::{
        ActionsSettings, GithubOrg, MemberRole, OrgMember, OrgSettings, OutsideCollaborator,
        Ruleset, Webhook,
    },
};

use crate::{
    app::Installation,
    client::{Client, Credential, GraphqlError, Stats},
    config::{ConfigError, Settings, ValidAuth},
    convert::{self, BypassVisibility},
    error::{ApiError, Failure},
    graphql::{self, OrgRulesetsData},
    identity,
    pages::{self, FirstPage, FollowUp},
    permissions::{self, Needs},
    progress::{Progress, ProgressEvent},
    repos,
    rest::{self, HookJson, OrgJson, UserJson, WorkflowJson},
    rulesets_rest,
};

/// Collects one organization. Never fails: what cannot be read is
/// unavailable, with the reason.
pub(crate) async fn collect(
    settings: &Settings,
    stats: &Stats,
    login: &str,
    progress: &dyn Progress,
) -> Result<GithubOrg, ConfigError> {
    progress.event(ProgressEvent::OrgStarted {
        org: login.to_owned(),
    });
    tracing::info!(org = login, "collecting the organization");
    let client = Client::new(settings, stats, credential(settings, login));
    let org = match client.authenticate().await {
        Ok(()) => collect_with(&client, settings, login, progress).await,
        Err(err) => Err(ConfigError::Credentials {
            org: login.to_owned(),
            reason: format!(
                "GitHub App authentication failed: {} (is the App installed on {login}?)",
                err.plain()
            ),
        }),
    };
    progress.event(ProgressEvent::OrgDone {
        org: login.to_owned(),
    });
    org
}

/// Whether the first answer about an organization shows that nothing of it
/// can be read, and why: refused credentials, an organization that does
/// not exist or may not be seen, or no connection to GitHub.
fn fatal(err: &ApiError, settings: &Settings, login: &str) -> Option<ConfigError> {
    let org = login.to_owned();
    match &err.failure {
        Failure::Status { status, .. } if status.as_u16() == 401 => {
            Some(ConfigError::Credentials {
                org,
                reason: err.plain(),
            })
        }
        Failure::Status { status, .. } if status.as_u16() == 404 => {
            Some(ConfigError::UnknownOrganization {
                org,
                reason: err.plain(),
            })
        }
        // No answer, whichever limit ended the waiting: the request's or
        // the collection's (`--timeout`).
        Failure::Transport(_)
        | Failure::Timeout { .. }
        | Failure::OutOfTime {
            unanswered: true, ..
        } => Some(ConfigError::Unreachable {
            api: settings.api.clone(),
            reason: err.plain(),
        }),
        _ => None,
    }
}

/// The credential for `login`: the token, or the App's installation on
/// the organization.
pub(crate) fn credential(settings: &Settings, login: &str) -> Credential {
    match &settings.auth {
        ValidAuth::Token(token) => Credential::token(token),
        ValidAuth::App {
            app_id,
            key,
            installation_id,
        } => Credential::Installation(Installation::new(
            *app_id,
            Arc::clone(key),
            *installation_id,
            login,
        )),
    }
}

/// Reads the organization itself first: an answer that shows nothing of it
/// can be read stops the collection; then the rest at once.
async fn collect_with(
    client: &Client<'_>,
    config: &Settings,
    login: &str,
    progress: &dyn Progress,
) -> Result<GithubOrg, ConfigError> {
    let path = format!("/orgs/{login}");
    let org = client.get_json::<OrgJson>(&path).await;
    if let Err(err) = &org
        && let Some(fatal) = fatal(err, config, login)
    {
        return Err(fatal);
    }
    let id = match &org {
        Ok(json) => json.id.map_or_else(
            || Observed::unavailable(format!("GET {path} did not include the organization's id")),
            Observed::Known,
        ),
        Err(err) => Observed::unavailable(err.reason(permissions::ORG_SETTINGS)),
    };
    let settings = org_settings(&path, org);
    let (members, outside_collaborators, webhooks, (rulesets, actions, repositories)) = tokio::join!(
        members(client, login),
        outside_collaborators(client, login),
        webhooks(
            client,
            format!("/orgs/{login}/hooks"),
            permissions::ORG_HOOKS
        ),
        async {
            // Organization rulesets first: whether the repositories'
            // custom properties are needed depends on them.
            let actions_path = format!("/orgs/{login}/actions/permissions/workflow");
            let (rulesets, actions) = tokio::join!(
                async {
                    rulesets_rest::complete(client, login, org_rulesets(client, login).await).await
                },
                actions(client, &actions_path, permissions::ORG_ADMIN)
            );
            let repositories = repos::collect(client, login, &actions, &rulesets, progress).await;
            (rulesets, actions, repositories)
        },
    );
    Ok(GithubOrg {
        login: login.to_owned(),
        id,
        server: Observed::Known(client.settings().server.clone()),
        read_by: identity::installation(client).await,
        settings,
        members,
        outside_collaborators,
        webhooks,
        rulesets,
        actions,
        repositories,
    })
}

/// The organization's settings from `GET /orgs/{org}` at `path`.
fn org_settings(path: &str, answer: Result<OrgJson, ApiError>) -> OrgSettings {
    let json = match answer {
        Ok(json) => json,
        Err(err) => {
            let reason = err.reason(permissions::ORG_SETTINGS);
            return OrgSettings {
                two_factor_requirement_enabled: Observed::unavailable(&reason),
                default_repository_permission: Observed::unavailable(&reason),
                members_can_create_public_repositories: Observed::unavailable(&reason),
            };
        }
    };
    OrgSettings {
        two_factor_requirement_enabled: json.two_factor_requirement_enabled.map_or_else(
            || missing(path, "two_factor_requirement_enabled"),
            Observed::Known,
        ),
        default_repository_permission: match json.default_repository_permission.as_deref() {
            None => missing(path, "default_repository_permission"),
            Some(text) => match rest::base_permission(text) {
                Some(permission) => Observed::Known(permission),
                None => Observed::unavailable(format!(
                    "GET {path}: unknown default_repository_permission `{text}`"
                )),
            },
        },
        members_can_create_public_repositories: json
            .members_can_create_public_repositories
            .map_or_else(
                || missing(path, "members_can_create_public_repositories"),
                Observed::Known,
            ),
    }
}

/// A setting GitHub left out of `GET /orgs/{org}`.
fn missing<T>(path: &str, field: &str) -> Observed<T> {
    Observed::unavailable(format!(
        "GET {path} did not include {field}: GitHub shows it to organization owners only; needs {}",
        permissions::ORG_SETTINGS
    ))
}

/// Logins of a listing, or the reason it failed.
async fn logins(
    client: &Client<'_>,
    path: String,
    needs: Needs,
) -> Result<BTreeSet<String>, String> {
    client
        .list::<UserJson>(&path)
        .await
        .map(|users| users.into_iter().map(|u| u.login).collect())
        .map_err(|err| err.reason(needs))
}

/// Whether each login has 2FA: known from the `2fa_disabled` listing, or
/// unavailable with its reason.
fn two_factor(login: &str, disabled: &Result<BTreeSet<String>, String>) -> Observed<bool> {
    match disabled {
        Ok(disabled) => Observed::Known(!disabled.contains(login)),
        Err(reason) => Observed::unavailable(reason),
    }
}

async fn members(client: &Client<'_>, login: &str) -> Observed<Vec<OrgMember>> {
    let (admins, members, disabled) = tokio::join!(
        logins(
            client,
            format!("/orgs/{login}/members?role=admin"),
            permissions::ORG_MEMBERS
        ),
        logins(
            client,
            format!("/orgs/{login}/members?role=member"),
            permissions::ORG_MEMBERS
        ),
        logins(
            client,
            format!("/orgs/{login}/members?filter=2fa_disabled"),
            permissions::ORG_MEMBERS_2FA
        ),
    );
    let (admins, members) = match (admins, members) {
        (Ok(admins), Ok(members)) => (admins, members),
        (Err(reason), _) | (_, Err(reason)) => return Observed::unavailable(reason),
    };
    let mut all: Vec<OrgMember> = admins
        .iter()
        .map(|l| (l, MemberRole::Admin))
        .chain(
            members
                .iter()
                .filter(|l| !admins.contains(*l))
                .map(|l| (l, MemberRole::Member)),
        )
        .map(|(l, role)| OrgMember {
            login: l.clone(),
            role,
            two_factor_enabled: two_factor(l, &disabled),
        })
        .collect();
    all.sort_by(|a, b| a.login.cmp(&b.login));
    Observed::Known(all)
}

async fn outside_collaborators(
    client: &Client<'_>,
    login: &str,
) -> Observed<Vec<OutsideCollaborator>> {
    let (all, disabled) = tokio::join!(
        logins(
            client,
            format!("/orgs/{login}/outside_collaborators"),
            permissions::ORG_MEMBERS
        ),
        logins(
            client,
            format!("/orgs/{login}/outside_collaborators?filter=2fa_disabled"),
            permissions::ORG_MEMBERS_2FA
        ),
    );
    match all {
        Ok(all) => Observed::Known(
            all.iter()
                .map(|l| OutsideCollaborator {
                    login: l.clone(),
                    two_factor_enabled: two_factor(l, &disabled),
                })
                .collect(),
        ),
        Err(reason) => Observed::unavailable(reason),
    }
}

/// The webhooks at `path` (organization or repository), sorted by id.
pub(crate) async fn webhooks(
    client: &Client<'_>,
    path: String,
    needs: Needs,
) -> Observed<Vec<Webhook>> {
    match client.list::<HookJson>(&path).await {
        Ok(hooks) => {
            let mut hooks: Vec<Webhook> = hooks.into_iter().map(rest::webhook).collect();
            hooks.sort_by_key(|h| h.id);
            Observed::Known(hooks)
        }
        Err(err) => Observed::unavailable(err.reason(needs)),
    }
}

/// The Actions workflow settings at `path` (organization or repository).
pub(crate) async fn actions(
    client: &Client<'_>,
    path: &str,
    needs: Needs,
) -> Observed<ActionsSettings> {
    match client.get_json::<WorkflowJson>(path).await {
        Ok(json) => {
            let value = json.default_workflow_permissions.clone();
            rest::actions(json).map_or_else(
                || {
                    Observed::unavailable(format!(
                        "GET {path}: unknown default_workflow_permissions `{value}`"
                    ))
                },
                Observed::Known,
            )
        }
        Err(err) => Observed::unavailable(err.reason(needs)),
    }
}

async fn org_rulesets(client: &Client<'_>, login: &str) -> Observed<Vec<Ruleset>> {
    let needs = permissions::ORG_ADMIN;
    let query = graphql::organization_rulesets();
    let reply = match client
        .graphql(
            "OrganizationRulesets",
            &query,
            json!({ "org": login, "after": null }),
        )
        .await
    {
        Ok(reply) => reply,
        Err(err) => return Observed::unavailable(err.reason(needs)),
    };
    let label = "GraphQL OrganizationRulesets";
    if let Some(message) = errors_under(&reply.errors, &["organization"]) {
        return Observed::unavailable(format!("{label}: {message}; needs {needs}"));
    }
    let data: OrgRulesetsData = match serde_json::from_value(reply.data.into()) {
        Ok(data) => data,
        Err(err) => return Observed::unavailable(ApiError::malformed(label, err).plain()),
    };
    let Some(organization) = data.organization else {
        return Observed::unavailable(format!("{label}: no rulesets were returned; needs {needs}"));
    };
    let bypass = BypassVisibility::from_viewer(organization.viewer_can_administer, login);
    let Some(connection) = organization.rulesets else {
        return Observed::unavailable(format!("{label}: no rulesets were returned; needs {needs}"));
    };
    let first = match FirstPage::of(connection, "organization rulesets") {
        Ok(first) => first,
        Err(reason) => return Observed::unavailable(format!("{label}: {reason}")),
    };
    let follow = FollowUp {
        name: "OrganizationRulesets".to_owned(),
        query,
        variables: json!({ "org": login }),
        path: &["organization", "rulesets"],
        needs,
    };
    convert::rulesets(pages::complete(client, first, follow).await, label, &bypass)
}

/// The messages of the GraphQL errors at or under `prefix`, joined. A
/// list index in an error's path (a number) matches its decimal text.
pub(crate) fn errors_under(errors: &[GraphqlError], prefix: &[&str]) -> Option<String> {
    let messages: Vec<&str> = errors
        .iter()
        .filter(|e| {
            e.path.len() >= prefix.len()
                && prefix.iter().zip(&e.path).all(|(want, got)| match got {
                    serde_json::Value::Number(index) => index.to_string() == *want,
                    other => other.as_str() == Some(want),
                })
        })
        .map(|e| e.message.as_str())
        .collect();
    (!messages.is_empty()).then(|| messages.join("; "))
}
