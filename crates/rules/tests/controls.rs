//! Every control against the passing, failing and undeterminable fixtures of
//! its pillar in `fixtures/rules/<pillar>/`, with the outcomes
//! snapshot-tested. A control without fixtures fails this test.

use std::path::PathBuf;

use chrono::NaiveDate;
use tenet_inventory::Snapshot;
use tenet_rules::{
    Attestation, CheckStatus, Context, Outcome, ParamValue, Params, Pillar, RunMemo, catalog,
};

/// The path of a fixture of `fixtures/rules`.
fn fixture_path(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/rules")
        .join(path)
}

fn fixture(path: &str) -> Snapshot {
    match Snapshot::load(&fixture_path(path)) {
        Ok(snapshot) => snapshot,
        Err(err) => panic!("{err}"),
    }
}

/// A fixture of `fixtures/rules` as JSON, for tests that mutate it.
fn fixture_json(path: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(fixture_path(path)).expect("fixture"))
        .expect("JSON")
}

/// The outcomes of `control_id` with the parameters `overrides` set.
fn run_overridden(
    control_id: &str,
    snapshot: &Snapshot,
    overrides: Vec<(&str, ParamValue)>,
) -> Vec<Outcome> {
    let control = catalog().get(control_id).expect("control exists");
    let overrides = overrides
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
    let params = Params::resolve(&control.meta.parameters, &overrides);
    control.check.run(&Context {
        snapshot,
        params: &params,
        as_of: snapshot.collected_at.date_naive(),
        attestations: &[],
        protected_branches: &[],
        memo: &RunMemo::default(),
    })
}

fn run_with(
    control_id: &str,
    snapshot: &Snapshot,
    attestations: &[Attestation],
    as_of: NaiveDate,
) -> Vec<Outcome> {
    let control = catalog().get(control_id).expect("control exists");
    let params = Params::resolve(&control.meta.parameters, &Default::default());
    control.check.run(&Context {
        snapshot,
        params: &params,
        as_of,
        attestations,
        protected_branches: &["release/*".to_owned()],
        memo: &RunMemo::default(),
    })
}

fn run(control_id: &str, snapshot: &Snapshot) -> Vec<Outcome> {
    run_with(
        control_id,
        snapshot,
        &[],
        snapshot.collected_at.date_naive(),
    )
}

fn automated() -> impl Iterator<Item = (&'static str, Pillar)> {
    catalog()
        .controls()
        .iter()
        .filter(|c| c.meta.pillar != Pillar::Manual)
        .map(|c| (c.meta.id.as_str(), c.meta.pillar))
}

#[test]
fn every_control_passes_on_its_passing_fixture() {
    for (id, pillar) in automated() {
        let outcomes = run(id, &fixture(&format!("{}/pass.json", pillar.as_str())));
        assert!(!outcomes.is_empty(), "{id} found nothing to check");
        assert!(
            outcomes.iter().all(|o| o.status == CheckStatus::Pass),
            "{id}: {outcomes:#?}"
        );
        insta::assert_json_snapshot!(format!("pass__{id}"), outcomes);
    }
}

#[test]
fn every_control_fails_on_its_failing_fixture() {
    for (id, pillar) in automated() {
        let outcomes = run(id, &fixture(&format!("{}/fail.json", pillar.as_str())));
        assert!(
            outcomes.iter().any(|o| o.status == CheckStatus::Fail),
            "{id}: {outcomes:#?}"
        );
        insta::assert_json_snapshot!(format!("fail__{id}"), outcomes);
    }
}

#[test]
fn no_control_passes_what_it_could_not_see() {
    for (id, pillar) in automated() {
        let outcomes = run(
            id,
            &fixture(&format!("{}/unavailable.json", pillar.as_str())),
        );
        assert!(
            !outcomes.is_empty() && outcomes.iter().all(|o| o.status == CheckStatus::Error),
            "{id}: {outcomes:#?}"
        );
        insta::assert_json_snapshot!(format!("unavailable__{id}"), outcomes);
    }
}

/// A rule whose bypass actors are all on the policy's allow-list passes as
/// an exception the policy grants, naming them; one actor off the list
/// still fails.
#[test]
fn bypass_actors_on_the_allow_list_pass_as_allow_listed() {
    let mut json = fixture_json("change-management/pass.json");
    // The organization's ruleset on every default branch.
    let ruleset = &mut json["github"][0]["rulesets"]["known"][0];
    ruleset["bypass_actors"]["known"] = serde_json::json!([
        {"actor": {"kind": "team", "name": "release-managers"}, "actor_id": 7, "bypass_mode": "always"}
    ]);
    let snapshot: Snapshot = serde_json::from_value(json).expect("a snapshot");
    let allow = |globs: &[&str]| {
        vec![(
            "bypass_allowlist",
            ParamValue::StringList(globs.iter().map(|g| (*g).to_owned()).collect()),
        )]
    };
    let outcomes = run_overridden(
        "github.branch.no-bypass",
        &snapshot,
        allow(&["team:release-*"]),
    );
    let exempt: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.evidence.contains_key(tenet_rules::ALLOWLISTED_BY))
        .collect();
    assert!(!exempt.is_empty(), "{outcomes:#?}");
    for outcome in exempt {
        assert_eq!(outcome.status, CheckStatus::Pass);
        assert_eq!(
            outcome.evidence[tenet_rules::ALLOWLISTED_BY],
            "bypass_allowlist"
        );
        assert!(
            outcome.message.starts_with(
                "the review requirement applies to everyone but team:release-managers, whom the policy's bypass_allowlist accepts (ruleset "
            ),
            "{}",
            outcome.message
        );
    }
    let outcomes = run_overridden("github.branch.no-bypass", &snapshot, allow(&["team:other"]));
    assert!(
        outcomes
            .iter()
            .all(|o| !o.evidence.contains_key(tenet_rules::ALLOWLISTED_BY)),
        "{outcomes:#?}"
    );
}

