//! Users, groups, roles and managed policies in one paginated call:
//! `GetAccountAuthorizationDetails`. Its cost grows with the size of the
//! documents, not with one request per user.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_iam::{
    Client,
    types::{
        AttachedPermissionsBoundary, AttachedPolicy, EntityType, InstanceProfile,
        ManagedPolicyDetail, PolicyDetail, Tag,
    },
};
use chrono::{DateTime, Utc};
use tenet_inventory::{
    Observed,
    aws::{IamGroup, IamRole, InlinePolicy, ManagedPolicy},
};

use crate::{
    convert::{is_iam_arn, policy_document, timestamp},
    error::reason,
    pages::PageToken,
};

const PERMISSION: &str = "iam:GetAccountAuthorizationDetails";

/// The largest page IAM serves: one request per 1,000 entities.
pub(crate) const PAGE_SIZE: i32 = 1000;

/// What `GetAccountAuthorizationDetails` says about a user; the credential
/// report and the MFA device list add the rest.
#[derive(Debug, PartialEq)]
pub(crate) struct UserDetails {
    pub name: String,
    pub arn: String,
    pub created: DateTime<Utc>,
    pub groups: Vec<String>,
    pub attached_policies: Vec<String>,
    pub inline_policies: Vec<InlinePolicy>,
    pub permissions_boundary: Option<String>,
}

/// The account's IAM entities, each list sorted.
#[derive(Debug, PartialEq)]
pub(crate) struct Details {
    pub users: Vec<UserDetails>,
    pub groups: Vec<IamGroup>,
    pub roles: Vec<IamRole>,
    pub policies: Vec<ManagedPolicy>,
}

/// Reads every page of `account`'s entities; an error names the
/// permission, and an entity whose ARN is not one of `account` makes the
/// answer unusable.
pub(crate) async fn fetch(client: &Client, account: &str) -> Result<Details, String> {
    let arn = |value: Option<&str>, kind: &str, name: &str| {
        let arn = required(value, &format!("the Arn of {kind} {name}"))?;
        if is_iam_arn(&arn, account, kind) {
            Ok(arn)
        } else {
            Err(format!(
                "{PERMISSION} answered with `{arn}` as the Arn of {kind} {name}, not an IAM {kind} ARN of account {account}"
            ))
        }
    };
    let mut pages = client
        .get_account_authorization_details()
        .filter(EntityType::User)
        .filter(EntityType::Group)
        .filter(EntityType::Role)
        .filter(EntityType::LocalManagedPolicy)
        .filter(EntityType::AwsManagedPolicy)
        .max_items(PAGE_SIZE)
        .into_paginator()
        .send();
    let mut details = Details {
        users: Vec::new(),
        groups: Vec::new(),
        roles: Vec::new(),
        policies: Vec::new(),
    };
    let mut policies = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|err| reason(PERMISSION, &err))?;
        token.saw(page.marker());
        // Every entity type is asked for, so AWS sends every list, empty or
        // not: an absent one is a lost answer, never an empty account.
        let list = |present: bool, element: &str| {
            if present {
                Ok(())
            } else {
                Err(format!("{PERMISSION} answered without {element}"))
            }
        };
        list(page.user_detail_list.is_some(), "UserDetailList")?;
        list(page.group_detail_list.is_some(), "GroupDetailList")?;
        list(page.role_detail_list.is_some(), "RoleDetailList")?;
        list(page.policies.is_some(), "Policies")?;
        if page.marker.is_some() && !page.is_truncated {
            return Err(format!(
                "{PERMISSION} answered with a Marker but without IsTruncated: the listing may be cut short"
            ));
        }
        for user in page.user_detail_list() {
            let name = required(user.user_name(), "a user's UserName")?;
            let created = user.create_date().and_then(timestamp).ok_or_else(|| {
                format!("{PERMISSION} returned user {name} without a creation date")
            })?;
            details.users.push(UserDetails {
                arn: arn(user.arn(), "user", &name)?,
                created,
                groups: sorted(user.group_list().to_vec()),
                attached_policies: attached(user.attached_managed_policies(), &name)?,
                inline_policies: inline(user.user_policy_list(), &name)?,
                permissions_boundary: boundary(user.permissions_boundary(), &name)?,
                name,
            });
        }
        for group in page.group_detail_list() {
            let name = required(group.group_name(), "a group's GroupName")?;
            details.groups.push(IamGroup {
                arn: arn(group.arn(), "group", &name)?,
                attached_policies: attached(group.attached_managed_policies(), &name)?,
                inline_policies: inline(group.group_policy_list(), &name)?,
                name,
            });
        }
        for role in page.role_detail_list() {
            let name = required(role.role_name(), "a role's RoleName")?;
            details.roles.push(IamRole {
                arn: arn(role.arn(), "role", &name)?,
                trust_policy: policy_document(&required(
                    role.assume_role_policy_document(),
                    &format!("the AssumeRolePolicyDocument of role {name}"),
                )?),
                attached_policies: attached(role.attached_managed_policies(), &name)?,
                inline_policies: inline(role.role_policy_list(), &name)?,
                permissions_boundary: boundary(role.permissions_boundary(), &name)?,
                instance_profiles: instance_profiles(role.instance_profile_list.as_deref(), &name)?,
                tags: tags(role.tags.as_deref(), &name),
                name,
            });
        }
        policies.extend(page.policies().iter().cloned());
    }
    if let Some(cut) = token.cut_short(PERMISSION) {
        return Err(cut);
    }
    let referenced: BTreeSet<&str> = details
        .users
        .iter()
        .flat_map(|user| &user.attached_policies)
        .chain(details.groups.iter().flat_map(|g| &g.attached_policies))
        .chain(details.roles.iter().flat_map(|r| &r.attached_policies))
        .map(String::as_str)
        .chain(
            details
                .users
                .iter()
                .filter_map(|user| user.permissions_boundary.as_deref()),
        )
        .chain(
            details
                .roles
                .iter()
                .filter_map(|role| role.permissions_boundary.as_deref()),
        )
        .collect();
    details.policies = policies
        .iter()
        .filter(|policy| {
            policy.attachment_count().unwrap_or(0) > 0
                || policy.arn().is_some_and(|arn| referenced.contains(arn))
        })
        .map(managed_policy)
        .collect();
    details.users.sort_by(|a, b| a.name.cmp(&b.name));
    details.groups.sort_by(|a, b| a.name.cmp(&b.name));
    details.roles.sort_by(|a, b| a.name.cmp(&b.name));
    details.policies.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(details)
}

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

