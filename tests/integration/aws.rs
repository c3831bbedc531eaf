//! `tenet scan --aws` and `tenet collect --aws` end to end, against moto
//! server (started by `scripts/test`), seeded through the AWS APIs.

#[path = "../../crates/aws/tests/seed/mod.rs"]
pub(crate) mod seed;

use std::path::Path;

use serde_json::{Value, json};

use crate::{run, tenet};

/// `tenet ARGS` signed with the fake test credentials, against moto.
pub(crate) fn tenet_aws(endpoint: &str, args: &[&str]) -> crate::Run {
    run(&mut aws_command(endpoint, args))
}

/// The command `tenet ARGS --aws` signed with the fake test credentials,
/// against moto, to run.
pub(crate) fn aws_command(endpoint: &str, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = tenet();
    cmd.args(args)
        .args(["--aws", "--aws-endpoint-url", endpoint])
        .env("AWS_ACCESS_KEY_ID", seed::ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", seed::SECRET_ACCESS_KEY)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/tenet-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/tenet-test-credentials",
        );
    cmd
}

/// A seeded account of its own and a policy that assumes its role.
pub(crate) fn seeded(dir: &Path) -> Option<(String, String, std::path::PathBuf)> {
    let endpoint = seed::endpoint()?;
    let account = seed::unique_account();
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        seed::scenario(&seed::account_config(&endpoint, &account).await, &account).await;
    });
    let policy = dir.join("tenet.toml");
    std::fs::write(
        &policy,
        format!(
            "[aws]\nregions = [\"us-east-1\", \"eu-west-1\"]\n\n[[aws.accounts]]\nrole_arn = \"{}\"\nname = \"test\"\n\n[controls.\"aws.s3.sse-kms\"]\nenabled = true\nbuckets = [\"tls-only-*\", \"trail-*\"]\n\n[controls.\"aws.s3.access-logging\"]\nenabled = true\n\n[controls.\"aws.elb.access-logs\"]\nenabled = true\n\n[controls.\"aws.backup.tagged-resources\"]\nenabled = true\n",
            seed::role_arn(&account)
        ),
    )
    .expect("policy written");
    Some((endpoint, account, policy))
}

/// A CloudFront distribution id in its ARN, as moto makes it up.
const DISTRIBUTION_ID: &str = r"distribution/[A-Z0-9]+\b";

/// A CloudFront distribution's domain, as moto makes it up.
const DISTRIBUTION_DOMAIN: &str = r"\b[a-z0-9]+\.cloudfront\.net\b";

/// A load balancer id in its ARN, as moto makes it up.
const LOAD_BALANCER_ID: &str = r"(loadbalancer/(?:app|net|gwy)/[A-Za-z0-9-]+)/[0-9a-f]{16}\b";

/// A REST API id in its ARN or after its name, as moto makes it up.
const REST_API_ID: &str = r"(restapis/|REST API [a-z-]+ \()[a-z0-9]{10}\b";

/// A UUID, as moto makes up KMS key ids.
const UUID: &str = r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b";

