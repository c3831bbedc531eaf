//! Connections that fail and credentials AWS refuses, from the command
//! line: one message naming the endpoint and the cause, exit 2, no report.

use std::{
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    time::Duration,
};

use wiremock::{Mock, MockServer, ResponseTemplate, matchers::body_string_contains};

use crate::{
    aws::seed::{ACCESS_KEY_ID, SECRET_ACCESS_KEY},
    github::{TOKEN, tenet_with_token},
    run, tenet_in,
};

/// A loopback port that accepts connections and reads requests but never
/// answers, as a hung endpoint does.
fn silent_endpoint() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let address = listener.local_addr().expect("an address");
    std::thread::spawn(move || {
        let mut held: Vec<TcpStream> = Vec::new();
        for stream in listener.incoming().take(32) {
            let Ok(mut stream) = stream else { continue };
            let mut buffer = [0; 4096];
            let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
            let _ = stream.read(&mut buffer);
            held.push(stream);
        }
    });
    format!("http://{address}")
}

/// An `https` URL of a loopback port that answers in plain HTTP, as a
/// misconfigured proxy does: the TLS handshake fails.
fn plain_http_endpoint() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let address = listener.local_addr().expect("an address");
    std::thread::spawn(move || {
        for stream in listener.incoming().take(32) {
            let Ok(mut stream) = stream else { continue };
            let mut buffer = [0; 4096];
            let _ = stream.read(&mut buffer);
            let _ = stream.write_all(
                b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            );
        }
    });
    format!("https://{address}")
}

/// A loopback URL where nothing listens: connections are refused.
fn refusing_endpoint() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let address = listener.local_addr().expect("an address");
    drop(listener);
    format!("http://{address}")
}

/// `tenet scan` of organization `acme` at the GitHub API `endpoint`, with
/// a token and `--request-timeout SECONDS`.
fn scan_github(endpoint: &str, seconds: &str) -> crate::Run {
    scan_github_with(endpoint, &["--request-timeout", seconds])
}

/// `tenet scan` of organization `acme` at the GitHub API `endpoint`, with
/// a token and the `extra` arguments.
fn scan_github_with(endpoint: &str, extra: &[&str]) -> crate::Run {
    let dir = tempfile::tempdir().expect("temp dir");
    run(tenet_with_token(dir.path())
        .args(["scan", "--github-org", "acme", "--github-api-url", endpoint])
        .args(extra))
}

/// `tenet scan --aws` against `endpoint` with fixed test keys.
fn scan_aws(endpoint: &str, extra: &[&str]) -> crate::Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cmd = tenet_in(dir.path());
    cmd.args(["scan", "--aws", "--aws-endpoint-url", endpoint])
        .args(extra)
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", dir.path().join("config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.path().join("credentials"),
        )
        .env("AWS_EC2_METADATA_DISABLED", "true");
    run(&mut cmd)
}

/// Exit 2, nothing on stdout, one line on stderr that starts with `start`
/// and names no credential.
fn assert_one_error(out: &crate::Run, start: &str) {
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.starts_with(start), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    for secret in [TOKEN, ACCESS_KEY_ID, SECRET_ACCESS_KEY] {
        assert!(!out.stderr.contains(secret), "{}", out.stderr);
    }
    for dump in ["DispatchFailure", "ConnectorError", "Some(", "{ "] {
        assert!(!out.stderr.contains(dump), "{}", out.stderr);
    }
}

#[test]
fn a_github_endpoint_that_never_answers_is_given_up_after_twice_the_request_timeout() {
    let endpoint = silent_endpoint();
    let out = scan_github(&endpoint, "1");
    assert_one_error(
        &out,
        &format!(
            "error: cannot collect GitHub: cannot reach GitHub at {endpoint}: GET /orgs/acme: no answer in "
        ),
    );
}

#[test]
fn a_github_endpoint_that_refuses_connections_or_does_not_resolve_names_the_cause() {
    let endpoint = refusing_endpoint();
    let out = scan_github(&endpoint, "1");
    assert_one_error(
        &out,
        &format!(
            "error: cannot collect GitHub: cannot reach GitHub at {endpoint}: GET /orgs/acme: connection failed: "
        ),
    );
    assert!(out.stderr.contains("Connection refused"), "{}", out.stderr);

    // `.invalid` never resolves (RFC 6761).
    let endpoint = "http://api.tenet-test.invalid";
    let out = scan_github(endpoint, "2");
    assert_one_error(
        &out,
        &format!(
            "error: cannot collect GitHub: cannot reach GitHub at {endpoint}: GET /orgs/acme: connection failed: "
        ),
    );
    assert!(out.stderr.contains("dns error"), "{}", out.stderr);
}

