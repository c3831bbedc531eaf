//! Who collected the snapshot and in which run, in the JSON report (added
//! within version 1: absent from reports of snapshots that do not record
//! it), and back from it for `tenet render`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tenet_engine::{
    ActionsRun, AwsReader, GithubCredential, GithubReader, RegionsRead, Run, SnapshotInfo,
};

/// Who read one AWS account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonAwsReader {
    /// The identity the scan's credentials belong to, as
    /// `sts:GetCallerIdentity` named it.
    pub caller_arn: String,
    /// The role assumed in the account to read it; absent when the account
    /// was read with the caller's own credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assumed_role: Option<String>,
}

/// The regions read in one AWS account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonRegions {
    /// The regions, sorted; empty when they could not be listed.
    pub names: Vec<String>,
    /// Why the regions could not be listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<String>,
    /// They are every region enabled in the account, not the policy's
    /// `regions`.
    pub every_enabled: bool,
}

/// Who read one GitHub organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonGithubReader {
    /// The kind of credential.
    pub credential: JsonGithubCredential,
    /// The user a user token acts for (`GET /user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Why the user of a user token could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_unavailable: Option<String>,
    /// The GitHub App's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<u64>,
    /// The App's installation on the organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installation_id: Option<u64>,
    /// The token's OAuth scopes as GitHub reported them (classic and OAuth
    /// tokens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    /// The permissions GitHub granted the App's installation token:
    /// permission → `read`, `write` or `admin`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub permissions: BTreeMap<String, String>,
    /// Which repositories the installation may see: `all` or `selected`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository_selection: Option<String>,
}

/// A kind of GitHub credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JsonGithubCredential {
    /// A personal access token (classic), `ghp_`.
    ClassicToken,
    /// A fine-grained personal access token, `github_pat_`.
    FineGrainedToken,
    /// An OAuth App's token, `gho_`.
    OauthToken,
    /// A GitHub App's token acting for a user, `ghu_`.
    AppUserToken,
    /// An installation token given as a token, `ghs_` (an App's, or GitHub
    /// Actions' `GITHUB_TOKEN`).
    InstallationToken,
    /// A GitHub App's key, exchanged by tenet for installation tokens.
    App,
    /// A token of no documented prefix.
    Other,
}

/// The run that collected the snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonRun {
    /// The label given with `--run-label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The GitHub Actions run, when tenet ran in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub github_actions: Option<JsonActionsRun>,
}

/// A GitHub Actions run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JsonActionsRun {
    /// The run's page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The workflow's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<String>,
    /// Who started the run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The commit it ran at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The ref it ran on.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "ref")]
    pub git_ref: Option<String>,
}

/// The collection facts of the JSON report's `snapshot`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct JsonCollection {
    pub aws_readers: BTreeMap<String, JsonAwsReader>,
    pub aws_regions: BTreeMap<String, JsonRegions>,
    pub github_readers: BTreeMap<String, JsonGithubReader>,
    pub run: Option<JsonRun>,
}

impl From<&SnapshotInfo> for JsonCollection {
    fn from(snapshot: &SnapshotInfo) -> Self {
        JsonCollection {
            aws_readers: snapshot
                .aws_readers
                .iter()
                .map(|(id, reader)| {
                    let json = JsonAwsReader {
                        caller_arn: reader.caller_arn.clone(),
                        assumed_role: reader.assumed_role.clone(),
                    };
                    (id.clone(), json)
                })
                .collect(),
            aws_regions: snapshot
                .aws_regions
                .iter()
                .map(|(id, regions)| {
                    let json = JsonRegions {
                        names: regions.names.clone().unwrap_or_default(),
                        unavailable: regions.names.clone().err(),
                        every_enabled: regions.every_enabled,
                    };
                    (id.clone(), json)
                })
                .collect(),
            github_readers: snapshot
                .github_readers
                .iter()
                .map(|(login, reader)| (login.clone(), github_reader(reader)))
                .collect(),
            run: snapshot.run.as_ref().map(|run| JsonRun {
                label: run.label.clone(),
                github_actions: run.github_actions.as_ref().map(|ci| JsonActionsRun {
                    url: ci.url.clone(),
                    workflow: ci.workflow.clone(),
                    actor: ci.actor.clone(),
                    commit: ci.commit.clone(),
                    git_ref: ci.git_ref.clone(),
                }),
            }),
        }
    }
}