/// `text` with the ids moto makes up (`sg-…`, `vpc-…`, `vol-…`, `fl-…`,
/// `subnet-…`, `i-…`) replaced by their kind.
fn redact_made_up_ids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = ["sg-", "vpc-", "vol-", "fl-", "subnet-", "i-"]
        .iter()
        .filter_map(|prefix| rest.find(prefix).map(|at| (at, *prefix)))
        .min()
    {
        let (at, prefix) = at;
        let tail = &rest[at + prefix.len()..];
        let hex = tail.bytes().take_while(u8::is_ascii_hexdigit).count();
        // An id is 8 hex digits or more, ending the word (`vpc-flow-logs`
        // is a name).
        let ends_word = tail
            .as_bytes()
            .get(hex)
            .is_none_or(|next| !next.is_ascii_alphanumeric() && *next != b'-');
        out.push_str(&rest[..at]);
        let taken = if hex >= 8 && ends_word {
            out.push_str(&format!("[{}]", prefix.trim_end_matches('-')));
            hex
        } else {
            out.push_str(prefix);
            0
        };
        rest = &tail[taken..];
    }
    out.push_str(rest);
    // A GuardDuty detector's id: 32 hex digits.
    out.split(' ')
        .map(|word| {
            if word.len() == 32 && word.bytes().all(|b| b.is_ascii_hexdigit()) {
                "[detector]"
            } else {
                word
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn assert_no_secret(text: &str) {
    assert!(
        !text.contains(seed::SECRET_ACCESS_KEY),
        "secret leaked: {text}"
    );
    assert!(
        !text.contains(seed::ACCESS_KEY_ID),
        "access key id leaked: {text}"
    );
}

#[test]
fn scan_reports_the_findings_of_a_seeded_account() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some((endpoint, account, policy)) = seeded(dir.path()) else {
        return;
    };
    let policy = policy.to_string_lossy();
    let out = tenet_aws(
        &endpoint,
        &["scan", "--config", &policy, "--format", "json"],
    );
    assert_eq!(out.code, 1, "the root user has no MFA: {}", out.stderr);
    assert_no_secret(&out.stdout);
    assert_no_secret(&out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).expect("a JSON report");
    let findings = |id: &str| -> Value {
        let control = report["controls"]
            .as_array()
            .and_then(|controls| controls.iter().find(|c| c["id"] == id))
            .unwrap_or_else(|| panic!("{id} is reported"));
        let findings: Vec<Value> = control["findings"]
            .as_array()
            .map(|findings| {
                findings
                    .iter()
                    .map(|f| json!([f["resource"], f["status"], f["message"]]))
                    .collect()
            })
            .unwrap_or_default();
        json!({"status": control["status"], "findings": findings})
    };
    assert_eq!(
        findings("aws.iam.root-mfa"),
        json!({"status": "fail", "findings": [
            [format!("arn:aws:iam::{account}:root"), "fail", "the root user has no MFA device"],
        ]})
    );
    assert_eq!(
        findings("aws.iam.console-mfa"),
        json!({"status": "fail", "findings": [
            [format!("arn:aws:iam::{account}:user/alice"), "pass", "alice has 1 MFA device"],
            [format!("arn:aws:iam::{account}:user/bob"), "fail", "bob can sign in to the console without MFA"],
        ]})
    );
    // Every AWS control on the seeded account (admin policy on a user, inline
    // PassRole, weak password policy, buckets with and without a TLS-only
    // policy, a public bucket, old and unused keys), one line per finding.
    let mut lines = Vec::new();
    for control in report["controls"].as_array().into_iter().flatten() {
        let id = control["id"].as_str().unwrap_or_default();
        if !id.starts_with("aws.") {
            continue;
        }
        lines.push(format!(
            "{id}: {}",
            control["status"].as_str().unwrap_or_default()
        ));
        // moto makes up EC2 ids, which also order the findings at random.
        let mut findings: Vec<String> = control["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|finding| {
                redact_made_up_ids(&format!(
                    "  {} {} | {}",
                    finding["status"].as_str().unwrap_or_default(),
                    finding["resource"].as_str().unwrap_or_default(),
                    finding["message"].as_str().unwrap_or_default(),
                ))
            })
            .collect();
        findings.sort();
        lines.extend(findings);
    }
    // KMS key ids and CloudFront distributions are made up by moto.
    insta::with_settings!({filters => vec![
        (UUID, "[key]"),
        (REST_API_ID, "$1[api]"),
        (LOAD_BALANCER_ID, "$1/[lb]"),
        (DISTRIBUTION_ID, "distribution/[distribution]"),
        (DISTRIBUTION_DOMAIN, "[distribution].cloudfront.net"),
    ]}, {
        insta::assert_snapshot!(lines.join("\n").replace(&account, "[ACCOUNT]"));
    });
}

#[test]
fn collect_writes_the_snapshot_of_a_seeded_account() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some((endpoint, account, policy)) = seeded(dir.path()) else {
        return;
    };
    let snapshot = dir.path().join("snapshot.json");
    let out = tenet_aws(
        &endpoint,
        &[
            "collect",
            "--config",
            &policy.to_string_lossy(),
            "--from",
            "2026-09-01",
            "--to",
            "2026-11-30",
            "-o",
            &snapshot.to_string_lossy(),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        format!("wrote snapshot to {}\n", snapshot.display()),
        "quiet when stderr is not a terminal"
    );
    let text = std::fs::read_to_string(&snapshot).expect("snapshot written");
    assert_no_secret(&text);
    // Security groups are sorted by id, which moto makes up: by name here.
    let mut value: Value = serde_json::from_str(&text).expect("JSON");
    for region in value["aws"][0]["regions"]["known"]
        .as_array_mut()
        .into_iter()
        .flatten()
    {
        if let Some(groups) = region["security_groups"]["known"].as_array_mut() {
            groups.sort_by_key(|group| group["name"].as_str().unwrap_or_default().to_owned());
        }
        // Volumes too, by what they are: the instance's root volume and
        // the seeded one.
        if let Some(volumes) = region["volumes"]["known"].as_array_mut() {
            volumes.sort_by_key(|volume| volume["attached_to"].to_string());
        }
    }
    // Distributions are sorted by the id moto makes up: by what they are here.
    if let Some(distributions) = value["aws"][0]["cloudfront_distributions"]["known"].as_array_mut()
    {
        for distribution in distributions.iter_mut() {
            distribution["id"] = "[distribution]".into();
            distribution["arn"] =
                "arn:aws:cloudfront::[account]:distribution/[distribution]".into();
            distribution["domain_name"] = "[distribution].cloudfront.net".into();
        }
        distributions.sort_by_key(|distribution| distribution.to_string());
    }
    let text = serde_json::to_string_pretty(&value).expect("JSON");
    insta::with_settings!({filters => vec![
        (account.as_str(), "[account]"),
        (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", "[time]"),
        (r#""tenet_version": "[^"]+""#, r#""tenet_version": "[VERSION]""#),
        (r"\b(sg|vpc|vol|fl|subnet)-[0-9a-f]+\b", "[$1]"),
        (r"\bi-[0-9a-f]{17}\b", "[instance]"),
        (UUID, "[key]"),
        (REST_API_ID, "$1[api]"),
        (r#""id": "[a-z0-9]{10}""#, r#""id": "[api]""#),
        (LOAD_BALANCER_ID, "$1/[lb]"),
        (DISTRIBUTION_ID, "distribution/[distribution]"),
        (DISTRIBUTION_DOMAIN, "[distribution].cloudfront.net"),
        (r"\b[0-9a-f]{32}\b", "[detector]"),
    ]}, {
        insta::assert_snapshot!(text);
    });
}

#[test]
fn the_default_credentials_collect_their_own_account() {
    let Some(endpoint) = seed::endpoint() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let snapshot = dir.path().join("snapshot.json");
    let out = tenet_aws(
        &endpoint,
        &[
            "-vv",
            "collect",
            "--aws-region",
            "us-east-1",
            "-o",
            &snapshot.to_string_lossy(),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    // -vv logs every call and its answer, never a credential or header.
    for line in [
        "sending request=\"sts:GetCallerIdentity\"",
        "answered request=\"sts:GetCallerIdentity\" status=200",
        "answered request=\"iam:GetAccountAuthorizationDetails\" status=200",
        "answered request=\"ec2:DescribeInstances\" status=200",
    ] {
        assert!(out.stderr.contains(line), "{line}: {}", out.stderr);
    }
    assert_no_secret(&out.stderr);
    for header in ["authorization:", "x-amz-security-token", "signature="] {
        assert!(
            !out.stderr.to_lowercase().contains(header),
            "{}",
            out.stderr
        );
    }
    let snapshot: Value =
        serde_json::from_str(&std::fs::read_to_string(&snapshot).expect("written")).expect("json");
    assert_eq!(snapshot["scope"]["aws_accounts"], json!(["123456789012"]));
    assert_eq!(snapshot["aws"][0]["account_id"], "123456789012");
    assert_eq!(
        snapshot["aws"][0]["root"]["mfa_enabled"],
        json!({"known": false})
    );
}

#[test]
fn an_unknown_region_is_a_usage_error_with_a_suggestion() {
    let dir = tempfile::tempdir().expect("temp dir");
    let snapshot = dir.path().join("snapshot.json");
    // Refused before any call: the endpoint is never reached.
    let out = tenet_aws(
        "http://127.0.0.1:9",
        &[
            "collect",
            "--aws-region",
            "eu-wset-1",
            "-o",
            &snapshot.to_string_lossy(),
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "error: unknown AWS region `eu-wset-1` in --aws-region, `regions` under [aws] or the AWS profile: did you mean `eu-west-1`?\n"
    );
    assert!(!snapshot.exists());
    let mixed = tenet_aws(
        "http://127.0.0.1:9",
        &[
            "collect",
            "--aws-region",
            "us-east-1",
            "--aws-region",
            "cn-north-1",
            "-o",
            &snapshot.to_string_lossy(),
        ],
    );
    assert_eq!(mixed.code, 2, "{}", mixed.stderr);
    assert!(
        mixed.stderr.contains("in two partitions"),
        "{}",
        mixed.stderr
    );
}

#[test]
fn no_credentials_or_an_unknown_profile_is_one_clear_error() {
    // A home without AWS files, instance metadata off: nothing to sign with.
    let dir = tempfile::tempdir().expect("temp dir");
    let isolated = |cmd: &mut assert_cmd::Command| {
        cmd.env("HOME", dir.path())
            .env("AWS_CONFIG_FILE", dir.path().join("config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.path().join("credentials"),
            )
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_REGION", "us-east-1");
    };
    let mut cmd = crate::tenet_in(dir.path());
    isolated(&mut cmd);
    let out = run(cmd.args(["scan", "--aws"]));
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.starts_with(
            "error: no AWS credentials found: tenet looked at the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), profile `default`"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("Ec2InstanceMetadata"), "{}", out.stderr);
    assert!(!out.stderr.contains("DispatchFailure"), "{}", out.stderr);

    std::fs::write(
        dir.path().join("config"),
        "[profile audit]\nregion = eu-west-1\n\n[default]\nregion = us-east-1\n",
    )
    .expect("written");
    let mut cmd = crate::tenet_in(dir.path());
    isolated(&mut cmd);
    let out = run(cmd.args(["scan", "--aws", "--aws-profile", "audti"]));
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: AWS profile `audti` (--aws-profile or AWS_PROFILE) is in neither ~/.aws/config nor ~/.aws/credentials (nor AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE); profiles there: audit, default\n"
    );
}