#[test]
fn console_mfa_ignores_users_without_console_access() {
    let outcomes = run("aws.iam.console-mfa", &fixture("mfa/pass.json"));
    let resources: Vec<&str> = outcomes.iter().map(|o| o.resource.id.as_str()).collect();
    assert_eq!(
        resources,
        vec![
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:user/ops-admin"
        ]
    );
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("valid date")
}

fn attestation(on: &str, cadence_days: Option<u64>) -> Attestation {
    Attestation {
        control: "manual.access-review".into(),
        owner: "ciso@acme.example".into(),
        evidence: "https://wiki.acme.example/access-review".into(),
        attested_on: date(on),
        cadence_days,
        line: 12,
    }
}

#[test]
fn manual_controls_follow_their_cadence() {
    let snapshot = fixture("mfa/pass.json");
    let status = |attestations: &[Attestation], as_of: &str| {
        let outcomes = run_with("manual.access-review", &snapshot, attestations, date(as_of));
        assert_eq!(outcomes.len(), 1);
        (outcomes[0].status, outcomes[0].message.clone())
    };
    assert_eq!(
        status(&[], "2026-11-01"),
        (
            CheckStatus::Fail,
            "never attested: add an [[attestations]] entry with owner, evidence and date".into()
        )
    );
    // Quarterly by default: 90 days from 2026-08-15 is 2026-11-13.
    let recent = [attestation("2026-08-15", None)];
    assert_eq!(status(&recent, "2026-11-13").0, CheckStatus::Pass);
    assert_eq!(
        status(&recent, "2026-11-14"),
        (
            CheckStatus::Fail,
            "overdue: last done 2026-08-15 by ciso@acme.example, due again by 2026-11-13 (every 90 days)".into()
        )
    );
    // The attestation's own cadence overrides the catalog's.
    let yearly = [attestation("2026-08-15", Some(365))];
    assert_eq!(status(&yearly, "2027-01-01").0, CheckStatus::Pass);
    // The latest attestation counts.
    let both = [
        attestation("2025-01-01", None),
        attestation("2026-10-01", None),
    ];
    assert_eq!(status(&both, "2026-11-01").0, CheckStatus::Pass);
    // A date after the evaluation date cannot be trusted.
    assert_eq!(
        status(&[attestation("2026-12-01", None)], "2026-11-01").0,
        CheckStatus::Error
    );
    let outcomes = run_with(
        "manual.access-review",
        &snapshot,
        &recent,
        date("2026-11-01"),
    );
    insta::assert_json_snapshot!("manual_access_review_pass", outcomes);
}

