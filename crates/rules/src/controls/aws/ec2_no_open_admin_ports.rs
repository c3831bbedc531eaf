//! `aws.ec2.no-open-admin-ports`: no security group admits the whole
//! internet (`0.0.0.0/0` or `::/0`) on an administrative port (SSH, RDP,
//! database ports: the `admin_ports` parameter).

use serde::Deserialize;
use tenet_inventory::aws::{SecurityGroup, SecurityGroupRule};

use super::ec2_common::{each_security_group, group_label, security_group_resource};
use crate::{Context, Outcome, Resource, support::parameter_error};

/// The control's parameters (defaults in its metadata file).
#[derive(Debug, Deserialize)]
struct Params {
    /// Ports (`22`) or ranges (`1433-1434`) no one on the internet may
    /// reach.
    admin_ports: Vec<String>,
}

/// An inclusive port range.
type Ports = (i32, i32);

/// One outcome per security group of every region.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Params = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let admin = match params
        .admin_ports
        .iter()
        .map(|text| parse_ports(text))
        .collect::<Result<Vec<Ports>, String>>()
    {
        Ok(admin) => admin,
        Err(reason) => return parameter_error(&reason),
    };
    each_security_group(cx, |account, region, group, out| {
        let resource = security_group_resource(account, region, group);
        out.push(judge(group, &admin, resource));
    })
}

fn judge(group: &SecurityGroup, admin: &[Ports], resource: Resource) -> Outcome {
    let label = group_label(group);
    let mut open = Vec::new();
    let mut unread = Vec::new();
    for rule in &group.ingress {
        let Some(ports) = tcp_ports(rule) else {
            continue;
        };
        let hits: Vec<String> = admin
            .iter()
            .filter_map(|wanted| overlap(ports, *wanted))
            .map(|(from, to)| {
                if from == to {
                    from.to_string()
                } else {
                    format!("{from}-{to}")
                }
            })
            .collect();
        if hits.is_empty() {
            continue;
        }
        let world: Vec<&str> = rule
            .ipv4_ranges
            .iter()
            .chain(&rule.ipv6_ranges)
            .map(String::as_str)
            .filter(|cidr| is_whole_internet(cidr))
            .collect();
        for cidr in world {
            open.push(format!("{cidr} on port {}", hits.join(", ")));
        }
        for list in &rule.prefix_lists {
            unread.push(format!("prefix list {list} on port {}", hits.join(", ")));
        }
    }
    if !open.is_empty() {
        return Outcome::fail(resource, format!("{label} admits {}", open.join("; ")))
            .with("open", open);
    }
    if !unread.is_empty() {
        return Outcome::unavailable(
            resource,
            &format!("whether {label} admits the internet"),
            &format!(
                "it admits {}, whose entries tenet does not read",
                unread.join("; ")
            ),
        );
    }
    Outcome::pass(
        resource,
        format!("{label} admits no one from the internet on an administrative port"),
    )
    .with("open", open)
    .with("inbound_rules", group.ingress.len())
}

/// The TCP ports a rule opens: all for protocol `-1`, its range for TCP
/// (all when the range is missing); `None` for other protocols.
fn tcp_ports(rule: &SecurityGroupRule) -> Option<Ports> {
    match rule.protocol.to_ascii_lowercase().as_str() {
        "-1" | "all" => Some((0, 65535)),
        "tcp" | "6" => Some(match (rule.from_port, rule.to_port) {
            (Some(from), Some(to)) if from >= 0 && to >= from => (from, to),
            _ => (0, 65535),
        }),
        _ => None,
    }
}

/// The ports two ranges share.
fn overlap(a: Ports, b: Ports) -> Option<Ports> {
    let from = a.0.max(b.0);
    let to = a.1.min(b.1);
    (from <= to).then_some((from, to))
}

/// A CIDR block that is every address: `0.0.0.0/0` or `::/0` (however the
/// zeros are written).
fn is_whole_internet(cidr: &str) -> bool {
    let Some((address, "0")) = cidr.trim().split_once('/') else {
        return false;
    };
    address.parse::<std::net::IpAddr>().is_ok()
}

/// `22` or `1433-1434`.
fn parse_ports(text: &str) -> Result<Ports, String> {
    let port = |part: &str| {
        part.trim().parse::<u16>().map(i32::from).map_err(|_| {
            format!("admin_ports: `{text}` is not a port (0-65535) or a range like 1433-1434")
        })
    };
    match text.split_once('-') {
        Some((from, to)) => {
            let (from, to) = (port(from)?, port(to)?);
            if from > to {
                return Err(format!("admin_ports: `{text}` ends before it starts"));
            }
            Ok((from, to))
        }
        None => port(text).map(|port| (port, port)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(protocol: &str, from: Option<i32>, to: Option<i32>, v4: &[&str]) -> SecurityGroupRule {
        SecurityGroupRule {
            protocol: protocol.to_owned(),
            from_port: from,
            to_port: to,
            ipv4_ranges: v4.iter().map(|c| (*c).to_owned()).collect(),
            ipv6_ranges: Vec::new(),
            prefix_lists: Vec::new(),
            groups: Vec::new(),
        }
    }

    #[test]
    fn rules_open_admin_ports_as_ec2_applies_them() {
        let admin = [(22, 22), (3389, 3389), (5432, 5432)];
        let cases = [
            (rule("tcp", Some(22), Some(22), &["0.0.0.0/0"]), true),
            (rule("tcp", Some(0), Some(65535), &["0.0.0.0/0"]), true),
            (rule("-1", None, None, &["0.0.0.0/0"]), true),
            (rule("6", Some(20), Some(25), &["0.0.0.0/0"]), true),
            (rule("tcp", None, None, &["0.0.0.0/0"]), true),
            (rule("tcp", Some(443), Some(443), &["0.0.0.0/0"]), false),
            (rule("tcp", Some(22), Some(22), &["10.0.0.0/8"]), false),
            (rule("tcp", Some(22), Some(22), &["0.0.0.0/1"]), false),
            (rule("udp", Some(22), Some(22), &["0.0.0.0/0"]), false),
            (rule("icmp", Some(-1), Some(-1), &["0.0.0.0/0"]), false),
            (rule("tcp", Some(5432), Some(5432), &["0000:0:0::/0"]), true),
        ];
        for (rule, fails) in cases {
            let group = SecurityGroup {
                id: "sg-1".into(),
                name: "web".into(),
                vpc_id: Some("vpc-1".into()),
                ingress: vec![rule.clone()],
                egress: Vec::new(),
            };
            let outcome = judge(&group, &admin, Resource::new("sg-1", "security group"));
            assert_eq!(
                outcome.status == crate::CheckStatus::Fail,
                fails,
                "{rule:?}: {}",
                outcome.message
            );
        }
    }

    #[test]
    fn ports_and_ranges_parse() {
        assert_eq!(parse_ports("22"), Ok((22, 22)));
        assert_eq!(parse_ports("1433-1434"), Ok((1433, 1434)));
        assert!(parse_ports("70000").is_err());
        assert!(parse_ports("25-20").is_err());
        assert!(parse_ports("ssh").is_err());
    }
}
