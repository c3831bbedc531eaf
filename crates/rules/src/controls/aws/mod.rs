//! AWS controls: one module per control, named after its id without
//! `aws.`; shared walks in `*_common`.

mod ec2_common;
mod filter_pattern;
mod rds_common;
mod s3_common;

pub mod backup_tagged_resources;
pub mod cloudfront_tls;
pub mod cloudtrail;
pub mod cloudwatch_security_alarms;
pub mod config_recording;
pub mod console_mfa;
pub mod dynamodb_pitr;
pub mod ebs_encryption_by_default;
pub mod ebs_volumes_encrypted;
pub mod ec2_default_sg_closed;
pub mod ec2_no_open_admin_ports;
pub mod elb_access_logs;
pub mod elb_tls;
pub mod guardduty_enabled;
pub mod iam_access_key_rotation;
pub mod iam_admin_mfa;
pub mod iam_max_admins;
pub mod iam_no_full_admin;
pub mod iam_no_privilege_escalation;
pub mod iam_no_user_policies;
pub mod iam_password_policy;
pub mod iam_unused_credentials;
pub mod kms_key_rotation;
pub mod logs_retention;
pub mod rds_backups;
pub mod rds_encrypted;
pub mod rds_not_public;
pub mod rds_tls;
pub mod root_access_keys;
pub mod root_hardware_mfa;
pub mod root_mfa;
pub mod s3_access_logging;
pub mod s3_no_public_policy;
pub mod s3_public_access_block;
pub mod s3_sse_kms;
pub mod s3_tls_only;
pub mod s3_versioning;
pub mod securityhub_enabled;
pub mod vpc_flow_logs;
