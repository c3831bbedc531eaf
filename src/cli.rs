//! Command-line arguments (clap derive).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use tenet_engine::{Policy, Severity};
use tenet_inventory::Period;

/// Policy-as-code compliance scanner: checks GitHub organizations and AWS
/// accounts against the controls of a written security policy.
#[derive(Debug, Parser)]
#[command(
    name = "tenet",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Exit codes: 0 no failure and no error; 1 failing findings at or above \
--fail-on; 2 invalid invocation or policy file; 3 no failure but some controls could not be \
determined."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Log to standard error what tenet does: `-v` the stages and
    /// rate-limit waits, `-vv` every request and retry (never a
    /// credential).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Print only the report (and errors): no progress, no summary lines.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Colours in the table report: `auto` on a terminal unless NO_COLOR
    /// is set (CLICOLOR_FORCE forces them).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces them.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Collect GitHub organizations and AWS accounts and evaluate them at
    /// once (collect + evaluate).
    Scan(ScanArgs),
    /// Collect GitHub organizations and AWS accounts into a snapshot file.
    Collect(CollectArgs),
    /// Evaluate a snapshot file against the policy.
    Evaluate(EvaluateArgs),
    /// Evaluate the bundled demo snapshot against the bundled demo policy.
    Demo(DemoArgs),
    /// List every control of the catalog.
    Controls(ControlsArgs),
    /// Show everything about one control: rationale, remediation, references,
    /// parameters.
    Explain(ExplainArgs),
    /// Write a ready-made tenet.toml (the baseline or strict policy) to start
    /// from.
    Init(InitArgs),
    /// Print the JSON Schema of the JSON report or of the snapshot file.
    ///
    /// The snapshot file's schema is also that of custom controls' `input`.
    Schema(SchemaArgs),
    /// Analyze IAM policy documents before they are deployed: full admin,
    /// privilege escalation, wildcarded services, public access. Exits 1 when
    /// a document grants full admin, an escalation path, or access to anyone
    /// (a resource policy with `Principal: "*"` and no condition confining
    /// the callers).
    IamPolicy(IamPolicyArgs),
    /// Compare two JSON reports: regressions, fixes, new and removed
    /// resources, waivers expired or expiring; exits 1 on a regression.
    Diff(DiffArgs),
    /// Merge JSON reports of shards (one per organization or account) of the
    /// same policy into one report; exits with the merged verdict's code.
    Merge(MergeArgs),
    /// Render a saved JSON report (of `evaluate`, `scan` or `merge`) in any
    /// format; exits with its verdict's code.
    Render(RenderArgs),
    /// Evidence over an audit period from the JSON reports of many runs
    /// (e.g. a quarter's nightly reports): per control and failing
    /// resource, the share of runs passing, first and last failure, longest
    /// failing streak, and the days without a run.
    Trend(TrendArgs),
    /// Check a policy file without evaluating anything: every problem at
    /// once, with its line and column; exits 0 when it is valid, 2 when not.
    Validate(ValidateArgs),
    /// Run the tests of custom controls: every `test_*` rule of the
    /// `*_test.rego` files beside them; exits 1 when one fails.
    Test(TestArgs),
    /// Print the completion script of a shell, e.g. `tenet completions bash
    /// > /etc/bash_completion.d/tenet`.
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `tenet man > tenet.1`.
    Man,
}

/// `tenet test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Directories of custom controls and their tests [default: the
    /// `control_paths` of ./tenet.toml, else the current directory].
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
}

/// `tenet schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which file format's schema to print.
    #[arg(value_enum, default_value_t = SchemaKind::Report)]
    pub kind: SchemaKind,
}

/// The file formats `tenet schema` describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// The versioned JSON report (`--format json`).
    Report,
    /// The snapshot file (`tenet collect`), which custom controls read as
    /// `input`.
    Snapshot,
}

