//! Open security alerts of an organization's repositories, from the three
//! organization-level listings (`GET /orgs/{org}/{kind}/alerts?state=open`,
//! 100 alerts a page, read to the end): the cost grows with the number of
//! open alerts, not of repositories. A listing that fails or cannot be
//! understood leaves that kind of alert unavailable for every repository;
//! a repository it does not name has no open alert of that kind.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, de::DeserializeOwned};
use tenet_inventory::{
    Observed,
    github::{Alert, AlertSeverity, OpenAlerts},
};

use crate::{client::Client, graphql::Named, permissions, permissions::Needs};

/// A Dependabot alert.
#[derive(Debug, Deserialize)]
struct DependabotJson {
    number: u64,
    created_at: DateTime<Utc>,
    html_url: String,
    repository: Named,
    security_advisory: AdvisoryJson,
    dependency: Option<DependencyJson>,
}

/// The advisory of a Dependabot alert.
#[derive(Debug, Deserialize)]
struct AdvisoryJson {
    ghsa_id: String,
    severity: String,
}

/// The dependency of a Dependabot alert.
#[derive(Debug, Deserialize)]
struct DependencyJson {
    package: Option<PackageJson>,
}

/// A package.
#[derive(Debug, Deserialize)]
struct PackageJson {
    name: String,
}

/// A code scanning alert.
#[derive(Debug, Deserialize)]
struct CodeScanningJson {
    number: u64,
    created_at: DateTime<Utc>,
    html_url: String,
    repository: Named,
    rule: RuleJson,
    tool: ToolJson,
}

/// The rule of a code scanning alert.
#[derive(Debug, Deserialize)]
struct RuleJson {
    id: Option<String>,
    severity: Option<String>,
    security_severity_level: Option<String>,
}

/// The tool of a code scanning alert.
#[derive(Debug, Deserialize)]
struct ToolJson {
    name: Option<String>,
}

/// A secret scanning alert.
#[derive(Debug, Deserialize)]
struct SecretJson {
    number: u64,
    created_at: DateTime<Utc>,
    html_url: String,
    repository: Named,
    secret_type_display_name: Option<String>,
    secret_type: Option<String>,
}

/// One kind of alert, by repository name, or why it was not read.
type Listing = Result<BTreeMap<String, Vec<Alert>>, String>;

/// The three listings of an organization.
pub(crate) struct OrgAlerts {
    dependabot: Listing,
    code_scanning: Listing,
    secret_scanning: Listing,
}

impl OrgAlerts {
    /// The open alerts of one repository.
    pub(crate) fn for_repository(&self, name: &str) -> OpenAlerts {
        let one = |listing: &Listing| match listing {
            Ok(by_repo) => Observed::Known(by_repo.get(name).cloned().unwrap_or_default()),
            Err(reason) => Observed::unavailable(reason),
        };
        OpenAlerts {
            dependabot: one(&self.dependabot),
            code_scanning: one(&self.code_scanning),
            secret_scanning: one(&self.secret_scanning),
        }
    }
}

/// Reads the three listings, unless the policy needs none of them.
pub(crate) async fn collect(client: &Client<'_>, org: &str) -> OrgAlerts {
    if let Some(reason) = &client.settings().skip_alerts {
        return OrgAlerts {
            dependabot: Err(reason.clone()),
            code_scanning: Err(reason.clone()),
            secret_scanning: Err(reason.clone()),
        };
    }
    let (dependabot, code_scanning, secret_scanning) = tokio::join!(
        listing(
            client,
            format!("/orgs/{org}/dependabot/alerts?state=open"),
            permissions::ORG_DEPENDABOT_ALERTS,
            dependabot,
        ),
        listing(
            client,
            format!("/orgs/{org}/code-scanning/alerts?state=open"),
            permissions::ORG_CODE_SCANNING_ALERTS,
            code_scanning,
        ),
        listing(
            client,
            // `hide_secret`: tenet never reads the secret itself.
            format!("/orgs/{org}/secret-scanning/alerts?state=open&hide_secret=true"),
            permissions::ORG_SECRET_SCANNING_ALERTS,
            secret_scanning,
        ),
    );
    OrgAlerts {
        dependabot,
        code_scanning,
        secret_scanning,
    }
}

