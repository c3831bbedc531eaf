//! Shared walk and naming of EC2 resources.

use tenet_inventory::aws::{AwsAccount, AwsRegion, SecurityGroup};

use crate::{
    Context, Outcome, Resource,
    support::{each_region, known},
};

/// Runs `check` for every security group of every region read; a region
/// whose groups could not be read is one error.
pub(crate) fn each_security_group(
    cx: &Context<'_>,
    mut check: impl FnMut(&AwsAccount, &AwsRegion, &SecurityGroup, &mut Vec<Outcome>),
) -> Vec<Outcome> {
    each_region(cx, |account, region, out| {
        let Some(groups) = known(
            &region.security_groups,
            out,
            || Resource::aws_account(&account.account_id),
            &format!("the security groups of {}", region.name),
        ) else {
            return;
        };
        for group in groups {
            check(account, region, group, out);
        }
    })
}

/// A security group as a report resource, by ARN.
pub(crate) fn security_group_resource(
    account: &AwsAccount,
    region: &AwsRegion,
    group: &SecurityGroup,
) -> Resource {
    Resource::new(
        format!(
            "arn:aws:ec2:{}:{}:security-group/{}",
            region.name, account.account_id, group.id
        ),
        "security group",
    )
}

/// How a group is named in messages: `sg-0abc (web)`.
pub(crate) fn group_label(group: &SecurityGroup) -> String {
    if group.name.is_empty() {
        group.id.clone()
    } else {
        format!("{} ({})", group.id, group.name)
    }
}
