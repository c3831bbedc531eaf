//! AWS managed policies (AdministratorAccess verbatim, PowerUserAccess
//! verbatim, an excerpt of ReadOnlyAccess) with exact expected results.

mod common;

use common::{NON_IAM_METHODS, ids};
use tenet_iam_policy::{Analysis, ESCALATION_METHODS, PolicyDocument, analyze};

fn run(text: &str) -> Analysis {
    let doc: PolicyDocument = text.parse().expect("valid managed policy");
    analyze(&doc)
}

const ADMINISTRATOR_ACCESS: &str = r#"{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "*",
            "Resource": "*"
        }
    ]
}"#;

const POWER_USER_ACCESS: &str = r#"{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "NotAction": [
                "iam:*",
                "organizations:*",
                "account:*"
            ],
            "Resource": "*"
        },
        {
            "Effect": "Allow",
            "Action": [
                "iam:CreateServiceLinkedRole",
                "iam:DeleteServiceLinkedRole",
                "iam:ListRoles",
                "organizations:DescribeOrganization",
                "account:ListRegions",
                "account:GetAccountInformation"
            ],
            "Resource": "*"
        }
    ]
}"#;

const READ_ONLY_ACCESS_EXCERPT: &str = r#"{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReadOnlyActions",
            "Effect": "Allow",
            "Action": [
                "access-analyzer:GetAccessPreview",
                "access-analyzer:List*",
                "account:GetAccountInformation",
                "account:GetAlternateContact",
                "acm:Describe*",
                "acm:Get*",
                "acm:List*",
                "cloudformation:Describe*",
                "cloudformation:Detect*",
                "cloudformation:Estimate*",
                "cloudformation:Get*",
                "cloudformation:List*",
                "cloudtrail:Describe*",
                "cloudtrail:Get*",
                "cloudtrail:List*",
                "cloudtrail:LookupEvents",
                "codestar:Describe*",
                "codestar:Get*",
                "codestar:List*",
                "codestar:Verify*",
                "datapipeline:DescribeObjects",
                "datapipeline:DescribePipelines",
                "datapipeline:GetPipelineDefinition",
                "datapipeline:ListPipelines",
                "datapipeline:QueryObjects",
                "dynamodb:BatchGet*",
                "dynamodb:Describe*",
                "dynamodb:Get*",
                "dynamodb:List*",
                "dynamodb:Query",
                "dynamodb:Scan",
                "ec2:Describe*",
                "ec2:Get*",
                "ec2:SearchTransitGatewayRoutes",
                "glue:BatchGetCrawlers",
                "glue:Get*",
                "glue:List*",
                "glue:SearchTables",
                "iam:Generate*",
                "iam:Get*",
                "iam:List*",
                "iam:Simulate*",
                "kms:Describe*",
                "kms:Get*",
                "kms:List*",
                "lambda:Get*",
                "lambda:List*",
                "organizations:Describe*",
                "organizations:List*",
                "s3:Describe*",
                "s3:Get*",
                "s3:List*",
                "sagemaker:Describe*",
                "sagemaker:GetSearchSuggestions",
                "sagemaker:List*",
                "sagemaker:Search",
                "secretsmanager:Describe*",
                "secretsmanager:GetResourcePolicy",
                "secretsmanager:List*",
                "ssm:Describe*",
                "ssm:Get*",
                "ssm:List*",
                "sts:GetAccessKeyInfo",
                "sts:GetCallerIdentity",
                "sts:GetSessionToken"
            ],
            "Resource": "*"
        }
    ]
}"#;

#[test]
fn administrator_access() {
    let analysis = run(ADMINISTRATOR_ACCESS);
    assert!(analysis.full_admin);
    assert!(!analysis.conditional_full_admin);
    assert!(analysis.admin_like);
    assert_eq!(
        analysis.wildcard_services,
        [
            "account",
            "cloudformation",
            "cloudtrail",
            "ec2",
            "iam",
            "kms",
            "lambda",
            "organizations",
            "s3",
            "secretsmanager",
            "ssm",
            "sts"
        ]
    );
    assert!(analysis.conditional_wildcard_services.is_empty());
    assert_eq!(
        analysis.privilege_escalation.len(),
        ESCALATION_METHODS.len()
    );
    assert_eq!(
        ids(&analysis),
        ESCALATION_METHODS.iter().map(|m| m.id).collect::<Vec<_>>()
    );
    assert!(analysis.privilege_escalation.iter().all(|f| !f.conditional));
    assert!(!analysis.public);
    assert!(analysis.public_statements.is_empty());
    assert!(analysis.grants_admin_or_escalation());
}

#[test]
fn power_user_access() {
    let analysis = run(POWER_USER_ACCESS);
    assert!(!analysis.full_admin);
    assert!(!analysis.conditional_full_admin);
    assert!(analysis.admin_like);
    assert_eq!(
        analysis.wildcard_services,
        [
            "cloudformation",
            "cloudtrail",
            "ec2",
            "kms",
            "lambda",
            "s3",
            "secretsmanager",
            "ssm",
            "sts"
        ]
    );
    assert!(analysis.conditional_wildcard_services.is_empty());
    assert_eq!(ids(&analysis), NON_IAM_METHODS);
    assert!(analysis.privilege_escalation.iter().all(|f| !f.conditional));
    assert!(!analysis.public);
    assert!(analysis.grants_admin_or_escalation());
}

#[test]
fn read_only_access() {
    let analysis = run(READ_ONLY_ACCESS_EXCERPT);
    assert_eq!(
        analysis,
        Analysis {
            full_admin: false,
            conditional_full_admin: false,
            admin_like: false,
            wildcard_services: vec![],
            conditional_wildcard_services: vec![],
            privilege_escalation: vec![],
            public: false,
            public_statements: vec![],
        }
    );
    assert!(!analysis.grants_admin_or_escalation());
}

#[test]
fn analysis_is_deterministic() {
    for text in [
        ADMINISTRATOR_ACCESS,
        POWER_USER_ACCESS,
        READ_ONLY_ACCESS_EXCERPT,
    ] {
        let first = serde_json::to_string(&run(text)).expect("serializable");
        let second = serde_json::to_string(&run(text)).expect("serializable");
        assert_eq!(first, second);
    }
}
