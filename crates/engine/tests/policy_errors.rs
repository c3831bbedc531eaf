//! Every kind of policy-file mistake, rendered as the user sees it.

use tenet_engine::Policy;

fn errors(text: &str) -> String {
    match Policy::parse(text, "tenet.toml") {
        Ok(_) => panic!("policy should be rejected:\n{text}"),
        Err(errors) => errors.render(),
    }
}

#[test]
fn misspelled_top_level_key() {
    insta::assert_snapshot!(errors("fail_onn = \"high\"\n"));
}

#[test]
fn misspelled_scope_key() {
    insta::assert_snapshot!(errors("[scope]\ngithub_org = [\"acme\"]\n"));
}

#[test]
fn misspelled_waiver_key() {
    insta::assert_snapshot!(errors(
        r#"[[waivers]]
control = "aws.iam.root-mfa"
resource = "arn:aws:iam::*:root"
reason = "break glass"
owner = "sec@example.com"
expire = 2026-12-31
"#
    ));
}

#[test]
fn unknown_control_id_suggests_the_closest() {
    insta::assert_snapshot!(errors(
        "[controls.\"aws.iam.root-mfaa\"]\nenabled = false\n"
    ));
}

#[test]
fn unknown_control_setting_suggests_the_closest() {
    insta::assert_snapshot!(errors(
        "[controls.\"aws.iam.root-mfa\"]\nseverty = \"high\"\n"
    ));
}

#[test]
fn wrong_type() {
    insta::assert_snapshot!(errors(
        "[controls.\"aws.iam.root-mfa\"]\nenabled = \"no\"\n"
    ));
}

#[test]
fn unknown_severity() {
    insta::assert_snapshot!(errors("fail_on = \"hihg\"\n"));
}

#[test]
fn bad_date_invalid_glob_and_unknown_control_all_at_once() {
    insta::assert_snapshot!(errors(
        r#"[[waivers]]
control = "github.members.two-factr"
resource = "github:acme:member/[bob"
reason = "contractor, offboarded in December"
owner = "sec@example.com"
expires = "2026-02-30"
"#
    ));
}

#[test]
fn empty_reason_and_owner() {
    insta::assert_snapshot!(errors(
        r#"[[waivers]]
control = "aws.iam.root-mfa"
resource = "*"
reason = ""
owner = " "
expires = 2026-12-31
"#
    ));
}

#[test]
fn missing_waiver_field() {
    insta::assert_snapshot!(errors(
        r#"[[waivers]]
control = "aws.iam.root-mfa"
resource = "*"
reason = "r"
expires = 2026-12-31
"#
    ));
}

#[test]
fn toml_syntax_error() {
    insta::assert_snapshot!(errors("[scope\ngithub_orgs = [\"acme\"]\n"));
}

#[test]
fn a_valid_policy_is_accepted() {
    let policy = Policy::parse(
        r#"fail_on = "high"
[scope]
github_orgs = ["acme"]
repositories = ["api-*"]
[controls."aws.iam.root-mfa"]
enabled = false
[controls."github.members.two-factor"]
severity = "critical"
[[waivers]]
control = "aws.iam.console-mfa"
resource = "arn:aws:iam::*:user/ci-*"
reason = "CI users"
owner = "sec@example.com"
expires = "2027-01-31"
"#,
        "tenet.toml",
    )
    .expect("valid policy");
    assert_eq!(policy.fail_on, tenet_engine::Severity::High);
    assert_eq!(policy.scope.github_orgs, vec!["acme".to_owned()]);
    let root = policy.control("aws.iam.root-mfa").expect("mentioned");
    assert!(!root.enabled);
    assert_eq!(root.line, 5);
    assert_eq!(
        policy
            .control("github.members.two-factor")
            .and_then(|c| c.severity),
        Some(tenet_engine::Severity::Critical)
    );
    let waiver = &policy.waivers[0];
    assert_eq!(waiver.line, 10);
    assert!(waiver.matches("arn:aws:iam::111122223333:user/ci-deploy"));
    assert!(!waiver.matches("arn:aws:iam::111122223333:user/alice"));
}

#[test]
fn attestation_of_an_automated_control_and_bad_cadence() {
    insta::assert_snapshot!(errors(
        r#"[[attestations]]
control = "aws.iam.root-mfa"
owner = "ciso@example.com"
evidence = "https://wiki.example.com/root-mfa"
attested_on = 2026-10-01

[[attestations]]
control = "manual.access-review"
owner = "ciso@example.com"
evidence = ""
attested_on = 2026-10-01
cadence_days = 0
"#
    ));
}

#[test]
fn aws_account_role_must_be_a_role_arn() {
    insta::assert_snapshot!(errors(
        r#"[aws]
regions = ["eu-west-1"]

[[aws.accounts]]
role_arn = "arn:aws:iam::12345:user/tenet"
name = "production"

[github]
api_url = "ghe.example.com"
"#
    ));
}

