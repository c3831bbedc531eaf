//! Monitoring of a region: its GuardDuty detector, its AWS Config
//! recorders and Security Hub, three or four calls per region.

use tenet_inventory::{
    Observed,
    aws::{ConfigRecorder, GuardDutyDetector},
};

use crate::error::{code, reason};

/// The region's GuardDuty detector; `None` when there is none.
pub(crate) async fn guardduty(
    client: &aws_sdk_guardduty::Client,
) -> Observed<Option<GuardDutyDetector>> {
    const LIST: &str = "guardduty:ListDetectors";
    const GET: &str = "guardduty:GetDetector";
    let listed = match client.list_detectors().send().await {
        Ok(listed) => listed,
        Err(err) => return Observed::unavailable(reason(LIST, &err)),
    };
    // A region has at most one detector; the list is always sent.
    let Some(id) = listed.detector_ids().first() else {
        return Observed::Known(None);
    };
    if id.is_empty() {
        return Observed::unavailable(format!("{LIST} listed an empty detector id"));
    }
    match client.get_detector().detector_id(id).send().await {
        // The SDK fills a missing status with an empty one: only the two
        // statuses GuardDuty documents are read.
        Ok(detector) => match detector.status().map(|status| status.as_str()) {
            Some(status @ ("ENABLED" | "DISABLED")) => Observed::Known(Some(GuardDutyDetector {
                id: id.clone(),
                enabled: status == "ENABLED",
            })),
            Some("") | None => Observed::unavailable(format!("{GET} answered without status")),
            Some(other) => Observed::unavailable(format!(
                "{GET} answered with the status `{other}`, which tenet does not know"
            )),
        },
        Err(err) => Observed::unavailable(reason(GET, &err)),
    }
}

/// The region's AWS Config recorders with their status, sorted by name.
pub(crate) async fn config_recorders(
    client: &aws_sdk_config::Client,
) -> Observed<Vec<ConfigRecorder>> {
    const RECORDERS: &str = "config:DescribeConfigurationRecorders";
    const STATUS: &str = "config:DescribeConfigurationRecorderStatus";
    let (recorders, statuses) = tokio::join!(
        client.describe_configuration_recorders().send(),
        client.describe_configuration_recorder_status().send(),
    );
    let recorders = match recorders {
        Ok(output) => output,
        Err(err) => return Observed::unavailable(reason(RECORDERS, &err)),
    };
    let statuses = match statuses {
        Ok(output) => output,
        Err(err) => return Observed::unavailable(reason(STATUS, &err)),
    };
    let (Some(recorders), Some(statuses)) = (
        &recorders.configuration_recorders,
        &statuses.configuration_recorders_status,
    ) else {
        return Observed::unavailable(format!("{RECORDERS} or {STATUS} answered without its list"));
    };
    let mut read = Vec::new();
    for recorder in recorders {
        let Some(name) = recorder.name().filter(|name| !name.is_empty()) else {
            return Observed::unavailable(format!(
                "{RECORDERS} listed a recorder without its name"
            ));
        };
        // Whether it records is only in the status: a recorder without one
        // cannot be judged.
        let Some(recording) = statuses
            .iter()
            .find(|status| status.name() == Some(name))
            .map(|status| status.recording())
        else {
            return Observed::unavailable(format!("{STATUS} gave no status for recorder {name}"));
        };
        let group = recorder.recording_group();
        read.push(ConfigRecorder {
            name: name.to_owned(),
            all_supported: group.is_some_and(|group| group.all_supported()),
            include_global_resource_types: group
                .is_some_and(|group| group.include_global_resource_types()),
            recording,
        });
    }
    read.sort_by(|a, b| a.name.cmp(&b.name));
    Observed::Known(read)
}

/// Whether Security Hub is enabled in the region.
pub(crate) async fn security_hub(client: &aws_sdk_securityhub::Client) -> Observed<bool> {
    const CALL: &str = "securityhub:DescribeHub";
    match client.describe_hub().send().await {
        Ok(hub) if hub.hub_arn().is_some_and(|arn| !arn.is_empty()) => Observed::Known(true),
        Ok(_) => Observed::unavailable(format!("{CALL} answered without HubArn")),
        // Security Hub answers an account that is not subscribed in the
        // region with this code (and HTTP 401); a missing permission is
        // `AccessDeniedException`.
        Err(err) if code(&err) == Some("InvalidAccessException") => Observed::Known(false),
        Err(err) => Observed::unavailable(reason(CALL, &err)),
    }
}

#[cfg(test)]
mod tests {
    use wiremock::{
        Mock, MockServer, ResponseTemplate,
        matchers::{method, path},
    };

    use super::*;
    use crate::testing::{json_error, sdk};

    #[tokio::test]
    async fn security_hub_is_read_as_its_answers_say() {
        let cases = [
            (
                200,
                r#"{"HubArn":"arn:aws:securityhub:us-east-1:111122223333:hub/default","SubscribedAt":"2026-01-01T00:00:00.000Z"}"#.to_owned(),
                Observed::Known(true),
            ),
            (
                401,
                json_error(
                    "InvalidAccessException",
                    "Account 111122223333 is not subscribed to AWS Security Hub",
                ),
                Observed::Known(false),
            ),
            (
                403,
                json_error("AccessDeniedException", "not authorized"),
                Observed::unavailable("access denied: needs securityhub:DescribeHub"),
            ),
            (
                200,
                "{}".to_owned(),
                Observed::unavailable("securityhub:DescribeHub answered without HubArn"),
            ),
        ];
        for (status, body, expected) in cases {
            let server = MockServer::start().await;
            Mock::given(method("GET"))
                .and(path("/accounts"))
                .respond_with(
                    ResponseTemplate::new(status).set_body_raw(body.clone(), "application/json"),
                )
                .mount(&server)
                .await;
            let client = aws_sdk_securityhub::Client::new(&sdk(&server).await);
            assert_eq!(security_hub(&client).await, expected, "{status} {body}");
        }
    }
}
