//! `tenet scan --aws --github-org acme`: roles of two moto accounts that
//! trust GitHub's OIDC provider, judged against the acme organization
//! wiremock serves (`api` on the name-based subject, `web` on the
//! immutable one, acme's id 9919).

use serde_json::Value;

use crate::{
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
    let server = mock_github().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let policy = dir.path().join("tenet.toml");
    std::fs::write(
        &policy,
        format!(
            "[aws]\nregions = [\"us-east-1\", \"eu-west-1\"]\n\n[[aws.accounts]]\nrole_arn = \"{}\"\n\n[[aws.accounts]]\nrole_arn = \"{}\"\n\n[controls.\"aws.iam.github-deploy-review\"]\nproduction_roles = [\"arn:aws:iam::*:role/deploy-*\"]\n",
            seed::role_arn(&first),
            seed::role_arn(&second)
        ),
    )
    .expect("policy");
    let policy = policy.to_string_lossy().into_owned();
    let url = server.uri();
    let out = tokio::task::spawn_blocking(move || {
        let mut cmd = aws_command(
            &endpoint,
            &[
                "scan",
                "--config",
                &policy,
                "--github-org",
                "acme",
                "--github-api-url",
                &url,
                "--from",
                "2026-09-01",
                "--to",
                "2026-11-30",
                "--format",
                "json",
            ],
        );
        run(cmd.env("GITHUB_TOKEN", TOKEN))
    })
    .await
    .expect("tenet ran");
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
