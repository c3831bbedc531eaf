//! Conditions decided for every request to come: dates against the time of
//! the scan, and the caller's account (`PolicyDocument::resolve`).

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tenet_iam_policy::{Analysis, PolicyDocument, RequestContext, analyze};

fn scan() -> RequestContext {
    RequestContext {
        now: DateTime::parse_from_rfc3339("2026-12-04T12:00:00Z")
            .ok()
            .map(|t| t.with_timezone(&Utc)),
        account: Some("111122223333".into()),
    }
}

fn resolved(policy: Value) -> Analysis {
    let document = PolicyDocument::parse(&policy).expect("a valid policy");
    analyze(&document.resolve(&scan()))
}

/// `iam:CreatePolicyVersion` under one condition.
fn create_policy_version(condition: Value) -> Value {
    json!({"Statement": {"Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": "*", "Condition": condition}})
}

/// The methods found, each with whether it needs a condition.
fn methods(analysis: &Analysis) -> Vec<(String, bool)> {
    analysis
        .privilege_escalation
        .iter()
        .map(|m| (m.id.clone(), m.conditional))
        .collect()
}

#[test]
fn conditions_decided_or_kept() {
    let never: Vec<(String, bool)> = Vec::new();
    let always = vec![("create-policy-version".to_owned(), false)];
    let depends = vec![("create-policy-version".to_owned(), true)];
    let cases = [
        // Credentials issued before 2019 expired long ago; long-term
        // credentials lack the key.
        (
            json!({"DateLessThan": {"aws:TokenIssueTime": "2019-01-01T00:00:00Z"}}),
            &never,
        ),
        // ... unless IfExists lets long-term credentials through.
        (
            json!({"DateLessThanIfExists": {"aws:TokenIssueTime": "2019-01-01T00:00:00Z"}}),
            &depends,
        ),
        // Issued up to 36 hours before the scan: maybe still alive.
        (
            json!({"DateLessThan": {"aws:TokenIssueTime": "2026-12-03T12:00:00Z"}}),
            &depends,
        ),
        (
            json!({"DateGreaterThan": {"aws:TokenIssueTime": "2019-01-01"}}),
            &depends,
        ),
        // A window that closed.
        (
            json!({"DateLessThan": {"aws:CurrentTime": "2020-06-30"}}),
            &never,
        ),
        (
            json!({"NumericLessThan": {"aws:EpochTime": 1_600_000_000}}),
            &never,
        ),
        // A window still open, or opening later.
        (
            json!({"DateLessThan": {"aws:CurrentTime": "2099-01-01T00:00:00Z"}}),
            &depends,
        ),
        (
            json!({"DateGreaterThan": {"aws:CurrentTime": "2099-01-01T00:00:00Z"}}),
            &depends,
        ),
        // Opened long ago: met by every request to come.
        (
            json!({"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}),
            &always,
        ),
        (
            json!({"NumericGreaterThanEquals": {"aws:EpochTime": "1600000000"}}),
            &always,
        ),
        // Any value may match.
        (
            json!({"DateLessThan": {"aws:CurrentTime": ["2020-01-01", "2099-01-01"]}}),
            &depends,
        ),
        // Not a time: kept.
        (
            json!({"DateLessThan": {"aws:CurrentTime": "soon"}}),
            &depends,
        ),
        // The caller's account.
        (
            json!({"StringEquals": {"aws:PrincipalAccount": "444455556666"}}),
            &never,
        ),
        (
            json!({"StringEquals": {"aws:PrincipalAccount": ["444455556666", "111122223333"]}}),
            &always,
        ),
        (
            json!({"StringLike": {"aws:PrincipalAccount": "1111*"}}),
            &always,
        ),
        (
            json!({"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}),
            &never,
        ),
        (
            json!({"StringNotLike": {"aws:PrincipalAccount": "4444*"}}),
            &always,
        ),
        (
            json!({"ForAnyValue:StringEquals": {"aws:PrincipalAccount": "444455556666"}}),
            &depends,
        ),
        // Other keys stay undecided.
        (
            json!({"StringEquals": {"aws:SourceAccount": "444455556666"}}),
            &depends,
        ),
        // Every condition of a statement must hold.
        (
            json!({"DateGreaterThan": {"aws:CurrentTime": "2020-01-01"}, "Bool": {"aws:MultiFactorAuthPresent": "true"}}),
            &depends,
        ),
        (
            json!({"DateGreaterThan": {"aws:CurrentTime": "2020-01-01"}, "DateLessThan": {"aws:TokenIssueTime": "2019-01-01"}}),
            &never,
        ),
    ];
    for (condition, expected) in cases {
        assert_eq!(
            &methods(&resolved(create_policy_version(condition.clone()))),
            expected,
            "{condition}"
        );
    }
}

#[test]
fn a_deny_that_every_request_meets_overrides() {
    let analysis = resolved(json!({"Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2021-01-01"}}}
    ]}));
    assert!(!analysis.full_admin);
    assert!(analysis.privilege_escalation.is_empty());
}

#[test]
fn the_account_is_not_the_callers_in_a_resource_policy() {
    // A bucket policy's caller may belong to any account: the condition
    // confines it, and is not decided by the bucket's account.
    let policy = json!({"Statement": {
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
        "Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}}
    }});
    let document = PolicyDocument::parse(&policy).expect("a valid policy");
    let resolved = document.resolve(&scan());
    assert_eq!(resolved.statements[0].conditions.len(), 1);
    assert!(!analyze(&resolved).public);
}

#[test]
fn statements_keep_their_places() {
    let policy = json!({"Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "2020-01-01"}}},
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}
    ]});
    let document = PolicyDocument::parse(&policy).expect("a valid policy");
    assert_eq!(analyze(&document).public_statements, [0, 1]);
    assert_eq!(analyze(&document.resolve(&scan())).public_statements, [1]);
}
