//! `github.repo.alert-deadlines`: open Dependabot, code scanning and secret
//! scanning alerts are fixed within the policy's deadline for their
//! severity.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};
use tenet_inventory::{
    Observed,
    github::{Alert, AlertSeverity, CodeScanning, Repository},
};

use crate::{
    Context, Outcome, Resource,
    support::{each_repo, parameter_error},
};

/// The deadlines, in days since GitHub raised the alert.
#[derive(Clone, Copy, Debug, Deserialize)]
struct Deadlines {
    max_days_critical: u64,
    max_days_high: u64,
    max_days_medium: u64,
    max_days_low: u64,
    max_days_secret: u64,
}

impl Deadlines {
    /// The deadline of an alert: by severity, or the secret deadline for a
    /// secret scanning alert, which has no severity.
    fn of(&self, severity: Option<AlertSeverity>) -> u64 {
        match severity {
            Some(AlertSeverity::Critical) => self.max_days_critical,
            Some(AlertSeverity::High) => self.max_days_high,
            Some(AlertSeverity::Medium) => self.max_days_medium,
            Some(AlertSeverity::Low) => self.max_days_low,
            None => self.max_days_secret,
        }
    }
}

/// One kind of alert of a repository.
struct Kind<'a> {
    name: &'static str,
    alerts: &'a Observed<Vec<Alert>>,
    /// Why GitHub raises no alert of this kind for the repository, when
    /// the feature is known to be off.
    off: Option<&'static str>,
}

fn kinds(repo: &Repository) -> [Kind<'_>; 3] {
    let security = &repo.security;
    [
        Kind {
            name: "Dependabot",
            alerts: &repo.open_alerts.dependabot,
            off: matches!(security.dependabot_alerts, Observed::Known(false))
                .then_some("Dependabot alerts are off"),
        },
        Kind {
            name: "code scanning",
            alerts: &repo.open_alerts.code_scanning,
            off: matches!(
                security.code_scanning,
                Observed::Known(CodeScanning::Off { .. })
            )
            .then_some("code scanning is off"),
        },
        Kind {
            name: "secret scanning",
            alerts: &repo.open_alerts.secret_scanning,
            off: matches!(security.secret_scanning, Observed::Known(false))
                .then_some("secret scanning is off"),
        },
    ]
}

/// One outcome per repository.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let deadlines: Deadlines = match cx.params.typed() {
        Ok(deadlines) => deadlines,
        Err(reason) => return parameter_error(&reason),
    };
    each_repo(cx, |org, repo, out| {
        let resource = Resource::github_repo(&org.login, &repo.name);
        out.push(judge(resource, repo, deadlines, cx.as_of));
    })
}

fn judge(resource: Resource, repo: &Repository, deadlines: Deadlines, as_of: NaiveDate) -> Outcome {
    let mut open = 0;
    let mut overdue: Vec<(String, Value)> = Vec::new();
    let mut unknown = Vec::new();
    let mut off = Vec::new();
    for kind in kinds(repo) {
        match kind.alerts {
            Observed::Known(alerts) => {
                open += alerts.len();
                for alert in alerts {
                    let age = (as_of - alert.created_at.date_naive()).num_days();
                    let limit = deadlines.of(alert.severity);
                    if u64::try_from(age).is_ok_and(|age| age > limit) {
                        let severity = alert.severity.map_or("secret", severity_name);
                        overdue.push((
                            format!(
                                "{} #{} ({severity}, open {age} days, deadline {limit})",
                                kind.name, alert.number
                            ),
                            json!({
                                "kind": kind.name,
                                "number": alert.number,
                                "severity": severity,
                                "title": alert.title,
                                "created_at": alert.created_at.to_rfc3339(),
                                "age_days": age,
                                "deadline_days": limit,
                                "url": alert.url,
                            }),
                        ));
                    }
                }
            }
            Observed::Unavailable { reason } => {
                unknown.push(format!("{} alerts: {reason}", kind.name));
            }
        }
        off.extend(kind.off);
    }
    let outcome = if !overdue.is_empty() {
        let shown: Vec<&str> = overdue.iter().take(3).map(|(t, _)| t.as_str()).collect();
        let more = overdue.len().saturating_sub(shown.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        Outcome::fail(
            resource,
            format!(
                "{} open alert(s) past their deadline: {}{more}",
                overdue.len(),
                shown.join(", ")
            ),
        )
    } else if !unknown.is_empty() {
        Outcome::unavailable(
            resource,
            "the repository's open alerts",
            &unknown.join("; "),
        )
    } else {
        let raised = if off.is_empty() {
            String::new()
        } else {
            format!(" (none can be raised where {})", off.join(", "))
        };
        Outcome::pass(
            resource,
            format!("{open} open alert(s), none past its deadline{raised}"),
        )
    };
    outcome
        .with("open_alerts", open)
        .with(
            "overdue",
            overdue.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
        )
        .with(
            "deadlines_days",
            json!({
                "critical": deadlines.max_days_critical,
                "high": deadlines.max_days_high,
                "medium": deadlines.max_days_medium,
                "low": deadlines.max_days_low,
                "secret": deadlines.max_days_secret,
            }),
        )
}

fn severity_name(severity: AlertSeverity) -> &'static str {
    match severity {
        AlertSeverity::Critical => "critical",
        AlertSeverity::High => "high",
        AlertSeverity::Medium => "medium",
        AlertSeverity::Low => "low",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;

    #[test]
    fn the_catalog_defaults_fit_the_parameters() {
        let control = catalog()
            .get("github.repo.alert-deadlines")
            .expect("in the catalog");
        let params = crate::Params::resolve(&control.meta.parameters, &Default::default());
        assert!(params.typed::<Deadlines>().is_ok());
    }

    #[test]
    fn an_alert_is_overdue_only_after_its_deadline_day() {
        let deadlines = Deadlines {
            max_days_critical: 7,
            max_days_high: 30,
            max_days_medium: 90,
            max_days_low: 180,
            max_days_secret: 3,
        };
        assert_eq!(deadlines.of(Some(AlertSeverity::Critical)), 7);
        assert_eq!(deadlines.of(None), 3);
    }
}
