//! A small HTTP proxy in front of moto server that rewrites one kind of
//! answer: the AWS answers of a clean scan, each with one element taken out,
//! as a response that lost part of its content would look.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
};

use http_body_util::{BodyExt, Full};
use hyper::{Request, Response, StatusCode, body::Bytes, server::conn::http1, service::service_fn};
use hyper_util::rt::TokioIo;

/// What to take out of which answer.
#[derive(Clone, Copy, Debug)]
pub struct Mutation {
    /// The operation whose answers are rewritten, as [`operation`] names it
    /// (`GetAccountAuthorizationDetails`, `ListBuckets`, …).
    pub operation: &'static str,
    /// How the answer is rewritten.
    pub edit: Edit,
}

/// One rewrite of an answer's body.
#[derive(Clone, Copy, Debug)]
pub enum Edit {
    /// Every XML element of this name, with its content.
    XmlElement(&'static str),
    /// A key of the top-level JSON object.
    JsonKey(&'static str),
    /// The whole body.
    Body,
}

/// A running proxy; it stops when dropped.
pub struct Proxy {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    rewritten: Arc<AtomicUsize>,
    _runtime: tokio::runtime::Runtime,
}

impl Proxy {
    /// Starts a proxy to `upstream` that applies `mutation` (none: a clean
    /// pass-through).
    pub fn start(upstream: &str, mutation: Option<Mutation>) -> Proxy {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind(SocketAddr::from((
                [127, 0, 0, 1],
                0,
            ))))
            .expect("a local port");
        let url = format!("http://{}", listener.local_addr().expect("bound"));
        let rewritten = Arc::new(AtomicUsize::new(0));
        let shared = Arc::new(Shared {
            upstream: upstream.trim_end_matches('/').to_owned(),
            mutation,
            rewritten: rewritten.clone(),
            client: reqwest::Client::new(),
        });
        runtime.spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let shared = shared.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| forward(shared.clone(), request));
                    // A connection the client dropped is no failure here.
                    let _closed = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Proxy {
            url,
            rewritten,
            _runtime: runtime,
        }
    }

    /// How many answers were rewritten.
    pub fn rewritten(&self) -> usize {
        self.rewritten.load(Ordering::SeqCst)
    }
}

struct Shared {
    upstream: String,
    mutation: Option<Mutation>,
    rewritten: Arc<AtomicUsize>,
    client: reqwest::Client,
}

async fn forward(
    shared: Arc<Shared>,
    request: Request<hyper::body::Incoming>,
) -> Result<Response<Full<Bytes>>, std::convert::Infallible> {
    let (parts, body) = request.into_parts();
    let body = match body.collect().await {
        Ok(body) => body.to_bytes(),
        Err(err) => return Ok(failure(&format!("request body: {err}"))),
    };
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|value| value.to_str().ok());
    let query = parts.uri.query().unwrap_or_default();
    let operation = operation(
        parts.method.as_str(),
        parts.uri.path(),
        query,
        target,
        &body,
    );
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut upstream = shared
        .client
        .request(parts.method.clone(), format!("{}{path}", shared.upstream))
        .body(body);
    for (name, value) in &parts.headers {
        if name != "host" && name != "content-length" {
            upstream = upstream.header(name, value);
        }
    }
    let answer = match upstream.send().await {
        Ok(answer) => answer,
        Err(err) => return Ok(failure(&format!("upstream: {err}"))),
    };
    let status = answer.status();
    let headers = answer.headers().clone();
    let mut body = match answer.bytes().await {
        Ok(body) => body.to_vec(),
        Err(err) => return Ok(failure(&format!("upstream body: {err}"))),
    };
    if let Some(mutation) = shared.mutation
        && status.is_success()
        && operation.as_deref() == Some(mutation.operation)
        && let Some(edited) = apply(mutation.edit, &body)
    {
        body = edited;
        shared.rewritten.fetch_add(1, Ordering::SeqCst);
    }
    let mut response = Response::builder().status(status.as_u16());
    for (name, value) in &headers {
        if name != "content-length" && name != "transfer-encoding" && name != "connection" {
            response = response.header(name, value);
        }
    }
    Ok(response
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_else(|_| failure("response could not be built")))
}

fn failure(message: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(message.to_owned())));
    *response.status_mut() = StatusCode::BAD_GATEWAY;
    response
}

