//! Facts about GitHub organizations.
//!
//! Field names follow GitHub's REST API where one exists, so that a reader of
//! a snapshot can look a fact up in GitHub's documentation.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Observed, collector::GithubReader};

mod changes;
mod deployments;

pub use changes::{
    Account, BranchChanges, Change, PullRequest, RULE_INSIGHT_DAYS, Review, ReviewState,
    RuleBypasses, RuleSuite,
};
pub use deployments::{
    Deployment, DeploymentReview, DeploymentReviewState, DeploymentRun, EnvironmentDeployments,
};

/// One GitHub organization and everything collected about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GithubOrg {
    /// The organization's login, e.g. `acme`.
    pub login: String,
    /// GitHub's id of the organization (`GET /orgs/{org}`), which
    /// immutable OIDC subjects name (`repo:acme@1234/…`).
    #[serde(default)]
    pub id: Observed<u64>,
    /// The GitHub server it is on, as its Actions OIDC tokens' issuer
    /// names it: `github.com`, or a GitHub Enterprise Server's host (the
    /// `HOST` of `https://HOST/_services/token`).
    #[serde(default)]
    pub server: Observed<String>,
    /// Who read the organization; `None` in snapshots that did not record
    /// it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_by: Option<GithubReader>,
    /// Organization-wide settings.
    #[serde(default)]
    pub settings: OrgSettings,
    /// Members with their role and 2FA status, sorted by login.
    #[serde(default)]
    pub members: Observed<Vec<OrgMember>>,
    /// Outside collaborators of any repository, sorted by login.
    #[serde(default)]
    pub outside_collaborators: Observed<Vec<OutsideCollaborator>>,
    /// Organization webhooks.
    #[serde(default)]
    pub webhooks: Observed<Vec<Webhook>>,
    /// Organization-level rulesets.
    #[serde(default)]
    pub rulesets: Observed<Vec<Ruleset>>,
    /// Organization-wide GitHub Actions workflow settings.
    #[serde(default)]
    pub actions: Observed<ActionsSettings>,
    /// Repositories in scope, sorted by name.
    #[serde(default)]
    pub repositories: Observed<Vec<Repository>>,
}

/// Organization settings from `GET /orgs/{org}`. GitHub shows most of them
/// only to owners, so each one is observed on its own.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OrgSettings {
    /// Members must enable two-factor authentication.
    #[serde(default)]
    pub two_factor_requirement_enabled: Observed<bool>,
    /// The base permission every member has on every repository.
    #[serde(default)]
    pub default_repository_permission: Observed<BasePermission>,
    /// Members may create public repositories.
    #[serde(default)]
    pub members_can_create_public_repositories: Observed<bool>,
}

/// An organization's base repository permission.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BasePermission {
    /// No access beyond what teams and collaborators grant.
    None,
    /// Read every repository.
    Read,
    /// Push to every repository.
    Write,
    /// Administer every repository.
    Admin,
}

/// A member's role in the organization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    /// An organization owner.
    Admin,
    /// A plain member.
    Member,
}

/// One organization member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OrgMember {
    /// The member's login.
    pub login: String,
    /// Owner or member.
    pub role: MemberRole,
    /// Whether the member has 2FA enabled (from `filter=2fa_disabled`, which
    /// only owners may read).
    #[serde(default)]
    pub two_factor_enabled: Observed<bool>,
}

/// One outside collaborator of the organization's repositories.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OutsideCollaborator {
    /// The collaborator's login.
    pub login: String,
    /// Whether the collaborator has 2FA enabled.
    #[serde(default)]
    pub two_factor_enabled: Observed<bool>,
}

/// A webhook of an organization or a repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Webhook {
    /// GitHub's id of the hook.
    pub id: u64,
    /// The payload URL; credentials in it are removed by the connector.
    pub url: String,
    /// TLS certificate verification is off (`insecure_ssl = "1"`).
    pub insecure_ssl: bool,
    /// The hook is active.
    pub active: bool,
}

/// GitHub Actions workflow settings of an organization or repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ActionsSettings {
    /// The default permissions of the `GITHUB_TOKEN`.
    pub default_workflow_permissions: WorkflowPermissions,
    /// Workflows may approve pull requests.
    pub can_approve_pull_request_reviews: bool,
}

