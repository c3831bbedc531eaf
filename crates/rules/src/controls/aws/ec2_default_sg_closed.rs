//! `aws.ec2.default-sg-closed`: every VPC's default security group has no
//! rules, so nothing is reachable merely for being placed in it.

use super::ec2_common::{each_security_group, group_label, security_group_resource};
use crate::{Context, Outcome};

/// One outcome per default security group of every region.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_security_group(cx, |account, region, group, out| {
        if group.name != "default" {
            return;
        }
        let resource = security_group_resource(account, region, group);
        let label = group_label(group);
        let vpc = group.vpc_id.as_deref().unwrap_or("its VPC");
        let (inbound, outbound) = (group.ingress.len(), group.egress.len());
        out.push(if inbound == 0 && outbound == 0 {
                Outcome::pass(
                    resource,
                    format!("{label}, the default group of {vpc}, has no rules"),
                )
                .with("inbound_rules", 0)
                .with("outbound_rules", 0)
            } else {
                Outcome::fail(
                    resource,
                    format!(
                        "{label}, the default group of {vpc}, has {inbound} inbound and {outbound} outbound rule(s)"
                    ),
                )
                .with("inbound_rules", inbound)
                .with("outbound_rules", outbound)
        });
    })
}
