//! The deployments to a repository's production environments over the
//! snapshot's period, each with who triggered it and the environment
//! reviews of the GitHub Actions run that made it: the population behind
//! "a production deployment is approved by someone other than the person
//! deploying".

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Account;
use crate::Observed;

/// The deployments of one production environment over the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EnvironmentDeployments {
    /// The environment, e.g. `production`.
    pub environment: String,
    /// Every deployment to it created inside the period, newest first.
    pub deployments: Vec<Deployment>,
}

/// One deployment to a production environment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Deployment {
    /// GitHub's (database) id of the deployment.
    pub id: u64,
    /// The environment it deployed to, e.g. `production`.
    pub environment: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// The commit it deployed (full SHA).
    pub commit: String,
    /// GitHub's state of the deployment, lower case: `active`, `inactive`,
    /// `waiting`, `in_progress`, `failure`, …
    pub state: String,
    /// Who triggered it (GitHub's "actor who triggered the deployment");
    /// `None` for a deleted account.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub creator: Option<Account>,
    /// The GitHub Actions run whose job made the deployment, with its
    /// environment reviews; unavailable when no run of the commit made it
    /// (a deployment created through the API, or a run since deleted) or
    /// when the run's lists could not be read whole.
    pub run: Observed<DeploymentRun>,
}

/// The workflow run that made a deployment, and its environment reviews.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DeploymentRun {
    /// GitHub's id of the workflow run.
    pub id: u64,
    /// Every environment review of the run (GitHub keeps no time of a
    /// review): who approved or rejected which environments.
    pub reviews: Vec<DeploymentReview>,
    /// Everyone who started an attempt of the run, sorted: the account
    /// whose event started it and whoever re-ran it (GitHub's
    /// `triggering_actor` of each attempt). A deployment of a re-run is
    /// triggered by whoever re-ran it, though it names the run's first
    /// actor as its creator. Unavailable when the run or an attempt could
    /// not be read.
    #[serde(default)]
    pub started_by: Observed<Vec<Account>>,
}

/// One review of a run's pending deployments.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DeploymentReview {
    /// The reviewer's login.
    pub reviewer: String,
    /// Approved or rejected.
    pub state: DeploymentReviewState,
    /// The environments the review was given for.
    pub environments: Vec<String>,
}

/// GitHub's `DeploymentReviewState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeploymentReviewState {
    /// The deployment may proceed.
    Approved,
    /// The deployment was stopped.
    Rejected,
}
