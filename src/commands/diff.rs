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
