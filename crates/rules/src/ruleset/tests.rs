//! Table tests of [`super::applies`]: each condition GitHub documents, the
//! cases it leaves open (undetermined), and the false passes tenet once had
//! (a property-targeted ruleset credited to every repository, `*` crossing
//! `/`).

use serde_json::{Value, json};
use tenet_inventory::github::{Repository, Ruleset};

use super::applies;
use crate::verdict::Verdict;

/// An active organization branch ruleset with `conditions`.
fn ruleset(conditions: Value) -> Ruleset {
    serde_json::from_value(json!({
        "id": 1, "name": "baseline", "source": "organization", "enforcement": "active",
        "target": "branch", "conditions": conditions,
        "bypass_actors": {"known": []}, "rules": []
    }))
    .expect("ruleset")
}

/// Known conditions: `ref_name` on the default branch unless given, every
/// other key absent unless given.
fn conditions(overrides: Value) -> Value {
    let mut known = json!({
        "ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []},
        "repository_name": null, "repository_id": null, "repository_property": null,
        "other": []
    });
    for (key, value) in overrides.as_object().into_iter().flatten() {
        known[key] = value.clone();
    }
    json!({"known": known})
}

/// Repository `api` (default branch `main`, ids `R_api`/7) with
/// `properties`.
fn repo(properties: Value) -> Repository {
    serde_json::from_value(json!({
        "name": "api",
        "ids": {"known": {"node_id": "R_api", "database_id": 7}},
        "custom_properties": properties,
        "visibility": "private", "archived": false, "default_branch": "main"
    }))
    .expect("repository")
}

fn by_name(include: &[&str], exclude: &[&str]) -> Value {
    json!({"repository_name": {"include": include, "exclude": exclude, "protected": false}})
}

fn by_property(include: Value, exclude: Value) -> Value {
    json!({
        "repository_name": null,
        "repository_property": {"include": include, "exclude": exclude}
    })
}

fn property(name: &str, values: &[&str]) -> Value {
    json!({"name": name, "property_values": values, "source": "custom"})
}

