//! Who collected a snapshot, with which credentials, in which run: what an
//! auditor asks first about information a scanner produced. None of it is a
//! fact a control judges; it is absent from snapshots collected before tenet
//! recorded it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Observed;

/// Who read an AWS account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AwsReader {
    /// The identity the scan's credentials belong to, as
    /// `sts:GetCallerIdentity` named it (`Arn`).
    pub caller_arn: String,
    /// The role assumed in the account to read it; `None` when the account
    /// was read with the caller's own credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assumed_role: Option<String>,
}

/// Who read a GitHub organization: the credential, as far as GitHub shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GithubReader {
    /// The kind of credential.
    pub credential: GithubCredential,
    /// The user a user token acts for (`GET /user`); `None` for an App's
    /// installation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Observed<String>>,
    /// The GitHub App's id, for an App's installation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<u64>,
    /// The App's installation on the organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installation_id: Option<u64>,
    /// The OAuth scopes GitHub reported for the token (`X-OAuth-Scopes`),
    /// sorted; `None` when it reported none (fine-grained and installation
    /// tokens carry permissions, not scopes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    /// The permissions GitHub granted the App's installation token, by
    /// permission (`members`, `administration`, …): `read`, `write` or
    /// `admin`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub permissions: BTreeMap<String, String>,
    /// Which repositories the installation may see: `all` or `selected`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository_selection: Option<String>,
}

impl GithubReader {
    /// A reader of which only the kind of credential is known.
    pub fn new(credential: GithubCredential) -> GithubReader {
        GithubReader {
            credential,
            user: None,
            app_id: None,
            installation_id: None,
            scopes: None,
            permissions: BTreeMap::new(),
            repository_selection: None,
        }
    }
}

/// A kind of GitHub credential, told by its documented prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum GithubCredential {
    /// A personal access token (classic), `ghp_`.
    ClassicToken,
    /// A fine-grained personal access token, `github_pat_`.
    FineGrainedToken,
    /// An OAuth App's token, `gho_`.
    OauthToken,
    /// A GitHub App's token acting for a user, `ghu_`.
    AppUserToken,
    /// A GitHub App installation token given as a token, `ghs_`: an App's,
    /// or GitHub Actions' `GITHUB_TOKEN`.
    InstallationToken,
    /// A GitHub App's key, exchanged by tenet for installation tokens.
    App,
    /// A token of no documented prefix.
    Other,
}

impl GithubCredential {
    /// The kind of `token`, by its prefix.
    pub fn of_token(token: &str) -> GithubCredential {
        const PREFIXES: [(&str, GithubCredential); 5] = [
            ("ghp_", GithubCredential::ClassicToken),
            ("github_pat_", GithubCredential::FineGrainedToken),
            ("gho_", GithubCredential::OauthToken),
            ("ghu_", GithubCredential::AppUserToken),
            ("ghs_", GithubCredential::InstallationToken),
        ];
        PREFIXES
            .iter()
            .find(|(prefix, _)| token.starts_with(prefix))
            .map_or(GithubCredential::Other, |(_, kind)| *kind)
    }

    /// Whether the credential acts for a user, whom `GET /user` names.
    pub fn has_user(self) -> bool {
        !matches!(
            self,
            GithubCredential::InstallationToken | GithubCredential::App
        )
    }

    /// The kind in words, for reports.
    pub fn words(self) -> &'static str {
        match self {
            GithubCredential::ClassicToken => "personal access token (classic)",
            GithubCredential::FineGrainedToken => "fine-grained personal access token",
            GithubCredential::OauthToken => "OAuth App token",
            GithubCredential::AppUserToken => "GitHub App user token",
            GithubCredential::InstallationToken => {
                "installation token (a GitHub App's or GitHub Actions' GITHUB_TOKEN)"
            }
            GithubCredential::App => "GitHub App installation",
            GithubCredential::Other => "token of unknown kind",
        }
    }
}

/// The run that collected a snapshot, recorded only when asked for
/// (`--run-label`) or when running in GitHub Actions, so that collections
/// elsewhere stay alike.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Run {
    /// The label given with `--run-label`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The GitHub Actions run, from its default environment variables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub github_actions: Option<ActionsRun>,
}

impl Run {
    /// Whether there is nothing to record.
    pub fn is_empty(&self) -> bool {
        self.label.is_none() && self.github_actions.is_none()
    }
}

/// A GitHub Actions run, as its default environment variables describe it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ActionsRun {
    /// The run's page: `GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/
    /// GITHUB_RUN_ID/attempts/GITHUB_RUN_ATTEMPT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The workflow (`GITHUB_WORKFLOW`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<String>,
    /// Who started the run (`GITHUB_ACTOR`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The commit it ran at (`GITHUB_SHA`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The ref it ran on (`GITHUB_REF`).
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "ref")]
    pub git_ref: Option<String>,
}

impl ActionsRun {
    /// The run `var` describes when `GITHUB_ACTIONS` is `true`.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Option<ActionsRun> {
        if var("GITHUB_ACTIONS").as_deref() != Some("true") {
            return None;
        }
        let url = match (
            var("GITHUB_SERVER_URL"),
            var("GITHUB_REPOSITORY"),
            var("GITHUB_RUN_ID"),
        ) {
            (Some(server), Some(repository), Some(id)) => Some(match var("GITHUB_RUN_ATTEMPT") {
                Some(attempt) => {
                    format!("{server}/{repository}/actions/runs/{id}/attempts/{attempt}")
                }
                None => format!("{server}/{repository}/actions/runs/{id}"),
            }),
            _ => None,
        };
        Some(ActionsRun {
            url,
            workflow: var("GITHUB_WORKFLOW"),
            actor: var("GITHUB_ACTOR"),
            commit: var("GITHUB_SHA"),
            git_ref: var("GITHUB_REF"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_told_by_their_documented_prefix() {
        let cases = [
            ("ghp_abc", GithubCredential::ClassicToken),
            ("github_pat_11AB", GithubCredential::FineGrainedToken),
            ("gho_abc", GithubCredential::OauthToken),
            ("ghu_abc", GithubCredential::AppUserToken),
            ("ghs_abc", GithubCredential::InstallationToken),
            ("ghr_abc", GithubCredential::Other),
            (
                "0123456789abcdef0123456789abcdef01234567",
                GithubCredential::Other,
            ),
        ];
        for (token, kind) in cases {
            assert_eq!(GithubCredential::of_token(token), kind, "{token}");
        }
    }

    #[test]
    fn an_actions_run_is_read_only_in_github_actions() {
        fn vars(set: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
            let set: Vec<(String, String)> = set
                .iter()
                .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
                .collect();
            move |name| {
                set.iter()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.clone())
            }
        }
        let env = [
            ("GITHUB_SERVER_URL", "https://github.com"),
            ("GITHUB_REPOSITORY", "acme/audit"),
            ("GITHUB_RUN_ID", "42"),
            ("GITHUB_RUN_ATTEMPT", "2"),
            ("GITHUB_ACTOR", "alice"),
            ("GITHUB_SHA", "0123abcd"),
        ];
        assert_eq!(ActionsRun::from_env(vars(&env)), None);
        let mut inside = env.to_vec();
        inside.push(("GITHUB_ACTIONS", "true"));
        let run = ActionsRun::from_env(vars(&inside)).expect("in GitHub Actions");
        assert_eq!(
            run.url.as_deref(),
            Some("https://github.com/acme/audit/actions/runs/42/attempts/2")
        );
        assert_eq!(run.actor.as_deref(), Some("alice"));
        assert_eq!(run.workflow, None);
    }
}
