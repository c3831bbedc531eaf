//! Parsing: every form of the grammar, and exact error messages for malformed
//! documents.

use serde_json::json;
use tenet_iam_policy::{
    Actions, ConditionValue, Effect, PolicyDocument, PolicyError, PrincipalSet, Principals,
    Resources, SetQualifier,
};

fn parse(value: serde_json::Value) -> PolicyDocument {
    PolicyDocument::parse(&value).expect("the document is valid")
}

fn error(value: serde_json::Value) -> String {
    PolicyDocument::parse(&value)
        .expect_err("the document is invalid")
        .to_string()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn single_statement_object_and_array_are_equivalent() {
    let single = parse(json!({
        "Version": "2012-10-17",
        "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    }));
    let array = parse(json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"]}]
    }));
    assert_eq!(single, array);
    assert_eq!(single.statements.len(), 1);
    assert_eq!(single.version.as_deref(), Some("2012-10-17"));
    let statement = &single.statements[0];
    assert_eq!(statement.effect, Effect::Allow);
    assert_eq!(
        statement.actions,
        Actions::Action(strings(&["s3:GetObject"]))
    );
    assert_eq!(
        statement.resources,
        Some(Resources::Resource(strings(&["*"])))
    );
    assert_eq!(statement.principal, None);
    assert!(!statement.is_conditional());
}

#[test]
fn full_grammar() {
    let doc = parse(json!({
        "Id": "bucket-policy",
        "Statement": [
            {
                "Sid": "Read",
                "Effect": "Deny",
                "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:root", "444455556666"]},
                "NotAction": ["s3:Get*", "s3:List*"],
                "NotResource": "arn:aws:s3:::logs/*",
                "Condition": {
                    "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["team-*", "owner"]},
                    "NumericLessThan": {"s3:TlsVersion": 1.2},
                    "Bool": {"aws:SecureTransport": false}
                }
            },
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com", "Federated": "cognito-identity.amazonaws.com", "CanonicalUser": "79a59df900b949e55d96a1e698fbaced"},
                "Action": "sts:AssumeRole"
            },
            {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*", "Condition": {}}
        ]
    }));
    assert_eq!(doc.version, None);
    assert_eq!(doc.id.as_deref(), Some("bucket-policy"));

    let deny = &doc.statements[0];
    assert_eq!(deny.sid.as_deref(), Some("Read"));
    assert_eq!(deny.effect, Effect::Deny);
    assert_eq!(
        deny.principal,
        Some(Principals::NotPrincipal(PrincipalSet {
            aws: strings(&["arn:aws:iam::111122223333:root", "444455556666"]),
            ..PrincipalSet::default()
        }))
    );
    assert_eq!(
        deny.actions,
        Actions::NotAction(strings(&["s3:Get*", "s3:List*"]))
    );
    assert_eq!(
        deny.resources,
        Some(Resources::NotResource(strings(&["arn:aws:s3:::logs/*"])))
    );
    assert_eq!(deny.conditions.len(), 3);
    let tag_keys = deny
        .conditions
        .iter()
        .find(|c| c.key_is("AWS:TAGKEYS"))
        .expect("the aws:TagKeys condition");
    assert_eq!(tag_keys.operator.qualifier, Some(SetQualifier::ForAnyValue));
    assert_eq!(tag_keys.operator.base, "StringLike");
    assert!(tag_keys.operator.if_exists);
    assert_eq!(
        tag_keys.values,
        vec![
            ConditionValue::String("team-*".to_owned()),
            ConditionValue::String("owner".to_owned())
        ]
    );
    let tls = deny
        .conditions
        .iter()
        .find(|c| c.key_is("aws:securetransport"))
        .expect("the aws:SecureTransport condition");
    assert_eq!(tls.operator.to_string(), "Bool");
    assert_eq!(tls.values, vec![ConditionValue::Bool(false)]);
    assert!(tls.values[0].is_false());
    let version = deny
        .conditions
        .iter()
        .find(|c| c.key_is("s3:TlsVersion"))
        .expect("the s3:TlsVersion condition");
    assert_eq!(version.values[0].as_text(), "1.2");

    let trust = &doc.statements[1];
    assert_eq!(trust.resources, None);
    let Some(Principals::Principal(set)) = &trust.principal else {
        panic!("expected a Principal");
    };
    assert_eq!(set.service, strings(&["lambda.amazonaws.com"]));
    assert_eq!(set.federated, strings(&["cognito-identity.amazonaws.com"]));
    assert_eq!(
        set.canonical_user,
        strings(&["79a59df900b949e55d96a1e698fbaced"])
    );
    assert!(!set.is_everyone());

    let public = &doc.statements[2];
    let Some(Principals::Principal(set)) = &public.principal else {
        panic!("expected a Principal");
    };
    assert!(set.wildcard && set.is_everyone());
    assert!(
        !public.is_conditional(),
        "an empty Condition is no condition"
    );
}

