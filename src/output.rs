//! Where output goes: reports to stdout or a file, messages to stderr.

use std::{
    io::{IsTerminal, Write},
    path::Path,
};

use anyhow::Context;

/// Exit code of an invalid invocation or policy file.
pub const EXIT_USAGE: u8 = 2;

/// Whether standard output gets colours: a terminal, and `NO_COLOR` unset or
/// empty (<https://no-color.org>).
pub fn stdout_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
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
    eprintln!("error: {message}");
}

/// Prints a note to stderr.
#[allow(clippy::print_stderr)]
pub fn note(message: &str) {
    eprintln!("{message}");
}

/// Prints pre-rendered text (diagnostic snippets) to stderr as it is.
#[allow(clippy::print_stderr)]
pub fn raw_stderr(text: &str) {
    eprint!("{text}");
}
