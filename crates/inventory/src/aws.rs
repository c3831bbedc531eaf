//! Facts about AWS accounts.
//!
//! Policy documents are kept as the JSON the API returned (URL-decoded), so
//! the IAM policy analyzer sees exactly what AWS enforces.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Observed, collector::AwsReader};

/// One AWS account and everything collected about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AwsAccount {
    /// The 12-digit account id.
    pub account_id: String,
    /// A display name (from the policy or AWS Organizations).
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub name: Option<String>,
    /// Who read the account; `None` in snapshots that did not record it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_by: Option<AwsReader>,
    /// The root user.
    #[serde(default)]
    pub root: RootUser,
    /// IAM users, sorted by name.
    #[serde(default)]
    pub users: Observed<Vec<IamUser>>,
    /// IAM groups, sorted by name.
    #[serde(default)]
    pub groups: Observed<Vec<IamGroup>>,
    /// IAM roles, sorted by name.
    #[serde(default)]
    pub roles: Observed<Vec<IamRole>>,
    /// Managed policies attached to anyone (customer and AWS managed).
    #[serde(default)]
    pub policies: Observed<Vec<ManagedPolicy>>,
    /// The AWS Organizations service control policies that bound what the
    /// account's principals may do, from the organization's root down to
    /// the account; `None` when none applies (the account is in no
    /// organization, is the organization's management account, or the
    /// organization has not enabled service control policies).
    #[serde(default)]
    pub service_control_policies: Observed<Option<Vec<ScpLevel>>>,
    /// The account password policy; `None` when the account has none.
    #[serde(default)]
    pub password_policy: Observed<Option<PasswordPolicy>>,
    /// S3 buckets, sorted by name.
    #[serde(default)]
    pub s3_buckets: Observed<Vec<S3Bucket>>,
    /// Application and network load balancers.
    #[serde(default)]
    pub load_balancers: Observed<Vec<LoadBalancer>>,
    /// CloudTrail trails.
    #[serde(default)]
    pub trails: Observed<Vec<Trail>>,
    /// The account-wide S3 Block Public Access (`s3control`), which AWS
    /// combines with each bucket's, setting by setting; `None` when not
    /// configured.
    #[serde(default)]
    pub s3_account_public_access_block: Observed<Option<PublicAccessBlock>>,
    /// CloudFront distributions (a global service), sorted by id.
    #[serde(default)]
    pub cloudfront_distributions: Observed<Vec<Distribution>>,
    /// The regions read, sorted by name, each with its own regional facts:
    /// the policy's `regions`, or every region enabled in the account.
    #[serde(default)]
    pub regions: Observed<Vec<AwsRegion>>,
    /// `regions` are every region enabled in the account, not the policy's
    /// list: what none of them has, the account has not. `false` when
    /// absent.
    #[serde(default)]
    pub all_regions: bool,
}