#[test]
fn malformed_or_missing_policy_documents_are_errors() {
    let snapshot = fixture("least-privilege/malformed.json");
    for id in [
        "aws.iam.no-full-admin",
        "aws.iam.no-privilege-escalation",
        "aws.iam.admin-mfa",
    ] {
        let outcomes = run(id, &snapshot);
        let messages: Vec<(CheckStatus, &str)> = outcomes
            .iter()
            .map(|o| (o.status, o.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            vec![
                (
                    CheckStatus::Error,
                    "could not determine what admin may do: the managed policies: AccessDenied: needs iam:GetAccountAuthorizationDetails"
                ),
                (
                    CheckStatus::Error,
                    "could not determine what broken may do: policy inline:bad is malformed: Statement[0].Action: expected a string or a list of strings, found a number (7)"
                ),
            ],
            "{id}"
        );
    }
}

#[test]
fn a_malformed_trust_policy_is_an_error_for_its_role() {
    let mut value = fixture_json("least-privilege/pass.json");
    *value
        .pointer_mut("/aws/0/roles/known/0/trust_policy")
        .expect("the fixture has it") = serde_json::json!({
        "Statement": [{"Effect": "allow", "Principal": "*", "Action": "sts:AssumeRole"}]
    });
    let snapshot: Snapshot = serde_json::from_value(value).expect("a snapshot");
    for id in ["aws.iam.role-trust-anyone", "aws.iam.role-trust-oidc"] {
        let outcomes = run(id, &snapshot);
        assert_eq!(
            (outcomes[0].status, outcomes[0].message.as_str()),
            (
                CheckStatus::Error,
                "could not determine who may assume app: its trust policy is malformed: \
                 Statement[0].Effect: expected \"Allow\" or \"Deny\" (case-sensitive), found a \
                 string (\"allow\")"
            ),
            "{id}"
        );
    }
}

#[test]
fn passing_a_named_role_is_judged_by_that_role_and_unknown_when_it_is_unread() {
    let base = fixture_json("least-privilege/fail.json");
    let deployer = |snapshot: &Snapshot| {
        run("aws.iam.no-privilege-escalation", snapshot)
            .into_iter()
            .find(|o| o.resource.id == "arn:aws:iam::111122223333:user/ops-deployer")
            .map(|o| (o.status, o.message))
            .expect("ops-deployer is judged")
    };
    let snapshot: Snapshot = serde_json::from_value(base.clone()).expect("a snapshot");
    assert_eq!(deployer(&snapshot).0, CheckStatus::Fail);
    // The role it passes stripped of its administrator policy: no escalation.
    let mut tamed = base.clone();
    let roles = tamed
        .pointer_mut("/aws/0/roles/known")
        .and_then(serde_json::Value::as_array_mut)
        .expect("roles");
    for role in roles.iter_mut().filter(|r| r["name"] == "ops-1") {
        role["attached_policies"] = serde_json::json!([]);
    }
    let snapshot: Snapshot = serde_json::from_value(tamed).expect("a snapshot");
    assert_eq!(
        deployer(&snapshot),
        (
            CheckStatus::Pass,
            "ops-deployer has no known privilege-escalation path (it can reach roles through \
             passrole-ec2-run-instances, but none of the account's roles these reach is an \
             administrator)"
                .to_owned()
        )
    );
    // The roles unread: what it may do is unknown.
    let mut unread = base;
    *unread.pointer_mut("/aws/0/roles").expect("roles") =
        serde_json::json!({"unavailable": {"reason": "access denied"}});
    let snapshot: Snapshot = serde_json::from_value(unread).expect("a snapshot");
    assert_eq!(
        deployer(&snapshot),
        (
            CheckStatus::Error,
            "could not determine what ops-deployer may do: the roles it may pass: access denied"
                .to_owned()
        )
    );
}

#[test]
fn log_groups_named_by_the_policy_are_judged_with_those_that_receive_logs() {
    let snapshot = fixture("logging/pass.json");
    let outcomes = run_overridden(
        "aws.logs.retention",
        &snapshot,
        vec![("log_groups", ParamValue::StringList(vec!["scr*".into()]))],
    );
    let verdicts: Vec<(CheckStatus, &str)> = outcomes
        .iter()
        .map(|o| (o.status, o.message.as_str()))
        .collect();
    assert_eq!(
        verdicts,
        vec![
            (
                CheckStatus::Pass,
                "/aws/cloudtrail/local keeps its events forever; it receives trail local"
            ),
            (
                CheckStatus::Pass,
                "vpc-flow-logs keeps its events 400 days; it receives flow log fl-0a00000000000001"
            ),
            (
                CheckStatus::Fail,
                "scratch keeps its events 1 days, less than 365; it receives access logs (the policy's log_groups)"
            ),
            (
                CheckStatus::Pass,
                "vpc-flow-logs keeps its events 365 days; it receives flow log fl-0b00000000000001"
            ),
        ]
    );
}

#[test]
fn backups_of_tagged_resources_are_undetermined_when_a_plan_or_setting_is_unread() {
    let base = fixture_json("backups/pass.json");
    let unread = serde_json::json!({"unavailable": {"reason": "access denied"}});
    // eu-west-1 is region 0 of the fixture, us-east-1 region 1.
    let cases: [(&str, serde_json::Value, CheckStatus, &str); 3] = [
        (
            "/aws/0/regions/known/0/backup_plans",
            serde_json::json!({"known": []}),
            CheckStatus::Fail,
            "no backup plan with a rule selects every resource tagged backup=critical in \
             eu-west-1 (0 plans read; a selection that also names resources, leaves some out \
             or adds another condition is not counted)",
        ),
        (
            "/aws/0/regions/known/0/backup_plans/known/0/selections",
            unread.clone(),
            CheckStatus::Error,
            "could not determine whether the resources tagged backup=critical are backed up: \
             the selections of plan critical: access denied",
        ),
        (
            "/aws/0/regions/known/0/backup_opt_in",
            unread,
            CheckStatus::Error,
            "could not determine whether the resources tagged backup=critical are backed up: \
             access denied",
        ),
    ];
    for (pointer, value, status, message) in cases {
        let mut mutated = base.clone();
        *mutated.pointer_mut(pointer).expect("the fixture has it") = value;
        let snapshot: Snapshot = serde_json::from_value(mutated).expect("a snapshot");
        let outcomes = run("aws.backup.tagged-resources", &snapshot);
        assert_eq!(
            (outcomes[0].status, outcomes[0].message.as_str()),
            (status, message),
            "{pointer}"
        );
    }
}

#[test]
fn buckets_are_selected_by_tag_and_unread_tags_are_errors() {
    let mut value = fixture_json("backups/fail.json");
    // acme-customer-data is tagged critical, acme-exports is not, and a
    // third bucket's tags could not be read.
    let buckets = value
        .pointer_mut("/aws/0/s3_buckets/known")
        .and_then(serde_json::Value::as_array_mut)
        .expect("the fixture's buckets");
    buckets[0]["tags"] = serde_json::json!({"known": {"data": "critical", "team": "payments"}});
    buckets[1]["tags"] = serde_json::json!({"known": {"data": "public"}});
    buckets.push(serde_json::json!({
        "name": "acme-unread",
        "versioning": {"known": false},
        "tags": {"unavailable": {"reason": "access denied: needs s3:GetBucketTagging"}},
    }));
    let snapshot: Snapshot = serde_json::from_value(value).expect("a snapshot");
    let outcomes = run_overridden(
        "aws.s3.versioning",
        &snapshot,
        vec![
            ("buckets", ParamValue::StringList(vec![])),
            (
                "bucket_tags",
                ParamValue::StringList(vec!["data=critical".into()]),
            ),
        ],
    );
    let verdicts: Vec<(CheckStatus, &str, &str)> = outcomes
        .iter()
        .map(|o| (o.status, o.resource.id.as_str(), o.message.as_str()))
        .collect();
    assert_eq!(
        verdicts,
        vec![
            (
                CheckStatus::Pass,
                "arn:aws:s3:::acme-customer-data",
                "acme-customer-data keeps object versions"
            ),
            (
                CheckStatus::Error,
                "arn:aws:s3:::acme-unread",
                "could not determine the bucket's tags, which decide whether the control applies \
                 to it: access denied: needs s3:GetBucketTagging"
            ),
        ]
    );
}

/// A user of account 111122223333 whose one inline policy holds
/// `statements`.
fn user_with(name: &str, statements: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "name": name,
        "arn": format!("arn:aws:iam::111122223333:user/{name}"),
        "created": "2025-01-01T00:00:00Z",
        "attached_policies": [],
        "groups": [],
        "inline_policies": [{"name": "inline", "document": {"Version": "2012-10-17", "Statement": statements}}]
    })
}