/// A member AWS always sends, or the reason naming what was missing.
fn required(value: Option<&str>, what: &str) -> Result<String, String> {
    value
        .filter(|text| !text.trim().is_empty())
        .map(str::to_owned)
        .ok_or_else(|| format!("{PERMISSION} answered without {what}"))
}

/// The ARN of `owner`'s permissions boundary. Without the element, `owner`
/// has none: a lost element can only widen what it is read to be allowed,
/// never narrow it. An element without its ARN could be any policy.
fn boundary(
    boundary: Option<&AttachedPermissionsBoundary>,
    owner: &str,
) -> Result<Option<String>, String> {
    boundary
        .map(|boundary| {
            required(
                boundary.permissions_boundary_arn(),
                &format!("the PermissionsBoundaryArn of the permissions boundary of {owner}"),
            )
        })
        .transpose()
}

/// The ARNs of the instance profiles role `owner` is in, sorted. Without
/// the list they are unknown, not none: an instance could run as the role
/// through any of them. A profile without its ARN could be any profile.
fn instance_profiles(
    profiles: Option<&[InstanceProfile]>,
    owner: &str,
) -> Result<Observed<Vec<String>>, String> {
    let Some(profiles) = profiles else {
        return Ok(Observed::unavailable(format!(
            "{PERMISSION} answered without the InstanceProfileList of role {owner}"
        )));
    };
    profiles
        .iter()
        .map(|profile| {
            required(
                Some(profile.arn()),
                &format!("the Arn of an instance profile of role {owner}"),
            )
        })
        .collect::<Result<Vec<_>, _>>()
        .map(|arns| Observed::Known(sorted(arns)))
}

/// The tags of role `owner`. IAM sends an empty list for a role without
/// tags, so an answer without the list lost it.
fn tags(tags: Option<&[Tag]>, owner: &str) -> Observed<BTreeMap<String, String>> {
    match tags {
        Some(tags) => Observed::Known(
            tags.iter()
                .map(|tag| (tag.key().to_owned(), tag.value().to_owned()))
                .collect(),
        ),
        None => Observed::unavailable(format!(
            "{PERMISSION} answered without the Tags of role {owner}"
        )),
    }
}

/// The ARNs of the managed policies attached to `owner`; one without an
/// ARN could be any policy, so it makes the answer unusable.
fn attached(policies: &[AttachedPolicy], owner: &str) -> Result<Vec<String>, String> {
    policies
        .iter()
        .map(|policy| {
            required(
                policy.policy_arn(),
                &format!("the PolicyArn of a policy attached to {owner}"),
            )
        })
        .collect::<Result<Vec<_>, _>>()
        .map(sorted)
}

/// The inline policies of `owner`, sorted by name.
fn inline(policies: &[PolicyDetail], owner: &str) -> Result<Vec<InlinePolicy>, String> {
    let mut inline = policies
        .iter()
        .map(|policy| {
            let name = required(
                policy.policy_name(),
                &format!("the PolicyName of an inline policy of {owner}"),
            )?;
            let document = required(
                policy.policy_document(),
                &format!("the PolicyDocument of inline policy {name} of {owner}"),
            )?;
            Ok(InlinePolicy {
                name,
                document: policy_document(&document),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    inline.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(inline)
}

fn managed_policy(policy: &ManagedPolicyDetail) -> ManagedPolicy {
    let arn = policy.arn().unwrap_or_default().to_owned();
    let document = policy
        .policy_version_list()
        .iter()
        .find(|version| version.is_default_version())
        .and_then(|version| version.document())
        .map_or(serde_json::Value::Null, policy_document);
    // The name is the ARN's last segment, should a response omit it.
    let name = policy
        .policy_name()
        .filter(|name| !name.is_empty())
        .or_else(|| arn.rsplit('/').next())
        .unwrap_or_default()
        .to_owned();
    ManagedPolicy {
        aws_managed: arn.split(':').nth(4) == Some("aws"),
        name,
        document,
        arn,
    }
}