/// The regional facts of one region of an account; each is unavailable on
/// its own when its call failed there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AwsRegion {
    /// The region, e.g. `eu-west-1`.
    pub name: String,
    /// New EBS volumes are encrypted by default in this region.
    #[serde(default)]
    pub ebs_encryption_by_default: Observed<bool>,
    /// EBS volumes, sorted by id.
    #[serde(default)]
    pub volumes: Observed<Vec<EbsVolume>>,
    /// EC2 instances that are not terminated, sorted by id.
    #[serde(default)]
    pub instances: Observed<Vec<Ec2Instance>>,
    /// Security groups, sorted by id.
    #[serde(default)]
    pub security_groups: Observed<Vec<SecurityGroup>>,
    /// VPCs, sorted by id.
    #[serde(default)]
    pub vpcs: Observed<Vec<Vpc>>,
    /// Flow logs of the region's VPCs, subnets and interfaces, sorted by id.
    #[serde(default)]
    pub flow_logs: Observed<Vec<FlowLog>>,
    /// RDS database instances (Aurora's included), sorted by identifier.
    #[serde(default)]
    pub db_instances: Observed<Vec<DbInstance>>,
    /// RDS DB clusters (Aurora, Multi-AZ DB clusters), sorted by identifier.
    #[serde(default)]
    pub db_clusters: Observed<Vec<DbCluster>>,
    /// The DB parameter groups of the instances outside a cluster, sorted by
    /// name.
    #[serde(default)]
    pub db_parameter_groups: Observed<Vec<DbParameterGroup>>,
    /// The DB cluster parameter groups of the clusters, sorted by name.
    #[serde(default)]
    pub db_cluster_parameter_groups: Observed<Vec<DbParameterGroup>>,
    /// The region's GuardDuty detector; `None` when there is none.
    #[serde(default)]
    pub guardduty: Observed<Option<GuardDutyDetector>>,
    /// The region's AWS Config configuration recorders, sorted by name.
    #[serde(default)]
    pub config_recorders: Observed<Vec<ConfigRecorder>>,
    /// Security Hub is enabled (the account is subscribed) in the region.
    #[serde(default)]
    pub security_hub_enabled: Observed<bool>,
    /// CloudWatch Logs log groups, sorted by name.
    #[serde(default)]
    pub log_groups: Observed<Vec<LogGroup>>,
    /// CloudWatch Logs metric filters, sorted by log group and name.
    #[serde(default)]
    pub metric_filters: Observed<Vec<MetricFilter>>,
    /// CloudWatch metric alarms, sorted by name.
    #[serde(default)]
    pub alarms: Observed<Vec<MetricAlarm>>,
    /// KMS keys the customer manages, sorted by id.
    #[serde(default)]
    pub kms_keys: Observed<Vec<KmsKey>>,
    /// DynamoDB tables, sorted by name.
    #[serde(default)]
    pub dynamodb_tables: Observed<Vec<DynamoDbTable>>,
    /// OpenSearch Service domains, sorted by name.
    #[serde(default)]
    pub opensearch_domains: Observed<Vec<SearchDomain>>,
    /// API Gateway REST APIs, sorted by id.
    #[serde(default)]
    pub rest_apis: Observed<Vec<RestApi>>,
    /// API Gateway custom domain names (REST, HTTP and WebSocket APIs share
    /// them), sorted by name.
    #[serde(default)]
    pub api_domain_names: Observed<Vec<ApiDomainName>>,
    /// AWS Backup plans, sorted by name.
    #[serde(default)]
    pub backup_plans: Observed<Vec<BackupPlan>>,
    /// The resource types opted in to AWS Backup (`EBS`, `RDS`, `Aurora`,
    /// …): a selection by tags backs up only those.
    #[serde(default)]
    pub backup_opt_in: Observed<BTreeMap<String, bool>>,
    /// Lambda functions, sorted by name.
    #[serde(default)]
    pub lambda_functions: Observed<Vec<LambdaFunction>>,
    /// CloudFormation stacks that are not deleted, sorted by name.
    #[serde(default)]
    pub stacks: Observed<Vec<CloudFormationStack>>,
}

/// A CloudFormation stack.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CloudFormationStack {
    /// The stack name.
    pub name: String,
    /// The stack id (its ARN).
    pub id: String,
    /// Its status (`CREATE_COMPLETE`, `UPDATE_ROLLBACK_COMPLETE`, …).
    pub status: String,
    /// The ARN of its service role, which CloudFormation creates, updates
    /// and deletes its resources as; `None` when it has none (the caller's
    /// own permissions are used).
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub role: Option<String>,
}

/// A Lambda function (its unpublished version).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LambdaFunction {
    /// The function name.
    pub name: String,
    /// The function's ARN.
    pub arn: String,
    /// The ARN of its execution role, which its code runs as.
    pub role: String,
}

/// An OpenSearch Service domain (OpenSearch or Elasticsearch).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SearchDomain {
    /// The domain's name.
    pub name: String,
    /// The domain's ARN.
    pub arn: String,
    /// Its endpoint refuses plain HTTP.
    pub enforce_https: bool,
    /// Its endpoint's TLS security policy (`Policy-Min-TLS-1-2-2019-07`, …).
    pub tls_policy: String,
    /// Traffic between its nodes is encrypted.
    pub node_to_node_encryption: bool,
    /// Its data, logs and snapshots are encrypted at rest.
    pub encryption_at_rest: bool,
}

/// An API Gateway REST API and the TLS its default `execute-api` endpoint
/// accepts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RestApi {
    /// The API's id.
    pub id: String,
    /// The API's name.
    pub name: String,
    /// The API's ARN (`arn:aws:apigateway:REGION::/restapis/ID`).
    pub arn: String,
    /// Its endpoint types: `EDGE`, `REGIONAL` or `PRIVATE`.
    pub endpoint_types: Vec<String>,
    /// Its default `execute-api` endpoint is turned off: clients reach it
    /// through custom domain names only.
    pub execute_api_endpoint_disabled: bool,
    /// The security policy set on the API (`TLS_1_2`,
    /// `SecurityPolicy_TLS13_1_3_2025_09`, …); `None` when none is set and
    /// API Gateway's default for its endpoint type applies.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub security_policy: Option<String>,
}

