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
