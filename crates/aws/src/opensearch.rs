//! OpenSearch Service domains (OpenSearch and Elasticsearch): whether they
//! require HTTPS with TLS 1.2, encrypt traffic between their nodes, and
//! encrypt their data at rest. One list call per region, then one call per
//! five domains.

use aws_sdk_opensearch::{Client, types::DomainStatus};
use tenet_inventory::{Observed, aws::SearchDomain};

use crate::error::reason;

/// The most domains `DescribeDomains` answers at once.
const BATCH: usize = 5;

/// The region's domains, sorted by name.
pub(crate) async fn domains(client: &Client) -> Observed<Vec<SearchDomain>> {
    const LIST: &str = "es:ListDomainNames";
    const DESCRIBE: &str = "es:DescribeDomains";
    let listed = match client.list_domain_names().send().await {
        Ok(output) => output,
        Err(err) => return Observed::unavailable(reason(LIST, &err)),
    };
    let Some(listed) = &listed.domain_names else {
        return Observed::unavailable(format!("{LIST} answered without DomainNames"));
    };
    let mut names = Vec::new();
    for domain in listed {
        let Some(name) = domain.domain_name().filter(|name| !name.is_empty()) else {
            return Observed::unavailable(format!("{LIST} listed a domain without its DomainName"));
        };
        names.push(name.to_owned());
    }
    names.sort();
    names.dedup();
    let mut domains = Vec::new();
    for batch in names.chunks(BATCH) {
        let output = match client
            .describe_domains()
            .set_domain_names(Some(batch.to_vec()))
            .send()
            .await
        {
            Ok(output) => output,
            Err(err) => return Observed::unavailable(reason(DESCRIBE, &err)),
        };
        // The SDK reads a lost DomainStatusList as an empty one: every
        // domain asked for must be answered.
        for name in batch {
            let Some(status) = output
                .domain_status_list()
                .iter()
                .find(|status| status.domain_name() == name)
            else {
                return Observed::unavailable(format!(
                    "{DESCRIBE} did not answer the domain {name}"
                ));
            };
            match domain(status) {
                Ok(domain) => domains.push(domain),
                Err(missing) => {
                    return Observed::unavailable(format!(
                        "{DESCRIBE} answered the domain {name} without {missing}"
                    ));
                }
            }
        }
    }
    Observed::Known(domains)
}

/// One domain's settings, or the member its status lacks.
fn domain(status: &DomainStatus) -> Result<SearchDomain, &'static str> {
    let endpoint = status
        .domain_endpoint_options()
        .ok_or("DomainEndpointOptions")?;
    Ok(SearchDomain {
        name: status.domain_name().to_owned(),
        arn: Some(status.arn())
            .filter(|arn| !arn.is_empty())
            .ok_or("ARN")?
            .to_owned(),
        enforce_https: endpoint.enforce_https().ok_or("EnforceHTTPS")?,
        tls_policy: endpoint
            .tls_security_policy()
            .ok_or("TLSSecurityPolicy")?
            .as_str()
            .to_owned(),
        node_to_node_encryption: status
            .node_to_node_encryption_options()
            .and_then(|options| options.enabled())
            .ok_or("NodeToNodeEncryptionOptions")?,
        encryption_at_rest: status
            .encryption_at_rest_options()
            .and_then(|options| options.enabled())
            .ok_or("EncryptionAtRestOptions")?,
    })
}

