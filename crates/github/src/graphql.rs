//! The GraphQL operations tenet sends, and the shapes of their answers.
//!
//! Every operation is validated against GitHub's public schema, and its
//! rate-limit score computed with GitHub's formula, in a test. Nested
//! connections are read with fixed page sizes; each asks for `pageInfo` so
//! that a connection with more items than fit is read on with a follow-up
//! query or reported, never silently cut.

use serde::Deserialize;

/// Repositories per discovery page.
pub(crate) const DISCOVERY_PAGE: usize = 100;
/// Repositories per details request: 100 keeps a 2,000-repository
/// organization within 1.05 requests per repository with every control on,
/// scores the same points per repository as smaller batches, and stays far
/// below GitHub's limit of 500,000 nodes per call (see the tests).
pub(crate) const DETAILS_BATCH: usize = 100;
/// Branches read in the details batch when `protected_branches` names
/// patterns (more are read with follow-up requests).
pub(crate) const BRANCHES_FIRST: usize = 100;
/// Rulesets read per request, for a repository or an organization (more
/// are read with follow-up requests).
pub(crate) const RULESETS_FIRST: usize = 10;
/// Classic branch protection rules read per request (more are read with
/// follow-up requests).
pub(crate) const PROTECTION_RULES_FIRST: usize = 10;
/// Environments read per repository (more fall back to REST).
pub(crate) const ENVIRONMENTS_FIRST: usize = 10;
/// Outside collaborators read per repository (more fall back to REST).
pub(crate) const COLLABORATORS_FIRST: usize = 50;
/// Bypass actors and allowances read per ruleset or protection rule.
pub(crate) const BYPASS_FIRST: usize = 20;
/// Rules read per ruleset.
pub(crate) const RULES_FIRST: usize = 30;
/// Deploy keys read per repository in a details batch (more are read with
/// follow-up requests).
pub(crate) const DEPLOY_KEYS_FIRST: usize = 20;
/// Items per follow-up page of branches and deploy keys; rulesets and
/// protection rules keep their own sizes, whose nested lists weigh more.
pub(crate) const FOLLOW_UP_FIRST: usize = 100;

/// Repository discovery: names and the facts needed to apply the scope.
pub(crate) fn repositories() -> String {
    format!(
        r#"query Repositories($org: String!, $after: String, $isArchived: Boolean) {{
  rateLimit {{ cost remaining resetAt }}
  organization(login: $org) {{
    repositories(first: {DISCOVERY_PAGE}, after: $after, isArchived: $isArchived, orderBy: {{field: NAME, direction: ASC}}) {{
      totalCount
      pageInfo {{ hasNextPage endCursor }}
      nodes {{ id databaseId name visibility isArchived defaultBranchRef {{ name }} }}
    }}
  }}
}}
"#
    )
}

/// Details of `count` repositories, one alias each (`r0`, `r1`, …) so that
/// an error on one repository nulls only its alias.
pub(crate) fn repository_details(count: usize) -> String {
    let variables: String = (0..count).map(|i| format!(", $r{i}: String!")).collect();
    let aliases: String = (0..count)
        .map(|i| {
            format!("  r{i}: repository(owner: $owner, name: $r{i}) {{ ...RepositoryDetails }}\n")
        })
        .collect();
    format!(
        r#"query RepositoryDetails($owner: String!, $withBranches: Boolean!, $withHistory: Boolean!, $since: GitTimestamp!{variables}) {{
  rateLimit {{ cost remaining resetAt }}
{aliases}}}

fragment RepositoryDetails on Repository {{
  name
  viewerCanAdminister
  hasVulnerabilityAlertsEnabled
  defaultBranchRef {{
    name
    branchProtectionRule {{ id }}
    target @include(if: $withHistory) {{ ... on Commit {{ history(first: 1, since: $since) {{ totalCount }} }} }}
  }}
  refs(refPrefix: "refs/heads/", first: {BRANCHES_FIRST}) @include(if: $withBranches) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ name branchProtectionRule {{ id }} }}
  }}
  branchProtectionRules(first: {PROTECTION_RULES_FIRST}) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ ...ProtectionRule }}
  }}
  rulesets(first: {RULESETS_FIRST}, includeParents: false) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ ...Ruleset }}
  }}
  environments(first: {ENVIRONMENTS_FIRST}) {{
    pageInfo {{ hasNextPage }}
    nodes {{
      name
      protectionRules(first: 5) {{
        pageInfo {{ hasNextPage }}
        nodes {{
          type
          preventSelfReview
          reviewers(first: 6) {{
            pageInfo {{ hasNextPage }}
            nodes {{ __typename ... on User {{ login }} ... on Team {{ slug }} }}
          }}
        }}
      }}
    }}
  }}
  deployKeys(first: {DEPLOY_KEYS_FIRST}) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ id title readOnly }}
  }}
  collaborators(affiliation: OUTSIDE, first: {COLLABORATORS_FIRST}) {{
    pageInfo {{ hasNextPage }}
    edges {{ permission node {{ login }} }}
  }}
}}
{}{}"#,
        protection_rule_fragment(),
        ruleset_fragment()
    )
}

