//! CloudWatch Logs log groups and how long they keep their events, one list
//! call per region (per 50 groups).

use aws_sdk_cloudwatchlogs::Client;
use tenet_inventory::{Observed, aws::LogGroup};

use crate::error::reason;

/// The largest page `DescribeLogGroups` serves.
const PAGE: i32 = 50;

/// The region's log groups, sorted by name.
pub(crate) async fn groups(client: &Client) -> Observed<Vec<LogGroup>> {
    const CALL: &str = "logs:DescribeLogGroups";
    let mut pages = client
        .describe_log_groups()
        .limit(PAGE)
        .into_paginator()
        .send();
    let mut groups = Vec::new();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        let Some(listed) = &page.log_groups else {
            return Observed::unavailable(format!("{CALL} answered without logGroups"));
        };
        for group in listed {
            let Some(name) = group.log_group_name().filter(|name| !name.is_empty()) else {
                return Observed::unavailable(format!(
                    "{CALL} listed a log group without its logGroupName"
                ));
            };
            // No retentionInDays is how CloudWatch Logs says "never expire".
            let retention_days = match group.retention_in_days() {
                None => None,
                Some(days) => match u32::try_from(days) {
                    Ok(days) if days > 0 => Some(days),
                    _ => {
                        return Observed::unavailable(format!(
                            "{CALL} gave log group {name} a retention of {days} days"
                        ));
                    }
                },
            };
            groups.push(LogGroup {
                name: name.to_owned(),
                retention_days,
            });
        }
    }
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    Observed::Known(groups)
}

#[cfg(test)]
mod tests {
    use wiremock::MockServer;

    use super::*;
    use crate::testing::{json_answer, sdk};

    async fn groups_of(body: &str) -> Observed<Vec<LogGroup>> {
        let server = MockServer::start().await;
        json_answer(&server, "Logs_20140328.DescribeLogGroups", 200, body).await;
        groups(&Client::new(&sdk(&server).await)).await
    }

    #[tokio::test]
    async fn a_group_without_retention_never_expires() {
        assert_eq!(
            groups_of(
                r#"{"logGroups":[{"logGroupName":"trail","retentionInDays":400},{"logGroupName":"flow"}]}"#
            )
            .await,
            Observed::Known(vec![
                LogGroup {
                    name: "flow".into(),
                    retention_days: None,
                },
                LogGroup {
                    name: "trail".into(),
                    retention_days: Some(400),
                },
            ])
        );
    }

    #[tokio::test]
    async fn answers_that_lost_content_are_unavailable() {
        let cases = [
            ("{}", "logs:DescribeLogGroups answered without logGroups"),
            (
                r#"{"logGroups":[{"retentionInDays":400}]}"#,
                "logs:DescribeLogGroups listed a log group without its logGroupName",
            ),
            (
                r#"{"logGroups":[{"logGroupName":"trail","retentionInDays":0}]}"#,
                "logs:DescribeLogGroups gave log group trail a retention of 0 days",
            ),
        ];
        for (body, reason) in cases {
            assert_eq!(
                groups_of(body).await,
                Observed::unavailable(reason),
                "{body}"
            );
        }
    }
}
