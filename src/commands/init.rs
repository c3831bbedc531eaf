//! `tenet init`: a commented starter policy file.

use std::io::Write;

use anyhow::Context;

use crate::{cli::InitArgs, output};

/// The starter policy. A test checks that it parses.
pub const STARTER: &str = include_str!("../../rules/policies/starter.toml");

/// Writes the starter policy, refusing to overwrite an existing file.
pub fn run(args: &InitArgs) -> anyhow::Result<u8> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&args.output)
        .with_context(|| {
            if args.output.exists() {
                format!(
                    "{} already exists; tenet init never overwrites a policy (move it away or pass --output)",
                    args.output.display()
                )
            } else {
                format!("cannot create {}", args.output.display())
            }
        })?;
    file.write_all(STARTER.as_bytes())
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    output::note(&format!(
        "wrote {}; edit its scope, then run `tenet evaluate SNAPSHOT --config {}`",
        args.output.display(),
        args.output.display()
    ));
    Ok(0)
}