/// A follow-up query named `operation`: one page, after `$after`, of one
/// repository's `connection` (a field with its arguments), each node read
/// with `nodes`.
fn repository_page(operation: &str, connection: &str, nodes: &str, fragments: &str) -> String {
    format!(
        r#"query {operation}($owner: String!, $name: String!, $after: String) {{
  rateLimit {{ cost remaining resetAt }}
  repository(owner: $owner, name: $name) {{
    {connection} {{
      pageInfo {{ hasNextPage endCursor }}
      nodes {{ {nodes} }}
    }}
  }}
}}
{fragments}"#
    )
}

/// The branches of one repository after `$after`.
pub(crate) fn repository_refs() -> String {
    repository_page(
        "RepositoryBranches",
        &format!(r#"refs(refPrefix: "refs/heads/", first: {FOLLOW_UP_FIRST}, after: $after)"#),
        "name branchProtectionRule { id }",
        "",
    )
}

/// The classic branch protection rules of one repository after `$after`.
pub(crate) fn repository_protection_rules() -> String {
    repository_page(
        "RepositoryProtectionRules",
        &format!("branchProtectionRules(first: {PROTECTION_RULES_FIRST}, after: $after)"),
        "...ProtectionRule",
        &protection_rule_fragment(),
    )
}

/// The rulesets of one repository after `$after`.
pub(crate) fn repository_rulesets() -> String {
    repository_page(
        "RepositoryRulesets",
        &format!("rulesets(first: {RULESETS_FIRST}, after: $after, includeParents: false)"),
        "...Ruleset",
        &ruleset_fragment(),
    )
}

/// The deploy keys of one repository after `$after`.
pub(crate) fn repository_deploy_keys() -> String {
    repository_page(
        "RepositoryDeployKeys",
        &format!("deployKeys(first: {FOLLOW_UP_FIRST}, after: $after)"),
        "id title readOnly",
        "",
    )
}

fn protection_rule_fragment() -> String {
    format!(
        r#"
fragment ProtectionRule on BranchProtectionRule {{
  id
  pattern
  requiresApprovingReviews
  requiredApprovingReviewCount
  dismissesStaleReviews
  requireLastPushApproval
  requiresCodeOwnerReviews
  isAdminEnforced
  allowsForcePushes
  allowsDeletions
  requiresStatusChecks
  requiredStatusChecks {{ context app {{ databaseId }} }}
  bypassPullRequestAllowances(first: {BYPASS_FIRST}) {{
    pageInfo {{ hasNextPage }}
    nodes {{ actor {{ __typename ... on App {{ slug }} ... on Team {{ slug }} ... on User {{ login }} }} }}
  }}
}}
"#
    )
}

/// The organization's own rulesets (and its enterprise's), after `$after`.
pub(crate) fn organization_rulesets() -> String {
    format!(
        r#"query OrganizationRulesets($org: String!, $after: String) {{
  rateLimit {{ cost remaining resetAt }}
  organization(login: $org) {{
    viewerCanAdminister
    rulesets(first: {RULESETS_FIRST}, after: $after, includeParents: true) {{
      pageInfo {{ hasNextPage endCursor }}
      nodes {{ ...Ruleset }}
    }}
  }}
}}
{}"#,
        ruleset_fragment()
    )
}

fn ruleset_fragment() -> String {
    format!(
        r#"
fragment Ruleset on RepositoryRuleset {{
  databaseId
  name
  enforcement
  target
  source {{ __typename }}
  conditions {{
    refName {{ include exclude }}
    repositoryName {{ include exclude protected }}
    repositoryId {{ repositoryIds }}
    repositoryProperty {{
      include {{ name propertyValues source }}
      exclude {{ name propertyValues source }}
    }}
  }}
  bypassActors(first: {BYPASS_FIRST}) {{
    pageInfo {{ hasNextPage }}
    nodes {{
      bypassMode
      organizationAdmin
      repositoryRoleName
      repositoryRoleDatabaseId
      deployKey
      enterpriseOwner
      actor {{ __typename ... on App {{ slug databaseId }} ... on Team {{ slug databaseId }} }}
    }}
  }}
  rules(first: {RULES_FIRST}) {{
    pageInfo {{ hasNextPage }}
    nodes {{
      type
      parameters {{
        __typename
        ... on PullRequestParameters {{
          requiredApprovingReviewCount
          dismissStaleReviewsOnPush
          requireCodeOwnerReview
          requireLastPushApproval
        }}
        ... on RequiredStatusChecksParameters {{
          requiredStatusChecks {{ context integrationId }}
        }}
        ... on CodeScanningParameters {{
          codeScanningTools {{ tool alertsThreshold securityAlertsThreshold }}
        }}
        ... on WorkflowsParameters {{
          workflows {{ path repositoryId ref }}
        }}
      }}
    }}
  }}
}}
"#
    )
}

