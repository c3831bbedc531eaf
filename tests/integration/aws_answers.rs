//! `tenet scan --aws` against moto server through a proxy that takes one
//! element out of one kind of answer: a finding that fails on the clean
//! scan stays failing or becomes `error`, never passes or disappears.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::{
    aws::{seed, seeded, tenet_aws},
    rewriting_proxy::{Edit, Mutation, Proxy},
};

/// Each answer AWS always sends whole, with one element taken out.
const MUTATIONS: &[Mutation] = &[
    xml("GetAccountAuthorizationDetails", "UserDetailList"),
    xml("GetAccountAuthorizationDetails", "GroupDetailList"),
    xml("GetAccountAuthorizationDetails", "RoleDetailList"),
    xml("GetAccountAuthorizationDetails", "Policies"),
    xml(
        "GetAccountAuthorizationDetails",
        "GetAccountAuthorizationDetailsResult",
    ),
    xml("GetAccountSummary", "SummaryMap"),
    xml("GetCredentialReport", "Content"),
    xml("GenerateCredentialReport", "State"),
    xml("ListVirtualMFADevices", "VirtualMFADevices"),
    xml("GetAccountPasswordPolicy", "PasswordPolicy"),
    xml("ListBuckets", "Buckets"),
    xml("ListBuckets", "Owner"),
    xml("GetPublicAccessBlock", "BlockPublicPolicy"),
    xml("GetPublicAccessBlock", "PublicAccessBlockConfiguration"),
    xml("GetBucketEncryption", "Rule"),
    xml("GetBucketLifecycleConfiguration", "Rule"),
    Mutation {
        operation: "GetBucketPolicy",
        edit: Edit::Body,
    },
    Mutation {
        operation: "DescribeTrails",
        edit: Edit::JsonKey("trailList"),
    },
    Mutation {
        operation: "GetTrailStatus",
        edit: Edit::JsonKey("IsLogging"),
    },
    xml(
        "GetAccountPublicAccessBlock",
        "PublicAccessBlockConfiguration",
    ),
    xml("GetAccountPublicAccessBlock", "RestrictPublicBuckets"),
    xml("DescribeSecurityGroups", "securityGroupInfo"),
    xml("DescribeSecurityGroups", "ipRanges"),
    xml("DescribeSecurityGroups", "ipProtocol"),
    xml("DescribeSecurityGroups", "cidrIp"),
    xml("DescribeVolumes", "volumeSet"),
    xml("DescribeVolumes", "encrypted"),
    xml("GetEbsEncryptionByDefault", "ebsEncryptionByDefault"),
    xml("DescribeVpcs", "vpcSet"),
    xml("DescribeFlowLogs", "flowLogSet"),
    xml("DescribeFlowLogs", "resourceId"),
    xml("DescribeDBInstances", "DBInstances"),
    xml("DescribeDBInstances", "StorageEncrypted"),
    xml("DescribeDBInstances", "PubliclyAccessible"),
    xml("DescribeDBInstances", "BackupRetentionPeriod"),
    Mutation {
        operation: "GetDetector",
        edit: Edit::JsonKey("status"),
    },
    Mutation {
        operation: "DescribeConfigurationRecorderStatus",
        edit: Edit::JsonKey("ConfigurationRecordersStatus"),
    },
    xml("DescribeFlowLogs", "logGroupName"),
    json("DescribeHub", "HubArn"),
    json("DescribeLogGroups", "logGroups"),
    json("DescribeMetricFilters", "metricFilters"),
    json("ListKeys", "Keys"),
    json("DescribeKey", "KeyMetadata"),
    json("ListTables", "TableNames"),
    json("DescribeContinuousBackups", "ContinuousBackupsDescription"),
    xml("ListDistributions", "IsTruncated"),
    xml("ListDistributions", "Items"),
    xml("ListDistributions", "ViewerProtocolPolicy"),
    xml("ListDistributions", "CacheBehaviors"),
];

const fn json(operation: &'static str, key: &'static str) -> Mutation {
    Mutation {
        operation,
        edit: Edit::JsonKey(key),
    }
}

const fn xml(operation: &'static str, element: &'static str) -> Mutation {
    Mutation {
        operation,
        edit: Edit::XmlElement(element),
    }
}

/// What a JSON report says: each control's status, and each finding's.
struct Outcome {
    controls: BTreeMap<String, String>,
    findings: BTreeMap<(String, String), (String, String)>,
}

