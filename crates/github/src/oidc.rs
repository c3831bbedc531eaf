//! The settings a deploy path from GitHub Actions into AWS depends on, read
//! after the collection and only for the repositories the caller names
//! (those an AWS role that trusts GitHub Actions may let in):
//!
//! - how the repository's Actions OIDC subjects are made (`GET
//!   /repos/{owner}/{repo}/actions/oidc/customization/sub`): GitHub has no
//!   listing of them, and one request per repository of a large
//!   organization would double what its collection costs. A repository
//!   customized without claim keys follows its organization's template
//!   (`GET /orgs/{org}/actions/oidc/customization/sub`, read once per
//!   organization and only then), or GitHub's default when the
//!   organization has none;
//! - what GraphQL does not give of its deployment environments
//!   ([`environments::complete`]), when it has some whose details the
//!   collection did not read.

use std::collections::{BTreeMap, BTreeSet};

use futures::future::join_all;
use tenet_inventory::{
    Observed,
    github::{GithubOrg, OidcSubject},
};

use crate::{
    client::{self, Client, RequestStats},
    config::{ConfigError, GithubConfig},
    environments,
    org::credential,
    permissions,
    rest::{OidcSubjectJson, OrgOidcSubjectJson},
};

/// Reads the OIDC subject settings and the environment details of the
/// repositories `wanted` names per organization login, into `orgs`; every
/// other repository's subject settings are recorded as unavailable with
/// `unread` as the reason. An organization whose credentials fail leaves
/// its wanted repositories' subject settings unavailable with the reason.
/// Returns the requests it took; `Err` only for a configuration that
/// cannot be used.
pub async fn read_deploy_settings(
    config: &GithubConfig,
    orgs: &mut [GithubOrg],
    wanted: &BTreeMap<String, BTreeSet<String>>,
    unread: &str,
) -> Result<RequestStats, ConfigError> {
    let settings = config.validate()?;
    let stats = client::Stats::default();
    let none = BTreeSet::new();
    for org in orgs.iter_mut() {
        let wanted = wanted.get(&org.login).unwrap_or(&none);
        let Observed::Known(repos) = &mut org.repositories else {
            continue;
        };
        for repo in repos.iter_mut() {
            repo.oidc_subject = Observed::unavailable(unread);
        }
        if !repos.iter().any(|repo| wanted.contains(&repo.name)) {
            continue;
        }
        let client = Client::new(&settings, &stats, credential(&settings, &org.login));
        let subjects: Vec<Observed<OidcSubject>> = match client.authenticate().await {
            Ok(()) => {
                let answers = join_all(
                    repos
                        .iter()
                        .filter(|repo| wanted.contains(&repo.name))
                        .map(|repo| subject(&client, &org.login, &repo.name)),
                )
                .await;
                let template = if answers
                    .iter()
                    .any(|answer| matches!(answer, Answer::FollowsOrganization { .. }))
                {
                    Some(org_template(&client, &org.login).await)
                } else {
                    None
                };
                if settings.skip_environment_details.is_none() {
                    join_all(
                        repos
                            .iter_mut()
                            .filter(|repo| wanted.contains(&repo.name))
                            .map(|repo| {
                                let base = format!("/repos/{}/{}", org.login, repo.name);
                                let client = &client;
                                async move {
                                    environments::complete(
                                        client,
                                        &base,
                                        &mut repo.environments,
                                        |_| true,
                                    )
                                    .await;
                                }
                            }),
                    )
                    .await;
                }
                answers
                    .into_iter()
                    .map(|answer| answer.resolve(template.as_ref()))
                    .collect()
            }
            Err(err) => {
                let reason = format!("GitHub App authentication failed: {}", err.plain());
                repos
                    .iter()
                    .filter(|repo| wanted.contains(&repo.name))
                    .map(|_| Observed::unavailable(&reason))
                    .collect()
            }
        };
        for (repo, subject) in repos
            .iter_mut()
            .filter(|repo| wanted.contains(&repo.name))
            .zip(subjects)
        {
            repo.oidc_subject = subject;
        }
    }
    Ok(stats.snapshot())
}

/// What a repository's subject settings say.
enum Answer {
    /// Its own template, or GitHub's default.
    Own(Observed<OidcSubject>),
    /// Customized without claim keys: its organization's template, or
    /// GitHub's default when the organization has none.
    FollowsOrganization {
        /// The repository's own choice of immutable subject, if it made
        /// one (the organization's answer is not taken for it).
        use_immutable_subject: Option<bool>,
    },
}

impl Answer {
    /// The subject settings in effect, given the organization's template
    /// (read only when some repository follows it).
    fn resolve(self, template: Option<&Observed<OrgOidcSubjectJson>>) -> Observed<OidcSubject> {
        let use_immutable_subject = match self {
            Answer::Own(subject) => return subject,
            Answer::FollowsOrganization {
                use_immutable_subject,
            } => use_immutable_subject,
        };
        match template {
            Some(Observed::Known(template)) => Observed::Known(OidcSubject {
                use_default: template.include_claim_keys.is_empty(),
                use_immutable_subject,
                include_claim_keys: template.include_claim_keys.clone(),
            }),
            Some(Observed::Unavailable { reason }) => Observed::unavailable(format!(
                "it follows its organization's OIDC subject template, which is unavailable: {reason}"
            )),
            None => Observed::unavailable("its organization's OIDC subject template was not read"),
        }
    }
}

/// How one repository's Actions OIDC subject is made.
async fn subject(client: &Client<'_>, org: &str, name: &str) -> Answer {
    let path = format!("/repos/{org}/{name}/actions/oidc/customization/sub");
    match client.get_json::<OidcSubjectJson>(&path).await {
        Ok(json) => match (json.use_default, json.include_claim_keys) {
            (true, keys) => Answer::Own(Observed::Known(OidcSubject {
                use_default: true,
                use_immutable_subject: json.use_immutable_subject,
                include_claim_keys: keys.unwrap_or_default(),
            })),
            (false, Some(keys)) if !keys.is_empty() => Answer::Own(Observed::Known(OidcSubject {
                use_default: false,
                use_immutable_subject: json.use_immutable_subject,
                include_claim_keys: keys,
            })),
            (false, _) => Answer::FollowsOrganization {
                use_immutable_subject: json.use_immutable_subject,
            },
        },
        Err(err) => Answer::Own(Observed::unavailable(
            err.reason(permissions::REPO_OIDC_SUBJECT),
        )),
    }
}

/// The organization's subject template.
async fn org_template(client: &Client<'_>, org: &str) -> Observed<OrgOidcSubjectJson> {
    let path = format!("/orgs/{org}/actions/oidc/customization/sub");
    match client.get_json::<OrgOidcSubjectJson>(&path).await {
        Ok(template) => Observed::Known(template),
        Err(err) => Observed::unavailable(err.reason(permissions::ORG_OIDC_SUBJECT)),
    }
}
