//! A saved JSON report as a [`Report`] again, for `tenet render`: every
//! format of a report made elsewhere (a CI job, `tenet merge`) without the
//! snapshot it came from. Statuses, findings and waivers are the report's;
//! nothing is judged again.

use tenet_engine::{
    AllowlistResult, Approval, ControlResult, Finding, Report, SnapshotInfo, Status, WaiverRef,
    WaiverResult, WaiverState,
};
use tenet_rules::{Reference, Resource};

use crate::json::{
    JsonCollection, JsonControl, JsonReport, JsonStatus, JsonWaiverRef, JsonWaiverState,
};

/// The report `json` describes.
pub fn report(json: &JsonReport) -> Report {
    let mut report = Report {
        tenet_version: json.tenet_version.clone(),
        as_of: json.as_of,
        snapshot: SnapshotInfo {
            collected_at: json.snapshot.collected_at,
            tenet_version: json.snapshot.tenet_version.clone(),
            github_orgs: json.snapshot.github_orgs.clone(),
            aws_accounts: json.snapshot.aws_accounts.clone(),
            aws_account_names: json.snapshot.aws_account_names.clone(),
            period: json.snapshot.period.map(|period| tenet_engine::Period {
                from: period.from,
                to: period.to,
            }),
            digests: json.snapshot.digests.clone(),
            aws_readers: Default::default(),
            aws_regions: Default::default(),
            github_readers: Default::default(),
            run: None,
        },
        policy: json.policy.origin.clone(),
        policy_digest: json.policy.digest.clone(),
        fail_on: json.policy.fail_on,
        controls: json.controls.iter().map(control).collect(),
        waivers: json
            .waivers
            .iter()
            .map(|waiver| WaiverResult {
                control: waiver.control.clone(),
                resource: waiver.resource.clone(),
                reason: waiver.reason.clone(),
                owner: waiver.owner.clone(),
                expires: waiver.expires,
                approval: Approval {
                    approver: waiver.approver.clone(),
                    approved: waiver.approved,
                    ticket: waiver.ticket.clone(),
                },
                line: waiver.line,
                state: state(waiver.state),
                days_to_expiry: waiver.days_to_expiry,
                matched: waiver.matched,
            })
            .collect(),
        allowlist: json
            .allowlist
            .iter()
            .map(|entry| AllowlistResult {
                control: entry.control.clone(),
                parameter: entry.parameter.clone(),
                pattern: entry.pattern.clone(),
                reason: entry.reason.clone(),
                owner: entry.owner.clone(),
                approval: Approval {
                    approver: entry.approver.clone(),
                    approved: entry.approved,
                    ticket: entry.ticket.clone(),
                },
                expires: entry.expires,
                line: entry.line,
                state: state(entry.state),
                days_to_expiry: entry.days_to_expiry,
                matched: entry.matched,
            })
            .collect(),
        frameworks: Vec::new(),
        access: json.access.clone(),
    };
    JsonCollection {
        aws_readers: json.snapshot.aws_readers.clone(),
        aws_regions: json.snapshot.aws_regions.clone(),
        github_readers: json.snapshot.github_readers.clone(),
        run: json.snapshot.run.clone(),
    }
    .restore(&mut report.snapshot);
    report
}

fn control(json: &JsonControl) -> ControlResult {
    ControlResult {
        id: json.id.clone(),
        title: json.title.clone(),
        pillar: json.pillar,
        severity: json.severity,
        status: status(json.status),
        skipped_reason: json.skipped_reason.clone(),
        rationale: json.rationale.clone(),
        remediation: json.remediation.clone(),
        references: json
            .references
            .iter()
            .map(|r| Reference {
                framework: r.framework.clone(),
                id: r.id.clone(),
                url: r.url.clone(),
            })
            .collect(),
        population: json.population.clone(),
        findings: json
            .findings
            .iter()
            .map(|finding| Finding {
                resource: Resource::new(finding.resource.clone(), &finding.resource_kind),
                status: status(finding.status),
                message: finding.message.clone(),
                evidence: finding.evidence.clone(),
                waiver: finding.waiver.as_ref().map(waiver),
                expired_waiver: finding.expired_waiver.as_ref().map(waiver),
            })
            .collect(),
    }
}

fn status(status: JsonStatus) -> Status {
    match status {
        JsonStatus::Pass => Status::Pass,
        JsonStatus::Fail => Status::Fail,
        JsonStatus::Waived => Status::Waived,
        JsonStatus::Error => Status::Error,
        JsonStatus::Skipped => Status::Skipped,
    }
}

fn waiver(json: &JsonWaiverRef) -> WaiverRef {
    WaiverRef {
        line: json.line,
        reason: json.reason.clone(),
        owner: json.owner.clone(),
        expires: json.expires,
        approval: Approval {
            approver: json.approver.clone(),
            approved: json.approved,
            ticket: json.ticket.clone(),
        },
    }
}

fn state(json: JsonWaiverState) -> WaiverState {
    match json {
        JsonWaiverState::Active => WaiverState::Active,
        JsonWaiverState::Expired => WaiverState::Expired,
    }
}
