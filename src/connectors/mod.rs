//! Glue between the CLI and the connector crates: their flags, and turning
//! flags plus policy settings into a connector configuration.

pub mod aws;
pub mod github;
