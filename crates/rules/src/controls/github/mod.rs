//! GitHub controls: one module per control, named after its id without
//! `github.`; shared walks in `*_common`.

mod actions_common;
mod changes_common;
mod environments_common;
mod security_common;

pub mod actions_no_pr_approval;
pub mod actions_read_only_token;
pub mod branch_code_owner_review;
pub mod branch_dismiss_stale_reviews;
pub mod branch_last_push_approval;
pub mod branch_no_bypass;
pub mod branch_no_force_push;
pub mod branch_required_approvals;
pub mod branch_required_checks;
pub mod changes_no_rule_bypass;
pub mod changes_two_person_review;
pub mod deployments_reviewed;
pub mod environments_reviewers;
pub mod members_two_factor;
pub mod org_base_permission;
pub mod org_owners;
pub mod org_public_repo_creation;
pub mod org_two_factor;
pub mod outside_collaborators_two_factor;
pub mod repo_alert_deadlines;
pub mod repo_code_scanning;
pub mod repo_dependabot_alerts;
pub mod repo_deploy_keys_read_only;
pub mod repo_outside_collaborator_admin;
pub mod repo_push_protection;
pub mod repo_secret_scanning;
pub mod webhooks_tls;
