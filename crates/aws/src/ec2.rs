//! EC2's regional facts: the account's enabled regions, security groups,
//! EBS volumes, EBS encryption by default, instances, VPCs and their flow
//! logs. Each region costs six list calls (plus one per further page),
//! whatever the number of resources.

use aws_sdk_ec2::{
    Client,
    types::{IpPermission, SecurityGroup as Ec2SecurityGroup},
};
use tenet_inventory::{
    Observed,
    aws::{EbsVolume, Ec2Instance, FlowLog, SecurityGroup, SecurityGroupRule, Vpc},
};

use crate::{error::reason, pages::PageToken};

/// The largest page `DescribeSecurityGroups` serves.
const GROUPS_PAGE: i32 = 1000;
/// The largest page `DescribeVolumes` serves.
const VOLUMES_PAGE: i32 = 500;
/// The largest page `DescribeInstances` serves.
const INSTANCES_PAGE: i32 = 1000;
/// The largest page `DescribeVpcs` serves.
const VPCS_PAGE: i32 = 1000;
/// The largest page `DescribeFlowLogs` serves.
const FLOW_LOGS_PAGE: i32 = 1000;

/// The regions enabled in the account (opted in, or needing no opt-in),
/// sorted.
pub(crate) async fn enabled_regions(client: &Client) -> Result<Vec<String>, String> {
    const CALL: &str = "ec2:DescribeRegions";
    let output = client
        .describe_regions()
        .send()
        .await
        .map_err(|err| reason(CALL, &err))?;
    // EC2 always sends the list: an answer without it lost its content,
    // and no region is not "none".
    let Some(regions) = &output.regions else {
        return Err(format!("{CALL} answered without regionInfo"));
    };
    let mut names = regions
        .iter()
        .map(|region| {
            region
                .region_name()
                .filter(|name| !name.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| format!("{CALL} listed a region without its regionName"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if names.is_empty() {
        return Err(format!("{CALL} listed no region"));
    }
    names.sort();
    Ok(names)
}

/// EC2's facts of one region.
pub(crate) struct RegionFacts {
    pub ebs_encryption_by_default: Observed<bool>,
    pub volumes: Observed<Vec<EbsVolume>>,
    pub instances: Observed<Vec<Ec2Instance>>,
    pub security_groups: Observed<Vec<SecurityGroup>>,
    pub vpcs: Observed<Vec<Vpc>>,
    pub flow_logs: Observed<Vec<FlowLog>>,
}

/// EC2's facts of the client's region; each call's failure costs only its
/// fact.
pub(crate) async fn region(client: &Client) -> RegionFacts {
    let (ebs_encryption_by_default, volumes, instances, security_groups, vpcs, flow_logs) = tokio::join!(
        encryption_by_default(client),
        volumes(client),
        instances(client),
        security_groups(client),
        vpcs(client),
        flow_logs(client),
    );
    RegionFacts {
        ebs_encryption_by_default,
        volumes,
        instances,
        security_groups,
        vpcs,
        flow_logs,
    }
}

async fn vpcs(client: &Client) -> Observed<Vec<Vpc>> {
    const CALL: &str = "ec2:DescribeVpcs";
    let mut pages = client
        .describe_vpcs()
        .max_results(VPCS_PAGE)
        .into_paginator()
        .send();
    let mut vpcs = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        token.saw(page.next_token());
        let Some(listed) = &page.vpcs else {
            return Observed::unavailable(format!("{CALL} answered without vpcSet"));
        };
        for vpc in listed {
            let Some(id) = vpc.vpc_id().filter(|id| !id.is_empty()) else {
                return Observed::unavailable(format!("{CALL} listed a VPC without its vpcId"));
            };
            vpcs.push(Vpc {
                id: id.to_owned(),
                is_default: vpc.is_default().unwrap_or(false),
            });
        }
    }
    if let Some(cut) = token.cut_short(CALL) {
        return Observed::unavailable(cut);
    }
    vpcs.sort_by(|a, b| a.id.cmp(&b.id));
    Observed::Known(vpcs)
}

async fn flow_logs(client: &Client) -> Observed<Vec<FlowLog>> {
    const CALL: &str = "ec2:DescribeFlowLogs";
    let mut pages = client
        .describe_flow_logs()
        .max_results(FLOW_LOGS_PAGE)
        .into_paginator()
        .send();
    let mut logs = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        token.saw(page.next_token());
        let Some(listed) = &page.flow_logs else {
            return Observed::unavailable(format!("{CALL} answered without flowLogSet"));
        };
        for log in listed {
            // Which resource a flow log records and whether it does decide
            // a VPC's verdict: without them it cannot be counted.
            let (Some(id), Some(resource_id), Some(traffic_type), Some(status)) = (
                log.flow_log_id().filter(|id| !id.is_empty()),
                log.resource_id().filter(|id| !id.is_empty()),
                log.traffic_type(),
                log.flow_log_status().filter(|status| !status.is_empty()),
            ) else {
                return Observed::unavailable(format!(
                    "{CALL} listed a flow log without its flowLogId, resourceId, trafficType or flowLogStatus"
                ));
            };
            logs.push(FlowLog {
                id: id.to_owned(),
                resource_id: resource_id.to_owned(),
                traffic_type: traffic_type.as_str().to_owned(),
                status: status.to_owned(),
                log_group: log_group(log),
            });
        }
    }
    if let Some(cut) = token.cut_short(CALL) {
        return Observed::unavailable(cut);
    }
    logs.sort_by(|a, b| a.id.cmp(&b.id));
    Observed::Known(logs)
}

/// The log group a flow log delivers to: without a destination type it is
/// CloudWatch Logs (the type came later), which must name its group.
fn log_group(log: &aws_sdk_ec2::types::FlowLog) -> Observed<Option<String>> {
    use aws_sdk_ec2::types::LogDestinationType;
    match log.log_destination_type() {
        None | Some(LogDestinationType::CloudWatchLogs) => {
            match log.log_group_name().filter(|name| !name.is_empty()) {
                Some(name) => Observed::Known(Some(name.to_owned())),
                None => Observed::unavailable(
                    "ec2:DescribeFlowLogs listed a flow log to CloudWatch Logs without its logGroupName",
                ),
            }
        }
        Some(LogDestinationType::S3 | LogDestinationType::KinesisDataFirehose) => {
            Observed::Known(None)
        }
        Some(other) => Observed::unavailable(format!(
            "ec2:DescribeFlowLogs listed a flow log to `{}`, a destination tenet does not know",
            other.as_str()
        )),
    }
}

async fn encryption_by_default(client: &Client) -> Observed<bool> {
    const CALL: &str = "ec2:GetEbsEncryptionByDefault";
    match client.get_ebs_encryption_by_default().send().await {
        Ok(output) => match output.ebs_encryption_by_default() {
            Some(on) => Observed::Known(on),
            None => {
                Observed::unavailable(format!("{CALL} answered without ebsEncryptionByDefault"))
            }
        },
        Err(err) => Observed::unavailable(reason(CALL, &err)),
    }
}

async fn volumes(client: &Client) -> Observed<Vec<EbsVolume>> {
    const CALL: &str = "ec2:DescribeVolumes";
    let mut pages = client
        .describe_volumes()
        .max_results(VOLUMES_PAGE)
        .into_paginator()
        .send();
    let mut volumes = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        token.saw(page.next_token());
        let Some(listed) = &page.volumes else {
            return Observed::unavailable(format!("{CALL} answered without volumeSet"));
        };
        for volume in listed {
            // Without its id or its encryption flag a volume cannot be
            // judged, and leaving it out would shorten the list.
            let (Some(id), Some(encrypted)) = (
                volume.volume_id().filter(|id| !id.is_empty()),
                volume.encrypted(),
            ) else {
                return Observed::unavailable(format!(
                    "{CALL} listed a volume without its volumeId or encrypted flag"
                ));
            };
            let mut attached_to: Vec<String> = volume
                .attachments()
                .iter()
                .filter_map(|attachment| attachment.instance_id())
                .map(str::to_owned)
                .collect();
            attached_to.sort();
            volumes.push(EbsVolume {
                id: id.to_owned(),
                encrypted,
                attached_to,
            });
        }
    }
    if let Some(cut) = token.cut_short(CALL) {
        return Observed::unavailable(cut);
    }
    volumes.sort_by(|a, b| a.id.cmp(&b.id));
    Observed::Known(volumes)
}

/// The region's instances that are not terminated, with the instance
/// profile each runs as.
async fn instances(client: &Client) -> Observed<Vec<Ec2Instance>> {
    const CALL: &str = "ec2:DescribeInstances";
    let mut pages = client
        .describe_instances()
        .max_results(INSTANCES_PAGE)
        .into_paginator()
        .send();
    let mut instances = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        token.saw(page.next_token());
        let Some(reservations) = &page.reservations else {
            return Observed::unavailable(format!("{CALL} answered without reservationSet"));
        };
        for reservation in reservations {
            let Some(listed) = &reservation.instances else {
                return Observed::unavailable(format!(
                    "{CALL} answered with a reservation without its instancesSet"
                ));
            };
            for instance in listed {
                match ec2_instance(instance) {
                    Ok(Some(instance)) => instances.push(instance),
                    Ok(None) => {}
                    Err(why) => return Observed::unavailable(format!("{CALL} {why}")),
                }
            }
        }
    }
    if let Some(cut) = token.cut_short(CALL) {
        return Observed::unavailable(cut);
    }
    instances.sort_by(|a, b| a.id.cmp(&b.id));
    Observed::Known(instances)
}

