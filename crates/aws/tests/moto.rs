//! The AWS connector against moto server, an emulation of the AWS APIs:
//! seeded through the APIs, collected, every fact compared.

mod seed;

use serde_json::Value;
use tenet_aws::{
    AccountTarget, AwsConfig,
    sdk::{iam, organizations, sts::config::ProvideCredentials},
};
use tenet_inventory::{Observed, aws::AwsAccount};

fn config(endpoint: &str, account: &str) -> AwsConfig {
    AwsConfig {
        endpoint_url: Some(endpoint.to_owned()),
        regions: vec!["eu-west-1".into(), "us-east-1".into()],
        credentials: Some(seed::credentials()),
        accounts: vec![AccountTarget {
            role_arn: seed::role_arn(account),
            external_id: Some("tenet".into()),
            name: Some("test".into()),
        }],
        // moto answers backup:ListBackupSelections with a 500 (see
        // `seed::backup_plan`): one retry, not four with backoff.
        max_attempts: 2,
        ..AwsConfig::default()
    }
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/aws")
        .join(name)
}

/// The account as JSON with every timestamp replaced by `[time]`, the
/// account id by `[account]`, REST API ids by `[api]` and the ids moto makes up (`sg-…`, `vpc-…`,
/// `vol-…`, `fl-…`, `i-…`, KMS key UUIDs, CloudFront distribution ids and
/// domains) by their kind; security groups sorted by name and distributions
/// by content, since their ids order them at random.
fn redacted(account: &AwsAccount) -> Value {
    fn walk(value: &mut Value) {
        match value {
            Value::String(text) if chrono::DateTime::parse_from_rfc3339(text).is_ok() => {
                *text = "[time]".into();
            }
            Value::String(text) if load_balancer_arn(text).is_some() => {
                *text = load_balancer_arn(text).unwrap_or_default();
            }
            Value::String(text) if made_up_id(text).is_some() => {
                *text = made_up_id(text).unwrap_or_default().to_owned();
            }
            Value::Object(map) if map.contains_key("cloudfront_distributions") => {
                if let Some(Value::Array(distributions)) = map
                    .get_mut("cloudfront_distributions")
                    .and_then(|distributions| distributions.get_mut("known"))
                {
                    for distribution in distributions.iter_mut() {
                        distribution["id"] = "[distribution]".into();
                        distribution["arn"] =
                            "arn:aws:cloudfront::[account]:distribution/[distribution]".into();
                        distribution["domain_name"] = "[distribution].cloudfront.net".into();
                    }
                    distributions.sort_by_key(Value::to_string);
                }
                map.values_mut().for_each(walk);
            }
            Value::Object(map) if map.contains_key("security_groups") => {
                if let Some(Value::Array(groups)) = map
                    .get_mut("security_groups")
                    .and_then(|groups| groups.get_mut("known"))
                {
                    groups
                        .sort_by_key(|group| group["name"].as_str().unwrap_or_default().to_owned());
                }
                map.values_mut().for_each(walk);
                // Volumes by what they are, once their ids are redacted.
                if let Some(Value::Array(volumes)) = map
                    .get_mut("volumes")
                    .and_then(|volumes| volumes.get_mut("known"))
                {
                    volumes.sort_by_key(Value::to_string);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            Value::Object(map) => map.values_mut().for_each(walk),
            _ => {}
        }
    }
    let text = serde_json::to_string(account).expect("serializable");
    let text = without_uuids(&text.replace(&account.account_id, "[account]"));
    let mut value: Value = serde_json::from_str(&text).expect("json");
    walk(&mut value);
    // A REST API's id is ten random characters.
    if let Some(Value::Array(regions)) = value.pointer_mut("/regions/known") {
        for region in regions {
            if let Some(Value::Array(apis)) = region.pointer_mut("/rest_apis/known") {
                for api in apis.iter_mut() {
                    let id = api["id"].as_str().unwrap_or_default().to_owned();
                    let arn = api["arn"]
                        .as_str()
                        .unwrap_or_default()
                        .replace(&id, "[api]");
                    api["id"] = "[api]".into();
                    api["arn"] = arn.into();
                }
            }
        }
    }
    value
}

/// `text` with every UUID (a KMS key id) replaced by `[key]`.
fn without_uuids(text: &str) -> String {
    fn is_uuid(candidate: &[u8]) -> bool {
        candidate.len() == 36
            && candidate.iter().enumerate().all(|(at, byte)| match at {
                8 | 13 | 18 | 23 => *byte == b'-',
                _ => byte.is_ascii_hexdigit(),
            })
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut copied = 0;
    while at + 36 <= bytes.len() {
        if is_uuid(&bytes[at..at + 36]) {
            out.push_str(&text[copied..at]);
            out.push_str("[key]");
            at += 36;
            copied = at;
        } else {
            at += 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// A load balancer ARN with the id moto makes up replaced by `[lb]`.
fn load_balancer_arn(text: &str) -> Option<String> {
    let (named, id) = text.rsplit_once('/')?;
    (named.contains(":loadbalancer/")
        && id.len() == 16
        && id.bytes().all(|b| b.is_ascii_hexdigit()))
    .then(|| format!("{named}/[lb]"))
}

/// The placeholder of an id moto makes up.
fn made_up_id(text: &str) -> Option<&'static str> {
    // A GuardDuty detector's id is 32 hex digits.
    if text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some("[detector]");
    }
    [
        ("sg-", "[sg]"),
        ("vpc-", "[vpc]"),
        ("vol-", "[vol]"),
        ("fl-", "[fl]"),
        ("subnet-", "[subnet]"),
        ("i-", "[instance]"),
    ]
    .into_iter()
    .find(|(prefix, _)| {
        text.strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_hexdigit()))
    })
    .map(|(_, placeholder)| placeholder)
}

/// A moto gap: moto does not read the CBOR protocol (`rpc-v2-cbor`) the
/// CloudWatch SDK speaks, so `DescribeAlarms` fails and every region's
/// alarms are unavailable here; `src/cloudwatch.rs` tests the answers with
/// aws-smithy-mocks.
///
/// A moto gap: moto answers `GetBucketVersioning` with a root element AWS
/// does not send (`GetBucketVersioningResponse` instead of
/// `VersioningConfiguration`), which the SDK refuses, so every bucket's
/// versioning is unavailable here; `tests/answers.rs` serves AWS's answers.
#[tokio::test]
async fn collects_every_fact_of_a_seeded_account() {
    let Some(endpoint) = seed::endpoint() else {
        return;
    };
    let account = seed::unique_account();
    let sdk = seed::account_config(&endpoint, &account).await;
    seed::scenario(&sdk, &account).await;
    seed::backup_plan(&sdk, "us-east-1").await;
    let accounts = tenet_aws::collect(&config(&endpoint, &account), &())
        .await
        .expect("valid configuration");
    assert_eq!(accounts.len(), 1);
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("moto-account.json")).expect("fixture"),
    )
    .expect("fixture is JSON");
    let collected = redacted(&accounts[0]);
    if collected != expected {
        // For review: the collected account beside the fixture.
        let actual = fixture("moto-account.actual.json");
        let text = serde_json::to_string_pretty(&collected).unwrap_or_default() + "\n";
        let _ = std::fs::write(&actual, text);
        panic!(
            "the collected account differs from fixtures/aws/moto-account.json; it was written to {} for review",
            actual.display()
        );
    }
}

