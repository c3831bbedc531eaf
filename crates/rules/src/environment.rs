//! Whether a deployment environment's required reviewers make another
//! person approve every deployment: one reading for
//! `github.environments.reviewers` and for the deploy paths of
//! `aws.iam.github-deploy-review`.

use tenet_inventory::{Observed, github::Environment};

/// How an environment's required reviewers stand, the first shortfall
/// first.
pub(crate) enum Reviewers<'e> {
    /// None are required.
    None,
    /// The person deploying may approve their own deployment ("Prevent
    /// self-review" is off).
    SelfReview,
    /// Administrators may bypass them.
    AdminBypass,
    /// Whether administrators may bypass them is unknown, for this reason.
    BypassUnknown(&'e str),
    /// Another person approves every deployment.
    Another,
}

/// How `env`'s required reviewers stand.
pub(crate) fn reviewers(env: &Environment) -> Reviewers<'_> {
    if env.required_reviewers.is_empty() {
        Reviewers::None
    } else if !env.prevent_self_review {
        Reviewers::SelfReview
    } else {
        match &env.admins_can_bypass {
            Observed::Known(false) => Reviewers::Another,
            Observed::Known(true) => Reviewers::AdminBypass,
            Observed::Unavailable { reason } => Reviewers::BypassUnknown(reason),
        }
    }
}
