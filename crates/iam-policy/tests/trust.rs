//! Trust policies: who may assume a role.

use serde_json::{Value, json};
use tenet_iam_policy::{PolicyDocument, Trust, analyze_trust, trusted_services};

fn trust(statements: Value) -> Trust {
    let document = PolicyDocument::parse(&json!({
        "Version": "2012-10-17",
        "Statement": statements
    }))
    .expect("a valid trust policy");
    analyze_trust(&document).expect("a trust policy")
}

const GITHUB: &str = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";

fn github(condition: Value) -> Value {
    json!({
        "Effect": "Allow",
        "Principal": {"Federated": GITHUB},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": condition
    })
}

#[test]
fn anyone_is_any_aws_principal_without_a_confining_condition() {
    let cases = [
        (
            json!({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}),
            vec![0],
        ),
        (
            json!({"Effect": "Allow", "Principal": "*", "Action": "sts:*"}),
            vec![0],
        ),
        (
            json!({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}),
            vec![0],
        ),
        // A condition on who the caller is confines it.
        (
            json!({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
                   "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}),
            vec![],
        ),
        // An external id is a shared secret, not a caller: still anyone.
        (
            json!({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
                   "Condition": {"StringEquals": {"sts:ExternalId": "s3cr3t"}}}),
            vec![0],
        ),
        (
            json!({"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}),
            vec![],
        ),
        (
            json!({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:TagSession"}),
            vec![],
        ),
        (
            json!({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}),
            vec![],
        ),
    ];
    for (statement, anyone) in cases {
        assert_eq!(trust(json!([statement])).anyone, anyone, "{statement}");
    }
}

#[test]
fn github_actions_must_be_confined_to_the_customers_repositories() {
    let open = [
        json!({"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}),
        json!({"StringLike": {"token.actions.githubusercontent.com:sub": "*"}}),
        json!({"StringLike": {"token.actions.githubusercontent.com:sub": "repo:*"}}),
        json!({"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:acme/*", "repo:*/deploy:*"]}}),
        json!({"StringLike": {"token.actions.githubusercontent.com:sub": "*:environment:production"}}),
        json!({"StringNotLike": {"token.actions.githubusercontent.com:sub": "repo:evil/*"}}),
        json!({"ForAllValues:StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/*"}}),
        // `acme-evil` is another owner.
        json!({"StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme*"}}),
        json!({"StringLike": {"token.actions.githubusercontent.com:sub": "repository_owner:acme*"}}),
        // Any owner may customize its subject claim to read this.
        json!({"StringEquals": {"token.actions.githubusercontent.com:sub": "environment:production"}}),
        // So this: an environment (or a workflow) another owner names
        // `production:repository_owner:acme`.
        json!({"StringEquals": {"token.actions.githubusercontent.com:sub": "environment:production:repository_owner:acme"}}),
        json!({"StringEquals": {"token.actions.githubusercontent.com:sub": "workflow:deploy:repo:acme/app:ref:refs/heads/main"}}),
        json!({"StringLike": {"token.actions.githubusercontent.com:sub": "context:*:repository_owner:acme"}}),
    ];
    for condition in open {
        let read = trust(json!([github(condition.clone())]));
        assert_eq!(read.open_web_identities.len(), 1, "{condition}");
        assert_eq!(
            read.open_web_identities[0].reason,
            "no condition on token.actions.githubusercontent.com:sub confines it to the \
             customer's repositories: any repository on GitHub can assume the role"
        );
        assert_eq!(read.web_identity_providers, [GITHUB]);
    }
    let confined = [
        json!({"StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/*"}}),
        json!({"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"}}),
        json!({"StringLikeIfExists": {"token.actions.githubusercontent.com:sub": "repo:acme/app:*"}}),
        json!({"StringEquals": {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": "repo:acme/app:environment:production"
        }}),
        json!({"StringEqualsIgnoreCase": {"token.actions.githubusercontent.com:sub": "repo:Acme/App:pull_request"}}),
        // Customized subject claims that name the owner or the repository.
        json!({"StringLike": {"token.actions.githubusercontent.com:sub": "repository_owner:acme:environment:*"}}),
        json!({"StringEquals": {"token.actions.githubusercontent.com:sub": "repository_id:123456:ref:refs/heads/main"}}),
        // After claims whose values hold no `:`, read pair by pair.
        json!({"StringEquals": {"token.actions.githubusercontent.com:sub": "repository_visibility:private:repository_owner:acme:environment:production"}}),
        json!({"StringLike": {"token.actions.githubusercontent.com:sub": "ref:refs/heads/main:repo:acme/app:*"}}),
    ];
    for condition in confined {
        let read = trust(json!([github(condition.clone())]));
        assert!(read.open_web_identities.is_empty(), "{condition}");
    }
}

#[test]
fn other_providers_need_their_subject_or_application_confined() {
    let eks = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC";
    let cases = [
        (
            eks,
            json!({"StringEquals": {"oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com"}}),
            true,
        ),
        (
            eks,
            json!({"StringEquals": {"oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:app:deploy"}}),
            false,
        ),
        (
            eks,
            json!({"StringLike": {"oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "*"}}),
            true,
        ),
        (
            "cognito-identity.amazonaws.com",
            json!({"StringEquals": {"cognito-identity.amazonaws.com:aud": "eu-west-1:pool"}}),
            false,
        ),
        (
            "cognito-identity.amazonaws.com",
            json!({"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}}),
            true,
        ),
        (
            "accounts.google.com",
            json!({"StringEquals": {"accounts.google.com:aud": "client.apps.googleusercontent.com"}}),
            false,
        ),
    ];
    for (provider, condition, open) in cases {
        let read = trust(json!([{
            "Effect": "Allow",
            "Principal": {"Federated": provider},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": condition
        }]));
        assert_eq!(
            !read.open_web_identities.is_empty(),
            open,
            "{provider} {condition}"
        );
    }
    // SAML assertions come from the customer's own identity provider.
    let saml = trust(json!([{
        "Effect": "Allow",
        "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/okta"},
        "Action": "sts:AssumeRoleWithSAML"
    }]));
    assert!(saml.open_web_identities.is_empty() && saml.web_identity_providers.is_empty());
}

#[test]
fn the_accounts_a_trust_names_are_listed() {
    let read = trust(json!([
        {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::444455556666:root", "777788889999"]}, "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/ci"}, "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ]));
    assert_eq!(read.accounts, ["444455556666", "777788889999"]);
    assert!(read.anyone.is_empty());
}

#[test]
fn a_statement_that_names_no_one_is_refused() {
    for statement in [
        json!({"Effect": "Allow", "Action": "sts:AssumeRole"}),
        json!({"Effect": "Allow", "Principal": {}, "Action": "sts:AssumeRole"}),
        json!({"Effect": "Allow", "Principal": {"Federated": []}, "Action": "sts:AssumeRoleWithWebIdentity"}),
    ] {
        let document =
            PolicyDocument::parse(&json!({"Version": "2012-10-17", "Statement": [statement]}))
                .expect("valid as a policy");
        assert_eq!(
            analyze_trust(&document).map_err(|err| err.to_string()),
            Err(
                "Statement[0].Principal: a trust policy statement names whom it applies to in \
                 Principal or NotPrincipal, and this one names no one"
                    .to_owned()
            ),
            "{statement}"
        );
    }
}

#[test]
fn the_services_a_role_admits_are_read_cautiously() {
    let admits = |statements: Value, services: &[&str]| {
        let document = PolicyDocument::parse(&json!({
            "Version": "2012-10-17",
            "Statement": statements
        }))
        .expect("a valid trust policy");
        trusted_services(&document)
            .expect("a trust policy")
            .admits(services)
    };
    let cases = [
        // The service named, alone or in a list, in any partition.
        (
            json!({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}),
            &["ec2"][..],
            true,
        ),
        (
            json!({"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com", "ec2.amazonaws.com.cn"]}, "Action": "sts:AssumeRole"}),
            &["ec2"][..],
            true,
        ),
        (
            json!({"Effect": "Allow", "Principal": {"Service": "tasks.apprunner.amazonaws.com"}, "Action": "sts:AssumeRole"}),
            &["apprunner"][..],
            true,
        ),
        // Another service, or no service.
        (
            json!({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}),
            &["ec2"][..],
            false,
        ),
        (
            json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}),
            &["ec2"][..],
            false,
        ),
        (
            json!({"Effect": "Allow", "Principal": {"Federated": GITHUB}, "Action": "sts:AssumeRoleWithWebIdentity"}),
            &["ec2"][..],
            false,
        ),
        // Not sts:AssumeRole.
        (
            json!({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:TagSession"}),
            &["ec2"][..],
            false,
        ),
        // Everyone, everyone but some, a wildcard: any service.
        (
            json!({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}),
            &["ec2"][..],
            true,
        ),
        (
            json!({"Effect": "Allow", "Principal": "*", "Action": "sts:*"}),
            &["ec2"][..],
            true,
        ),
        (
            json!({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}),
            &["ec2"][..],
            true,
        ),
        (
            json!({"Effect": "Allow", "Principal": {"Service": "*.amazonaws.com"}, "Action": "sts:AssumeRole"}),
            &["ec2"][..],
            true,
        ),
        // A condition is read as met, a Deny as not applying: both could
        // only let in more than IAM does.
        (
            json!({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole",
                   "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}),
            &["ec2"][..],
            true,
        ),
        (
            json!([
                {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
                {"Effect": "Deny", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ]),
            &["ec2"][..],
            true,
        ),
    ];
    for (statements, services, expected) in cases {
        assert_eq!(
            admits(statements.clone(), services),
            expected,
            "{statements}"
        );
    }
    // Principals that are not services.
    let non_services = |statements: Value| {
        let document =
            PolicyDocument::parse(&json!({"Version": "2012-10-17", "Statement": statements}))
                .expect("a valid trust policy");
        trusted_services(&document)
            .expect("a trust policy")
            .non_services
    };
    for (statements, expected) in [
        (
            json!({"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]}, "Action": "sts:AssumeRole"}),
            false,
        ),
        (
            json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}),
            true,
        ),
        (
            json!({"Effect": "Allow", "Principal": {"Federated": GITHUB}, "Action": "sts:AssumeRoleWithWebIdentity"}),
            true,
        ),
        (
            json!({"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}),
            true,
        ),
        (
            json!({"Effect": "Allow", "NotPrincipal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}),
            true,
        ),
        (
            json!({"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}),
            false,
        ),
        (
            json!({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:TagSession"}),
            false,
        ),
    ] {
        assert_eq!(non_services(statements.clone()), expected, "{statements}");
    }
    // A statement that names no one could hide whom it lets in.
    for statement in [
        json!({"Effect": "Allow", "Action": "sts:AssumeRole"}),
        json!({"Effect": "Allow", "Principal": {}, "Action": "sts:AssumeRole"}),
    ] {
        let document =
            PolicyDocument::parse(&json!({"Version": "2012-10-17", "Statement": statement}))
                .expect("a valid policy");
        assert!(trusted_services(&document).is_err(), "{statement}");
    }
}
