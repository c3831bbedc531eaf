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

use crate::{cloudtrail, ec2, elb, s3::S3Clients};

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
            let client = aws_sdk_ec2::Client::new(&region_config(sdk, from));
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
        load_balancers(sdk, &names),
        trails(sdk, s3, &names),
        ec2_regions(sdk, &names),
    );
    Regional {
        load_balancers,
        trails,
        regions: Observed::Known(regions),
    }
}

/// EC2's facts of every region, sorted by name.
async fn ec2_regions(sdk: &SdkConfig, names: &[String]) -> Vec<AwsRegion> {
    let mut regions: Vec<AwsRegion> = stream::iter(names)
        .map(|name| async move {
            let client = aws_sdk_ec2::Client::new(&region_config(sdk, name));
            ec2::region(&client, name).await
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
async fn load_balancers(sdk: &SdkConfig, regions: &[String]) -> Observed<Vec<LoadBalancer>> {
    elb::collect_regions(regions, |region| {
        aws_sdk_elasticloadbalancingv2::Client::new(&region_config(sdk, region))
    })
    .await
}

/// Trails seen from every region, each once, with status and retention.
async fn trails(sdk: &SdkConfig, s3: &S3Clients, regions: &[String]) -> Observed<Vec<Trail>> {
    // By ARN: the trail and the client of the first region that saw it
    // (GetTrailStatus by ARN works there, for shadow trails too).
    let mut described = BTreeMap::new();
    let mut clients = Vec::new();
    for region in regions {
        let client = aws_sdk_cloudtrail::Client::new(&region_config(sdk, region));
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