/// An API Gateway custom domain name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ApiDomainName {
    /// The domain name, e.g. `api.example.com`.
    pub name: String,
    /// Its ARN (`arn:aws:apigateway:REGION::/domainnames/NAME`).
    pub arn: String,
    /// Its endpoint types: `EDGE`, `REGIONAL` or `PRIVATE`.
    pub endpoint_types: Vec<String>,
    /// Its security policy (`TLS_1_0`, `TLS_1_2`, `SecurityPolicy_…`).
    pub security_policy: String,
}

/// An AWS Backup plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BackupPlan {
    /// The plan id.
    pub id: String,
    /// The plan's name.
    pub name: String,
    /// Its rules (when and how long backups are kept), sorted by name.
    #[serde(default)]
    pub rules: Observed<Vec<BackupRule>>,
    /// Its resource selections (what it backs up), sorted by name.
    #[serde(default)]
    pub selections: Observed<Vec<BackupSelection>>,
}

/// A rule of a backup plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BackupRule {
    /// The rule's name.
    pub name: String,
    /// Days its recovery points are kept; `None` when they are kept until
    /// deleted by hand.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub delete_after_days: Option<u32>,
}

/// A resource selection of a backup plan, as AWS Backup reads it: the
/// resources it names (none is every resource) less `not_resources`,
/// narrowed to those that match a `list_of_tags` entry (when there is one)
/// and every one of `conditions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BackupSelection {
    /// The selection id.
    pub id: String,
    /// The selection's name.
    pub name: String,
    /// Resource ARNs and ARN patterns (`*` is every resource).
    pub resources: Vec<String>,
    /// Resource ARNs and ARN patterns left out.
    pub not_resources: Vec<String>,
    /// Tags, any of which selects a resource (`STRINGEQUALS` on a tag key).
    pub list_of_tags: Vec<TagCondition>,
    /// Conditions every selected resource matches (`StringEquals`,
    /// `StringNotEquals`, `StringLike`, `StringNotLike` on
    /// `aws:ResourceTag/KEY`).
    pub conditions: Vec<TagCondition>,
}

/// One tag condition of a backup selection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TagCondition {
    /// `STRINGEQUALS` (in `list_of_tags`), or `StringEquals`, `StringLike`,
    /// … (in `conditions`).
    pub operator: String,
    /// The tag key (`list_of_tags`) or condition key (`conditions`).
    pub key: String,
    /// The value compared with.
    pub value: String,
}

/// A CloudWatch Logs log group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LogGroup {
    /// The group's name, e.g. `/aws/cloudtrail/main`.
    pub name: String,
    /// Days its events are kept; `None` when they never expire.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub retention_days: Option<u32>,
}

/// A CloudWatch Logs metric filter: a pattern over a log group's events and
/// the metrics it counts them in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MetricFilter {
    /// The filter's name.
    pub name: String,
    /// The log group it reads.
    pub log_group: String,
    /// The filter pattern, as written.
    pub pattern: String,
    /// The metrics it publishes to.
    pub metrics: Vec<MetricName>,
}

/// A CloudWatch metric, by namespace and name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MetricName {
    /// The namespace, e.g. `CloudTrailMetrics`.
    pub namespace: String,
    /// The metric's name.
    pub name: String,
}

/// A CloudWatch metric alarm.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MetricAlarm {
    /// The alarm's name.
    pub name: String,
    /// The metric it watches; `None` for an alarm on a metric math
    /// expression.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub metric: Option<MetricName>,
    /// Its actions run when its state changes.
    pub actions_enabled: bool,
    /// What it does on entering the ALARM state (SNS topics, …).
    pub alarm_actions: Vec<String>,
}