/// Commits of a branch's history per page of [`branch_history`]: the most,
/// and the smaller sizes a first page takes when GitHub counted fewer
/// commits in the period (a page's rate-limit score grows with its size).
pub(crate) const HISTORY_FIRST: usize = 50;
/// The page sizes of [`branch_history`], smallest first.
pub(crate) const HISTORY_SIZES: [usize; 5] = [1, 5, 10, 25, HISTORY_FIRST];
/// Branches whose history pages one [`branch_history`] request reads.
pub(crate) const HISTORY_BATCH: usize = 10;
/// Pull requests read per commit: the merged one that brought it in, and
/// for a branch other than the default, open ones that contain it.
pub(crate) const ASSOCIATED_FIRST: usize = 5;
/// Reviews read per pull request (more make its reviews unavailable).
pub(crate) const REVIEWS_FIRST: usize = 50;

/// One page of the history of as many branches as `sizes` has, one alias
/// each (`h0`, `h1`, …; repository `$rN`, qualified ref `$bN`, cursor
/// `$aN`, `sizes[N]` commits), every commit since `$since` with the pull
/// requests GitHub associates with it and their reviews.
pub(crate) fn branch_history(sizes: &[usize]) -> String {
    let variables: String = (0..sizes.len())
        .map(|i| format!(", $r{i}: String!, $b{i}: String!, $a{i}: String"))
        .collect();
    let aliases: String = sizes
        .iter()
        .enumerate()
        .map(|(i, first)| {
            format!(
                "  h{i}: repository(owner: $owner, name: $r{i}) {{ ref(qualifiedName: $b{i}) {{ target {{ __typename oid ... on Commit {{ history(first: {first}, since: $since, after: $a{i}) {{ ...History }} }} }} }} }}\n"
            )
        })
        .collect();
    format!(
        r#"query BranchHistory($owner: String!, $since: GitTimestamp!{variables}) {{
  rateLimit {{ cost remaining resetAt }}
{aliases}}}

fragment History on CommitHistoryConnection {{
  pageInfo {{ hasNextPage endCursor }}
  nodes {{
    oid
    committedDate
    parents(first: 1) {{ totalCount nodes {{ oid }} }}
    author {{ user {{ login }} }}
    associatedPullRequests(first: {ASSOCIATED_FIRST}) {{
      pageInfo {{ hasNextPage }}
      nodes {{
        number
        merged
        mergedAt
        baseRefName
        headRefName
        headRefOid
        headRepository {{ nameWithOwner }}
        mergeCommit {{ oid }}
        author {{ __typename login }}
        mergedBy {{ __typename login }}
        commits(last: 1) {{ nodes {{ commit {{ oid committedDate author {{ user {{ login }} }} committer {{ user {{ login }} }} }} }} }}
        reviews(first: {REVIEWS_FIRST}) {{
          pageInfo {{ hasNextPage endCursor }}
          nodes {{ ...Review }}
        }}
      }}
    }}
  }}
}}
{REVIEW_FRAGMENT}"#
    )
}

/// The fields of a pull request review.
const REVIEW_FRAGMENT: &str = "
fragment Review on PullRequestReview { author { __typename login } state commit { oid } submittedAt }
";

/// Reviews per follow-up page of [`pull_request_reviews`].
pub(crate) const REVIEWS_PAGE: usize = 100;

/// The reviews of pull request `$number` after `$after`, for one with more
/// than [`REVIEWS_FIRST`].
pub(crate) fn pull_request_reviews() -> String {
    format!(
        r#"query PullRequestReviews($owner: String!, $name: String!, $number: Int!, $after: String) {{
  rateLimit {{ cost remaining resetAt }}
  repository(owner: $owner, name: $name) {{
    pullRequest(number: $number) {{
      reviews(first: {REVIEWS_PAGE}, after: $after) {{
        pageInfo {{ hasNextPage endCursor }}
        nodes {{ ...Review }}
      }}
    }}
  }}
}}
{REVIEW_FRAGMENT}"#
    )
}

