//! `--github-*` flags and the call into `tenet-github`.

use clap::Args;
use tenet_engine::Policy;
use tenet_inventory::github::GithubOrg;

/// GitHub flags of `collect` and `scan`.
#[derive(Debug, Args)]
#[command(next_help_heading = "GitHub")]
pub struct GithubArgs {
    /// Organization to collect (repeatable) [default: `github_orgs` of the
    /// policy's scope].
    #[arg(long = "github-org", value_name = "ORG")]
    pub orgs: Vec<String>,
}

/// Collects the given organizations.
pub async fn collect(
    _args: &GithubArgs,
    _policy: &Policy,
    orgs: &[String],
) -> anyhow::Result<Vec<GithubOrg>> {
    if orgs.is_empty() {
        return Ok(Vec::new());
    }
    anyhow::bail!("the GitHub connector is not available in this build yet")
}
