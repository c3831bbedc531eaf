//! Whole-account and connection failures, against a tiny local HTTP server
//! that answers every request the same way (or never).

mod common;

use std::{
    io::{Read, Write},
    net::TcpListener,
    time::Duration,
};

use tenet_aws::{AccountTarget, AwsConfig, ConfigError};
use tenet_inventory::Observed;

/// Serves `response` to every connection on a loopback port (and an
/// identity to `sts:GetCallerIdentity`), or holds the connection open
/// without answering when `response` is `None`.
fn server(response: Option<&'static str>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let address = listener.local_addr().expect("an address");
    std::thread::spawn(move || {
        for stream in listener.incoming().take(64) {
            let Ok(mut stream) = stream else { continue };
            let mut buffer = [0; 65536];
            let read = stream.read(&mut buffer).unwrap_or(0);
            let request = String::from_utf8_lossy(&buffer[..read]);
            match response {
                Some(_) if request.contains("Action=GetCallerIdentity") => {
                    let _ = write!(
                        stream,
                        "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{IDENTITY}",
                        IDENTITY.len()
                    );
                }
                Some(body) => {
                    let _ = write!(
                        stream,
                        "HTTP/1.1 403 Forbidden\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                }
                None => std::thread::sleep(Duration::from_secs(5)),
            }
        }
    });
    format!("http://{address}")
}

fn config(endpoint: String) -> AwsConfig {
    common::config(
        endpoint,
        Duration::from_millis(300),
        Duration::from_millis(600),
    )
}

const IDENTITY: &str = "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/ci</Arn><UserId>AIDAEXAMPLE</UserId><Account>111122223333</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>";

const DENIED: &str = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::111122223333:user/ci is not authorized to perform: sts:AssumeRole</Message></Error><RequestId>1</RequestId></ErrorResponse>";

#[tokio::test]
async fn a_role_that_cannot_be_assumed_is_an_account_of_unavailable_facts() {
    let role = "arn:aws:iam::444455556666:role/audit";
    let config = AwsConfig {
        accounts: vec![AccountTarget {
            role_arn: role.into(),
            external_id: None,
            name: Some("prod".into()),
        }],
        ..config(server(Some(DENIED)))
    };
    let accounts = tenet_aws::collect(&config, &())
        .await
        .expect("valid configuration");
    assert_eq!(accounts.len(), 1);
    let account = &accounts[0];
    assert_eq!(account.account_id, "444455556666");
    assert_eq!(account.name.as_deref(), Some("prod"));
    let reason = format!(
        "cannot assume {role}: access denied: needs sts:AssumeRole on it, allowed by its trust policy"
    );
    assert_eq!(account.root.mfa_enabled, Observed::unavailable(&reason));
    assert_eq!(account.users, Observed::unavailable(&reason));
    assert_eq!(account.password_policy, Observed::unavailable(&reason));
    assert_eq!(account.s3_buckets, Observed::unavailable(&reason));
    assert_eq!(account.trails, Observed::unavailable(&reason));
    let json = serde_json::to_string(account).expect("json");
    assert!(!json.contains("tenet-secret-must-not-leak"));
    assert!(!json.contains("AKIATENETTESTKEY0002"));
}

#[tokio::test]
async fn an_endpoint_that_never_answers_times_out() {
    let err = tenet_aws::collect(&config(server(None)), &())
        .await
        .expect_err("the credentials cannot be checked");
    assert!(matches!(err, ConfigError::Unreachable { .. }), "{err}");
    assert!(
        err.to_string()
            .ends_with(": sts:GetCallerIdentity got no answer in 600 ms (300 ms to connect, 300 ms per attempt)"),
        "{err}"
    );
}

#[tokio::test]
async fn no_region_is_a_configuration_error() {
    let config = AwsConfig {
        regions: Vec::new(),
        profile: Some("tenet-test-profile-that-does-not-exist".into()),
        ..config(server(Some(DENIED)))
    };
    let err = tenet_aws::collect(&config, &())
        .await
        .expect_err("no region");
    assert!(matches!(err, ConfigError::NoRegion), "{err}");
}
