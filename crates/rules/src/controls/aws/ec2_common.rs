//! Shared naming of EC2 resources.

use tenet_inventory::aws::{AwsAccount, AwsRegion, SecurityGroup};

use crate::Resource;

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
