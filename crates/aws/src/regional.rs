//! What an account has in each region: load balancers, trails, and EC2's
//! regional facts, read in the policy's regions or in every region enabled
//! in the account.

use std::collections::BTreeMap;

use aws_config::{Region, SdkConfig};
use futures::{StreamExt, stream};
use tenet_inventory::{
    Observed,
    aws::{AwsRegion, LoadBalancer, Trail},
};

use crate::{
    apigateway, backup, cloudformation, cloudtrail, cloudwatch, dynamodb, ec2, elb, kms, lambda,
    logs, monitoring, opensearch, rds, s3::S3Clients,
};

/// Regions read at the same time within one account.
const REGION_CONCURRENCY: usize = 4;

/// Which regions to read.
#[derive(Clone, Debug)]
pub(crate) enum Regions {
    /// These, as the policy or the command line lists them.
    Listed(Vec<String>),
    /// Every region enabled in each account (`ec2:DescribeRegions`), asked
    /// in this region.
    Enabled {
        /// The region to ask in.
        from: String,
    },
}

/// The regional facts of an account.
pub(crate) struct Regional {
    pub load_balancers: Observed<Vec<LoadBalancer>>,
    pub trails: Observed<Vec<Trail>>,
    pub regions: Observed<Vec<AwsRegion>>,
}

impl Regional {
    /// Every regional fact unavailable for `reason`.
    pub(crate) fn unavailable(reason: &str) -> Regional {
        Regional {
            load_balancers: Observed::unavailable(reason),
            trails: Observed::unavailable(reason),
            regions: Observed::unavailable(reason),
        }
    }
}

/// Reads every regional fact of the account `sdk` reaches.
pub(crate) async fn collect(sdk: &SdkConfig, s3: &S3Clients, regions: &Regions) -> Regional {
    let names = match regions {
        Regions::Listed(names) => names.clone(),
        Regions::Enabled { from } => {
            let client = crate::requestlog::client!(aws_sdk_ec2, &region_config(sdk, from));
            match ec2::enabled_regions(&client).await {
                Ok(names) => names,
                Err(reason) => {
                    return Regional::unavailable(&format!(
                        "the account's regions could not be listed: {reason}"
                    ));
                }
            }
        }
    };
    let (load_balancers, trails, regions) = tokio::join!(
        load_balancers(sdk, s3, &names),
        trails(sdk, s3, &names),
        ec2_regions(sdk, &names),
    );
    Regional {
        load_balancers,
        trails,
        regions: Observed::Known(regions),
    }
}