/// Deployments per page of [`deployment_history`].
pub(crate) const DEPLOYMENTS_FIRST: usize = 50;
/// Check suites read per deployed commit: each workflow run of the commit
/// is one (more make that deployment's run unknown).
pub(crate) const SUITES_FIRST: usize = 20;
/// Check runs (jobs) read per check suite, to find the one whose
/// deployment it is.
pub(crate) const JOBS_FIRST: usize = 30;
/// Workflow runs whose reviews one [`deployment_reviews`] request reads.
pub(crate) const RUNS_BATCH: usize = 50;
/// Environment reviews read per workflow run.
pub(crate) const RUN_REVIEWS_FIRST: usize = 20;
/// Environments read per environment review.
pub(crate) const REVIEW_ENVIRONMENTS_FIRST: usize = 10;

/// One page of the deployments of repository `$name` to `$environments`,
/// newest first, each with its creator and, per check suite of its commit,
/// the workflow run and the deployments its jobs made.
pub(crate) fn deployment_history() -> String {
    format!(
        r#"query DeploymentHistory($owner: String!, $name: String!, $environments: [String!], $after: String) {{
  rateLimit {{ cost remaining resetAt }}
  repository(owner: $owner, name: $name) {{
    deployments(environments: $environments, first: {DEPLOYMENTS_FIRST}, after: $after, orderBy: {{field: CREATED_AT, direction: DESC}}) {{
      pageInfo {{ hasNextPage endCursor }}
      nodes {{
        databaseId
        createdAt
        environment
        commitOid
        state
        creator {{ __typename login }}
        commit {{
          checkSuites(first: {SUITES_FIRST}) {{
            pageInfo {{ hasNextPage }}
            nodes {{
              workflowRun {{ id databaseId }}
              checkRuns(first: {JOBS_FIRST}, filterBy: {{checkType: ALL}}) {{
                pageInfo {{ hasNextPage }}
                nodes {{ deployment {{ databaseId }} }}
              }}
            }}
          }}
        }}
      }}
    }}
  }}
}}"#
    )
}

/// The environment reviews of the workflow runs `$ids` (node ids).
pub(crate) fn deployment_reviews() -> String {
    format!(
        r#"query DeploymentReviews($ids: [ID!]!) {{
  rateLimit {{ cost remaining resetAt }}
  nodes(ids: $ids) {{
    __typename
    ... on WorkflowRun {{
      id
      databaseId
      deploymentReviews(first: {RUN_REVIEWS_FIRST}) {{
        pageInfo {{ hasNextPage }}
        nodes {{
          state
          user {{ login }}
          environments(first: {REVIEW_ENVIRONMENTS_FIRST}) {{
            pageInfo {{ hasNextPage }}
            nodes {{ name }}
          }}
        }}
      }}
    }}
  }}
}}"#
    )
}

/// `repository { deployments }` of [`deployment_history`].
#[derive(Debug, Deserialize)]
pub(crate) struct DeploymentsRepository {
    pub deployments: Option<Connection<DeploymentNode>>,
}

/// A deployment of [`deployment_history`].
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DeploymentNode {
    pub database_id: Option<u64>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub environment: Option<String>,
    pub commit_oid: String,
    pub state: Option<String>,
    pub creator: Option<TypedLogin>,
    pub commit: Option<DeployedCommit>,
}

/// The deployed commit's check suites.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DeployedCommit {
    pub check_suites: Option<Connection<SuiteNode>>,
}

/// A check suite: its workflow run, if GitHub Actions ran it, and the
/// deployments of its jobs.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SuiteNode {
    pub workflow_run: Option<RunRef>,
    pub check_runs: Option<Connection<JobNode>>,
}

/// A workflow run's node id and database id.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RunRef {
    pub id: String,
    pub database_id: Option<u64>,
}

/// A check run (job) and the deployment it made, if any.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct JobNode {
    pub deployment: Option<DeploymentRef>,
}

/// A deployment's database id.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DeploymentRef {
    pub database_id: Option<u64>,
}

/// A node of [`deployment_reviews`]: a workflow run with its reviews.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RunReviewsNode {
    #[serde(rename = "__typename")]
    pub typename: String,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub database_id: Option<u64>,
    #[serde(default)]
    pub deployment_reviews: Option<Connection<DeploymentReviewNode>>,
}

/// An environment review of a workflow run.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct DeploymentReviewNode {
    pub state: String,
    pub user: Option<LoginNode>,
    pub environments: Option<Connection<NameNode>>,
}

/// A login.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct LoginNode {
    pub login: String,
}

/// A name.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct NameNode {
    pub name: String,
}

/// `pageInfo`. GitHub always sends `hasNextPage`: an answer without it is
/// malformed, never a last page. `endCursor` is asked for only where a
/// follow-up page is read.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PageInfo {
    pub has_next_page: bool,
    #[serde(default)]
    pub end_cursor: Option<String>,
}

