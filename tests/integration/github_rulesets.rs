//! `tenet scan` of an organization whose rulesets target repositories by
//! custom property and by id: each ruleset is credited only to the
//! repositories GitHub applies it to, and what tenet could not read (the
//! property values, bypass actors hidden from the credential) turns the
//! findings it decides into errors, never passes.

use serde_json::{Value, json};
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{body_string_contains, method, path},
};

use crate::{
    github::{
        TOKEN, collect_with_policy, evaluate_collected, finding_lines, mock_github, payload,
        tenet_with_token,
    },
    root, run,
};

/// The branch controls a ruleset decides.
const CONTROLS: [&str; 4] = [
    "github.branch.required-approvals",
    "github.branch.dismiss-stale-reviews",
    "github.branch.no-force-push",
    "github.branch.no-bypass",
];

/// The mock organization, its rulesets replaced by `rulesets` and its
/// property listing answered by `properties`.
async fn organization(rulesets: Value, properties: ResponseTemplate) -> MockServer {
    let server = mock_github().await;
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .and(body_string_contains("query OrganizationRulesets("))
        .respond_with(ResponseTemplate::new(200).set_body_json(rulesets))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/orgs/acme/properties/values"))
        .respond_with(properties)
        .with_priority(1)
        .mount(&server)
        .await;
    server
}

/// The REST view of ruleset `id`, with `bypass_actors`.
async fn rest_ruleset(server: &MockServer, id: u64, bypass_actors: Value) {
    Mock::given(method("GET"))
        .and(path(format!("/orgs/acme/rulesets/{id}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": id, "target": "branch", "source_type": "Organization", "source": "acme",
            "enforcement": "active", "bypass_actors": bypass_actors, "conditions": {}
        })))
        .with_priority(1)
        .mount(server)
        .await;
}

/// Both rulesets' REST views, with no bypass actors.
async fn rest_rulesets(server: &MockServer) {
    for id in [50, 51] {
        rest_ruleset(server, id, json!([])).await;
    }
}

/// The property listing with `web` in production.
fn web_in_production() -> Value {
    let mut values: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("fixtures/github/org-properties-values.json"))
            .expect("fixture exists"),
    )
    .expect("fixture is JSON");
    values[1]["properties"][0]["value"] = json!("production");
    values
}

fn rulesets() -> Value {
    let text = std::fs::read_to_string(
        root().join("fixtures/github/graphql-org-rulesets-conditions.json"),
    )
    .expect("fixture exists");
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// The findings of [`CONTROLS`] for the repository `web`, one per line.
async fn scan_web(server: &MockServer) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(tenet_with_token(dir.path()).args([
        "scan",
        "--github-org",
        "acme",
        "--github-api-url",
        &server.uri(),
        "--format",
        "json",
    ]));
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(!out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN));
    let report: Value = serde_json::from_str(&out.stdout).expect("JSON report");
    finding_lines(&report, &CONTROLS, |resource| resource.contains("/web"))
}

