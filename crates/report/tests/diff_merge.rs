//! `diff` and `merge` over the demo's JSON report.

mod common;

use tenet_report::{
    diff::Diff,
    json::{JsonReport, JsonStatus, JsonWaiverState},
    merge::{MergeError, merge},
};

fn demo() -> JsonReport {
    JsonReport::from(&common::demo())
}

fn set_status(report: &mut JsonReport, control: &str, resource: &str, status: JsonStatus) {
    let finding = report
        .controls
        .iter_mut()
        .filter(|c| c.id == control)
        .flat_map(|c| c.findings.iter_mut())
        .find(|f| f.resource == resource)
        .expect("the finding exists");
    finding.status = status;
}

fn keys(changes: &[tenet_report::diff::Change]) -> Vec<(String, String)> {
    changes
        .iter()
        .map(|c| (c.control.clone(), c.resource.clone()))
        .collect()
}

fn pair(control: &str, resource: &str) -> (String, String) {
    (control.to_owned(), resource.to_owned())
}

#[test]
fn a_report_has_no_difference_with_itself() {
    let report = demo();
    let diff = Diff::between(&report, &report);
    assert!(!diff.has_regressions());
    assert!(diff.fixed.is_empty() && diff.changed.is_empty());
    assert!(diff.new_resources.is_empty() && diff.removed_resources.is_empty());
    assert!(diff.controls_now_failing.is_empty());
    assert_eq!(
        diff.still_failing.len(),
        report.summary.findings.fail,
        "every failing finding is still failing"
    );
}

/// (control, resource) of every finding with this status, in report order.
fn with_status(report: &JsonReport, status: JsonStatus) -> Vec<(String, String)> {
    report
        .controls
        .iter()
        .flat_map(|c| c.findings.iter().map(move |f| (c, f)))
        .filter(|(_, f)| f.status == status)
        .map(|(c, f)| pair(&c.id, &f.resource))
        .collect()
}

#[test]
fn regressions_fixes_new_and_removed_resources() {
    let old_report = demo();
    let failing = with_status(&old_report, JsonStatus::Fail);
    let passing = with_status(&old_report, JsonStatus::Pass);
    assert!(
        failing.len() >= 2 && !passing.is_empty(),
        "the demo fails and passes"
    );
    let (regressed, fixed, removed) = (&failing[0], &failing[1], &passing[0]);

    let mut old = old_report.clone();
    // It passed last quarter: a regression now.
    set_status(&mut old, &regressed.0, &regressed.1, JsonStatus::Pass);
    let mut new = old_report;
    // It failed last quarter and passes now.
    set_status(&mut new, &fixed.0, &fixed.1, JsonStatus::Pass);
    // A resource gone, and a new one that fails.
    let control = new
        .controls
        .iter_mut()
        .find(|c| c.id == removed.0)
        .expect("the control exists");
    let position = control
        .findings
        .iter()
        .position(|f| f.resource == removed.1)
        .expect("the finding exists");
    let mut added = control.findings.remove(position);
    added.resource = format!("{}-new", removed.1);
    added.status = JsonStatus::Fail;
    control.findings.push(added);
    let added = pair(&removed.0, &format!("{}-new", removed.1));

    let diff = Diff::between(&old, &new);
    assert!(diff.has_regressions());
    let mut expected = vec![regressed.clone(), added.clone()];
    expected.sort();
    assert_eq!(keys(&diff.regressions), expected);
    assert_eq!(keys(&diff.fixed), std::slice::from_ref(fixed));
    assert_eq!(keys(&diff.new_resources), [added]);
    assert_eq!(keys(&diff.removed_resources), std::slice::from_ref(removed));
    assert_eq!(diff.removed_resources[0].old, Some(JsonStatus::Pass));
    assert_eq!(diff.removed_resources[0].new, None);
    let still: Vec<_> = failing[2..].to_vec();
    assert_eq!(keys(&diff.still_failing).len(), still.len());
    assert!(diff.changed.is_empty());
}

#[test]
fn waivers_that_expired_or_expire_soon() {
    let old = demo();
    let mut expiring = demo();
    expiring.waivers[0].days_to_expiry = 30;
    let diff = Diff::between(&old, &expiring);
    assert_eq!(diff.expiring_waivers.len(), 1);
    assert_eq!(diff.expiring_waivers[0].control, "aws.iam.console-mfa");
    assert!(diff.expired_waivers.is_empty());

    let mut expired = demo();
    expired.waivers[0].state = JsonWaiverState::Expired;
    expired.waivers[0].days_to_expiry = -1;
    let diff = Diff::between(&old, &expired);
    assert_eq!(diff.expired_waivers.len(), 1);
    assert_eq!(diff.expired_waivers[0].owner, "secops@acme-corp.example");
    assert!(diff.expiring_waivers.is_empty());
    // Already expired last time: not news.
    assert!(Diff::between(&expired, &expired).expired_waivers.is_empty());
}

