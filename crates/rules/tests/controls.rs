//! Every control against passing, failing and undeterminable fixtures in
//! `fixtures/rules/<pillar>/`, with the outcomes snapshot-tested.

use std::path::PathBuf;

use tenet_inventory::Snapshot;
use tenet_rules::{CheckStatus, Context, Outcome, Params, catalog};

fn fixture(path: &str) -> Snapshot {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/rules")
        .join(path);
    match Snapshot::load(&path) {
        Ok(snapshot) => snapshot,
        Err(err) => panic!("{err}"),
    }
}

fn run(control_id: &str, snapshot: &Snapshot) -> Vec<Outcome> {
    let control = catalog().get(control_id).expect("control exists");
    let params = Params::resolve(&control.meta.parameters, &Default::default());
    (control.check)(&Context {
        snapshot,
        params: &params,
    })
}

fn statuses(outcomes: &[Outcome]) -> Vec<CheckStatus> {
    outcomes.iter().map(|o| o.status).collect()
}

const MFA: [&str; 4] = [
    "aws.iam.console-mfa",
    "aws.iam.root-mfa",
    "github.members.two-factor",
    "github.org.two-factor-required",
];

#[test]
fn mfa_controls_pass_on_the_passing_fixture() {
    let snapshot = fixture("mfa/pass.json");
    for id in MFA {
        let outcomes = run(id, &snapshot);
        assert!(!outcomes.is_empty(), "{id} found nothing to check");
        assert!(
            outcomes.iter().all(|o| o.status == CheckStatus::Pass),
            "{id}: {outcomes:#?}"
        );
        insta::assert_json_snapshot!(format!("mfa_pass__{id}"), outcomes);
    }
}

#[test]
fn mfa_controls_fail_on_the_failing_fixture() {
    let snapshot = fixture("mfa/fail.json");
    for id in MFA {
        let outcomes = run(id, &snapshot);
        assert!(
            statuses(&outcomes).contains(&CheckStatus::Fail),
            "{id}: {outcomes:#?}"
        );
        insta::assert_json_snapshot!(format!("mfa_fail__{id}"), outcomes);
    }
}

#[test]
fn mfa_controls_never_pass_what_they_could_not_see() {
    let snapshot = fixture("mfa/unavailable.json");
    for id in MFA {
        let outcomes = run(id, &snapshot);
        assert!(
            !outcomes.is_empty() && outcomes.iter().all(|o| o.status == CheckStatus::Error),
            "{id}: {outcomes:#?}"
        );
        insta::assert_json_snapshot!(format!("mfa_unavailable__{id}"), outcomes);
    }
}

#[test]
fn console_mfa_ignores_users_without_console_access() {
    let outcomes = run("aws.iam.console-mfa", &fixture("mfa/pass.json"));
    let resources: Vec<&str> = outcomes.iter().map(|o| o.resource.id.as_str()).collect();
    assert_eq!(resources, vec!["arn:aws:iam::111122223333:user/alice"]);
}