#[test]
fn an_aws_endpoint_that_never_answers_is_given_up_after_twice_the_request_timeout() {
    let endpoint = silent_endpoint();
    let out = scan_aws(&endpoint, &["--request-timeout", "1"]);
    assert_one_error(
        &out,
        &format!(
            "error: cannot reach AWS at {endpoint}: sts:GetCallerIdentity got no answer in 2 s (1 s to connect, 1 s per attempt)"
        ),
    );
}

#[test]
fn an_endpoint_that_never_answers_stops_the_run_at_the_collection_time_limit_too() {
    // --timeout 1 ends the waiting long before twice the request timeout
    // (60 s): still one message and exit 2, never a report of errors.
    let endpoint = silent_endpoint();
    let out = scan_github_with(&endpoint, &["--timeout", "1"]);
    assert_one_error(
        &out,
        &format!(
            "error: cannot collect GitHub: cannot reach GitHub at {endpoint}: GET /orgs/acme: no answer in "
        ),
    );
    assert!(out.stderr.contains("(--timeout)"), "{}", out.stderr);

    let out = scan_aws(&endpoint, &["--timeout", "1"]);
    assert_one_error(
        &out,
        &format!(
            "error: cannot reach AWS at {endpoint}: sts:GetCallerIdentity got no answer in 1 s"
        ),
    );
}

#[test]
fn an_aws_endpoint_that_refuses_connections_or_does_not_resolve_names_the_cause() {
    let endpoint = refusing_endpoint();
    let out = scan_aws(&endpoint, &["--request-timeout", "1"]);
    assert_one_error(
        &out,
        &format!(
            "error: cannot reach AWS at {endpoint}: sts:GetCallerIdentity could not be sent: "
        ),
    );
    assert!(out.stderr.contains("Connection refused"), "{}", out.stderr);

    // `.invalid` never resolves (RFC 6761).
    let endpoint = "http://sts.tenet-test.invalid";
    let out = scan_aws(endpoint, &["--request-timeout", "2"]);
    assert_one_error(
        &out,
        &format!(
            "error: cannot reach AWS at {endpoint}: sts:GetCallerIdentity could not be sent: "
        ),
    );
    assert!(out.stderr.contains("dns error"), "{}", out.stderr);
}

/// An STS error answer, as AWS's query protocol words it.
fn sts_error(code: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(403).set_body_raw(
        format!(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>4b5c3c2a-0000-4000-8000-000000000000</RequestId></ErrorResponse>"
        ),
        "text/xml",
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_aws_refuses_are_one_clear_error_naming_what_to_check() {
    for (code, message, expected) in [
        (
            "ExpiredToken",
            "The security token included in the request is expired",
            "error: the AWS credentials do not work: sts:GetCallerIdentity failed: ExpiredToken: The security token included in the request is expired; the session has expired: renew it (aws sso login, or new temporary credentials)\n",
        ),
        (
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
            "error: the AWS credentials do not work: sts:GetCallerIdentity failed: InvalidClientTokenId: The security token included in the request is invalid.; AWS does not know this access key: it was deleted or deactivated, or belongs to another partition\n",
        ),
        (
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
            "error: the AWS credentials do not work: sts:GetCallerIdentity failed: SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.; the secret access key does not belong to this access key id\n",
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(body_string_contains("Action=GetCallerIdentity"))
            .respond_with(sts_error(code, message))
            .expect(1)
            .mount(&server)
            .await;
        let out = scan_aws(&server.uri(), &[]);
        assert_one_error(&out, "error: the AWS credentials do not work: ");
        assert_eq!(out.stderr, expected);
    }
}

#[test]
fn a_failed_tls_handshake_is_named_as_such() {
    let endpoint = plain_http_endpoint();
    let out = scan_github(&endpoint, "1");
    assert_one_error(
        &out,
        &format!(
            "error: cannot collect GitHub: cannot reach GitHub at {endpoint}: GET /orgs/acme: connection failed: "
        ),
    );
    assert!(
        out.stderr.contains("TLS handshake failed: "),
        "{}",
        out.stderr
    );

    let out = scan_aws(&endpoint, &["--request-timeout", "1"]);
    assert_one_error(
        &out,
        &format!(
            "error: cannot reach AWS at {endpoint}: sts:GetCallerIdentity could not be sent: "
        ),
    );
    assert!(
        out.stderr.contains("TLS handshake failed: "),
        "{}",
        out.stderr
    );
}
