//! `tenet completions` and `tenet man`: shell completions and the manual
//! page, generated from the command-line definition itself.

use clap::CommandFactory;

use crate::{
    cli::{Cli, CompletionsArgs},
    output,
};

/// Prints the completion script of a shell.
pub fn completions(args: &CompletionsArgs) -> anyhow::Result<u8> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "tenet", &mut script);
    output::emit(&String::from_utf8(script)?, None)?;
    Ok(0)
}

/// Prints the manual page, in roff.
pub fn man() -> anyhow::Result<u8> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    output::emit(&String::from_utf8(page)?, None)?;
    Ok(0)
}
