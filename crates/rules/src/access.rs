//! Who has access, as the snapshot shows it: the population an access
//! review samples from. One entry per person or principal of each system
//! read: a GitHub organization's owners and members (with 2FA), its outside
//! collaborators (with 2FA and the repositories they reach, at what
//! permission); an AWS account's root user, its IAM users (console sign-in,
//! MFA, active access keys, last use) and its IAM roles that are
//! administrators. An administrator is tenet's one notion of it: an
//! organization owner, an outside collaborator with admin on a repository,
//! or an IAM principal that holds full admin or can make itself full admin
//! (as `aws.iam.max-admins` counts them).
//!
//! What could not be read is a [`Gap`], never an empty list; a fact of an
//! entry that could not be read is [`Fact::Unknown`] with the reason.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tenet_inventory::{
    Observed, Snapshot,
    aws::{AwsAccount, InlinePolicy, KeyStatus},
    github::{GithubOrg, MemberRole, RepoPermission},
};

use crate::{Resource, iam::AccountIam};

/// The access roster of a snapshot.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Roster {
    /// Every person or principal with access, by system, then kind, then
    /// name.
    pub entries: Vec<Entry>,
    /// What could not be read, so what the entries may lack.
    pub gaps: Vec<Gap>,
    /// What tenet does not collect, so what the entries never show.
    pub not_collected: Vec<String>,
}

/// One person or principal with access to one system.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The system: `GitHub acme-corp`, `AWS 111122223333`.
    pub system: String,
    /// What kind of access it is.
    pub kind: EntryKind,
    /// The principal's id, as findings name it
    /// (`github:acme-corp:member/dave`, an ARN).
    pub id: String,
    /// Its name: a login, a user or role name, `root`.
    pub name: String,
    /// Whether it administers the system.
    pub administrator: Fact<bool>,
    /// Whether it signs in with a second factor (2FA on GitHub, an MFA
    /// device on AWS); absent where it does not apply (a role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa: Option<Fact<bool>>,
    /// Whether it can sign in to the AWS console (IAM users).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub console: Option<Fact<bool>>,
    /// Its active access keys (IAM users; the root user: whether it has
    /// any, as 0 or 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_keys: Option<Fact<u32>>,
    /// When it last signed in or used a key, the newer of the two (IAM
    /// users); `null` inside when never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used: Option<Fact<Option<DateTime<Utc>>>>,
    /// What it reaches, in words: `admin on acme-corp/web`, `group
    /// admins`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<String>,
}

/// The kinds of access the roster lists.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A GitHub organization owner.
    OrganizationOwner,
    /// A GitHub organization member.
    OrganizationMember,
    /// A GitHub outside collaborator.
    OutsideCollaborator,
    /// An AWS account's root user.
    RootUser,
    /// An IAM user.
    IamUser,
    /// An IAM role that is an administrator.
    AdministratorRole,
}

impl EntryKind {
    /// Whether it is access to an AWS account.
    pub fn is_aws(self) -> bool {
        matches!(
            self,
            EntryKind::RootUser | EntryKind::IamUser | EntryKind::AdministratorRole
        )
    }

    /// The kind in words.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::OrganizationOwner => "organization owner",
            EntryKind::OrganizationMember => "organization member",
            EntryKind::OutsideCollaborator => "outside collaborator",
            EntryKind::RootUser => "root user",
            EntryKind::IamUser => "IAM user",
            EntryKind::AdministratorRole => "administrator role",
        }
    }
}

/// A fact of an entry: known, or unknown with the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Fact<T> {
    /// Read.
    Known(T),
    /// Could not be read: why.
    Unknown(String),
}

impl<T: Clone> From<&Observed<T>> for Fact<T> {
    fn from(observed: &Observed<T>) -> Fact<T> {
        match observed {
            Observed::Known(value) => Fact::Known(value.clone()),
            Observed::Unavailable { reason } => Fact::Unknown(reason.clone()),
        }
    }
}

/// Something the roster could not read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gap {
    /// The system.
    pub system: String,
    /// What could not be read: `the organization's members`.
    pub what: String,
    /// Why.
    pub reason: String,
}

/// What the roster never shows, whatever the credential.
const NOT_COLLECTED: [&str; 3] = [
    "GitHub: the repository administrators who are organization members (directly or through teams); organization owners administer every repository",
    "AWS: who may assume each role (its trust policy is judged by the aws.iam.role-trust-* controls); roles that are not administrators",
    "AWS: people who sign in through IAM Identity Center or another identity provider",
];

