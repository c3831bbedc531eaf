//! `tenet render REPORT.json`: a saved JSON report in any format.

use crate::cli::RenderArgs;

/// Renders the report as `--format` asks and exits with its verdict's code,
/// as the run that made it did (or `merge`, for merged shards).
pub fn run(args: &RenderArgs) -> anyhow::Result<u8> {
    let json = super::diff::read_report(&args.report)?;
    let report = tenet_report::saved::report(&json);
    super::evaluate::write_report(&report, &args.out)?;
    Ok(report.verdict().exit_code())
}
