//! The changes that reached a repository's protected branches over the
//! snapshot's period, each with the pull request it came through and that
//! pull request's reviews: the population an auditor samples for "every
//! production change is approved by two people".

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Observed;

/// The changes of one branch over the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BranchChanges {
    /// The branch, e.g. `main`.
    pub branch: String,
    /// Every commit of the branch's first-parent history committed inside
    /// the period, newest first: a merge commit is one change, a squash or
    /// rebase merge lands as the commits GitHub wrote. Unavailable when any
    /// page of the history could not be read, never a shorter list.
    pub changes: Observed<Vec<Change>>,
}

/// One commit that landed on a branch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// The commit's full SHA.
    pub sha: String,
    /// When it was committed (for a merge or squash through GitHub: when
    /// the pull request was merged).
    pub committed_at: DateTime<Utc>,
    /// How many parents the commit has: 2 or more for a merge commit.
    pub parents: u32,
    /// The GitHub account of the commit's author, when GitHub links its
    /// email to one.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub author: Option<String>,
    /// The merged pull request that brought the commit into the branch;
    /// `None` when GitHub knows of none (a direct push).
    pub pull_request: Observed<Option<PullRequest>>,
}

/// A merged pull request and its reviews.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PullRequest {
    /// The pull request's number.
    pub number: u64,
    /// Who opened it; `None` for a deleted account.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub author: Option<Account>,
    /// The branch it was merged into.
    pub base_branch: String,
    /// When it was merged.
    pub merged_at: DateTime<Utc>,
    /// Who merged it; `None` when GitHub does not say.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub merged_by: Option<Account>,
    /// The commit GitHub wrote on the base branch when merging.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub merge_commit: Option<String>,
    /// The head commit that was merged.
    pub head_sha: String,
    /// The GitHub accounts of the head commit's author and committer.
    pub last_commit_by: Vec<String>,
    /// Who pushed the merged head to the pull request's branch: every
    /// account GitHub's repository activity records as having made the
    /// branch point to it (a push, a force push or the branch's creation),
    /// sorted. Empty when only deleted accounts did. Unavailable when the
    /// activity could not be read or holds no such push.
    #[serde(default)]
    pub pushed_by: Observed<Vec<Account>>,
    /// Every review, in the order GitHub lists them (oldest first).
    pub reviews: Observed<Vec<Review>>,
}

/// A GitHub account and its kind.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The login, e.g. `alice` or `dependabot[bot]`.
    pub login: String,
    /// GitHub's type name: `User`, `Bot`, `Mannequin`, `Organization`,
    /// `EnterpriseUserAccount`.
    pub kind: String,
}

impl Account {
    /// A person's account: a `User` whose login is not an app's
    /// (`…[bot]`).
    pub fn is_human(&self) -> bool {
        self.kind == "User" && !self.login.ends_with("[bot]")
    }
}

/// One review of a pull request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// The reviewer; `None` for a deleted account.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub author: Option<Account>,
    /// What the review said.
    pub state: ReviewState,
    /// The head commit the review was given on.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub commit: Option<String>,
    /// When it was submitted; `None` for a pending review.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub submitted_at: Option<DateTime<Utc>>,
}

/// GitHub's `PullRequestReviewState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Approved the changes.
    Approved,
    /// Asked for changes.
    ChangesRequested,
    /// Commented only.
    Commented,
    /// Was dismissed (by a person, or by a new push where the branch rule
    /// dismisses stale approvals).
    Dismissed,
    /// Not submitted yet.
    Pending,
}

/// How many days back GitHub's rule insights are taken to reach from the
/// collection: its widest filter is "the past month", and the shortest
/// month has 28 days, so no day is counted as seen that GitHub may not
/// have shown.
pub const RULE_INSIGHT_DAYS: i64 = 28;

/// The bypasses GitHub's rule insights recorded for a repository (`GET
/// /repos/{owner}/{repo}/rulesets/rule-suites?rule_suite_result=bypass`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RuleBypasses {
    /// Since when they were read: [`RULE_INSIGHT_DAYS`] before the
    /// collection. A push before this time may have bypassed a rule
    /// unseen.
    pub since: DateTime<Utc>,
    /// Every push since then that GitHub records as bypassing a rule, on
    /// any ref, newest first.
    pub suites: Vec<RuleSuite>,
}

/// One push GitHub evaluated against the rules of its ref (a rule suite).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RuleSuite {
    /// GitHub's id of the rule suite.
    pub id: u64,
    /// The ref pushed, e.g. `refs/heads/main`.
    #[serde(rename = "ref")]
    pub git_ref: String,
    /// What the ref pointed to before the push.
    pub before_sha: String,
    /// What the push made it point to.
    pub after_sha: String,
    /// Who pushed; `None` when GitHub does not say.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub actor: Option<String>,
    /// When.
    pub pushed_at: DateTime<Utc>,
}
