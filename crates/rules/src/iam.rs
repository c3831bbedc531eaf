//! What an IAM principal is allowed to do: every policy attached to it
//! (directly, inline, and through its groups) parsed and analyzed as one
//! document, so that Deny statements and escalation paths that span two
//! policies are seen, within its permissions boundary when it has one.

use serde_json::Value;
use tenet_iam_policy::{Analysis, PolicyDocument, analyze_within};
use tenet_inventory::{
    Observed,
    aws::{AwsAccount, IamRole, InlinePolicy},
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
    /// The escalation methods confined to passing particular roles, judged
    /// against the account's roles.
    pub passes: Vec<PassedRoles>,
}

/// An escalation method confined to passing particular roles, and those of
/// them that are administrators of the account.
#[derive(Clone, Debug)]
pub(crate) struct PassedRoles {
    /// The method's id.
    pub method: String,
    /// The method needs a condition.
    pub conditional: bool,
    /// The roles it passes that are administrators (ARNs); a role the
    /// account does not have cannot be passed.
    pub administrators: Vec<String>,
}

impl Grants {
    /// tenet's one notion of an administrator ([`Analysis::is_administrator`]),
    /// with a method that passes particular roles counted when one of them
    /// is an administrator.
    pub fn is_administrator(&self) -> bool {
        self.analysis.is_administrator()
            || self
                .passes
                .iter()
                .any(|passed| !passed.conditional && !passed.administrators.is_empty())
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
    /// The permissions boundary, when the principal has one.
    boundary: Option<(String, &'a Value)>,
}

impl<'a> Documents<'a> {
    fn new(account: &'a AwsAccount) -> Self {
        Documents {
            account,
            labels: Vec::new(),
            documents: Vec::new(),
            boundary: None,
        }
    }

    /// The document of the managed policy `arn`.
    fn document(&self, arn: &str) -> Result<&'a Value, String> {
        let policies = self
            .account
            .policies
            .as_result()
            .map_err(|reason| format!("the managed policies: {reason}"))?;
        policies
            .iter()
            .find(|p| p.arn == arn)
            .map(|policy| &policy.document)
            .ok_or_else(|| format!("the document of {arn} was not collected"))
    }

    fn managed(&mut self, arns: &'a [String], prefix: &str) -> Result<(), String> {
        for arn in arns {
            let document = self.document(arn)?;
            self.labels.push(format!("{prefix}{arn}"));
            self.documents.push((arn.clone(), document));
        }
        Ok(())
    }

    /// The principal's permissions boundary, which bounds what the other
    /// documents grant.
    fn boundary(&mut self, arn: Option<&'a String>) -> Result<(), String> {
        if let Some(arn) = arn {
            let document = self.document(arn)?;
            self.labels.push(format!("boundary:{arn}"));
            self.boundary = Some((arn.clone(), document));
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
        let boundary = self
            .boundary
            .map(|(arn, document)| {
                PolicyDocument::parse(document)
                    .map_err(|err| format!("permissions boundary {arn} is malformed: {err}"))
            })
            .transpose()?;
        let policies = PolicyDocument {
            version: Some("2012-10-17".into()),
            id: None,
            statements,
        };
        Ok(Grants {
            analysis: analyze_within(&policies, boundary.as_ref()),
            policies: self.labels,
            passes: Vec::new(),
        })
    }
}

/// The grants of one user: its own policies and its groups'.
pub(crate) fn user_grants(
    account: &AwsAccount,
    user: &tenet_inventory::aws::IamUser,
) -> Result<Grants, String> {
    let mut docs = Documents::new(account);
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
    docs.boundary(user.permissions_boundary.as_ref())?;
    judge_passes(account, docs.analyze()?)
}

/// The grants of one role, its confined methods not judged.
fn role_grants(account: &AwsAccount, role: &IamRole) -> Result<Grants, String> {
    let mut docs = Documents::new(account);
    docs.managed(&role.attached_policies, "")?;
    docs.inline(&role.inline_policies, "");
    docs.boundary(role.permissions_boundary.as_ref())?;
    docs.analyze()
}

/// Judges the methods of `grants` confined to passing particular roles
/// against the account's roles: each role it passes that is an
/// administrator (by its own policies) makes the method an escalation. A
/// role the account does not have cannot be passed; one whose grants cannot
/// be read leaves the principal's undetermined.
fn judge_passes(account: &AwsAccount, mut grants: Grants) -> Result<Grants, String> {
    for method in grants
        .analysis
        .privilege_escalation
        .iter()
        .filter(|method| !method.roles.is_empty())
    {
        let roles = account
            .roles
            .as_result()
            .map_err(|reason| format!("the roles it may pass: {reason}"))?;
        let mut administrators = Vec::new();
        for arn in &method.roles {
            let Some(role) = roles.iter().find(|role| &role.arn == arn) else {
                continue;
            };
            let reached = role_grants(account, role)
                .map_err(|reason| format!("what role {} may do: {reason}", role.name))?;
            if reached.analysis.is_administrator() {
                administrators.push(arn.clone());
            }
        }
        grants.passes.push(PassedRoles {
            method: method.id.clone(),
            conditional: method.conditional,
            administrators,
        });
    }
    Ok(grants)
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
                let grants =
                    role_grants(account, role).and_then(|grants| judge_passes(account, grants));
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
