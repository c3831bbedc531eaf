//! `tenet validate`: a policy file checked on its own, as in the pull
//! request that changes it.

use crate::{cli::ValidateArgs, commands::evaluate::load_policy, output};

/// Checks the policy file; its problems are rendered by `main` (exit 2).
pub fn run(args: &ValidateArgs) -> anyhow::Result<u8> {
    let policy = load_policy(&args.file, &args.control_paths)?;
    let enabled = policy
        .catalog
        .controls()
        .iter()
        .filter(|control| policy.enables(&control.meta))
        .count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    output::emit(
        &format!(
            "{}: valid; {enabled} of {} controls on, {}, {}\n",
            args.file.display(),
            policy.catalog.controls().len(),
            plural(policy.waivers.len(), "waiver"),
            plural(policy.attestations.len(), "attestation"),
        ),
        None,
    )?;
    Ok(0)
}
