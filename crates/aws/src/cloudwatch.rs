//! CloudWatch metric alarms: the metric each watches and its actions, one
//! call per region (per 100 alarms).

use aws_sdk_cloudwatch::Client;
use tenet_inventory::{
    Observed,
    aws::{MetricAlarm, MetricName},
};

use crate::{error::reason, pages::PageToken};

/// The largest page `DescribeAlarms` serves.
const PAGE: i32 = 100;

/// The region's metric alarms, sorted by name.
pub(crate) async fn alarms(client: &Client) -> Observed<Vec<MetricAlarm>> {
    const CALL: &str = "cloudwatch:DescribeAlarms";
    let mut pages = client
        .describe_alarms()
        .max_records(PAGE)
        .into_paginator()
        .send();
    let mut alarms = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        token.saw(page.next_token());
        let Some(listed) = &page.metric_alarms else {
            return Observed::unavailable(format!("{CALL} answered without MetricAlarms"));
        };
        for alarm in listed {
            let (Some(name), Some(actions_enabled)) = (
                alarm.alarm_name().filter(|name| !name.is_empty()),
                alarm.actions_enabled(),
            ) else {
                return Observed::unavailable(format!(
                    "{CALL} listed an alarm without its AlarmName or ActionsEnabled"
                ));
            };
            // An alarm on one metric names it; one on a metric math
            // expression has `Metrics` instead, not read.
            let metric = match (alarm.namespace(), alarm.metric_name()) {
                (Some(namespace), Some(metric)) => Some(MetricName {
                    namespace: namespace.to_owned(),
                    name: metric.to_owned(),
                }),
                _ => None,
            };
            alarms.push(MetricAlarm {
                name: name.to_owned(),
                metric,
                actions_enabled,
                alarm_actions: alarm.alarm_actions().to_vec(),
            });
        }
    }
    if let Some(cut) = token.cut_short(CALL) {
        return Observed::unavailable(cut);
    }
    alarms.sort_by(|a, b| a.name.cmp(&b.name));
    Observed::Known(alarms)
}

#[cfg(test)]
mod tests {
    use aws_sdk_cloudwatch::{
        operation::describe_alarms::{DescribeAlarmsError, DescribeAlarmsOutput},
        types::MetricAlarm as SdkAlarm,
    };
    use aws_smithy_mocks::{RuleMode, mock, mock_client};

    use super::*;

    fn client(output: DescribeAlarmsOutput) -> Client {
        let rule = mock!(Client::describe_alarms).then_output(move || output.clone());
        mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&rule])
    }

    #[tokio::test]
    async fn alarms_are_read_with_their_metric_and_actions() {
        let output = DescribeAlarmsOutput::builder()
            .metric_alarms(
                SdkAlarm::builder()
                    .alarm_name("root-use")
                    .namespace("CloudTrailMetrics")
                    .metric_name("RootUse")
                    .actions_enabled(true)
                    .alarm_actions("arn:aws:sns:us-east-1:111122223333:security")
                    .build(),
            )
            .metric_alarms(
                SdkAlarm::builder()
                    .alarm_name("math")
                    .actions_enabled(false)
                    .build(),
            )
            .build();
        assert_eq!(
            alarms(&client(output)).await,
            Observed::Known(vec![
                MetricAlarm {
                    name: "math".into(),
                    metric: None,
                    actions_enabled: false,
                    alarm_actions: vec![],
                },
                MetricAlarm {
                    name: "root-use".into(),
                    metric: Some(MetricName {
                        namespace: "CloudTrailMetrics".into(),
                        name: "RootUse".into(),
                    }),
                    actions_enabled: true,
                    alarm_actions: vec!["arn:aws:sns:us-east-1:111122223333:security".into()],
                },
            ])
        );
    }

    #[tokio::test]
    async fn answers_that_lost_content_or_failed_are_unavailable() {
        let cases = [
            (
                DescribeAlarmsOutput::builder().build(),
                "cloudwatch:DescribeAlarms answered without MetricAlarms",
            ),
            (
                DescribeAlarmsOutput::builder()
                    .metric_alarms(SdkAlarm::builder().alarm_name("a").build())
                    .build(),
                "cloudwatch:DescribeAlarms listed an alarm without its AlarmName or ActionsEnabled",
            ),
        ];
        for (output, reason) in cases {
            assert_eq!(alarms(&client(output)).await, Observed::unavailable(reason));
        }
        let denied = mock!(Client::describe_alarms).then_error(|| {
            DescribeAlarmsError::generic(
                aws_sdk_cloudwatch::error::ErrorMetadata::builder()
                    .code("AccessDenied")
                    .message("not authorized")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&denied]);
        assert_eq!(
            alarms(&client).await,
            Observed::unavailable("access denied: needs cloudwatch:DescribeAlarms")
        );
    }
}
