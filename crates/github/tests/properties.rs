//! Custom property values, read from `GET /orgs/{org}/properties/values`
//! when an organization ruleset targets repositories by property: read to
//! the end of its pages, and a value, repository or page GitHub did not give
//! is unavailable for the repositories it concerns, never an empty list.

mod common;

use common::{Github, fixture, json};
use serde_json::{Value, json};
use wiremock::ResponseTemplate;

const ROUTE: &str = "/orgs/acme/properties/values";

/// `acme`, with the organization rulesets of
/// `graphql-org-rulesets-conditions.json` (one targets by property).
async fn with_property_rulesets(github: &Github) {
    github
        .graphql_first(
            "OrganizationRulesets",
            fixture("graphql-org-rulesets-conditions.json"),
        )
        .await;
    github.acme().await;
}

/// The listing in two pages: `first` on page 1, `second` on page 2.
async fn two_pages(github: &Github, first: Value, second: ResponseTemplate) {
    github.two_pages(ROUTE, ("page", "2"), first, second).await;
}

/// `(name, custom_properties)` of every collected repository.
async fn properties(github: &Github) -> Vec<(String, Value)> {
    let (org, _) = github.collect(&github.config()).await;
    org.repositories
        .known()
        .map(|repos| {
            repos
                .iter()
                .map(|r| (r.name.clone(), json(&r.custom_properties)))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn values_are_read_across_pages_and_a_malformed_one_is_unavailable() {
    let github = Github::start().await;
    let listing = fixture("org-properties-values.json");
    let mut web = listing[1].clone();
    web["properties"][1]["value"] = json!(3);
    two_pages(
        &github,
        json!([listing[0]]),
        ResponseTemplate::new(200).set_body_json(json!([web])),
    )
    .await;
    with_property_rulesets(&github).await;
    assert_eq!(
        properties(&github).await,
        [
            (
                "api".to_owned(),
                json!({"known": [
                    {"property_name": "environment", "value": "production"},
                    {"property_name": "team", "value": "platform"}
                ]})
            ),
            (
                "web".to_owned(),
                json!({"unavailable": {"reason":
                    "GET /orgs/acme/properties/values: the value of `team` for web is neither text, a list nor null"}})
            ),
        ]
    );
    assert_eq!(github.hits(ROUTE).await, 2);
}

#[tokio::test]
async fn a_repository_the_listing_leaves_out_is_unavailable() {
    let github = Github::start().await;
    let listing = fixture("org-properties-values.json");
    github.get(ROUTE, 200, json!([listing[0]])).await;
    with_property_rulesets(&github).await;
    let found = properties(&github).await;
    assert_eq!(
        found[1],
        (
            "web".to_owned(),
            json!({"unavailable": {"reason": "GET /orgs/acme/properties/values did not list web"}})
        )
    );
}

#[tokio::test]
async fn a_page_that_fails_makes_every_repository_unavailable() {
    let github = Github::start().await;
    let listing = fixture("org-properties-values.json");
    two_pages(&github, json!([listing[0]]), ResponseTemplate::new(502)).await;
    with_property_rulesets(&github).await;
    let reason = json!({"unavailable": {"reason":
        "GET /orgs/acme/properties/values (page 2): 502 Bad Gateway, after 3 retries"}});
    assert_eq!(
        properties(&github).await,
        [
            ("api".to_owned(), reason.clone()),
            ("web".to_owned(), reason)
        ]
    );
}

#[tokio::test]
async fn without_a_property_ruleset_the_listing_is_not_requested() {
    let github = Github::start().await;
    github.acme().await;
    let found = properties(&github).await;
    assert_eq!(
        found[0].1,
        json!({"unavailable": {"reason":
            "not collected: no organization ruleset targets repositories by custom property"}})
    );
    assert_eq!(github.hits(ROUTE).await, 0);
}
