//! `tenet trend REPORT.json…`: evidence over an audit period.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono::NaiveDate;
use rayon::prelude::*;

use tenet_report::trend::Trend;

use crate::{
    cli::{TrendArgs, TrendFormat},
    output,
};

/// Prints the trend of the reports; exits 0 (2 when a report cannot be
/// read).
pub fn run(args: &TrendArgs) -> anyhow::Result<u8> {
    let trend = load(&args.reports, args.from, args.to)?;
    let text = match args.format {
        TrendFormat::Text => trend.render_text(),
        TrendFormat::Markdown => trend.render_markdown(),
        TrendFormat::Json => trend.render_json(),
    };
    output::emit(&text, args.output.as_deref())?;
    Ok(0)
}

/// The trend of the reports of `given` (files and directories) over the
/// period: an error when a report cannot be read or none is in the period.
pub fn load(
    given: &[PathBuf],
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> anyhow::Result<Trend> {
    let paths = report_paths(given)?;
    // Each report is read and parsed on its own core: a quarter of nightly
    // reports of a large organization is a gigabyte of JSON.
    let runs = paths
        .par_iter()
        .map(|path| {
            let bytes = std::fs::read(path)
                .with_context(|| format!("cannot read report {}", path.display()))?;
            tenet_report::trend::parse_run(&bytes)
                .with_context(|| format!("cannot read report {}", path.display()))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let trend = tenet_report::trend::trend(runs, from, to);
    if trend.runs.is_empty() {
        bail!("no report is judged as of a day of the period");
    }
    Ok(trend)
}

/// The report files: each path given, and the `*.json` files of each
/// directory given, sorted.
fn report_paths(given: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for path in given {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot read directory {}", path.display()))?
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect();
            if found.is_empty() {
                bail!("{} holds no JSON report (*.json)", path.display());
            }
            found.sort();
            paths.extend(found);
        } else {
            paths.push(Path::new(path).to_owned());
        }
    }
    Ok(paths)
}
