//! The one list of controls: metadata files paired with their checks.

use std::{
    any::Any,
    fmt,
    sync::{Arc, OnceLock},
};

use chrono::NaiveDate;
use tenet_inventory::Snapshot;

use crate::{Attestation, ControlMeta, Outcome, Params, controls};

/// What a check sees: the snapshot (already narrowed to the policy's scope),
/// the control's resolved parameters, the evaluation date and the policy's
/// attestations of this control.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The facts.
    pub snapshot: &'a Snapshot,
    /// The control's parameters.
    pub params: &'a Params,
    /// The date the evaluation judges dates against (attestation cadences).
    pub as_of: NaiveDate,
    /// The policy's attestations of this control, in file order.
    pub attestations: &'a [Attestation],
    /// Branch globs whose protection is checked besides each repository's
    /// default branch (`[scope] protected_branches`).
    pub protected_branches: &'a [String],
    /// What the checks of one evaluation share, made once per run.
    pub memo: &'a RunMemo,
}

/// A value the checks of one evaluation share, made by the first check that
/// needs it (the snapshot converted for custom controls, say) and dropped
/// with the evaluation. One slot: its type is the first check's choice.
#[derive(Default)]
pub struct RunMemo(OnceLock<Box<dyn Any + Send + Sync>>);

impl RunMemo {
    /// The memo's value, made by `make` if no check made it yet; `None` if
    /// a check stored a value of another type.
    pub fn get_or_init<T: Any + Send + Sync>(&self, make: impl FnOnce() -> T) -> Option<&T> {
        self.0.get_or_init(|| Box::new(make())).downcast_ref()
    }
}

impl fmt::Debug for RunMemo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RunMemo")
    }
}

/// A built-in control's check: a pure function of the snapshot and
/// parameters that returns one outcome per resource it applies to.
pub type CheckFn = fn(&Context<'_>) -> Vec<Outcome>;

/// A check defined outside the catalog: a company's custom control.
pub trait CustomCheck: Send + Sync + fmt::Debug {
    /// One outcome per resource the control applies to, as a built-in
    /// check gives them; errors (a rule that fails) are `error` outcomes.
    fn check(&self, context: &Context<'_>) -> Vec<Outcome>;

    /// The control's code as its author wrote it (a Rego module): the
    /// policy's digest covers it, so that two runs with different code are
    /// never taken for the same policy.
    fn source(&self) -> &str;
}

/// How a control is checked.
#[derive(Clone, Debug)]
pub enum Check {
    /// A check of the built-in catalog.
    Builtin(CheckFn),
    /// A custom control's check.
    Custom(Arc<dyn CustomCheck>),
}

impl Check {
    /// Runs the check.
    pub fn run(&self, context: &Context<'_>) -> Vec<Outcome> {
        match self {
            Check::Builtin(check) => check(context),
            Check::Custom(check) => check.check(context),
        }
    }
}

/// A control: its metadata and its check.
#[derive(Clone, Debug)]
pub struct Control {
    /// Everything `tenet explain` shows.
    pub meta: ControlMeta,
    /// The check.
    pub check: Check,
}

/// Every control tenet knows, sorted by id.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    controls: Vec<Control>,
}

impl Catalog {
    /// Every control, sorted by id.
    pub fn controls(&self) -> &[Control] {
        &self.controls
    }

    /// The control with this id.
    pub fn get(&self, id: &str) -> Option<&Control> {
        self.controls
            .binary_search_by(|control| control.meta.id.as_str().cmp(id))
            .ok()
            .and_then(|index| self.controls.get(index))
    }

    /// Every control id, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.controls.iter().map(|control| control.meta.id.as_str())
    }

    /// This catalog and `custom` controls, sorted by id. `Err` names an id
    /// of `custom` that is already in the catalog, or given twice.
    pub fn with(&self, custom: Vec<Control>) -> Result<Catalog, String> {
        let mut controls = self.controls.clone();
        for control in custom {
            if self.get(&control.meta.id).is_some()
                || controls.iter().any(|c| c.meta.id == control.meta.id)
            {
                return Err(control.meta.id);
            }
            controls.push(control);
        }
        controls.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
        Ok(Catalog { controls })
    }
}

/// Declares the registry: one line per control, the metadata file's name and
/// the check function.
macro_rules! registry {
    ($($file:literal => $check:path,)*) => {
        /// The embedded metadata file name and check of every control.
        const REGISTRY: &[(&str, &str, CheckFn)] = &[
            $(($file, include_str!(concat!("../controls/", $file)), $check),)*
        ];
    };
}

