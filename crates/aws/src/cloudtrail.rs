//! CloudTrail trails: multi-region flag, log-file validation, logging status
//! and how long their bucket keeps the logs.

use aws_sdk_cloudtrail::Client;
use tenet_inventory::{Observed, aws::Trail};

use crate::{error::reason, s3};

/// A trail as `DescribeTrails` gives it, before its status is read.
#[derive(Clone, Debug)]
pub(crate) struct Described {
    trail: Trail,
    key_prefix: Option<String>,
}

impl Described {
    /// The trail's ARN, which identifies it across regions.
    pub(crate) fn arn(&self) -> &str {
        &self.trail.arn
    }
}

/// The trails one region sees: its own and the multi-region trails of other
/// regions.
pub(crate) async fn describe(client: &Client) -> Result<Vec<Described>, String> {
    let output = client
        .describe_trails()
        .include_shadow_trails(true)
        .send()
        .await
        .map_err(|err| reason("cloudtrail:DescribeTrails", &err))?;
    let Some(trails) = &output.trail_list else {
        return Err("cloudtrail:DescribeTrails answered without trailList".to_owned());
    };
    trails
        .iter()
        .map(|trail| {
            // The ARN names the trail across regions and the home region
            // decides where it logs from: without them it is no trail tenet
            // can judge, and dropping it could hide the only one.
            let required = |value: Option<&str>, element: &str| {
                value
                    .filter(|text| !text.trim().is_empty())
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        format!("cloudtrail:DescribeTrails listed a trail without {element}")
                    })
            };
            Ok(Described {
                trail: Trail {
                    arn: required(trail.trail_arn(), "TrailARN")?,
                    name: required(trail.name(), "Name")?,
                    home_region: required(trail.home_region(), "HomeRegion")?,
                    multi_region: trail.is_multi_region_trail().unwrap_or(false),
                    log_file_validation: trail.log_file_validation_enabled().unwrap_or(false),
                    is_logging: Observed::unavailable("cloudtrail:GetTrailStatus was not called"),
                    // Every trail delivers to a bucket (CreateTrail requires
                    // one): without it, where the logs go is unknown.
                    s3_bucket: Some(required(trail.s3_bucket_name(), "S3BucketName")?),
                    retention_days: Observed::unavailable("the trail's bucket was not read"),
                    // Sent only when the trail delivers to CloudWatch Logs.
                    cloudwatch_log_group: Observed::Known(
                        trail
                            .cloud_watch_logs_log_group_arn()
                            .filter(|arn| !arn.is_empty())
                            .map(str::to_owned),
                    ),
                },
                key_prefix: trail.s3_key_prefix().map(str::to_owned),
            })
        })
        .collect()
}

/// Completes a trail: its logging status (asked by ARN, which works from
/// any region) and the expiration of its logs in its bucket.
pub(crate) async fn complete(client: &Client, s3: &s3::S3Clients, described: Described) -> Trail {
    let Described {
        mut trail,
        key_prefix,
    } = described;
    trail.is_logging = match client.get_trail_status().name(&trail.arn).send().await {
        Ok(status) => match status.is_logging() {
            Some(logging) => Observed::Known(logging),
            None => Observed::unavailable("cloudtrail:GetTrailStatus returned no IsLogging"),
        },
        Err(err) => Observed::unavailable(reason("cloudtrail:GetTrailStatus", &err)),
    };
    trail.retention_days = match &trail.s3_bucket {
        None => Observed::Known(None),
        Some(bucket) => {
            let log_prefix = match key_prefix.as_deref() {
                None | Some("") => "AWSLogs/".to_owned(),
                Some(prefix) => format!("{prefix}/AWSLogs/"),
            };
            s3::log_retention(s3, bucket, &log_prefix, None).await
        }
    };
    trail
}