impl Outcome {
    fn of(stdout: &str) -> Outcome {
        let report: Value = serde_json::from_str(stdout).expect("a JSON report");
        let mut outcome = Outcome {
            controls: BTreeMap::new(),
            findings: BTreeMap::new(),
        };
        for control in report["controls"].as_array().into_iter().flatten() {
            let id = control["id"].as_str().unwrap_or_default().to_owned();
            if !id.starts_with("aws.") {
                continue;
            }
            for finding in control["findings"].as_array().into_iter().flatten() {
                let text = |key: &str| finding[key].as_str().unwrap_or_default().to_owned();
                outcome.findings.insert(
                    (id.clone(), text("resource")),
                    (text("status"), text("message")),
                );
            }
            let status = control["status"].as_str().unwrap_or_default().to_owned();
            outcome.controls.insert(id, status);
        }
        outcome
    }

    /// Whether `control` has a finding in `error`.
    fn errs(&self, control: &str) -> bool {
        self.findings
            .iter()
            .any(|((id, _), (status, _))| id == control && status == "error")
    }
}

fn failing(status: &str) -> bool {
    status == "fail" || status == "error"
}

#[test]
fn an_answer_that_lost_an_element_never_turns_a_failing_finding_into_a_pass() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some((endpoint, _account, policy)) = seeded(dir.path()) else {
        return;
    };
    let policy = policy.to_string_lossy().into_owned();
    let scan = |mutation: Option<Mutation>| {
        let proxy = Proxy::start(&endpoint, mutation);
        let out = tenet_aws(
            &proxy.url,
            &["scan", "--config", &policy, "--format", "json"],
        );
        (out, proxy.rewritten())
    };
    let (clean, _) = scan(None);
    assert_eq!(clean.code, 1, "{}", clean.stderr);
    let clean = Outcome::of(&clean.stdout);
    assert!(
        clean.controls.values().filter(|s| *s == "fail").count() >= 5,
        "the seeded account fails several controls: {:?}",
        clean.controls
    );
    let mut problems = Vec::new();
    for mutation in MUTATIONS {
        let (out, rewritten) = scan(Some(*mutation));
        if rewritten == 0 {
            problems.push(format!("{mutation:?}: no answer was rewritten"));
            continue;
        }
        if !(1..=3).contains(&out.code) {
            problems.push(format!("{mutation:?}: exit {}: {}", out.code, out.stderr));
            continue;
        }
        let mutated = Outcome::of(&out.stdout);
        for (control, status) in &clean.controls {
            let now = mutated
                .controls
                .get(control)
                .map_or("absent", String::as_str);
            if failing(status) && !failing(now) {
                problems.push(format!("{mutation:?}: {control} was {status}, now {now}"));
            }
        }
        for ((control, resource), (status, _)) in &clean.findings {
            if !failing(status) {
                continue;
            }
            match mutated.findings.get(&(control.clone(), resource.clone())) {
                Some((now, _)) if failing(now) => {}
                None if mutated.errs(control) => {}
                now => problems.push(format!(
                    "{mutation:?}: {control} on {resource} was {status}, now {now:?}"
                )),
            }
        }
        // The finding names the call whose answer lost something, or the
        // permission it needs (when the SDK could not read the answer).
        let names: &[&str] = match mutation.operation {
            "GetAccountPublicAccessBlock" => &[
                "s3control:GetPublicAccessBlock",
                "s3:GetAccountPublicAccessBlock",
            ],
            "GetPublicAccessBlock" => &["GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"],
            operation => &[operation],
        };
        let named = mutated.findings.values().any(|(status, message)| {
            status == "error" && names.iter().any(|name| message.contains(name))
        });
        let changed = mutated.findings != clean.findings;
        if changed && !named {
            let diff: Vec<String> = mutated
                .findings
                .iter()
                .filter(|(key, now)| clean.findings.get(*key) != Some(*now))
                .map(|((control, resource), now)| format!("{control} on {resource}: {now:?}"))
                .collect();
            problems.push(format!(
                "{mutation:?}: findings changed without an error naming the answer: {}",
                diff.join("; ")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_blank_caller_identity_is_exit_2_naming_the_call() {
    let Some(endpoint) = seed::endpoint() else {
        return;
    };
    let proxy = Proxy::start(&endpoint, Some(xml("GetCallerIdentity", "Account")));
    let out = tenet_aws(
        &proxy.url,
        &["scan", "--aws-region", "us-east-1", "--format", "json"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "no report: {}", out.stdout);
    assert!(
        out.stderr
            .contains("sts:GetCallerIdentity answered with the account id ``, not 12 digits"),
        "{}",
        out.stderr
    );
    assert!(proxy.rewritten() > 0);
}
