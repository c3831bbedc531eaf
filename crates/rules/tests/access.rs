//! The access roster of a snapshot: who is listed with which facts, and
//! that what could not be read is a gap or an unknown fact, never an empty
//! list or a "no".

use std::path::PathBuf;

use serde_json::{Value, json};
use tenet_inventory::Snapshot;
use tenet_rules::access::{Entry, EntryKind, Fact, Roster, roster};

fn demo() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo/snapshot.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("the demo snapshot")).expect("JSON")
}

fn roster_of(snapshot: Value) -> Roster {
    let snapshot: Snapshot = serde_json::from_value(snapshot).expect("a snapshot");
    roster(&snapshot)
}

fn entry<'a>(roster: &'a Roster, name: &str) -> &'a Entry {
    roster
        .entries
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no entry {name}"))
}

#[test]
fn the_demo_lists_every_person_and_principal_with_its_facts() {
    let roster = roster_of(demo());
    insta::assert_json_snapshot!("demo_access_roster", roster);
    let kinds: Vec<(EntryKind, &str)> = roster
        .entries
        .iter()
        .map(|e| (e.kind, e.name.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (EntryKind::OrganizationOwner, "alice"),
            (EntryKind::OrganizationOwner, "bob"),
            (EntryKind::OrganizationMember, "dave"),
            (EntryKind::OutsideCollaborator, "carol"),
            (EntryKind::RootUser, "root"),
            (EntryKind::IamUser, "alice"),
            (EntryKind::IamUser, "deploy-bot"),
            (EntryKind::IamUser, "dev"),
            (EntryKind::IamUser, "etl"),
            (EntryKind::IamUser, "ops-admin"),
        ]
    );
    let dave = entry(&roster, "dave");
    assert_eq!(dave.mfa, Some(Fact::Known(false)));
    assert_eq!(dave.administrator, Fact::Known(false));
    let carol = entry(&roster, "carol");
    assert_eq!(carol.grants, ["write on acme-corp/api"]);
    assert_eq!(carol.administrator, Fact::Known(false));
    let root = entry(&roster, "root");
    assert_eq!(root.administrator, Fact::Known(true));
    assert!(
        matches!(&root.mfa, Some(Fact::Unknown(reason)) if reason.contains("iam:GetAccountSummary"))
    );
    let admin = roster
        .entries
        .iter()
        .find(|e| e.name == "ops-admin")
        .expect("ops-admin");
    assert_eq!(admin.administrator, Fact::Known(true));
    // A user without a console password and without keys was never used.
    let dev = roster
        .entries
        .iter()
        .find(|e| e.name == "dev")
        .expect("dev");
    assert_eq!(dev.last_used, Some(Fact::Known(None)));
    assert!(roster.gaps.is_empty());
}

#[test]
fn lists_that_could_not_be_read_are_gaps_never_empty() {
    let mut snapshot = demo();
    let reason = json!({"unavailable": {"reason": "403 Forbidden"}});
    snapshot["github"][0]["members"] = reason.clone();
    snapshot["aws"][0]["users"] = reason.clone();
    let roster = roster_of(snapshot);
    let gaps: Vec<(&str, &str)> = roster
        .gaps
        .iter()
        .map(|g| (g.what.as_str(), g.reason.as_str()))
        .collect();
    assert_eq!(
        gaps,
        [
            ("the organization's members", "403 Forbidden"),
            ("the account's IAM users", "403 Forbidden")
        ]
    );
    assert!(
        roster
            .entries
            .iter()
            .all(|e| !matches!(e.kind, EntryKind::OrganizationMember | EntryKind::IamUser))
    );
}

#[test]
fn an_unread_repository_leaves_an_outside_collaborator_unknown_not_harmless() {
    let mut snapshot = demo();
    snapshot["github"][0]["repositories"]["known"][1]["outside_collaborators"] =
        json!({"unavailable": {"reason": "404 Not Found"}});
    let roster = roster_of(snapshot);
    let carol = entry(&roster, "carol");
    assert!(matches!(carol.administrator, Fact::Unknown(_)));
    assert_eq!(
        roster.gaps[0].what,
        "the outside collaborators of acme-corp/web"
    );

    let mut snapshot = demo();
    snapshot["github"][0]["repositories"]["known"][1]["outside_collaborators"] =
        json!({"known": [{"login": "carol", "permission": "admin"}]});
    let roster = roster_of(snapshot);
    let carol = entry(&roster, "carol");
    assert_eq!(carol.administrator, Fact::Known(true));
    assert_eq!(
        carol.grants,
        ["write on acme-corp/api", "admin on acme-corp/web"]
    );
}

#[test]
fn a_role_that_is_an_administrator_is_listed_and_others_are_not() {
    let mut snapshot = demo();
    let role = &mut snapshot["aws"][0]["roles"]["known"][0];
    role["attached_policies"] = json!(["arn:aws:iam::aws:policy/AdministratorAccess"]);
    let name = role["name"].as_str().expect("a name").to_owned();
    let roster = roster_of(snapshot);
    let roles: Vec<&Entry> = roster
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::AdministratorRole)
        .collect();
    assert_eq!(roles.len(), 1, "{roles:#?}");
    assert_eq!(roles[0].name, name);
    assert_eq!(roles[0].administrator, Fact::Known(true));
    assert_eq!(
        roles[0].grants,
        [
            "policy arn:aws:iam::aws:policy/AdministratorAccess",
            "inline policy read-assets"
        ]
    );
}
