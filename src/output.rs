//! Where output goes: reports to stdout or a file, messages to stderr.

use std::{
    io::{IsTerminal, Write},
    path::Path,
    sync::atomic::{AtomicBool, AtomicU8, Ordering},
};

use anyhow::Context;

use crate::cli::ColorChoice;

/// Exit code of an invalid invocation or policy file.
pub const EXIT_USAGE: u8 = 2;

/// `--color`: 0 auto, 1 always, 2 never.
static COLOR: AtomicU8 = AtomicU8::new(0);

/// Sets `--color`.
pub fn set_color(choice: ColorChoice) {
    let value = match choice {
        ColorChoice::Auto => 0,
        ColorChoice::Always => 1,
        ColorChoice::Never => 2,
    };
    COLOR.store(value, Ordering::Relaxed);
}

/// Whether standard output gets colours: as `--color` says; with `auto`,
/// when `CLICOLOR_FORCE` is set (and not `0`), or on a terminal with
/// `NO_COLOR` unset or empty (<https://no-color.org>, <https://bixense.com/clicolors/>).
pub fn stdout_color() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    match COLOR.load(Ordering::Relaxed) {
        1 => true,
        2 => false,
        _ if set("CLICOLOR_FORCE") => true,
        _ => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Writes a rendered report or listing to `path`, or to stdout. A closed pipe
/// on stdout is not an error.
pub fn emit(text: &str, path: Option<&Path>) -> anyhow::Result<()> {
    match path {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write to standard output"),
            }
        }
    }
}

/// Prints an error message to stderr.
#[allow(clippy::print_stderr)]
pub fn error(message: &str) {
    eprintln!("error: {}", inert(message));
}

/// A message that may quote outside text (an API's error, a name), each of
/// its lines made visible and none a workflow command.
fn inert(message: &str) -> String {
    let lines: Vec<String> = message
        .split('\n')
        .map(|line| tenet_report::text::visible(line).into_owned())
        .collect();
    tenet_report::text::guard_lines(lines.join("\n"))
}

/// Whether notes and progress are off (`--quiet`).
static QUIET: AtomicBool = AtomicBool::new(false);

/// Turns notes and progress off (`--quiet`).
pub fn set_quiet() {
    QUIET.store(true, Ordering::Relaxed);
}

/// Whether notes and progress are off (`--quiet`).
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Prints a note to stderr, unless `--quiet`.
#[allow(clippy::print_stderr)]
pub fn note(message: &str) {
    if !quiet() {
        eprintln!("{}", inert(message));
    }
}

/// Logs tenet's own events to stderr at `-v` (info) or `-vv` (debug): never
/// the SDKs' or the HTTP clients', whose requests carry credentials.
pub fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => return,
        1 => "info",
        _ => "debug",
    };
    let directives = ["tenet", "tenet_github", "tenet_aws", "tenet_engine"]
        .map(|target| format!("{target}={level}"))
        .join(",");
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(directives))
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .without_time()
        .try_init();
}

/// Prints pre-rendered text (diagnostic snippets) to stderr as it is.
#[allow(clippy::print_stderr)]
pub fn raw_stderr(text: &str) {
    eprint!("{text}");
}
