//! Shared check of a repository security feature.

use tenet_inventory::{Observed, github::SecurityFeatures};

use crate::{Context, Outcome, Resource, support::each_repo};

/// One outcome per repository for the feature `pick` selects; `is` is the
/// feature's verb ("is" or "are").
pub(crate) fn check_feature(
    cx: &Context<'_>,
    feature: &str,
    is: &str,
    (key, pick): (&str, fn(&SecurityFeatures) -> &Observed<bool>),
) -> Vec<Outcome> {
    each_repo(cx, |org, repo, out| {
        let resource = Resource::github_repo(&org.login, &repo.name);
        out.push(match pick(&repo.security) {
            Observed::Known(true) => {
                Outcome::pass(resource, format!("{feature} {is} on")).with(key, true)
            }
            Observed::Known(false) => {
                Outcome::fail(resource, format!("{feature} {is} off")).with(key, false)
            }
            Observed::Unavailable { reason } => {
                Outcome::unavailable(resource, &format!("whether {feature} {is} on"), reason)
            }
        });
    })
}
