//! `github.repo.push-protection`: secret scanning push protection is on.

use super::security_common::check_feature;
use crate::{Context, Outcome};

/// One outcome per repository.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    check_feature(
        cx,
        "secret scanning push protection",
        "is",
        ("secret_scanning_push_protection", |s| {
            &s.secret_scanning_push_protection
        }),
    )
}
