//! `tenet scan --aws --github-org acme`: roles of two moto accounts that
//! trust GitHub's OIDC provider, judged against the acme organization
//! wiremock serves (`api` on the name-based subject, `web` on the
//! immutable one, acme's id 9919).

use serde_json::Value;

use crate::{
    Run,
    aws::{aws_command, seed},
    github::{TOKEN, findings, mock_github},
    run,
};

const GITHUB: &str = "token.actions.githubusercontent.com";

/// A trust policy letting GitHub's tokens whose `sub` is `operator`
/// `subjects` assume the role.
fn trust(account: &str, operator: &str, subjects: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::{account}:oidc-provider/{GITHUB}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"{GITHUB}:aud":"sts.amazonaws.com"}},"{operator}":{{"{GITHUB}:sub":{subjects}}}}}}}]}}"#
    )
}

/// Creates GitHub's OIDC provider and `roles` (name, operator, subjects)
/// in `account`.
async fn seed_roles(endpoint: &str, account: &str, roles: &[(&str, &str, &str)]) {
    let iam = tenet_aws::sdk::iam::Client::new(&seed::account_config(endpoint, account).await);
    iam.create_open_id_connect_provider()
        .url(format!("https://{GITHUB}"))
        .client_id_list("sts.amazonaws.com")
        .thumbprint_list("6938fd4d98bab03faadb97b34396831e3780aea1")
        .send()
        .await
        .expect("OIDC provider");
    for (name, operator, subjects) in roles {
        iam.create_role()
            .role_name(*name)
            .assume_role_policy_document(trust(account, operator, subjects))
            .send()
            .await
            .expect("role");
    }
}

/// `tenet scan --github-org acme --format json` of the moto `accounts` in
/// us-east-1 and eu-west-1, with `extra` added to the policy and `args` to
/// the command line.
async fn scan(endpoint: String, accounts: &[&str], extra: &str, args: &[&str]) -> Run {
    let server = mock_github().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let policy = dir.path().join("tenet.toml");
    let accounts: String = accounts
        .iter()
        .map(|account| {
            format!(
                "\n[[aws.accounts]]\nrole_arn = \"{}\"\n",
                seed::role_arn(account)
            )
        })
        .collect();
    std::fs::write(
        &policy,
        format!("[aws]\nregions = [\"us-east-1\", \"eu-west-1\"]\n{accounts}{extra}"),
    )
    .expect("policy");
    let mut argv: Vec<String> = [
        "scan",
        "--config",
        &policy.to_string_lossy(),
        "--github-org",
        "acme",
        "--github-api-url",
        &server.uri(),
        "--format",
        "json",
    ]
    .iter()
    .map(|arg| (*arg).to_owned())
    .collect();
    argv.extend(args.iter().map(|arg| (*arg).to_owned()));
    tokio::task::spawn_blocking(move || {
        let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
        let mut cmd = aws_command(&endpoint, &argv);
        run(cmd.env("GITHUB_TOKEN", TOKEN))
    })
    .await
    .expect("tenet ran")
}

