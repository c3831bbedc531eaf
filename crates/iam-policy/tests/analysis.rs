//! Analysis of hand-written tricky documents, with exact expected results.

mod common;

use common::{NON_IAM_METHODS, ids};
use serde_json::{Value, json};
use tenet_iam_policy::{
    Analysis, ESCALATION_METHODS, PolicyDocument, SENSITIVE_SERVICES, analyze, analyze_value,
};

fn run(value: Value) -> Analysis {
    analyze_value(&value).expect("the document is valid")
}

fn conditional_ids(analysis: &Analysis) -> Vec<&str> {
    analysis
        .privilege_escalation
        .iter()
        .filter(|f| f.conditional)
        .map(|f| f.id.as_str())
        .collect()
}

fn all_services() -> Vec<String> {
    SENSITIVE_SERVICES.iter().map(|s| (*s).to_owned()).collect()
}

fn services_except(excluded: &[&str]) -> Vec<String> {
    SENSITIVE_SERVICES
        .iter()
        .filter(|s| !excluded.contains(s))
        .map(|s| (*s).to_owned())
        .collect()
}

fn all_method_ids() -> Vec<&'static str> {
    ESCALATION_METHODS.iter().map(|m| m.id).collect()
}

#[test]
fn allow_everything() {
    let analysis = run(json!({
        "Version": "2012-10-17",
        "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}
    }));
    assert!(analysis.full_admin);
    assert!(!analysis.conditional_full_admin);
    assert!(analysis.admin_like);
    assert_eq!(analysis.wildcard_services, all_services());
    assert!(analysis.conditional_wildcard_services.is_empty());
    assert_eq!(ids(&analysis), all_method_ids());
    assert!(conditional_ids(&analysis).is_empty());
    assert!(!analysis.public);
    assert!(analysis.grants_admin_or_escalation());
}

#[test]
fn not_action_iam_is_admin_like_but_not_full_admin() {
    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
    }));
    assert!(!analysis.full_admin);
    assert!(!analysis.conditional_full_admin);
    assert!(analysis.admin_like);
    assert_eq!(analysis.wildcard_services, services_except(&["iam"]));
    assert!(analysis.conditional_wildcard_services.is_empty());
    assert_eq!(ids(&analysis), NON_IAM_METHODS);
    assert!(analysis.grants_admin_or_escalation());
}

#[test]
fn deny_overrides_allow() {
    let analysis = run(json!({
        "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}
        ]
    }));
    assert!(!analysis.full_admin);
    assert!(!analysis.conditional_full_admin);
    assert!(analysis.admin_like);
    assert_eq!(analysis.wildcard_services, services_except(&["iam"]));
    assert_eq!(ids(&analysis), NON_IAM_METHODS);
}

#[test]
fn partial_deny_removes_the_service_wildcard() {
    let analysis = run(json!({
        "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": ["s3:Delete*", "iam:PassRole"], "Resource": "*"}
        ]
    }));
    assert!(!analysis.full_admin);
    assert!(analysis.admin_like);
    assert_eq!(analysis.wildcard_services, services_except(&["iam", "s3"]));
    let expected: Vec<&str> = all_method_ids()
        .into_iter()
        .filter(|id| !id.starts_with("passrole-"))
        .collect();
    assert_eq!(ids(&analysis), expected);
}