#[test]
fn from_str_parses_text() {
    let doc: PolicyDocument =
        r#"{"Statement":{"Effect":"Allow","Action":"IAM:createpolicyversion","Resource":"*"}}"#
            .parse()
            .expect("valid policy text");
    assert!(doc.statements[0].applies_to_action("iam:CreatePolicyVersion"));
    assert!(!doc.statements[0].applies_to_action("iam:CreatePolicy"));
}

#[test]
fn statement_helpers_match_resources() {
    let doc = parse(json!({"Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::bucket/*"},
        {"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret*"},
        {"Effect": "Allow", "NotAction": "s3:*", "Principal": {"AWS": "*"}}
    ]}));
    let [only_bucket, all_but_secret, trust] = &doc.statements[..] else {
        panic!("three statements");
    };
    assert!(only_bucket.applies_to_resource("arn:aws:s3:::bucket/key"));
    assert!(!only_bucket.applies_to_resource("arn:aws:s3:::Bucket/key"));
    assert!(only_bucket.covers_resource("arn:aws:s3:::bucket/*"));
    assert!(!only_bucket.covers_resource("arn:aws:s3:::bucket"));
    assert!(all_but_secret.applies_to_resource("arn:aws:s3:::public"));
    assert!(!all_but_secret.applies_to_resource("arn:aws:s3:::secret-stuff"));
    assert!(all_but_secret.covers_resource("arn:aws:s3:::public/*"));
    assert!(!all_but_secret.covers_resource("arn:aws:s3:::*"));
    assert!(trust.applies_to_resource("arn:aws:iam::1:role/x"));
    assert!(!trust.covers_resource("arn:aws:iam::1:role/x"));
    assert!(trust.applies_to_action("ec2:RunInstances"));
    assert!(!trust.applies_to_action("S3:GetObject"));
}

#[test]
fn condition_operators_are_case_insensitive_and_canonicalised() {
    let doc = parse(json!({"Statement": {
        "Effect": "Allow", "Action": "*", "Resource": "*",
        "Condition": {"forallvalues:stringequalsifexists": {"aws:TagKeys": "a"}}
    }}));
    let condition = &doc.statements[0].conditions[0];
    assert_eq!(
        condition.operator.qualifier,
        Some(SetQualifier::ForAllValues)
    );
    assert_eq!(
        condition.operator.to_string(),
        "ForAllValues:StringEqualsIfExists"
    );
}

#[test]
fn missing_statement() {
    assert_eq!(
        error(json!({"Version": "2012-10-17"})),
        "policy document: missing required key `Statement`"
    );
}

#[test]
fn lower_case_effect_is_rejected() {
    let err = PolicyDocument::parse(&json!({"Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}
    ]}))
    .expect_err("lower-case effect");
    assert_eq!(
        err.to_string(),
        "Statement[1].Effect: expected \"Allow\" or \"Deny\" (case-sensitive), found a string (\"allow\")"
    );
    assert_eq!(err.statement(), Some(1));
    assert_eq!(err.path(), Some("Statement[1].Effect"));
}

