//! The policy file as written: serde types that keep the span of every value.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// A `tenet.toml` before validation.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    pub fail_on: Option<Spanned<String>>,
    #[serde(default)]
    pub control_paths: Vec<Spanned<String>>,
    #[serde(default)]
    pub frameworks: Vec<Spanned<String>>,
    #[serde(default)]
    pub scope: RawScope,
    #[serde(default)]
    pub controls: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
    #[serde(default)]
    pub waivers: Vec<RawWaiver>,
    #[serde(default)]
    pub attestations: Vec<RawAttestation>,
    #[serde(default)]
    pub github: RawGithub,
    #[serde(default)]
    pub aws: RawAws,
    #[serde(default)]
    pub period: RawPeriod,
}

/// `[period]`: the audit period whose events are collected.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeriod {
    pub from: Option<Spanned<toml::Value>>,
    pub to: Option<Spanned<toml::Value>>,
}

/// `[github]`: how to reach GitHub.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGithub {
    pub api_url: Option<Spanned<String>>,
}

/// `[aws]`: how to reach AWS.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAws {
    #[serde(default)]
    pub regions: Vec<Spanned<String>>,
    #[serde(default)]
    pub accounts: Vec<RawAwsAccount>,
}

/// One `[[aws.accounts]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAwsAccount {
    pub role_arn: Spanned<String>,
    pub external_id: Option<String>,
    pub name: Option<String>,
}

/// `[scope]` before validation.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScope {
    #[serde(default)]
    pub github_orgs: Vec<Spanned<String>>,
    #[serde(default)]
    pub aws_accounts: Vec<Spanned<String>>,
    #[serde(default)]
    pub repositories: Vec<Spanned<String>>,
    #[serde(default)]
    pub exclude_repositories: Vec<Spanned<String>>,
    #[serde(default)]
    pub include_archived: bool,
    #[serde(default)]
    pub protected_branches: Vec<Spanned<String>>,
}

/// One `[[attestations]]` entry before validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAttestation {
    pub control: Spanned<String>,
    pub owner: Spanned<String>,
    pub evidence: Spanned<String>,
    pub attested_on: Spanned<toml::Value>,
    pub cadence_days: Option<Spanned<i64>>,
}

/// One `[[waivers]]` entry before validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWaiver {
    pub control: Spanned<String>,
    pub resource: Spanned<String>,
    pub reason: Spanned<String>,
    pub owner: Spanned<String>,
    pub expires: Spanned<toml::Value>,
    pub approver: Option<Spanned<String>>,
    pub approved: Option<Spanned<toml::Value>>,
    pub ticket: Option<Spanned<String>>,
}
