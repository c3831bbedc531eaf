//! Users, groups, roles and managed policies in one paginated call:
//! `GetAccountAuthorizationDetails`. Its cost grows with the size of the
//! documents, not with one request per user.

use std::collections::BTreeSet;

use aws_sdk_iam::{
    Client,
    types::{AttachedPolicy, EntityType, ManagedPolicyDetail, PolicyDetail},
};
use chrono::{DateTime, Utc};
use tenet_inventory::aws::{IamGroup, IamRole, InlinePolicy, ManagedPolicy};

use crate::{
    convert::{policy_document, timestamp},
    error::reason,
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
}

/// The account's IAM entities, each list sorted.
#[derive(Debug, PartialEq)]
pub(crate) struct Details {
    pub users: Vec<UserDetails>,
    pub groups: Vec<IamGroup>,
    pub roles: Vec<IamRole>,
    pub policies: Vec<ManagedPolicy>,
}

/// Reads every page; an error names the permission.
pub(crate) async fn fetch(client: &Client) -> Result<Details, String> {
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
    while let Some(page) = pages.next().await {
        let page = page.map_err(|err| reason(PERMISSION, &err))?;
        for user in page.user_detail_list() {
            let name = user.user_name().unwrap_or_default().to_owned();
            let created = user.create_date().and_then(timestamp).ok_or_else(|| {
                format!("{PERMISSION} returned user {name} without a creation date")
            })?;
            details.users.push(UserDetails {
                arn: user.arn().unwrap_or_default().to_owned(),
                created,
                groups: sorted(user.group_list().to_vec()),
                attached_policies: attached(user.attached_managed_policies()),
                inline_policies: inline(user.user_policy_list()),
                name,
            });
        }
        for group in page.group_detail_list() {
            details.groups.push(IamGroup {
                name: group.group_name().unwrap_or_default().to_owned(),
                arn: group.arn().unwrap_or_default().to_owned(),
                attached_policies: attached(group.attached_managed_policies()),
                inline_policies: inline(group.group_policy_list()),
            });
        }
        for role in page.role_detail_list() {
            details.roles.push(IamRole {
                name: role.role_name().unwrap_or_default().to_owned(),
                arn: role.arn().unwrap_or_default().to_owned(),
                trust_policy: policy_document(
                    role.assume_role_policy_document().unwrap_or_default(),
                ),
                attached_policies: attached(role.attached_managed_policies()),
                inline_policies: inline(role.role_policy_list()),
            });
        }
        policies.extend(page.policies().iter().cloned());
    }
    let referenced: BTreeSet<&str> = details
        .users
        .iter()
        .flat_map(|user| &user.attached_policies)
        .chain(details.groups.iter().flat_map(|g| &g.attached_policies))
        .chain(details.roles.iter().flat_map(|r| &r.attached_policies))
        .map(String::as_str)
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

fn attached(policies: &[AttachedPolicy]) -> Vec<String> {
    sorted(
        policies
            .iter()
            .filter_map(|policy| policy.policy_arn().map(str::to_owned))
            .collect(),
    )
}

fn inline(policies: &[PolicyDetail]) -> Vec<InlinePolicy> {
    let mut inline: Vec<InlinePolicy> = policies
        .iter()
        .map(|policy| InlinePolicy {
            name: policy.policy_name().unwrap_or_default().to_owned(),
            document: policy_document(policy.policy_document().unwrap_or_default()),
        })
        .collect();
    inline.sort_by(|a, b| a.name.cmp(&b.name));
    inline
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