/// The access roster of `snapshot`.
pub fn roster(snapshot: &Snapshot) -> Roster {
    let mut roster = Roster {
        not_collected: NOT_COLLECTED.iter().map(|s| (*s).to_owned()).collect(),
        ..Roster::default()
    };
    for org in &snapshot.github {
        github(org, &mut roster);
    }
    for account in &snapshot.aws {
        aws(account, snapshot.collected_at, &mut roster);
    }
    roster.sort();
    roster
}

impl Roster {
    /// Puts the entries in the roster's order: GitHub before AWS, then by
    /// system, kind and name; the gaps by system. Rosters merged from
    /// shards in any order come out the same.
    pub fn sort(&mut self) {
        self.entries.sort_by(|a, b| {
            let key = |e: &Entry| (e.kind.is_aws(), e.system.clone(), e.kind, e.name.clone());
            key(a).cmp(&key(b))
        });
        self.gaps.sort_by(|a, b| {
            (a.system.starts_with("AWS "), &a.system)
                .cmp(&(b.system.starts_with("AWS "), &b.system))
        });
    }
}

/// The owners, members and outside collaborators of `org`.
fn github(org: &GithubOrg, roster: &mut Roster) {
    let system = format!("GitHub {}", org.login);
    let gap = |what: &str, reason: &str| Gap {
        system: system.clone(),
        what: what.to_owned(),
        reason: reason.to_owned(),
    };
    match &org.members {
        Observed::Known(members) => {
            for member in members {
                let owner = member.role == MemberRole::Admin;
                roster.entries.push(Entry {
                    system: system.clone(),
                    kind: if owner {
                        EntryKind::OrganizationOwner
                    } else {
                        EntryKind::OrganizationMember
                    },
                    id: Resource::github_member(&org.login, &member.login).id,
                    name: member.login.clone(),
                    administrator: Fact::Known(owner),
                    mfa: Some((&member.two_factor_enabled).into()),
                    console: None,
                    active_keys: None,
                    last_used: None,
                    grants: Vec::new(),
                });
            }
        }
        Observed::Unavailable { reason } => {
            roster.gaps.push(gap("the organization's members", reason));
        }
    }
    let collaborators = match &org.outside_collaborators {
        Observed::Known(collaborators) => collaborators,
        Observed::Unavailable { reason } => {
            roster
                .gaps
                .push(gap("the organization's outside collaborators", reason));
            return;
        }
    };
    let mut reach: Vec<(&str, String, bool)> = Vec::new();
    match &org.repositories {
        Observed::Known(repositories) => {
            for repository in repositories {
                match &repository.outside_collaborators {
                    Observed::Known(list) => {
                        for collaborator in list {
                            reach.push((
                                collaborator.login.as_str(),
                                format!(
                                    "{} on {}/{}",
                                    permission(collaborator.permission),
                                    org.login,
                                    repository.name
                                ),
                                collaborator.permission == RepoPermission::Admin,
                            ));
                        }
                    }
                    Observed::Unavailable { reason } => roster.gaps.push(gap(
                        &format!(
                            "the outside collaborators of {}/{}",
                            org.login, repository.name
                        ),
                        reason,
                    )),
                }
            }
        }
        Observed::Unavailable { reason } => roster.gaps.push(gap(
            "the repositories the outside collaborators reach",
            reason,
        )),
    }
    let complete = matches!(&org.repositories, Observed::Known(repositories)
        if repositories.iter().all(|r| r.outside_collaborators.known().is_some()));
    for person in collaborators {
        let theirs: Vec<&(&str, String, bool)> = reach
            .iter()
            .filter(|(login, _, _)| *login == person.login)
            .collect();
        let administrator = if theirs.iter().any(|(_, _, admin)| *admin) {
            Fact::Known(true)
        } else if complete {
            Fact::Known(false)
        } else {
            Fact::Unknown("the outside collaborators of some repositories could not be read".into())
        };
        roster.entries.push(Entry {
            system: system.clone(),
            kind: EntryKind::OutsideCollaborator,
            id: Resource::github_org_part(
                &org.login,
                "outside-collaborator",
                &person.login,
                "GitHub outside collaborator",
            )
            .id,
            name: person.login.clone(),
            administrator,
            mfa: Some((&person.two_factor_enabled).into()),
            console: None,
            active_keys: None,
            last_used: None,
            grants: theirs.iter().map(|(_, grant, _)| grant.clone()).collect(),
        });
    }
}

/// A repository permission as GitHub names it.
fn permission(permission: RepoPermission) -> &'static str {
    match permission {
        RepoPermission::Read => "read",
        RepoPermission::Triage => "triage",
        RepoPermission::Write => "write",
        RepoPermission::Maintain => "maintain",
        RepoPermission::Admin => "admin",
    }
}

