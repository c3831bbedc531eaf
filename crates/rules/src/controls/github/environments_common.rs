//! What the environment controls share: which deployment environments are
//! production.

/// The `production_environments` parameter the environment controls share.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct Production {
    /// Environment name globs (case-insensitive) that are production.
    pub production_environments: Vec<String>,
}