/// The AWS operation a request calls: the `X-Amz-Target` of the JSON
/// protocols, the `Action` of the query protocol, or the S3 subresource.
pub fn operation(
    method: &str,
    path: &str,
    query: &str,
    target: Option<&str>,
    body: &[u8],
) -> Option<String> {
    if let Some(target) = target {
        return target.rsplit('.').next().map(str::to_owned);
    }
    let form = String::from_utf8_lossy(body);
    if let Some(action) = form
        .split('&')
        .find_map(|pair| pair.strip_prefix("Action="))
    {
        return Some(action.to_owned());
    }
    if method == "GET" && path == "/" {
        return Some("ListBuckets".to_owned());
    }
    if path.ends_with("/configuration/publicAccessBlock") {
        return Some("GetAccountPublicAccessBlock".to_owned());
    }
    // GuardDuty's REST paths.
    if method == "GET" && path == "/detector" {
        return Some("ListDetectors".to_owned());
    }
    if method == "GET" && path.starts_with("/detector/") && path.matches('/').count() == 2 {
        return Some("GetDetector".to_owned());
    }
    // CloudFront's REST path.
    if method == "GET" && path.ends_with("/distribution") {
        return Some("ListDistributions".to_owned());
    }
    // Security Hub's REST path.
    if method == "GET" && path == "/accounts" {
        return Some("DescribeHub".to_owned());
    }
    let keys: Vec<&str> = query
        .split('&')
        .map(|pair| pair.split('=').next().unwrap_or_default())
        .collect();
    [
        ("policy", "GetBucketPolicy"),
        ("publicAccessBlock", "GetPublicAccessBlock"),
        ("encryption", "GetBucketEncryption"),
        ("lifecycle", "GetBucketLifecycleConfiguration"),
        ("location", "GetBucketLocation"),
    ]
    .into_iter()
    .find(|(key, _)| keys.contains(key))
    .map(|(_, operation)| operation.to_owned())
}

/// The body with the edit applied, or `None` when there was nothing to take
/// out.
fn apply(edit: Edit, body: &[u8]) -> Option<Vec<u8>> {
    match edit {
        Edit::Body => (!body.is_empty()).then(Vec::new),
        Edit::JsonKey(key) => {
            let mut value: serde_json::Value = serde_json::from_slice(body).ok()?;
            value.as_object_mut()?.remove(key)?;
            serde_json::to_vec(&value).ok()
        }
        Edit::XmlElement(name) => {
            let text = String::from_utf8_lossy(body);
            let edited = without_element(&text, name);
            (edited != text).then(|| edited.into_bytes())
        }
    }
}

/// `xml` without any element `name` (empty or with content, nested
/// elements of the same name included).
pub fn without_element(xml: &str, name: &str) -> String {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(start) = find_tag(rest, &open) {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            return out + after;
        };
        if after[..tag_end].ends_with('/') {
            rest = &after[tag_end + 1..];
            continue;
        }
        let mut depth = 1;
        let mut at = tag_end + 1;
        while depth > 0 {
            let next_open = find_tag(&after[at..], &open).map(|i| i + at);
            let Some(next_close) = after[at..].find(&close).map(|i| i + at) else {
                return out;
            };
            match next_open {
                Some(open_at) if open_at < next_close => {
                    let self_closing = after[open_at..]
                        .find('>')
                        .is_some_and(|end| after[open_at..open_at + end].ends_with('/'));
                    if !self_closing {
                        depth += 1;
                    }
                    at = open_at + open.len();
                }
                _ => {
                    depth -= 1;
                    at = next_close + close.len();
                }
            }
        }
        rest = &after[at..];
    }
    out.push_str(rest);
    out
}

/// The start of the next tag `open` (`<Name`), not of a longer name.
fn find_tag(text: &str, open: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find(open) {
        let at = from + found;
        match text[at + open.len()..].chars().next() {
            Some('>' | '/' | ' ') => return Some(at),
            _ => from = at + open.len(),
        }
    }
    None
}

#[test]
fn elements_are_taken_out_with_their_content() {
    let cases = [
        ("<A><B>1</B><C/></A>", "B", "<A><C/></A>"),
        ("<A><B/><Bb>2</Bb></A>", "B", "<A><Bb>2</Bb></A>"),
        ("<A><B><B>x</B></B>y</A>", "B", "<A>y</A>"),
        ("<A><B x=\"1\">t</B><B>u</B></A>", "B", "<A></A>"),
        ("<A></A>", "B", "<A></A>"),
    ];
    for (xml, name, expected) in cases {
        assert_eq!(without_element(xml, name), expected, "{xml} without {name}");
    }
}

#[test]
fn operations_are_named_as_aws_names_them() {
    let cases = [
        (
            "POST",
            "/",
            "",
            None,
            "Action=ListUsers&Version=1",
            "ListUsers",
        ),
        (
            "POST",
            "/",
            "",
            Some("CloudTrail_20131101.DescribeTrails"),
            "{}",
            "DescribeTrails",
        ),
        ("GET", "/", "", None, "", "ListBuckets"),
        ("GET", "/b", "policy", None, "", "GetBucketPolicy"),
        (
            "GET",
            "/b",
            "lifecycle&x-id=Get",
            None,
            "",
            "GetBucketLifecycleConfiguration",
        ),
    ];
    for (method, path, query, target, body, expected) in cases {
        assert_eq!(
            operation(method, path, query, target, body.as_bytes()).as_deref(),
            Some(expected)
        );
    }
}
