//! Helpers of the connector's unit tests: an SDK configuration that talks to
//! a wiremock server, and answers of the JSON protocols.

use aws_config::{BehaviorVersion, Region, SdkConfig, retry::RetryConfig};
use aws_sdk_sts::config::Credentials;
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{header, method},
};

/// Test credentials and `us-east-1`, every call to `server`, no retries.
pub(crate) async fn sdk(server: &MockServer) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(server.uri())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .load()
        .await
}

/// Answers the JSON-protocol call whose `X-Amz-Target` is `target` (e.g.
/// `TrentService.ListKeys`) with `status` and `body`.
pub(crate) async fn json_answer(server: &MockServer, target: &str, status: u16, body: &str) {
    Mock::given(method("POST"))
        .and(header("x-amz-target", target))
        .respond_with(
            ResponseTemplate::new(status)
                .set_body_raw(body.to_owned(), "application/x-amz-json-1.1"),
        )
        .mount(server)
        .await;
}

/// An error answer of the JSON protocols.
pub(crate) fn json_error(code: &str, message: &str) -> String {
    format!(r#"{{"__type":"{code}","message":"{message}"}}"#)
}
