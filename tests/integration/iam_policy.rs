//! `tenet iam-policy`: the analyzer on policy documents before deployment.

use crate::{run, tenet};

#[test]
fn safe_documents_exit_0() {
    let out = run(tenet().args([
        "iam-policy",
        "fixtures/iam-policy/read-only.json",
        "fixtures/iam-policy/tls-only-bucket.json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stdout);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn grants_on_resources_the_actions_cannot_reach_exit_0() {
    // `*` on one DynamoDB table grants no IAM, EC2 or Lambda action; the
    // AWS managed policies are no customer's to version; passing one named
    // role is escalation only if that role can do more, which a scan judges.
    let out = run(tenet().args([
        "iam-policy",
        "fixtures/iam-policy/all-on-one-table.json",
        "fixtures/iam-policy/version-aws-managed.json",
        "fixtures/iam-policy/passrole-one-role.json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stdout);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn a_resource_policy_open_to_anyone_exits_1() {
    let out = run(tenet().args(["iam-policy", "fixtures/iam-policy/public-bucket.json"]));
    assert_eq!(out.code, 1, "{}", out.stdout);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn admin_or_escalation_exits_1() {
    let out = run(tenet().args([
        "iam-policy",
        "fixtures/iam-policy/read-only.json",
        "fixtures/iam-policy/passrole-ec2.json",
        "fixtures/iam-policy/admin.json",
    ]));
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn invalid_document_exits_2_and_the_others_are_still_analyzed() {
    let out = run(tenet().args([
        "iam-policy",
        "--format",
        "json",
        "fixtures/iam-policy/invalid.json",
        "fixtures/iam-policy/passrole-ec2.json",
    ]));
    assert_eq!(out.code, 2);
    let results: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(
        results[0]["error"],
        "not a valid IAM policy: Statement[0].Effect: expected \"Allow\" or \"Deny\" (case-sensitive), found a string (\"allow\")"
    );
    assert_eq!(results[1]["dangerous"], true);
    assert_eq!(
        results[1]["analysis"]["privilege_escalation"][0]["id"],
        "passrole-ec2-run-instances"
    );
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn conditions_no_request_can_meet_are_decided() {
    // Sessions issued before 2019 expired long ago; a condition on another
    // account's callers holds for none of `--account`'s principals.
    let out = run(tenet().args([
        "iam-policy",
        "--account",
        "111122223333",
        "fixtures/iam-policy/version-before-2019-tokens.json",
        "fixtures/iam-policy/admin-other-account.json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stdout);
    insta::assert_snapshot!(out.stdout);

    // Without the account, the account's condition cannot be decided.
    let out = run(tenet().args(["iam-policy", "fixtures/iam-policy/admin-other-account.json"]));
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("full admin: no (yes, under a condition)"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_malformed_account_is_a_usage_error() {
    let out = run(tenet().args([
        "iam-policy",
        "--account",
        "1111-2222-3333",
        "fixtures/iam-policy/admin.json",
    ]));
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn a_snapshot_judges_the_roles_a_document_passes_by_the_account() {
    // Passing roles to new instances: escalation in an account with
    // administrator roles, none in one whose only administrator role is
    // bounded to read-only.
    let out = run(tenet().args([
        "iam-policy",
        "--snapshot",
        "fixtures/rules/least-privilege/fail.json",
        "fixtures/iam-policy/passrole-ec2.json",
        "fixtures/iam-policy/read-only.json",
    ]));
    assert_eq!(out.code, 1, "{}", out.stdout);
    insta::assert_snapshot!(out.stdout);

    let out = run(tenet().args([
        "iam-policy",
        "--snapshot",
        "fixtures/rules/least-privilege/pass.json",
        "--format",
        "json",
        "fixtures/iam-policy/passrole-ec2.json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stdout);
    let results: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(
        results[0]["in_account"],
        serde_json::json!({
            "account": "111122223333",
            "reaches_no_administrator": ["passrole-ec2-run-instances"],
            "full_admin": false,
            "administrator": false
        })
    );
}

#[test]
fn a_snapshot_judges_the_instances_a_document_takes_over_by_the_roles_they_run_as() {
    // Running commands on instances: alone, escalation if an instance runs
    // as an administrator; in an account whose only administrator role is
    // in no instance profile, none; once that role is in one (the regions
    // were not all read, so any instance may use it), escalation again.
    let document = "fixtures/iam-policy/ssm-send-command.json";
    let out = run(tenet().args(["iam-policy", document]));
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains(
            "privilege escalation: ssm-send-command (ssm:SendCommand, needs an EC2 instance with \
             an instance profile)"
        ),
        "{}",
        out.stdout
    );
    let judge = |profiles: serde_json::Value, trusted: &str| {
        let mut snapshot: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string("fixtures/rules/least-privilege/pass.json").expect("fixture"),
        )
        .expect("json");
        for role in snapshot["aws"][0]["roles"]["known"]
            .as_array_mut()
            .into_iter()
            .flatten()
        {
            if role["name"] == "bounded-admin" {
                role["attached_policies"] =
                    serde_json::json!(["arn:aws:iam::aws:policy/AdministratorAccess"]);
                role["permissions_boundary"] = serde_json::Value::Null;
                role["instance_profiles"] = profiles.clone();
                role["trust_policy"] = serde_json::json!({"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": trusted}, "Action": "sts:AssumeRole"}
                ]});
            }
        }
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("snapshot.json");
        std::fs::write(&path, snapshot.to_string()).expect("written");
        run(tenet().args([
            "iam-policy",
            "--snapshot",
            path.to_str().expect("a UTF-8 path"),
            document,
        ]))
    };
    let out = judge(serde_json::json!({"known": []}), "ec2.amazonaws.com");
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("... reaches roles, none of them an administrator: ssm-send-command\n"),
        "{}",
        out.stdout
    );
    let break_glass = serde_json::json!({"known": [
        "arn:aws:iam::111122223333:instance-profile/break-glass"
    ]});
    // A role EC2 may not assume gives an instance no credentials.
    let out = judge(break_glass.clone(), "lambda.amazonaws.com");
    assert_eq!(out.code, 0, "{}", out.stdout);
    let out = judge(break_glass, "ec2.amazonaws.com");
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains(
            "in account 111122223333: full admin: no; administrator: yes; privilege escalation: \
             ssm-send-command (through any instance with profile \
             arn:aws:iam::111122223333:instance-profile/break-glass, running as administrator \
             role arn:aws:iam::111122223333:role/bounded-admin)\n"
        ),
        "{}",
        out.stdout
    );
    let out = judge(
        serde_json::json!({"unavailable": {"reason": "lost"}}),
        "ec2.amazonaws.com",
    );
    assert_eq!(out.code, 3, "{}", out.stdout);
    assert!(
        out.stdout.contains(
            "in account 111122223333: could not determine: the instance profiles of role \
             bounded-admin: lost\n"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn a_snapshot_whose_service_control_policies_are_unread_leaves_escalation_undetermined() {
    let mut snapshot: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("fixtures/rules/least-privilege/pass.json").expect("fixture"),
    )
    .expect("json");
    snapshot["aws"][0]["service_control_policies"] = serde_json::json!({"unavailable": {"reason": "access denied: needs organizations:DescribeOrganization"}});
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("snapshot.json");
    std::fs::write(&path, snapshot.to_string()).expect("written");
    let out = run(tenet().args([
        "iam-policy",
        "--snapshot",
        path.to_str().expect("a UTF-8 path"),
        "fixtures/iam-policy/passrole-ec2.json",
        "fixtures/iam-policy/read-only.json",
    ]));
    assert_eq!(out.code, 3, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("fixtures/iam-policy/passrole-ec2.json: UNDETERMINED\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "in account 111122223333: could not determine: the service control policies of \
             account 111122223333, which may take away what its policies grant: access denied: \
             needs organizations:DescribeOrganization"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("fixtures/iam-policy/read-only.json: ok\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_snapshot_of_several_accounts_needs_one_chosen() {
    let out = run(tenet().args([
        "iam-policy",
        "--snapshot",
        "fixtures/rules/credentials/fail.json",
        "fixtures/iam-policy/read-only.json",
    ]));
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.stderr);

    let out = run(tenet().args([
        "iam-policy",
        "--snapshot",
        "fixtures/rules/credentials/fail.json",
        "--account",
        "444455556666",
        "fixtures/iam-policy/read-only.json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("in account 444455556666: full admin: no"),
        "{}",
        out.stdout
    );

    let out = run(tenet().args([
        "iam-policy",
        "--snapshot",
        "fixtures/rules/credentials/fail.json",
        "--account",
        "999999999999",
        "fixtures/iam-policy/read-only.json",
    ]));
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("unknown_account", out.stderr);
}

#[test]
fn queue_topic_and_key_policies_are_public_unless_a_condition_confines_the_callers() {
    let out = run(tenet().args([
        "iam-policy",
        "--format",
        "json",
        "fixtures/iam-policy/sqs-from-one-topic.json",
        "fixtures/iam-policy/sns-open-topic.json",
        "fixtures/iam-policy/kms-key-policy.json",
    ]));
    assert_eq!(out.code, 1, "{}", out.stdout);
    let results: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let public: Vec<(&str, &serde_json::Value)> = results
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap_or_default(),
                &r["analysis"]["public_statements"],
            )
        })
        .collect();
    assert_eq!(
        public,
        [
            (
                "fixtures/iam-policy/sqs-from-one-topic.json",
                &serde_json::json!([])
            ),
            // `aws:SecureTransport` confines no caller.
            (
                "fixtures/iam-policy/sns-open-topic.json",
                &serde_json::json!([0])
            ),
            // `kms:CallerAccount` confines the callers to one account.
            (
                "fixtures/iam-policy/kms-key-policy.json",
                &serde_json::json!([])
            ),
        ]
    );
}

#[test]
fn a_document_is_read_from_standard_input_once() {
    let admin = std::fs::read_to_string("fixtures/iam-policy/admin.json").expect("fixture");
    let out = run(tenet()
        .args(["iam-policy", "-", "fixtures/iam-policy/read-only.json"])
        .write_stdin(admin));
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.starts_with("-: FULL ADMIN\n"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("fixtures/iam-policy/read-only.json: ok\n"),
        "{}",
        out.stdout
    );
    let out = run(tenet().args(["iam-policy", "-", "-"]).write_stdin("{}"));
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: `-` (standard input) can be given once\n"
    );
}
