//! [`ApiError`]: why one request gave no usable answer, worded for the
//! unavailable reason of the facts it would have given.

use std::{fmt, time::Duration};

use reqwest::StatusCode;

use crate::permissions::Needs;

/// A request that failed, after any retries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// `GET /orgs/acme/members?filter=2fa_disabled`, or `GraphQL Repositories`.
    pub request: String,
    /// What went wrong.
    pub failure: Failure,
}

/// The kinds of failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// GitHub answered with an error status.
    Status {
        /// The status.
        status: StatusCode,
        /// GitHub's `message`, if the body had one.
        message: Option<String>,
        /// Retries spent before giving up (rate limits, 5xx).
        retries: u32,
    },
    /// No answer in time, after retries.
    Timeout {
        /// Retries spent.
        retries: u32,
        /// Time gone without an answer, over every attempt.
        waited: Duration,
    },
    /// The connection failed, after retries.
    Transport(String),
    /// The body is not what the API documents.
    Malformed(String),
    /// A GraphQL error (the answer had `errors` and no usable data).
    GraphQl(String),
    /// The collection's time limit was reached before the request could be
    /// sent, or a wait to retry it would have ended past it.
    OutOfTime {
        /// The time limit.
        limit: std::time::Duration,
        /// Why the request waited (the failure it would have retried), if
        /// it did.
        waiting_on: Option<String>,
        /// The request it waited to retry had no answer at all (no
        /// connection, or none in time): GitHub could not be reached.
        unanswered: bool,
    },
}

impl ApiError {
    /// An error of `request`.
    pub fn new(request: impl Into<String>, failure: Failure) -> Self {
        ApiError {
            request: request.into(),
            failure,
        }
    }

    /// A malformed answer to `request`.
    pub fn malformed(request: impl Into<String>, message: impl fmt::Display) -> Self {
        ApiError::new(request, Failure::Malformed(message.to_string()))
    }

    /// The unavailable reason of a fact this request would have given;
    /// `needs` is named when the failure is one of permission.
    pub fn reason(&self, needs: Needs) -> String {
        self.text(Some(needs))
    }

    /// The reason, without naming a permission (for failures that are not
    /// about one, such as App authentication).
    pub fn plain(&self) -> String {
        self.text(None)
    }

    /// What a request waited on before a retry: a rate limit, or the
    /// failure itself.
    pub(crate) fn retry_cause(&self) -> String {
        match &self.failure {
            Failure::Status {
                status, message, ..
            } if matches!(status.as_u16(), 403 | 429) => {
                let said = message
                    .as_deref()
                    .map(|m| format!(" ({m})"))
                    .unwrap_or_default();
                format!(
                    "{}: {}{said}: rate limited",
                    self.request,
                    status_text(*status)
                )
            }
            _ => self.plain(),
        }
    }

    fn text(&self, needs: Option<Needs>) -> String {
        let request = &self.request;
        let needs = needs
            .map(|n| n.to_string())
            .unwrap_or_else(|| "the permission to read it".to_owned());
        match &self.failure {
            Failure::Status {
                status,
                message,
                retries,
            } => {
                let code = status_text(*status);
                let said = message
                    .as_deref()
                    .map(|m| format!(" ({m})"))
                    .unwrap_or_default();
                match status.as_u16() {
                    401 => format!(
                        "{request}: {code}{said}: the credentials are invalid, expired or revoked"
                    ),
                    403 => format!("{request}: {code}{said}: the token lacks {needs}"),
                    404 => format!(
                        "{request}: {code}{said}: it does not exist, or the token may not see it; needs {needs}"
                    ),
                    429 => format!(
                        "{request}: {code}{said}: still rate limited after {retries} retries"
                    ),
                    _ if *retries > 0 => {
                        format!("{request}: {code}{said}, after {retries} retries")
                    }
                    _ => format!("{request}: {code}{said}"),
                }
            }
            Failure::Timeout { retries, waited } => {
                let attempts = retries + 1;
                let attempts = if attempts == 1 {
                    "1 attempt".to_owned()
                } else {
                    format!("{attempts} attempts")
                };
                let waited = if waited.as_secs() == 0 {
                    format!("{} ms", waited.as_millis())
                } else {
                    format!("{} s", waited.as_secs())
                };
                format!("{request}: no answer in {waited}, over {attempts}")
            }
            Failure::Transport(message) => format!("{request}: connection failed: {message}"),
            Failure::Malformed(message) => format!("{request}: malformed answer: {message}"),
            Failure::GraphQl(message) => format!("{request}: {message}; needs {needs}"),
            Failure::OutOfTime {
                limit, waiting_on, ..
            } => {
                let limit = limit.as_secs();
                match waiting_on {
                    None => format!(
                        "{request}: not sent: the collection's time limit of {limit} s (--timeout) was reached"
                    ),
                    Some(failure) => format!(
                        "{failure}; waiting to retry would pass the collection's time limit of {limit} s (--timeout)"
                    ),
                }
            }
        }
    }
}

/// `403 Forbidden`.
pub(crate) fn status_text(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permissions::ORG_MEMBERS_2FA;

    fn status(code: u16, message: Option<&str>, retries: u32) -> ApiError {
        ApiError::new(
            "GET /orgs/acme/members?filter=2fa_disabled",
            Failure::Status {
                status: StatusCode::from_u16(code).unwrap_or(StatusCode::IM_A_TEAPOT),
                message: message.map(str::to_owned),
                retries,
            },
        )
    }

    #[test]
    fn reasons_name_the_request_status_and_permission() {
        assert_eq!(
            status(403, Some("Must be an organization owner"), 0).reason(ORG_MEMBERS_2FA),
            "GET /orgs/acme/members?filter=2fa_disabled: 403 Forbidden (Must be an organization owner): the token lacks admin:org as an organization owner (classic token), organization Members: read, as an organization owner (fine-grained token or GitHub App)"
        );
        assert_eq!(
            status(401, Some("Bad credentials"), 0).reason(ORG_MEMBERS_2FA),
            "GET /orgs/acme/members?filter=2fa_disabled: 401 Unauthorized (Bad credentials): the credentials are invalid, expired or revoked"
        );
        assert_eq!(
            status(502, None, 4).reason(ORG_MEMBERS_2FA),
            "GET /orgs/acme/members?filter=2fa_disabled: 502 Bad Gateway, after 4 retries"
        );
        assert_eq!(
            ApiError::new(
                "GET /x",
                Failure::Timeout {
                    retries: 2,
                    waited: Duration::from_secs(61),
                },
            )
            .reason(ORG_MEMBERS_2FA),
            "GET /x: no answer in 61 s, over 3 attempts"
        );
    }
}
