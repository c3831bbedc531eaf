//! How repositories' Actions OIDC subjects are made (`GET
//! /repos/{owner}/{repo}/actions/oidc/customization/sub`), read after the
//! collection and only for the repositories the caller names: GitHub has no
//! listing of them, and one request per repository of a large organization
//! would double what its collection costs.

use std::collections::{BTreeMap, BTreeSet};

use futures::future::join_all;
use tenet_inventory::{
    Observed,
    github::{GithubOrg, OidcSubject},
};

use crate::{
    client::{self, Client, RequestStats},
    config::{ConfigError, GithubConfig},
    org::credential,
    permissions,
    rest::OidcSubjectJson,
};

/// Reads the OIDC subject settings of the repositories `wanted` names per
/// organization login, into `orgs`; every other repository's are recorded
/// as unavailable with `unread` as the reason. An organization whose
/// credentials fail leaves its wanted repositories unavailable with the
/// reason. Returns the requests it took; `Err` only for a configuration
/// that cannot be used.
pub async fn read_oidc_subjects(
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
                join_all(
                    repos
                        .iter()
                        .filter(|repo| wanted.contains(&repo.name))
                        .map(|repo| subject(&client, &org.login, &repo.name)),
                )
                .await
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

/// How one repository's Actions OIDC subject is made. A customized subject
/// without its claim keys is unavailable.
async fn subject(client: &Client<'_>, org: &str, name: &str) -> Observed<OidcSubject> {
    let path = format!("/repos/{org}/{name}/actions/oidc/customization/sub");
    match client.get_json::<OidcSubjectJson>(&path).await {
        Ok(json) => match (json.use_default, json.include_claim_keys) {
            (true, keys) => Observed::Known(OidcSubject {
                use_default: true,
                use_immutable_subject: json.use_immutable_subject,
                include_claim_keys: keys.unwrap_or_default(),
            }),
            (false, Some(keys)) if !keys.is_empty() => Observed::Known(OidcSubject {
                use_default: false,
                use_immutable_subject: json.use_immutable_subject,
                include_claim_keys: keys,
            }),
            (false, _) => Observed::unavailable(format!(
                "GET {path}: a customized subject without its claim keys"
            )),
        },
        Err(err) => Observed::unavailable(err.reason(permissions::REPO_OIDC_SUBJECT)),
    }
}