/// Requests the scan made to the property listing.
async fn property_requests(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == "/orgs/acme/properties/values")
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ruleset_for_production_repositories_is_not_credited_to_a_development_one() {
    let server = organization(rulesets(), payload("org-properties-values.json")).await;
    rest_rulesets(&server).await;
    // web's environment is development: "Production reviews" (two
    // approvals, code owners) is not its; "Web by id" (one approval,
    // stale reviews dismissed) names its node id.
    insta::assert_snapshot!(scan_web(&server).await);
    assert_eq!(property_requests(&server).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn unread_property_values_make_the_findings_they_decide_errors() {
    let forbidden =
        std::fs::read_to_string(root().join("fixtures/github/error-403-missing-scope.json"))
            .expect("fixture exists");
    let server = organization(
        rulesets(),
        ResponseTemplate::new(403).set_body_raw(forbidden, "application/json"),
    )
    .await;
    rest_rulesets(&server).await;
    insta::assert_snapshot!(scan_web(&server).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn bypass_actors_hidden_from_the_credential_make_no_bypass_an_error() {
    let mut rulesets = rulesets();
    rulesets["data"]["organization"]["viewerCanAdminister"] = json!(false);
    let server = organization(
        rulesets,
        ResponseTemplate::new(200).set_body_json(web_in_production()),
    )
    .await;
    insta::assert_snapshot!(scan_web(&server).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_exempt_actor_only_rest_shows_is_a_bypass() {
    let server = organization(
        rulesets(),
        ResponseTemplate::new(200).set_body_json(web_in_production()),
    )
    .await;
    // GraphQL lists nobody; REST lists an app exempt from the ruleset.
    rest_ruleset(
        &server,
        50,
        json!([{"actor_id": 99, "actor_type": "Integration", "bypass_mode": "exempt"}]),
    )
    .await;
    rest_ruleset(&server, 51, json!([])).await;
    insta::assert_snapshot!(scan_web(&server).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_property_listing_is_not_read_when_no_ruleset_needs_it() {
    let server = mock_github().await;
    scan_web(&server).await;
    assert_eq!(property_requests(&server).await, 0);
}

/// An organization ruleset in GraphQL's shape: `id`, `name`, its ref and
/// repository-name conditions, and its rules.
fn name_ruleset(id: u64, name: &str, refs: Value, repositories: Value, rules: Value) -> Value {
    json!({
        "databaseId": id,
        "name": name,
        "enforcement": "ACTIVE",
        "target": "BRANCH",
        "source": { "__typename": "Organization" },
        "conditions": {
            "refName": refs,
            "repositoryName": repositories,
            "repositoryId": null,
            "repositoryProperty": null
        },
        "bypassActors": { "pageInfo": { "hasNextPage": false }, "nodes": [] },
        "rules": { "pageInfo": { "hasNextPage": false }, "nodes": rules }
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn ref_patterns_are_matched_as_github_does_and_repository_names_select_repositories() {
    let review = json!([
        { "type": "PULL_REQUEST", "parameters": {
            "__typename": "PullRequestParameters", "requiredApprovingReviewCount": 2,
            "dismissStaleReviewsOnPush": true, "requireCodeOwnerReview": false,
            "requireLastPushApproval": false } },
        { "type": "NON_FAST_FORWARD", "parameters": null },
        { "type": "DELETION", "parameters": null }
    ]);
    let rulesets = json!({ "data": {
        "rateLimit": { "cost": 1, "remaining": 4998, "resetAt": "2026-07-01T00:00:00Z" },
        "organization": {
            "viewerCanAdminister": true,
            "rulesets": { "pageInfo": { "hasNextPage": false }, "nodes": [
                // `*` stops at `/`: main only, never release/1.0.
                name_ruleset(60, "Top-level branches",
                    json!({ "include": ["refs/heads/*"], "exclude": [] }),
                    json!({ "include": ["w*"], "exclude": [], "protected": true }),
                    review),
                // `**/` crosses `/`, zero or more times; api is excluded.
                name_ruleset(61, "Release branches",
                    json!({ "include": ["refs/heads/release/**/*"], "exclude": [] }),
                    json!({ "include": ["~ALL"], "exclude": ["api"], "protected": false }),
                    json!([
                        { "type": "NON_FAST_FORWARD", "parameters": null },
                        { "type": "DELETION", "parameters": null }
                    ])),
            ] }
        }
    } });
    let server = organization(rulesets, payload("org-properties-values.json")).await;
    for id in [60, 61] {
        rest_ruleset(&server, id, json!([])).await;
    }
    // web has a release branch one level deep and one two levels deep.
    let mut details: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("fixtures/github/graphql-repository-details.json"))
            .expect("fixture exists"),
    )
    .expect("fixture is JSON");
    let branch = |name: &str| json!({ "name": name, "branchProtectionRule": null });
    details["data"]["r1"]["refs"] = json!({
        "pageInfo": { "hasNextPage": false, "endCursor": null },
        "nodes": [branch("main"), branch("release/1.0"), branch("release/2.0/rc"), branch("feature/x")]
    });
    details["data"]["r0"]["refs"] = json!({
        "pageInfo": { "hasNextPage": false, "endCursor": null },
        "nodes": [branch("main"), branch("release/1.0")]
    });
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .and(body_string_contains("query RepositoryDetails("))
        .respond_with(ResponseTemplate::new(200).set_body_json(details))
        .with_priority(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("temp dir");
    collect_with_policy(
        &server,
        dir.path(),
        "[scope]\nprotected_branches = [\"release/*\"]\n",
    );
    let report = evaluate_collected(dir.path());
    let lines = finding_lines(
        &report,
        &[
            "github.branch.required-approvals",
            "github.branch.no-force-push",
        ],
        |_| true,
    );
    insta::assert_snapshot!(lines);
}
