//! CloudWatch Logs log groups and how long they keep their events, and the
//! metric filters over them: one list call each per region (per 50).

use aws_sdk_cloudwatchlogs::Client;
use tenet_inventory::{
    Observed,
    aws::{LogGroup, MetricFilter, MetricName},
};

use crate::{error::reason, pages::PageToken};

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
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        token.saw(page.next_token());
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
    if let Some(cut) = token.cut_short(CALL) {
        return Observed::unavailable(cut);
    }
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    Observed::Known(groups)
}

/// The region's metric filters, sorted by log group and name.
pub(crate) async fn metric_filters(client: &Client) -> Observed<Vec<MetricFilter>> {
    const CALL: &str = "logs:DescribeMetricFilters";
    let mut pages = client
        .describe_metric_filters()
        .limit(PAGE)
        .into_paginator()
        .send();
    let mut filters = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        token.saw(page.next_token());
        let Some(listed) = &page.metric_filters else {
            return Observed::unavailable(format!("{CALL} answered without metricFilters"));
        };
        for filter in listed {
            // An empty pattern is a pattern: it matches every event.
            let (Some(name), Some(log_group), Some(pattern)) = (
                filter.filter_name().filter(|name| !name.is_empty()),
                filter.log_group_name().filter(|group| !group.is_empty()),
                filter.filter_pattern(),
            ) else {
                return Observed::unavailable(format!(
                    "{CALL} listed a metric filter without its filterName, logGroupName or filterPattern"
                ));
            };
            let metrics = filter
                .metric_transformations()
                .iter()
                .map(|metric| MetricName {
                    namespace: metric.metric_namespace().to_owned(),
                    name: metric.metric_name().to_owned(),
                })
                .collect::<Vec<_>>();
            if metrics.is_empty()
                || metrics
                    .iter()
                    .any(|metric| metric.namespace.is_empty() || metric.name.is_empty())
            {
                return Observed::unavailable(format!(
                    "{CALL} listed metric filter {name} without its metricTransformations"
                ));
            }
            filters.push(MetricFilter {
                name: name.to_owned(),
                log_group: log_group.to_owned(),
                pattern: pattern.to_owned(),
                metrics,
            });
        }
    }
    if let Some(cut) = token.cut_short(CALL) {
        return Observed::unavailable(cut);
    }
    filters.sort_by(|a, b| (&a.log_group, &a.name).cmp(&(&b.log_group, &b.name)));
    Observed::Known(filters)
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

    #[tokio::test]
    async fn metric_filters_are_read_and_an_empty_pattern_kept() {
        let server = MockServer::start().await;
        json_answer(
            &server,
            "Logs_20140328.DescribeMetricFilters",
            200,
            r#"{"metricFilters":[{"filterName":"all","logGroupName":"trail","filterPattern":"","metricTransformations":[{"metricName":"All","metricNamespace":"CloudTrailMetrics","metricValue":"1"}]}]}"#,
        )
        .await;
        let filters = metric_filters(&Client::new(&sdk(&server).await)).await;
        assert_eq!(
            filters,
            Observed::Known(vec![MetricFilter {
                name: "all".into(),
                log_group: "trail".into(),
                pattern: String::new(),
                metrics: vec![MetricName {
                    namespace: "CloudTrailMetrics".into(),
                    name: "All".into(),
                }],
            }])
        );
        let server = MockServer::start().await;
        json_answer(
            &server,
            "Logs_20140328.DescribeMetricFilters",
            200,
            r#"{"metricFilters":[{"filterName":"all","logGroupName":"trail","metricTransformations":[]}]}"#,
        )
        .await;
        assert_eq!(
            metric_filters(&Client::new(&sdk(&server).await)).await,
            Observed::unavailable(
                "logs:DescribeMetricFilters listed a metric filter without its filterName, logGroupName or filterPattern"
            )
        );
    }
}
