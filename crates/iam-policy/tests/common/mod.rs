//! What the analysis tests share.

use tenet_iam_policy::Analysis;

/// The ids of the escalation methods found, in table order.
pub fn ids(analysis: &Analysis) -> Vec<&str> {
    analysis
        .privilege_escalation
        .iter()
        .map(|f| f.id.as_str())
        .collect()
}

/// The methods that need no `iam:` action.
pub const NON_IAM_METHODS: [&str; 16] = [
    "ec2-modify-instance-user-data",
    "ec2-launch-template-version",
    "lambda-update-function-code",
    "lambda-update-function-configuration",
    "glue-update-dev-endpoint",
    "cloudformation-update-stack",
    "cloudformation-change-set",
    "codestar-associate-team-member",
    "sagemaker-presigned-notebook-url",
    "sagemaker-notebook-lifecycle-config",
    "codebuild-update-project",
    "ecs-execute-command",
    "bedrock-code-interpreter-session",
    "ssm-send-command",
    "ssm-start-session",
    "ec2-instance-connect",
];