/// A KMS key managed by the customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct KmsKey {
    /// The key id (a UUID, or `mrk-…` for a multi-Region key).
    pub id: String,
    /// The key's ARN.
    pub arn: String,
    /// `SYMMETRIC_DEFAULT`, `RSA_2048`, `HMAC_256`, …
    pub spec: String,
    /// Where the key material is from: `AWS_KMS`, `EXTERNAL`,
    /// `AWS_CLOUDHSM` or `EXTERNAL_KEY_STORE`.
    pub origin: String,
    /// `Enabled`, `Disabled`, `PendingDeletion`, …
    pub state: String,
    /// Automatic rotation of the key material is on. Read only for the keys
    /// KMS can rotate (enabled symmetric keys with material from KMS); for
    /// the others it says why it was not read.
    #[serde(default)]
    pub rotation_enabled: Observed<bool>,
}

/// A DynamoDB table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DynamoDbTable {
    /// The table's name.
    pub name: String,
    /// Point-in-time recovery is on.
    #[serde(default)]
    pub point_in_time_recovery: Observed<bool>,
}

/// A GuardDuty detector (a region has at most one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GuardDutyDetector {
    /// The detector id.
    pub id: String,
    /// The detector's status is `ENABLED`.
    pub enabled: bool,
}

/// An AWS Config configuration recorder and its status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ConfigRecorder {
    /// The recorder's name.
    pub name: String,
    /// It records every supported resource type of the region.
    pub all_supported: bool,
    /// It also records global resource types (IAM).
    pub include_global_resource_types: bool,
    /// It is recording now.
    pub recording: bool,
}

/// An RDS database instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DbInstance {
    /// The instance identifier.
    pub id: String,
    /// The instance's ARN.
    pub arn: String,
    /// `postgres`, `mysql`, `aurora-postgresql`, …
    pub engine: String,
    /// The storage (and its snapshots and backups) is encrypted at rest.
    pub storage_encrypted: bool,
    /// The instance has a public DNS name and address.
    pub publicly_accessible: bool,
    /// Days automated backups are kept; 0 when they are off.
    pub backup_retention_days: u32,
    /// The DB cluster the instance is a member of (its storage, backups and
    /// TLS settings are the cluster's); `None` for an instance on its own.
    #[serde(default)]
    pub cluster: Observed<Option<String>>,
    /// The DB parameter groups applied to the instance.
    #[serde(default)]
    pub parameter_groups: Observed<Vec<ParameterGroupStatus>>,
}

/// A parameter group applied to a database and whether its values apply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ParameterGroupStatus {
    /// The group's name.
    pub name: String,
    /// `in-sync`, `applying` or `pending-reboot` (a change to a static
    /// parameter waits for the next reboot).
    pub apply_status: String,
}

/// An RDS DB cluster: an Aurora cluster or a Multi-AZ DB cluster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DbCluster {
    /// The cluster identifier.
    pub id: String,
    /// The cluster's ARN.
    pub arn: String,
    /// `aurora-postgresql`, `aurora-mysql`, `postgres`, `mysql`, …
    pub engine: String,
    /// The cluster's storage (and its snapshots and backups) is encrypted at
    /// rest.
    pub storage_encrypted: bool,
    /// Days automated backups are kept.
    pub backup_retention_days: u32,
    /// The DB cluster parameter group.
    pub parameter_group: String,
    /// The member instances, sorted by identifier.
    pub members: Vec<ClusterMember>,
}

/// An instance of a DB cluster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ClusterMember {
    /// The instance identifier.
    pub instance: String,
    /// Whether the cluster's parameter group applies on it: `in-sync`,
    /// `applying` or `pending-reboot`.
    pub parameter_group_status: String,
}

/// A DB parameter group or DB cluster parameter group, with the
/// parameters that decide whether connections must use TLS.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DbParameterGroup {
    /// The group's name.
    pub name: String,
    /// `rds.force_ssl` and `require_secure_transport`, those of them the
    /// group has, by name. A parameter the group does not list is absent.
    pub tls_parameters: Observed<BTreeMap<String, DbParameter>>,
}

/// One parameter of a parameter group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DbParameter {
    /// The value; `None` when the group leaves it to the engine's default.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub value: Option<String>,
    /// `dynamic` (a change applies at once) or `static` (at the next
    /// reboot); `None` when AWS did not say.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub apply_type: Option<String>,
}

/// A VPC.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Vpc {
    /// The VPC id, e.g. `vpc-0abc…`.
    pub id: String,
    /// The region's default VPC.
    pub is_default: bool,
}

