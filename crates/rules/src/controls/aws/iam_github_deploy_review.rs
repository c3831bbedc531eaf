//! `aws.iam.github-deploy-review`: every way from GitHub Actions into a
//! production role passes a second person's review.

use serde::Deserialize;
use serde_json::Value;
use tenet_inventory::{Observed, aws::IamRole};

use super::iam_trust_common::{RoleTrust, each_trust};
use crate::{
    Context, Outcome, Resource,
    branch::Approvals,
    deploy::{DeployPath, PathStatus, deploy_paths, github_trusts},
    iam::{AccountIam, Grants},
    support::{Globs, parameter_error},
};

/// The control's parameters (defaults in its metadata file).
#[derive(Debug, Deserialize)]
struct Params {
    #[serde(flatten)]
    approvals: Approvals,
    /// Role ARN globs that are production, besides the administrators.
    production_roles: Vec<String>,
    /// Role tags that make a role production: `KEY=VALUE`, or `KEY` for
    /// any value. With `production_roles` empty too, every role that may
    /// change resources is production.
    production_tags: Vec<String>,
}

/// Which roles are production.
struct Production {
    roles: Globs,
    /// Tag keys, each with the value it must have (`None`: any).
    tags: Vec<(String, Option<String>)>,
    /// `production_roles` names some.
    roles_named: bool,
    /// Neither `production_roles` nor `production_tags` is set.
    by_default: bool,
}

impl Production {
    fn new(params: &Params) -> Result<Self, String> {
        let tags = params
            .production_tags
            .iter()
            .map(|entry| match entry.split_once('=') {
                Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), Some(value.to_owned()))),
                None if !entry.is_empty() => Ok((entry.clone(), None)),
                _ => Err(format!(
                    "production_tags: {entry:?} names no tag key (write KEY=VALUE, or KEY for any value)"
                )),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let roles_named = !params.production_roles.is_empty();
        Ok(Production {
            roles: Globs::new(&params.production_roles),
            roles_named,
            by_default: !roles_named && tags.is_empty(),
            tags,
        })
    }

    /// Why `role` is production, `None` when it is not, or why that is
    /// unknown. `grants` are asked only when the role's ARN and tags do not
    /// settle it.
    fn why(
        &self,
        role: &IamRole,
        grants: impl FnOnce() -> Result<Grants, String>,
    ) -> Result<Option<String>, String> {
        if self.roles.is_match(&role.arn) {
            return Ok(Some("its ARN matches production_roles".to_owned()));
        }
        let unknown_tags = match (&role.tags, self.tags.is_empty()) {
            (_, true) => None,
            (Observed::Known(tags), false) => {
                if let Some((key, value)) = self.tags.iter().find(|(key, value)| {
                    tags.get(key)
                        .is_some_and(|found| value.as_ref().is_none_or(|value| value == found))
                }) {
                    let tag = value
                        .as_ref()
                        .map_or(key.clone(), |value| format!("{key}={value}"));
                    return Ok(Some(format!("its tag {tag} matches production_tags")));
                }
                None
            }
            (Observed::Unavailable { reason }, false) => Some(reason.clone()),
        };
        let grants = grants()?;
        if grants.is_administrator() {
            return Ok(Some("it is an administrator".to_owned()));
        }
        match (self.by_default, grants.first_write, unknown_tags) {
            (true, Some(action), _) => Ok(Some(format!(
                "it may change resources ({action} among others), and neither production_roles \
                 nor production_tags narrows production down"
            ))),
            (_, _, Some(reason)) => Err(format!("its tags, which production_tags reads: {reason}")),
            _ => Ok(None),
        }
    }

    /// Why a role that is not production is not.
    fn not_production(&self) -> &'static str {
        match (self.roles_named, !self.tags.is_empty()) {
            (false, false) => "not an administrator, and it may change no resource",
            (true, false) => "not an administrator, and production_roles does not name it",
            (false, true) => "not an administrator, and production_tags does not name it",
            (true, true) => {
                "not an administrator, and neither production_roles nor production_tags names it"
            }
        }
    }
}