#[tokio::test]
async fn collects_every_account_of_an_organization_through_the_role() {
    let Some(endpoint) = seed::endpoint() else {
        return;
    };
    let management = seed::unique_account();
    let sdk = seed::account_config(&endpoint, &management).await;
    let organization = organizations::Client::new(&sdk);
    organization
        .create_organization()
        .feature_set(organizations::types::OrganizationFeatureSet::All)
        .send()
        .await
        .expect("organization");
    let mut members = Vec::new();
    for name in ["member-a", "member-b"] {
        let created = organization
            .create_account()
            .email(format!("{name}@example.com"))
            .account_name(name)
            .send()
            .await
            .expect("member account");
        let status = created.create_account_status().expect("status");
        assert_eq!(
            status.state(),
            Some(&organizations::types::CreateAccountState::Succeeded)
        );
        members.push(status.account_id().expect("member account id").to_owned());
    }
    // Service control policies: enabled at the root, and one that denies
    // IAM on an organizational unit holding the first member.
    let root = organization
        .list_roots()
        .send()
        .await
        .expect("roots")
        .roots()
        .first()
        .and_then(|root| root.id())
        .expect("a root")
        .to_owned();
    organization
        .enable_policy_type()
        .root_id(&root)
        .policy_type(organizations::types::PolicyType::ServiceControlPolicy)
        .send()
        .await
        .expect("service control policies enabled");
    let unit = organization
        .create_organizational_unit()
        .parent_id(&root)
        .name("restricted")
        .send()
        .await
        .expect("organizational unit")
        .organizational_unit()
        .and_then(|unit| unit.id())
        .expect("its id")
        .to_owned();
    organization
        .move_account()
        .account_id(&members[0])
        .source_parent_id(&root)
        .destination_parent_id(&unit)
        .send()
        .await
        .expect("member moved");
    let deny_iam = organization
        .create_policy()
        .name("deny-iam")
        .description("no IAM changes")
        .r#type(organizations::types::PolicyType::ServiceControlPolicy)
        .content(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}"#)
        .send()
        .await
        .expect("policy")
        .policy()
        .and_then(|policy| policy.policy_summary())
        .and_then(|summary| summary.id())
        .expect("its id")
        .to_owned();
    organization
        .attach_policy()
        .policy_id(&deny_iam)
        .target_id(&unit)
        .send()
        .await
        .expect("policy attached");
    // A user in the first member alone: it can only be seen by assuming the
    // role there, since the credentials are the management account's.
    iam::Client::new(&seed::account_config(&endpoint, &members[0]).await)
        .create_user()
        .user_name("member-user")
        .send()
        .await
        .expect("user");
    let credentials = sdk
        .credentials_provider()
        .expect("a credentials provider")
        .provide_credentials()
        .await
        .expect("the management account's credentials");
    let config = AwsConfig {
        endpoint_url: Some(endpoint.clone()),
        regions: vec!["us-east-1".into()],
        credentials: Some(credentials),
        organization_role: Some("OrganizationAccountAccessRole".into()),
        ..AwsConfig::default()
    };
    let accounts = tenet_aws::collect(&config, &())
        .await
        .expect("the organization is listed");

    let mut expected = vec![management.clone(), members[0].clone(), members[1].clone()];
    expected.sort();
    let ids: Vec<&str> = accounts.iter().map(|a| a.account_id.as_str()).collect();
    assert_eq!(ids, expected);
    let account = |id: &str| {
        accounts
            .iter()
            .find(|account| account.account_id == id)
            .expect("collected")
    };
    let users = |id: &str| -> Observed<Vec<String>> {
        account(id)
            .users
            .clone()
            .map(|users| users.into_iter().map(|user| user.name).collect())
    };
    assert_eq!(account(&members[0]).name.as_deref(), Some("member-a"));
    assert_eq!(account(&members[1]).name.as_deref(), Some("member-b"));
    assert_eq!(
        users(&members[0]),
        Observed::Known(vec!["member-user".to_owned()])
    );
    assert_eq!(users(&members[1]), Observed::Known(vec![]));
    assert_eq!(users(&management), Observed::Known(vec![]));
    // The levels above each member, each with its policies; none for the
    // management account, which service control policies do not bound.
    // Each level's target and the names of its policies.
    type Levels = Vec<(String, Vec<String>)>;
    let levels = |id: &str| -> Observed<Option<Levels>> {
        account(id).service_control_policies.clone().map(|levels| {
            levels.map(|levels| {
                levels
                    .into_iter()
                    .map(|level| {
                        // Sorted by id, which moto makes up: compared by name.
                        let mut names: Vec<String> =
                            level.policies.into_iter().map(|p| p.name).collect();
                        names.sort();
                        (level.target, names)
                    })
                    .collect()
            })
        })
    };
    let full = || "FullAWSAccess".to_owned();
    assert_eq!(levels(&management), Observed::Known(None));
    assert_eq!(
        levels(&members[0]),
        Observed::Known(Some(vec![
            (root.clone(), vec![full()]),
            (unit.clone(), vec![full(), "deny-iam".to_owned()]),
            (members[0].clone(), vec![full()]),
        ]))
    );
    assert_eq!(
        levels(&members[1]),
        Observed::Known(Some(vec![
            (root.clone(), vec![full()]),
            (members[1].clone(), vec![full()]),
        ]))
    );
    let denied = account(&members[0])
        .service_control_policies
        .known()
        .and_then(|levels| levels.as_ref())
        .and_then(|levels| levels.get(1))
        .and_then(|unit| unit.policies.iter().find(|p| p.name == "deny-iam"))
        .map(|policy| policy.document.clone());
    assert_eq!(
        denied,
        Some(
            serde_json::json!({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*"}]})
        )
    );
    for id in &expected {
        assert!(
            account(id).password_policy.known().is_some(),
            "{id}: {:?}",
            account(id).password_policy
        );
        assert_eq!(account(id).load_balancers, Observed::Known(vec![]), "{id}");
    }
}