/// A flow log: which resource's traffic it records, and whether it does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FlowLog {
    /// The flow log id, e.g. `fl-0abc…`.
    pub id: String,
    /// The VPC, subnet or network interface it records.
    pub resource_id: String,
    /// `ALL`, `ACCEPT` or `REJECT`.
    pub traffic_type: String,
    /// `ACTIVE` while it records.
    pub status: String,
    /// The CloudWatch Logs log group it delivers to; `None` when it
    /// delivers to S3 or Firehose.
    #[serde(default)]
    pub log_group: Observed<Option<String>>,
}

/// An EC2 instance that is not terminated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Ec2Instance {
    /// The instance id, e.g. `i-0abc…`.
    pub id: String,
    /// Its state: `pending`, `running`, `stopping`, `stopped` or
    /// `shutting-down`.
    pub state: String,
    /// The ARN of its instance profile, whose role it runs as; `None` when
    /// it has none.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub instance_profile: Option<String>,
}

/// An EBS volume.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EbsVolume {
    /// The volume id, e.g. `vol-0abc…`.
    pub id: String,
    /// The volume's data is encrypted at rest.
    pub encrypted: bool,
    /// The instances it is attached to.
    pub attached_to: Vec<String>,
}

/// A VPC security group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SecurityGroup {
    /// The group id, e.g. `sg-0abc…`.
    pub id: String,
    /// The group name (`default` for a VPC's default group).
    pub name: String,
    /// The VPC it belongs to.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub vpc_id: Option<String>,
    /// Inbound rules.
    pub ingress: Vec<SecurityGroupRule>,
    /// Outbound rules.
    pub egress: Vec<SecurityGroupRule>,
}

/// One permission of a security group: a protocol and port range, and who
/// it admits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SecurityGroupRule {
    /// `tcp`, `udp`, `icmp`, `icmpv6`, a protocol number, or `-1` (all).
    pub protocol: String,
    /// The first port (ICMP type), for TCP, UDP and ICMP; `None` for all.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub from_port: Option<i32>,
    /// The last port (ICMP code), for TCP, UDP and ICMP; `None` for all.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub to_port: Option<i32>,
    /// IPv4 CIDR blocks.
    pub ipv4_ranges: Vec<String>,
    /// IPv6 CIDR blocks.
    pub ipv6_ranges: Vec<String>,
    /// Managed prefix list ids.
    pub prefix_lists: Vec<String>,
    /// Security group ids (of this or another account).
    pub groups: Vec<String>,
}

/// Facts about the root user (`GetAccountSummary`, virtual MFA devices).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RootUser {
    /// The root user has an MFA device.
    #[serde(default)]
    pub mfa_enabled: Observed<bool>,
    /// The root user's MFA device is a hardware device, not a virtual one.
    #[serde(default)]
    pub hardware_mfa: Observed<bool>,
    /// The root user has access keys.
    #[serde(default)]
    pub access_keys_present: Observed<bool>,
}

/// One IAM user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IamUser {
    /// The user name.
    pub name: String,
    /// The user's ARN.
    pub arn: String,
    /// When the user was created.
    pub created: DateTime<Utc>,
    /// The user can sign in to the console (has a login profile).
    #[serde(default)]
    pub console_access: Observed<bool>,
    /// When the password was last used; `None` if never.
    #[serde(default)]
    pub password_last_used: Observed<Option<DateTime<Utc>>>,
    /// MFA devices assigned to the user.
    #[serde(default)]
    pub mfa_devices: Observed<Vec<MfaDevice>>,
    /// The user's access keys.
    #[serde(default)]
    pub access_keys: Observed<Vec<AccessKey>>,
    /// Names of the groups the user belongs to.
    pub groups: Vec<String>,
    /// ARNs of managed policies attached directly to the user.
    pub attached_policies: Vec<String>,
    /// Inline policies of the user.
    pub inline_policies: Vec<InlinePolicy>,
    /// The ARN of the managed policy that is the user's permissions
    /// boundary; `None` when it has none (what its policies grant is then
    /// unbounded, the cautious reading of a snapshot without the key).
    #[serde(default)]
    pub permissions_boundary: Option<String>,
}

/// An MFA device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MfaDevice {
    /// The device's serial number or ARN.
    pub serial: String,
    /// A virtual (software) device, as opposed to a hardware key or token.
    pub is_virtual: bool,
}

/// Whether an access key can be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum KeyStatus {
    /// The key works.
    Active,
    /// The key is disabled.
    Inactive,
}