fn github_reader(reader: &GithubReader) -> JsonGithubReader {
    let (user, user_unavailable) = match &reader.user {
        None => (None, None),
        Some(user) => match user.as_result() {
            Ok(login) => (Some(login.clone()), None),
            Err(reason) => (None, Some(reason.to_owned())),
        },
    };
    JsonGithubReader {
        credential: match reader.credential {
            GithubCredential::ClassicToken => JsonGithubCredential::ClassicToken,
            GithubCredential::FineGrainedToken => JsonGithubCredential::FineGrainedToken,
            GithubCredential::OauthToken => JsonGithubCredential::OauthToken,
            GithubCredential::AppUserToken => JsonGithubCredential::AppUserToken,
            GithubCredential::InstallationToken => JsonGithubCredential::InstallationToken,
            GithubCredential::App => JsonGithubCredential::App,
            GithubCredential::Other => JsonGithubCredential::Other,
        },
        user,
        user_unavailable,
        app_id: reader.app_id,
        installation_id: reader.installation_id,
        scopes: reader.scopes.clone(),
        permissions: reader.permissions.clone(),
        repository_selection: reader.repository_selection.clone(),
    }
}

impl JsonCollection {
    /// Fills `snapshot`'s collection facts from the JSON's.
    pub(crate) fn restore(&self, snapshot: &mut SnapshotInfo) {
        snapshot.aws_readers = self
            .aws_readers
            .iter()
            .map(|(id, json)| {
                let reader = AwsReader {
                    caller_arn: json.caller_arn.clone(),
                    assumed_role: json.assumed_role.clone(),
                };
                (id.clone(), reader)
            })
            .collect();
        snapshot.aws_regions = self
            .aws_regions
            .iter()
            .map(|(id, json)| {
                let names = match &json.unavailable {
                    Some(reason) => Err(reason.clone()),
                    None => Ok(json.names.clone()),
                };
                let regions = RegionsRead {
                    names,
                    every_enabled: json.every_enabled,
                };
                (id.clone(), regions)
            })
            .collect();
        snapshot.github_readers = self
            .github_readers
            .iter()
            .map(|(login, json)| (login.clone(), restore_github(json)))
            .collect();
        snapshot.run = self.run.as_ref().map(|run| Run {
            label: run.label.clone(),
            github_actions: run.github_actions.as_ref().map(|ci| ActionsRun {
                url: ci.url.clone(),
                workflow: ci.workflow.clone(),
                actor: ci.actor.clone(),
                commit: ci.commit.clone(),
                git_ref: ci.git_ref.clone(),
            }),
        });
    }
}

fn restore_github(json: &JsonGithubReader) -> GithubReader {
    let credential = match json.credential {
        JsonGithubCredential::ClassicToken => GithubCredential::ClassicToken,
        JsonGithubCredential::FineGrainedToken => GithubCredential::FineGrainedToken,
        JsonGithubCredential::OauthToken => GithubCredential::OauthToken,
        JsonGithubCredential::AppUserToken => GithubCredential::AppUserToken,
        JsonGithubCredential::InstallationToken => GithubCredential::InstallationToken,
        JsonGithubCredential::App => GithubCredential::App,
        JsonGithubCredential::Other => GithubCredential::Other,
    };
    let user = match (&json.user, &json.user_unavailable) {
        (Some(login), _) => Some(tenet_engine::Observed::Known(login.clone())),
        (None, Some(reason)) => Some(tenet_engine::Observed::unavailable(reason)),
        (None, None) => None,
    };
    GithubReader {
        credential,
        user,
        app_id: json.app_id,
        installation_id: json.installation_id,
        scopes: json.scopes.clone(),
        permissions: json.permissions.clone(),
        repository_selection: json.repository_selection.clone(),
    }
}