#[test]
fn empty_action_and_resource_lists_are_refused_as_iam_refuses_them() {
    // AdministratorAccess with its action list emptied would otherwise
    // grant nothing, and an administrator would stop being one.
    let cases = [
        (
            json!({"Statement": [{"Effect": "Allow", "Action": [], "Resource": "*"}]}),
            "Statement[0].Action: an empty list: IAM refuses a statement that names no action here",
        ),
        (
            json!({"Statement": {"Effect": "Deny", "NotAction": [], "Resource": "*"}}),
            "Statement.NotAction: an empty list: IAM refuses a statement that names no action here",
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": []}]}),
            "Statement[0].Resource: an empty list: IAM refuses a statement that names no resource here",
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Action": "*", "NotResource": []}]}),
            "Statement[0].NotResource: an empty list: IAM refuses a statement that names no resource here",
        ),
    ];
    for (document, message) in cases {
        assert_eq!(error(document), message);
    }
}

#[test]
fn numeric_action_is_rejected() {
    assert_eq!(
        error(json!({"Statement": {"Effect": "Allow", "Action": 5, "Resource": "*"}})),
        "Statement.Action: expected a string or a list of strings, found a number (5)"
    );
    assert_eq!(
        error(
            json!({"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", 5], "Resource": "*"}]})
        ),
        "Statement[0].Action[1]: expected an action (a non-empty string), found a number (5)"
    );
}

#[test]
fn malformed_action_names_are_rejected() {
    assert_eq!(
        error(
            json!({"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3GetObject"], "Resource": "*"}]})
        ),
        "Statement[0].Action[1]: expected `*` or an action of the form `service:Action`, found \"s3GetObject\""
    );
    assert_eq!(
        error(json!({"Statement": [{"Effect": "Allow", "NotAction": "iam:", "Resource": "*"}]})),
        "Statement[0].NotAction: expected `*` or an action of the form `service:Action`, found \"iam:\""
    );
}

#[test]
fn action_and_not_action_together_are_rejected() {
    assert_eq!(
        error(json!({"Statement": [
            {"Effect": "Allow", "Action": "s3:*", "NotAction": "iam:*", "Resource": "*"}
        ]})),
        "Statement[0]: `Action` and `NotAction` cannot both appear in a statement"
    );
    assert_eq!(
        error(json!({"Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "NotResource": "*"}
        ]})),
        "Statement[0]: `Resource` and `NotResource` cannot both appear in a statement"
    );
    assert_eq!(
        error(json!({"Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Principal": "*", "NotPrincipal": "*"}
        ]})),
        "Statement[0]: `Principal` and `NotPrincipal` cannot both appear in a statement"
    );
}

#[test]
fn missing_effect_or_action() {
    assert_eq!(
        error(json!({"Statement": [{"Action": "s3:*", "Resource": "*"}]})),
        "Statement[0]: missing required key `Effect`"
    );
    assert_eq!(
        error(json!({"Statement": [{"Effect": "Deny", "Resource": "*"}]})),
        "Statement[0]: missing required key `Action` or `NotAction`"
    );
}

#[test]
fn unknown_keys_are_rejected() {
    assert_eq!(
        error(json!({"Statement": [], "Statment": []})),
        "policy document: unknown key `Statment`; expected one of `Version`, `Id`, `Statement`"
    );
    assert_eq!(
        error(json!({"Statement": [{"effect": "Allow", "Action": "s3:*", "Resource": "*"}]})),
        "Statement[0]: unknown key `effect` (keys are case-sensitive: did you mean `Effect`?); \
         expected one of `Sid`, `Effect`, `Principal`, `NotPrincipal`, `Action`, `NotAction`, \
         `Resource`, `NotResource`, `Condition`"
    );
}

