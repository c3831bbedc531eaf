//! The checks, grouped by provider: one module per control, named after its
//! id; shared walks in `*_common`.

pub mod aws;
pub mod github;
pub mod manual;