/// The status and message of `aws.iam.no-privilege-escalation` on the
/// principal `arn`.
fn escalation_verdict(snapshot: &Snapshot, arn: &str) -> (CheckStatus, String) {
    run("aws.iam.no-privilege-escalation", snapshot)
        .into_iter()
        .find(|o| o.resource.id == arn)
        .map(|o| (o.status, o.message))
        .expect("the principal is judged")
}

/// A trust policy that lets `service` assume the role.
fn trusting(service: &str) -> serde_json::Value {
    serde_json::json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    ]})
}

#[test]
fn passing_roles_is_judged_by_the_roles_the_account_has() {
    // A builder that can pass roles to new instances: escalation only if a
    // role it can pass is an administrator. Service-linked roles cannot be
    // passed.
    let judge = |pass_role_on: serde_json::Value, roles: serde_json::Value| {
        let mut value = fixture_json("least-privilege/fail.json");
        value["aws"][0]["users"]["known"] = serde_json::json!([user_with(
            "builder",
            serde_json::json!([
                {"Effect": "Allow", "Action": "iam:PassRole", "Resource": pass_role_on},
                {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}
            ])
        )]);
        value["aws"][0]["roles"]["known"] = roles;
        let snapshot: Snapshot = serde_json::from_value(value).expect("a snapshot");
        escalation_verdict(&snapshot, "arn:aws:iam::111122223333:user/builder")
    };
    let role = |path_and_name: &str, admin: bool| {
        serde_json::json!({
            "name": path_and_name.rsplit('/').next(),
            "arn": format!("arn:aws:iam::111122223333:role/{path_and_name}"),
            "trust_policy": trusting("ec2.amazonaws.com"),
            "attached_policies": if admin { vec!["arn:aws:iam::aws:policy/AdministratorAccess"] } else { vec![] },
            "inline_policies": []
        })
    };
    let harmless = (
        CheckStatus::Pass,
        "builder has no known privilege-escalation path (it can reach roles through \
         passrole-ec2-run-instances, but none of the account's roles these reach is an \
         administrator)"
            .to_owned(),
    );
    let web = role("web", false);
    let linked = role(
        "aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport",
        true,
    );
    let admin = role("break-glass", true);
    assert_eq!(
        judge("*".into(), serde_json::json!([web, linked])),
        harmless
    );
    assert_eq!(
        judge("*".into(), serde_json::json!([web, linked, admin])),
        (
            CheckStatus::Fail,
            "builder can escalate privileges: passrole-ec2-run-instances (passing administrator \
             role arn:aws:iam::111122223333:role/break-glass)"
                .to_owned()
        )
    );
    // A role EC2 may not assume gives an instance no credentials.
    let mut lambda_admin = admin.clone();
    lambda_admin["trust_policy"] = trusting("lambda.amazonaws.com");
    assert_eq!(
        judge("*".into(), serde_json::json!([web, lambda_admin])),
        harmless
    );
    let mut malformed = admin.clone();
    malformed["trust_policy"] = serde_json::json!({"Statement": [{"Effect": "Allow"}]});
    assert_eq!(
        judge("*".into(), serde_json::json!([web, malformed])).0,
        CheckStatus::Error
    );
    // A pattern reaches only the roles it matches.
    assert_eq!(
        judge(
            "arn:aws:iam::111122223333:role/web*".into(),
            serde_json::json!([web, admin])
        ),
        harmless
    );
    assert_eq!(
        judge(
            "arn:aws:iam::111122223333:role/break-*".into(),
            serde_json::json!([web, admin])
        )
        .0,
        CheckStatus::Fail
    );
}

