//! `-vv` logging of every AWS request: the operation, its attempt, the host
//! and how it ended. Never a header, query string or body: those carry the
//! signature, the session token and the caller's data.

use std::sync::{Arc, Mutex};

use aws_sdk_sts::config::{
    ConfigBag, Intercept, RuntimeComponents,
    interceptors::{BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef},
};
use aws_smithy_runtime_api::{
    box_error::BoxError,
    client::{orchestrator::Metadata, retries::RequestAttempts},
};
use aws_types::SigningName;

/// The interceptor that logs each attempt of each call at debug level, as
/// `tenet_aws::requestlog` events.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RequestLog;

/// `service:Operation` of the call, by the service's signing name: its IAM
/// prefix for all but CloudWatch, which signs as `monitoring`.
fn operation(cfg: &ConfigBag) -> String {
    let Some(metadata) = cfg.load::<Metadata>() else {
        return "unknown operation".to_owned();
    };
    let service = cfg
        .load::<SigningName>()
        .map_or_else(|| metadata.service(), |name| name.as_ref());
    format!("{service}:{}", metadata.name())
}

/// The attempt of the call about to be sent or just ended, the first being 1.
fn attempt(cfg: &ConfigBag) -> u32 {
    cfg.load::<RequestAttempts>()
        .map(RequestAttempts::attempts)
        .unwrap_or(1)
}

impl Intercept for RequestLog {
    fn name(&self) -> &'static str {
        "tenet request log"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if tracing::enabled!(tracing::Level::DEBUG) {
            let host = http_host(context.request().uri());
            let operation = operation(cfg);
            let attempt = attempt(cfg);
            if attempt > 1 {
                tracing::debug!(request = operation, host, attempt, "retrying");
            } else {
                tracing::debug!(request = operation, host, "sending");
            }
        }
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if tracing::enabled!(tracing::Level::DEBUG) {
            let operation = operation(cfg);
            if let Some(response) = context.response() {
                tracing::debug!(
                    request = operation,
                    status = response.status().as_u16(),
                    "answered"
                );
            } else if let Some(Err(err)) = context.output_or_error() {
                let failure = if err.is_timeout_error() {
                    "timed out"
                } else if err.is_connector_error() {
                    "could not be sent"
                } else {
                    "failed before an answer"
                };
                tracing::debug!(request = operation, failure, "no answer");
            }
        }
        Ok(())
    }
}

/// An interceptor that keeps the host the last attempt was sent to, to name
/// it when the call fails before any answer.
#[derive(Debug, Clone, Default)]
pub(crate) struct LastHost(Arc<Mutex<Option<String>>>);

impl LastHost {
    /// The host of the last attempt, if one was about to be sent.
    pub(crate) fn get(&self) -> Option<String> {
        self.0.lock().ok().and_then(|host| host.clone())
    }
}

impl Intercept for LastHost {
    fn name(&self) -> &'static str {
        "tenet last host"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Ok(mut host) = self.0.lock() {
            *host = Some(http_host(context.request().uri()).to_owned());
        }
        Ok(())
    }
}

/// The host of a request URI, without scheme, user, path or query.
fn http_host(uri: &str) -> &str {
    let rest = uri.split_once("://").map_or(uri, |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host)
}

/// A client of the service crate `$sdk` (e.g. `aws_sdk_iam`) built from the
/// shared `$config`, logging its requests.
macro_rules! client {
    ($sdk:ident, $config:expr) => {
        $sdk::Client::from_conf(
            $sdk::config::Builder::from($config)
                .interceptor($crate::requestlog::RequestLog)
                .build(),
        )
    };
}
pub(crate) use client;

#[cfg(test)]
mod tests {
    use super::http_host;

    #[test]
    fn host_is_the_authority_only() {
        for (uri, host) in [
            ("https://iam.amazonaws.com/", "iam.amazonaws.com"),
            (
                "https://s3.eu-west-1.amazonaws.com/bucket?policy",
                "s3.eu-west-1.amazonaws.com",
            ),
            ("http://127.0.0.1:5000?Action=x", "127.0.0.1:5000"),
            ("http://127.0.0.1:5000", "127.0.0.1:5000"),
            ("http://user:secret@127.0.0.1:5000/x", "127.0.0.1:5000"),
        ] {
            assert_eq!(http_host(uri), host, "{uri}");
        }
    }
}