registry! {
    "aws.apigateway.tls.toml" => controls::aws::apigateway_tls::check,
    "aws.backup.tagged-resources.toml" => controls::aws::backup_tagged_resources::check,
    "aws.cloudfront.tls.toml" => controls::aws::cloudfront_tls::check,
    "aws.cloudtrail.trail.toml" => controls::aws::cloudtrail::check,
    "aws.cloudwatch.security-alarms.toml" => controls::aws::cloudwatch_security_alarms::check,
    "aws.config.recording.toml" => controls::aws::config_recording::check,
    "aws.dynamodb.pitr.toml" => controls::aws::dynamodb_pitr::check,
    "aws.ebs.encryption-by-default.toml" => controls::aws::ebs_encryption_by_default::check,
    "aws.ebs.volumes-encrypted.toml" => controls::aws::ebs_volumes_encrypted::check,
    "aws.ec2.default-sg-closed.toml" => controls::aws::ec2_default_sg_closed::check,
    "aws.ec2.no-open-admin-ports.toml" => controls::aws::ec2_no_open_admin_ports::check,
    "aws.elb.access-logs.toml" => controls::aws::elb_access_logs::check,
    "aws.elb.tls.toml" => controls::aws::elb_tls::check,
    "aws.guardduty.enabled.toml" => controls::aws::guardduty_enabled::check,
    "aws.iam.access-key-rotation.toml" => controls::aws::iam_access_key_rotation::check,
    "aws.iam.admin-mfa.toml" => controls::aws::iam_admin_mfa::check,
    "aws.iam.console-mfa.toml" => controls::aws::console_mfa::check,
    "aws.iam.github-deploy-review.toml" => controls::aws::iam_github_deploy_review::check,
    "aws.iam.max-admins.toml" => controls::aws::iam_max_admins::check,
    "aws.iam.no-full-admin.toml" => controls::aws::iam_no_full_admin::check,
    "aws.iam.no-privilege-escalation.toml" => controls::aws::iam_no_privilege_escalation::check,
    "aws.iam.no-user-policies.toml" => controls::aws::iam_no_user_policies::check,
    "aws.iam.password-policy.toml" => controls::aws::iam_password_policy::check,
    "aws.iam.root-access-keys.toml" => controls::aws::root_access_keys::check,
    "aws.iam.root-hardware-mfa.toml" => controls::aws::root_hardware_mfa::check,
    "aws.iam.root-mfa.toml" => controls::aws::root_mfa::check,
    "aws.iam.role-trust-anyone.toml" => controls::aws::iam_role_trust_anyone::check,
    "aws.iam.role-trust-oidc.toml" => controls::aws::iam_role_trust_oidc::check,
    "aws.iam.unused-credentials.toml" => controls::aws::iam_unused_credentials::check,
    "aws.kms.key-rotation.toml" => controls::aws::kms_key_rotation::check,
    "aws.logs.retention.toml" => controls::aws::logs_retention::check,
    "aws.opensearch.encrypted.toml" => controls::aws::opensearch_encrypted::check,
    "aws.opensearch.tls.toml" => controls::aws::opensearch_tls::check,
    "aws.rds.backups.toml" => controls::aws::rds_backups::check,
    "aws.rds.encrypted.toml" => controls::aws::rds_encrypted::check,
    "aws.rds.not-public.toml" => controls::aws::rds_not_public::check,
    "aws.rds.tls.toml" => controls::aws::rds_tls::check,
    "aws.s3.access-logging.toml" => controls::aws::s3_access_logging::check,
    "aws.s3.no-public-policy.toml" => controls::aws::s3_no_public_policy::check,
    "aws.s3.public-access-block.toml" => controls::aws::s3_public_access_block::check,
    "aws.s3.sse-kms.toml" => controls::aws::s3_sse_kms::check,
    "aws.s3.tls-only.toml" => controls::aws::s3_tls_only::check,
    "aws.s3.versioning.toml" => controls::aws::s3_versioning::check,
    "aws.securityhub.enabled.toml" => controls::aws::securityhub_enabled::check,
    "aws.vpc.flow-logs.toml" => controls::aws::vpc_flow_logs::check,
    "github.actions.no-pr-approval.toml" => controls::github::actions_no_pr_approval::check,
    "github.actions.read-only-token.toml" => controls::github::actions_read_only_token::check,
    "github.branch.code-owner-review.toml" => controls::github::branch_code_owner_review::check,
    "github.branch.dismiss-stale-reviews.toml" => controls::github::branch_dismiss_stale_reviews::check,
    "github.branch.last-push-approval.toml" => controls::github::branch_last_push_approval::check,
    "github.branch.no-bypass.toml" => controls::github::branch_no_bypass::check,
    "github.branch.no-force-push.toml" => controls::github::branch_no_force_push::check,
    "github.branch.required-approvals.toml" => controls::github::branch_required_approvals::check,
    "github.branch.required-checks.toml" => controls::github::branch_required_checks::check,
    "github.changes.no-rule-bypass.toml" => controls::github::changes_no_rule_bypass::check,
    "github.changes.two-person-review.toml" => controls::github::changes_two_person_review::check,
    "github.deployments.reviewed.toml" => controls::github::deployments_reviewed::check,
    "github.environments.reviewers.toml" => controls::github::environments_reviewers::check,
    "github.members.two-factor.toml" => controls::github::members_two_factor::check,
    "github.org.base-permission.toml" => controls::github::org_base_permission::check,
    "github.org.owners.toml" => controls::github::org_owners::check,
    "github.org.public-repo-creation.toml" => controls::github::org_public_repo_creation::check,
    "github.org.two-factor-required.toml" => controls::github::org_two_factor::check,
    "github.outside-collaborators.two-factor.toml" => controls::github::outside_collaborators_two_factor::check,
    "github.repo.alert-deadlines.toml" => controls::github::repo_alert_deadlines::check,
    "github.repo.code-scanning.toml" => controls::github::repo_code_scanning::check,
    "github.repo.dependabot-alerts.toml" => controls::github::repo_dependabot_alerts::check,
    "github.repo.deploy-keys-read-only.toml" => controls::github::repo_deploy_keys_read_only::check,
    "github.repo.outside-collaborator-admin.toml" => controls::github::repo_outside_collaborator_admin::check,
    "github.repo.push-protection.toml" => controls::github::repo_push_protection::check,
    "github.repo.secret-scanning.toml" => controls::github::repo_secret_scanning::check,
    "github.webhooks.tls.toml" => controls::github::webhooks_tls::check,
    "manual.access-review.toml" => controls::manual::access_review,
    "manual.backup-restore-test.toml" => controls::manual::backup_restore_test,
    "manual.incident-response-plan.toml" => controls::manual::incident_response_plan,
    "manual.policy-review.toml" => controls::manual::policy_review,
    "manual.security-training.toml" => controls::manual::security_training,
}