#[test]
fn taking_over_instances_is_judged_by_the_roles_they_run_as() {
    // An operator that can run commands on instances through Systems
    // Manager: escalation only if an instance runs as an administrator.
    // With every region read, the instances tell which roles they run as;
    // else any role in an instance profile may be one's.
    let judge = |all_regions: bool, roles: serde_json::Value, instances: serde_json::Value| {
        let mut value = fixture_json("least-privilege/fail.json");
        value["aws"][0]["users"]["known"] = serde_json::json!([user_with(
            "operator",
            serde_json::json!([
                {"Effect": "Allow", "Action": "ssm:SendCommand", "Resource": "*"}
            ])
        )]);
        value["aws"][0]["roles"]["known"] = roles;
        value["aws"][0]["all_regions"] = all_regions.into();
        value["aws"][0]["regions"] = serde_json::json!({"known": [
            {"name": "eu-west-1", "instances": instances}
        ]});
        let snapshot: Snapshot = serde_json::from_value(value).expect("a snapshot");
        escalation_verdict(&snapshot, "arn:aws:iam::111122223333:user/operator")
    };
    let profile = |name: &str| format!("arn:aws:iam::111122223333:instance-profile/{name}");
    let role = |name: &str, admin: bool, profiles: serde_json::Value| {
        serde_json::json!({
            "name": name,
            "arn": format!("arn:aws:iam::111122223333:role/{name}"),
            "trust_policy": trusting("ec2.amazonaws.com"),
            "attached_policies": if admin { vec!["arn:aws:iam::aws:policy/AdministratorAccess"] } else { vec![] },
            "inline_policies": [],
            "instance_profiles": profiles
        })
    };
    let instance = |id: &str, profile: Option<String>| serde_json::json!({"id": id, "state": "running", "instance_profile": profile});
    let web = role("web", false, serde_json::json!({"known": [profile("web")]}));
    let admin_alone = role("break-glass", true, serde_json::json!({"known": []}));
    let admin_profiled = role(
        "break-glass",
        true,
        serde_json::json!({"known": [profile("ops")]}),
    );
    let no_instances = serde_json::json!({"known": []});
    let harmless = (
        CheckStatus::Pass,
        "operator has no known privilege-escalation path (it can reach roles through \
         ssm-send-command, but none of the account's roles these reach is an administrator)"
            .to_owned(),
    );
    // Regions not all read: the roles in instance profiles.
    assert_eq!(
        judge(
            false,
            serde_json::json!([web, admin_alone]),
            no_instances.clone()
        ),
        harmless
    );
    assert_eq!(
        judge(
            false,
            serde_json::json!([web, admin_profiled]),
            no_instances.clone()
        ),
        (
            CheckStatus::Fail,
            "operator can escalate privileges: ssm-send-command (through any instance with \
             profile arn:aws:iam::111122223333:instance-profile/ops, running as administrator \
             role arn:aws:iam::111122223333:role/break-glass)"
                .to_owned()
        )
    );
    let unread = role(
        "break-glass",
        true,
        serde_json::json!({"unavailable": {"reason": "lost"}}),
    );
    assert_eq!(
        judge(
            false,
            serde_json::json!([web, unread]),
            no_instances.clone()
        ),
        (
            CheckStatus::Error,
            "could not determine what operator may do: the instance profiles of role \
             break-glass: lost"
                .to_owned()
        )
    );
    // Every region read: the instances, whatever profiles exist.
    let on_web = serde_json::json!({"known": [
        instance("i-1", Some(profile("web"))),
        instance("i-2", None),
        instance("i-3", Some(profile("gone")))
    ]});
    assert_eq!(
        judge(true, serde_json::json!([web, admin_profiled]), on_web),
        harmless
    );
    let on_ops = serde_json::json!({"known": [instance("i-2", Some(profile("ops")))]});
    let mut not_for_ec2 = admin_profiled.clone();
    not_for_ec2["trust_policy"] = trusting("ecs-tasks.amazonaws.com");
    assert_eq!(
        judge(true, serde_json::json!([web, not_for_ec2]), on_ops.clone()),
        harmless
    );
    assert_eq!(
        judge(true, serde_json::json!([web, admin_profiled]), on_ops),
        (
            CheckStatus::Fail,
            "operator can escalate privileges: ssm-send-command (through eu-west-1/i-2, running \
             as administrator role arn:aws:iam::111122223333:role/break-glass)"
                .to_owned()
        )
    );
    // Commands confined to particular instances reach only those.
    let confined_to = |target: &str| {
        let mut value = fixture_json("least-privilege/fail.json");
        value["aws"][0]["users"]["known"] = serde_json::json!([user_with(
            "operator",
            serde_json::json!([
                {"Effect": "Allow", "Action": "ssm:SendCommand", "Resource": [
                    format!("arn:aws:ec2:eu-west-1:111122223333:instance/{target}"),
                    "arn:aws:ssm:eu-west-1::document/AWS-RunShellScript"
                ]}
            ])
        )]);
        value["aws"][0]["roles"]["known"] = serde_json::json!([web, admin_profiled]);
        value["aws"][0]["all_regions"] = true.into();
        value["aws"][0]["regions"] = serde_json::json!({"known": [
            {"name": "eu-west-1", "instances": {"known": [
                instance("i-1", Some(profile("web"))),
                instance("i-2", Some(profile("ops")))
            ]}}
        ]});
        let snapshot: Snapshot = serde_json::from_value(value).expect("a snapshot");
        run("aws.iam.no-privilege-escalation", &snapshot)
            .into_iter()
            .find(|o| o.resource.id == "arn:aws:iam::111122223333:user/operator")
            .map(|o| o.status)
            .expect("operator is judged")
    };
    assert_eq!(confined_to("i-1"), CheckStatus::Pass);
    assert_eq!(confined_to("i-2"), CheckStatus::Fail);
    let status = judge(
        true,
        serde_json::json!([web, admin_profiled]),
        serde_json::json!({"unavailable": {"reason": "access denied: needs ec2:DescribeInstances"}}),
    );
    assert_eq!(
        status,
        (
            CheckStatus::Error,
            "could not determine what operator may do: the EC2 instances of eu-west-1: \
             access denied: needs ec2:DescribeInstances"
                .to_owned()
        )
    );
}

#[test]
fn taking_over_what_a_scan_does_not_list_is_judged_by_the_roles_its_service_may_assume() {
    // A CodeBuild project runs as a role CodeBuild may assume: changing a
    // project's buildspec reaches one only if such a role is an
    // administrator.
    let judge = |roles: serde_json::Value| {
        let mut value = fixture_json("least-privilege/pass.json");
        value["aws"][0]["users"]["known"] = serde_json::json!([user_with(
            "releaser",
            serde_json::json!([
                {"Effect": "Allow", "Action": ["codebuild:UpdateProject", "codebuild:StartBuild"], "Resource": "*"}
            ])
        )]);
        value["aws"][0]["roles"]["known"] = roles;
        let snapshot: Snapshot = serde_json::from_value(value).expect("a snapshot");
        escalation_verdict(&snapshot, "arn:aws:iam::111122223333:user/releaser")
    };
    let admin = |service: &str| {
        serde_json::json!({
            "name": "build-admin",
            "arn": "arn:aws:iam::111122223333:role/build-admin",
            "trust_policy": trusting(service),
            "attached_policies": ["arn:aws:iam::aws:policy/AdministratorAccess"],
            "inline_policies": [],
            "instance_profiles": {"known": []}
        })
    };
    assert_eq!(
        judge(serde_json::json!([admin("codebuild.amazonaws.com")])),
        (
            CheckStatus::Fail,
            "releaser can escalate privileges: codebuild-update-project (through any CodeBuild \
             project, running as administrator role arn:aws:iam::111122223333:role/build-admin)"
                .to_owned()
        )
    );
    assert_eq!(
        judge(serde_json::json!([admin("lambda.amazonaws.com")])),
        (
            CheckStatus::Pass,
            "releaser has no known privilege-escalation path (it can reach roles through \
             codebuild-update-project, but none of the account's roles these reach is an \
             administrator)"
                .to_owned()
        )
    );
}

