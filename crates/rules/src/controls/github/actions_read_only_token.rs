//! `github.actions.read-only-token`: the default `GITHUB_TOKEN` of workflows
//! is read-only.

use tenet_inventory::github::WorkflowPermissions;

use super::actions_common::each_actions_settings;
use crate::{Context, Outcome};

/// One outcome for the organization and one per repository.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_actions_settings(cx, |resource, settings| {
        match settings.default_workflow_permissions {
            WorkflowPermissions::Read => {
                Outcome::pass(resource, "the default GITHUB_TOKEN is read-only")
            }
            WorkflowPermissions::Write => Outcome::fail(
                resource,
                "the default GITHUB_TOKEN can write: any workflow step can push code",
            ),
        }
        .with(
            "default_workflow_permissions",
            serde_json::to_value(settings.default_workflow_permissions).unwrap_or_default(),
        )
    })
}
