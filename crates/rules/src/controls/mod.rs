//! One module per control, named after its id.

pub mod aws_console_mfa;
pub mod aws_root_mfa;
pub mod github_members_two_factor;
pub mod github_org_two_factor;