/// One outcome per role that trusts GitHub Actions' OIDC tokens.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Params = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let min = params.approvals.min_approvals;
    let production = match Production::new(&params) {
        Ok(production) => production,
        Err(reason) => return parameter_error(&reason),
    };
    let orgs = &cx.snapshot.github;
    // The IAM analysis of the account at hand, made once per account.
    let mut analyzed: Option<(&str, AccountIam<'_>)> = None;
    each_trust(
        cx,
        |RoleTrust {
             account,
             role,
             document,
             ..
         },
         resource,
         out| {
            let trusts = github_trusts(&document);
            if trusts.is_empty() {
                return;
            }
            let (_, iam) = match analyzed.take() {
                Some((id, iam)) if id == account.account_id => analyzed.insert((id, iam)),
                _ => analyzed.insert((
                    &account.account_id,
                    AccountIam::new(account, cx.snapshot.collected_at),
                )),
            };
            let why_production = match production.why(role, || iam.role_grants(role)) {
                Ok(Some(why)) => why,
                Ok(None) => {
                    out.push(Outcome::skipped(
                        resource,
                        format!(
                            "{} is trusted by GitHub Actions but is not a production role ({})",
                            role.name,
                            production.not_production()
                        ),
                    ));
                    return;
                }
                Err(reason) => {
                    out.push(Outcome::unavailable(
                        resource,
                        &format!("whether {} is a production role", role.name),
                        &reason,
                    ));
                    return;
                }
            };
            let issuers: Vec<String> = trusts.iter().map(|t| t.issuer.clone()).collect();
            if orgs.is_empty() {
                out.push(
                    Outcome::unavailable(
                        resource,
                        &format!("who may deploy through {}", role.name),
                        "it trusts GitHub Actions and no GitHub organization is in this \
                     snapshot: scan the organizations with the accounts, in one job \
                     (--github-org with --aws, not separate shards)",
                    )
                    .with("issuers", issuers),
                );
                return;
            }
            let mut paths: Vec<DeployPath> = trusts
                .iter()
                .flat_map(|trust| deploy_paths(trust, orgs, min))
                .collect();
            paths.sort_by_key(|path| std::cmp::Reverse(path.status));
            out.push(
                judge(&role.name, resource, &paths)
                    .with("production", why_production)
                    .with("issuers", issuers)
                    .with(
                        "paths",
                        Value::Array(paths.iter().map(DeployPath::evidence).collect()),
                    ),
            );
        },
    )
}

