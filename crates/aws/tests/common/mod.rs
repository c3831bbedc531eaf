//! The configuration the local-server tests collect with.

use std::time::Duration;

use tenet_aws::{AwsConfig, Credentials, Timeouts};

/// One region against `endpoint`, one attempt per call, fixed test
/// credentials, and `attempt` and `operation` as the call timeouts.
pub fn config(endpoint: String, attempt: Duration, operation: Duration) -> AwsConfig {
    AwsConfig {
        endpoint_url: Some(endpoint),
        regions: vec!["us-east-1".into()],
        credentials: Some(Credentials::new(
            "AKIATENETTESTKEY0002",
            "tenet-secret-must-not-leak",
            None,
            None,
            "test",
        )),
        max_attempts: 1,
        timeouts: Timeouts {
            connect: Duration::from_millis(500),
            attempt,
            operation,
            credential_report: Duration::from_secs(1),
            first_call: operation,
        },
        ..AwsConfig::default()
    }
}
