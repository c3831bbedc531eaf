//! `aws.s3.public-access-block`: every bucket blocks public ACLs and public
//! policies, judged as S3 does: each of the four settings is on when the
//! account's Block Public Access or the bucket's turns it on.

use tenet_inventory::{Observed, aws::PublicAccessBlock};

use super::s3_common::{bucket_resource, each_bucket};
use crate::{Context, Outcome};

/// The four settings, by S3's names.
fn settings(block: &PublicAccessBlock) -> [(bool, &'static str); 4] {
    [
        (block.block_public_acls, "BlockPublicAcls"),
        (block.ignore_public_acls, "IgnorePublicAcls"),
        (block.block_public_policy, "BlockPublicPolicy"),
        (block.restrict_public_buckets, "RestrictPublicBuckets"),
    ]
}

/// The settings `block` leaves off (all four when there is none).
fn off(block: Option<&PublicAccessBlock>) -> Vec<&'static str> {
    match block {
        None => vec![
            "BlockPublicAcls",
            "IgnorePublicAcls",
            "BlockPublicPolicy",
            "RestrictPublicBuckets",
        ],
        Some(block) => settings(block)
            .into_iter()
            .filter_map(|(on, name)| (!on).then_some(name))
            .collect(),
    }
}

/// One outcome per bucket.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_bucket(cx, |account, bucket, out| {
        let resource = bucket_resource(bucket);
        let bucket_block = match &bucket.public_access_block {
            Observed::Unavailable { reason } => {
                out.push(Outcome::unavailable(
                    resource,
                    "the public access block",
                    reason,
                ));
                return;
            }
            Observed::Known(block) => block.as_ref(),
        };
        let bucket_off = off(bucket_block);
        if bucket_off.is_empty() {
            out.push(
                Outcome::pass(
                    resource,
                    format!("{} blocks all public access", bucket.name),
                )
                .with("bucket_off", bucket_off),
            );
            return;
        }
        // What the bucket leaves off, the account's settings may cover.
        let account_off = match &account.s3_account_public_access_block {
            Observed::Unavailable { reason } => {
                out.push(Outcome::unavailable(
                    resource,
                    "the account's public access block",
                    reason,
                ));
                return;
            }
            Observed::Known(block) => off(block.as_ref()),
        };
        let still_off: Vec<&str> = bucket_off
            .iter()
            .copied()
            .filter(|name| account_off.contains(name))
            .collect();
        out.push(if still_off.is_empty() {
            Outcome::pass(
                resource,
                format!(
                    "{} blocks all public access, with the account's Block Public Access",
                    bucket.name
                ),
            )
            .with("bucket_off", bucket_off)
            .with("account_off", account_off)
        } else if bucket_block.is_none() && account_off.len() == 4 {
            Outcome::fail(
                resource,
                format!(
                    "{} has no public access block, nor has the account",
                    bucket.name
                ),
            )
            .with("off", still_off)
        } else {
            Outcome::fail(
                resource,
                format!(
                    "{} has {} off, in its own public access block and the account's",
                    bucket.name,
                    still_off.join(", ")
                ),
            )
            .with("off", still_off)
        });
    })
}
