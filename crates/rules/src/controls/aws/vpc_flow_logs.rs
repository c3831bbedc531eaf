//! `aws.vpc.flow-logs`: every VPC of every region read records its traffic
//! with an active flow log on the VPC itself.

use tenet_inventory::Observed;

use crate::{
    Context, Outcome, Resource,
    support::{each_region, known},
};

/// One outcome per VPC.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_region(cx, |account, region, out| {
        let account_resource = || Resource::aws_account(&account.account_id);
        let Some(vpcs) = known(
            &region.vpcs,
            out,
            account_resource,
            &format!("the VPCs of {}", region.name),
        ) else {
            return;
        };
        for vpc in vpcs {
            let resource = Resource::new(
                format!(
                    "arn:aws:ec2:{}:{}:vpc/{}",
                    region.name, account.account_id, vpc.id
                ),
                "VPC",
            );
            let logs = match &region.flow_logs {
                Observed::Known(logs) => logs,
                Observed::Unavailable { reason } => {
                    out.push(Outcome::unavailable(
                        resource,
                        "the VPC's flow logs",
                        reason,
                    ));
                    continue;
                }
            };
            let default = if vpc.is_default { " (default)" } else { "" };
            let active: Vec<&str> = logs
                .iter()
                .filter(|log| log.resource_id == vpc.id && log.status == "ACTIVE")
                .map(|log| log.traffic_type.as_str())
                .collect();
            out.push(if active.is_empty() {
                Outcome::fail(
                    resource,
                    format!("{}{default} has no active flow log", vpc.id),
                )
                .with("traffic_types", active)
            } else {
                Outcome::pass(
                    resource,
                    format!(
                        "{}{default} records {} traffic in a flow log",
                        vpc.id,
                        active.join(" and ")
                    ),
                )
                .with("traffic_types", active)
            });
        }
    })
}
