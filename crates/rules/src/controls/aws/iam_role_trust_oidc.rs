//! `aws.iam.role-trust-oidc`: every role that trusts a web-identity
//! provider (GitHub Actions, any OIDC provider, Cognito) confines who may
//! assume it to the customer's own subjects or application.

use serde_json::json;
use tenet_iam_policy::PolicyDocument;
use tenet_inventory::Observed;

use super::iam_trust_common::{RoleTrust, each_trust};
use crate::{
    Context, Outcome,
    deploy::{github_trusts, is_enterprise_server},
};

/// One outcome per role that trusts a web-identity provider.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let owner_ids = scanned_owner_ids(cx);
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
            let foreign = owner_ids
                .as_ref()
                .map(|ids| foreign_owner_ids(&document, ids))
                .unwrap_or_default();
            let outcome = match (trust.open_web_identities.first(), foreign.first()) {
                (Some(open), _) => Outcome::fail(
                    resource,
                    format!(
                        "{name} trusts {} without confining who may assume it (trust policy \
                     statement {}): {}",
                        open.provider, open.statement, open.reason
                    ),
                ),
                (None, Some((statement, id))) => Outcome::fail(
                    resource,
                    format!(
                        "{name} trusts GitHub Actions tokens of the owner with id {id} (trust policy \
                     statement {statement}), which is none of the scanned organizations"
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
                    json!(foreign.iter().map(|(statement, id)| json!({"statement": statement, "owner_id": id})).collect::<Vec<_>>()),
                ),
        );
        },
    )
}

/// The ids of the scanned GitHub organizations, when every one is known;
/// `None` without organizations or with an id unknown.
fn scanned_owner_ids(cx: &Context<'_>) -> Option<Vec<String>> {
    if cx.snapshot.github.is_empty() {
        return None;
    }
    cx.snapshot
        .github
        .iter()
        .map(|org| match &org.id {
            Observed::Known(id) => Some(id.to_string()),
            Observed::Unavailable { .. } => None,
        })
        .collect()
}

/// The owner ids GitHub Actions subjects of the trust name that are not
/// `ids`: `repo:<owner>@<id>/…` (the immutable subject) and
/// `repository_owner_id:<id>` (a customized one), in the values of the
/// positive conditions on github.com's issuers' `sub` in the statements
/// that let their tokens in ([`github_trusts`]), with their statement. A
/// `Deny`, or a `StringNotEquals`, that names an owner keeps it out.
fn foreign_owner_ids(document: &PolicyDocument, ids: &[String]) -> Vec<(usize, String)> {
    let mut foreign = Vec::new();
    for trust in github_trusts(document) {
        if is_enterprise_server(&trust.issuer) {
            continue;
        }
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
                for id in owner_ids_in(&value.as_text()) {
                    if !ids.contains(&id) && !foreign.contains(&(*index, id.clone())) {
                        foreign.push((*index, id));
                    }
                }
            }
        }
    }
    foreign.sort();
    foreign
}

/// The fixed owner ids a subject value names.
fn owner_ids_in(value: &str) -> Vec<String> {
    let digits = |text: &str| -> Option<String> {
        let id: String = text.chars().take_while(char::is_ascii_digit).collect();
        let rest = &text[id.len()..];
        (!id.is_empty() && !rest.starts_with(['*', '?'])).then_some(id)
    };
    let mut ids = Vec::new();
    for (at, _) in value.match_indices("repo:") {
        if at > 0 && value.as_bytes()[at - 1] != b':' {
            continue;
        }
        let owner = value[at + 5..].split(['/', ':']).next().unwrap_or("");
        if let Some((_, id)) = owner.split_once('@') {
            ids.extend(digits(id).filter(|found| found.len() == id.len()));
        }
    }
    for (at, claim) in value.match_indices("repository_owner_id:") {
        if at == 0 || value.as_bytes()[at - 1] == b':' {
            ids.extend(digits(&value[at + claim.len()..]));
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};
    use tenet_iam_policy::PolicyDocument;

    use super::{foreign_owner_ids, owner_ids_in};

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
        let cases: Vec<(Value, Vec<(usize, &str)>)> = vec![
            (
                statement(
                    "Allow",
                    github,
                    "StringEquals",
                    "repo:evil@9/app:ref:refs/heads/main",
                ),
                vec![(0, "9")],
            ),
            (
                statement("Allow", github, "StringLike", "repo:acme@1/app:*"),
                vec![],
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
                vec![(0, "9")],
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
                vec![],
            ),
        ];
        for (statement, expected) in cases {
            let document = PolicyDocument::parse(
                &json!({"Version": "2012-10-17", "Statement": [statement.clone()]}),
            )
            .expect("a trust policy");
            let found = foreign_owner_ids(&document, &["1".to_owned()]);
            let expected: Vec<(usize, String)> = expected
                .into_iter()
                .map(|(i, id)| (i, id.to_owned()))
                .collect();
            assert_eq!(found, expected, "{statement}");
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