/// Parses the embedded registry. An error names the metadata file.
fn load() -> Result<Catalog, String> {
    let mut controls = REGISTRY
        .iter()
        .map(|(file, text, check)| {
            let meta: ControlMeta = toml::from_str(text)
                .map_err(|err| format!("crates/rules/controls/{file}: {err}"))?;
            if format!("{}.toml", meta.id) != *file {
                return Err(format!(
                    "crates/rules/controls/{file}: id `{}` does not match the file name",
                    meta.id
                ));
            }
            Ok(Control {
                meta,
                check: Check::Builtin(*check),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    controls.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    Ok(Catalog { controls })
}

/// The catalog, parsed once from the metadata embedded in the binary.
///
/// # Panics
///
/// If an embedded metadata file is invalid. The files are part of the source
/// tree and the test suite parses every one of them, so a release cannot
/// carry a broken file.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| match load() {
        Ok(catalog) => catalog,
        Err(message) => panic!("embedded control catalog is invalid: {message}"),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::ParamValue;

    #[test]
    fn every_metadata_file_parses() {
        if let Err(message) = load() {
            panic!("{message}");
        }
    }

    #[test]
    fn metadata_files_and_registry_match() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/controls");
        let files: BTreeSet<String> = std::fs::read_dir(dir)
            .expect("crates/rules/controls exists")
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".toml"))
            .collect();
        let registered: BTreeSet<String> = REGISTRY
            .iter()
            .map(|(file, _, _)| (*file).to_owned())
            .collect();
        assert_eq!(
            files, registered,
            "every crates/rules/controls/*.toml needs a check in registry.rs, and every check a file"
        );
        assert_eq!(
            registered.len(),
            REGISTRY.len(),
            "a control is registered twice"
        );
    }

    #[test]
    fn parameter_defaults_have_their_declared_type() {
        for control in catalog().controls() {
            for (name, spec) in &control.meta.parameters {
                let ok = matches!(
                    (spec.kind, &spec.default),
                    (crate::ParamKind::Integer, ParamValue::Integer(_))
                        | (crate::ParamKind::Boolean, ParamValue::Boolean(_))
                        | (crate::ParamKind::String, ParamValue::String(_))
                        | (crate::ParamKind::StringList, ParamValue::StringList(_))
                        | (crate::ParamKind::Allowlist, ParamValue::StringList(_))
                );
                assert!(
                    ok,
                    "{}: default of `{name}` is not {:?}",
                    control.meta.id, spec.kind
                );
            }
        }
    }

    #[test]
    fn catalog_ids() {
        insta::assert_snapshot!(catalog().ids().collect::<Vec<_>>().join("\n"));
    }
}