/// A connection read through `nodes`; `pageInfo` is required.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Connection<T> {
    pub page_info: PageInfo,
    pub nodes: Vec<Option<T>>,
}

/// The answer to [`repositories`].
#[derive(Debug, Deserialize)]
pub(crate) struct RepositoriesData {
    pub organization: Option<RepositoriesOrg>,
}

/// `organization { repositories }`.
#[derive(Debug, Deserialize)]
pub(crate) struct RepositoriesOrg {
    pub repositories: CountedConnection<RepoSummary>,
}

/// A connection with its `totalCount`, to compare with what was listed.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CountedConnection<T> {
    pub total_count: usize,
    pub page_info: PageInfo,
    pub nodes: Vec<Option<T>>,
}

/// A discovered repository.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RepoSummary {
    pub id: String,
    pub database_id: Option<u64>,
    pub name: String,
    pub visibility: String,
    pub is_archived: bool,
    pub default_branch_ref: Option<Named>,
}

/// Anything with a `name`.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Named {
    pub name: String,
}

/// One alias of [`repository_details`].
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RepoDetails {
    pub viewer_can_administer: Option<bool>,
    pub has_vulnerability_alerts_enabled: Option<bool>,
    pub default_branch_ref: Option<RefNode>,
    #[serde(default)]
    pub refs: Option<Connection<RefNode>>,
    pub branch_protection_rules: Option<Connection<ProtectionRuleNode>>,
    pub rulesets: Option<Connection<RulesetNode>>,
    pub environments: Option<Connection<EnvironmentNode>>,
    pub deploy_keys: Option<Connection<DeployKeyNode>>,
    pub collaborators: Option<CollaboratorConnection>,
}

/// A branch, and the id of the classic protection rule GitHub applies to it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RefNode {
    pub name: String,
    pub branch_protection_rule: Option<IdNode>,
    /// The default branch's commit, with how many commits of its history
    /// fall in the period (asked for when changes are read).
    #[serde(default)]
    pub target: Option<CountedHistory>,
}

/// `target { ... on Commit { history(since:) { totalCount } } }`.
#[derive(Debug, Deserialize)]
pub(crate) struct CountedHistory {
    #[serde(default)]
    pub history: Option<TotalCount>,
}

/// Only a `totalCount`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TotalCount {
    pub total_count: u64,
}

/// Only an `id`.
#[derive(Debug, Deserialize)]
pub(crate) struct IdNode {
    pub id: String,
}

/// A classic branch protection rule.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ProtectionRuleNode {
    pub id: String,
    pub pattern: String,
    pub requires_approving_reviews: bool,
    pub required_approving_review_count: Option<u32>,
    pub dismisses_stale_reviews: bool,
    pub require_last_push_approval: bool,
    pub requires_code_owner_reviews: bool,
    pub is_admin_enforced: bool,
    pub allows_force_pushes: bool,
    pub allows_deletions: bool,
    pub requires_status_checks: bool,
    #[serde(deserialize_with = "Option::deserialize")]
    pub required_status_checks: Option<Vec<StatusCheckNode>>,
    pub bypass_pull_request_allowances: Connection<Allowance>,
}

/// A required status check: `RequiredStatusCheckDescription` (classic
/// protection, `app`) or `StatusCheckConfiguration` (rulesets,
/// `integrationId`).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StatusCheckNode {
    pub context: String,
    #[serde(default)]
    pub app: Option<AppId>,
    #[serde(default)]
    pub integration_id: Option<u64>,
}

/// An app's database id.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AppId {
    pub database_id: Option<u64>,
}

/// A bypass allowance of a protection rule.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Allowance {
    pub actor: Option<ActorNode>,
}

/// A user, team or app.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct ActorNode {
    #[serde(rename = "__typename")]
    pub typename: String,
    #[serde(default)]
    pub login: Option<String>,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default, rename = "databaseId")]
    pub database_id: Option<u64>,
}

/// A ruleset.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RulesetNode {
    pub database_id: Option<u64>,
    pub name: String,
    pub enforcement: String,
    pub target: Option<String>,
    pub source: Typename,
    pub conditions: Conditions,
    pub bypass_actors: Option<Connection<BypassNode>>,
    pub rules: Option<Connection<RuleNode>>,
}

/// Only `__typename`.
#[derive(Debug, Deserialize)]
pub(crate) struct Typename {
    #[serde(rename = "__typename")]
    pub typename: String,
}

