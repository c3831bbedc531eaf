//! `tenet merge A.json B.json …`: one report from shards.

use crate::{cli::MergeArgs, output};

/// Writes the merged report and exits with its verdict's code (0, 1 or 3),
/// as `evaluate` would have for the whole. Reports that cannot be read, of
/// different report versions or policies, or covering the same organization
/// or account twice, are an error (exit 2).
pub fn run(args: &MergeArgs) -> anyhow::Result<u8> {
    let reports = args
        .reports
        .iter()
        .map(|path| super::diff::read_report(path))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let merged = tenet_report::merge::merge(&reports)?;
    // Serialization cannot fail: every map key is a string.
    let text = serde_json::to_string_pretty(&merged).unwrap_or_default() + "\n";
    output::emit(&text, args.output.as_deref())?;
    if let Some(path) = &args.output {
        output::note(&format!(
            "merged {} reports into {}",
            reports.len(),
            path.display()
        ));
    }
    Ok(merged.verdict.exit_code)
}