/// One instance, `None` when it is terminated. Without its id or state it
/// cannot be judged, and without its profile's ARN it could run as any
/// role: leaving it out would shorten the list.
fn ec2_instance(instance: &aws_sdk_ec2::types::Instance) -> Result<Option<Ec2Instance>, String> {
    let Some(id) = instance.instance_id().filter(|id| !id.is_empty()) else {
        return Err("listed an instance without its instanceId".to_owned());
    };
    let Some(state) = instance
        .state()
        .and_then(|state| state.name())
        .map(|name| name.as_str())
        .filter(|name| !name.is_empty())
    else {
        return Err(format!("listed instance {id} without its state"));
    };
    if state == "terminated" {
        return Ok(None);
    }
    let instance_profile = match instance.iam_instance_profile() {
        None => None,
        Some(profile) => match profile.arn().filter(|arn| !arn.is_empty()) {
            Some(arn) => Some(arn.to_owned()),
            None => {
                return Err(format!(
                    "listed instance {id} with an instance profile without its arn"
                ));
            }
        },
    };
    Ok(Some(Ec2Instance {
        id: id.to_owned(),
        state: state.to_owned(),
        instance_profile,
    }))
}

async fn security_groups(client: &Client) -> Observed<Vec<SecurityGroup>> {
    const CALL: &str = "ec2:DescribeSecurityGroups";
    let mut pages = client
        .describe_security_groups()
        .max_results(GROUPS_PAGE)
        .into_paginator()
        .send();
    let mut groups = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        token.saw(page.next_token());
        let Some(listed) = &page.security_groups else {
            return Observed::unavailable(format!("{CALL} answered without securityGroupInfo"));
        };
        for group in listed {
            match security_group(group) {
                Ok(group) => groups.push(group),
                Err(what) => return Observed::unavailable(format!("{CALL} listed {what}")),
            }
        }
    }
    if let Some(cut) = token.cut_short(CALL) {
        return Observed::unavailable(cut);
    }
    groups.sort_by(|a, b| a.id.cmp(&b.id));
    Observed::Known(groups)
}