/// An access key of an IAM user. The secret is never read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AccessKey {
    /// The access key id (an identifier, not a secret).
    pub id: String,
    /// Active or inactive.
    pub status: KeyStatus,
    /// When the key was created (last rotated).
    pub created: DateTime<Utc>,
    /// When the key was last used; `None` if never.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub last_used: Option<DateTime<Utc>>,
}

/// An inline policy of a user, group or role.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct InlinePolicy {
    /// The policy name.
    pub name: String,
    /// The policy document.
    pub document: Value,
}

/// An IAM group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IamGroup {
    /// The group name.
    pub name: String,
    /// The group's ARN.
    pub arn: String,
    /// ARNs of attached managed policies.
    pub attached_policies: Vec<String>,
    /// Inline policies.
    pub inline_policies: Vec<InlinePolicy>,
}

/// An IAM role.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IamRole {
    /// The role name.
    pub name: String,
    /// The role's ARN.
    pub arn: String,
    /// The trust policy (who may assume the role).
    pub trust_policy: Value,
    /// ARNs of attached managed policies.
    pub attached_policies: Vec<String>,
    /// Inline policies.
    pub inline_policies: Vec<InlinePolicy>,
    /// The ARN of the managed policy that is the role's permissions
    /// boundary; `None` when it has none.
    #[serde(default)]
    pub permissions_boundary: Option<String>,
    /// The ARNs of the instance profiles the role is in, sorted: the EC2
    /// instances launched with one of them run as the role.
    #[serde(default)]
    pub instance_profiles: Observed<Vec<String>>,
    /// The role's tags, key to value (keys are case-sensitive).
    #[serde(default)]
    pub tags: Observed<BTreeMap<String, String>>,
}

/// The service control policies attached at one level of an organization:
/// its root, an organizational unit, or the account itself. An action is
/// allowed at a level when one of its policies allows it; an account's
/// principals may do only what every level allows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScpLevel {
    /// The root (`r-…`), organizational unit (`ou-…`) or account id.
    pub target: String,
    /// The policies attached there, sorted by id.
    pub policies: Vec<ServiceControlPolicy>,
}

/// One service control policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ServiceControlPolicy {
    /// The policy id (`p-…`, or `p-FullAWSAccess`).
    pub id: String,
    /// The policy name.
    pub name: String,
    /// The policy document.
    pub document: Value,
}

/// A managed policy with its default version's document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ManagedPolicy {
    /// The policy's ARN.
    pub arn: String,
    /// The policy name.
    pub name: String,
    /// Managed by AWS rather than by the account.
    pub aws_managed: bool,
    /// The default version's document.
    pub document: Value,
}

/// The account password policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordPolicy {
    /// Minimum length.
    pub minimum_password_length: u32,
    /// Requires a symbol.
    pub require_symbols: bool,
    /// Requires a number.
    pub require_numbers: bool,
    /// Requires an uppercase letter.
    pub require_uppercase_characters: bool,
    /// Requires a lowercase letter.
    pub require_lowercase_characters: bool,
    /// Users may change their own password.
    pub allow_users_to_change_password: bool,
    /// Days before a password expires; `None` when passwords never expire.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub max_password_age: Option<u32>,
    /// Number of previous passwords that cannot be reused.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub password_reuse_prevention: Option<u32>,
    /// An expired password can only be reset by an administrator.
    pub hard_expiry: bool,
}

/// An S3 bucket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct S3Bucket {
    /// The bucket name.
    pub name: String,
    /// The bucket's region.
    #[serde(default)]
    pub region: Observed<String>,
    /// The bucket policy; `None` when the bucket has none.
    #[serde(default)]
    pub policy: Observed<Option<Value>>,
    /// The bucket's public access block; `None` when not configured.
    #[serde(default)]
    pub public_access_block: Observed<Option<PublicAccessBlock>>,
    /// Default encryption algorithm (`AES256`, `aws:kms`, …); `None` when off.
    #[serde(default)]
    pub encryption: Observed<Option<String>>,
    /// Object versioning is on (`Enabled`; never enabled and `Suspended` are
    /// off).
    #[serde(default)]
    pub versioning: Observed<bool>,
    /// Server access logging: the bucket the access logs go to; `None` when
    /// off.
    #[serde(default)]
    pub access_logging: Observed<Option<String>>,
    /// Days after which the target bucket's lifecycle deletes this bucket's
    /// access logs; `None` when they are kept until deleted by hand (or
    /// when there are no access logs).
    #[serde(default)]
    pub access_log_retention_days: Observed<Option<u32>>,
    /// The bucket's tags, by key.
    #[serde(default)]
    pub tags: Observed<BTreeMap<String, String>>,
}

