//! `aws.iam.role-trust-oidc`: every role that trusts a web-identity
//! provider (GitHub Actions, any OIDC provider, Cognito) confines who may
//! assume it to the customer's own subjects or application.

use serde_json::json;
use tenet_iam_policy::PolicyDocument;
use tenet_inventory::github::GithubOrg;

use super::iam_trust_common::{RoleTrust, each_trust};
use crate::{
    Context, Outcome,
    deploy::{github_trusts, may_be_issued},
};

/// One outcome per role that trusts a web-identity provider.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_trust(
        cx,
        |RoleTrust {
             role,
             document,
             trust,
             ..
         },
         resource,
         out| {
            if trust.web_identity_providers.is_empty() {
                return;
            }
            let name = &role.name;
            let foreign = foreign_owners(&document, &cx.snapshot.github);
            let outcome = match (trust.open_web_identities.first(), foreign.first()) {
                (Some(open), _) => Outcome::fail(
                    resource,
                    format!(
                        "{name} trusts {} without confining who may assume it (trust policy \
                     statement {}): {}",
                        open.provider, open.statement, open.reason
                    ),
                ),
                (None, Some((statement, owner))) => Outcome::fail(
                    resource,
                    format!(
                        "{name} trusts GitHub Actions tokens of {owner} (trust policy statement \
                     {statement}), which is none of the scanned organizations"
                    ),
                ),
                (None, None) => Outcome::pass(
                    resource,
                    format!(
                        "{name} trusts {} for the customer's own subjects only",
                        trust.web_identity_providers.join(", ")
                    ),
                ),
            };
            out.push(
            outcome
                .with("providers", trust.web_identity_providers.clone())
                .with(
                    "open",
                    json!(
                        trust
                            .open_web_identities
                            .iter()
                            .map(|open| json!({"statement": open.statement, "provider": open.provider, "reason": open.reason}))
                            .collect::<Vec<_>>()
                    ),
                )
                .with(
                    "foreign_owner_ids",
                    json!(foreign.iter().filter_map(|(statement, owner)| match owner {
                        Owner::Id(id) => Some(json!({"statement": statement, "owner_id": id})),
                        Owner::Login(_) => None,
                    }).collect::<Vec<_>>()),
                )
                .with(
                    "foreign_owners",
                    json!(foreign.iter().filter_map(|(statement, owner)| match owner {
                        Owner::Login(login) => Some(json!({"statement": statement, "owner": login})),
                        Owner::Id(_) => None,
                    }).collect::<Vec<_>>()),
                ),
        );
        },
    )
}

/// A GitHub owner a subject names: by its immutable id, or by login.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Owner {
    Id(String),
    Login(String),
}

impl std::fmt::Display for Owner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Owner::Id(id) => write!(f, "the owner with id {id}"),
            Owner::Login(login) => write!(f, "the owner {login}"),
        }
    }
}

/// The owners GitHub Actions subjects of the trust name that are none of
/// the scanned organizations whose workflows may get the issuer's tokens
/// ([`may_be_issued`]): by id
/// (`repo:<owner>@<id>/…`, the immutable subject, and
/// `repository_owner_id:<id>`), when those organizations' ids are all
/// known, and by login (`repo:<owner>/…` and `repository_owner:<owner>`,
/// compared without case as GitHub does), in the values of the positive
/// conditions on the issuer's `sub` in the statements that let its tokens
/// in ([`github_trusts`]), with their statement. A `Deny`, or a
/// `StringNotEquals`, that names an owner keeps it out; a pattern in the
/// owner (`*`, `?`) is left to the open-subject check.
fn foreign_owners(document: &PolicyDocument, orgs: &[GithubOrg]) -> Vec<(usize, Owner)> {
    if orgs.is_empty() {
        return Vec::new();
    }
    let mut foreign = Vec::new();
    for trust in github_trusts(document) {
        let ours: Vec<&GithubOrg> = orgs
            .iter()
            .filter(|org| may_be_issued(org, &trust.issuer))
            .collect();
        // Ids are compared only when every organization's is known.
        let ids: Option<Vec<String>> = ours
            .iter()
            .map(|org| org.id.known().map(ToString::to_string))
            .collect();
        let logins: Vec<&str> = ours.iter().map(|org| org.login.as_str()).collect();
        let key = format!("{}:sub", trust.issuer);
        for (index, statement) in &trust.allows {
            let values = statement
                .conditions
                .iter()
                .filter(|condition| {
                    condition.key_is(&key)
                        && matches!(
                            condition.operator.base.as_str(),
                            "StringEquals" | "StringEqualsIgnoreCase" | "StringLike"
                        )
                })
                .flat_map(|condition| &condition.values);
            for value in values {
                let value = value.as_text();
                let by_id = owner_ids_in(&value)
                    .into_iter()
                    .filter(|id| ids.as_ref().is_some_and(|ids| !ids.contains(id)))
                    .map(Owner::Id);
                let by_login = owner_logins_in(&value)
                    .into_iter()
                    .filter(|login| !logins.iter().any(|own| own.eq_ignore_ascii_case(login)))
                    .map(Owner::Login);
                for owner in by_id.chain(by_login) {
                    if !foreign.contains(&(*index, owner.clone())) {
                        foreign.push((*index, owner));
                    }
                }
            }
        }
    }
    foreign.sort();
    foreign
}

