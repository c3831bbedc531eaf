//! Collects AWS accounts into `tenet_inventory` types.
//!
//! [`collect`] reads every account the [`AwsConfig`] names (the account of
//! the credentials, roles to assume, or every account of an Organization)
//! with a bounded number at a time. It never decides pass or fail, and it
//! fails closed: a call that fails makes exactly the facts it would have
//! given [`Observed::Unavailable`](tenet_inventory::Observed) with a reason
//! naming the missing permission, and collection goes on. Only a
//! configuration that cannot work at all is an `Err`.
//!
//! The API calls and the permissions they need are listed in the crate's
//! README.

mod accounts;
mod apigateway;
mod backup;
mod cloudformation;
mod cloudfront;
mod cloudtrail;
mod cloudwatch;
mod config;
mod convert;
mod credentials;
mod dynamodb;
mod ec2;
mod elb;
mod error;
mod iam;
mod kms;
mod lambda;
mod logs;
mod monitoring;
mod opensearch;
mod organizations;
mod pages;
mod rds;
mod regional;
mod regions;
mod requestlog;
mod required;
mod s3;
#[cfg(test)]
mod testing;

pub use accounts::{Progress, collect};
pub use aws_sdk_sts::config::Credentials;
pub use config::{AccountTarget, AwsConfig, ConfigError, Timeouts};
pub use iam::NON_VIRTUAL_DEVICE;
pub use s3::WithoutHostPrefix;

/// The AWS SDK crates this connector is built on, re-exported so that
/// callers (tests seeding an emulator, tools) build clients with the very
/// same versions.
pub mod sdk {
    pub use aws_config;
    pub use aws_sdk_apigateway as apigateway;
    pub use aws_sdk_backup as backup;
    pub use aws_sdk_cloudformation as cloudformation;
    pub use aws_sdk_cloudfront as cloudfront;
    pub use aws_sdk_cloudtrail as cloudtrail;
    pub use aws_sdk_cloudwatch as cloudwatch;
    pub use aws_sdk_cloudwatchlogs as logs;
    pub use aws_sdk_config as config;
    pub use aws_sdk_dynamodb as dynamodb;
    pub use aws_sdk_ec2 as ec2;
    pub use aws_sdk_elasticloadbalancingv2 as elbv2;
    pub use aws_sdk_guardduty as guardduty;
    pub use aws_sdk_iam as iam;
    pub use aws_sdk_kms as kms;
    pub use aws_sdk_lambda as lambda;
    pub use aws_sdk_opensearch as opensearch;
    pub use aws_sdk_organizations as organizations;
    pub use aws_sdk_rds as rds;
    pub use aws_sdk_s3 as s3;
    pub use aws_sdk_s3control as s3control;
    pub use aws_sdk_securityhub as securityhub;
    pub use aws_sdk_sts as sts;
}
