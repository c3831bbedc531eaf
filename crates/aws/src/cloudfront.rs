//! CloudFront distributions: viewer protocol policies, the viewer security
//! policy and how origins are reached, one call per 100 distributions (a
//! global service).

use aws_sdk_cloudfront::{Client, types::DistributionSummary};
use tenet_inventory::{
    Observed,
    aws::{CacheBehavior, Distribution, DistributionOrigin},
};

use crate::{error::reason, required::Required};

/// The largest page `ListDistributions` serves.
const PAGE: i32 = 100;

const CALL: &str = "cloudfront:ListDistributions";

/// The value the SDK gives a required enum member an answer lacks.
const UNSET: &str = "no value was set";

/// The account's distributions, sorted by id.
pub(crate) async fn distributions(client: &Client) -> Observed<Vec<Distribution>> {
    let mut marker: Option<String> = None;
    let mut distributions = Vec::new();
    loop {
        let page = match client
            .list_distributions()
            .set_marker(marker.take())
            .max_items(PAGE)
            .customize()
            .interceptor(Required {
                call: CALL,
                elements: &["IsTruncated", "Quantity"],
                root_payload: true,
            })
            .send()
            .await
        {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        let Some(list) = page.distribution_list() else {
            return Observed::unavailable(format!("{CALL} answered without DistributionList"));
        };
        // CloudFront leaves `Items` out when `Quantity` is 0, and only then.
        let items = list.items.as_deref().unwrap_or_default();
        if usize::try_from(list.quantity()).ok() != Some(items.len()) {
            return Observed::unavailable(format!(
                "{CALL} answered with Quantity {} but {} distributions",
                list.quantity(),
                items.len()
            ));
        }
        for summary in items {
            match distribution(summary) {
                Ok(distribution) => distributions.push(distribution),
                Err(reason) => return Observed::unavailable(reason),
            }
        }
        if !list.is_truncated() {
            // NextMarker is sent only with IsTruncated true.
            if list.next_marker().is_some_and(|next| !next.is_empty()) {
                return Observed::unavailable(format!(
                    "{CALL} answered NextMarker with IsTruncated false"
                ));
            }
            break;
        }
        match list.next_marker().filter(|next| !next.is_empty()) {
            Some(next) => marker = Some(next.to_owned()),
            None => {
                return Observed::unavailable(format!(
                    "{CALL} answered IsTruncated without NextMarker"
                ));
            }
        }
    }
    distributions.sort_by(|a, b| a.id.cmp(&b.id));
    Observed::Known(distributions)
}

/// One distribution; `Err` names what its summary lacks.
fn distribution(summary: &DistributionSummary) -> Result<Distribution, String> {
    let id = summary.id();
    let lost = |element: &str| format!("{CALL} listed distribution {id} without {element}");
    if id.is_empty() || summary.arn().is_empty() {
        return Err(format!(
            "{CALL} listed a distribution without its Id or ARN"
        ));
    }
    let default = summary
        .default_cache_behavior()
        .ok_or_else(|| lost("DefaultCacheBehavior"))?;
    // The SDK fills a missing required member in (smithy-rs "error
    // correction"): a text with an empty one, an enum with the unknown
    // value `no value was set`.
    let policy = |text: &str, element: &str| {
        (!text.is_empty() && text != UNSET)
            .then(|| text.to_owned())
            .ok_or_else(|| lost(element))
    };
    let mut behaviors = vec![CacheBehavior {
        path_pattern: "*".to_owned(),
        viewer_protocol_policy: policy(
            default.viewer_protocol_policy().as_str(),
            "ViewerProtocolPolicy",
        )?,
    }];
    let others = summary
        .cache_behaviors()
        .ok_or_else(|| lost("CacheBehaviors"))?;
    let listed = others.items.as_deref().unwrap_or_default();
    if usize::try_from(others.quantity()).ok() != Some(listed.len()) {
        return Err(lost("the cache behaviors its Quantity counts"));
    }
    for behavior in listed {
        behaviors.push(CacheBehavior {
            path_pattern: policy(behavior.path_pattern(), "PathPattern")?,
            viewer_protocol_policy: policy(
                behavior.viewer_protocol_policy().as_str(),
                "ViewerProtocolPolicy",
            )?,
        });
    }
    let certificate = summary
        .viewer_certificate()
        .ok_or_else(|| lost("ViewerCertificate"))?;
    let origins = summary.origins().ok_or_else(|| lost("Origins"))?;
    if usize::try_from(origins.quantity()).ok() != Some(origins.items().len()) {
        return Err(lost("the origins its Quantity counts"));
    }
    let origins = origins
        .items()
        .iter()
        .map(|origin| {
            let (kind, protocol_policy, ssl_protocols) =
                if let Some(custom) = origin.custom_origin_config() {
                    let protocols = custom
                        .origin_ssl_protocols()
                        .map(|protocols| {
                            protocols
                                .items()
                                .iter()
                                .map(|protocol| protocol.as_str().to_owned())
                                .collect()
                        })
                        .unwrap_or_default();
                    (
                        "custom",
                        Some(policy(
                            custom.origin_protocol_policy().as_str(),
                            "OriginProtocolPolicy",
                        )?),
                        protocols,
                    )
                } else if origin.s3_origin_config().is_some() {
                    ("s3", None, Vec::new())
                } else if origin.vpc_origin_config().is_some() {
                    ("vpc", None, Vec::new())
                } else {
                    return Err(lost(&format!(
                        "the configuration of origin {}",
                        origin.id()
                    )));
                };
            Ok(DistributionOrigin {
                id: origin.id().to_owned(),
                kind: kind.to_owned(),
                protocol_policy,
                ssl_protocols,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Distribution {
        id: id.to_owned(),
        arn: summary.arn().to_owned(),
        domain_name: summary.domain_name().to_owned(),
        enabled: summary.enabled(),
        behaviors,
        default_certificate: certificate
            .cloud_front_default_certificate()
            .unwrap_or(false),
        minimum_protocol_version: certificate
            .minimum_protocol_version()
            .map(|version| version.as_str().to_owned()),
        origins,
    })
}
