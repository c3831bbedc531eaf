//! Turning SDK errors into `Unavailable` reasons that name the permission.

use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};

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
pub(crate) fn reason<E, R>(permission: &str, err: &SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    match err {
        SdkError::ServiceError(service) => {
            let service = service.err();
            let code = service.code().unwrap_or("unknown error");
            if ACCESS_DENIED.contains(&code) {
                return format!("access denied: needs {permission}");
            }
            let message = service
                .message()
                .filter(|message| !message.is_empty())
                .map(|message| format!(": {message}"))
                .unwrap_or_default();
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
        SdkError::ResponseError(_) => match crate::required::lost(err) {
            Some(lost) => lost.to_string(),
            None => format!("{permission} failed: the response could not be read"),
        },
        _ => format!("{permission} failed: {}", causes(err)),
    }
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
