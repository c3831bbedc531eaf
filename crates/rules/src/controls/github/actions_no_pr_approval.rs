//! `github.actions.no-pr-approval`: workflows cannot approve pull requests,
//! so a workflow cannot be the second reviewer.

use super::actions_common::each_actions_settings;
use crate::{Context, Outcome};

/// One outcome for the organization and one per repository.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_actions_settings(cx, |resource, settings| {
        if settings.can_approve_pull_request_reviews {
            Outcome::fail(
                resource,
                "workflows can approve pull requests: a workflow can be the second reviewer",
            )
        } else {
            Outcome::pass(resource, "workflows cannot approve pull requests")
        }
        .with(
            "can_approve_pull_request_reviews",
            settings.can_approve_pull_request_reviews,
        )
    })
}