/// The EC2, RDS, monitoring, logging, KMS, DynamoDB, OpenSearch, API
/// Gateway, AWS Backup, Lambda and CloudFormation facts of every region,
/// sorted by name.
async fn ec2_regions(sdk: &SdkConfig, names: &[String]) -> Vec<AwsRegion> {
    let mut regions: Vec<AwsRegion> = stream::iter(names)
        .map(|name| async move {
            let config = region_config(sdk, name);
            let ec2_client = crate::requestlog::client!(aws_sdk_ec2, &config);
            let rds_client = crate::requestlog::client!(aws_sdk_rds, &config);
            let guardduty_client = crate::requestlog::client!(aws_sdk_guardduty, &config);
            let config_client = crate::requestlog::client!(aws_sdk_config, &config);
            let security_hub_client = crate::requestlog::client!(aws_sdk_securityhub, &config);
            let logs_client = crate::requestlog::client!(aws_sdk_cloudwatchlogs, &config);
            let kms_client = crate::requestlog::client!(aws_sdk_kms, &config);
            let dynamodb_client = crate::requestlog::client!(aws_sdk_dynamodb, &config);
            let cloudwatch_client = crate::requestlog::client!(aws_sdk_cloudwatch, &config);
            let backup_client = crate::requestlog::client!(aws_sdk_backup, &config);
            let opensearch_client = crate::requestlog::client!(aws_sdk_opensearch, &config);
            let apigateway_client = crate::requestlog::client!(aws_sdk_apigateway, &config);
            let lambda_client = crate::requestlog::client!(aws_sdk_lambda, &config);
            let cloudformation_client = crate::requestlog::client!(aws_sdk_cloudformation, &config);
            let (
                ec2,
                databases,
                guardduty,
                config_recorders,
                security_hub_enabled,
                log_groups,
                metric_filters,
                alarms,
                kms_keys,
                dynamodb_tables,
                opensearch_domains,
                rest_apis,
                api_domain_names,
                backup_plans,
                backup_opt_in,
                lambda_functions,
                stacks,
            ) = tokio::join!(
                ec2::region(&ec2_client),
                rds::databases(&rds_client),
                monitoring::guardduty(&guardduty_client),
                monitoring::config_recorders(&config_client),
                monitoring::security_hub(&security_hub_client),
                logs::groups(&logs_client),
                logs::metric_filters(&logs_client),
                cloudwatch::alarms(&cloudwatch_client),
                kms::keys(&kms_client),
                dynamodb::tables(&dynamodb_client),
                opensearch::domains(&opensearch_client),
                apigateway::rest_apis(&apigateway_client, name),
                apigateway::domain_names(&apigateway_client, name),
                backup::plans(&backup_client),
                backup::opt_in(&backup_client),
                lambda::functions(&lambda_client),
                cloudformation::stacks(&cloudformation_client),
            );
            AwsRegion {
                name: name.clone(),
                ebs_encryption_by_default: ec2.ebs_encryption_by_default,
                volumes: ec2.volumes,
                instances: ec2.instances,
                security_groups: ec2.security_groups,
                vpcs: ec2.vpcs,
                flow_logs: ec2.flow_logs,
                db_instances: databases.instances,
                db_clusters: databases.clusters,
                db_parameter_groups: databases.parameter_groups,
                db_cluster_parameter_groups: databases.cluster_parameter_groups,
                guardduty,
                config_recorders,
                security_hub_enabled,
                log_groups,
                metric_filters,
                alarms,
                kms_keys,
                dynamodb_tables,
                opensearch_domains,
                rest_apis,
                api_domain_names,
                backup_plans,
                backup_opt_in,
                lambda_functions,
                stacks,
            }
        })
        .buffer_unordered(REGION_CONCURRENCY)
        .collect()
        .await;
    regions.sort_by(|a, b| a.name.cmp(&b.name));
    regions
}

fn region_config(sdk: &SdkConfig, region: &str) -> SdkConfig {
    sdk.to_builder()
        .region(Region::new(region.to_owned()))
        .build()
}

/// Load balancers of every region.
async fn load_balancers(
    sdk: &SdkConfig,
    s3: &S3Clients,
    regions: &[String],
) -> Observed<Vec<LoadBalancer>> {
    elb::collect_regions(
        regions,
        |region| {
            crate::requestlog::client!(aws_sdk_elasticloadbalancingv2, &region_config(sdk, region))
        },
        s3,
    )
    .await
}

/// Trails seen from every region, each once, with status and retention.
async fn trails(sdk: &SdkConfig, s3: &S3Clients, regions: &[String]) -> Observed<Vec<Trail>> {
    // By ARN: the trail and the client of the first region that saw it
    // (GetTrailStatus by ARN works there, for shadow trails too).
    let mut described = BTreeMap::new();
    let mut clients = Vec::new();
    for region in regions {
        let client = crate::requestlog::client!(aws_sdk_cloudtrail, &region_config(sdk, region));
        match cloudtrail::describe(&client).await {
            Ok(trails) => {
                for trail in trails {
                    described
                        .entry(trail.arn().to_owned())
                        .or_insert((clients.len(), trail));
                }
            }
            Err(reason) => return Observed::unavailable(format!("{region}: {reason}")),
        }
        clients.push(client);
    }
    let clients = &clients;
    let trails = stream::iter(described.into_values())
        .map(|(index, trail)| cloudtrail::complete(&clients[index], s3, trail))
        .buffered(4)
        .collect()
        .await;
    Observed::Known(trails)
}

#[cfg(test)]
mod tests {
    use wiremock::{
        Mock, MockServer, ResponseTemplate,
        matchers::{body_string_contains, method},
    };

    use tenet_inventory::aws::Ec2Instance;

    use super::*;
    use crate::testing::sdk;

    const EC2: &str = "http://ec2.amazonaws.com/doc/2016-11-15/";

