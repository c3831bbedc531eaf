//! GitHub Enterprise Server: REST under `/api/v3`, GraphQL at
//! `/api/graphql`, and absolute `Link` URLs for the next page that must
//! carry the credentials too.

mod common;

use common::{Github, TOKEN, fixture};
use serde_json::json;
use tenet_inventory::{Observed, github::MemberRole};
use wiremock::{
    Mock, ResponseTemplate,
    matchers::{body_string_contains, header, method, path, query_param, query_param_is_missing},
};

/// Every mock answers only requests that carry the token.
fn authorized(mock: wiremock::MockBuilder) -> wiremock::MockBuilder {
    mock.and(header("authorization", format!("Bearer {TOKEN}")))
}

#[tokio::test]
async fn an_enterprise_server_is_read_under_its_api_paths_with_credentials_on_every_page() {
    let github = Github::start().await;
    let api = format!("{}/api/v3", github.server.uri());
    authorized(Mock::given(method("GET")).and(path("/api/v3/orgs/acme")))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture("org-get.json")))
        .mount(&github.server)
        .await;
    let next = format!("<{api}/orgs/acme/members?role=admin&per_page=100&page=2>; rel=\"next\"");
    authorized(
        Mock::given(method("GET"))
            .and(path("/api/v3/orgs/acme/members"))
            .and(query_param("role", "admin"))
            .and(query_param_is_missing("page")),
    )
    .respond_with(
        ResponseTemplate::new(200)
            .insert_header("link", next.as_str())
            .set_body_json(fixture("org-members-admins.json")),
    )
    .mount(&github.server)
    .await;
    authorized(
        Mock::given(method("GET"))
            .and(path("/api/v3/orgs/acme/members"))
            .and(query_param("role", "admin"))
            .and(query_param("page", "2")),
    )
    .respond_with(
        ResponseTemplate::new(200).set_body_json(json!([{"login": "ghes-admin", "id": 7}])),
    )
    .mount(&github.server)
    .await;
    for (key, value, file) in [
        ("role", "member", "org-members-members.json"),
        ("filter", "2fa_disabled", "org-members-2fa-disabled.json"),
    ] {
        authorized(
            Mock::given(method("GET"))
                .and(path("/api/v3/orgs/acme/members"))
                .and(query_param(key, value)),
        )
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture(file)))
        .mount(&github.server)
        .await;
    }
    for (operation, file) in [
        ("Repositories", "graphql-repositories.json"),
        ("RepositoryDetails", "graphql-repository-details.json"),
    ] {
        authorized(
            Mock::given(method("POST"))
                .and(path("/api/graphql"))
                .and(body_string_contains(format!("query {operation}("))),
        )
        .respond_with(ResponseTemplate::new(200).set_body_json(fixture(file)))
        .mount(&github.server)
        .await;
    }
    let mut config = github.config();
    config.api_url = api;
    let (org, _) = github.collect(&config).await;

    let host = github.server.address().to_string();
    assert_eq!(
        org.server,
        Observed::Known(host),
        "the organization is on the server, whose tokens name HOST/_services/token"
    );
    assert_eq!(
        org.settings.two_factor_requirement_enabled,
        Observed::Known(false)
    );
    let owners: Vec<String> = org
        .members
        .known()
        .map(|members| {
            members
                .iter()
                .filter(|m| m.role == MemberRole::Admin)
                .map(|m| m.login.clone())
                .collect()
        })
        .unwrap_or_else(|| panic!("{:?}", org.members.as_result().err()));
    assert_eq!(
        owners,
        ["alice", "ghes-admin"],
        "page 2 was read with the token"
    );
    let repos: Vec<String> = org
        .repositories
        .known()
        .map(|repos| repos.iter().map(|r| r.name.clone()).collect())
        .unwrap_or_default();
    assert_eq!(repos, ["api", "web"], "GraphQL at /api/graphql");
    let outside_api = github
        .server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| !r.url.path().starts_with("/api/"))
        .count();
    assert_eq!(
        outside_api, 0,
        "nothing is sent outside /api/v3 and /api/graphql"
    );
}