/// The demo split in two shards: findings about `account`, and the rest.
fn shards(report: &JsonReport, account: &str) -> (JsonReport, JsonReport) {
    let keep = |inside: bool| {
        let mut shard = report.clone();
        for control in &mut shard.controls {
            control
                .findings
                .retain(|f| f.resource.contains(account) == inside);
        }
        for waiver in &mut shard.waivers {
            waiver.matched = shard
                .controls
                .iter()
                .filter(|c| c.id == waiver.control)
                .flat_map(|c| &c.findings)
                .filter(|f| f.waiver.as_ref().is_some_and(|w| w.line == waiver.line))
                .count();
        }
        for entry in &mut shard.allowlist {
            entry.matched = shard
                .controls
                .iter()
                .filter(|c| c.id == entry.control)
                .flat_map(|c| &c.findings)
                .filter(|f| {
                    f.evidence
                        .get("allowlisted_by")
                        .is_some_and(|by| by == entry.parameter.as_str())
                        && f.evidence
                            .get("allowlist_entries")
                            .and_then(|e| e.as_array())
                            .is_some_and(|e| e.iter().any(|p| p == entry.pattern.as_str()))
                })
                .count();
        }
        // So does the access roster, system by system.
        let system = format!("AWS {account}");
        if let Some(roster) = &mut shard.access {
            roster.entries.retain(|e| (e.system == system) == inside);
            roster.gaps.retain(|g| (g.system == system) == inside);
        }
        // The account's shard covers the account, the other the rest.
        let snapshot = &mut shard.snapshot;
        snapshot.aws_accounts.retain(|a| (a == account) == inside);
        if inside {
            snapshot.github_orgs.clear();
        }
        // A lone shard, made consistent (statuses, counts, verdict).
        merge(&[shard]).expect("a shard merges alone")
    };
    (keep(true), keep(false))
}

#[test]
fn merging_shards_gives_back_the_whole_report() {
    let whole = demo();
    let (a, b) = shards(&whole, "111122223333");
    assert_ne!(a, whole);
    assert_eq!(merge(&[a.clone(), b.clone()]), Ok(whole.clone()));
    assert_eq!(merge(&[b, a]), Ok(whole));
}

#[test]
fn a_resource_in_two_shards_keeps_its_worst_finding() {
    // Every shard judges the policy's attestations: they belong to no
    // organization or account.
    let whole = demo();
    let (mut a, mut b) = shards(&whole, "111122223333");
    let id = "manual.backup-restore-test";
    let resource = "attestation:manual.backup-restore-test";
    let findings = whole
        .controls
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.findings.clone())
        .expect("the attestation");
    for control in a.controls.iter_mut().filter(|c| c.id == id) {
        control.findings.clone_from(&findings);
    }
    set_status(&mut b, id, resource, JsonStatus::Fail);
    for order in [[a.clone(), b.clone()], [b, a]] {
        let merged = merge(&order).expect("disjoint shards");
        let control = merged.controls.iter().find(|c| c.id == id).expect("merged");
        assert_eq!(control.status, JsonStatus::Fail);
        assert_eq!(control.findings.len(), 1);
        assert_eq!(control.findings[0].status, JsonStatus::Fail);
    }
}

#[test]
fn merge_refuses_the_same_shard_twice_and_overlapping_shards() {
    let whole = demo();
    let (a, b) = shards(&whole, "111122223333");
    assert_eq!(
        merge(&[a.clone(), b.clone(), a.clone()])
            .map_err(|e| e.to_string())
            .err(),
        Some("reports 1 and 3 both cover AWS account 111122223333: each shard must cover its own organizations and accounts (the same report given twice?)".to_owned())
    );
    assert_eq!(
        merge(&[b, whole]),
        Err(MergeError::Overlap {
            first: 1,
            second: 2,
            what: "GitHub organization acme-corp".to_owned()
        })
    );
    // Reports of no organization and no account: the same one twice.
    let mut empty = a;
    empty.snapshot.aws_accounts.clear();
    assert!(matches!(
        merge(&[empty.clone(), empty]),
        Err(MergeError::Overlap {
            first: 1,
            second: 2,
            ..
        })
    ));
}

#[test]
fn merge_refuses_another_audit_period() {
    let whole = demo();
    let (a, mut b) = shards(&whole, "111122223333");
    b.snapshot.period = None;
    assert_eq!(
        merge(&[a, b]).map_err(|e| e.to_string()).err().as_deref(),
        Some(
            "report 2 covers the audit period none, report 1 2026-08-05 to 2026-11-02: collect every shard of one audit with the same --from and --to"
        )
    );
}

#[test]
fn merge_refuses_another_policy_digest() {
    let whole = demo();
    let (a, mut b) = shards(&whole, "111122223333");
    b.policy.digest = Some("sha256:other".into());
    assert_eq!(
        merge(&[a.clone(), b.clone()]),
        Err(MergeError::Policy {
            index: 2,
            what: "policy digests (the policy file's text or its custom controls)"
        })
    );
    // A report of a tenet that did not record the digest is another policy
    // as far as merge can tell.
    b.policy.digest = None;
    assert!(merge(&[a, b]).is_err());
}

#[test]
fn merge_refuses_other_policies_and_versions() {
    let first = demo();
    let mut other = demo();
    other.policy.fail_on = tenet_rules::Severity::High;
    assert_eq!(
        merge(&[first.clone(), other]),
        Err(MergeError::Policy {
            index: 2,
            what: "fail_on thresholds"
        })
    );
    let mut other = demo();
    other.policy.origin = "other/tenet.toml".into();
    assert_eq!(
        merge(&[first.clone(), first.clone(), other])
            .map_err(|e| e.to_string())
            .err(),
        Some(
            "report 3 was evaluated against a different policy than report 1: policy files differ"
                .to_owned()
        )
    );
    let mut other = demo();
    other.controls[0].severity = tenet_rules::Severity::Low;
    assert_eq!(
        merge(&[first.clone(), other]),
        Err(MergeError::Policy {
            index: 2,
            what: "controls or their severities"
        })
    );
    let mut other = demo();
    other.waivers[0].owner = "someone@else.example".into();
    assert_eq!(
        merge(&[first.clone(), other]),
        Err(MergeError::Policy {
            index: 2,
            what: "waivers"
        })
    );
    let mut other = demo();
    other.report_version = 2;
    assert_eq!(
        merge(&[first, other]),
        Err(MergeError::Version { index: 2, found: 2 })
    );
    assert_eq!(merge(&[]), Err(MergeError::Empty));
}