/// `tenet validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The policy file.
    #[arg(value_name = "FILE", default_value = "tenet.toml")]
    pub file: PathBuf,
    /// A directory of custom controls (`<id>.toml` and `<id>.rego`) to
    /// check with the policy, besides its `control_paths` (repeatable).
    #[arg(long = "control-path", value_name = "DIR")]
    pub control_paths: Vec<PathBuf>,
}

/// `tenet completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// Output format of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Human-readable table (colour on a terminal unless NO_COLOR is set).
    Table,
    /// The versioned JSON report (see `tenet schema`).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// JUnit XML, for CI test tabs.
    Junit,
    /// GitHub Actions annotations (and a job summary in
    /// $GITHUB_STEP_SUMMARY when set).
    Github,
    /// The audit report as Markdown.
    Markdown,
    /// The audit report as one self-contained HTML file.
    Html,
    /// OCSF Compliance Finding events, one JSON object per line.
    Ocsf,
    /// NIST OSCAL assessment results (JSON), for GRC tools.
    Oscal,
    /// CSV, one row per finding.
    Csv,
    /// The changes of the audit period as CSV, one row per change with its
    /// pull request, approvers and verdict: the population to sample from.
    ChangesCsv,
}

/// A population the csv format exports whole (`--population`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Population {
    /// Every person and principal with access to the systems read.
    Access,
    /// The changes of the audit period, one row per change.
    Changes,
}

/// Output format of `tenet diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Human-readable text.
    Text,
    /// JSON.
    Json,
}

/// Output format of a listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Human-readable table.
    Table,
    /// JSON.
    Json,
}

/// Where and how a report is written: every command that renders one.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Table, help_heading = "Output")]
    pub format: ReportFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,
    /// A previous JSON report: the markdown and html formats add what is
    /// new, fixed and still failing since it.
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub baseline: Option<PathBuf>,
    /// The markdown and html formats list only the controls with failing,
    /// undetermined, waived or allow-listed findings, and those findings;
    /// the summary still counts everything.
    #[arg(long, help_heading = "Output")]
    pub only_failing: bool,
    /// Give the markdown, html and table formats a section for this
    /// framework (repeatable), besides the policy's `frameworks`: each
    /// criterion, the controls that evidence it and their status, and the
    /// criteria not assessed by tenet; the oscal format gives findings for
    /// the frameworks named (else for every one referenced). One of
    /// `soc2`, `iso27001`, `nist-800-53`, `cis-aws`, `cis-github`.
    #[arg(long = "framework", value_name = "NAME", value_parser = parse_framework, help_heading = "Output")]
    pub frameworks: Vec<String>,
    /// The csv format exports this population instead of one row per
    /// finding: `access`, every person and principal with access to the
    /// systems read (the roster an access review samples from), or
    /// `changes`, the changes of the audit period (as --format
    /// changes-csv).
    #[arg(long, value_enum, value_name = "POPULATION", help_heading = "Output")]
    pub population: Option<Population>,
    /// The markdown and html formats include the trend over the audit
    /// period of these JSON reports (files, or directories of `*.json`,
    /// e.g. the quarter's nightly reports), as `tenet trend` computes it.
    #[arg(long, value_name = "REPORTS", help_heading = "Output")]
    pub trend: Vec<PathBuf>,
}

fn parse_framework(text: &str) -> Result<String, String> {
    match tenet_rules::framework(text) {
        Some(framework) if framework.key == text => Ok(text.to_owned()),
        _ => Err(format!(
            "expected one of {}",
            tenet_rules::frameworks()
                .iter()
                .map(|f| f.key)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Options shared by every command that evaluates and renders a report.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Where and how the report is written.
    #[command(flatten)]
    pub out: OutputArgs,
    /// Fail (exit 1) on failing findings at or above this severity; overrides
    /// `fail_on` of the policy file [default: low].
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity, env = "TENET_FAIL_ON", help_heading = "Gating")]
    pub fail_on: Option<Severity>,
    /// A directory of custom controls (`<id>.toml` and `<id>.rego`) to run
    /// besides the policy's `control_paths` (repeatable).
    #[arg(long = "control-path", value_name = "DIR", help_heading = "Controls")]
    pub control_paths: Vec<PathBuf>,
    /// Run only the controls whose ids match one of these globs
    /// (`aws.iam.*,github.branch.*`); the others are skipped.
    #[arg(
        long,
        value_name = "GLOB",
        value_delimiter = ',',
        help_heading = "Controls"
    )]
    pub controls: Vec<String>,
    /// Skip the controls whose ids match one of these globs.
    #[arg(
        long,
        value_name = "GLOB",
        value_delimiter = ',',
        help_heading = "Controls"
    )]
    pub skip_controls: Vec<String>,
}

