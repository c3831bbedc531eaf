//! Whether code scanning analyses each repository, at organization cost
//! where GitHub allows it: the organization's code security configurations
//! (one listing), and for each configuration that turns default setup on,
//! the repositories attached to it (100 a page). A repository that no such
//! configuration covers costs one request more: its latest analysis, which
//! default setup on the repository and workflows uploading results both
//! leave.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use futures::future::join_all;
use serde::Deserialize;
use tenet_inventory::{Observed, github::CodeScanning};

use crate::{
    client::Client,
    error::{ApiError, Failure},
    graphql::Named,
    permissions,
};

/// One code security configuration, as `GET /orgs/{org}/code-security/configurations`
/// lists it.
#[derive(Debug, Deserialize)]
struct ConfigurationJson {
    id: u64,
    name: String,
    code_scanning_default_setup: Option<String>,
}

/// One repository of a configuration.
#[derive(Debug, Deserialize)]
struct AttachmentJson {
    status: String,
    repository: Option<Named>,
}

/// One analysis of `GET /repos/{owner}/{repo}/code-scanning/analyses`.
#[derive(Debug, Deserialize)]
struct AnalysisJson {
    created_at: DateTime<Utc>,
    tool: ToolJson,
}

/// An analysis tool.
#[derive(Debug, Deserialize)]
struct ToolJson {
    name: String,
}

/// The attachment statuses under which a configuration's settings are in
/// force on a repository (GitHub's others: attaching, detached, removed,
/// failed, updating, removed_by_enterprise).
const IN_FORCE: [&str; 2] = ["attached", "enforced"];

/// What the configurations say of each repository.
pub(crate) enum Coverage {
    /// Not collected: the policy runs no control that reads it; the reason
    /// is every repository's fact.
    Skipped(String),
    /// Not read: every repository costs its own request. The reason is
    /// kept for the facts of repositories whose own request fails too.
    NotRead(String),
    /// The repositories a configuration with default setup on is in force
    /// on, with that configuration's id and name.
    Read(BTreeMap<String, (u64, String)>),
}

/// Reads the configurations and their repositories, unless the policy
/// needs no code scanning fact.
pub(crate) async fn coverage(client: &Client<'_>, org: &str) -> Coverage {
    if let Some(reason) = &client.settings().skip_code_scanning {
        return Coverage::Skipped(reason.clone());
    }
    let path = format!("/orgs/{org}/code-security/configurations");
    let configurations = match client.list::<ConfigurationJson>(&path).await {
        Ok(configurations) => configurations,
        Err(err) => return Coverage::NotRead(err.reason(permissions::ORG_CODE_SECURITY)),
    };
    let enabled: Vec<ConfigurationJson> = configurations
        .into_iter()
        .filter(|c| c.code_scanning_default_setup.as_deref() == Some("enabled"))
        .collect();
    let listings = join_all(enabled.iter().map(|configuration| async move {
        let path = format!(
            "/orgs/{org}/code-security/configurations/{}/repositories",
            configuration.id
        );
        client.list::<AttachmentJson>(&path).await
    }))
    .await;
    let mut covered = BTreeMap::new();
    for (configuration, listing) in enabled.iter().zip(listings) {
        let attachments = match listing {
            Ok(attachments) => attachments,
            Err(err) => return Coverage::NotRead(err.reason(permissions::ORG_CODE_SECURITY)),
        };
        for attachment in attachments {
            let Some(repository) = attachment.repository else {
                return Coverage::NotRead(format!(
                    "GET /orgs/{org}/code-security/configurations/{}/repositories listed an \
                     attachment without its repository",
                    configuration.id
                ));
            };
            if IN_FORCE.contains(&attachment.status.as_str()) {
                covered
                    .entry(repository.name)
                    .or_insert_with(|| (configuration.id, configuration.name.clone()));
            }
        }
    }
    Coverage::Read(covered)
}

/// Code scanning of one repository: from its configuration, else from its
/// latest analysis.
pub(crate) async fn of_repository(
    client: &Client<'_>,
    org: &str,
    name: &str,
    coverage: &Coverage,
) -> Observed<CodeScanning> {
    match coverage {
        Coverage::Skipped(reason) => return Observed::unavailable(reason),
        Coverage::Read(covered) => {
            if let Some((id, configuration)) = covered.get(name) {
                return Observed::Known(CodeScanning::Configuration {
                    id: *id,
                    name: configuration.clone(),
                });
            }
        }
        Coverage::NotRead(_) => {}
    }
    let path = format!("/repos/{org}/{name}/code-scanning/analyses?per_page=1");
    let analyses = client.get_json::<Vec<AnalysisJson>>(&path).await;
    let observed = match analyses {
        Ok(analyses) => match analyses.into_iter().next() {
            Some(latest) => Observed::Known(CodeScanning::Analyses {
                tool: latest.tool.name,
                created_at: latest.created_at,
            }),
            None => Observed::Known(CodeScanning::Off {
                detail: format!("GET {path} listed no analysis"),
            }),
        },
        Err(err) => match off_by_answer(&err) {
            Some(detail) => Observed::Known(CodeScanning::Off { detail }),
            None => Observed::unavailable(err.reason(permissions::REPO_CODE_SCANNING)),
        },
    };
    match (observed, coverage) {
        (Observed::Unavailable { reason }, Coverage::NotRead(why)) => Observed::unavailable(
            format!("{reason}; the code security configurations were not read either: {why}"),
        ),
        (observed, _) => observed,
    }
}

/// The answers by which GitHub says a repository has no code scanning: 404
/// "no analysis found", and 403 when Advanced Security (which code
/// scanning of a private repository needs) is off. Any other error leaves
/// the fact unknown.
fn off_by_answer(err: &ApiError) -> Option<String> {
    let Failure::Status {
        status, message, ..
    } = &err.failure
    else {
        return None;
    };
    let message = message.as_deref()?;
    let lower = message.to_ascii_lowercase();
    let off = match status.as_u16() {
        404 => lower.contains("no analysis found"),
        403 => lower.contains("advanced security must be enabled"),
        _ => false,
    };
    off.then(|| format!("{}: {} ({message})", err.request, status.as_u16()))
}
