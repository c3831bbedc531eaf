//! `tenet evaluate`: snapshot + policy ⇒ report and exit code.

use std::path::{Path, PathBuf};

use anyhow::Context;
use tenet_engine::{Policy, Report};
use tenet_inventory::Snapshot;

use super::custom;
use crate::{
    cli::{EvaluateArgs, OutputArgs, Population, ReportArgs, ReportFormat},
    output,
};

/// The policy file used when `--config` is not given, if it exists.
const DEFAULT_POLICY: &str = "tenet.toml";

/// Loads the snapshot and policy, evaluates, writes the report, and returns
/// the verdict's exit code.
pub fn run(args: &EvaluateArgs) -> anyhow::Result<u8> {
    let snapshot = Snapshot::load(&args.snapshot)?;
    let policy = args.report.select(policy_or_default(
        args.config.as_deref(),
        &args.report.control_paths,
    )?)?;
    let as_of = args
        .as_of
        .unwrap_or_else(|| snapshot.collected_at.date_naive());
    let report = evaluate(&snapshot, policy, &args.report, as_of);
    write_report(&report, &args.report.out)?;
    Ok(report.verdict().exit_code())
}

/// The policy of `--config`, else `./tenet.toml` if it exists, else the
/// built-in defaults; with the custom controls of its `control_paths` and
/// of `--control-path` (`extra`).
pub fn policy_or_default(config: Option<&Path>, extra: &[PathBuf]) -> anyhow::Result<Policy> {
    match config {
        Some(path) => load_policy(path, extra),
        None if Path::new(DEFAULT_POLICY).is_file() => {
            load_policy(Path::new(DEFAULT_POLICY), extra)
        }
        None if extra.is_empty() => Ok(Policy::default()),
        None => {
            let catalog = custom::catalog_with(Path::new("."), &[], extra)?;
            Ok(Policy::parse_with(
                "",
                tenet_engine::BUILT_IN_POLICY,
                catalog,
            )?)
        }
    }
}

/// Reads and validates a policy file and its custom controls; their errors
/// are rendered by `main`.
pub fn load_policy(path: &Path, extra: &[PathBuf]) -> anyhow::Result<Policy> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read policy file {}", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let catalog = custom::catalog_with(dir, &Policy::control_paths_of(&text), extra)?;
    Ok(Policy::parse_with(
        &text,
        &path.display().to_string(),
        catalog,
    )?)
}

/// Evaluates with the command line's `--fail-on` over the policy's.
pub fn evaluate(
    snapshot: &Snapshot,
    mut policy: Policy,
    args: &ReportArgs,
    as_of: chrono::NaiveDate,
) -> Report {
    if let Some(fail_on) = args.fail_on {
        policy.fail_on = fail_on;
    }
    tenet_engine::evaluate(snapshot, &policy, as_of)
}

/// Renders the report in the chosen format to stdout or `--output`. With
/// `--format github`, also appends the job summary to `$GITHUB_STEP_SUMMARY`
/// when it is set.
pub fn write_report(report: &Report, args: &OutputArgs) -> anyhow::Result<()> {
    let baseline = match &args.baseline {
        Some(path) => {
            let baseline = super::diff::read_report(path)?;
            super::diff::warn_if_other_policy(
                baseline.policy.digest.as_deref(),
                report.policy_digest.as_deref(),
                path,
            );
            Some(baseline)
        }
        None => None,
    };
    let audit = matches!(args.format, ReportFormat::Markdown | ReportFormat::Html);
    if baseline.is_some() && !audit {
        output::note("note: --baseline is used only by --format markdown and html");
    }
    if args.only_failing && !audit {
        output::note("note: --only-failing is used only by --format markdown and html");
    }
    if args.population.is_some() && args.format != ReportFormat::Csv {
        output::note("note: --population is used only by --format csv");
    }
    if !args.trend.is_empty() && !audit {
        output::note("note: --trend is used only by --format markdown and html");
    }
    let trend = if !args.trend.is_empty() && audit {
        Some(super::trend::load(&args.trend, None, None)?)
    } else {
        None
    };
    let options = tenet_report::AuditOptions {
        baseline: baseline.as_ref(),
        only_failing: args.only_failing,
        frameworks: &args.frameworks,
        trend: trend.as_ref(),
    };
    let text = match args.format {
        ReportFormat::Table => tenet_report::table::render(
            report,
            args.output.is_none() && output::stdout_color(),
            &args.frameworks,
        ),
        ReportFormat::Json => tenet_report::json::render(report),
        ReportFormat::Sarif => tenet_report::sarif::render(report),
        ReportFormat::Junit => tenet_report::junit::render(report),
        ReportFormat::Github => tenet_report::github::annotations(report),
        ReportFormat::Markdown => tenet_report::markdown::render(report, &options),
        ReportFormat::Html => tenet_report::html::render(report, &options),
        ReportFormat::Ocsf => tenet_report::ocsf::render(report),
        ReportFormat::Oscal => tenet_report::oscal::render(report, &args.frameworks),
        ReportFormat::Csv => match args.population {
            None => tenet_report::csv::render(report),
            Some(Population::Changes) => tenet_report::csv::changes(report),
            Some(Population::Access) => tenet_report::access::csv(report).ok_or_else(|| {
                anyhow::anyhow!(
                    "this report has no access roster: it was made by a tenet that did not record one; evaluate its snapshot again"
                )
            })?,
        },
        ReportFormat::ChangesCsv => tenet_report::csv::changes(report),
    };
    output::emit(&text, args.output.as_deref())?;
    if let Some(path) = &args.output {
        output::note(&format!("wrote report to {}", path.display()));
    }
    if args.format == ReportFormat::Github
        && let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty())
    {
        use std::io::Write;
        let run = tenet_engine::ActionsRun::from_env(|name| std::env::var(name).ok());
        let summary = tenet_report::github::step_summary(report, run.as_ref());
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut file| file.write_all(summary.as_bytes()))
            .with_context(|| {
                format!(
                    "cannot append the job summary to {}",
                    Path::new(&path).display()
                )
            })?;
    }
    Ok(())
}
