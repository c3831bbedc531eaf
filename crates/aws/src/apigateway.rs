//! API Gateway REST APIs and custom domain names: the TLS their endpoints
//! accept. One call per region (per 500 APIs) and one per region (per 500
//! domain names).

use aws_sdk_apigateway::{
    Client,
    types::{DomainName, EndpointConfiguration, ResourceOwner, RestApi as SdkRestApi},
};
use tenet_inventory::{
    Observed,
    aws::{ApiDomainName, RestApi},
};

use crate::{error::reason, pages::PageToken, regions::partition_of};

/// The largest page `GetRestApis` and `GetDomainNames` serve.
const PAGE: i32 = 500;

/// The region's REST APIs, sorted by id.
pub(crate) async fn rest_apis(client: &Client, region: &str) -> Observed<Vec<RestApi>> {
    const CALL: &str = "apigateway:GET /restapis";
    let mut pages = client.get_rest_apis().limit(PAGE).into_paginator().send();
    let mut apis = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        token.saw(page.position());
        // API Gateway lists `item` on every page, empty or not.
        let Some(items) = page.items.as_ref() else {
            return Observed::unavailable(format!("{CALL} answered without item"));
        };
        for api in items {
            match rest_api(api, region) {
                Ok(api) => apis.push(api),
                Err(missing) => {
                    return Observed::unavailable(format!(
                        "{CALL} listed a REST API without {missing}"
                    ));
                }
            }
        }
    }
    if let Some(cut) = token.cut_short(CALL) {
        return Observed::unavailable(cut);
    }
    apis.sort_by(|a, b| a.id.cmp(&b.id));
    apis.dedup_by(|a, b| a.id == b.id);
    Observed::Known(apis)
}

/// The region's custom domain names (those the account owns), sorted by
/// name and ARN.
pub(crate) async fn domain_names(client: &Client, region: &str) -> Observed<Vec<ApiDomainName>> {
    const CALL: &str = "apigateway:GET /domainnames";
    let mut pages = client
        .get_domain_names()
        .resource_owner(ResourceOwner::SelfValue)
        .limit(PAGE)
        .into_paginator()
        .send();
    let mut names = Vec::new();
    let mut token = PageToken::default();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(err) => return Observed::unavailable(reason(CALL, &err)),
        };
        token.saw(page.position());
        let Some(items) = page.items.as_ref() else {
            return Observed::unavailable(format!("{CALL} answered without item"));
        };
        for domain in items {
            match domain_name(domain, region) {
                Ok(domain) => names.push(domain),
                Err(missing) => {
                    return Observed::unavailable(format!(
                        "{CALL} listed a domain name without {missing}"
                    ));
                }
            }
        }
    }
    if let Some(cut) = token.cut_short(CALL) {
        return Observed::unavailable(cut);
    }
    names.sort_by(|a, b| (&a.name, &a.arn).cmp(&(&b.name, &b.arn)));
    names.dedup();
    Observed::Known(names)
}

/// One REST API, or the member its answer lacks.
fn rest_api(api: &SdkRestApi, region: &str) -> Result<RestApi, &'static str> {
    let id = api.id().filter(|id| !id.is_empty()).ok_or("its id")?;
    Ok(RestApi {
        id: id.to_owned(),
        name: api.name().unwrap_or_default().to_owned(),
        arn: format!(
            "arn:{}:apigateway:{region}::/restapis/{id}",
            partition(region)
        ),
        endpoint_types: endpoint_types(api.endpoint_configuration())?,
        execute_api_endpoint_disabled: api.disable_execute_api_endpoint(),
        security_policy: api
            .security_policy()
            .map(|policy| policy.as_str().to_owned()),
    })
}

/// One custom domain name, or the member its answer lacks.
fn domain_name(domain: &DomainName, region: &str) -> Result<ApiDomainName, &'static str> {
    let name = domain
        .domain_name()
        .filter(|name| !name.is_empty())
        .ok_or("its domainName")?;
    let arn = match domain.domain_name_arn().filter(|arn| !arn.is_empty()) {
        Some(arn) => arn.to_owned(),
        None => format!(
            "arn:{}:apigateway:{region}::/domainnames/{name}",
            partition(region)
        ),
    };
    Ok(ApiDomainName {
        name: name.to_owned(),
        arn,
        endpoint_types: endpoint_types(domain.endpoint_configuration())?,
        security_policy: domain
            .security_policy()
            .ok_or("its securityPolicy")?
            .as_str()
            .to_owned(),
    })
}

/// The endpoint types of an endpoint configuration, which API Gateway
/// always answers with at least one type.
fn endpoint_types(
    configuration: Option<&EndpointConfiguration>,
) -> Result<Vec<String>, &'static str> {
    let types = configuration
        .and_then(|configuration| configuration.types.as_deref())
        .filter(|types| !types.is_empty())
        .ok_or("its endpointConfiguration types")?;
    let mut types: Vec<String> = types.iter().map(|t| t.as_str().to_owned()).collect();
    types.sort();
    types.dedup();
    Ok(types)
}

/// The partition of a region enabled in the account; a region newer than
/// tenet's region table is in `aws`, where AWS opens new regions.
fn partition(region: &str) -> &'static str {
    partition_of(region).unwrap_or("aws")
}

#[cfg(test)]
mod tests {
    use aws_sdk_apigateway::{
        error::ErrorMetadata,
        operation::{
            get_domain_names::GetDomainNamesOutput,
            get_rest_apis::{GetRestApisError, GetRestApisOutput},
        },
        types::{EndpointType, SecurityPolicy},
    };
    use aws_smithy_mocks::{RuleMode, mock, mock_client};

    use super::*;

