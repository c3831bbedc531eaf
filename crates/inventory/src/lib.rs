//! The normalized facts a tenet scan collected, and the snapshot file format.
//!
//! Connectors (`tenet-github`, `tenet-aws`) fill these types; rules read them.
//! Every fact a connector can fail to read is an [`Observed`] value, so that a
//! rule can tell "the answer is no" from "we could not find out".

pub mod aws;
pub mod collector;
pub mod github;
mod observed;
#[cfg(feature = "schema")]
mod schema;
mod snapshot;
mod strict;

pub use observed::Observed;
#[cfg(feature = "schema")]
pub use schema::schema;
pub use snapshot::{LoadError, Period, SCHEMA_VERSION, Scope, Snapshot};