/// A ruleset's conditions: GraphQL has these four, each `null` when the
/// ruleset does not have it; a missing key is a malformed answer, never an
/// absent condition.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Conditions {
    #[serde(deserialize_with = "Option::deserialize")]
    pub ref_name: Option<IncludeExclude>,
    #[serde(deserialize_with = "Option::deserialize")]
    pub repository_name: Option<RepositoryNameNode>,
    #[serde(deserialize_with = "Option::deserialize")]
    pub repository_id: Option<RepositoryIdNode>,
    #[serde(deserialize_with = "Option::deserialize")]
    pub repository_property: Option<RepositoryPropertyNode>,
}

/// Include and exclude patterns.
#[derive(Debug, Deserialize)]
pub(crate) struct IncludeExclude {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

/// `repositoryName`.
#[derive(Debug, Deserialize)]
pub(crate) struct RepositoryNameNode {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub protected: bool,
}

/// `repositoryId`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RepositoryIdNode {
    pub repository_ids: Vec<String>,
}

/// `repositoryProperty`.
#[derive(Debug, Deserialize)]
pub(crate) struct RepositoryPropertyNode {
    pub include: Vec<PropertyTargetNode>,
    pub exclude: Vec<PropertyTargetNode>,
}

/// One property of `repositoryProperty`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PropertyTargetNode {
    pub name: String,
    pub property_values: Vec<String>,
    pub source: Option<String>,
}

/// A ruleset bypass actor.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BypassNode {
    pub bypass_mode: Option<String>,
    pub organization_admin: bool,
    pub repository_role_name: Option<String>,
    #[serde(default)]
    pub repository_role_database_id: Option<u64>,
    pub deploy_key: bool,
    pub enterprise_owner: bool,
    pub actor: Option<ActorNode>,
}

/// A ruleset rule.
#[derive(Debug, Deserialize)]
pub(crate) struct RuleNode {
    #[serde(rename = "type")]
    pub kind: String,
    pub parameters: Option<RuleParameters>,
}

/// Rule parameters: those of pull-request, status-check, code-scanning and
/// workflow rules are read.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RuleParameters {
    #[serde(rename = "__typename")]
    pub typename: String,
    pub required_approving_review_count: Option<u32>,
    pub dismiss_stale_reviews_on_push: Option<bool>,
    pub require_code_owner_review: Option<bool>,
    pub require_last_push_approval: Option<bool>,
    pub required_status_checks: Option<Vec<StatusCheckNode>>,
    pub code_scanning_tools: Option<Vec<CodeScanningToolNode>>,
    pub workflows: Option<Vec<WorkflowNode>>,
}

/// `CodeScanningTool`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CodeScanningToolNode {
    pub tool: String,
    pub alerts_threshold: String,
    pub security_alerts_threshold: String,
}

/// `WorkflowFileReference`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WorkflowNode {
    pub path: String,
    pub repository_id: u64,
    #[serde(rename = "ref")]
    pub git_ref: Option<String>,
}

/// A deployment environment.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EnvironmentNode {
    pub name: String,
    pub protection_rules: Connection<EnvironmentRule>,
}

/// A deployment protection rule.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EnvironmentRule {
    #[serde(rename = "type")]
    pub kind: String,
    pub prevent_self_review: Option<bool>,
    pub reviewers: Connection<ActorNode>,
}

/// A deploy key.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DeployKeyNode {
    pub id: String,
    pub title: String,
    pub read_only: bool,
}

/// `collaborators(affiliation: OUTSIDE)`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CollaboratorConnection {
    pub page_info: PageInfo,
    pub edges: Vec<Option<CollaboratorEdge>>,
}

/// A collaborator and their permission.
#[derive(Debug, Deserialize)]
pub(crate) struct CollaboratorEdge {
    pub permission: String,
    pub node: Login,
}

/// Anything with a `login`.
#[derive(Debug, Deserialize)]
pub(crate) struct Login {
    pub login: String,
}

/// The answer to [`organization_rulesets`].
#[derive(Debug, Deserialize)]
pub(crate) struct OrgRulesetsData {
    pub organization: Option<OrgRulesets>,
}

/// `organization { viewerCanAdminister rulesets }`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OrgRulesets {
    pub viewer_can_administer: Option<bool>,
    pub rulesets: Option<Connection<RulesetNode>>,
}

/// One alias of [`branch_history`]: `repository { ref { target } }`.
#[derive(Debug, Deserialize)]
pub(crate) struct HistoryRepository {
    #[serde(rename = "ref")]
    pub git_ref: Option<HistoryRef>,
}

/// `ref { target }`.
#[derive(Debug, Deserialize)]
pub(crate) struct HistoryRef {
    pub target: Option<HistoryTarget>,
}

/// The object a branch points to: a commit, with its history.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct HistoryTarget {
    #[serde(rename = "__typename")]
    pub typename: String,
    pub oid: String,
    #[serde(default)]
    pub history: Option<Connection<CommitNode>>,
}

