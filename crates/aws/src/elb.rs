//! Application and network load balancers with their listeners.

use aws_sdk_elasticloadbalancingv2::{Client, types::Action};
use tenet_inventory::{
    Observed,
    aws::{Listener, ListenerAction, LoadBalancer},
};

use crate::{error::reason, pages::PageToken, s3, s3::S3Clients};

/// Load balancers of every region, each region read with `client(region)`;
/// one region that cannot be read makes the list unavailable, since it
/// would be incomplete.
pub(crate) async fn collect_regions(
    regions: &[String],
    client: impl Fn(&str) -> Client,
    s3: &S3Clients,
) -> Observed<Vec<LoadBalancer>> {
    let mut all = Vec::new();
    for region in regions {
        match collect(&client(region), s3).await {
            Ok(balancers) => all.extend(balancers),
            Err(reason) => return Observed::unavailable(format!("{region}: {reason}")),
        }
    }
    all.sort_by(|a, b| a.arn.cmp(&b.arn));
    Observed::Known(all)
}

/// The load balancers of one region, each with its listeners, and how long
/// the bucket its access logs go to keeps them.
async fn collect(client: &Client, s3: &S3Clients) -> Result<Vec<LoadBalancer>, String> {
    let mut pages = client.describe_load_balancers().into_paginator().send();
    let mut balancers = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page =
            page.map_err(|err| reason("elasticloadbalancing:DescribeLoadBalancers", &err))?;
        token.saw(page.next_marker());
        // AWS always sends the list, empty or not: without it the answer
        // lost its content, and no load balancer is not "none".
        let Some(page_balancers) = &page.load_balancers else {
            return Err(
                "elasticloadbalancing:DescribeLoadBalancers answered without LoadBalancers"
                    .to_owned(),
            );
        };
        for balancer in page_balancers {
            let Some(arn) = balancer
                .load_balancer_arn()
                .filter(|arn| !arn.is_empty())
                .map(str::to_owned)
            else {
                return Err(
                    "elasticloadbalancing:DescribeLoadBalancers listed a load balancer without its LoadBalancerArn"
                        .to_owned(),
                );
            };
            let kind = balancer
                .r#type()
                .map(|kind| kind.as_str().to_owned())
                .unwrap_or_default();
            let (listeners, access_logs) = tokio::join!(listeners(client, &arn), async {
                if kind == "gateway" {
                    Observed::unavailable("a gateway load balancer has no access logs")
                } else {
                    access_logs(client, &arn).await
                }
            });
            let access_log_retention_days = match &access_logs {
                Observed::Known(Some(logs)) => {
                    s3::log_retention(s3, &logs.bucket, &logs.prefix, None).await
                }
                Observed::Known(None) => Observed::Known(None),
                Observed::Unavailable { reason } => Observed::unavailable(reason.clone()),
            };
            balancers.push(LoadBalancer {
                listeners,
                access_logs: access_logs.map(|logs| logs.map(|logs| logs.bucket)),
                access_log_retention_days,
                name: balancer.load_balancer_name().unwrap_or_default().to_owned(),
                kind,
                arn,
            });
        }
    }
    if let Some(cut) = token.cut_short("elasticloadbalancing:DescribeLoadBalancers") {
        return Err(cut);
    }
    Ok(balancers)
}

async fn listeners(client: &Client, balancer: &str) -> Observed<Vec<Listener>> {
    let mut pages = client
        .describe_listeners()
        .load_balancer_arn(balancer)
        .into_paginator()
        .send();
    let mut listeners = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => {
                return Observed::unavailable(reason(
                    "elasticloadbalancing:DescribeListeners",
                    &err,
                ));
            }
        };
        token.saw(page.next_marker());
        let Some(page_listeners) = &page.listeners else {
            return Observed::unavailable(
                "elasticloadbalancing:DescribeListeners answered without Listeners",
            );
        };
        for listener in page_listeners {
            // The protocol decides whether a listener is plain HTTP: one
            // without it (or without its ARN or port) cannot be judged.
            let (Some(arn), Some(port), Some(protocol)) = (
                listener.listener_arn().filter(|arn| !arn.is_empty()),
                listener.port().and_then(|port| u16::try_from(port).ok()),
                listener.protocol(),
            ) else {
                return Observed::unavailable(
                    "elasticloadbalancing:DescribeListeners listed a listener without its ListenerArn, Port or Protocol",
                );
            };
            listeners.push(Listener {
                arn: arn.to_owned(),
                port,
                protocol: protocol.as_str().to_owned(),
                ssl_policy: listener.ssl_policy().map(str::to_owned),
                default_actions: listener.default_actions().iter().map(action).collect(),
            });
        }
    }
    if let Some(cut) = token.cut_short("elasticloadbalancing:DescribeListeners") {
        return Observed::unavailable(cut);
    }
    listeners.sort_by(|a, b| (a.port, &a.arn).cmp(&(b.port, &b.arn)));
    Observed::Known(listeners)
}

/// Where a load balancer's access logs go.
struct AccessLogs {
    /// The bucket.
    bucket: String,
    /// The prefix of the keys the logs are written under
    /// (`PREFIX/AWSLogs/`, or `AWSLogs/` without a prefix).
    prefix: String,
}

/// Where the load balancer's access logs go, from its attributes: AWS
/// lists every attribute of the load balancer's type, so one missing is an
/// answer that lost it, never logging off.
async fn access_logs(client: &Client, balancer: &str) -> Observed<Option<AccessLogs>> {
    const CALL: &str = "elasticloadbalancing:DescribeLoadBalancerAttributes";
    let output = match client
        .describe_load_balancer_attributes()
        .load_balancer_arn(balancer)
        .send()
        .await
    {
        Ok(output) => output,
        Err(err) => return Observed::unavailable(reason(CALL, &err)),
    };
    let Some(attributes) = &output.attributes else {
        return Observed::unavailable(format!("{CALL} answered without Attributes"));
    };
    let value = |key: &str| {
        attributes
            .iter()
            .find(|attribute| attribute.key() == Some(key))
            .and_then(|attribute| attribute.value())
    };
    match value("access_logs.s3.enabled") {
        Some("false") => Observed::Known(None),
        Some("true") => match value("access_logs.s3.bucket").filter(|bucket| !bucket.is_empty()) {
            Some(bucket) => Observed::Known(Some(AccessLogs {
                bucket: bucket.to_owned(),
                prefix: match value("access_logs.s3.prefix") {
                    None | Some("") => "AWSLogs/".to_owned(),
                    Some(prefix) => format!("{prefix}/AWSLogs/"),
                },
            })),
            None => Observed::unavailable(format!(
                "{CALL} answered access logs on without access_logs.s3.bucket"
            )),
        },
        Some(other) => Observed::unavailable(format!(
            "{CALL} answered access_logs.s3.enabled `{other}`, which tenet does not know"
        )),
        None => Observed::unavailable(format!("{CALL} answered without access_logs.s3.enabled")),
    }
}

fn action(action: &Action) -> ListenerAction {
    ListenerAction {
        kind: action
            .r#type()
            .map(|kind| kind.as_str().to_owned())
            .unwrap_or_default(),
        redirect_protocol: action
            .redirect_config()
            .and_then(|redirect| redirect.protocol())
            .map(str::to_owned),
    }
}

#[cfg(test)]
mod tests;
