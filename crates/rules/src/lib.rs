//! tenet's control catalog: the metadata of every control and one pure check
//! function each.
//!
//! A check reads a [`tenet_inventory::Snapshot`] and returns one [`Outcome`]
//! per resource it applies to. Checks never do I/O and never see a client;
//! a fact the connector could not read becomes an [`CheckStatus::Error`]
//! outcome with the reason, never a pass.

pub mod access;
mod attestation;
mod branch;
mod controls;
mod deploy;
mod environment;
mod fnmatch;
mod frameworks;
mod iam;
mod meta;
mod outcome;
mod params;
mod registry;
mod ruleset;
mod support;
mod verdict;

pub use attestation::Attestation;
pub use deploy::subjects_needed;
pub use frameworks::{Criterion, Framework, framework, frameworks};
pub use iam::{CountedMethod, DocumentVerdict, judge_document};
pub use meta::{ControlMeta, ParamKind, ParamSpec, Pillar, Reference, Severity};
pub use outcome::{ALLOWLIST_ENTRIES, ALLOWLISTED_BY, CheckStatus, Evidence, Outcome, Resource};
pub use params::{ParamValue, Params};
pub use registry::{Catalog, Check, CheckFn, Context, Control, CustomCheck, RunMemo, catalog};