impl ReportArgs {
    /// `policy` with the controls `--controls` and `--skip-controls` leave
    /// out skipped.
    pub fn select(&self, mut policy: Policy) -> anyhow::Result<Policy> {
        policy
            .select(&self.controls, &self.skip_controls)
            .map_err(anyhow::Error::msg)?;
        Ok(policy)
    }
}

/// `tenet evaluate`.
#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// Snapshot file written by `tenet collect`.
    #[arg(value_name = "SNAPSHOT")]
    pub snapshot: PathBuf,
    /// Policy file [default: ./tenet.toml if it exists, else the built-in
    /// defaults: every control on, catalog severities, no waivers].
    #[arg(
        long,
        short,
        value_name = "FILE",
        env = "TENET_CONFIG",
        help_heading = "Policy"
    )]
    pub config: Option<PathBuf>,
    /// Judge waivers as of this date (YYYY-MM-DD) [default: the day the
    /// snapshot was collected].
    #[arg(long, value_name = "DATE", help_heading = "Policy")]
    pub as_of: Option<NaiveDate>,
    /// Report options.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// What to collect: shared by `collect` and `scan`.
#[derive(Debug, Args)]
pub struct CollectTargets {
    /// Policy file: scope, connection settings [default: ./tenet.toml if it
    /// exists, else the built-in defaults].
    #[arg(
        long,
        short,
        value_name = "FILE",
        env = "TENET_CONFIG",
        help_heading = "Policy"
    )]
    pub config: Option<PathBuf>,
    /// GitHub options.
    #[command(flatten)]
    pub github: crate::connectors::github::GithubArgs,
    /// AWS options.
    #[command(flatten)]
    pub aws: crate::connectors::aws::AwsArgs,
    /// Time limit of the whole collection, in seconds: no request starts
    /// and no wait (rate limit, retry, credential report) ends past it;
    /// what was not read by then is reported as error, saying so.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 1800,
        env = "TENET_TIMEOUT",
        value_parser = clap::value_parser!(u64).range(1..),
        help_heading = "Collection"
    )]
    pub timeout: u64,
    /// Time limit of one attempt of one request, answer included, in
    /// seconds. Connecting has 10 s (GitHub) or 5 s (AWS) of it; a request
    /// unanswered for 60 s over its retries is given up, so a dead endpoint
    /// stops the run within about a minute.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 30,
        env = "TENET_REQUEST_TIMEOUT",
        value_parser = clap::value_parser!(u64).range(1..=600),
        help_heading = "Collection"
    )]
    pub request_timeout: u64,
    /// This job's part of the policy's `[scope]`, when one job cannot scan
    /// it all: `github:ORG` or `aws:ACCOUNT` (repeatable). Only these are
    /// collected and reported; the rest of the scope is other jobs', whose
    /// JSON reports `tenet merge` joins.
    #[arg(
        long,
        value_name = "TARGET",
        value_parser = parse_shard,
        help_heading = "Collection"
    )]
    pub shard: Vec<Shard>,
    /// A label for this run in the snapshot and its reports, e.g.
    /// `Q4 2026 audit`. In GitHub Actions the run's URL, workflow, actor,
    /// commit and ref are recorded as well; elsewhere nothing about the run
    /// is, so that snapshots of the same systems stay alike.
    #[arg(
        long,
        value_name = "TEXT",
        env = "TENET_RUN_LABEL",
        value_parser = clap::builder::NonEmptyStringValueParser::new(),
        help_heading = "Collection"
    )]
    pub run_label: Option<String>,
    /// First day of the audit period whose changes are read (UTC)
    /// [default: `[period] from` of the policy, else 89 days before the
    /// last day].
    #[arg(long, value_name = "DATE", help_heading = "Audit period")]
    pub from: Option<NaiveDate>,
    /// Last day of the audit period, included (UTC) [default: `[period]
    /// to` of the policy, else today].
    #[arg(long, value_name = "DATE", help_heading = "Audit period")]
    pub to: Option<NaiveDate>,
}

