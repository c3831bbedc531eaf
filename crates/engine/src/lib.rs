//! tenet's engine: the policy file, scope, waivers, and the evaluator that
//! turns a snapshot and a policy into a [`Report`].

mod diagnostic;
mod evaluate;
mod policy;
mod report;
mod scope;
mod suggest;

pub use suggest::did_you_mean;

pub use diagnostic::{PolicyError, PolicyErrors};
pub use evaluate::evaluate;
pub use policy::{
    AllowEntry, AwsAccountTarget, AwsSettings, BUILT_IN_POLICY, ControlSettings, GithubSettings,
    PeriodSettings, Policy, Waiver, role_account_id,
};
pub use report::{
    AllowlistResult, Approval, ControlResult, Finding, RegionsRead, Report, SnapshotInfo, Status,
    Summary, Verdict, WaiverRef, WaiverResult, WaiverState,
};
pub use scope::PolicyScope;
pub use tenet_inventory::collector::{ActionsRun, AwsReader, GithubCredential, GithubReader, Run};
pub use tenet_inventory::{Observed, Period};
pub use tenet_rules::Severity;
