//! Who read: the token's kind, its user and scopes, recorded for the
//! auditor and never a reason to stop the collection.

mod common;

use common::{Github, fixture};
use tenet_github::{Auth, Secret};
use tenet_inventory::{Observed, collector::GithubCredential};
use wiremock::{
    Mock, ResponseTemplate,
    matchers::{method, path},
};

#[tokio::test]
async fn a_classic_token_is_named_with_its_user_and_scopes() {
    let github = Github::start().await;
    github.acme().await;
    let (org, _) = github.collect(&github.config()).await;
    let reader = org.read_by.expect("the reader is recorded");
    assert_eq!(reader.credential, GithubCredential::ClassicToken);
    assert_eq!(reader.user, Some(Observed::Known("tenet-auditor".into())));
    assert_eq!(
        reader.scopes,
        Some(vec!["admin:org".to_owned(), "repo".to_owned()])
    );
    assert_eq!(github.hits("/user").await, 1);
}

#[tokio::test]
async fn a_user_not_read_is_unavailable_with_the_status_and_the_rest_is_collected() {
    let github = Github::start().await;
    Mock::given(method("GET"))
        .and(path("/user"))
        .respond_with(
            ResponseTemplate::new(403).set_body_json(fixture("error-403-missing-scope.json")),
        )
        .with_priority(1)
        .mount(&github.server)
        .await;
    github.acme().await;
    let mut config = github.config();
    config.auth = Auth::Token(Secret::new("github_pat_11ABCDEFG0123456789_abcdefghij"));
    let (org, _) = github.collect(&config).await;
    let reader = org.read_by.expect("the reader is recorded");
    assert_eq!(reader.credential, GithubCredential::FineGrainedToken);
    let reason = reader
        .user
        .as_ref()
        .and_then(|user| user.as_result().err())
        .expect("the user is unavailable");
    assert!(reason.starts_with("GET /user: 403 Forbidden"), "{reason}");
    assert_eq!(reader.scopes, None);
    assert!(org.members.known().is_some(), "the rest is read");
}

#[tokio::test]
async fn an_installation_token_is_not_asked_for_a_user() {
    let github = Github::start().await;
    github.acme().await;
    let mut config = github.config();
    config.auth = Auth::Token(Secret::new("ghs_0123456789abcdefghijklmnopqrstuvwxyz"));
    let (org, _) = github.collect(&config).await;
    let reader = org.read_by.expect("the reader is recorded");
    assert_eq!(reader.credential, GithubCredential::InstallationToken);
    assert_eq!(reader.user, None);
    assert_eq!(github.hits("/user").await, 0);
}