#[test]
fn a_pattern_past_the_length_limit_is_a_diagnostic_not_a_panic() {
    let long = "a".repeat(1 << 20);
    let rendered = errors(&format!(
        "[scope]\nprotected_branches = [\"{long}\"]\n\n[[waivers]]\ncontrol = \"aws.iam.root-mfa\"\nresource = \"{long}\"\nreason = \"r\"\nowner = \"o\"\nexpires = 2026-12-31\n"
    ));
    assert_eq!(
        rendered
            .matches("a pattern of 1048576 characters; patterns have at most 1024")
            .count(),
        2,
        "{}",
        &rendered[..rendered.len().min(2000)]
    );
    assert!(
        rendered.len() < 10_000,
        "the diagnostic does not echo the pattern"
    );
}

#[test]
fn lists_past_the_item_limit_are_diagnostics() {
    let many = vec!["\"release/*\""; 100_000].join(", ");
    let rendered = errors(&format!(
        "[scope]\nprotected_branches = [{many}]\n\n[controls.\"aws.iam.no-full-admin\"]\nallowlist = [{many}]\n"
    ));
    assert!(rendered.contains("a list of 100000 patterns; lists have at most 10000 items"));
    assert!(rendered.contains("a list of 100000 items; lists have at most 10000"));
    assert!(rendered.len() < 10_000);
}

#[test]
fn a_glob_that_does_not_parse_is_quoted_short() {
    let nested = "{a,".repeat(200) + &"}".repeat(200);
    insta::assert_snapshot!(errors(&format!("[scope]\nrepositories = [\"{nested}\"]\n")));
}

#[test]
fn every_problem_of_every_part_at_once() {
    // A wrong type, a misspelt key in two tables, an unknown top-level key,
    // a waiver without a date and an unknown control: one run shows all.
    insta::assert_snapshot!(errors(
        r#"fail_on = 3
colour = "auto"

[scope]
github_org = ["acme"]

[controls."aws.iam.root-mfaa"]
enabled = false

[[waivers]]
control = "aws.iam.root-mfa"
resource = "arn:aws:iam::*:root"
reason = "break glass"
owner = "sec@example.com"
expire = 2026-12-31

[[waivers]]
control = "aws.iam.root-mfa"
resource = "arn:aws:iam::*:root"
reason = "break glass"
owner = "sec@example.com"
expires = "soon"
"#
    ));
}

#[test]
fn a_misspelt_key_does_not_hide_a_wrong_type_beside_it() {
    // Both problems of [scope], and a waiver's misspelt `expire` is one
    // problem (not also a missing `expires`), beside its wrong-typed owner.
    insta::assert_snapshot!(errors(
        r#"[scope]
aws_acounts = ["111122223333"]
github_orgs = "acme"

[[waivers]]
control = "aws.iam.root-mfa"
resource = "arn:aws:iam::*:root"
reason = "break glass"
owner = 7
expire = 2026-12-31
"#
    ));
}

#[test]
fn every_syntax_error_at_once() {
    insta::assert_snapshot!(errors("fail_on = \"high\nscope = [\n[controls\n"));
}

#[test]
fn attestation_evidence_is_a_url_or_a_path() {
    let policy = |evidence: &str| {
        format!(
            "[[attestations]]\ncontrol = \"manual.incident-response-plan\"\nowner = \"ciso@example.com\"\nevidence = \"{evidence}\"\nattested_on = 2026-11-01\n"
        )
    };
    for good in [
        "https://tickets.example.com/SEC-311",
        "s3://audit/2026/q3.pdf",
        "evidence/access-review.pdf",
        "Q3 review.xlsx",
        "C:\\\\audit\\\\q3",
    ] {
        assert!(
            Policy::parse(&policy(good), "tenet.toml").is_ok(),
            "{good} is a record"
        );
    }
    insta::assert_snapshot!(errors(&policy("reviewed by Bob in the meeting")));
}

#[test]
fn allowlist_entries_are_patterns_or_recorded_exceptions() {
    insta::assert_snapshot!(errors(
        r#"[controls."aws.iam.no-full-admin"]
allowlist = [
  "arn:aws:iam::*:role/break-glass",
  { pattern = "arn:aws:iam::*:user/ops", reason = "break glass", owners = "sec@example.com" },
  { pattern = "arn:aws:iam::*:user/a", owner = "sec@example.com" },
  { pattern = "arn:aws:iam::*:user/b", reason = "r", owner = "o", expires = "next year", ticket = "" },
  42,
]

[controls."github.repo.deploy-keys-read-only"]
write_allowlist = "api/deploy"

[[waivers]]
control = "aws.iam.root-mfa"
resource = "arn:aws:iam::*:root"
reason = "break glass"
owner = "sec@example.com"
expires = 2026-12-31
approver = ""
approved = "last week"
"#
    ));
}
