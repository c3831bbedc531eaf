//! One module per subcommand; each returns the process exit code.

mod catalog;
mod collect;
mod custom;
mod demo;
mod diff;
mod evaluate;
mod iam_policy;
mod init;
mod merge;
mod render;
mod shell;
mod trend;
mod validate;

use crate::cli::{Cli, Command, SchemaKind};

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Collect(args) => collect::run(&args),
        Command::Scan(args) => collect::scan(&args),
        Command::Evaluate(args) => evaluate::run(&args),
        Command::Demo(args) => demo::run(&args),
        Command::Controls(args) => catalog::list(&args),
        Command::Explain(args) => catalog::explain(&args),
        Command::Init(args) => init::run(&args),
        Command::IamPolicy(args) => iam_policy::run(&args),
        Command::Schema(args) => {
            let schema = match args.kind {
                SchemaKind::Report => tenet_report::json::schema(),
                SchemaKind::Snapshot => tenet_inventory::schema(),
            };
            crate::output::emit(&schema, None)?;
            Ok(0)
        }
        Command::Diff(args) => diff::run(&args),
        Command::Merge(args) => merge::run(&args),
        Command::Render(args) => render::run(&args),
        Command::Trend(args) => trend::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Test(args) => custom::test(&args),
        Command::Completions(args) => shell::completions(&args),
        Command::Man => shell::man(),
    }
}
