//! What an IAM principal is allowed to do: every policy attached to it
//! (directly, inline, and through its groups) parsed and analyzed as one
//! document, so that Deny statements and escalation paths that span two
//! policies are seen.

use serde_json::Value;
use tenet_iam_policy::{Analysis, PolicyDocument, analyze};
use tenet_inventory::{
    Observed,
    aws::{AwsAccount, InlinePolicy},
};

use crate::{Outcome, Resource};

/// The combined grants of one principal.
#[derive(Clone, Debug)]
pub(crate) struct Grants {
    /// The analysis of all its policies together.
    pub analysis: Analysis,
    /// The policies it has, for evidence: ARNs, `inline:<name>`,
    /// `group:<name>:inline:<name>`.
    pub policies: Vec<String>,
}

impl Grants {
    /// Full admin (`*` on `*`, conditional or not), or "everything except"
    /// access that still includes all of IAM, which is admin in one step.
    pub fn is_admin(&self) -> bool {
        let a = &self.analysis;
        a.full_admin
            || a.conditional_full_admin
            || (a.admin_like && a.wildcard_services.iter().any(|s| s == "iam"))
    }
}

/// A user or role with its grants, or why they could not be determined.
pub(crate) struct Principal<'a> {
    /// The principal as a report resource.
    pub resource: Resource,
    /// Its name.
    pub name: &'a str,
    /// Its grants.
    pub grants: Result<Grants, String>,
}

/// Collects documents to analyze; fails on the first missing or malformed one.
struct Documents<'a> {
    account: &'a AwsAccount,
    labels: Vec<String>,
    documents: Vec<(String, &'a Value)>,
}

impl<'a> Documents<'a> {
    fn managed(&mut self, arns: &'a [String], prefix: &str) -> Result<(), String> {
        if arns.is_empty() {
            return Ok(());
        }
        let policies = self
            .account
            .policies
            .as_result()
            .map_err(|reason| format!("the managed policies: {reason}"))?;
        for arn in arns {
            let policy = policies
                .iter()
                .find(|p| &p.arn == arn)
                .ok_or_else(|| format!("the document of {arn} was not collected"))?;
            self.labels.push(format!("{prefix}{arn}"));
            self.documents.push((arn.clone(), &policy.document));
        }
        Ok(())
    }

    fn inline(&mut self, policies: &'a [InlinePolicy], prefix: &str) {
        for policy in policies {
            let label = format!("{prefix}inline:{}", policy.name);
            self.labels.push(label.clone());
            self.documents.push((label, &policy.document));
        }
    }

    fn analyze(self) -> Result<Grants, String> {
        let mut statements = Vec::new();
        for (label, document) in self.documents {
            let parsed = PolicyDocument::parse(document)
                .map_err(|err| format!("policy {label} is malformed: {err}"))?;
            statements.extend(parsed.statements);
        }
        Ok(Grants {
            analysis: analyze(&PolicyDocument {
                version: Some("2012-10-17".into()),
                id: None,
                statements,
            }),
            policies: self.labels,
        })
    }
}

/// The grants of one user: its own policies and its groups'.
pub(crate) fn user_grants(
    account: &AwsAccount,
    user: &tenet_inventory::aws::IamUser,
) -> Result<Grants, String> {
    let mut docs = Documents {
        account,
        labels: Vec::new(),
        documents: Vec::new(),
    };
    docs.managed(&user.attached_policies, "")?;
    docs.inline(&user.inline_policies, "");
    if !user.groups.is_empty() {
        let groups = account
            .groups
            .as_result()
            .map_err(|reason| format!("the user's groups: {reason}"))?;
        for name in &user.groups {
            let group = groups
                .iter()
                .find(|g| &g.name == name)
                .ok_or_else(|| format!("group {name} was not collected"))?;
            let prefix = format!("group:{name}:");
            docs.managed(&group.attached_policies, &prefix)?;
            docs.inline(&group.inline_policies, &prefix);
        }
    }
    docs.analyze()
}

/// Every user and role of the account with its grants. An error outcome is
/// pushed for a list that could not be read.
pub(crate) fn principals<'a>(
    account: &'a AwsAccount,
    out: &mut Vec<Outcome>,
) -> Vec<Principal<'a>> {
    let mut principals = Vec::new();
    match &account.users {
        Observed::Known(users) => {
            for user in users {
                principals.push(Principal {
                    resource: Resource::iam_user(&user.arn),
                    name: &user.name,
                    grants: user_grants(account, user),
                });
            }
        }
        Observed::Unavailable { reason } => out.push(Outcome::unavailable(
            Resource::aws_account(&account.account_id),
            "the account's IAM users",
            reason,
        )),
    }
    match &account.roles {
        Observed::Known(roles) => {
            for role in roles {
                let mut docs = Documents {
                    account,
                    labels: Vec::new(),
                    documents: Vec::new(),
                };
                let grants = docs.managed(&role.attached_policies, "").and_then(|()| {
                    docs.inline(&role.inline_policies, "");
                    docs.analyze()
                });
                principals.push(Principal {
                    resource: Resource::new(role.arn.clone(), "IAM role"),
                    name: &role.name,
                    grants,
                });
            }
        }
        Observed::Unavailable { reason } => out.push(Outcome::unavailable(
            Resource::aws_account(&account.account_id),
            "the account's IAM roles",
            reason,
        )),
    }
    principals
}

/// Runs `check` for every user and role of every account with its grants; a
/// principal whose grants cannot be determined is an error outcome.
pub(crate) fn each_principal(
    cx: &crate::Context<'_>,
    mut check: impl FnMut(Resource, &str, Grants, &mut Vec<Outcome>),
) -> Vec<Outcome> {
    crate::support::each_account(cx, |account, out| {
        for principal in principals(account, out) {
            match principal.grants {
                Ok(grants) => check(principal.resource, principal.name, grants, out),
                Err(reason) => out.push(Outcome::unavailable(
                    principal.resource,
                    &format!("what {} may do", principal.name),
                    &reason,
                )),
            }
        }
    })
}