/// The default `GITHUB_TOKEN` permission set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum WorkflowPermissions {
    /// Read-only contents and metadata.
    Read,
    /// Read and write on every scope.
    Write,
}

/// Repository visibility.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Anyone can see it.
    Public,
    /// Members of the enterprise can see it.
    Internal,
    /// Only people with access can see it.
    Private,
}

/// One repository and what was collected about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Repository {
    /// Name without the owner, e.g. `api`.
    pub name: String,
    /// GitHub's ids of the repository: its node id and its database id, the
    /// two forms a `repository_id` condition may name it by.
    #[serde(default)]
    pub ids: Observed<RepositoryIds>,
    /// Values of the organization's custom properties for this repository,
    /// sorted by property name (`GET /orgs/{org}/properties/values`). A
    /// property without a value is listed with `null`.
    #[serde(default)]
    pub custom_properties: Observed<Vec<CustomPropertyValue>>,
    /// Who can see it.
    pub visibility: Visibility,
    /// Archived repositories are read-only.
    pub archived: bool,
    /// The default branch; `None` for an empty repository.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub default_branch: Option<String>,
    /// Protection of the default branch and of the policy's protected
    /// branches, one entry per branch.
    #[serde(default)]
    pub branches: Observed<Vec<BranchRules>>,
    /// Every classic branch protection rule with its branch name pattern,
    /// sorted by pattern: what protects a branch not in `branches`.
    #[serde(default)]
    pub protection_rules: Observed<Vec<ProtectionRule>>,
    /// Repository-level rulesets.
    #[serde(default)]
    pub rulesets: Observed<Vec<Ruleset>>,
    /// Deployment environments.
    #[serde(default)]
    pub environments: Observed<Vec<Environment>>,
    /// Repository webhooks.
    #[serde(default)]
    pub webhooks: Observed<Vec<Webhook>>,
    /// Deploy keys.
    #[serde(default)]
    pub deploy_keys: Observed<Vec<DeployKey>>,
    /// Outside collaborators with their permission on this repository.
    #[serde(default)]
    pub outside_collaborators: Observed<Vec<Collaborator>>,
    /// Security features.
    #[serde(default)]
    pub security: SecurityFeatures,
    /// Open security alerts, each kind read on its own.
    #[serde(default)]
    pub open_alerts: OpenAlerts,
    /// Repository-level GitHub Actions workflow settings.
    #[serde(default)]
    pub actions: Observed<ActionsSettings>,
    /// How the subject (`sub`) of its Actions OIDC tokens is made
    /// (`GET /repos/{owner}/{repo}/actions/oidc/customization/sub`).
    #[serde(default)]
    pub oidc_subject: Observed<OidcSubject>,
    /// The changes that reached the default branch and the policy's
    /// protected branches over the snapshot's period, one entry per branch.
    /// Unavailable when they were not collected.
    #[serde(default)]
    pub changes: Observed<Vec<BranchChanges>>,
    /// The pushes GitHub's rule insights recorded as bypassing a ruleset or
    /// branch rule, for as far back as GitHub answers. Unavailable when
    /// they were not collected or could not be read.
    #[serde(default)]
    pub rule_bypasses: Observed<RuleBypasses>,
    /// The deployments to each of its production environments (the
    /// policy's `production_environments` when collected) over the
    /// snapshot's period, one entry per environment, sorted by name.
    /// Unavailable when they were not collected.
    #[serde(default)]
    pub deployments: Observed<Vec<EnvironmentDeployments>>,
}

/// How GitHub makes the subject of a repository's Actions OIDC tokens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OidcSubject {
    /// The default template (`repo:…:<context>`); otherwise
    /// `include_claim_keys` makes it.
    pub use_default: bool,
    /// The owner and the repository are named with their ids as well
    /// (`repo:acme@1234/app@5678:…`); `null` when GitHub did not say.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub use_immutable_subject: Option<bool>,
    /// The claims a customized subject is made of, in order; empty for the
    /// default template.
    pub include_claim_keys: Vec<String>,
}

/// GitHub's two ids of a repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RepositoryIds {
    /// The GraphQL node id, e.g. `R_kgDOABCDEF`.
    pub node_id: String,
    /// The REST (database) id.
    pub database_id: u64,
}

/// One custom property's value for a repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CustomPropertyValue {
    /// The property's name.
    pub property_name: String,
    /// Its value: text, several texts (multi-select), or none.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub value: Option<PropertyValue>,
}