fn security_group(group: &Ec2SecurityGroup) -> Result<SecurityGroup, String> {
    let Some(id) = group.group_id().filter(|id| !id.is_empty()) else {
        return Err("a security group without its groupId".to_owned());
    };
    let rules = |permissions: &[IpPermission]| {
        permissions
            .iter()
            .map(|permission| rule(permission, id))
            .collect::<Result<Vec<_>, _>>()
    };
    Ok(SecurityGroup {
        id: id.to_owned(),
        name: group.group_name().unwrap_or_default().to_owned(),
        vpc_id: group.vpc_id().map(str::to_owned),
        ingress: rules(group.ip_permissions())?,
        egress: rules(group.ip_permissions_egress())?,
    })
}

fn rule(permission: &IpPermission, group: &str) -> Result<SecurityGroupRule, String> {
    // The protocol decides which ports a rule opens: without it the rule
    // could open every port.
    let Some(protocol) = permission.ip_protocol().filter(|p| !p.is_empty()) else {
        return Err(format!("a rule of {group} without its ipProtocol"));
    };
    let all_ports = protocol == "-1";
    let port = |value: Option<i32>| if all_ports { None } else { value };
    let rule = SecurityGroupRule {
        protocol: protocol.to_owned(),
        from_port: port(permission.from_port()),
        to_port: port(permission.to_port()),
        // A source without its address could be the whole internet.
        ipv4_ranges: sources(permission.ip_ranges(), |r| r.cidr_ip(), "cidrIp", group)?,
        ipv6_ranges: sources(
            permission.ipv6_ranges(),
            |r| r.cidr_ipv6(),
            "cidrIpv6",
            group,
        )?,
        prefix_lists: sources(
            permission.prefix_list_ids(),
            |l| l.prefix_list_id(),
            "prefixListId",
            group,
        )?,
        groups: sources(
            permission.user_id_group_pairs(),
            |p| p.group_id(),
            "groupId",
            group,
        )?,
    };
    // EC2 keeps no rule without a source: one read without any lost its
    // ranges, which could have been the whole internet.
    if rule.ipv4_ranges.is_empty()
        && rule.ipv6_ranges.is_empty()
        && rule.prefix_lists.is_empty()
        && rule.groups.is_empty()
    {
        return Err(format!("a rule of {group} without any source"));
    }
    Ok(rule)
}

/// The sources of a rule, each of which must name itself.
fn sources<T>(
    items: &[T],
    name: impl Fn(&T) -> Option<&str>,
    element: &str,
    group: &str,
) -> Result<Vec<String>, String> {
    items
        .iter()
        .map(|item| {
            name(item)
                .filter(|text| !text.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| format!("a rule of {group} with a source without its {element}"))
        })
        .collect()
}