/// One organization or account of a policy's scope (`--shard`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shard {
    /// `github:ORG`.
    GithubOrg(String),
    /// `aws:ACCOUNT`.
    AwsAccount(String),
}

fn parse_shard(text: &str) -> Result<Shard, String> {
    if let Some(org) = text.strip_prefix("github:").filter(|org| !org.is_empty()) {
        return Ok(Shard::GithubOrg(org.to_owned()));
    }
    if let Some(account) = text.strip_prefix("aws:") {
        return parse_account(account).map(Shard::AwsAccount);
    }
    Err("expected github:ORG or aws:ACCOUNT (12 digits)".to_owned())
}

/// The time limits of a collection.
#[derive(Debug, Clone, Copy)]
pub struct TimeLimits {
    /// The whole collection (`--timeout`).
    pub collection: std::time::Duration,
    /// One attempt of one request (`--request-timeout`).
    pub request: std::time::Duration,
}

impl CollectTargets {
    /// The audit period: `--from`/`--to`, else the policy's `[period]`,
    /// else the [`Period::DEFAULT_DAYS`] days up to `today`. A period that
    /// ends after `today` has not happened yet, and is refused.
    pub fn period(&self, policy: &Policy, today: NaiveDate) -> anyhow::Result<Period> {
        let to = self.to.or(policy.period.to).unwrap_or(today);
        if to > today {
            anyhow::bail!(
                "the audit period ends on {to}, after today ({today} UTC): its changes cannot all be read yet; give --to {today} or an earlier day"
            );
        }
        let from = self
            .from
            .or(policy.period.from)
            .unwrap_or(Period::before(to).from);
        Period::new(from, to).map_err(|reason| {
            anyhow::anyhow!("{reason}: --from is the first day of the period, --to the last")
        })
    }

    /// `--timeout` and `--request-timeout` as durations.
    pub fn limits(&self) -> TimeLimits {
        TimeLimits {
            collection: std::time::Duration::from_secs(self.timeout),
            request: std::time::Duration::from_secs(self.request_timeout),
        }
    }
}

/// `tenet collect`.
#[derive(Debug, Args)]
pub struct CollectArgs {
    /// What to collect.
    #[command(flatten)]
    pub targets: CollectTargets,
    /// Where to write the snapshot.
    #[arg(long, short, value_name = "FILE", help_heading = "Output")]
    pub output: PathBuf,
    /// A directory of custom controls the snapshot will be evaluated with,
    /// besides the policy's `control_paths` (repeatable): their facts are
    /// collected too.
    #[arg(long = "control-path", value_name = "DIR", help_heading = "Controls")]
    pub control_paths: Vec<PathBuf>,
}

/// `tenet scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// What to collect.
    #[command(flatten)]
    pub targets: CollectTargets,
    /// Also keep the snapshot in FILE, for `tenet evaluate` later.
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub save_snapshot: Option<PathBuf>,
    /// Report options.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// `tenet demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Report options.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// `tenet controls`.
#[derive(Debug, Args)]
pub struct ControlsArgs {
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = CatalogFormat::Table)]
    pub format: CatalogFormat,
    /// A directory of custom controls to list too, besides the
    /// `control_paths` of ./tenet.toml (repeatable).
    #[arg(long = "control-path", value_name = "DIR")]
    pub control_paths: Vec<PathBuf>,
}