/// A commit of a branch's history.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CommitNode {
    pub oid: String,
    pub committed_date: chrono::DateTime<chrono::Utc>,
    pub parents: Parents,
    pub author: Option<GitActor>,
    pub associated_pull_requests: Option<Connection<PullRequestNode>>,
}

/// `parents(first: 1)`: how many, and the first.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Parents {
    pub total_count: u64,
    pub nodes: Vec<Option<OidNode>>,
}

/// Only an `oid`.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct OidNode {
    pub oid: String,
}

/// A commit's author or committer: the GitHub account its email belongs
/// to, if any.
#[derive(Debug, Deserialize)]
pub(crate) struct GitActor {
    pub user: Option<Login>,
}

/// An account with its GraphQL type name.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct TypedLogin {
    #[serde(rename = "__typename")]
    pub typename: String,
    pub login: String,
}

/// A pull request associated with a commit.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PullRequestNode {
    pub number: u64,
    pub merged: bool,
    pub merged_at: Option<chrono::DateTime<chrono::Utc>>,
    pub base_ref_name: String,
    pub head_ref_name: String,
    pub head_ref_oid: String,
    /// The repository of the head branch: this one, or a fork; `None`
    /// when the fork was deleted.
    pub head_repository: Option<NameWithOwner>,
    pub merge_commit: Option<OidNode>,
    pub author: Option<TypedLogin>,
    pub merged_by: Option<TypedLogin>,
    pub commits: HeadCommits,
    pub reviews: Option<Connection<ReviewNode>>,
}

/// `commits(last: 1)`: the pull request's head commit.
#[derive(Debug, Deserialize)]
pub(crate) struct HeadCommits {
    pub nodes: Vec<Option<HeadCommit>>,
}

/// `PullRequestCommit { commit }`.
#[derive(Debug, Deserialize)]
pub(crate) struct HeadCommit {
    pub commit: HeadCommitFacts,
}

/// A repository's `owner/name`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NameWithOwner {
    pub name_with_owner: String,
}

/// Who wrote and who committed a pull request's head commit, and when it
/// was committed (no push of it can be earlier, but for clock skew).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct HeadCommitFacts {
    pub oid: String,
    pub committed_date: chrono::DateTime<chrono::Utc>,
    pub author: Option<GitActor>,
    pub committer: Option<GitActor>,
}

/// A pull request review.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ReviewNode {
    pub author: Option<TypedLogin>,
    pub state: String,
    pub commit: Option<OidNode>,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[cfg(test)]
mod tests {
    use apollo_compiler::{ExecutableDocument, Schema, validation::Valid};

    use super::*;

