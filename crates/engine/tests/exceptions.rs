//! The exceptions register: allow-list entries recorded as exceptions
//! (owner, approval, expiry) beside the waivers, and an entry past its
//! expiry allowing nothing.

use chrono::NaiveDate;
use tenet_engine::{Policy, Report, Status, WaiverState, evaluate};
use tenet_inventory::Snapshot;

fn demo() -> Snapshot {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo/snapshot.json");
    Snapshot::load(&path).expect("the demo snapshot loads")
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
}

const OPS: &str = "arn:aws:iam::111122223333:user/ops-admin";

fn judged(expires: &str, as_of: &str) -> Report {
    let policy = format!(
        r#"[controls."aws.iam.no-full-admin"]
allowlist = [
  {{ pattern = "{OPS}", reason = "break glass", owner = "sec@example.com", approver = "ciso@example.com", approved = 2026-04-01, ticket = "SEC-98", expires = {expires} }},
  "arn:aws:iam::111122223333:role/never-*",
]

[[waivers]]
control = "aws.iam.console-mfa"
resource = "arn:aws:iam::111122223333:user/deploy-bot"
reason = "legacy"
owner = "sec@example.com"
expires = 2026-12-31
approver = "ciso@example.com"
approved = 2026-09-15
ticket = "SEC-142"
"#
    );
    let policy = Policy::parse(&policy, "tenet.toml").expect("a valid policy");
    evaluate(&demo(), &policy, day(as_of))
}

fn ops_admin(report: &Report) -> (Status, String) {
    let control = report
        .controls
        .iter()
        .find(|control| control.id == "aws.iam.no-full-admin")
        .expect("the control");
    let finding = control
        .findings
        .iter()
        .find(|finding| finding.resource.id == OPS)
        .expect("ops-admin's finding");
    (finding.status, finding.message.clone())
}

#[test]
fn an_entry_in_force_grants_a_pass_the_register_counts() {
    let report = judged("2027-03-31", "2026-11-02");
    assert_eq!(
        ops_admin(&report),
        (
            Status::Pass,
            "ops-admin holds full admin; allow-listed".into()
        )
    );
    let [entry, bare] = &report.allowlist[..] else {
        panic!("two entries: {:?}", report.allowlist);
    };
    assert_eq!(
        (
            entry.pattern.as_str(),
            entry.owner.as_deref(),
            entry.matched
        ),
        (OPS, Some("sec@example.com"), 1)
    );
    assert_eq!(entry.approval.ticket.as_deref(), Some("SEC-98"));
    assert_eq!(entry.approval.approved, Some(day("2026-04-01")));
    assert_eq!(
        (entry.state, entry.days_to_expiry),
        (WaiverState::Active, Some(149))
    );
    assert_eq!(
        (bare.owner.as_deref(), bare.expires, bare.matched),
        (None, None, 0),
        "a bare pattern records nothing and grants nothing here"
    );
    let waiver = &report.waivers[0];
    assert_eq!(
        waiver.approval.approver.as_deref(),
        Some("ciso@example.com")
    );
    assert_eq!(waiver.approval.approved, Some(day("2026-09-15")));
}

#[test]
fn an_entry_past_its_expiry_allows_nothing() {
    let report = judged("2026-10-31", "2026-11-02");
    let (status, message) = ops_admin(&report);
    assert_eq!(status, Status::Fail, "{message}");
    let entry = &report.allowlist[0];
    assert_eq!(
        (entry.state, entry.days_to_expiry, entry.matched),
        (WaiverState::Expired, Some(-2), 0)
    );
    // On its last day it still allows.
    assert_eq!(
        ops_admin(&judged("2026-11-02", "2026-11-02")).0,
        Status::Pass
    );
}
