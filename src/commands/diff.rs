//! `tenet diff OLD.json NEW.json`: what changed between two JSON reports.

use std::path::Path;

use anyhow::Context;
use tenet_report::{diff::Diff, json::JsonReport};

use crate::{
    cli::{DiffArgs, DiffFormat},
    output,
};

/// Prints the differences; exits 1 on a regression, 0 otherwise (an
/// unreadable report is an error: exit 2).
pub fn run(args: &DiffArgs) -> anyhow::Result<u8> {
    let old = read_report(&args.old)?;
    let new = read_report(&args.new)?;
    warn_if_other_policy(
        old.policy.digest.as_deref(),
        new.policy.digest.as_deref(),
        &args.old,
    );
    let diff = Diff::between(&old, &new);
    let text = match args.format {
        DiffFormat::Text => diff.render_text(),
        DiffFormat::Json => diff.render_json(),
    };
    output::emit(&text, None)?;
    Ok(u8::from(diff.has_regressions()))
}

/// Reads a JSON report written by `--format json`, refusing other versions.
pub fn read_report(path: &Path) -> anyhow::Result<JsonReport> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read report {}", path.display()))?;
    tenet_report::json::parse(&text)
        .with_context(|| format!("cannot read report {}", path.display()))
}

/// Warns when `earlier` (read from `path`) was judged with another policy
/// than the report it is compared with: what changed may be the policy, not
/// the systems. Reports without a digest (older tenets) are not compared.
pub fn warn_if_other_policy(earlier: Option<&str>, now: Option<&str>, path: &Path) {
    if let (Some(earlier), Some(now)) = (earlier, now)
        && earlier != now
    {
        output::note(&format!(
            "warning: {} was evaluated against another policy (digest {} here, {} there): changes may come from the policy, not the systems",
            path.display(),
            short(now),
            short(earlier)
        ));
    }
}

/// The first 12 hex digits of a digest, enough to tell two apart.
fn short(digest: &str) -> &str {
    let end = digest
        .char_indices()
        .nth("sha256:".len() + 12)
        .map_or(digest.len(), |(at, _)| at);
    &digest[..end]
}
