//! The regions tenet accepts, by partition: AWS's own partition data
//! (`data/regions.tsv`, generated from botocore's `endpoints.json` by
//! `scripts/regen-aws-regions`). A region outside it is a typo or a
//! partition the credentials cannot reach, refused before any call.

use crate::config::ConfigError;

/// `partition\tregion` lines; `#` starts a comment.
const TABLE: &str = include_str!("../data/regions.tsv");

/// The known `(partition, region)` pairs.
fn known() -> impl Iterator<Item = (&'static str, &'static str)> {
    TABLE
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| line.split_once('\t'))
}

/// The partition of `region` (`aws`, `aws-cn`, `aws-us-gov`, …).
pub(crate) fn partition_of(region: &str) -> Option<&'static str> {
    known()
        .find(|(_, known)| *known == region)
        .map(|(partition, _)| partition)
}

/// The one partition of `regions`; an unknown region (with the closest
/// known one as a suggestion) or regions of two partitions are refused.
pub(crate) fn partition(regions: &[String]) -> Result<&'static str, ConfigError> {
    let mut found: Option<(&str, &'static str)> = None;
    for region in regions {
        let Some(partition) = partition_of(region) else {
            return Err(ConfigError::UnknownRegion {
                region: region.clone(),
                suggestion: suggestion(region),
            });
        };
        match found {
            Some((first, first_partition)) if first_partition != partition => {
                return Err(ConfigError::MixedPartitions {
                    first: format!("{first} ({first_partition})"),
                    other: format!("{region} ({partition})"),
                });
            }
            Some(_) => {}
            None => found = Some((region, partition)),
        }
    }
    Ok(found.map_or("aws", |(_, partition)| partition))
}

/// The known region closest to a misspelt one, if it is close.
fn suggestion(region: &str) -> Option<String> {
    let wanted = region.trim().to_ascii_lowercase();
    known()
        .map(|(_, known)| (strsim::levenshtein(&wanted, known), known))
        .filter(|(distance, _)| *distance <= 3)
        .min()
        .map(|(_, known)| known.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn regions_are_judged_by_their_partition() {
        let cases: [(&[&str], Result<&str, &str>); 8] = [
            (&["us-east-1", "eu-west-1"], Ok("aws")),
            (&["cn-north-1"], Ok("aws-cn")),
            (&["us-gov-west-1"], Ok("aws-us-gov")),
            (&[], Ok("aws")),
            (
                &["eu-wset-1"],
                Err(
                    "unknown AWS region `eu-wset-1` in --aws-region, `regions` under [aws] or the AWS profile: did you mean `eu-west-1`?",
                ),
            ),
            (
                &["US-EAST-1"],
                Err(
                    "unknown AWS region `US-EAST-1` in --aws-region, `regions` under [aws] or the AWS profile: did you mean `us-east-1`?",
                ),
            ),
            (
                &["mars-1"],
                Err(
                    "unknown AWS region `mars-1` in --aws-region, `regions` under [aws] or the AWS profile",
                ),
            ),
            (
                &["us-east-1", "cn-north-1"],
                Err(
                    "regions us-east-1 (aws) and cn-north-1 (aws-cn) are in two partitions, which no one set of credentials reaches: collect each partition in a run of its own",
                ),
            ),
        ];
        for (names, expected) in cases {
            let got = partition(&regions(names)).map_err(|err| err.to_string());
            match expected {
                Ok(partition) => assert_eq!(got.as_deref(), Ok(partition), "{names:?}"),
                Err(message) => {
                    let got = got.expect_err("refused");
                    assert!(got.starts_with(message), "{names:?}: {got}");
                }
            }
        }
    }

    #[test]
    fn the_table_is_aws_own_and_whole() {
        for region in ["us-east-1", "eu-central-1", "ap-southeast-2", "sa-east-1"] {
            assert_eq!(partition_of(region), Some("aws"), "{region}");
        }
        assert!(known().count() > 30);
    }
}