/// Where a claim starts in a subject value: at its start, or after a `:`.
fn claims<'a>(value: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    value
        .match_indices(name)
        .filter(|(at, _)| *at == 0 || value.as_bytes()[at - 1] == b':')
        .map(move |(at, _)| &value[at + name.len()..])
}

/// The fixed owner ids a subject value names.
fn owner_ids_in(value: &str) -> Vec<String> {
    let digits = |text: &str| -> Option<String> {
        let id: String = text.chars().take_while(char::is_ascii_digit).collect();
        let rest = &text[id.len()..];
        (!id.is_empty() && !rest.starts_with(['*', '?'])).then_some(id)
    };
    let mut ids = Vec::new();
    for rest in claims(value, "repo:") {
        let owner = rest.split(['/', ':']).next().unwrap_or("");
        if let Some((_, id)) = owner.split_once('@') {
            ids.extend(digits(id).filter(|found| found.len() == id.len()));
        }
    }
    for rest in claims(value, "repository_owner_id:") {
        ids.extend(digits(rest));
    }
    ids
}

/// The fixed owner logins a subject value names: `repo:<owner>/…` without
/// an id, and `repository_owner:<owner>`.
fn owner_logins_in(value: &str) -> Vec<String> {
    let fixed = |owner: &str| {
        (!owner.is_empty() && !owner.contains(['*', '?', '@'])).then(|| owner.to_owned())
    };
    let mut logins = Vec::new();
    for rest in claims(value, "repo:") {
        let (owner, after) = rest.split_at(rest.find(['/', ':']).unwrap_or(rest.len()));
        if after.starts_with('/') {
            logins.extend(fixed(owner));
        }
    }
    for rest in claims(value, "repository_owner:") {
        logins.extend(fixed(rest.split(':').next().unwrap_or("")));
    }
    logins
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};
    use tenet_iam_policy::PolicyDocument;

    use tenet_inventory::github::GithubOrg;

    use super::{Owner, foreign_owners, owner_ids_in, owner_logins_in};

    #[test]
    fn only_statements_that_let_an_owner_in_name_a_foreign_one() {
        let github = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
        let statement = |effect: &str, provider: &str, operator: &str, sub: &str| -> Value {
            let issuer = provider
                .split_once(":oidc-provider/")
                .map_or("", |(_, host)| host);
            json!({"Effect": effect, "Principal": {"Federated": provider},
                   "Action": "sts:AssumeRoleWithWebIdentity",
                   "Condition": {operator: {format!("{issuer}:sub"): sub}}})
        };
        let id = |id: &str| Owner::Id(id.to_owned());
        let login = |login: &str| Owner::Login(login.to_owned());
        let cases: Vec<(Value, Vec<(usize, Owner)>)> = vec![
            (
                statement(
                    "Allow",
                    github,
                    "StringEquals",
                    "repo:evil@9/app:ref:refs/heads/main",
                ),
                vec![(0, id("9"))],
            ),
            (
                statement("Allow", github, "StringLike", "repo:acme@1/app:*"),
                vec![],
            ),
            (
                statement("Allow", github, "StringLike", "repo:evil-org/app:*"),
                vec![(0, login("evil-org"))],
            ),
            (
                statement("Allow", github, "StringLike", "repo:ACME/app:*"),
                vec![],
            ),
            (
                statement("Allow", github, "StringLike", "repo:ev*/app:*"),
                vec![],
            ),
            (
                statement(
                    "Allow",
                    github,
                    "StringEquals",
                    "repository_owner:evil-org:environment:prod",
                ),
                vec![(0, login("evil-org"))],
            ),
            (
                statement("Deny", github, "StringLike", "repo:evil@9/*"),
                vec![],
            ),
            (
                statement("Allow", github, "StringNotLike", "repo:evil@9/*"),
                vec![],
            ),
            (
                statement(
                    "Allow",
                    &format!("{github}/acme-enterprise"),
                    "StringEquals",
                    "repository_owner_id:9",
                ),
                vec![(0, id("9"))],
            ),
            (
                statement(
                    "Allow",
                    "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com.evil.example",
                    "StringEquals",
                    "repository_owner_id:9",
                ),
                vec![],
            ),
            (
                statement(
                    "Allow",
                    "arn:aws:iam::111122223333:oidc-provider/github.example.com/_services/token",
                    "StringEquals",
                    "repository_owner_id:9",
                ),
                vec![(0, id("9"))],
            ),
            (
                statement(
                    "Allow",
                    "arn:aws:iam::111122223333:oidc-provider/github.example.com/_services/token",
                    "StringLike",
                    "repo:acme/app:*",
                ),
                vec![(0, login("acme"))],
            ),
        ];
        // acme (id 1) on github.com: a server's tokens are another owner's.
        let acme: GithubOrg = serde_json::from_value(
            json!({"login": "acme", "id": {"known": 1}, "server": {"known": "github.com"}}),
        )
        .expect("an organization");
        for (statement, expected) in cases {
            let document = PolicyDocument::parse(
                &json!({"Version": "2012-10-17", "Statement": [statement.clone()]}),
            )
            .expect("a trust policy");
            let found = foreign_owners(&document, std::slice::from_ref(&acme));
            assert_eq!(found, expected, "{statement}");
        }
        let ghes = |server: Value| -> GithubOrg {
            serde_json::from_value(json!({"login": "acme", "id": {"known": 1}, "server": server}))
                .expect("an organization")
        };
        let on_server = statement(
            "Allow",
            "arn:aws:iam::111122223333:oidc-provider/github.example.com/_services/token",
            "StringLike",
            "repo:acme@1/app:*",
        );
        let document =
            PolicyDocument::parse(&json!({"Version": "2012-10-17", "Statement": [on_server]}))
                .expect("a trust policy");
        for server in [
            json!({"known": "github.example.com"}),
            json!({"unavailable": {"reason": "not present in the snapshot"}}),
        ] {
            assert_eq!(
                foreign_owners(&document, &[ghes(server.clone())]),
                [],
                "the server's own acme, or one whose server is unknown: {server}"
            );
        }
    }

    #[test]
    fn owner_logins_are_read_from_name_based_subjects_and_the_owner_claim() {
        let cases: [(&str, &[&str]); 6] = [
            ("repo:acme/app:ref:refs/heads/main", &["acme"]),
            ("repo:acme@1000/app@2000:ref:refs/heads/main", &[]),
            ("repo:ac?e/app:*", &[]),
            ("repo:acme", &[]),
            ("repository_owner:acme:environment:prod", &["acme"]),
            ("environment:prod:repository_owner:acme", &["acme"]),
        ];
        for (value, expected) in cases {
            assert_eq!(owner_logins_in(value), expected, "{value}");
        }
    }

    #[test]
    fn owner_ids_are_read_from_both_subject_forms() {
        let cases: [(&str, &[&str]); 6] = [
            ("repo:acme@1000/app@2000:ref:refs/heads/main", &["1000"]),
            ("repo:acme@1*/app:*", &[]),
            ("repo:acme/app:*", &[]),
            (
                "repository_owner_id:77:repository_id:5:environment:prod",
                &["77"],
            ),
            ("repository_owner_id:7*", &[]),
            ("x:repo:evil@9/app:*", &["9"]),
        ];
        for (value, expected) in cases {
            assert_eq!(owner_ids_in(value), expected, "{value}");
        }
    }
}