/// The value of a custom property.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum PropertyValue {
    /// A string, single-select, true/false or URL property.
    Single(String),
    /// A multi-select property.
    Multiple(Vec<String>),
}

/// Classic branch protection of one branch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BranchRules {
    /// The branch name.
    pub branch: String,
    /// Classic branch protection; `None` when the branch is unprotected.
    #[serde(default)]
    pub protection: Observed<Option<BranchProtection>>,
}

/// A classic branch protection rule and the branches it names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProtectionRule {
    /// The branch name pattern (`main`, `release/*`), matched as GitHub
    /// does: `File.fnmatch` with `FNM_PATHNAME`.
    pub pattern: String,
    /// What it requires.
    pub protection: Observed<BranchProtection>,
}

/// The settings of a classic branch protection rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BranchProtection {
    /// Changes must go through a pull request.
    pub require_pull_request: bool,
    /// Approving reviews required (0 when reviews are not required).
    pub required_approving_review_count: u32,
    /// New commits dismiss earlier approvals.
    pub dismiss_stale_reviews: bool,
    /// The most recent push must be approved by someone other than its author.
    pub require_last_push_approval: bool,
    /// A code owner must approve.
    pub require_code_owner_reviews: bool,
    /// The rules apply to administrators too.
    pub enforce_admins: bool,
    /// Force pushes are allowed.
    pub allow_force_pushes: bool,
    /// The branch may be deleted.
    pub allow_deletions: bool,
    /// Actors allowed to bypass the pull-request requirement.
    pub bypass_actors: Vec<Actor>,
    /// Status checks that must pass before merging; empty when the rule
    /// does not require status checks.
    #[serde(default)]
    pub required_status_checks: Observed<Vec<RequiredCheck>>,
}

/// A status check a rule requires before merging.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RequiredCheck {
    /// The check's name (its context), e.g. `CodeQL` or `ci/build`.
    pub context: String,
    /// GitHub's id of the app that must report it; `null` when any source
    /// may.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub app_id: Option<u64>,
}

/// A user, team or app named in a rule.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// `user`, `team`, `app`, `organization_admin`, `enterprise_owner`,
    /// `repository_role` or `deploy_key`.
    pub kind: String,
    /// Login, team slug, app slug or role name, as GitHub reports it.
    pub name: String,
}

/// Where a ruleset is defined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RulesetSource {
    /// On the repository.
    Repository,
    /// On the organization, applied to matching repositories.
    Organization,
}

/// Whether a ruleset is enforced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Enforcement {
    /// Enforced.
    Active,
    /// Evaluate mode: reported, not enforced.
    Evaluate,
    /// Off.
    Disabled,
}

/// A repository or organization ruleset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Ruleset {
    /// GitHub's id of the ruleset.
    pub id: u64,
    /// The ruleset's name.
    pub name: String,
    /// Where it is defined.
    pub source: RulesetSource,
    /// Whether it is enforced.
    pub enforcement: Enforcement,
    /// `branch`, `tag` or `push`.
    pub target: String,
    /// The conditions that select the refs and repositories it applies to.
    #[serde(default)]
    pub conditions: Observed<RulesetConditions>,
    /// Who may bypass it, and when. GitHub shows bypass actors only to
    /// credentials with write access to the ruleset; hidden ones are
    /// unavailable, never an empty list.
    #[serde(default)]
    pub bypass_actors: Observed<Vec<BypassActor>>,
    /// The rules.
    pub rules: Vec<RulesetRule>,
}

/// A ruleset's conditions, as GitHub's REST API names them. A condition that
/// is `null` is absent from the ruleset; every key must be present in a
/// snapshot, so a lost key is an invalid file rather than a missing condition.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RulesetConditions {
    /// `ref_name`: the branches or tags it applies to.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub ref_name: Option<RefNameCondition>,
    /// `repository_name`: repositories by name (organization rulesets).
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub repository_name: Option<RepositoryNameCondition>,
    /// `repository_id`: repositories by id (organization rulesets).
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub repository_id: Option<RepositoryIdCondition>,
    /// `repository_property`: repositories by property (organization
    /// rulesets).
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub repository_property: Option<RepositoryPropertyCondition>,
    /// Conditions of kinds tenet does not read, by GitHub's name. A ruleset
    /// with any is never judged to apply, or not to apply.
    pub other: Vec<String>,
}