#[tokio::test(flavor = "multi_thread")]
async fn every_path_from_github_into_a_production_role_is_judged() {
    let Some(endpoint) = seed::endpoint() else {
        return;
    };
    let (first, second) = (seed::unique_account(), seed::unique_account());
    seed_roles(
        &endpoint,
        &first,
        &[
            (
                "deploy-api-production",
                "StringEquals",
                r#""repo:acme/api:environment:production""#,
            ),
            (
                "deploy-api-main",
                "StringEquals",
                r#""repo:acme/api:ref:refs/heads/main""#,
            ),
            ("deploy-api-any", "StringLike", r#""repo:acme/api:*""#),
            // No reviewers; only main may deploy, by its branch policy.
            (
                "deploy-api-eu-west",
                "StringEquals",
                r#""repo:acme/api:environment:EU West/1""#,
            ),
            (
                "plan-pull-requests",
                "StringLike",
                r#""repo:acme/api:pull_request""#,
            ),
        ],
    )
    .await;
    seed_roles(
        &endpoint,
        &second,
        &[
            (
                "deploy-web-by-name",
                "StringEquals",
                r#""repo:acme/web:ref:refs/heads/main""#,
            ),
            (
                "deploy-web-by-id",
                "StringEquals",
                r#""repo:acme@9919/web@105:ref:refs/heads/main""#,
            ),
            (
                "deploy-pull-requests",
                "ForAnyValue:StringLike",
                r#"["repo:acme/api:pull_request"]"#,
            ),
            ("deploy-elsewhere", "StringLike", r#""repo:acme@1/*""#),
        ],
    )
    .await;
    // Two Allow statements, one of them ForAllValues, narrowed by a Deny to
    // api's reviewed production environment.
    let provider = format!("arn:aws:iam::{first}:oidc-provider/{GITHUB}");
    let statement = |effect: &str, condition: &str| {
        format!(
            r#"{{"Effect":"{effect}","Principal":{{"Federated":"{provider}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{condition}}}"#
        )
    };
    let narrowed = format!(
        r#"{{"Version":"2012-10-17","Statement":[{},{},{}]}}"#,
        statement(
            "Allow",
            &format!(r#"{{"StringLike":{{"{GITHUB}:sub":"repo:acme/api:*"}}}}"#)
        ),
        statement(
            "Allow",
            &format!(r#"{{"ForAllValues:StringLike":{{"{GITHUB}:sub":["repo:acme/web:*"]}}}}"#)
        ),
        statement(
            "Deny",
            &format!(
                r#"{{"StringNotEquals":{{"{GITHUB}:sub":"repo:acme/api:environment:production"}}}}"#
            )
        ),
    );
    tenet_aws::sdk::iam::Client::new(&seed::account_config(&endpoint, &first).await)
        .create_role()
        .role_name("deploy-api-narrowed")
        .assume_role_policy_document(narrowed)
        .send()
        .await
        .expect("role");
    let extra = "\n[controls.\"aws.iam.github-deploy-review\"]\nproduction_roles = [\"arn:aws:iam::*:role/deploy-*\"]\n";
    let out = scan(
        endpoint,
        &[&first, &second],
        extra,
        &["--from", "2026-09-01", "--to", "2026-11-30"],
    )
    .await;
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(!out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN));
    let report: Value = serde_json::from_str(&out.stdout).expect("a JSON report");
    let lines: Vec<String> = findings(&report, "aws.iam.github-deploy-review")
        .into_iter()
        .map(|(resource, status, message)| {
            format!("{status} {resource}: {message}")
                .replace(&first, "[FIRST]")
                .replace(&second, "[SECOND]")
        })
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
    let foreign: Vec<String> = findings(&report, "aws.iam.role-trust-oidc")
        .into_iter()
        .filter(|(resource, _, _)| resource.ends_with("role/deploy-elsewhere"))
        .map(|(_, status, message)| format!("{status}: {message}"))
        .collect();
    assert_eq!(
        foreign,
        [
            "fail: deploy-elsewhere trusts GitHub Actions tokens of the owner with id 1 (trust policy statement 0), which is none of the scanned organizations"
        ]
    );
}

/// Scans `account` with the policy `extra` adds to and returns the
/// control's findings as `status role: message`, sorted.
async fn deploy_findings(endpoint: String, account: &str, extra: &str) -> Vec<String> {
    let out = scan(endpoint, &[account], extra, &[]).await;
    let report: Value = serde_json::from_str(&out.stdout).expect("a JSON report");
    let production = |resource: &str| {
        report["controls"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|control| control["id"] == "aws.iam.github-deploy-review")
            .flat_map(|control| control["findings"].as_array().into_iter().flatten())
            .find(|finding| finding["resource"] == resource)
            .and_then(|finding| finding["evidence"]["production"].as_str())
            .map(|why| format!(" [production: {why}]"))
            .unwrap_or_default()
    };
    let mut lines: Vec<String> = findings(&report, "aws.iam.github-deploy-review")
        .into_iter()
        .map(|(resource, status, message)| {
            let role = resource.rsplit('/').next().unwrap_or_default();
            let head = message.split(" can be assumed").next().unwrap_or_default();
            format!("{status} {role}: {head}{}", production(&resource))
        })
        .collect();
    lines.sort();
    lines
}

#[tokio::test(flavor = "multi_thread")]
async fn without_production_roles_every_role_that_may_change_resources_is_production() {
    let Some(endpoint) = seed::endpoint() else {
        return;
    };
    let account = seed::unique_account();
    let any_branch = r#""repo:acme/api:*""#;
    seed_roles(
        &endpoint,
        &account,
        &[
            ("publish-site", "StringLike", any_branch),
            ("read-metrics", "StringLike", any_branch),
            ("bounded-writer", "StringLike", any_branch),
        ],
    )
    .await;
    let iam = tenet_aws::sdk::iam::Client::new(&seed::account_config(&endpoint, &account).await);
    let document = |action: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"}}]}}"#
        )
    };
    for (role, action) in [
        ("publish-site", "s3:PutObject"),
        ("read-metrics", "cloudwatch:GetMetricData"),
        ("bounded-writer", "s3:PutObject"),
    ] {
        iam.put_role_policy()
            .role_name(role)
            .policy_name("inline")
            .policy_document(document(action))
            .send()
            .await
            .expect("inline policy");
    }
    let boundary = iam
        .create_policy()
        .policy_name("read-only")
        .policy_document(document("s3:Get*"))
        .send()
        .await
        .expect("boundary policy");
    let boundary = boundary
        .policy()
        .and_then(|policy| policy.arn())
        .expect("its ARN")
        .to_owned();
    iam.put_role_permissions_boundary()
        .role_name("bounded-writer")
        .permissions_boundary(boundary)
        .send()
        .await
        .expect("boundary");

    let lines = deploy_findings(endpoint.clone(), &account, "").await;
    assert_eq!(
        lines,
        [
            "fail publish-site: publish-site [production: it may change resources (s3:PutObject among others), and neither production_roles nor production_tags narrows production down]",
            "skipped bounded-writer: bounded-writer is trusted by GitHub Actions but is not a production role (not an administrator, and it may change no resource)",
            "skipped read-metrics: read-metrics is trusted by GitHub Actions but is not a production role (not an administrator, and it may change no resource)",
        ],
        "{lines:#?}"
    );

    let named = "\n[controls.\"aws.iam.github-deploy-review\"]\nproduction_roles = [\"arn:aws:iam::*:role/read-*\"]\n";
    let lines = deploy_findings(endpoint.clone(), &account, named).await;
    assert_eq!(
        lines,
        [
            "fail read-metrics: read-metrics [production: its ARN matches production_roles]",
            "skipped bounded-writer: bounded-writer is trusted by GitHub Actions but is not a production role (not an administrator, and production_roles does not name it)",
            "skipped publish-site: publish-site is trusted by GitHub Actions but is not a production role (not an administrator, and production_roles does not name it)",
        ],
        "production_roles alone names production"
    );

    iam.tag_role()
        .role_name("publish-site")
        .tags(
            tenet_aws::sdk::iam::types::Tag::builder()
                .key("Environment")
                .value("production")
                .build()
                .expect("key and value"),
        )
        .send()
        .await
        .expect("tag");
    let tagged = "\n[controls.\"aws.iam.github-deploy-review\"]\nproduction_tags = [\"Environment=production\", \"Tier=web\"]\n";
    let lines = deploy_findings(endpoint.clone(), &account, tagged).await;
    assert_eq!(
        lines,
        [
            "fail publish-site: publish-site [production: its tag Environment=production matches production_tags]",
            "skipped bounded-writer: bounded-writer is trusted by GitHub Actions but is not a production role (not an administrator, and production_tags does not name it)",
            "skipped read-metrics: read-metrics is trusted by GitHub Actions but is not a production role (not an administrator, and production_tags does not name it)",
        ],
        "production_tags names production by the role's tags"
    );
}
