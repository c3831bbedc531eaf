//! `github.repo.secret-scanning`: secret scanning is on.

use super::security_common::check_feature;
use crate::{Context, Outcome};

/// One outcome per repository.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    check_feature(
        cx,
        "secret scanning",
        "is",
        ("secret_scanning", |s| &s.secret_scanning),
    )
}