    async fn answer(server: &MockServer, action: &str, status: u16, body: String) {
        Mock::given(method("POST"))
            .and(body_string_contains(format!("Action={action}&")))
            .respond_with(ResponseTemplate::new(status).set_body_raw(body, "text/xml"))
            .mount(server)
            .await;
    }

    fn ok(action: &str, content: &str) -> String {
        format!(
            r#"<{action}Response xmlns="{EC2}"><requestId>1</requestId>{content}</{action}Response>"#
        )
    }

    fn denied(action: &str) -> String {
        format!(
            "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>{action}</RequestID></Response>"
        )
    }

    async fn regional(server: &MockServer, regions: &Regions) -> Regional {
        let sdk = sdk(server).await;
        collect(&sdk, &S3Clients::new(&sdk, true), regions).await
    }

    #[tokio::test]
    async fn every_enabled_region_is_read_each_on_its_own() {
        let server = MockServer::start().await;
        let regions = ["eu-west-1", "us-east-1"]
            .map(|name| format!("<item><regionName>{name}</regionName><regionEndpoint>ec2.{name}.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>"))
            .concat();
        answer(
            &server,
            "DescribeRegions",
            200,
            ok(
                "DescribeRegions",
                &format!("<regionInfo>{regions}</regionInfo>"),
            ),
        )
        .await;
        answer(
            &server,
            "GetEbsEncryptionByDefault",
            200,
            ok(
                "GetEbsEncryptionByDefault",
                "<ebsEncryptionByDefault>true</ebsEncryptionByDefault>",
            ),
        )
        .await;
        answer(
            &server,
            "DescribeVolumes",
            200,
            ok("DescribeVolumes", "<volumeSet/>"),
        )
        .await;
        answer(
            &server,
            "DescribeSecurityGroups",
            403,
            denied("DescribeSecurityGroups"),
        )
        .await;
        let facts = regional(
            &server,
            &Regions::Enabled {
                from: "us-east-1".into(),
            },
        )
        .await;
        let regions = facts.regions.known().cloned().unwrap_or_default();
        let names: Vec<&str> = regions.iter().map(|region| region.name.as_str()).collect();
        assert_eq!(names, ["eu-west-1", "us-east-1"]);
        for region in &regions {
            assert_eq!(region.ebs_encryption_by_default, Observed::Known(true));
            assert_eq!(region.volumes, Observed::Known(vec![]));
            assert_eq!(
                region.security_groups,
                Observed::unavailable("access denied: needs ec2:DescribeSecurityGroups")
            );
        }
    }

    /// `DescribeInstances` with `reservations`, each a list of instances.
    fn instances(reservations: &[&str]) -> String {
        let reservations = reservations
            .iter()
            .map(|instances| format!("<item><reservationId>r-1</reservationId>{instances}</item>"))
            .collect::<String>();
        ok(
            "DescribeInstances",
            &format!("<reservationSet>{reservations}</reservationSet>"),
        )
    }

    fn instance(id: &str, state: &str, profile: &str) -> String {
        format!(
            "<item><instanceId>{id}</instanceId><instanceState><code>16</code><name>{state}</name></instanceState>{profile}</item>"
        )
    }

    async fn instances_answered(body: String) -> Observed<Vec<Ec2Instance>> {
        let server = MockServer::start().await;
        answer(&server, "DescribeInstances", 200, body).await;
        let facts = regional(&server, &Regions::Listed(vec!["eu-west-1".into()])).await;
        let regions = facts.regions.known().cloned().unwrap_or_default();
        regions[0].instances.clone()
    }

    #[tokio::test]
    async fn instances_are_read_with_their_profiles_and_terminated_ones_left_out() {
        let profile = "<iamInstanceProfile><arn>arn:aws:iam::111122223333:instance-profile/web</arn><id>AIPA1</id></iamInstanceProfile>";
        let body = instances(&[
            &format!(
                "<instancesSet>{}{}</instancesSet>",
                instance("i-2", "stopped", profile),
                instance("i-3", "terminated", profile)
            ),
            &format!(
                "<instancesSet>{}</instancesSet>",
                instance("i-1", "running", "")
            ),
        ]);
        assert_eq!(
            instances_answered(body).await,
            Observed::Known(vec![
                Ec2Instance {
                    id: "i-1".into(),
                    state: "running".into(),
                    instance_profile: None,
                },
                Ec2Instance {
                    id: "i-2".into(),
                    state: "stopped".into(),
                    instance_profile: Some("arn:aws:iam::111122223333:instance-profile/web".into()),
                },
            ])
        );
    }