#[test]
fn denies_that_do_not_override() {
    // A conditional deny, a deny on one resource, a deny with NotResource and
    // a deny aimed at one principal can all leave the action allowed
    // somewhere, so none of them is subtracted.
    let analysis = run(json!({
        "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "iam:*", "Resource": "*",
             "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}},
            {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::secret/*"},
            {"Effect": "Deny", "Action": "ec2:*", "NotResource": "arn:aws:ec2:*:*:instance/i-1"},
            {"Effect": "Deny", "Action": "kms:*", "Resource": "*", "Principal": {"AWS": "arn:aws:iam::1:root"}},
            {"Effect": "Deny", "Action": "sts:*", "Resource": "*", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}}
        ]
    }));
    assert!(analysis.full_admin);
    assert_eq!(analysis.wildcard_services, all_services());
    assert_eq!(ids(&analysis), all_method_ids());
}

#[test]
fn deny_not_action_leaves_only_the_listed_service() {
    let analysis = run(json!({
        "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}
        ]
    }));
    assert!(!analysis.full_admin);
    assert!(!analysis.admin_like);
    assert_eq!(analysis.wildcard_services, vec!["s3".to_owned()]);
    assert!(analysis.privilege_escalation.is_empty());
    assert!(!analysis.grants_admin_or_escalation());
}

#[test]
fn complementary_allows_add_up_to_full_admin() {
    let analysis = run(json!({
        "Statement": [
            {"Effect": "Allow", "NotAction": "iam:Get*", "Resource": "*"},
            {"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"}
        ]
    }));
    assert!(analysis.full_admin);
}

#[test]
fn conditional_allow_is_flagged_not_full_admin() {
    let analysis = run(json!({
        "Statement": {
            "Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
        }
    }));
    assert!(!analysis.full_admin);
    assert!(analysis.conditional_full_admin);
    assert!(!analysis.admin_like);
    assert!(analysis.wildcard_services.is_empty());
    assert_eq!(analysis.conditional_wildcard_services, all_services());
    assert_eq!(ids(&analysis), all_method_ids());
    assert_eq!(conditional_ids(&analysis), all_method_ids());
    assert!(analysis.grants_admin_or_escalation());
}

#[test]
fn conditional_and_unconditional_mix() {
    let analysis = run(json!({
        "Statement": [
            {"Effect": "Allow", "Action": ["s3:*", "ec2:RunInstances"], "Resource": "*"},
            {"Effect": "Allow", "Action": ["kms:*", "iam:PassRole"], "Resource": "*",
             "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}
        ]
    }));
    assert!(!analysis.full_admin && !analysis.conditional_full_admin && !analysis.admin_like);
    assert_eq!(analysis.wildcard_services, vec!["s3".to_owned()]);
    assert_eq!(
        analysis.conditional_wildcard_services,
        vec!["kms".to_owned()]
    );
    assert_eq!(ids(&analysis), ["passrole-ec2-run-instances"]);
    assert_eq!(conditional_ids(&analysis), ["passrole-ec2-run-instances"]);
}

#[test]
fn wildcard_in_the_middle() {
    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": "iam:Put*Policy", "Resource": "*"}
    }));
    assert_eq!(
        ids(&analysis),
        ["put-user-policy", "put-group-policy", "put-role-policy"]
    );
    assert!(analysis.wildcard_services.is_empty());
    assert!(!analysis.admin_like);

    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": "iam:*Policy*", "Resource": "*"}
    }));
    assert_eq!(
        ids(&analysis),
        [
            "create-policy-version",
            "set-default-policy-version",
            "attach-user-policy",
            "attach-group-policy",
            "attach-role-policy",
            "put-user-policy",
            "put-group-policy",
            "put-role-policy",
            "update-assume-role-policy",
        ]
    );
}

#[test]
fn question_mark_wildcard() {
    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": ["iam:?ttachUserPolicy", "s3:Get?bject"], "Resource": "*"}
    }));
    assert_eq!(ids(&analysis), ["attach-user-policy"]);
}

#[test]
fn actions_are_case_insensitive() {
    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": "IAM:createpolicyversion", "Resource": "*"}
    }));
    assert_eq!(ids(&analysis), ["create-policy-version"]);
    assert!(!analysis.privilege_escalation[0].conditional);
    assert_eq!(
        analysis.privilege_escalation[0].actions,
        vec!["iam:CreatePolicyVersion".to_owned()]
    );

    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": "S3:*", "Resource": "*"}
    }));
    assert_eq!(analysis.wildcard_services, vec!["s3".to_owned()]);
}

#[test]
fn multi_action_methods_need_every_action() {
    let analysis = run(json!({
        "Statement": [
            {"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction"], "Resource": "*"}
        ]
    }));
    assert!(analysis.privilege_escalation.is_empty());

    let analysis = run(json!({
        "Statement": [
            {"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction"], "Resource": "*"},
            {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:*:1:function:x"}
        ]
    }));
    assert_eq!(ids(&analysis), ["passrole-lambda-invoke"]);

    // A trust policy that names the caller's ARN is enough to assume the
    // role within its account: no sts:AssumeRole grant is needed.
    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": ["iam:UpdateAssumeRolePolicy"], "Resource": "*"}
    }));
    assert_eq!(ids(&analysis), ["update-assume-role-policy"]);

    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": ["glue:CreateJob", "glue:StartJobRun"], "Resource": "*"}
    }));
    assert!(analysis.privilege_escalation.is_empty());
    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": ["iam:PassRole", "glue:CreateJob", "glue:StartJobRun"], "Resource": "*"}
    }));
    assert_eq!(ids(&analysis), ["passrole-glue-job"]);
}

#[test]
fn assume_role_alone_is_not_escalation() {
    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}
    }));
    assert!(analysis.privilege_escalation.is_empty());
    assert!(!analysis.grants_admin_or_escalation());
}

#[test]
fn resource_scoping() {
    // `*` on one bucket or one table is not admin, grants no service
    // wildcard, and no method: none of their actions applies to a bucket or
    // a table (AWS's Service Authorization Reference).
    for resource in [
        "arn:aws:s3:::bucket",
        "arn:aws:dynamodb:eu-west-1:111122223333:table/orders",
    ] {
        let analysis = run(json!({
            "Statement": {"Effect": "Allow", "Action": "*", "Resource": resource}
        }));
        assert!(!analysis.full_admin && !analysis.admin_like);
        assert!(analysis.wildcard_services.is_empty());
        assert!(ids(&analysis).is_empty(), "{resource}");
        assert!(!analysis.grants_admin_or_escalation(), "{resource}");
    }

    // `*` on every IAM resource and every EC2 resource: each method whose
    // actions apply to one of them counts.
    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": "*", "Resource": ["arn:aws:iam::*", "arn:aws:ec2:*"]}
    }));
    assert!(ids(&analysis).contains(&"passrole-ec2-run-instances"));
    assert!(ids(&analysis).contains(&"create-policy-version"));
    assert!(!ids(&analysis).contains(&"passrole-lambda-invoke"));

    // An action is performed only when the resources of every type its
    // requests always name are allowed: RunInstances needs an instance, an
    // image, a subnet, ...; an IAM role names none of them.
    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "arn:aws:iam::*:role/*"}
    }));
    assert!(
        analysis.privilege_escalation.is_empty(),
        "ec2:RunInstances applies to no IAM role"
    );

    // The AWS managed policies (the `aws` account) are no customer's to
    // change: versioning them is no escalation.
    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"], "Resource": "arn:aws:iam::aws:policy/*"}
    }));
    assert!(analysis.privilege_escalation.is_empty());
    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": ["arn:aws:iam::aws:policy/*", "arn:aws:iam::111122223333:policy/*"]}
    }));
    assert_eq!(ids(&analysis), ["create-policy-version"]);

    // Every method counts on `*` confined to no service.
    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": "*", "Resource": "arn:*"}
    }));
    assert_eq!(ids(&analysis), all_method_ids());

    // An exclusion list still counts as all resources.
    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::dummy"}
    }));
    assert!(analysis.full_admin);

    // Universal ARN patterns count as `*`.
    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": "iam:*", "Resource": "arn:aws:*:*:*:*"}
    }));
    assert_eq!(analysis.wildcard_services, vec!["iam".to_owned()]);

    // Excluding everything grants nothing.
    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": "*", "NotResource": "*"}
    }));
    assert!(!analysis.full_admin);
    assert!(analysis.privilege_escalation.is_empty());
}

#[test]
fn public_bucket_policies() {
    let public = |statement: Value| {
        let doc =
            PolicyDocument::parse(&json!({"Version": "2012-10-17", "Statement": [statement]}))
                .expect("valid policy");
        assert_eq!(doc.is_public(), analyze(&doc).public);
        doc.is_public()
    };
    let read = |principal: Value, condition: Option<Value>| {
        let mut statement = json!({
            "Effect": "Allow",
            "Principal": principal,
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::site/*"
        });
        if let (Some(condition), Some(object)) = (condition, statement.as_object_mut()) {
            object.insert("Condition".to_owned(), condition);
        }
        statement
    };

    assert!(public(read(json!("*"), None)));
    assert!(public(read(json!({"AWS": "*"}), None)));
    assert!(public(read(
        json!({"AWS": ["arn:aws:iam::111122223333:root", "*"]}),
        None
    )));
    assert!(!public(read(
        json!({"AWS": "arn:aws:iam::111122223333:root"}),
        None
    )));
    assert!(!public(read(
        json!({"Service": "cloudfront.amazonaws.com"}),
        None
    )));

    // Restricting conditions.
    assert!(!public(read(
        json!("*"),
        Some(json!({"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c"}}))
    )));
    assert!(!public(read(
        json!("*"),
        Some(json!({"StringEquals": {"AWS:PRINCIPALORGID": "o-abc"}}))
    )));
    assert!(!public(read(
        json!("*"),
        Some(json!({"ArnLike": {"aws:SourceArn": "arn:aws:cloudfront::1:distribution/E1"}}))
    )));
    assert!(!public(read(
        json!("*"),
        Some(json!({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}))
    )));
    assert!(!public(read(
        json!("*"),
        Some(json!({"StringEquals": {"aws:SourceAccount": 111122223333_u64}}))
    )));
    assert!(!public(read(
        json!({"AWS": "*"}),
        Some(
            json!({"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:PrincipalAccount": "111122223333"}})
        )
    )));

    // Conditions that do not confine the callers.
    assert!(public(read(
        json!("*"),
        Some(json!({"Bool": {"aws:SecureTransport": "true"}}))
    )));
    assert!(public(read(
        json!("*"),
        Some(json!({"StringEqualsIfExists": {"aws:SourceAccount": "111122223333"}}))
    )));
    assert!(public(read(
        json!("*"),
        Some(json!({"StringNotEquals": {"aws:PrincipalOrgID": "o-abc"}}))
    )));
    assert!(public(read(
        json!("*"),
        Some(json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}))
    )));
    assert!(public(read(
        json!("*"),
        Some(json!({"StringLike": {"aws:PrincipalArn": "*"}}))
    )));
    assert!(public(read(
        json!("*"),
        Some(json!({"StringEquals": {"s3:x-amz-acl": "public-read"}}))
    )));

    // Deny is never a grant; NotPrincipal in an Allow is everyone but a few.
    assert!(!public(
        json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"})
    ));
    assert!(public(
        json!({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "s3:GetObject", "Resource": "*"})
    ));
}

#[test]
fn public_statements_are_listed() {
    let analysis = run(json!({"Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "s3:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sqs:SendMessage", "Resource": "*",
         "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:eu-west-1:1:topic"}}},
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    ]}));
    assert!(analysis.is_public());
    assert_eq!(analysis.public_statements, vec![1, 3]);
}

fn tls_policy(statements: Value) -> PolicyDocument {
    PolicyDocument::parse(&json!({"Version": "2012-10-17", "Statement": statements}))
        .expect("valid policy")
}

const BUCKET: [&str; 2] = ["arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*"];

#[test]
fn tls_deny_standard_form() {
    let doc = tls_policy(json!([
        {"Sid": "AllowRead", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"},
         "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"},
        {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": ["arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    ]));
    assert!(doc.denies_insecure_transport(&BUCKET));
    assert!(doc.denies_insecure_transport(&[]));
    assert!(!doc.denies_insecure_transport(&["arn:aws:s3:::other", "arn:aws:s3:::other/*"]));
}

#[test]
fn tls_deny_string_forms_and_wildcards() {
    let doc = tls_policy(json!({
        "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "*",
        "Resource": "arn:aws:s3:::bucket*",
        "Condition": {"BoolIfExists": {"AWS:SECURETRANSPORT": false}}
    }));
    assert!(doc.denies_insecure_transport(&BUCKET));

    let doc = tls_policy(json!({
        "Effect": "Deny", "Principal": {"AWS": ["*"]}, "NotAction": "iam:*",
        "Resource": "*",
        "Condition": {"Bool": {"aws:SecureTransport": ["false"]}}
    }));
    assert!(doc.denies_insecure_transport(&BUCKET));
}

#[test]
fn tls_deny_split_across_statements() {
    let statement = |resource: &str| {
        json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": resource,
               "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
    };
    let doc = tls_policy(json!([
        statement("arn:aws:s3:::bucket"),
        statement("arn:aws:s3:::bucket/*")
    ]));
    assert!(doc.denies_insecure_transport(&BUCKET));

    let only_objects = tls_policy(json!([statement("arn:aws:s3:::bucket/*")]));
    assert!(!only_objects.denies_insecure_transport(&BUCKET));
    assert!(only_objects.denies_insecure_transport(&["arn:aws:s3:::bucket/*"]));

    let one_key = tls_policy(json!([statement("arn:aws:s3:::bucket/?")]));
    assert!(!one_key.denies_insecure_transport(&["arn:aws:s3:::bucket/*"]));
}

#[test]
fn tls_deny_near_misses() {
    let base = json!({
        "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": ["arn:aws:s3:::bucket", "arn:aws:s3:::bucket/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}
    });
    let with = |key: &str, value: Value| {
        let mut statement = base.clone();
        if let Some(object) = statement.as_object_mut() {
            object.insert(key.to_owned(), value);
        }
        tls_policy(statement).denies_insecure_transport(&BUCKET)
    };
    assert!(with("Effect", json!("Deny")));
    assert!(!with("Effect", json!("Allow")));
    assert!(!with("Principal", json!({"AWS": "arn:aws:iam::1:root"})));
    assert!(!with("Action", json!(["s3:GetObject", "s3:PutObject"])));
    assert!(!with("Action", json!("s3:Get*")));
    assert!(!with(
        "Condition",
        json!({"Bool": {"aws:SecureTransport": "true"}})
    ));
    assert!(!with(
        "Condition",
        json!({"Bool": {"aws:MultiFactorAuthPresent": "false"}})
    ));
    assert!(!with(
        "Condition",
        json!({"StringEquals": {"aws:SecureTransport": "false"}})
    ));
    // A second condition narrows the deny to old TLS over plain HTTP.
    assert!(!with(
        "Condition",
        json!({"Bool": {"aws:SecureTransport": "false"}, "NumericLessThan": {"s3:TlsVersion": 1.2}})
    ));
    let without_condition = {
        let mut statement = base.clone();
        if let Some(object) = statement.as_object_mut() {
            object.remove("Condition");
        }
        tls_policy(statement).denies_insecure_transport(&BUCKET)
    };
    assert!(!without_condition);
    assert!(!tls_policy(json!([])).denies_insecure_transport(&[]));
}

#[test]
fn analysis_serializes_with_snake_case_fields() {
    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "*",
                      "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}
    }));
    let value = serde_json::to_value(&analysis).expect("serializable");
    assert_eq!(
        value,
        json!({
            "full_admin": false,
            "conditional_full_admin": false,
            "admin_like": false,
            "wildcard_services": [],
            "conditional_wildcard_services": [],
            "privilege_escalation": [{
                "id": "create-access-key",
                "title": "Create an access key for another (more privileged) user",
                "actions": ["iam:CreateAccessKey"],
                "conditional": true
            }],
            "public": false,
            "public_statements": []
        })
    );
    let back: Analysis = serde_json::from_value(value).expect("round trip");
    assert_eq!(back, analysis);
}

#[test]
fn large_policies_are_analyzed_quickly() {
    // 40 services x 15 verbs of prefix wildcards, plus broad statements that
    // force the set reasoning to explore.
    let verbs = [
        "Get",
        "List",
        "Describe",
        "Put",
        "Create",
        "Delete",
        "Update",
        "Tag",
        "Untag",
        "Start",
        "Stop",
        "Batch",
        "Search",
        "Associate",
        "Disassociate",
    ];
    let actions: Vec<String> = (0..40)
        .flat_map(|s| verbs.iter().map(move |v| format!("service{s}:{v}*")))
        .collect();
    let deny: Vec<String> = (0..40).map(|s| format!("service{s}:Delete*")).collect();
    let analysis = run(json!({"Statement": [
        {"Effect": "Allow", "Action": actions, "Resource": "*"},
        {"Effect": "Allow", "NotAction": ["iam:*", "s3:Get*"], "Resource": "*"},
        {"Effect": "Deny", "Action": deny, "Resource": "*"}
    ]}));
    assert!(!analysis.full_admin);
    assert!(analysis.admin_like);
    // `s3:Get*` is excluded by the NotAction and granted by nothing else.
    assert_eq!(analysis.wildcard_services, services_except(&["iam", "s3"]));
}

#[test]
fn one_notion_of_administrator() {
    let cases = [
        // Full admin.
        (
            json!({"Effect": "Allow", "Action": "*", "Resource": "*"}),
            true,
            true,
        ),
        // Everything but a few services, IAM left in: full admin in one step.
        (
            json!({"Effect": "Allow", "NotAction": ["s3:*"], "Resource": "*"}),
            true,
            true,
        ),
        // Everything but IAM (PowerUserAccess): not full admin, but it can
        // rewrite a privileged Lambda function's code, so an administrator.
        (
            json!({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"}),
            false,
            true,
        ),
        // One escalation method makes it an administrator, not full admin.
        (
            json!({"Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": "*"}),
            false,
            true,
        ),
        // An escalation method only under a condition does not.
        (
            json!({"Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": "*",
                   "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}),
            false,
            false,
        ),
        (
            json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}),
            false,
            false,
        ),
    ];
    for (statement, full_admin, administrator) in cases {
        let analysis = run(json!({"Version": "2012-10-17", "Statement": statement}));
        assert_eq!(
            (analysis.holds_full_admin(), analysis.is_administrator()),
            (full_admin, administrator),
            "{statement}"
        );
    }
}

#[test]
fn a_permissions_boundary_bounds_what_the_policies_grant() {
    use tenet_iam_policy::{PolicyDocument, analyze_within};
    let parse = |statement: Value| {
        PolicyDocument::parse(&json!({"Version": "2012-10-17", "Statement": statement}))
            .expect("valid")
    };
    let admin = parse(json!({"Effect": "Allow", "Action": "*", "Resource": "*"}));
    let read_only = parse(
        json!({"Effect": "Allow", "Action": ["s3:Get*", "ec2:Describe*", "iam:Get*"], "Resource": "*"}),
    );
    let bounded = analyze_within(&admin, Some(&read_only));
    assert!(!bounded.full_admin && !bounded.admin_like && !bounded.is_administrator());
    assert!(bounded.wildcard_services.is_empty() && bounded.privilege_escalation.is_empty());

    // A boundary that allows everything leaves the grant whole.
    let everything = analyze_within(&admin, Some(&admin));
    assert_eq!(
        everything,
        run(
            json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}})
        )
    );

    // Escalation needs every action in both; a condition in either makes it conditional.
    let passrole = parse(
        json!({"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"}),
    );
    let boundary = parse(json!([
        {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}}
    ]));
    let analysis = analyze_within(&passrole, Some(&boundary));
    assert_eq!(ids(&analysis), ["passrole-ec2-run-instances"]);
    assert!(analysis.privilege_escalation[0].conditional);
    let without_passrole = parse(json!({"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}));
    assert!(
        analyze_within(&passrole, Some(&without_passrole))
            .privilege_escalation
            .is_empty()
    );

    // `*` minus a deny in the boundary: admin-like, IAM out, so not full admin.
    let boundary = parse(json!([
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}
    ]));
    let analysis = analyze_within(&admin, Some(&boundary));
    assert!(analysis.admin_like && !analysis.full_admin && !analysis.holds_full_admin());
    assert!(!analysis.wildcard_services.contains(&"iam".to_owned()));
}

#[test]
fn code_run_as_a_role_or_on_an_instance_is_escalation() {
    let cases: [(&[&str], &str); 11] = [
        (
            &[
                "iam:PassRole",
                "codebuild:CreateProject",
                "codebuild:StartBuild",
            ],
            "passrole-codebuild-project",
        ),
        (
            &["codebuild:UpdateProject", "codebuild:StartBuild"],
            "codebuild-update-project",
        ),
        (
            &["iam:PassRole", "sagemaker:CreateTrainingJob"],
            "passrole-sagemaker-training-job",
        ),
        (
            &["iam:PassRole", "sagemaker:CreateProcessingJob"],
            "passrole-sagemaker-processing-job",
        ),
        (
            &["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"],
            "passrole-ecs-task",
        ),
        (&["ssm:SendCommand"], "ssm-send-command"),
        (&["ssm:StartSession"], "ssm-start-session"),
        (
            &["ec2-instance-connect:SendSSHPublicKey"],
            "ec2-instance-connect",
        ),
        (
            &["cloudformation:UpdateStack"],
            "cloudformation-update-stack",
        ),
        (
            &[
                "cloudformation:CreateChangeSet",
                "cloudformation:ExecuteChangeSet",
            ],
            "cloudformation-change-set",
        ),
        // One action short of a method is none.
        (&["iam:PassRole", "codebuild:CreateProject"], ""),
    ];
    for (actions, method) in cases {
        let analysis = run(json!({
            "Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Action": actions, "Resource": "*"}
        }));
        let expected: Vec<&str> = Some(method).filter(|m| !m.is_empty()).into_iter().collect();
        assert_eq!(ids(&analysis), expected, "{actions:?}");
    }
}

#[test]
fn passing_particular_roles_is_left_to_the_account() {
    let one_role = run(json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": ["arn:aws:iam::111122223333:role/web", "arn:aws:iam::111122223333:role/batch"]},
        {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}
    ]}));
    assert_eq!(ids(&one_role), ["passrole-ec2-run-instances"]);
    assert_eq!(
        one_role.privilege_escalation[0].roles,
        [
            "arn:aws:iam::111122223333:role/batch",
            "arn:aws:iam::111122223333:role/web"
        ]
    );
    assert!(!one_role.grants_admin_or_escalation() && !one_role.is_administrator());

    // A pattern, or another statement on every role, passes any role.
    for resource in [
        json!("arn:aws:iam::111122223333:role/service-role/*"),
        json!("*"),
    ] {
        let open = run(json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/web"},
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": resource},
            {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}
        ]}));
        assert!(open.privilege_escalation[0].roles.is_empty(), "{resource}");
        assert!(open.grants_admin_or_escalation() && open.is_administrator());
    }

    // Methods without PassRole are not confined by it.
    let update = run(json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/web"},
        {"Effect": "Allow", "Action": "lambda:UpdateFunctionCode", "Resource": "*"}
    ]}));
    assert_eq!(ids(&update), ["lambda-update-function-code"]);
    assert!(update.privilege_escalation[0].roles.is_empty());
}

#[test]
fn managing_ones_own_credentials_is_no_escalation() {
    // From AWS's example "manage your own credentials" policies: keys and a
    // console password for the caller's own user give it nothing new.
    let own = "arn:aws:iam::*:user/${aws:username}";
    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": [
            "iam:CreateAccessKey", "iam:UpdateAccessKey", "iam:DeleteAccessKey",
            "iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:ChangePassword"
        ], "Resource": own}
    }));
    assert!(ids(&analysis).is_empty(), "{:?}", ids(&analysis));
    // ... with a path, too.
    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "arn:aws:iam::111122223333:user/staff/${aws:username}"}
    }));
    assert!(ids(&analysis).is_empty());
    // A policy for oneself is still escalation: the caller attaches admin.
    let analysis = run(json!({
        "Statement": {"Effect": "Allow", "Action": ["iam:AttachUserPolicy", "iam:PutUserPolicy"], "Resource": own}
    }));
    assert_eq!(ids(&analysis), ["attach-user-policy", "put-user-policy"]);
    // A pattern around the variable names others too (`user/malice`), and
    // any other user is another principal.
    for resource in [
        "arn:aws:iam::*:user/*${aws:username}",
        "arn:aws:iam::*:user/${aws:username}*",
        "arn:aws:iam::*:user/*",
        "arn:aws:iam::*:user/ci-bot",
    ] {
        let analysis = run(json!({
            "Statement": {"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": resource}
        }));
        assert_eq!(ids(&analysis), ["create-access-key"], "{resource}");
    }
}

#[test]
fn a_method_that_takes_over_resources_names_those_its_policies_confine_it_to() {
    let targets = |statements: Value, id: &str| {
        run(json!({"Version": "2012-10-17", "Statement": statements}))
            .privilege_escalation
            .into_iter()
            .find(|m| m.id == id)
            .map(|m| m.targets)
    };
    let instance = "arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc";
    // Only instance ARNs confine the instances; a document's ARN does not.
    assert_eq!(
        targets(
            json!({"Effect": "Allow", "Action": "ssm:SendCommand", "Resource": [
                instance,
                "arn:aws:ssm:eu-west-1::document/AWS-RunShellScript"
            ]}),
            "ssm-send-command"
        ),
        Some(vec![instance.to_owned()])
    );
    // Any resource: any instance.
    assert_eq!(
        targets(
            json!({"Effect": "Allow", "Action": "ssm:SendCommand", "Resource": "*"}),
            "ssm-send-command"
        ),
        Some(vec![])
    );
    assert_eq!(
        targets(
            json!([
                {"Effect": "Allow", "Action": "ssm:SendCommand", "Resource": instance},
                {"Effect": "Allow", "Action": "ssm:*", "NotResource": "arn:aws:ssm:*:*:document/secret"}
            ]),
            "ssm-send-command"
        ),
        Some(vec![])
    );
    // Functions and stacks alike.
    assert_eq!(
        targets(
            json!({"Effect": "Allow", "Action": "lambda:UpdateFunctionCode", "Resource": "arn:aws:lambda:*:111122223333:function:orders-*"}),
            "lambda-update-function-code"
        ),
        Some(vec![
            "arn:aws:lambda:*:111122223333:function:orders-*".to_owned()
        ])
    );
    assert_eq!(
        targets(
            json!({"Effect": "Allow", "Action": "cloudformation:UpdateStack", "Resource": "arn:aws:cloudformation:us-east-1:111122223333:stack/web/*"}),
            "cloudformation-update-stack"
        ),
        Some(vec![
            "arn:aws:cloudformation:us-east-1:111122223333:stack/web/*".to_owned()
        ])
    );
}

#[test]
fn a_policy_variable_in_a_resource_names_more_than_itself() {
    use tenet_iam_policy::may_name;
    let cases = [
        (
            "arn:aws:iam::1:user/${aws:username}",
            "arn:aws:iam::1:user/dev",
            true,
        ),
        (
            "arn:aws:iam::1:role/${aws:PrincipalTag/team}-*",
            "arn:aws:iam::1:role/data-etl",
            true,
        ),
        (
            "arn:aws:iam::1:role/app-${aws:username}",
            "arn:aws:iam::1:role/web",
            false,
        ),
        (
            "arn:aws:iam::1:role/${unclosed",
            "arn:aws:iam::1:role/anything/at/all",
            true,
        ),
        ("arn:aws:iam::1:role/web", "arn:aws:iam::1:role/web", true),
        ("arn:aws:iam::1:role/web", "arn:aws:iam::1:role/web2", false),
    ];
    for (pattern, arn, expected) in cases {
        assert_eq!(may_name(pattern, arn), expected, "{pattern} {arn}");
    }
    // PassRole to a role named by a variable is no particular role.
    let analysis = run(json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "arn:aws:iam::1:role/${aws:username}"},
        {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}
    ]}));
    let method = analysis
        .privilege_escalation
        .iter()
        .find(|m| m.id == "passrole-ec2-run-instances")
        .expect("found");
    assert!(method.roles.is_empty());
    assert_eq!(
        method.role_patterns,
        ["arn:aws:iam::1:role/${aws:username}"]
    );
}
