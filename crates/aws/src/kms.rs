//! KMS keys the customer manages and whether their material is rotated: one
//! list call per region (per 1,000 keys), one `DescribeKey` per key, and one
//! `GetKeyRotationStatus` per key KMS can rotate.

use aws_sdk_kms::{
    Client,
    types::{KeyManagerType, KeySpec, KeyState, OriginType},
};
use futures::{StreamExt, stream};
use tenet_inventory::{Observed, aws::KmsKey};

use crate::{error::reason, pages::PageToken};

/// The largest page `ListKeys` serves.
const PAGE: i32 = 1000;

/// Keys described at the same time.
const CONCURRENCY: usize = 8;

/// The region's customer managed keys, sorted by id; AWS managed keys are
/// left out (AWS rotates them every year).
pub(crate) async fn keys(client: &Client) -> Observed<Vec<KmsKey>> {
    const CALL: &str = "kms:ListKeys";
    let mut pages = client.list_keys().limit(PAGE).into_paginator().send();
    let mut ids = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        token.saw(page.next_marker());
        let Some(listed) = &page.keys else {
            return Observed::unavailable(format!("{CALL} answered without Keys"));
        };
        for key in listed {
            let Some(id) = key.key_id().filter(|id| !id.is_empty()) else {
                return Observed::unavailable(format!("{CALL} listed a key without its KeyId"));
            };
            ids.push(id.to_owned());
        }
    }
    if let Some(cut) = token.cut_short(CALL) {
        return Observed::unavailable(cut);
    }
    ids.sort();
    ids.dedup();
    let described: Vec<Result<Option<KmsKey>, String>> = stream::iter(ids)
        .map(|id| async move { key(client, id).await })
        .buffered(CONCURRENCY)
        .collect()
        .await;
    // A key that could not be described may be a customer key: the list
    // would be short without it.
    match described.into_iter().collect::<Result<Vec<_>, _>>() {
        Ok(keys) => Observed::Known(keys.into_iter().flatten().collect()),
        Err(reason) => Observed::unavailable(reason),
    }
}

/// One key, `None` when AWS manages it.
async fn key(client: &Client, id: String) -> Result<Option<KmsKey>, String> {
    const CALL: &str = "kms:DescribeKey";
    let output = client
        .describe_key()
        .key_id(&id)
        .send()
        .await
        .map_err(|err| reason(CALL, &err))?;
    let Some(metadata) = output.key_metadata() else {
        return Err(format!("{CALL} answered without KeyMetadata for key {id}"));
    };
    let lost = |element: &str| format!("{CALL} answered without {element} for key {id}");
    match metadata.key_manager() {
        Some(KeyManagerType::Aws) => return Ok(None),
        Some(KeyManagerType::Customer) => {}
        _ => return Err(lost("a KeyManager tenet knows")),
    }
    let arn = metadata
        .arn()
        .filter(|arn| !arn.is_empty())
        .ok_or_else(|| lost("Arn"))?;
    let spec = metadata.key_spec().ok_or_else(|| lost("KeySpec"))?;
    let origin = metadata.origin().ok_or_else(|| lost("Origin"))?;
    let state = metadata.key_state().ok_or_else(|| lost("KeyState"))?;
    let rotatable = *spec == KeySpec::SymmetricDefault
        && *origin == OriginType::AwsKms
        && *state == KeyState::Enabled;
    let rotation_enabled = if rotatable {
        rotation(client, &id).await
    } else {
        Observed::unavailable(
            "not read: KMS rotates only enabled symmetric keys whose material it made",
        )
    };
    Ok(Some(KmsKey {
        id,
        arn: arn.to_owned(),
        spec: spec.as_str().to_owned(),
        origin: origin.as_str().to_owned(),
        state: state.as_str().to_owned(),
        rotation_enabled,
    }))
}

/// Whether automatic rotation is on for one key.
async fn rotation(client: &Client, id: &str) -> Observed<bool> {
    const CALL: &str = "kms:GetKeyRotationStatus";
    match client.get_key_rotation_status().key_id(id).send().await {
        Ok(status) => Observed::Known(status.key_rotation_enabled()),
        Err(err) => Observed::unavailable(reason(CALL, &err)),
    }
}

#[cfg(test)]
mod tests {
    use wiremock::MockServer;

    use super::*;
    use crate::testing::{json_answer, json_error, sdk};

    const CUSTOMER: &str = "1234abcd-12ab-34cd-56ef-1234567890ab";
    const MANAGED: &str = "0000abcd-12ab-34cd-56ef-1234567890ab";

