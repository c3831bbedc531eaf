//! DynamoDB tables and their point-in-time recovery: one list call per
//! region (per 100 tables), then one call per table.

use aws_sdk_dynamodb::{Client, types::PointInTimeRecoveryStatus};
use futures::{StreamExt, stream};
use tenet_inventory::{Observed, aws::DynamoDbTable};

use crate::{error::reason, pages::PageToken};

/// The largest page `ListTables` serves.
const PAGE: i32 = 100;

/// Tables whose backups are read at the same time.
const CONCURRENCY: usize = 8;

/// The region's tables with their point-in-time recovery, sorted by name.
pub(crate) async fn tables(client: &Client) -> Observed<Vec<DynamoDbTable>> {
    const CALL: &str = "dynamodb:ListTables";
    let mut pages = client.list_tables().limit(PAGE).into_paginator().send();
    let mut names = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        token.saw(page.last_evaluated_table_name());
        let Some(listed) = &page.table_names else {
            return Observed::unavailable(format!("{CALL} answered without TableNames"));
        };
        if listed.iter().any(String::is_empty) {
            return Observed::unavailable(format!("{CALL} listed a table without its name"));
        }
        names.extend(listed.iter().cloned());
    }
    if let Some(cut) = token.cut_short(CALL) {
        return Observed::unavailable(cut);
    }
    names.sort();
    names.dedup();
    let tables = stream::iter(names)
        .map(|name| async move {
            let point_in_time_recovery = recovery(client, &name).await;
            DynamoDbTable {
                name,
                point_in_time_recovery,
            }
        })
        .buffered(CONCURRENCY)
        .collect()
        .await;
    Observed::Known(tables)
}

/// Whether point-in-time recovery is on for one table.
async fn recovery(client: &Client, table: &str) -> Observed<bool> {
    const CALL: &str = "dynamodb:DescribeContinuousBackups";
    let output = match client
        .describe_continuous_backups()
        .table_name(table)
        .send()
        .await
    {
        Ok(output) => output,
        Err(err) => return Observed::unavailable(reason(CALL, &err)),
    };
    match output
        .continuous_backups_description()
        .and_then(|description| description.point_in_time_recovery_description())
        .and_then(|recovery| recovery.point_in_time_recovery_status())
    {
        Some(PointInTimeRecoveryStatus::Enabled) => Observed::Known(true),
        Some(PointInTimeRecoveryStatus::Disabled) => Observed::Known(false),
        Some(other) => Observed::unavailable(format!(
            "{CALL} answered with the recovery status `{}`, which tenet does not know",
            other.as_str()
        )),
        None => Observed::unavailable(format!("{CALL} answered without PointInTimeRecoveryStatus")),
    }
}

#[cfg(test)]
mod tests {
    use wiremock::MockServer;

    use super::*;
    use crate::testing::{json_answer, json_error, sdk};

    async fn tables_of(server: &MockServer) -> Observed<Vec<DynamoDbTable>> {
        tables(&Client::new(&sdk(server).await)).await
    }

    #[tokio::test]
    async fn each_table_is_read_with_its_recovery_status() {
        let cases = [
            (
                200,
                r#"{"ContinuousBackupsDescription":{"ContinuousBackupsStatus":"ENABLED","PointInTimeRecoveryDescription":{"PointInTimeRecoveryStatus":"ENABLED"}}}"#.to_owned(),
                Observed::Known(true),
            ),
            (
                200,
                r#"{"ContinuousBackupsDescription":{"ContinuousBackupsStatus":"ENABLED","PointInTimeRecoveryDescription":{"PointInTimeRecoveryStatus":"DISABLED"}}}"#.to_owned(),
                Observed::Known(false),
            ),
            (
                200,
                r#"{"ContinuousBackupsDescription":{"ContinuousBackupsStatus":"ENABLED"}}"#.to_owned(),
                Observed::unavailable(
                    "dynamodb:DescribeContinuousBackups answered without PointInTimeRecoveryStatus",
                ),
            ),
            (
                400,
                json_error("AccessDeniedException", "not authorized"),
                Observed::unavailable("access denied: needs dynamodb:DescribeContinuousBackups"),
            ),
        ];
        for (status, body, expected) in cases {
            let server = MockServer::start().await;
            json_answer(
                &server,
                "DynamoDB_20120810.ListTables",
                200,
                r#"{"TableNames":["orders"]}"#,
            )
            .await;
            json_answer(
                &server,
                "DynamoDB_20120810.DescribeContinuousBackups",
                status,
                &body,
            )
            .await;
            assert_eq!(
                tables_of(&server).await,
                Observed::Known(vec![DynamoDbTable {
                    name: "orders".into(),
                    point_in_time_recovery: expected,
                }])
            );
        }
    }

    #[tokio::test]
    async fn a_list_without_its_names_is_unavailable_never_no_table() {
        let server = MockServer::start().await;
        json_answer(&server, "DynamoDB_20120810.ListTables", 200, "{}").await;
        assert_eq!(
            tables_of(&server).await,
            Observed::unavailable("dynamodb:ListTables answered without TableNames")
        );
    }
}