/// The `ref_name` condition.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RefNameCondition {
    /// Ref patterns it applies to (`~DEFAULT_BRANCH`, `~ALL`, `refs/heads/…`,
    /// in GitHub's `fnmatch` syntax).
    pub include: Vec<String>,
    /// Ref patterns it excludes.
    pub exclude: Vec<String>,
}

/// The `repository_name` condition.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RepositoryNameCondition {
    /// Repository name patterns it applies to (`~ALL`, or `fnmatch` syntax).
    pub include: Vec<String>,
    /// Repository name patterns it excludes.
    pub exclude: Vec<String>,
    /// Renaming the targeted repositories is prevented.
    pub protected: bool,
}

/// The `repository_id` condition.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RepositoryIdCondition {
    /// Ids of the repositories it applies to, as GitHub's API gave them.
    pub repository_ids: Vec<String>,
}

/// The `repository_property` condition.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RepositoryPropertyCondition {
    /// Properties that must all match.
    pub include: Vec<PropertyTarget>,
    /// Properties of which none may match.
    pub exclude: Vec<PropertyTarget>,
}

/// One property of a `repository_property` condition.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PropertyTarget {
    /// The property's name.
    pub name: String,
    /// The values that match.
    pub property_values: Vec<String>,
    /// `custom` (an organization's custom property) or `system`.
    pub source: String,
}

/// An actor allowed to bypass a ruleset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BypassActor {
    /// Who.
    pub actor: Actor,
    /// GitHub's id of the app, team or repository role, where GitHub gave
    /// one (REST names bypass actors by it alone); `null` otherwise.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub actor_id: Option<u64>,
    /// `always`, `pull_request`, `exempt`, or `unknown` when GitHub gave no
    /// mode tenet knows; every mode bypasses.
    pub bypass_mode: String,
}

/// One rule of a ruleset. Rule types tenet does not evaluate are kept by
/// name only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RulesetRule {
    /// Changes must go through a pull request.
    PullRequest {
        /// Approving reviews required.
        required_approving_review_count: u32,
        /// New commits dismiss earlier approvals.
        dismiss_stale_reviews_on_push: bool,
        /// A code owner must approve.
        require_code_owner_review: bool,
        /// The most recent push must be approved by someone else.
        require_last_push_approval: bool,
    },
    /// Force pushes are blocked.
    NonFastForward,
    /// Deletion is blocked.
    Deletion,
    /// Status checks must pass before a change is merged.
    RequiredStatusChecks {
        /// The checks.
        required_status_checks: Vec<RequiredCheck>,
    },
    /// Code scanning tools must have analysed a change, and its alerts
    /// stay under the thresholds, before it is merged.
    CodeScanning {
        /// The tools and their thresholds.
        code_scanning_tools: Vec<CodeScanningTool>,
    },
    /// Workflows must pass before a change is merged.
    Workflows {
        /// The workflow files.
        workflows: Vec<WorkflowFile>,
    },
    /// A rule type tenet does not evaluate.
    Other {
        /// GitHub's name of the rule type.
        name: String,
    },
}

/// A tool of a `code_scanning` rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CodeScanningTool {
    /// The tool's name, e.g. `CodeQL`.
    pub tool: String,
    /// Alert severities that block a merge: `none`, `errors`,
    /// `errors_and_warnings` or `all`.
    pub alerts_threshold: String,
    /// Security alert severities that block a merge: `none`, `critical`,
    /// `high_or_higher`, `medium_or_higher` or `all`.
    pub security_alerts_threshold: String,
}

/// A workflow file of a `workflows` rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WorkflowFile {
    /// The file's path, e.g. `.github/workflows/codeql.yml`.
    pub path: String,
    /// GitHub's id of the repository that holds it.
    pub repository_id: u64,
    /// The ref it is read from; `null` for the default branch.
    #[serde(rename = "ref", deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub git_ref: Option<String>,
}

