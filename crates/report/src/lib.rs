//! Renders a [`tenet_engine::Report`] in every output format, one module per
//! format, and compares ([`diff`]) and combines ([`merge`]) JSON reports.
//!
//! Renderers are pure: they take the report (and, for the audit formats, a
//! previous JSON report) and return text. Writing files, reading baselines
//! and the GitHub step summary are the CLI's business.

pub mod access;
mod audit;
mod brief;
mod completeness;
pub mod csv;
pub mod diff;
mod evidence;
mod fingerprint;
pub mod github;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod merge;
pub mod ocsf;
pub mod oscal;
mod provenance;
mod register;
pub mod sarif;
pub mod saved;
pub mod table;
pub mod text;
pub mod trend;
mod uri;
mod words;

pub use audit::AuditOptions;
pub use fingerprint::finding_fingerprint;