/// One listing, each alert converted by `convert` into its repository's
/// name and the alert; alerts of a repository sorted by number.
async fn listing<T: DeserializeOwned>(
    client: &Client<'_>,
    path: String,
    needs: Needs,
    convert: fn(T) -> Result<(String, Alert), String>,
) -> Listing {
    let items = client
        .list::<T>(&path)
        .await
        .map_err(|err| err.reason(needs))?;
    let mut by_repo: BTreeMap<String, Vec<Alert>> = BTreeMap::new();
    for item in items {
        let (repo, alert) = convert(item).map_err(|why| format!("GET {path}: {why}"))?;
        by_repo.entry(repo).or_default().push(alert);
    }
    for alerts in by_repo.values_mut() {
        alerts.sort_by_key(|a| a.number);
    }
    Ok(by_repo)
}

/// A severity GitHub names `critical`, `high`, `medium` (or `moderate`)
/// or `low`.
fn severity(text: &str) -> Option<AlertSeverity> {
    match text {
        "critical" => Some(AlertSeverity::Critical),
        "high" => Some(AlertSeverity::High),
        "medium" | "moderate" => Some(AlertSeverity::Medium),
        "low" => Some(AlertSeverity::Low),
        _ => None,
    }
}

fn dependabot(json: DependabotJson) -> Result<(String, Alert), String> {
    let advisory = json.security_advisory;
    let severity = severity(&advisory.severity).ok_or_else(|| {
        format!(
            "alert {} of {} has the unknown severity `{}`",
            json.number, json.repository.name, advisory.severity
        )
    })?;
    let package = json
        .dependency
        .and_then(|d| d.package)
        .map(|p| format!(" in {}", p.name))
        .unwrap_or_default();
    Ok((
        json.repository.name,
        Alert {
            number: json.number,
            severity: Some(severity),
            created_at: json.created_at,
            title: format!("{}{package}", advisory.ghsa_id),
            url: json.html_url,
        },
    ))
}

/// A code scanning alert: its security severity where the rule has one,
/// else its rule's level (`error` as high, `warning` as medium, `note` and
/// `none` as low). A level tenet does not know makes the listing unreadable.
fn code_scanning(json: CodeScanningJson) -> Result<(String, Alert), String> {
    let rule = json.rule;
    let level = match (&rule.security_severity_level, &rule.severity) {
        (Some(security), _) => severity(security),
        (None, Some(level)) => match level.as_str() {
            "error" => Some(AlertSeverity::High),
            "warning" => Some(AlertSeverity::Medium),
            "note" | "none" => Some(AlertSeverity::Low),
            _ => None,
        },
        (None, None) => None,
    }
    .ok_or_else(|| {
        format!(
            "alert {} of {} has an unknown severity (security severity {:?}, level {:?})",
            json.number, json.repository.name, rule.security_severity_level, rule.severity
        )
    })?;
    let tool = json.tool.name.unwrap_or_else(|| "unnamed tool".to_owned());
    let rule_id = rule.id.unwrap_or_else(|| "unnamed rule".to_owned());
    Ok((
        json.repository.name,
        Alert {
            number: json.number,
            severity: Some(level),
            created_at: json.created_at,
            title: format!("{tool}: {rule_id}"),
            url: json.html_url,
        },
    ))
}

fn secret_scanning(json: SecretJson) -> Result<(String, Alert), String> {
    let kind = json
        .secret_type_display_name
        .or(json.secret_type)
        .unwrap_or_else(|| "secret".to_owned());
    Ok((
        json.repository.name,
        Alert {
            number: json.number,
            severity: None,
            created_at: json.created_at,
            title: kind,
            url: json.html_url,
        },
    ))
}