#[cfg(test)]
mod tests {
    use aws_sdk_opensearch::{
        error::ErrorMetadata,
        operation::{
            describe_domains::{DescribeDomainsError, DescribeDomainsOutput},
            list_domain_names::ListDomainNamesOutput,
        },
        types::{
            DomainEndpointOptions, DomainInfo, EncryptionAtRestOptions,
            NodeToNodeEncryptionOptions, TlsSecurityPolicy,
        },
    };
    use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};

    use super::*;

    const NAMES: [&str; 7] = ["a", "b", "c", "d", "e", "f", "g"];

    fn status(name: &str) -> DomainStatus {
        DomainStatus::builder()
            .domain_id(format!("111122223333/{name}"))
            .domain_name(name)
            .arn(format!("arn:aws:es:us-east-1:111122223333:domain/{name}"))
            .cluster_config(aws_sdk_opensearch::types::ClusterConfig::builder().build())
            .domain_endpoint_options(
                DomainEndpointOptions::builder()
                    .enforce_https(true)
                    .tls_security_policy(TlsSecurityPolicy::PolicyMinTls12201907)
                    .build(),
            )
            .node_to_node_encryption_options(
                NodeToNodeEncryptionOptions::builder().enabled(true).build(),
            )
            .encryption_at_rest_options(EncryptionAtRestOptions::builder().enabled(false).build())
            .build()
            .expect("status")
    }

    /// Seven domains, listed out of order; `DescribeDomains` answers the
    /// names it is asked for, through `status`.
    fn client(describe: Vec<Rule>) -> Client {
        let list = mock!(Client::list_domain_names).then_output(|| {
            NAMES
                .iter()
                .rev()
                .fold(ListDomainNamesOutput::builder(), |output, name| {
                    output.domain_names(DomainInfo::builder().domain_name(*name).build())
                })
                .build()
        });
        let mut rules = vec![list];
        rules.extend(describe);
        mock_client!(aws_sdk_opensearch, RuleMode::MatchAny, &rules)
    }

    fn answering(batch: &'static [&'static str], lose: Option<&'static str>) -> Rule {
        mock!(Client::describe_domains)
            .match_requests(move |input| input.domain_names() == batch)
            .then_output(move || {
                batch
                    .iter()
                    .filter(|name| Some(**name) != lose)
                    .fold(DescribeDomainsOutput::builder(), |output, name| {
                        output.domain_status_list(status(name))
                    })
                    .build()
                    .expect("output")
            })
    }

    #[tokio::test]
    async fn domains_are_read_five_at_a_time_sorted_by_name() {
        let first = answering(&["a", "b", "c", "d", "e"], None);
        let second = answering(&["f", "g"], None);
        let client = client(vec![first.clone(), second.clone()]);
        let read = domains(&client).await;
        let names: Vec<&str> = read
            .known()
            .expect("domains read")
            .iter()
            .map(|domain| domain.name.as_str())
            .collect();
        assert_eq!(names, NAMES);
        assert_eq!((first.num_calls(), second.num_calls()), (1, 1));
        assert_eq!(
            read.known().expect("domains read")[0],
            SearchDomain {
                name: "a".into(),
                arn: "arn:aws:es:us-east-1:111122223333:domain/a".into(),
                enforce_https: true,
                tls_policy: "Policy-Min-TLS-1-2-2019-07".into(),
                node_to_node_encryption: true,
                encryption_at_rest: false,
            }
        );
    }

    #[tokio::test]
    async fn a_domain_left_out_or_without_its_settings_is_unavailable() {
        let lost = answering(&["a", "b", "c", "d", "e"], Some("c"));
        assert_eq!(
            domains(&client(vec![lost])).await,
            Observed::unavailable("es:DescribeDomains did not answer the domain c")
        );
        let bare = mock!(Client::describe_domains).then_output(|| {
            let mut bare = status("a");
            bare.domain_endpoint_options = None;
            DescribeDomainsOutput::builder()
                .domain_status_list(bare)
                .build()
                .expect("output")
        });
        assert_eq!(
            domains(&client(vec![bare])).await,
            Observed::unavailable(
                "es:DescribeDomains answered the domain a without DomainEndpointOptions"
            )
        );
        let denied = mock!(Client::describe_domains).then_error(|| {
            DescribeDomainsError::generic(
                ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .message("not authorized")
                    .build(),
            )
        });
        assert_eq!(
            domains(&client(vec![denied])).await,
            Observed::unavailable("access denied: needs es:DescribeDomains")
        );
    }
}
