//! The AWS connector against moto server, an emulation of the AWS APIs:
//! seeded through the APIs, collected, every fact compared.

mod seed;

use serde_json::Value;
use tenet_aws::{AccountTarget, AwsConfig};
use tenet_inventory::aws::AwsAccount;

fn config(endpoint: &str, account: &str) -> AwsConfig {
    AwsConfig {
        endpoint_url: Some(endpoint.to_owned()),
        regions: vec!["us-east-1".into()],
        credentials: Some(seed::credentials()),
        accounts: vec![AccountTarget {
            role_arn: seed::role_arn(account),
            external_id: Some("tenet".into()),
            name: Some("test".into()),
        }],
        ..AwsConfig::default()
    }
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/aws")
        .join(name)
}

/// The account as JSON with every timestamp replaced by `[time]` and the
/// account id by `[account]`.
fn redacted(account: &AwsAccount) -> Value {
    fn walk(value: &mut Value) {
        match value {
            Value::String(text) if chrono::DateTime::parse_from_rfc3339(text).is_ok() => {
                *text = "[time]".into();
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            Value::Object(map) => map.values_mut().for_each(walk),
            _ => {}
        }
    }
    let text = serde_json::to_string(account).expect("serializable");
    let mut value: Value =
        serde_json::from_str(&text.replace(&account.account_id, "[account]")).expect("json");
    walk(&mut value);
    value
}

#[tokio::test]
async fn collects_every_fact_of_a_seeded_account() {
    let Some(endpoint) = seed::endpoint() else {
        return;
    };
    let account = seed::unique_account();
    seed::scenario(&seed::account_config(&endpoint, &account).await, &account).await;
    let accounts = tenet_aws::collect(&config(&endpoint, &account), &())
        .await
        .expect("valid configuration");
    assert_eq!(accounts.len(), 1);
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("moto-account.json")).expect("fixture"),
    )
    .expect("fixture is JSON");
    assert_eq!(redacted(&accounts[0]), expected);
}