#[test]
fn taking_over_functions_and_stacks_is_judged_by_the_roles_they_run_as() {
    // A releaser that can replace the code of functions: escalation only
    // if a function runs as an administrator that Lambda may assume.
    let judge_with = |action: &str,
                      key: &str,
                      all_regions: bool,
                      roles: serde_json::Value,
                      resources: serde_json::Value| {
        let mut value = fixture_json("least-privilege/pass.json");
        value["aws"][0]["users"]["known"] = serde_json::json!([user_with(
            "releaser",
            serde_json::json!([
                {"Effect": "Allow", "Action": action, "Resource": "*"}
            ])
        )]);
        value["aws"][0]["roles"]["known"] = roles;
        value["aws"][0]["all_regions"] = all_regions.into();
        value["aws"][0]["regions"] = serde_json::json!({"known": [
            {"name": "us-east-1", key: resources}
        ]});
        let snapshot: Snapshot = serde_json::from_value(value).expect("a snapshot");
        escalation_verdict(&snapshot, "arn:aws:iam::111122223333:user/releaser")
    };
    let judge = |all_regions: bool, roles: serde_json::Value, functions: serde_json::Value| {
        judge_with(
            "lambda:UpdateFunctionCode",
            "lambda_functions",
            all_regions,
            roles,
            functions,
        )
    };
    let role = |name: &str, admin: bool, service: &str| {
        serde_json::json!({
            "name": name,
            "arn": format!("arn:aws:iam::111122223333:role/{name}"),
            "trust_policy": trusting(service),
            "attached_policies": if admin { vec!["arn:aws:iam::aws:policy/AdministratorAccess"] } else { vec![] },
            "inline_policies": [],
            "instance_profiles": {"known": []}
        })
    };
    let function = |name: &str, role: &str| {
        serde_json::json!({
            "name": name,
            "arn": format!("arn:aws:lambda:us-east-1:111122223333:function:{name}"),
            "role": format!("arn:aws:iam::111122223333:role/{role}")
        })
    };
    let worker = role("worker", false, "lambda.amazonaws.com");
    let admin = role("deployer", true, "lambda.amazonaws.com");
    let admin_for_ec2 = role("deployer", true, "ec2.amazonaws.com");
    let harmless = (
        CheckStatus::Pass,
        "releaser has no known privilege-escalation path (it can reach roles through \
         lambda-update-function-code, but none of the account's roles these reach is an \
         administrator)"
            .to_owned(),
    );
    let on_worker = serde_json::json!({"known": [function("orders", "worker")]});
    let on_admin = serde_json::json!({"known": [function("orders", "worker"), function("deploy", "deployer")]});
    // Every region read: the functions' roles.
    assert_eq!(
        judge(true, serde_json::json!([worker, admin]), on_worker.clone()),
        harmless
    );
    assert_eq!(
        judge(true, serde_json::json!([worker, admin]), on_admin.clone()),
        (
            CheckStatus::Fail,
            "releaser can escalate privileges: lambda-update-function-code (through \
             us-east-1/deploy, running as administrator role \
             arn:aws:iam::111122223333:role/deployer)"
                .to_owned()
        )
    );
    assert_eq!(
        judge(
            true,
            serde_json::json!([worker, admin]),
            serde_json::json!({"unavailable": {"reason": "access denied: needs lambda:ListFunctions"}})
        ),
        (
            CheckStatus::Error,
            "could not determine what releaser may do: the Lambda functions of us-east-1: access \
             denied: needs lambda:ListFunctions"
                .to_owned()
        )
    );
    // Regions listed: any role Lambda may assume.
    assert_eq!(
        judge(
            false,
            serde_json::json!([worker, admin_for_ec2]),
            on_worker.clone()
        ),
        harmless
    );
    assert_eq!(
        judge(false, serde_json::json!([worker, admin]), on_worker),
        (
            CheckStatus::Fail,
            "releaser can escalate privileges: lambda-update-function-code (through any Lambda \
             function, running as administrator role arn:aws:iam::111122223333:role/deployer)"
                .to_owned()
        )
    );

    // Updating stacks: a stack's service role, which CloudFormation must
    // be let assume; a stack without one acts as the caller.
    let stack = |name: &str, role: Option<&str>| {
        serde_json::json!({
            "name": name,
            "id": format!("arn:aws:cloudformation:us-east-1:111122223333:stack/{name}/1"),
            "status": "UPDATE_COMPLETE",
            "role": role.map(|role| format!("arn:aws:iam::111122223333:role/{role}"))
        })
    };
    let cfn_admin = role("deployer", true, "cloudformation.amazonaws.com");
    let update = |all_regions: bool, roles: serde_json::Value, stacks: serde_json::Value| {
        judge_with(
            "cloudformation:UpdateStack",
            "stacks",
            all_regions,
            roles,
            stacks,
        )
    };
    assert_eq!(
        update(
            true,
            serde_json::json!([worker, cfn_admin]),
            serde_json::json!({"known": [stack("web", None), stack("data", Some("worker"))]})
        )
        .0,
        CheckStatus::Pass
    );
    assert_eq!(
        update(
            true,
            serde_json::json!([worker, cfn_admin]),
            serde_json::json!({"known": [stack("web", Some("deployer"))]})
        ),
        (
            CheckStatus::Fail,
            "releaser can escalate privileges: cloudformation-update-stack (through \
             us-east-1/web, running as administrator role \
             arn:aws:iam::111122223333:role/deployer)"
                .to_owned()
        )
    );
    assert_eq!(
        update(
            false,
            serde_json::json!([worker, admin]),
            serde_json::json!({"known": []})
        )
        .0,
        CheckStatus::Pass
    );
}