    /// GitHub's public schema, from the shared folder beside the repository.
    fn schema() -> Valid<Schema> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/schemas/github-schema.graphql"
        );
        let sdl = std::fs::read_to_string(path).unwrap_or_default();
        assert!(sdl.len() > 1_000_000, "the GitHub schema is at {path}");
        // The published SDL has a few duplicate fields: build it leniently
        // and validate operations against what it defines.
        let schema = match Schema::builder()
            .parse(sdl, "github-schema.graphql")
            .build()
        {
            Ok(schema) => schema,
            Err(with_errors) => with_errors.partial,
        };
        Valid::assume_valid(schema)
    }

    #[test]
    fn every_operation_is_valid_against_githubs_schema() {
        let schema = schema();
        let operations = [
            ("repositories", repositories()),
            ("details of 1", repository_details(1)),
            ("details of a batch", repository_details(DETAILS_BATCH)),
            ("organization rulesets", organization_rulesets()),
            ("repository branches", repository_refs()),
            ("repository protection rules", repository_protection_rules()),
            ("repository rulesets", repository_rulesets()),
            ("repository deploy keys", repository_deploy_keys()),
            ("history of 1", branch_history(&[HISTORY_FIRST])),
            ("pull request reviews", pull_request_reviews()),
            ("deployment history", deployment_history()),
            ("deployment reviews", deployment_reviews()),
            (
                "history of a batch",
                branch_history(&[HISTORY_FIRST; HISTORY_BATCH]),
            ),
        ];
        for (name, text) in operations {
            let result = ExecutableDocument::parse_and_validate(&schema, &text, "query.graphql");
            if let Err(errors) = result {
                panic!("{name} is not valid:\n{}", errors.errors);
            }
        }
    }

    /// Walks every connection of an operation (a field with `first`,
    /// assumed reached, `@include` taken) and sums `count(parents, first)`
    /// over them, `parents` being the nodes its parent connections may
    /// return.
    fn connections(schema: &Valid<Schema>, text: &str, count: fn(u64, u64) -> u64) -> u64 {
        use apollo_compiler::executable::{Selection, SelectionSet};

        fn walk(
            doc: &ExecutableDocument,
            set: &SelectionSet,
            parents: u64,
            count: fn(u64, u64) -> u64,
        ) -> u64 {
            set.selections
                .iter()
                .map(|selection| match selection {
                    Selection::Field(field) => {
                        let first = field
                            .arguments
                            .iter()
                            .find(|a| a.name == "first" || a.name == "last")
                            .and_then(|a| a.value.to_i32())
                            .map(|n| u64::try_from(n).unwrap_or(0));
                        match first {
                            Some(first) => {
                                count(parents, first)
                                    + walk(doc, &field.selection_set, parents * first, count)
                            }
                            None => walk(doc, &field.selection_set, parents, count),
                        }
                    }
                    Selection::FragmentSpread(spread) => doc
                        .fragments
                        .get(&spread.fragment_name)
                        .map_or(0, |f| walk(doc, &f.selection_set, parents, count)),
                    Selection::InlineFragment(inline) => {
                        walk(doc, &inline.selection_set, parents, count)
                    }
                })
                .sum()
        }
        let doc = ExecutableDocument::parse_and_validate(schema, text, "query.graphql")
            .unwrap_or_else(|errors| panic!("{}", errors.errors));
        let operation = doc.operations.iter().next().expect("one operation");
        walk(&doc, &operation.selection_set, 1, count)
    }

    /// GitHub's rate-limit score of an operation: every connection counts
    /// one request per parent node it may be asked for, divided by 100,
    /// rounded, at least 1 ("Calculating a rate limit score before running
    /// the call").
    fn cost(schema: &Valid<Schema>, text: &str) -> u64 {
        let requests = connections(schema, text, |parents, _| parents);
        ((requests as f64 / 100.0).round() as u64).max(1)
    }

    /// The most nodes an operation may return, by GitHub's formula ("Node
    /// limit"): every connection's `first` times the nodes of its parent
    /// connections, summed.
    fn nodes(schema: &Valid<Schema>, text: &str) -> u64 {
        connections(schema, text, |parents, first| parents * first)
    }

    #[test]
    fn a_details_batch_stays_far_below_githubs_node_limit() {
        let schema = schema();
        let details = nodes(&schema, &repository_details(DETAILS_BATCH));
        assert_eq!(details, 125_100);
        assert!(details < 500_000 / 2);
        let history = nodes(&schema, &branch_history(&[HISTORY_FIRST; HISTORY_BATCH]));
        assert_eq!(history, 131_000);
        assert!(history < 500_000 / 2);
        let deployments = nodes(&schema, &deployment_history());
        assert_eq!(deployments, 31_050);
    }

    #[test]
    fn rate_limit_scores_by_githubs_formula() {
        let schema = schema();
        let scores = [
            ("repositories", cost(&schema, &repositories())),
            (
                "details of a batch",
                cost(&schema, &repository_details(DETAILS_BATCH)),
            ),
            ("details of 1", cost(&schema, &repository_details(1))),
            (
                "organization rulesets",
                cost(&schema, &organization_rulesets()),
            ),
            ("repository branches", cost(&schema, &repository_refs())),
            (
                "repository protection rules",
                cost(&schema, &repository_protection_rules()),
            ),
            ("repository rulesets", cost(&schema, &repository_rulesets())),
            (
                "repository deploy keys",
                cost(&schema, &repository_deploy_keys()),
            ),
            (
                "history of 1",
                cost(&schema, &branch_history(&[HISTORY_FIRST])),
            ),
            (
                "history of a batch",
                cost(&schema, &branch_history(&[HISTORY_FIRST; HISTORY_BATCH])),
            ),
            (
                "first pages of 5 commits of a batch",
                cost(&schema, &branch_history(&[5; HISTORY_BATCH])),
            ),
            ("deployment history", cost(&schema, &deployment_history())),
        ];
        assert_eq!(
            scores,
            [
                ("repositories", 1),
                ("details of a batch", 97),
                ("details of 1", 1),
                ("organization rulesets", 1),
                ("repository branches", 1),
                ("repository protection rules", 1),
                ("repository rulesets", 1),
                ("repository deploy keys", 1),
                ("history of 1", 6),
                ("history of a batch", 60),
                ("first pages of 5 commits of a batch", 6),
                ("deployment history", 11),
            ]
        );
    }

    #[test]
    fn an_invalid_operation_is_caught() {
        let schema = schema();
        let text =
            repositories().replace("isArchived defaultBranchRef", "isArchivd defaultBranchRef");
        let result = ExecutableDocument::parse_and_validate(&schema, &text, "query.graphql");
        let message = result
            .err()
            .map(|e| e.errors.to_string())
            .unwrap_or_default();
        assert!(message.contains("isArchivd"), "{message}");
    }
}