    fn regional() -> EndpointConfiguration {
        EndpointConfiguration::builder()
            .types(EndpointType::Regional)
            .build()
    }

    fn api(id: &str) -> SdkRestApi {
        SdkRestApi::builder()
            .id(id)
            .name(format!("api-{id}"))
            .endpoint_configuration(regional())
            .build()
    }

    fn domain(name: &str, policy: Option<SecurityPolicy>) -> DomainName {
        DomainName::builder()
            .domain_name(name)
            .endpoint_configuration(regional())
            .set_security_policy(policy)
            .build()
    }

    #[tokio::test]
    async fn rest_apis_are_read_page_by_page_sorted_by_id() {
        let first = mock!(Client::get_rest_apis)
            .match_requests(|input| input.position().is_none())
            .then_output(|| {
                GetRestApisOutput::builder()
                    .items(api("zz"))
                    .items(
                        SdkRestApi::builder()
                            .id("aa")
                            .name("private")
                            .endpoint_configuration(
                                EndpointConfiguration::builder()
                                    .types(EndpointType::Private)
                                    .build(),
                            )
                            .disable_execute_api_endpoint(true)
                            .security_policy(SecurityPolicy::SecurityPolicyTls1313202509)
                            .build(),
                    )
                    .position("page-2")
                    .build()
            });
        let second = mock!(Client::get_rest_apis)
            .match_requests(|input| input.position() == Some("page-2"))
            .then_output(|| GetRestApisOutput::builder().items(api("mm")).build());
        let client = mock_client!(aws_sdk_apigateway, RuleMode::MatchAny, &[&first, &second]);
        let read = rest_apis(&client, "eu-west-1").await;
        let apis = read.known().expect("APIs read");
        assert_eq!(
            apis.iter().map(|api| api.id.as_str()).collect::<Vec<_>>(),
            ["aa", "mm", "zz"]
        );
        assert_eq!(
            apis[0],
            RestApi {
                id: "aa".into(),
                name: "private".into(),
                arn: "arn:aws:apigateway:eu-west-1::/restapis/aa".into(),
                endpoint_types: vec!["PRIVATE".into()],
                execute_api_endpoint_disabled: true,
                security_policy: Some("SecurityPolicy_TLS13_1_3_2025_09".into()),
            }
        );
        assert_eq!(apis[1].security_policy, None);
    }

    #[tokio::test]
    async fn a_lost_list_or_member_or_a_repeated_page_is_unavailable() {
        let cases = [
            (
                mock!(Client::get_rest_apis).then_output(|| GetRestApisOutput::builder().build()),
                "apigateway:GET /restapis answered without item",
            ),
            (
                mock!(Client::get_rest_apis).then_output(|| {
                    GetRestApisOutput::builder()
                        .items(SdkRestApi::builder().id("aa").build())
                        .build()
                }),
                "apigateway:GET /restapis listed a REST API without its endpointConfiguration \
                 types",
            ),
            (
                mock!(Client::get_rest_apis).then_output(|| {
                    GetRestApisOutput::builder()
                        .items(api("aa"))
                        .position("page-2")
                        .build()
                }),
                "apigateway:GET /restapis answered a page token it had already been sent, so \
                 the pages after it were not read",
            ),
            (
                mock!(Client::get_rest_apis).then_error(|| {
                    GetRestApisError::generic(
                        ErrorMetadata::builder()
                            .code("AccessDeniedException")
                            .message("not authorized")
                            .build(),
                    )
                }),
                "access denied: needs apigateway:GET /restapis",
            ),
        ];
        for (rule, reason) in cases {
            let client = mock_client!(aws_sdk_apigateway, RuleMode::MatchAny, &[&rule]);
            assert_eq!(
                rest_apis(&client, "us-east-1").await,
                Observed::unavailable(reason)
            );
        }
    }

    #[tokio::test]
    async fn a_domain_name_needs_its_security_policy() {
        let listed = mock!(Client::get_domain_names)
            .match_requests(|input| input.resource_owner() == Some(&ResourceOwner::SelfValue))
            .then_output(|| {
                GetDomainNamesOutput::builder()
                    .items(domain("b.example.com", Some(SecurityPolicy::Tls10)))
                    .items({
                        let mut private = domain("a.example.com", Some(SecurityPolicy::Tls12));
                        private.domain_name_arn = Some(
                            "arn:aws:apigateway:us-east-1:111122223333:/domainnames/a.example.com+abc"
                                .into(),
                        );
                        private
                    })
                    .build()
            });
        let client = mock_client!(aws_sdk_apigateway, RuleMode::MatchAny, &[&listed]);
        assert_eq!(
            domain_names(&client, "us-east-1").await,
            Observed::Known(vec![
                ApiDomainName {
                    name: "a.example.com".into(),
                    arn: "arn:aws:apigateway:us-east-1:111122223333:/domainnames/a.example.com+abc"
                        .into(),
                    endpoint_types: vec!["REGIONAL".into()],
                    security_policy: "TLS_1_2".into(),
                },
                ApiDomainName {
                    name: "b.example.com".into(),
                    arn: "arn:aws:apigateway:us-east-1::/domainnames/b.example.com".into(),
                    endpoint_types: vec!["REGIONAL".into()],
                    security_policy: "TLS_1_0".into(),
                },
            ])
        );
        let bare = mock!(Client::get_domain_names).then_output(|| {
            GetDomainNamesOutput::builder()
                .items(domain("a.example.com", None))
                .build()
        });
        let client = mock_client!(aws_sdk_apigateway, RuleMode::MatchAny, &[&bare]);
        assert_eq!(
            domain_names(&client, "us-east-1").await,
            Observed::unavailable(
                "apigateway:GET /domainnames listed a domain name without its securityPolicy"
            )
        );
    }
}
