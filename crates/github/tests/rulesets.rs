//! The REST view of organization rulesets (`GET /orgs/{org}/rulesets/{id}`)
//! completes the GraphQL one: exempt bypass actors and actors GraphQL cannot
//! name are added, a hidden or unreadable bypass list is unavailable, and a
//! condition kind only REST knows makes the ruleset's conditions undecided.

mod common;

use common::{Github, fixture, json};
use serde_json::{Value, json};
use wiremock::{
    Mock, ResponseTemplate,
    matchers::{method, path},
};

const ROUTE: &str = "/orgs/acme/rulesets/42";

/// `acme`, its ruleset 42 answered in REST by `rest` (status 200 unless
/// given).
async fn with_rest(github: &Github, rest: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(ROUTE))
        .respond_with(rest)
        .with_priority(1)
        .mount(&github.server)
        .await;
    github.acme().await;
}

/// The organization's only ruleset, as JSON.
async fn ruleset(github: &Github) -> Value {
    let (org, _) = github.collect(&github.config()).await;
    json(&org.rulesets)["known"][0].clone()
}

#[tokio::test]
async fn rest_adds_the_exempt_mode_and_actors_graphql_cannot_name() {
    let github = Github::start().await;
    let mut rest = fixture("org-ruleset-get.json");
    rest["bypass_actors"][1]["bypass_mode"] = json!("exempt");
    rest["bypass_actors"]
        .as_array_mut()
        .expect("actors")
        .push(json!({"actor_id": 9, "actor_type": "User", "bypass_mode": "always"}));
    with_rest(&github, ResponseTemplate::new(200).set_body_json(rest)).await;
    assert_eq!(
        ruleset(&github).await["bypass_actors"],
        json!({"known": [
            {"actor": {"kind": "organization_admin", "name": "organization_admin"}, "actor_id": null, "bypass_mode": "always"},
            {"actor": {"kind": "app", "name": "release-bot"}, "actor_id": 77, "bypass_mode": "exempt"},
            {"actor": {"kind": "user", "name": "#9"}, "actor_id": 9, "bypass_mode": "always"}
        ]})
    );
}

#[tokio::test]
async fn both_views_of_the_same_ruleset_give_the_graphql_inventory() {
    let github = Github::start().await;
    with_rest(
        &github,
        ResponseTemplate::new(200).set_body_json(fixture("org-ruleset-get.json")),
    )
    .await;
    let expected = fixture("expected/acme.json")["rulesets"]["known"][0].clone();
    assert_eq!(ruleset(&github).await, expected);
}

#[tokio::test]
async fn bypass_actors_left_out_of_the_rest_answer_are_unavailable() {
    let github = Github::start().await;
    let mut rest = fixture("org-ruleset-get.json");
    rest.as_object_mut()
        .expect("object")
        .remove("bypass_actors");
    with_rest(&github, ResponseTemplate::new(200).set_body_json(rest)).await;
    assert_eq!(
        ruleset(&github).await["bypass_actors"],
        json!({"unavailable": {"reason": "GET /orgs/acme/rulesets/42 did not include bypass_actors: GitHub shows them only to credentials with write access to the ruleset; needs admin:org as an organization owner (classic token), organization Administration: write (fine-grained token or GitHub App)"}})
    );
}

#[tokio::test]
async fn a_refused_rest_view_makes_the_bypass_actors_unavailable() {
    let github = Github::start().await;
    with_rest(
        &github,
        ResponseTemplate::new(403).set_body_json(fixture("error-403-must-be-owner.json")),
    )
    .await;
    let reason = ruleset(&github).await["bypass_actors"]["unavailable"]["reason"].clone();
    assert_eq!(
        reason,
        json!(
            "GET /orgs/acme/rulesets/42: 403 Forbidden (Must have admin rights to Repository.): the token lacks admin:org as an organization owner (classic token), organization Administration: write (fine-grained token or GitHub App); without it, exempt bypass actors (which GraphQL does not show) cannot be ruled out"
        )
    );
}

#[tokio::test]
async fn a_condition_kind_only_rest_knows_is_recorded() {
    let github = Github::start().await;
    let mut rest = fixture("org-ruleset-get.json");
    rest["conditions"]["organization_name"] = json!({"include": ["acme"], "exclude": []});
    with_rest(&github, ResponseTemplate::new(200).set_body_json(rest)).await;
    assert_eq!(
        ruleset(&github).await["conditions"]["known"]["other"],
        json!(["organization_name"])
    );
}

#[tokio::test]
async fn hidden_bypass_actors_are_not_asked_of_rest() {
    let github = Github::start().await;
    let mut graphql = fixture("graphql-org-rulesets.json");
    graphql["data"]["organization"]["viewerCanAdminister"] = json!(false);
    graphql["data"]["organization"]["rulesets"]["nodes"][0]["bypassActors"]["nodes"] = json!([]);
    github.graphql_first("OrganizationRulesets", graphql).await;
    github.acme().await;
    let found = ruleset(&github).await;
    assert!(
        found["bypass_actors"]["unavailable"]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("cannot administer acme")),
        "{found}"
    );
    assert_eq!(github.hits(ROUTE).await, 0);
}
