//! The manual controls: clauses no API can check, attested in the policy
//! file with an owner, an evidence link and a date, within a cadence.

use chrono::Duration;

use crate::{Context, Outcome, Resource};

/// One outcome per manual control: the latest attestation, judged against
/// the cadence (the attestation's own, else the `cadence_days` parameter).
pub fn check(cx: &Context<'_>, control_id: &str) -> Vec<Outcome> {
    let resource = Resource::new(format!("attestation:{control_id}"), "attestation");
    let Some(latest) = cx
        .attestations
        .iter()
        .max_by_key(|a| (a.attested_on, a.line))
    else {
        return vec![
            Outcome::fail(
                resource,
                "never attested: add an [[attestations]] entry with owner, evidence and date",
            )
            .with("attestations", 0),
        ];
    };
    let cadence = latest
        .cadence_days
        .or(cx.params.integer("cadence_days"))
        .unwrap_or(365);
    let due = latest.attested_on
        + Duration::days(i64::try_from(cadence).unwrap_or(i64::MAX / 86_400_000));
    let outcome = if latest.attested_on > cx.as_of {
        Outcome::unavailable(
            resource,
            "the attestation",
            &format!(
                "it is dated {}, after the evaluation date {}",
                latest.attested_on, cx.as_of
            ),
        )
    } else if due < cx.as_of {
        Outcome::fail(
            resource,
            format!(
                "overdue: last done {} by {}, due again by {due} (every {cadence} days)",
                latest.attested_on, latest.owner
            ),
        )
    } else {
        Outcome::pass(
            resource,
            format!(
                "done {} by {}; due again by {due}",
                latest.attested_on, latest.owner
            ),
        )
    };
    vec![
        outcome
            .with("owner", latest.owner.as_str())
            .with("evidence_url", latest.evidence.as_str())
            .with("attested_on", latest.attested_on.to_string())
            .with("due", due.to_string())
            .with("cadence_days", cadence)
            .with("policy_line", latest.line),
    ]
}

/// Declares one check function per manual control.
macro_rules! manual_controls {
    ($($name:ident => $id:literal,)*) => {
        $(
            #[doc = concat!("`", $id, "`.")]
            pub fn $name(cx: &Context<'_>) -> Vec<Outcome> {
                check(cx, $id)
            }
        )*
    };
}

manual_controls! {
    access_review => "manual.access-review",
    backup_restore_test => "manual.backup-restore-test",
    incident_response_plan => "manual.incident-response-plan",
    policy_review => "manual.policy-review",
    security_training => "manual.security-training",
}
