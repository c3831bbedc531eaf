//! The HTTP client: authentication, the concurrency bound, rate limits,
//! retries, REST pagination and GraphQL.

use std::{
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use reqwest::{
    Method, RequestBuilder, StatusCode,
    header::{self, HeaderMap, HeaderValue},
};
use serde::{Deserialize, de::DeserializeOwned};
use serde_json::Value;
use tokio::time::Instant;

use crate::{
    app::Installation,
    config::Settings,
    error::{ApiError, Failure},
    secret::Secret,
};

/// Requests a collection sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RequestStats {
    /// REST requests, retries included.
    pub rest: u64,
    /// GraphQL requests, retries included.
    pub graphql: u64,
    /// Requests that were retries (rate limits, 5xx, timeouts).
    pub retries: u64,
    /// Sum of GraphQL `rateLimit.cost` over every GraphQL answer.
    pub graphql_cost: u64,
}

/// Counters shared by every client of one collection.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    rest: AtomicU64,
    graphql: AtomicU64,
    retries: AtomicU64,
    graphql_cost: AtomicU64,
}

impl Stats {
    /// The counts so far.
    pub fn snapshot(&self) -> RequestStats {
        RequestStats {
            rest: self.rest.load(Ordering::Relaxed),
            graphql: self.graphql.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            graphql_cost: self.graphql_cost.load(Ordering::Relaxed),
        }
    }
}

/// REST or GraphQL: they have separate rate limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Api {
    Rest,
    GraphQl,
}

/// The last rate-limit headers seen for one API.
#[derive(Clone, Copy, Debug, Default)]
struct RateState {
    remaining: Option<u64>,
    reset_epoch: Option<u64>,
}

/// One answer: status, headers and the whole body.
#[derive(Debug)]
pub(crate) struct Reply {
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// What a client authenticates its requests with.
pub(crate) enum Credential {
    /// A personal access token or any other token, used as it is.
    Token(HeaderValue),
    /// A GitHub App installation, whose token is renewed as it expires.
    Installation(Installation),
}

impl Credential {
    /// A credential for `token`.
    pub fn token(token: &Secret) -> Self {
        Credential::Token(
            bearer(token).unwrap_or_else(|_| HeaderValue::from_static("Bearer invalid-token")),
        )
    }
}

/// `Bearer <secret>`, marked sensitive so that it is never logged.
pub(crate) fn bearer(secret: &Secret) -> Result<HeaderValue, &'static str> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", secret.expose()))
        .map_err(|_| "the credential is not a valid header value")?;
    value.set_sensitive(true);
    Ok(value)
}

/// A GitHub API client for one organization's credentials.
///
/// Built on reqwest rather than octocrab, which DESIGN.md names; three facts
/// of octocrab 0.54 decided it:
/// - it sends `Authorization` only with relative URIs or to `api.github.com`,
///   so on GitHub Enterprise Server the absolute `Link: rel="next"` URLs of
///   a paginated listing would go out unauthenticated;
/// - it has one base URI, but GHES serves REST under `/api/v3` and GraphQL
///   at `/api/graphql`, and its App token exchange is relative to that base;
/// - tenet must read `x-ratelimit-*`, `retry-after` and `Link` on every
///   answer, decide itself how long to wait and how often to retry, and keep
///   GraphQL's partial `errors` next to its `data`: only octocrab's raw
///   `_get`/`_post` allow that, beside a second retry policy of its own.
pub(crate) struct Client<'a> {
    settings: &'a Settings,
    stats: &'a Stats,
    credential: Credential,
    rate: Mutex<[RateState; 2]>,
}

/// A GraphQL answer with data: the `data` object and any partial errors.
#[derive(Debug)]
pub(crate) struct GraphqlReply {
    pub data: serde_json::Map<String, Value>,
    pub errors: Vec<GraphqlError>,
}

/// One entry of GraphQL's `errors`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub(crate) struct GraphqlError {
    pub message: String,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub path: Vec<Value>,
}

#[derive(Deserialize)]
struct GraphqlBody {
    #[serde(default)]
    data: Option<Value>,
    #[serde(default)]
    errors: Vec<GraphqlError>,
}

/// Most pages a listing may have (10,000 × 100 items) before it counts as
/// a broken pagination loop.
const MAX_PAGES: u32 = 10_000;

impl<'a> Client<'a> {
    /// A client that authenticates with `credential`.
    pub fn new(settings: &'a Settings, stats: &'a Stats, credential: Credential) -> Self {
        Client {
            settings,
            stats,
            credential,
            rate: Mutex::new([RateState::default(); 2]),
        }
    }

