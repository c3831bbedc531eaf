//! `github.repo.dependabot-alerts`: Dependabot alerts are on.

use super::security_common::check_feature;
use crate::{Context, Outcome};

/// One outcome per repository.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    check_feature(
        cx,
        "Dependabot alerts",
        "are",
        ("dependabot_alerts", |s| &s.dependabot_alerts),
    )
}