/// A deployment environment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// The environment's name, e.g. `production`.
    pub name: String,
    /// Reviewers who must approve a deployment.
    pub required_reviewers: Vec<Actor>,
    /// The person who triggered a deployment may not approve it.
    pub prevent_self_review: bool,
    /// Repository administrators may bypass its protection rules and force
    /// a waiting deployment through ("Allow administrators to bypass
    /// configured protection rules", REST's `can_admins_bypass`; GraphQL
    /// does not give it).
    #[serde(default)]
    pub admins_can_bypass: Observed<bool>,
    /// Which branches and tags may deploy to it.
    #[serde(default)]
    pub deployment_branches: Observed<DeploymentBranches>,
}

/// Which refs may deploy to an environment (its deployment branch policy).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeploymentBranches {
    /// Every branch and tag ("No restriction").
    Any,
    /// Branches with branch protection rules, or every branch when the
    /// repository has none ("Protected branches only").
    Protected,
    /// Branches and tags matching these name patterns ("Selected branches
    /// and tags"), sorted.
    Selected(Vec<DeploymentRef>),
}

/// One name pattern of an environment's "Selected branches and tags".
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DeploymentRef {
    /// Whether it names branches or tags.
    pub kind: RefKind,
    /// The pattern (Ruby's `File.fnmatch`), e.g. `release/*`.
    pub pattern: String,
}

/// A kind of git ref.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefKind {
    /// A branch (`refs/heads/…`).
    Branch,
    /// A tag (`refs/tags/…`).
    Tag,
}

/// A deploy key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DeployKey {
    /// GitHub's node id of the key (`DK_…`), as its GraphQL API gives it.
    pub id: String,
    /// The key's title.
    pub title: String,
    /// The key cannot push.
    pub read_only: bool,
}

/// A repository permission level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RepoPermission {
    /// Read.
    Read,
    /// Triage.
    Triage,
    /// Write.
    Write,
    /// Maintain.
    Maintain,
    /// Admin.
    Admin,
}

/// An outside collaborator's access to one repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Collaborator {
    /// The collaborator's login.
    pub login: String,
    /// Their permission on the repository.
    pub permission: RepoPermission,
}

/// A repository's security features.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SecurityFeatures {
    /// Secret scanning is on.
    #[serde(default)]
    pub secret_scanning: Observed<bool>,
    /// Secret scanning push protection is on.
    #[serde(default)]
    pub secret_scanning_push_protection: Observed<bool>,
    /// Dependabot alerts are on.
    #[serde(default)]
    pub dependabot_alerts: Observed<bool>,
    /// Whether code scanning analyses the repository, and how tenet knows.
    #[serde(default)]
    pub code_scanning: Observed<CodeScanning>,
}

/// How code scanning is set up on a repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "setup", rename_all = "snake_case", deny_unknown_fields)]
pub enum CodeScanning {
    /// A code security configuration with code scanning default setup on is
    /// attached to the repository.
    Configuration {
        /// GitHub's id of the configuration.
        id: u64,
        /// Its name.
        name: String,
    },
    /// Analyses are uploaded (by default setup on the repository or by a
    /// workflow); the latest one.
    Analyses {
        /// The tool of the latest analysis, e.g. `CodeQL`.
        tool: String,
        /// When it was uploaded.
        created_at: DateTime<Utc>,
    },
    /// Neither: no attached configuration turns it on and GitHub has no
    /// analysis of the repository.
    Off {
        /// What GitHub answered, e.g. `no analysis found`.
        detail: String,
    },
}

/// A repository's open security alerts, by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OpenAlerts {
    /// Open Dependabot alerts.
    #[serde(default)]
    pub dependabot: Observed<Vec<Alert>>,
    /// Open code scanning alerts.
    #[serde(default)]
    pub code_scanning: Observed<Vec<Alert>>,
    /// Open secret scanning alerts.
    #[serde(default)]
    pub secret_scanning: Observed<Vec<Alert>>,
}

/// One open security alert.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Alert {
    /// The alert's number in its repository.
    pub number: u64,
    /// Its severity; `null` for secret scanning alerts, which have none.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub severity: Option<AlertSeverity>,
    /// When GitHub raised it.
    pub created_at: DateTime<Utc>,
    /// What it is about: the advisory and package, the rule, or the secret
    /// type.
    pub title: String,
    /// The alert's page on GitHub.
    pub url: String,
}

/// The severity of a Dependabot or code scanning alert. A code scanning
/// alert without a security severity is ranked by its rule's level:
/// `error` as high, `warning` as medium, `note` and `none` as low.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AlertSeverity {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}
