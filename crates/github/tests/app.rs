//! GitHub App authentication: JWT, installation lookup, installation token.

mod common;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use common::{Github, fixture};
use rustls_pki_types::pem::PemObject;
use serde_json::json;
use tenet_github::{AppAuth, Auth, Secret};
use tenet_inventory::collector::GithubCredential;
use wiremock::{
    Mock, ResponseTemplate,
    matchers::{header, method, path},
};

fn key() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/github/test-app-key.pem"
    );
    std::fs::read_to_string(path).expect("test key")
}

#[tokio::test]
async fn an_app_looks_up_its_installation_and_uses_the_installation_token() {
    let github = Github::start().await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme/installation"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 77, "app_id": 1234})))
        .mount(&github.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/app/installations/77/access_tokens"))
        // GitHub's documented answer names what the token may do.
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "token": "ghs_installation_token",
            "expires_at": "2026-07-01T01:00:00Z",
            "permissions": {"members": "read", "administration": "read"},
            "repository_selection": "selected"
        })))
        .mount(&github.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme"))
        .and(header("authorization", "Bearer ghs_installation_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("org-get.json")))
        .mount(&github.server)
        .await;
    let mut config = github.config();
    config.auth = Auth::App(AppAuth {
        app_id: 1234,
        private_key: Secret::new(key()),
        installation_id: None,
    });
    let (org, _) = github.collect(&config).await;
    assert_eq!(
        org.settings.two_factor_requirement_enabled,
        tenet_inventory::Observed::Known(false)
    );
    // Who read: the App and its installation, with what GitHub granted;
    // no `GET /user`, which an installation may not ask.
    let reader = org.read_by.expect("the reader is recorded");
    assert_eq!(reader.credential, GithubCredential::App);
    assert_eq!(
        (reader.app_id, reader.installation_id),
        (Some(1234), Some(77))
    );
    assert_eq!(
        reader.permissions,
        [("administration", "read"), ("members", "read")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into()
    );
    assert_eq!(reader.repository_selection.as_deref(), Some("selected"));
    assert_eq!((reader.user, reader.scopes), (None, None));
    assert_eq!(github.hits("/user").await, 0);
    let requests = github.server.received_requests().await.unwrap_or_default();
    let lookup = requests
        .iter()
        .find(|r| r.url.path() == "/orgs/acme/installation")
        .expect("installation looked up");
    let jwt = lookup
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
        .to_owned();
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    let decode = |part: &str| -> serde_json::Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("json")
    };
    assert_eq!(decode(parts[0]), json!({"alg": "RS256", "typ": "JWT"}));
    let pem = key();
    let der = rustls_pki_types::PrivateKeyDer::from_pem_slice(pem.as_bytes()).expect("PEM");
    let rustls_pki_types::PrivateKeyDer::Pkcs1(der) = der else {
        panic!("the test key is PKCS#1");
    };
    let pair = ring::signature::RsaKeyPair::from_der(der.secret_pkcs1_der()).expect("RSA key");
    let public = ring::signature::UnparsedPublicKey::new(
        &ring::signature::RSA_PKCS1_2048_8192_SHA256,
        pair.public().as_ref().to_vec(),
    );
    let signature = URL_SAFE_NO_PAD.decode(parts[2]).expect("base64url");
    let signed = format!("{}.{}", parts[0], parts[1]);
    assert!(
        public.verify(signed.as_bytes(), &signature).is_ok(),
        "the JWT is signed with the App's key"
    );
    let claims = decode(parts[1]);
    assert_eq!(claims["iss"], "1234");
    assert_eq!(
        claims["exp"].as_u64().unwrap_or(0) - claims["iat"].as_u64().unwrap_or(0),
        600
    );
}

#[tokio::test]
async fn an_app_not_installed_stops_the_collection() {
    let github = Github::start().await;
    Mock::given(method("POST"))
        .and(path("/app/installations/9/access_tokens"))
        .respond_with(ResponseTemplate::new(404).set_body_json(fixture("error-404.json")))
        .mount(&github.server)
        .await;
    let mut config = github.config();
    config.auth = Auth::App(AppAuth {
        app_id: 1234,
        private_key: Secret::new(key()),
        installation_id: Some(9),
    });
    let expected = "GitHub refused the credentials for organization `acme`: GitHub App authentication failed: POST /app/installations/9/access_tokens: 404 Not Found (Not Found): it does not exist, or the token may not see it; needs the permission to read it (is the App installed on acme?); check the token (--github-token or GITHUB_TOKEN: not expired or revoked, and allowed in the organization) or the GitHub App";
    assert_eq!(github.collect_err(&config).await, expected);
}

#[test]
fn an_invalid_private_key_is_a_configuration_error() {
    let mut config = tenet_github::GithubConfig::new(
        Auth::App(AppAuth {
            app_id: 1,
            private_key: Secret::new("not a key"),
            installation_id: None,
        }),
        vec!["acme".into()],
    );
    config.concurrency = 1;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let result = runtime.block_on(tenet_github::collect(&config, &tenet_github::NoProgress));
    assert_eq!(
        result.err().map(|e| e.to_string()),
        Some("invalid GitHub App private key: not an RSA private key in PEM form (`BEGIN RSA PRIVATE KEY` or `BEGIN PRIVATE KEY`)".to_owned())
    );
}

/// Mounts the installation token exchange for installation 77: `first`
/// answers the first exchange, then `then` every later one.
async fn mount_exchanges(github: &Github, first: serde_json::Value, then: serde_json::Value) {
    Mock::given(method("POST"))
        .and(path("/app/installations/77/access_tokens"))
        .respond_with(ResponseTemplate::new(201).set_body_json(first))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&github.server)
        .await;
    Mock::given(method("POST"))
        .and(path("/app/installations/77/access_tokens"))
        .respond_with(ResponseTemplate::new(201).set_body_json(then))
        .mount(&github.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme"))
        .and(header("authorization", "Bearer ghs_second"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("org-get.json")))
        .mount(&github.server)
        .await;
}

fn app_config(github: &Github) -> tenet_github::GithubConfig {
    let mut config = github.config();
    config.auth = Auth::App(AppAuth {
        app_id: 1234,
        private_key: Secret::new(key()),
        installation_id: Some(77),
    });
    config
}

/// Requests sent with `token`, and token exchanges.
async fn count(github: &Github, token: &str) -> (usize, usize) {
    let requests = github.server.received_requests().await.unwrap_or_default();
    let with_token = requests
        .iter()
        .filter(|r| {
            r.headers
                .get("authorization")
                .is_some_and(|v| v.as_bytes() == format!("Bearer {token}").as_bytes())
        })
        .count();
    let exchanges = requests
        .iter()
        .filter(|r| r.url.path().ends_with("/access_tokens"))
        .count();
    (with_token, exchanges)
}

#[tokio::test]
async fn an_installation_token_about_to_expire_is_renewed_before_use() {
    let github = Github::start().await;
    let in_minutes = |m: i64| (chrono::Utc::now() + chrono::TimeDelta::minutes(m)).to_rfc3339();
    mount_exchanges(
        &github,
        json!({"token": "ghs_first", "expires_at": in_minutes(2)}),
        json!({"token": "ghs_second", "expires_at": in_minutes(60)}),
    )
    .await;
    let (org, _) = github.collect(&app_config(&github)).await;
    assert_eq!(
        org.settings.two_factor_requirement_enabled,
        tenet_inventory::Observed::Known(false)
    );
    assert_eq!(
        count(&github, "ghs_first").await,
        (0, 2),
        "a token with 2 minutes left is never sent; one more exchange replaces it"
    );
}

#[tokio::test]
async fn a_refused_installation_token_is_replaced_once() {
    let github = Github::start().await;
    Mock::given(wiremock::matchers::any())
        .and(header("authorization", "Bearer ghs_revoked"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"message": "Bad credentials", "status": "401"})),
        )
        .with_priority(1)
        .mount(&github.server)
        .await;
    mount_exchanges(
        &github,
        json!({"token": "ghs_revoked", "expires_at": "2999-01-01T00:00:00Z"}),
        json!({"token": "ghs_second", "expires_at": "2999-01-01T00:00:00Z"}),
    )
    .await;
    let (org, _) = github.collect(&app_config(&github)).await;
    assert_eq!(
        org.settings.two_factor_requirement_enabled,
        tenet_inventory::Observed::Known(false)
    );
    let (revoked, exchanges) = count(&github, "ghs_revoked").await;
    assert!(revoked >= 1, "the revoked token was tried");
    assert_eq!(exchanges, 2, "concurrent refusals share one new token");
}