/// `Yes`, `No`, or the start of an `Unknown` reason.
#[derive(Debug)]
enum Expect {
    Yes,
    No,
    Unknown(&'static str),
}

fn check(case: &str, verdict: Verdict, expect: &Expect) {
    match (expect, &verdict) {
        (Expect::Yes, Verdict::Yes) | (Expect::No, Verdict::No) => {}
        (Expect::Unknown(part), Verdict::Unknown(reason)) if reason.contains(part) => {}
        _ => panic!("{case}: expected {expect:?}, got {verdict:?}"),
    }
}

#[test]
fn ref_name_conditions() {
    let tier = json!({"known": []});
    let cases: &[(&str, Value, &str, Expect)] = &[
        (
            "default branch",
            json!(["~DEFAULT_BRANCH"]),
            "main",
            Expect::Yes,
        ),
        (
            "default branch, other",
            json!(["~DEFAULT_BRANCH"]),
            "dev",
            Expect::No,
        ),
        ("all", json!(["~ALL"]), "release/1.0", Expect::Yes),
        (
            "one star stops at /",
            json!(["refs/heads/*"]),
            "release/1.0",
            Expect::No,
        ),
        (
            "one star, one level",
            json!(["refs/heads/*"]),
            "main",
            Expect::Yes,
        ),
        (
            "** without / is *",
            json!(["refs/heads/**"]),
            "release/1.0",
            Expect::No,
        ),
        (
            "**/ crosses /",
            json!(["refs/heads/**/*"]),
            "release/1.0",
            Expect::Yes,
        ),
        (
            "prefix",
            json!(["refs/heads/release/*"]),
            "release/1.0",
            Expect::Yes,
        ),
        (
            "tags never branches",
            json!(["refs/tags/*"]),
            "main",
            Expect::No,
        ),
        ("no include", json!([]), "main", Expect::No),
        (
            "unknown special",
            json!(["~PROTECTED"]),
            "main",
            Expect::Unknown("`~PROTECTED`"),
        ),
        ("short, agrees", json!(["main"]), "dev", Expect::No),
        (
            "short, readings differ",
            json!(["main"]),
            "main",
            Expect::Unknown("lacks `refs/heads/`"),
        ),
    ];
    for (case, include, branch, expect) in cases {
        let rs = ruleset(conditions(json!({
            "ref_name": {"include": include, "exclude": []},
            "repository_name": {"include": ["~ALL"], "exclude": [], "protected": false}
        })));
        check(case, applies(&rs, &repo(tier.clone()), branch), expect);
    }
    let excluded = ruleset(conditions(json!({
        "ref_name": {"include": ["~ALL"], "exclude": ["refs/heads/release/*"]},
        "repository_name": {"include": ["~ALL"], "exclude": [], "protected": false}
    })));
    check(
        "excluded",
        applies(&excluded, &repo(tier.clone()), "release/1.0"),
        &Expect::No,
    );
    let no_ref = ruleset(conditions(json!({
        "ref_name": null,
        "repository_name": {"include": ["~ALL"], "exclude": [], "protected": false}
    })));
    check(
        "no ref_name",
        applies(&no_ref, &repo(tier), "main"),
        &Expect::No,
    );
}

#[test]
fn repository_name_and_id_conditions() {
    let cases: &[(&str, Value, Expect)] = &[
        ("all", by_name(&["~ALL"], &[]), Expect::Yes),
        ("pattern", by_name(&["a*"], &[]), Expect::Yes),
        ("other pattern", by_name(&["web*"], &[]), Expect::No),
        ("excluded", by_name(&["~ALL"], &["ap?"]), Expect::No),
        // GitHub shows a ruleset without targets as one that "does not
        // target any resources and will not be applied".
        ("no include", by_name(&[], &[]), Expect::No),
        (
            "no ids",
            json!({"repository_id": {"repository_ids": []}}),
            Expect::No,
        ),
        (
            "names differing in case",
            by_name(&["API"], &[]),
            Expect::Unknown("ignoring case"),
        ),
        (
            "unknown special",
            by_name(&["~MINE"], &[]),
            Expect::Unknown("`~MINE`"),
        ),
        (
            "id, database form",
            json!({"repository_id": {"repository_ids": ["7"]}}),
            Expect::Yes,
        ),
        (
            "id, node form",
            json!({"repository_id": {"repository_ids": ["R_api"]}}),
            Expect::Yes,
        ),
        (
            "other id",
            json!({"repository_id": {"repository_ids": ["8"]}}),
            Expect::No,
        ),
        (
            "organization ruleset without a repository condition",
            json!({}),
            Expect::Unknown("no repository condition"),
        ),
        (
            "a condition tenet does not read",
            json!({"repository_name": {"include": ["~ALL"], "exclude": [], "protected": false},
                   "other": ["organization_name"]}),
            Expect::Unknown("organization_name"),
        ),
    ];
    for (case, overrides, expect) in cases {
        let rs = ruleset(conditions(overrides.clone()));
        check(
            case,
            applies(&rs, &repo(json!({"known": []})), "main"),
            expect,
        );
    }
}

#[test]
fn repository_property_conditions() {
    let env = |v: Value| json!({"known": [{"property_name": "env", "value": v}]});
    let cases: &[(&str, Value, Value, Expect)] = &[
        (
            "match",
            by_property(json!([property("env", &["prod"])]), json!([])),
            env(json!("prod")),
            Expect::Yes,
        ),
        (
            "the false pass: other value",
            by_property(json!([property("env", &["prod"])]), json!([])),
            env(json!("dev")),
            Expect::No,
        ),
        (
            "one of the values",
            by_property(json!([property("env", &["qa", "prod"])]), json!([])),
            env(json!("prod")),
            Expect::Yes,
        ),
        (
            "no value",
            by_property(json!([property("env", &["prod"])]), json!([])),
            env(json!(null)),
            Expect::No,
        ),
        (
            "multi-select",
            by_property(json!([property("env", &["prod"])]), json!([])),
            env(json!(["dev", "prod"])),
            Expect::Yes,
        ),
        (
            "excluded",
            by_property(
                json!([property("env", &["prod", "dev"])]),
                json!([property("env", &["dev"])]),
            ),
            env(json!("dev")),
            Expect::No,
        ),
        (
            "every include must match",
            by_property(
                json!([property("env", &["prod"]), property("tier", &["1"])]),
                json!([]),
            ),
            json!({"known": [{"property_name": "env", "value": "prod"}, {"property_name": "tier", "value": "2"}]}),
            Expect::No,
        ),
        (
            "case only",
            by_property(json!([property("env", &["Prod"])]), json!([])),
            env(json!("prod")),
            Expect::Unknown("only in case"),
        ),
        (
            "not listed",
            by_property(json!([property("tier", &["1"])]), json!([])),
            env(json!("prod")),
            Expect::Unknown("no value of the custom property `tier`"),
        ),
        (
            "system property",
            by_property(
                json!([{"name": "visibility", "property_values": ["public"], "source": "system"}]),
                json!([]),
            ),
            env(json!("prod")),
            Expect::Unknown("system property `visibility`"),
        ),
        (
            "empty include",
            by_property(json!([]), json!([property("env", &["dev"])])),
            env(json!("prod")),
            Expect::Unknown("includes no property"),
        ),
        (
            "properties unread",
            by_property(json!([property("env", &["prod"])]), json!([])),
            json!({"unavailable": {"reason": "403"}}),
            Expect::Unknown("properties of api are unavailable: 403"),
        ),
        (
            "unread, but the name condition already excludes",
            json!({"repository_name": {"include": ["web"], "exclude": [], "protected": false},
                   "repository_property": {"include": [property("env", &["prod"])], "exclude": []}}),
            json!({"unavailable": {"reason": "403"}}),
            Expect::No,
        ),
    ];
    for (case, overrides, properties, expect) in cases {
        let rs = ruleset(conditions(overrides.clone()));
        check(
            case,
            applies(&rs, &repo(properties.clone()), "main"),
            expect,
        );
    }
}

#[test]
fn enforcement_target_and_unread_conditions() {
    let all = || conditions(by_name(&["~ALL"], &[]));
    let mut rs = ruleset(all());
    rs.enforcement = tenet_inventory::github::Enforcement::Evaluate;
    check(
        "evaluate mode",
        applies(&rs, &repo(json!({"known": []})), "main"),
        &Expect::No,
    );
    let mut rs = ruleset(all());
    rs.target = "tag".into();
    check(
        "tag ruleset",
        applies(&rs, &repo(json!({"known": []})), "main"),
        &Expect::No,
    );
    let rs = ruleset(json!({"unavailable": {"reason": "an enterprise ruleset"}}));
    check(
        "conditions unavailable",
        applies(&rs, &repo(json!({"known": []})), "main"),
        &Expect::Unknown("are unavailable: an enterprise ruleset"),
    );
    let mut rs = ruleset(conditions(json!({})));
    rs.source = tenet_inventory::github::RulesetSource::Repository;
    check(
        "repository ruleset",
        applies(&rs, &repo(json!({"known": []})), "main"),
        &Expect::Yes,
    );
}