/// Output format of `tenet controls`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CatalogFormat {
    /// Human-readable table.
    Table,
    /// JSON: every control's metadata.
    Json,
    /// Markdown reference of every control (docs/controls.md).
    Markdown,
}

/// `tenet explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The control id, e.g. aws.iam.root-mfa.
    #[arg(value_name = "CONTROL_ID")]
    pub control: String,
    /// Output format: the text below, or the control's metadata as JSON
    /// (as `tenet controls --format json` lists it).
    #[arg(long, short, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// A directory of custom controls to look in too, besides the
    /// `control_paths` of ./tenet.toml (repeatable).
    #[arg(long = "control-path", value_name = "DIR")]
    pub control_paths: Vec<PathBuf>,
}

/// `tenet init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the policy file.
    #[arg(long, short, value_name = "FILE", default_value = "tenet.toml")]
    pub output: PathBuf,
    /// Which ready-made policy to start from.
    #[arg(long, value_enum, default_value_t = Template::Baseline)]
    pub template: Template,
}

/// A ready-made policy of `rules/policies/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Template {
    /// A typical SaaS security policy: every pillar on, catalog defaults,
    /// CI fails on high and critical.
    Baseline,
    /// Stricter limits, code-owner review, every failure fails CI.
    Strict,
}

/// `tenet iam-policy`.
#[derive(Debug, Args)]
pub struct IamPolicyArgs {
    /// IAM policy documents (JSON), e.g. from infrastructure code; `-`
    /// reads one from standard input.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// The 12-digit AWS account whose principals the identity policies are
    /// for: decides their `aws:PrincipalAccount` conditions, and picks the
    /// account of a `--snapshot` that holds several. (Conditions on dates
    /// are decided against the current time, or the snapshot's.)
    #[arg(long, value_name = "ID", value_parser = parse_account)]
    pub account: Option<String>,
    /// Judge each document against an account of this snapshot (from
    /// `tenet collect`), as a policy of a principal there: within the
    /// account's service control policies, at the snapshot's time, and a
    /// method that passes a role counted only when a role of the account
    /// it can pass is an administrator.
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

/// `tenet diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier JSON report.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later JSON report.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
}

/// `tenet merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// JSON reports of the same policy and report version.
    #[arg(value_name = "REPORT", required = true, num_args = 1..)]
    pub reports: Vec<PathBuf>,
    /// Write the merged report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `tenet trend`.
#[derive(Debug, Args)]
pub struct TrendArgs {
    /// JSON reports, or directories whose `*.json` files are JSON reports,
    /// in any order.
    #[arg(value_name = "REPORT", required = true, num_args = 1..)]
    pub reports: Vec<PathBuf>,
    /// First day of the period [default: the first run's].
    #[arg(long, value_name = "DATE")]
    pub from: Option<NaiveDate>,
    /// Last day of the period [default: the last run's].
    #[arg(long, value_name = "DATE")]
    pub to: Option<NaiveDate>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = TrendFormat::Text)]
    pub format: TrendFormat,
    /// Write the trend to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Output format of `tenet trend`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TrendFormat {
    /// Human-readable text.
    Text,
    /// Markdown, for the audit file.
    Markdown,
    /// JSON.
    Json,
}

/// `tenet render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// A JSON report (`--format json`, or `tenet merge`'s).
    #[arg(value_name = "REPORT")]
    pub report: PathBuf,
    /// Where and how the report is written.
    #[command(flatten)]
    pub out: OutputArgs,
}

fn parse_account(text: &str) -> Result<String, String> {
    if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) {
        Ok(text.to_owned())
    } else {
        Err("expected a 12-digit AWS account id".to_owned())
    }
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    text.parse()
        .map_err(|_| "expected one of low, medium, high, critical".to_owned())
}