/// An S3 public access block configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PublicAccessBlock {
    /// Rejects public ACLs.
    pub block_public_acls: bool,
    /// Ignores public ACLs.
    pub ignore_public_acls: bool,
    /// Rejects public bucket policies.
    pub block_public_policy: bool,
    /// Restricts access to buckets with public policies.
    pub restrict_public_buckets: bool,
}

/// An application or network load balancer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LoadBalancer {
    /// The load balancer's ARN.
    pub arn: String,
    /// Its name.
    pub name: String,
    /// `application`, `network` or `gateway`.
    pub kind: String,
    /// Its listeners.
    #[serde(default)]
    pub listeners: Observed<Vec<Listener>>,
    /// Access logs: the S3 bucket they go to; `None` when off.
    #[serde(default)]
    pub access_logs: Observed<Option<String>>,
    /// Days after which that bucket's lifecycle deletes the access logs;
    /// `None` when they are kept until deleted by hand (or when there are
    /// no access logs).
    #[serde(default)]
    pub access_log_retention_days: Observed<Option<u32>>,
}

/// A load balancer listener.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Listener {
    /// The listener's ARN.
    pub arn: String,
    /// The port.
    pub port: u16,
    /// `HTTP`, `HTTPS`, `TCP`, `TLS`, …
    pub protocol: String,
    /// The TLS security policy, for TLS listeners.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub ssl_policy: Option<String>,
    /// Default actions.
    pub default_actions: Vec<ListenerAction>,
}

/// A listener's default action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ListenerAction {
    /// `forward`, `redirect`, `fixed-response`, …
    pub kind: String,
    /// For redirects, the protocol redirected to.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub redirect_protocol: Option<String>,
}

/// A CloudFront distribution: how viewers and origins are reached.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Distribution {
    /// The distribution id, e.g. `EDFDVBD6EXAMPLE`.
    pub id: String,
    /// Its ARN.
    pub arn: String,
    /// Its `*.cloudfront.net` domain name.
    pub domain_name: String,
    /// It serves requests.
    pub enabled: bool,
    /// The default cache behavior (path pattern `*`) and the others.
    pub behaviors: Vec<CacheBehavior>,
    /// It uses the `*.cloudfront.net` certificate (whose security policy
    /// is always TLSv1).
    pub default_certificate: bool,
    /// The viewer security policy, e.g. `TLSv1.2_2021`.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub minimum_protocol_version: Option<String>,
    /// Its origins.
    pub origins: Vec<DistributionOrigin>,
}

/// A cache behavior of a distribution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CacheBehavior {
    /// The path pattern; `*` for the default behavior.
    pub path_pattern: String,
    /// `allow-all`, `https-only` or `redirect-to-https`.
    pub viewer_protocol_policy: String,
}

/// An origin of a distribution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DistributionOrigin {
    /// The origin id within the distribution.
    pub id: String,
    /// `custom` (a web server, a load balancer, an S3 website), `s3` (an
    /// S3 bucket's REST endpoint) or `vpc` (a VPC origin).
    pub kind: String,
    /// For custom origins: `http-only`, `match-viewer` or `https-only`.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub protocol_policy: Option<String>,
    /// For custom origins: the TLS versions CloudFront may use with it.
    pub ssl_protocols: Vec<String>,
}

/// A CloudTrail trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Trail {
    /// The trail's ARN.
    pub arn: String,
    /// Its name.
    pub name: String,
    /// The region it was created in.
    pub home_region: String,
    /// Records events of every region.
    pub multi_region: bool,
    /// Log-file integrity validation is on.
    pub log_file_validation: bool,
    /// The trail is currently logging.
    #[serde(default)]
    pub is_logging: Observed<bool>,
    /// The bucket it writes to.
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(required, transform = crate::schema::nullable)
    )]
    pub s3_bucket: Option<String>,
    /// Days after which the bucket's lifecycle deletes logs; `None` if never.
    #[serde(default)]
    pub retention_days: Observed<Option<u32>>,
    /// The ARN of the CloudWatch Logs log group it also delivers to; `None`
    /// when it delivers to S3 only.
    #[serde(default)]
    pub cloudwatch_log_group: Observed<Option<String>>,
}