#[test]
fn wrong_shapes_are_rejected() {
    assert_eq!(
        error(json!([{"Effect": "Allow"}])),
        "policy document: expected a JSON object, found an array"
    );
    assert_eq!(
        error(json!({"Statement": "Allow everything"})),
        "Statement: expected a statement object or an array of statement objects, found a string (\"Allow everything\")"
    );
    assert_eq!(
        error(json!({"Statement": [null]})),
        "Statement[0]: expected a statement object, found null"
    );
    assert_eq!(
        error(json!({"Version": "2012-10-18", "Statement": []})),
        "Version: expected \"2012-10-17\" or \"2008-10-17\", found a string (\"2012-10-18\")"
    );
    assert_eq!(
        error(json!({"Statement": [{"Sid": 1, "Effect": "Allow", "Action": "*"}]})),
        "Statement[0].Sid: expected a string, found a number (1)"
    );
    assert_eq!(
        error(json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": [""]}]})),
        "Statement[0].Resource[0]: expected a resource ARN (a non-empty string), found a string (\"\")"
    );
}

#[test]
fn malformed_principals_are_rejected() {
    assert_eq!(
        error(
            json!({"Statement": [{"Effect": "Allow", "Action": "*", "Principal": "arn:aws:iam::1:root"}]})
        ),
        "Statement[0].Principal: expected \"*\" or an object mapping `AWS`, `Service`, `Federated` or \
         `CanonicalUser` to principals, found a string (\"arn:aws:iam::1:root\")"
    );
    assert_eq!(
        error(
            json!({"Statement": [{"Effect": "Allow", "Action": "*", "Principal": {"aws": "*"}}]})
        ),
        "Statement[0].Principal: unknown principal type `aws` (principal types are case-sensitive: \
         did you mean `AWS`?); expected one of `AWS`, `Service`, `Federated`, `CanonicalUser`"
    );
    assert_eq!(
        error(
            json!({"Statement": [{"Effect": "Allow", "Action": "*", "Principal": {"AWS": [true]}}]})
        ),
        "Statement[0].Principal.AWS[0]: expected a principal (a non-empty string), found a boolean (true)"
    );
}

#[test]
fn malformed_conditions_are_rejected() {
    assert_eq!(
        error(json!({"Statement": [{"Effect": "Allow", "Action": "*", "Condition": ["Bool"]}]})),
        "Statement[0].Condition: expected an object mapping condition operators to {key: value} objects, found an array"
    );
    assert_eq!(
        error(
            json!({"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"StringEqual": {"a": "b"}}}]})
        ),
        "Statement[0].Condition: unknown condition operator `StringEqual`; expected an operator such as \
         `StringEquals`, `Bool` or `ArnLike`, optionally prefixed with `ForAllValues:`/`ForAnyValue:` \
         and suffixed with `IfExists`"
    );
    assert_eq!(
        error(
            json!({"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"Bool": "true"}}]})
        ),
        "Statement[0].Condition.Bool: expected an object mapping condition keys to values, found a string (\"true\")"
    );
    assert_eq!(
        error(
            json!({"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"Null": {"aws:TokenIssueTime": null}}}]})
        ),
        "Statement[0].Condition.Null.aws:TokenIssueTime: expected a string, boolean or number, or a list of those, found null"
    );
    assert_eq!(
        error(
            json!({"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"StringEquals": {"k": ["a", {"b": 1}]}}}]})
        ),
        "Statement[0].Condition.StringEquals.k[1]: expected a string, boolean or number, or a list of those, found an object"
    );
}

#[test]
fn invalid_json_text() {
    let err = "{\"Statement\": "
        .parse::<PolicyDocument>()
        .expect_err("truncated JSON");
    assert!(matches!(err, PolicyError::Json { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("the policy is not valid JSON: EOF while parsing"),
        "{err}"
    );
    assert_eq!(err.path(), None);
    assert_eq!(err.statement(), None);
}