    /// Makes sure the credential works before anything else is asked: for
    /// an App, looks up the installation and gets its first token.
    pub async fn authenticate(&self) -> Result<(), ApiError> {
        match &self.credential {
            Credential::Token(_) => Ok(()),
            Credential::Installation(installation) => {
                Box::pin(installation.authorization(self)).await.map(|_| ())
            }
        }
    }

    /// The `Authorization` header of the next request.
    async fn authorization(&self) -> Result<HeaderValue, ApiError> {
        match &self.credential {
            Credential::Token(header) => Ok(header.clone()),
            Credential::Installation(installation) => {
                Box::pin(installation.authorization(self)).await
            }
        }
    }

    /// The validated settings.
    pub fn settings(&self) -> &Settings {
        self.settings
    }

    fn request_as(&self, method: Method, url: &str, authorization: &HeaderValue) -> RequestBuilder {
        self.settings
            .http
            .request(method, url)
            .header(header::AUTHORIZATION, authorization.clone())
            .header(header::ACCEPT, "application/vnd.github+json")
            .header("x-github-api-version", "2022-11-28")
    }

    /// `GET {api}{path}`, parsed.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        self.get_json_headers(path).await.map(|(body, _)| body)
    }

    /// `GET {api}{path}`, parsed, with the answer's headers.
    pub async fn get_json_headers<T: DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<(T, HeaderMap), ApiError> {
        let label = format!("GET {path}");
        let url = format!("{}{path}", self.settings.api);
        let reply = self
            .send(Api::Rest, &label, None, |auth| {
                self.request_as(Method::GET, &url, auth)
            })
            .await?;
        let body =
            serde_json::from_slice(&reply.body).map_err(|err| ApiError::malformed(&label, err))?;
        Ok((body, reply.headers))
    }

    /// The credential requests are sent with.
    pub fn credential(&self) -> &Credential {
        &self.credential
    }

    /// `POST {api}{path}` with another `Authorization` (App JWT), parsed.
    pub async fn post_with<T: DeserializeOwned>(
        &self,
        path: &str,
        authorization: &Secret,
    ) -> Result<T, ApiError> {
        self.with_auth(Method::POST, path, authorization).await
    }

    /// `GET {api}{path}` with another `Authorization` (App JWT), parsed.
    pub async fn get_with<T: DeserializeOwned>(
        &self,
        path: &str,
        authorization: &Secret,
    ) -> Result<T, ApiError> {
        self.with_auth(Method::GET, path, authorization).await
    }

    async fn with_auth<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        authorization: &Secret,
    ) -> Result<T, ApiError> {
        let label = format!("{method} {path}");
        let url = format!("{}{path}", self.settings.api);
        let value = bearer(authorization).map_err(|err| ApiError::malformed(&label, err))?;
        let reply = self
            .send(Api::Rest, &label, Some(&value), |auth| {
                self.request_as(method.clone(), &url, auth)
            })
            .await?;
        serde_json::from_slice(&reply.body).map_err(|err| ApiError::malformed(&label, err))
    }

    /// Every item of a paginated REST listing whose body is a JSON array,
    /// following `Link: rel="next"` to the end. A page that fails makes the
    /// whole listing fail: a short list is never returned.
    pub async fn list<T: DeserializeOwned>(&self, path: &str) -> Result<Vec<T>, ApiError> {
        self.list_in(path, None).await
    }

    /// Like [`Client::list`], for listings that wrap the array in an object
    /// under `key` next to its `total_count` (e.g. `{"total_count": 1,
    /// "environments": [...]}`): the count is required, and a listing that
    /// ends with another number of items than it counts is malformed.
    pub async fn list_in<T: DeserializeOwned>(
        &self,
        path: &str,
        key: Option<&str>,
    ) -> Result<Vec<T>, ApiError> {
        self.list_until(path, key, |_| false).await
    }

    /// Like [`Client::list_in`], but stops after the page on whose items
    /// `enough` says so: for listings read newest first down to a date.
    /// What was read up to then is returned; whether that was enough is
    /// the caller's to say.
    pub async fn list_until<T: DeserializeOwned>(
        &self,
        path: &str,
        key: Option<&str>,
        mut enough: impl FnMut(&[T]) -> bool,
    ) -> Result<Vec<T>, ApiError> {
        let separator = if path.contains('?') { '&' } else { '?' };
        let mut url = format!("{}{path}{separator}per_page=100", self.settings.api);
        let mut items = Vec::new();
        let mut counted = None;
        for page in 1..=MAX_PAGES {
            let label = if page == 1 {
                format!("GET {path}")
            } else {
                format!("GET {path} (page {page})")
            };
            let reply = self
                .send(Api::Rest, &label, None, |auth| {
                    self.request_as(Method::GET, &url, auth)
                })
                .await?;
            let mut body: Value = serde_json::from_slice(&reply.body)
                .map_err(|err| ApiError::malformed(&label, err))?;
            let array = match key {
                Some(key) => {
                    let Some(count) = body.get("total_count").and_then(Value::as_u64) else {
                        return Err(ApiError::malformed(&label, "no `total_count`"));
                    };
                    counted.get_or_insert(count);
                    body.get_mut(key).map(Value::take)
                }
                None => Some(body),
            };
            let page_items: Vec<T> = match array {
                Some(array @ Value::Array(_)) => {
                    serde_json::from_value(array).map_err(|err| ApiError::malformed(&label, err))?
                }
                _ => {
                    return Err(ApiError::malformed(
                        &label,
                        format!(
                            "expected a list{}",
                            key.map(|k| format!(" in `{k}`")).unwrap_or_default()
                        ),
                    ));
                }
            };
            let done = enough(&page_items);
            items.extend(page_items);
            if done {
                return Ok(items);
            }
            match next_link(&reply.headers) {
                None => {
                    return match counted {
                        Some(count) if usize::try_from(count).ok() != Some(items.len()) => {
                            Err(ApiError::malformed(
                                &label,
                                format!(
                                    "`total_count` is {count} but {} were listed: the list may be incomplete",
                                    items.len()
                                ),
                            ))
                        }
                        _ => Ok(items),
                    };
                }
                Some(next) if next.starts_with(&format!("{}/", self.settings.api)) => url = next,
                Some(next) => {
                    return Err(ApiError::malformed(
                        &label,
                        format!("the next page link leaves the API ({next})"),
                    ));
                }
            }
        }
        Err(ApiError::malformed(
            format!("GET {path}"),
            format!("more than {MAX_PAGES} pages"),
        ))
    }

    /// Sends a GraphQL operation named `name`. Returns its data and partial
    /// errors; an answer without data is an error.
    pub async fn graphql(
        &self,
        name: &str,
        query: &str,
        variables: Value,
    ) -> Result<GraphqlReply, ApiError> {
        let label = format!("GraphQL {name}");
        let body = serde_json::json!({ "query": query, "variables": variables }).to_string();
        let mut retries = 0;
        loop {
            let reply = self
                .send(Api::GraphQl, &label, None, |auth| {
                    self.request_as(Method::POST, &self.settings.graphql, auth)
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(body.clone())
                })
                .await?;
            let parsed: GraphqlBody = serde_json::from_slice(&reply.body)
                .map_err(|err| ApiError::malformed(&label, err))?;
            let rate_limited = parsed
                .errors
                .iter()
                .any(|e| e.kind.as_deref() == Some("RATE_LIMITED"));
            match parsed.data {
                Some(Value::Object(data)) if !rate_limited => {
                    if let Some(cost) = data
                        .get("rateLimit")
                        .and_then(|r| r.get("cost"))
                        .and_then(Value::as_u64)
                    {
                        self.stats.graphql_cost.fetch_add(cost, Ordering::Relaxed);
                    }
                    return Ok(GraphqlReply {
                        data,
                        errors: parsed.errors,
                    });
                }
                _ if rate_limited && retries < self.settings.retry.max_retries => {
                    let wait = self
                        .reset_wait(&reply.headers)
                        .unwrap_or(Duration::from_secs(60));
                    if !self.pause(wait).await {
                        let limited = format!("{label}: RATE_LIMITED");
                        return Err(self.out_of_time(&label, Some(limited), false));
                    }
                    retries += 1;
                    self.stats.retries.fetch_add(1, Ordering::Relaxed);
                }
                _ => {
                    let messages: Vec<&str> =
                        parsed.errors.iter().map(|e| e.message.as_str()).collect();
                    let message = if messages.is_empty() {
                        "the answer has no data".to_owned()
                    } else {
                        messages.join("; ")
                    };
                    return Err(ApiError::new(label, Failure::GraphQl(message)));
                }
            }
        }
    }

    /// Sends a request built by `build` with the `Authorization` header
    /// `jwt`, or the client's credential when it is `None`. Waits on rate
    /// limits and retries 5xx, timeouts and connection failures a bounded
    /// number of times; an installation token refused with 401 is replaced
    /// once.
    async fn send(
        &self,
        api: Api,
        label: &str,
        jwt: Option<&HeaderValue>,
        build: impl Fn(&HeaderValue) -> RequestBuilder,
    ) -> Result<Reply, ApiError> {
        let retry = &self.settings.retry;
        let mut retries = 0;
        let mut reauthenticated = false;
        // Since when the attempts have gone without any answer.
        let mut unanswered_since: Option<Instant> = None;
        loop {
            self.respect_rate_limit(api, label).await?;
            let remaining = self.remaining();
            if remaining.is_zero() {
                return Err(self.out_of_time(label, None, false));
            }
            let authorization = match jwt {
                Some(jwt) => jwt.clone(),
                None => self.authorization().await?,
            };
            let unanswered = unanswered_since.map_or(Duration::ZERO, |since| since.elapsed());
            let limit = self
                .settings
                .timeout
                .min(remaining)
                .min(retry.max_unanswered.saturating_sub(unanswered));
            let request = build(&authorization).timeout(limit);
            let started = Instant::now();
            let outcome = self.send_once(api, request).await;
            let (wait, failure) = match outcome {
                Ok((status, reply)) => {
                    unanswered_since = None;
                    tracing::debug!(request = label, status = status.as_u16(), "answered");
                    self.note_rate(api, &reply.headers);
                    if let (StatusCode::UNAUTHORIZED, None, Credential::Installation(app), false) =
                        (status, jwt, &self.credential, reauthenticated)
                    {
                        tracing::debug!(request = label, "installation token refused, renewing");
                        app.forget(&authorization).await;
                        reauthenticated = true;
                        self.stats.retries.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                    match self.retry_wait(status, &reply, retries) {
                        None if status.is_success() => return Ok(reply),
                        None => return Err(status_error(label, status, &reply, retries)),
                        Some(wait) => (wait, status_error(label, status, &reply, retries)),
                    }
                }
                Err(err) if err.is_timeout() => {
                    let since = *unanswered_since.get_or_insert(started);
                    (
                        self.backoff(retries),
                        ApiError::new(
                            label,
                            Failure::Timeout {
                                retries,
                                waited: since.elapsed(),
                            },
                        ),
                    )
                }
                Err(err) => {
                    unanswered_since.get_or_insert(started);
                    (
                        self.backoff(retries),
                        ApiError::new(label, Failure::Transport(transport_cause(err))),
                    )
                }
            };
            if retries >= retry.max_retries {
                return Err(failure);
            }
            if let Some(since) = unanswered_since
                && since.elapsed() + wait >= retry.max_unanswered
            {
                return Err(failure);
            }
            tracing::debug!(request = label, ?wait, retries, "waiting to retry");
            if !self.pause(wait).await {
                let unanswered = matches!(
                    failure.failure,
                    Failure::Timeout { .. } | Failure::Transport(_)
                );
                return Err(self.out_of_time(label, Some(failure.retry_cause()), unanswered));
            }
            retries += 1;
            self.stats.retries.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Time left before the collection's deadline.
    fn remaining(&self) -> Duration {
        self.settings
            .deadline
            .saturating_duration_since(Instant::now())
    }

    /// Waits `wait`, cut to the longest single wait, unless it would end at
    /// or past the collection's deadline: then returns `false` at once.
    async fn pause(&self, wait: Duration) -> bool {
        let wait = wait.min(self.settings.retry.max_wait);
        if wait >= self.remaining() {
            return false;
        }
        tokio::time::sleep(wait).await;
        true
    }

    /// The error of a request the time limit stopped; `waiting_on` is the
    /// failure it would have waited to retry, `unanswered` whether that
    /// failure was no answer at all.
    fn out_of_time(&self, label: &str, waiting_on: Option<String>, unanswered: bool) -> ApiError {
        ApiError::new(
            label,
            Failure::OutOfTime {
                limit: self.settings.time_limit,
                waiting_on,
                unanswered,
            },
        )
    }

    /// One attempt, holding a slot of the concurrency bound while in flight.
    async fn send_once(
        &self,
        api: Api,
        request: RequestBuilder,
    ) -> Result<(StatusCode, Reply), reqwest::Error> {
        let _permit = self.settings.limit.acquire().await;
        match api {
            Api::Rest => &self.stats.rest,
            Api::GraphQl => &self.stats.graphql,
        }
        .fetch_add(1, Ordering::Relaxed);
        let response = request.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await?.to_vec();
        Ok((status, Reply { headers, body }))
    }

    /// How long to wait before retrying, or `None` when the answer is final.
    fn retry_wait(&self, status: StatusCode, reply: &Reply, retries: u32) -> Option<Duration> {
        match status.as_u16() {
            403 | 429 => {
                if let Some(seconds) = header_u64(&reply.headers, "retry-after") {
                    return Some(Duration::from_secs(seconds));
                }
                if header_u64(&reply.headers, "x-ratelimit-remaining") == Some(0) {
                    return Some(
                        self.reset_wait(&reply.headers)
                            .unwrap_or(Duration::from_secs(60)),
                    );
                }
                let secondary = String::from_utf8_lossy(&reply.body)
                    .to_ascii_lowercase()
                    .contains("secondary rate limit");
                (status == StatusCode::TOO_MANY_REQUESTS || secondary)
                    .then_some(Duration::from_secs(60))
            }
            500 | 502 | 503 | 504 => Some(self.backoff(retries)),
            _ => None,
        }
    }

    /// Exponential backoff with up to 100% jitter.
    fn backoff(&self, retries: u32) -> Duration {
        let base = self
            .settings
            .retry
            .backoff
            .saturating_mul(1 << retries.min(10));
        let jitter = base.mul_f64(fastrand::f64());
        base.saturating_add(jitter)
    }

    /// Time until `x-ratelimit-reset`.
    fn reset_wait(&self, headers: &HeaderMap) -> Option<Duration> {
        let reset = header_u64(headers, "x-ratelimit-reset")?;
        Some(Duration::from_secs(
            reset.saturating_sub(now_epoch()).max(1),
        ))
    }

    fn note_rate(&self, api: Api, headers: &HeaderMap) {
        let remaining = header_u64(headers, "x-ratelimit-remaining");
        if remaining.is_none() {
            return;
        }
        if let Ok(mut rate) = self.rate.lock() {
            rate[api as usize] = RateState {
                remaining,
                reset_epoch: header_u64(headers, "x-ratelimit-reset"),
            };
        }
    }

    /// Before sending: when the last answer said no request is left, waits
    /// for the reset instead of spending a request on a certain 403.
    async fn respect_rate_limit(&self, api: Api, label: &str) -> Result<(), ApiError> {
        let wait = match self.rate.lock() {
            Ok(mut rate) => {
                let state = &mut rate[api as usize];
                match (state.remaining, state.reset_epoch) {
                    (Some(0), Some(reset)) if reset > now_epoch() => {
                        *state = RateState::default();
                        Some(Duration::from_secs(reset - now_epoch()))
                    }
                    _ => None,
                }
            }
            Err(_) => None,
        };
        if let Some(wait) = wait {
            tracing::info!(?wait, "rate limit exhausted, waiting for the reset");
            if !self.pause(wait).await {
                let exhausted = format!("{label}: the rate limit is exhausted until its reset");
                return Err(self.out_of_time(label, Some(exhausted), false));
            }
        }
        Ok(())
    }
}

fn status_error(label: &str, status: StatusCode, reply: &Reply, retries: u32) -> ApiError {
    #[derive(Deserialize)]
    struct Message {
        message: String,
    }
    let message = serde_json::from_slice::<Message>(&reply.body)
        .ok()
        .map(|m| m.message);
    ApiError::new(
        label,
        Failure::Status {
            status,
            message,
            retries,
        },
    )
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub(crate) fn now_epoch() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The `rel="next"` URL of a `Link` header.
fn next_link(headers: &HeaderMap) -> Option<String> {
    let link = headers.get(header::LINK)?.to_str().ok()?;
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        let is_next = params
            .split(';')
            .any(|p| p.trim().replace(' ', "") == "rel=\"next\"");
        is_next.then(|| {
            url.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned()
        })
    })
}

/// Whether `cause` is rustls refusing the handshake, on its own or inside
/// `io::Error`s (whose `source` skips the error they wrap).
fn is_tls(mut cause: &(dyn std::error::Error + 'static)) -> bool {
    loop {
        if cause.is::<rustls::Error>() {
            return true;
        }
        match cause
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(inner) => cause = inner,
            None => return false,
        }
    }
}

/// A connection failure with its causes, which name what failed (DNS,
/// refused, TLS), without the URL.
fn transport_cause(err: reqwest::Error) -> String {
    let err = err.without_url();
    let mut text = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            if is_tls(cause) {
                text.push_str("TLS handshake failed: ");
            }
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
    fn next_link_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::LINK,
            HeaderValue::from_static(
                "<https://api.github.com/organizations/1/members?page=1>; rel=\"prev\", <https://api.github.com/organizations/1/members?page=3>; rel=\"next\", <https://api.github.com/organizations/1/members?page=5>; rel=\"last\"",
            ),
        );
        assert_eq!(
            next_link(&headers).as_deref(),
            Some("https://api.github.com/organizations/1/members?page=3")
        );
        headers.insert(
            header::LINK,
            HeaderValue::from_static("<https://x/a?page=1>; rel=\"first\""),
        );
        assert_eq!(next_link(&headers), None);
    }
}