#[test]
fn changing_policies_is_judged_by_whom_it_changes() {
    // A principal that may change principals' policies gains only on
    // itself, its groups, or a role it may come to act as.
    let judge = |principal: &str, statements: serde_json::Value, roles: serde_json::Value| {
        let mut value = fixture_json("least-privilege/pass.json");
        let document = serde_json::json!([{"name": "iam", "document": {"Version": "2012-10-17", "Statement": statements}}]);
        value["aws"][0]["users"]["known"] = serde_json::json!([{
            "name": "dev",
            "arn": "arn:aws:iam::111122223333:user/dev",
            "created": "2025-01-01T00:00:00Z",
            "groups": ["developers"],
            "attached_policies": [],
            "inline_policies": if principal == "dev" { document.clone() } else { serde_json::json!([]) }
        }]);
        let mut roles = roles;
        if let Some(roles) = roles.as_array_mut() {
            for role in roles.iter_mut() {
                if role["name"] == principal {
                    role["inline_policies"] = document.clone();
                }
            }
        }
        value["aws"][0]["roles"]["known"] = roles;
        let snapshot: Snapshot = serde_json::from_value(value).expect("a snapshot");
        let id = if principal == "dev" {
            "arn:aws:iam::111122223333:user/dev".to_owned()
        } else {
            format!("arn:aws:iam::111122223333:role/{principal}")
        };
        run("aws.iam.no-privilege-escalation", &snapshot)
            .into_iter()
            .find(|o| o.resource.id == id)
            .map(|o| (o.status, o.message))
            .expect("the principal is judged")
    };
    let role = |name: &str, trust: serde_json::Value, admin: bool| {
        serde_json::json!({
            "name": name,
            "arn": format!("arn:aws:iam::111122223333:role/{name}"),
            "trust_policy": trust,
            "attached_policies": if admin { vec!["arn:aws:iam::aws:policy/AdministratorAccess"] } else { vec![] },
            "inline_policies": [],
            "instance_profiles": {"known": []}
        })
    };
    let allow = |action: &str, resource: &str| serde_json::json!([{"Effect": "Allow", "Action": action, "Resource": resource}]);
    let by_account = serde_json::json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}
    ]});
    let svc = role("svc-worker", trusting("lambda.amazonaws.com"), false);
    let shared = role("svc-shared", by_account.clone(), false);
    let builder = role("builder", trusting("codebuild.amazonaws.com"), false);
    let roles = serde_json::json!([svc, builder]);
    let user = "arn:aws:iam::111122223333:user";
    // Its own user, through a policy variable; another user's is nothing.
    assert_eq!(
        judge("dev", allow("iam:AttachUserPolicy", &format!("{user}/${{aws:username}}")), roles.clone()),
        (
            CheckStatus::Fail,
            "dev can escalate privileges: attach-user-policy (on arn:aws:iam::111122223333:user/dev)"
                .to_owned()
        )
    );
    assert_eq!(
        judge(
            "dev",
            allow("iam:PutUserPolicy", &format!("{user}/ci-*")),
            roles.clone()
        )
        .0,
        CheckStatus::Pass
    );
    assert_eq!(
        judge("builder", allow("iam:AttachUserPolicy", "*"), roles.clone()).0,
        CheckStatus::Pass
    );
    // Its own groups.
    assert_eq!(
        judge(
            "dev",
            allow(
                "iam:AttachGroupPolicy",
                "arn:aws:iam::111122223333:group/dev*"
            ),
            roles.clone()
        ),
        (
            CheckStatus::Fail,
            "dev can escalate privileges: attach-group-policy (on \
             arn:aws:iam::111122223333:group/developers)"
                .to_owned()
        )
    );
    assert_eq!(
        judge(
            "dev",
            allow(
                "iam:PutGroupPolicy",
                "arn:aws:iam::111122223333:group/admins"
            ),
            roles.clone()
        )
        .0,
        CheckStatus::Pass
    );
    // Its own role; a service's role it cannot act as; a role its account
    // may assume.
    assert_eq!(
        judge(
            "builder",
            allow("iam:PutRolePolicy", "arn:aws:iam::111122223333:role/build*"),
            roles.clone()
        ),
        (
            CheckStatus::Fail,
            "builder can escalate privileges: put-role-policy (on \
             arn:aws:iam::111122223333:role/builder)"
                .to_owned()
        )
    );
    assert_eq!(
        judge(
            "dev",
            allow(
                "iam:AttachRolePolicy",
                "arn:aws:iam::111122223333:role/svc-*"
            ),
            roles.clone()
        )
        .0,
        CheckStatus::Pass
    );
    assert_eq!(
        judge(
            "dev",
            allow(
                "iam:AttachRolePolicy",
                "arn:aws:iam::111122223333:role/svc-*"
            ),
            serde_json::json!([svc, shared, builder])
        ),
        (
            CheckStatus::Fail,
            "dev can escalate privileges: attach-role-policy (on \
             arn:aws:iam::111122223333:role/svc-shared)"
                .to_owned()
        )
    );
    // A caller that may also run code as roles is not judged: the role it
    // changes may be one it runs code as.
    let mut with_code = allow(
        "iam:AttachRolePolicy",
        "arn:aws:iam::111122223333:role/svc-*",
    );
    with_code
        .as_array_mut()
        .expect("statements")
        .push(serde_json::json!(
            {"Effect": "Allow", "Action": "lambda:UpdateFunctionCode", "Resource": "*"}
        ));
    assert_eq!(judge("dev", with_code, roles.clone()).0, CheckStatus::Fail);
    // Rewriting a trust reaches the role: an administrator's is escalation.
    let admin = role("svc-admin", trusting("lambda.amazonaws.com"), true);
    assert_eq!(
        judge(
            "dev",
            allow(
                "iam:UpdateAssumeRolePolicy",
                "arn:aws:iam::111122223333:role/svc-*"
            ),
            serde_json::json!([svc, admin, builder])
        ),
        (
            CheckStatus::Fail,
            "dev can escalate privileges: update-assume-role-policy (on administrator role \
             arn:aws:iam::111122223333:role/svc-admin)"
                .to_owned()
        )
    );
    assert_eq!(
        judge(
            "dev",
            allow(
                "iam:UpdateAssumeRolePolicy",
                "arn:aws:iam::111122223333:role/svc-*"
            ),
            roles
        )
        .0,
        CheckStatus::Pass
    );
}