/// The role's verdict: fail on an open path, error on an undecided one.
fn judge(name: &str, resource: Resource, paths: &[DeployPath]) -> Outcome {
    let count = |status| paths.iter().filter(|p| p.status == status).count();
    let (open, undecided) = (count(PathStatus::Open), count(PathStatus::Undecided));
    let first = paths.first().map(DeployPath::describe).unwrap_or_default();
    let more = |n: usize| {
        if n > 1 {
            format!(" (and {} more)", n - 1)
        } else {
            String::new()
        }
    };
    if open > 0 {
        Outcome::fail(
            resource,
            format!(
                "{name} can be assumed from GitHub Actions without a second person's review: {first}{}",
                more(open)
            ),
        )
    } else if undecided > 0 {
        Outcome::unavailable(
            resource,
            &format!("whether every path from GitHub Actions into {name} is reviewed"),
            &format!("{first}{}", more(undecided)),
        )
    } else if paths.is_empty() {
        Outcome::pass(
            resource,
            format!(
                "{name} trusts GitHub Actions, but no token of the scanned organizations or of anyone else fits its trust policy"
            ),
        )
    } else {
        Outcome::pass(
            resource,
            format!(
                "every path from GitHub Actions into {name} passes a second person's review ({})",
                match paths.len() {
                    1 => "1 path".to_owned(),
                    n => format!("{n} paths"),
                }
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use tenet_iam_policy::{PolicyDocument, analyze};

    use super::*;

    /// A role `name` with `tags`.
    fn role(name: &str, tags: Observed<Vec<(&str, &str)>>) -> IamRole {
        serde_json::from_value(json!({
            "name": name,
            "arn": format!("arn:aws:iam::111122223333:role/{name}"),
            "trust_policy": {},
            "attached_policies": [],
            "inline_policies": [],
            "tags": match tags {
                Observed::Known(tags) => json!({"known": tags.into_iter().collect::<std::collections::BTreeMap<_, _>>()}),
                Observed::Unavailable { reason } => json!({"unavailable": {"reason": reason}}),
            },
        }))
        .expect("a role")
    }

    /// Grants that are not an administrator's, writing `first_write`.
    fn grants(first_write: Option<&str>) -> Result<Grants, String> {
        let empty: PolicyDocument = r#"{"Version": "2012-10-17", "Statement": []}"#
            .parse()
            .expect("a document");
        Ok(Grants {
            analysis: analyze(&empty),
            policies: Vec::new(),
            reached: Vec::new(),
            first_write: first_write.map(str::to_owned),
        })
    }

    fn production(roles: &[&str], tags: &[&str]) -> Result<Production, String> {
        let params: Params = serde_json::from_value(json!({
            "min_approvals": 2,
            "production_roles": roles,
            "production_tags": tags,
        }))
        .expect("parameters");
        Production::new(&params)
    }

    /// `production_roles`, `production_tags`, the role's tags, its first
    /// write, and why it is production (or why that is unknown).
    type Case<'a> = (
        &'a [&'a str],
        &'a [&'a str],
        Observed<Vec<(&'a str, &'a str)>>,
        Option<&'static str>,
        Result<Option<&'a str>, &'a str>,
    );

    #[test]
    fn production_is_named_by_arn_tag_or_by_default_writes() {
        let tagged = || Observed::Known(vec![("Environment", "production"), ("Tier", "web")]);
        let lost = || Observed::unavailable("lost");
        let write = Some("s3:PutObject");
        let cases: &[Case<'_>] = &[
            (
                &[],
                &[],
                tagged(),
                write,
                Ok(Some(
                    "it may change resources (s3:PutObject among others), and neither production_roles nor production_tags narrows production down",
                )),
            ),
            (&[], &[], tagged(), None, Ok(None)),
            (&[], &[], lost(), None, Ok(None)),
            (
                &["*:role/deploy"],
                &[],
                tagged(),
                write,
                Ok(Some("its ARN matches production_roles")),
            ),
            (&["*:role/other"], &[], tagged(), write, Ok(None)),
            (
                &[],
                &["Environment=production"],
                tagged(),
                None,
                Ok(Some(
                    "its tag Environment=production matches production_tags",
                )),
            ),
            (
                &[],
                &["Tier"],
                tagged(),
                None,
                Ok(Some("its tag Tier matches production_tags")),
            ),
            (&[], &["environment=production"], tagged(), write, Ok(None)),
            (&[], &["Environment=Production"], tagged(), write, Ok(None)),
            (
                &[],
                &["Environment=production"],
                lost(),
                write,
                Err("its tags, which production_tags reads: lost"),
            ),
            (
                &["*:role/deploy"],
                &["Environment=production"],
                lost(),
                None,
                Ok(Some("its ARN matches production_roles")),
            ),
        ];
        for (roles, tags, role_tags, first_write, expected) in cases {
            let production = production(roles, tags).expect("valid parameters");
            let got = production.why(&role("deploy", role_tags.clone()), || grants(*first_write));
            let expected = expected
                .map(|why| why.map(str::to_owned))
                .map_err(str::to_owned);
            assert_eq!(
                got, expected,
                "{roles:?} {tags:?} {role_tags:?} {first_write:?}"
            );
        }
    }

    #[test]
    fn a_tag_without_its_key_is_a_parameter_error() {
        for entry in ["", "=production"] {
            let err = production(&[], &[entry]).err().unwrap_or_default();
            assert!(err.contains("names no tag key"), "{entry:?}: {err}");
        }
        assert!(
            production(&[], &["Environment="]).is_ok(),
            "an empty value is a value"
        );
    }
}