    #[tokio::test]
    async fn instances_answered_without_what_a_role_depends_on_are_unavailable() {
        let cases = [
            (
                ok("DescribeInstances", ""),
                "ec2:DescribeInstances answered without reservationSet",
            ),
            (
                instances(&[""]),
                "ec2:DescribeInstances answered with a reservation without its instancesSet",
            ),
            (
                instances(&[&format!(
                    "<instancesSet>{}</instancesSet>",
                    instance(
                        "i-1",
                        "running",
                        "<iamInstanceProfile><id>AIPA1</id></iamInstanceProfile>"
                    )
                )]),
                "ec2:DescribeInstances listed instance i-1 with an instance profile without its arn",
            ),
            (
                instances(&[
                    "<instancesSet><item><instanceId>i-1</instanceId></item></instancesSet>",
                ]),
                "ec2:DescribeInstances listed instance i-1 without its state",
            ),
            (
                ok(
                    "DescribeInstances",
                    "<reservationSet/><nextToken>more</nextToken>",
                ),
                // Every page names the same next one: the listing is cut
                // short, never "none".
                "ec2:DescribeInstances answered a page token it had already been sent, so the \
                 pages after it were not read",
            ),
        ];
        for (body, reason) in cases {
            assert_eq!(
                instances_answered(body).await,
                Observed::unavailable(reason)
            );
        }
    }

    #[tokio::test]
    async fn regions_that_cannot_be_listed_make_every_regional_fact_unavailable() {
        let server = MockServer::start().await;
        answer(&server, "DescribeRegions", 403, denied("DescribeRegions")).await;
        let facts = regional(
            &server,
            &Regions::Enabled {
                from: "us-east-1".into(),
            },
        )
        .await;
        let reason =
            "the account's regions could not be listed: access denied: needs ec2:DescribeRegions";
        assert_eq!(facts.regions.map(|_| ()), Observed::unavailable(reason));
        assert_eq!(
            facts.load_balancers.map(|_| ()),
            Observed::unavailable(reason)
        );
        assert_eq!(facts.trails.map(|_| ()), Observed::unavailable(reason));
    }

    #[tokio::test]
    async fn an_answer_without_its_list_is_unavailable_never_none() {
        let server = MockServer::start().await;
        answer(&server, "DescribeRegions", 200, ok("DescribeRegions", "")).await;
        let facts = regional(
            &server,
            &Regions::Enabled {
                from: "us-east-1".into(),
            },
        )
        .await;
        assert_eq!(
            facts.regions.map(|_| ()),
            Observed::unavailable(
                "the account's regions could not be listed: ec2:DescribeRegions answered without regionInfo"
            )
        );
        let server = MockServer::start().await;
        answer(
            &server,
            "GetEbsEncryptionByDefault",
            200,
            ok("GetEbsEncryptionByDefault", ""),
        )
        .await;
        answer(&server, "DescribeVolumes", 200, ok("DescribeVolumes", "")).await;
        answer(&server, "DescribeSecurityGroups", 200, ok("DescribeSecurityGroups", "<securityGroupInfo><item><groupId>sg-1</groupId><groupName>web</groupName><ipPermissions><item><ipProtocol>tcp</ipProtocol><fromPort>22</fromPort><toPort>22</toPort></item></ipPermissions></item></securityGroupInfo>")).await;
        let facts = regional(&server, &Regions::Listed(vec!["eu-west-1".into()])).await;
        let regions = facts.regions.known().cloned().unwrap_or_default();
        assert_eq!(
            regions[0].ebs_encryption_by_default,
            Observed::unavailable(
                "ec2:GetEbsEncryptionByDefault answered without ebsEncryptionByDefault"
            )
        );
        assert_eq!(
            regions[0].volumes,
            Observed::unavailable("ec2:DescribeVolumes answered without volumeSet")
        );
        assert_eq!(
            regions[0].security_groups,
            Observed::unavailable(
                "ec2:DescribeSecurityGroups listed a rule of sg-1 without any source"
            )
        );
    }
}
