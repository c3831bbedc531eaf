//! Shared walk of OpenSearch Service domains.

use tenet_inventory::aws::SearchDomain;

use crate::{
    Context, Outcome, Resource,
    support::{each_region, known},
};

/// Runs `check` for every domain of every region read.
pub(crate) fn each_domain(
    cx: &Context<'_>,
    mut check: impl FnMut(&SearchDomain, Resource, &mut Vec<Outcome>),
) -> Vec<Outcome> {
    each_region(cx, |account, region, out| {
        let Some(domains) = known(
            &region.opensearch_domains,
            out,
            || Resource::aws_account(&account.account_id),
            &format!("the OpenSearch domains of {}", region.name),
        ) else {
            return;
        };
        for domain in domains {
            check(
                domain,
                Resource::new(domain.arn.clone(), "OpenSearch domain"),
                out,
            );
        }
    })
}