/// The root user, the IAM users and the administrator roles of `account`.
fn aws(account: &AwsAccount, collected_at: DateTime<Utc>, roster: &mut Roster) {
    let system = format!("AWS {}", account.account_id);
    let root = &account.root;
    roster.entries.push(Entry {
        system: system.clone(),
        kind: EntryKind::RootUser,
        id: Resource::aws_root(&account.account_id).id,
        name: "root".into(),
        administrator: Fact::Known(true),
        mfa: Some((&root.mfa_enabled).into()),
        console: None,
        active_keys: Some(match &root.access_keys_present {
            Observed::Known(present) => Fact::Known(u32::from(*present)),
            Observed::Unavailable { reason } => Fact::Unknown(reason.clone()),
        }),
        last_used: None,
        grants: Vec::new(),
    });
    // Whether each user and role is an administrator, by id: the lists
    // that could not be read are the gaps below.
    let mut unread = Vec::new();
    let administrators: BTreeMap<String, Fact<bool>> = AccountIam::new(account, collected_at)
        .principals(&mut unread)
        .into_iter()
        .map(|principal| {
            let fact = match principal.grants {
                Ok(grants) => Fact::Known(grants.is_administrator()),
                Err(reason) => Fact::Unknown(reason),
            };
            (principal.resource.id, fact)
        })
        .collect();
    for (list, what) in [
        (account.users.as_result().err(), "the account's IAM users"),
        (account.roles.as_result().err(), "the account's IAM roles"),
    ] {
        if let Some(reason) = list {
            roster.gaps.push(Gap {
                system: system.clone(),
                what: what.to_owned(),
                reason: reason.to_owned(),
            });
        }
    }
    let administrator = |id: &str| -> Fact<bool> {
        administrators
            .get(id)
            .cloned()
            .unwrap_or_else(|| Fact::Unknown("not among the account's principals".into()))
    };
    if let Observed::Known(users) = &account.users {
        for user in users {
            let id = Resource::iam_user(&user.arn).id;
            let mut grants: Vec<String> = user
                .groups
                .iter()
                .map(|group| format!("group {group}"))
                .collect();
            grants.extend(policies(&user.attached_policies, &user.inline_policies));
            roster.entries.push(Entry {
                system: system.clone(),
                kind: EntryKind::IamUser,
                administrator: administrator(&id),
                id,
                name: user.name.clone(),
                mfa: Some(match &user.mfa_devices {
                    Observed::Known(devices) => Fact::Known(!devices.is_empty()),
                    Observed::Unavailable { reason } => Fact::Unknown(reason.clone()),
                }),
                console: Some((&user.console_access).into()),
                active_keys: Some(match &user.access_keys {
                    Observed::Known(keys) => Fact::Known(
                        u32::try_from(
                            keys.iter()
                                .filter(|k| k.status == KeyStatus::Active)
                                .count(),
                        )
                        .unwrap_or(u32::MAX),
                    ),
                    Observed::Unavailable { reason } => Fact::Unknown(reason.clone()),
                }),
                last_used: Some(last_used(user)),
                grants,
            });
        }
    }
    if let Observed::Known(roles) = &account.roles {
        for role in roles {
            let administrator = administrator(&role.arn);
            if administrator == Fact::Known(false) {
                continue;
            }
            roster.entries.push(Entry {
                system: system.clone(),
                kind: EntryKind::AdministratorRole,
                id: role.arn.clone(),
                name: role.name.clone(),
                administrator,
                mfa: None,
                console: None,
                active_keys: None,
                last_used: None,
                grants: policies(&role.attached_policies, &role.inline_policies).collect(),
            });
        }
    }
}

/// A principal's policies in words: `policy ARN`, `inline policy NAME`.
fn policies<'a>(
    attached: &'a [String],
    inline: &'a [InlinePolicy],
) -> impl Iterator<Item = String> + 'a {
    attached
        .iter()
        .map(|arn| format!("policy {arn}"))
        .chain(inline.iter().map(|p| format!("inline policy {}", p.name)))
}

/// When `user` last signed in or used an access key: the newer of the two,
/// `None` inside when neither ever happened; unknown when either could not
/// be read. A user without a console password has no sign-in to count.
fn last_used(user: &tenet_inventory::aws::IamUser) -> Fact<Option<DateTime<Utc>>> {
    let password = match (&user.console_access, &user.password_last_used) {
        (Observed::Known(false), _) => None,
        (_, Observed::Known(when)) => *when,
        (_, Observed::Unavailable { reason }) => return Fact::Unknown(reason.clone()),
    };
    let keys = match &user.access_keys {
        Observed::Known(keys) => keys.iter().filter_map(|k| k.last_used).max(),
        Observed::Unavailable { reason } => return Fact::Unknown(reason.clone()),
    };
    Fact::Known(password.max(keys))
}
