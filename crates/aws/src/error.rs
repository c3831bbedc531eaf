//! Turning SDK errors into `Unavailable` reasons that name the permission.

use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

/// Error codes AWS services use for a missing permission.
const ACCESS_DENIED: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "AuthorizationError",
];

/// Error codes of throttling that outlasted the retries.
const THROTTLED: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "SlowDown",
];

/// The error code of a service error, if the call got that far.
pub(crate) fn code<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> Option<&str> {
    err.as_service_error().and_then(ProvideErrorMetadata::code)
}

/// Why a call failed, for an `Unavailable` fact: names `permission` (the IAM
/// action, e.g. `iam:GenerateCredentialReport`) and never the credentials.
/// An answer without an AWS error code, or one that could not be read,
/// names its HTTP status.
pub(crate) fn reason<E>(permission: &str, err: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match err {
        SdkError::ServiceError(service) => {
            let status = status(service.raw());
            let service = service.err();
            let message = service
                .message()
                .filter(|message| !message.trim().is_empty())
                .map(|message| format!(": {message}"))
                .unwrap_or_default();
            let Some(code) = service.code().filter(|code| !code.trim().is_empty()) else {
                // What the SDK could not make of the answer, when it says.
                let read = std::error::Error::source(service)
                    .map(|cause| format!(" ({})", without_debug(&causes(cause))))
                    .unwrap_or_default();
                return format!(
                    "{permission} failed: {status} without an AWS error code{message}{read}"
                );
            };
            if ACCESS_DENIED.contains(&code) {
                return format!("access denied: needs {permission}");
            }
            let throttled = if THROTTLED.contains(&code) {
                " (still throttled after retries)"
            } else {
                ""
            };
            format!("{permission} failed: {code}{message}{throttled}")
        }
        SdkError::TimeoutError(_) => format!("{permission} timed out"),
        SdkError::DispatchFailure(failure) if failure.is_timeout() => {
            format!("{permission} timed out")
        }
        SdkError::DispatchFailure(_) => format!(
            "{permission} failed: the request could not be sent: {}",
            causes(err)
        ),
        SdkError::ResponseError(response) => match crate::required::lost(err) {
            Some(lost) => lost.to_string(),
            None => format!(
                "{permission} failed: the answer ({}) is not the one the API documents and could not be read: {}",
                status(response.raw()),
                std::error::Error::source(err).map_or_else(|| causes(err), causes)
            ),
        },
        _ => format!("{permission} failed: {}", causes(err)),
    }
}

/// An SDK parse error without the `Debug` form of the XML element it met
/// (`… expected VersioningConfiguration but got StartEl { name: … }`): what
/// was expected stays, the dump goes.
fn without_debug(text: &str) -> String {
    match text.find(" but got StartEl") {
        Some(at) => text[..at].to_owned(),
        None => text.to_owned(),
    }
}

/// `HTTP 404`.
fn status(response: &HttpResponse) -> String {
    format!("HTTP {}", response.status().as_u16())
}

/// An error and its causes, each displayed once: never the `Debug` form of
/// SDK types (which holds raw responses).
pub(crate) fn causes(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !cause_text.is_empty() && !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_sdk_parse_error_keeps_what_was_expected_and_drops_the_dump() {
        assert_eq!(
            without_debug(
                "error parsing XML: encountered invalid XML root: expected VersioningConfiguration but got StartEl { name: Name { prefix: \"\", local: \"Other\" } }. This is likely a bug in the SDK."
            ),
            "error parsing XML: encountered invalid XML root: expected VersioningConfiguration"
        );
        assert_eq!(
            without_debug("unexpected type 0x3c at position 0: expected map"),
            "unexpected type 0x3c at position 0: expected map"
        );
    }
}
