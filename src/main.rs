//! `tenet`: policy-as-code compliance scanner. This crate is only CLI glue:
//! argument parsing, wiring the stages, output files and exit codes.

mod cli;
mod commands;
mod connectors;
mod output;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the platform's allocator: the analyses allocate
/// many small sets from several threads at once, which glibc's allocator
/// (and musl's, in the static release builds) serves slowly.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    if cli.quiet {
        output::set_quiet();
    }
    output::init_logging(cli.verbose);
    output::set_color(cli.color);
    match commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            match err.downcast_ref::<tenet_engine::PolicyErrors>() {
                Some(policy_errors) => output::raw_stderr(&policy_errors.render()),
                None => output::error(&format!("{err:#}")),
            }
            ExitCode::from(output::EXIT_USAGE)
        }
    }
}