#[test]
fn service_control_policies_bound_what_principals_may_do() {
    // `admin` holds AdministratorAccess; `dev` can pass roles to new
    // instances. The organization's levels decide what either may do.
    let judge = |scps: serde_json::Value, id: &str, user: &str| {
        let mut value = fixture_json("least-privilege/fail.json");
        value["aws"][0]["service_control_policies"] = scps;
        let snapshot: Snapshot = serde_json::from_value(value).expect("a snapshot");
        run(id, &snapshot)
            .into_iter()
            .find(|o| o.resource.id == format!("arn:aws:iam::111122223333:user/{user}"))
            .map(|o| (o.status, o.message))
            .expect("the user is judged")
    };
    let level = |target: &str, statements: serde_json::Value| {
        serde_json::json!({"target": target, "policies": [{
            "id": format!("p-{target}"), "name": format!("at-{target}"),
            "document": {"Version": "2012-10-17", "Statement": statements}
        }]})
    };
    let allow_all = serde_json::json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]);
    // The root allows everything, the unit only S3 and EC2 reads.
    let confined = serde_json::json!({"known": [
        level("r-root", allow_all.clone()),
        level("ou-data", serde_json::json!([{"Effect": "Allow", "Action": ["s3:*", "ec2:Describe*"], "Resource": "*"}])),
        level("111122223333", allow_all.clone()),
    ]});
    assert_eq!(
        judge(confined.clone(), "aws.iam.no-full-admin", "admin").0,
        CheckStatus::Pass
    );
    assert_eq!(
        judge(confined, "aws.iam.no-privilege-escalation", "admin"),
        (
            CheckStatus::Pass,
            "admin has no known privilege-escalation path".to_owned()
        )
    );
    // A Deny of IAM anywhere above leaves everything else.
    let no_iam = serde_json::json!({"known": [
        level("r-root", serde_json::json!([
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}
        ])),
        level("111122223333", allow_all.clone()),
    ]});
    assert_eq!(
        judge(no_iam, "aws.iam.no-full-admin", "admin").0,
        CheckStatus::Pass
    );
    // Everything allowed at every level: as without an organization.
    let open = serde_json::json!({"known": [level("r-root", allow_all.clone()), level("111122223333", allow_all)]});
    assert_eq!(
        judge(open, "aws.iam.no-full-admin", "admin").0,
        CheckStatus::Fail
    );
    // Unread: undetermined for whoever they could take something from.
    let unread = serde_json::json!({"unavailable": {"reason": "access denied: needs organizations:DescribeOrganization"}});
    assert_eq!(
        judge(unread, "aws.iam.no-full-admin", "admin"),
        (
            CheckStatus::Error,
            "could not determine what admin may do: the service control policies of account \
             111122223333, which may take away what its policies grant: access denied: needs \
             organizations:DescribeOrganization"
                .to_owned()
        )
    );
    // Malformed: undetermined, naming the policy.
    let malformed = serde_json::json!({"known": [level("r-root", serde_json::json!([{"Effect": "allow", "Action": "*", "Resource": "*"}]))]});
    let (status, message) = judge(malformed, "aws.iam.no-full-admin", "admin");
    assert_eq!(status, CheckStatus::Error);
    assert!(
        message.contains("service control policy p-r-root (at-r-root) is malformed"),
        "{message}"
    );
}

/// An immutable GitHub subject pins its owner by id: the id of a scanned
/// organization passes, another owner's fails, and without the scanned
/// organizations' ids the name-based reading decides.
#[test]
fn role_trust_oidc_refuses_the_owner_ids_of_others() {
    let outcome = |sub: &str, orgs: serde_json::Value| {
        let mut json = fixture_json("least-privilege/pass.json");
        json["github"] = orgs;
        for role in json["aws"][0]["roles"]["known"]
            .as_array_mut()
            .expect("roles")
        {
            if role["name"] == "deploy" {
                role["trust_policy"]["Statement"][0]["Condition"]["StringLike"]["token.actions.githubusercontent.com:sub"] =
                    serde_json::json!(sub);
            }
        }
        let snapshot: Snapshot = serde_json::from_value(json).expect("a snapshot");
        run("aws.iam.role-trust-oidc", &snapshot)
            .into_iter()
            .find(|o| o.resource.id.ends_with(":role/deploy"))
            .expect("the deploy role is judged")
    };
    let acme = serde_json::json!([{"login": "acme", "id": {"known": 1000}}]);
    let ours = outcome(
        "repo:acme@1000/app@2000:environment:production",
        acme.clone(),
    );
    assert_eq!(ours.status, CheckStatus::Pass, "{ours:#?}");
    let theirs = outcome("repo:acme@999/app@2000:environment:production", acme);
    assert_eq!(theirs.status, CheckStatus::Fail, "{theirs:#?}");
    assert_eq!(
        theirs.message,
        "deploy trusts GitHub Actions tokens of the owner with id 999 (trust policy statement 0), which is none of the scanned organizations"
    );
    let unknown = outcome(
        "repo:acme@999/app@2000:environment:production",
        serde_json::json!([{"login": "acme"}]),
    );
    assert_eq!(unknown.status, CheckStatus::Pass, "{unknown:#?}");
}
