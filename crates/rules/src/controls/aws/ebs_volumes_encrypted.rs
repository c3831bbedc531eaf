//! `aws.ebs.volumes-encrypted`: every EBS volume is encrypted at rest.

use crate::{
    Context, Outcome, Resource,
    support::{each_region, known},
};

/// One outcome per volume of every region.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_region(cx, |account, region, out| {
        let Some(volumes) = known(
            &region.volumes,
            out,
            || Resource::aws_account(&account.account_id),
            &format!("the EBS volumes of {}", region.name),
        ) else {
            return;
        };
        for volume in volumes {
            let resource = Resource::new(
                format!(
                    "arn:aws:ec2:{}:{}:volume/{}",
                    region.name, account.account_id, volume.id
                ),
                "EBS volume",
            );
            let attached = if volume.attached_to.is_empty() {
                "not attached".to_owned()
            } else {
                format!("attached to {}", volume.attached_to.join(", "))
            };
            out.push(if volume.encrypted {
                Outcome::pass(resource, format!("{} is encrypted", volume.id))
                    .with("encrypted", true)
                    .with("attached_to", volume.attached_to.clone())
            } else {
                Outcome::fail(
                    resource,
                    format!("{} is not encrypted ({attached})", volume.id),
                )
                .with("encrypted", false)
                .with("attached_to", volume.attached_to.clone())
            });
        }
    })
}