    fn metadata(id: &str, manager: &str, spec: &str) -> String {
        format!(
            r#"{{"KeyMetadata":{{"KeyId":"{id}","Arn":"arn:aws:kms:us-east-1:111122223333:key/{id}","KeyManager":"{manager}","KeySpec":"{spec}","Origin":"AWS_KMS","KeyState":"Enabled"}}}}"#
        )
    }

    async fn keys_of(server: &MockServer) -> Observed<Vec<KmsKey>> {
        keys(&Client::new(&sdk(server).await)).await
    }

    #[tokio::test]
    async fn customer_keys_are_read_with_their_rotation_and_aws_keys_left_out() {
        let server = MockServer::start().await;
        json_answer(
            &server,
            "TrentService.ListKeys",
            200,
            &format!(
                r#"{{"Keys":[{{"KeyId":"{CUSTOMER}"}},{{"KeyId":"{MANAGED}"}}],"Truncated":false}}"#
            ),
        )
        .await;
        // Each DescribeKey answers for the key its body names.
        wiremock::Mock::given(wiremock::matchers::header(
            "x-amz-target",
            "TrentService.DescribeKey",
        ))
        .and(wiremock::matchers::body_string_contains(MANAGED))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_raw(
            metadata(MANAGED, "AWS", "SYMMETRIC_DEFAULT"),
            "application/x-amz-json-1.1",
        ))
        .mount(&server)
        .await;
        json_answer(
            &server,
            "TrentService.DescribeKey",
            200,
            &metadata(CUSTOMER, "CUSTOMER", "SYMMETRIC_DEFAULT"),
        )
        .await;
        json_answer(
            &server,
            "TrentService.GetKeyRotationStatus",
            200,
            r#"{"KeyRotationEnabled":false}"#,
        )
        .await;
        let keys = keys_of(&server).await;
        let keys = keys.known().cloned().unwrap_or_default();
        assert_eq!(keys.len(), 1, "{keys:?}");
        assert_eq!(keys[0].id, CUSTOMER);
        assert_eq!(keys[0].spec, "SYMMETRIC_DEFAULT");
        assert_eq!(keys[0].rotation_enabled, Observed::Known(false));
    }

    #[tokio::test]
    async fn keys_kms_cannot_rotate_are_not_asked_about() {
        let server = MockServer::start().await;
        json_answer(
            &server,
            "TrentService.ListKeys",
            200,
            &format!(r#"{{"Keys":[{{"KeyId":"{CUSTOMER}"}}],"Truncated":false}}"#),
        )
        .await;
        json_answer(
            &server,
            "TrentService.DescribeKey",
            200,
            &metadata(CUSTOMER, "CUSTOMER", "RSA_2048"),
        )
        .await;
        let keys = keys_of(&server).await.known().cloned().unwrap_or_default();
        assert_eq!(keys[0].spec, "RSA_2048");
        assert!(matches!(
            keys[0].rotation_enabled,
            Observed::Unavailable { .. }
        ));
        let asked = server.received_requests().await.unwrap_or_default();
        assert_eq!(asked.len(), 2, "ListKeys and DescribeKey only");
    }

    #[tokio::test]
    async fn a_key_that_cannot_be_described_makes_the_list_unavailable() {
        let cases = [
            (
                403,
                json_error("AccessDeniedException", "not authorized"),
                "access denied: needs kms:DescribeKey",
            ),
            (
                200,
                "{}".to_owned(),
                "kms:DescribeKey answered without KeyMetadata for key 1234abcd-12ab-34cd-56ef-1234567890ab",
            ),
            (
                200,
                r#"{"KeyMetadata":{"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab"}}"#.to_owned(),
                "kms:DescribeKey answered without a KeyManager tenet knows for key 1234abcd-12ab-34cd-56ef-1234567890ab",
            ),
        ];
        for (status, body, reason) in cases {
            let server = MockServer::start().await;
            json_answer(
                &server,
                "TrentService.ListKeys",
                200,
                &format!(r#"{{"Keys":[{{"KeyId":"{CUSTOMER}"}}],"Truncated":false}}"#),
            )
            .await;
            json_answer(&server, "TrentService.DescribeKey", status, &body).await;
            assert_eq!(keys_of(&server).await, Observed::unavailable(reason));
        }
        let server = MockServer::start().await;
        json_answer(
            &server,
            "TrentService.ListKeys",
            200,
            r#"{"Truncated":false}"#,
        )
        .await;
        assert_eq!(
            keys_of(&server).await,
            Observed::unavailable("kms:ListKeys answered without Keys")
        );
    }
}
