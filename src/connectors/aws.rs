//! `--aws*` flags and the call into `tenet-aws`.

use clap::Args;
use tenet_engine::Policy;
use tenet_inventory::aws::AwsAccount;

/// AWS flags of `collect` and `scan`.
#[derive(Debug, Args)]
#[command(next_help_heading = "AWS")]
pub struct AwsArgs {
    /// Collect AWS: the account of the default credentials, or the
    /// `[[aws.accounts]]` of the policy.
    #[arg(long)]
    pub aws: bool,
}

impl AwsArgs {
    /// Whether AWS is to be collected, by flag or by policy.
    pub fn wanted(&self, policy: &Policy) -> bool {
        self.aws || !policy.aws.accounts.is_empty() || !policy.scope.aws_accounts.is_empty()
    }
}

/// Collects the accounts the flags and policy name.
pub async fn collect(args: &AwsArgs, policy: &Policy) -> anyhow::Result<Vec<AwsAccount>> {
    if !args.wanted(policy) {
        return Ok(Vec::new());
    }
    anyhow::bail!("the AWS connector is not available in this build yet")
}
