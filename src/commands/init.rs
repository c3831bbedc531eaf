//! `tenet init`: a commented starter policy file.

use std::io::Write;

use anyhow::Context;

use crate::{
    cli::{InitArgs, Template},
    output,
};

/// A typical SaaS security policy. A test checks that it parses.
const BASELINE: &str = include_str!("../../rules/policies/baseline.toml");
/// The strict policy. A test checks that it parses.
const STRICT: &str = include_str!("../../rules/policies/strict.toml");

/// Writes the chosen ready-made policy, refusing to overwrite an existing file.
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
    let text = match args.template {
        Template::Baseline => BASELINE,
        Template::Strict => STRICT,
    };
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    output::note(&format!(
        "wrote {}; edit its scope and attestations, then run `tenet evaluate SNAPSHOT --config {}`",
        args.output.display(),
        args.output.display()
    ));
    Ok(0)
}
