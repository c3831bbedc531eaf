//! The curated table of IAM privilege-escalation methods.
//!
//! Source: Rhino Security Labs, "AWS IAM Privilege Escalation – Methods and
//! Mitigations" (parts 1 and 2), the same list Pacu's `iam__privesc_scan`
//! checks. Each method lists the actions that must *all* be allowed for the
//! method to work. Where the published list has two variants that differ only
//! by extra actions (the Lambda/DynamoDB trigger with a new or an existing
//! table), the smaller set is used, since it is implied by the larger one.
//!
//! Further methods, from Principal Mapper's edge checkers and
//! pathfinding.cloud's catalog of AWS privilege-escalation paths: running
//! code as a passed role through CodeBuild projects, SageMaker training and
//! processing jobs and ECS tasks; running code on an instance (as its
//! role) through Systems Manager or EC2 Instance Connect; updating a
//! CloudFormation stack whose service role applies the template.
//!
//! Every action is one AWS's Service Authorization Reference lists (a test
//! checks it): the list's `codestar:CreateProjectFromTemplate`, which the
//! reference dropped when CodeStar was discontinued, is left out.

use serde::{Deserialize, Serialize};

/// One privilege-escalation method of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EscalationMethod {
    /// Stable kebab-case identifier, safe to use in waivers and reports.
    pub id: &'static str,
    /// A one-line human description.
    pub title: &'static str,
    /// The actions that must all be allowed, in canonical spelling.
    pub actions: &'static [&'static str],
}

/// A method of [`ESCALATION_METHODS`] that a policy grants.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EscalationFinding {
    /// The method's stable id (see [`EscalationMethod::id`]).
    pub id: String,
    /// The method's title.
    pub title: String,
    /// The actions that enable it, as listed in the table.
    pub actions: Vec<String>,
    /// `true` when at least one of the actions is allowed only under a
    /// `Condition`.
    pub conditional: bool,
    /// For a method that passes a role (`iam:PassRole`): the roles it can
    /// pass, when every statement that allows `iam:PassRole` names
    /// particular role ARNs without wildcards; empty when it can pass any
    /// role a pattern matches. A method confined to particular roles is
    /// escalation only if one of them can do more than the caller, which
    /// only the account can tell: [`Analysis::grants_admin_or_escalation`]
    /// and [`Analysis::is_administrator`] leave it out, and a scan judges
    /// the roles.
    ///
    /// [`Analysis::grants_admin_or_escalation`]: crate::Analysis::grants_admin_or_escalation
    /// [`Analysis::is_administrator`]: crate::Analysis::is_administrator
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
}

/// The privilege-escalation methods checked by [`analyze`](crate::analyze),
/// in report order.
pub const ESCALATION_METHODS: &[EscalationMethod] = &[
    EscalationMethod {
        id: "create-policy-version",
        title: "Create a new default version of a managed policy with any permissions",
        actions: &["iam:CreatePolicyVersion"],
    },
    EscalationMethod {
        id: "set-default-policy-version",
        title: "Make a more permissive existing version of a managed policy the default",
        actions: &["iam:SetDefaultPolicyVersion"],
    },
    EscalationMethod {
        id: "create-access-key",
        title: "Create an access key for another (more privileged) user",
        actions: &["iam:CreateAccessKey"],
    },
    EscalationMethod {
        id: "create-login-profile",
        title: "Set a console password for a user that has none and log in as them",
        actions: &["iam:CreateLoginProfile"],
    },
    EscalationMethod {
        id: "update-login-profile",
        title: "Change another user's console password and log in as them",
        actions: &["iam:UpdateLoginProfile"],
    },
    EscalationMethod {
        id: "attach-user-policy",
        title: "Attach any managed policy (such as AdministratorAccess) to a user",
        actions: &["iam:AttachUserPolicy"],
    },
    EscalationMethod {
        id: "attach-group-policy",
        title: "Attach any managed policy to a group the caller belongs to",
        actions: &["iam:AttachGroupPolicy"],
    },
    EscalationMethod {
        id: "attach-role-policy",
        title: "Attach any managed policy to a role the caller can use",
        actions: &["iam:AttachRolePolicy"],
    },
    EscalationMethod {
        id: "put-user-policy",
        title: "Write an inline policy with any permissions on a user",
        actions: &["iam:PutUserPolicy"],
    },
    EscalationMethod {
        id: "put-group-policy",
        title: "Write an inline policy with any permissions on a group the caller belongs to",
        actions: &["iam:PutGroupPolicy"],
    },
    EscalationMethod {
        id: "put-role-policy",
        title: "Write an inline policy with any permissions on a role the caller can use",
        actions: &["iam:PutRolePolicy"],
    },
    EscalationMethod {
        id: "add-user-to-group",
        title: "Add a user to a more privileged group",
        actions: &["iam:AddUserToGroup"],
    },
    EscalationMethod {
        id: "update-assume-role-policy",
        title: "Rewrite a privileged role's trust policy to allow the caller, then assume it",
        actions: &["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"],
    },
    EscalationMethod {
        id: "passrole-ec2-run-instances",
        title: "Launch an EC2 instance with a privileged instance profile and use its credentials",
        actions: &["iam:PassRole", "ec2:RunInstances"],
    },
    EscalationMethod {
        id: "passrole-lambda-invoke",
        title: "Create a Lambda function with a privileged role and invoke it",
        actions: &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:InvokeFunction",
        ],
    },
    EscalationMethod {
        id: "passrole-lambda-add-permission",
        title: "Create a Lambda function with a privileged role and allow invoking it cross-account",
        actions: &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:AddPermission",
        ],
    },
    EscalationMethod {
        id: "passrole-lambda-event-source",
        title: "Create a Lambda function with a privileged role and trigger it from an event source",
        actions: &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:CreateEventSourceMapping",
        ],
    },
    EscalationMethod {
        id: "lambda-update-function-code",
        title: "Replace the code of an existing Lambda function that has a privileged role",
        actions: &["lambda:UpdateFunctionCode"],
    },
    EscalationMethod {
        id: "lambda-update-function-configuration",
        title: "Attach a malicious layer to an existing Lambda function that has a privileged role",
        actions: &["lambda:UpdateFunctionConfiguration"],
    },
    EscalationMethod {
        id: "passrole-glue-dev-endpoint",
        title: "Create a Glue development endpoint with a privileged role and log in to it",
        actions: &["iam:PassRole", "glue:CreateDevEndpoint"],
    },
    EscalationMethod {
        id: "glue-update-dev-endpoint",
        title: "Add an SSH key to an existing Glue development endpoint that has a privileged role",
        actions: &["glue:UpdateDevEndpoint"],
    },
    EscalationMethod {
        id: "passrole-cloudformation",
        title: "Create a CloudFormation stack with a privileged service role",
        actions: &["iam:PassRole", "cloudformation:CreateStack"],
    },
    EscalationMethod {
        id: "passrole-datapipeline",
        title: "Create a Data Pipeline that runs commands with a privileged role",
        actions: &[
            "iam:PassRole",
            "datapipeline:CreatePipeline",
            "datapipeline:PutPipelineDefinition",
        ],
    },
    EscalationMethod {
        id: "passrole-codestar-project",
        title: "Create a CodeStar project with a privileged service role",
        actions: &["iam:PassRole", "codestar:CreateProject"],
    },
    EscalationMethod {
        id: "codestar-associate-team-member",
        title: "Create a CodeStar project and make the caller its owner",
        actions: &["codestar:CreateProject", "codestar:AssociateTeamMember"],
    },
    EscalationMethod {
        id: "passrole-sagemaker-notebook",
        title: "Create a SageMaker notebook instance with a privileged role and open it",
        actions: &[
            "iam:PassRole",
            "sagemaker:CreateNotebookInstance",
            "sagemaker:CreatePresignedNotebookInstanceUrl",
        ],
    },
    EscalationMethod {
        id: "sagemaker-presigned-notebook-url",
        title: "Open an existing SageMaker notebook instance that has a privileged role",
        actions: &["sagemaker:CreatePresignedNotebookInstanceUrl"],
    },
    EscalationMethod {
        id: "passrole-sagemaker-training-job",
        title: "Run a SageMaker training job, with the caller's code, as a privileged role",
        actions: &["iam:PassRole", "sagemaker:CreateTrainingJob"],
    },
    EscalationMethod {
        id: "passrole-sagemaker-processing-job",
        title: "Run a SageMaker processing job, with the caller's code, as a privileged role",
        actions: &["iam:PassRole", "sagemaker:CreateProcessingJob"],
    },
    EscalationMethod {
        id: "passrole-codebuild-project",
        title: "Create a CodeBuild project with a privileged service role and run a build",
        actions: &[
            "iam:PassRole",
            "codebuild:CreateProject",
            "codebuild:StartBuild",
        ],
    },
    EscalationMethod {
        id: "codebuild-update-project",
        title: "Change the buildspec of a CodeBuild project that has a privileged service role and run it",
        actions: &["codebuild:UpdateProject", "codebuild:StartBuild"],
    },
    EscalationMethod {
        id: "passrole-ecs-task",
        title: "Register an ECS task definition with a privileged task role and run it",
        actions: &["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"],
    },
    EscalationMethod {
        id: "ssm-send-command",
        title: "Run commands on an instance through Systems Manager and use its role's credentials",
        actions: &["ssm:SendCommand"],
    },
    EscalationMethod {
        id: "ssm-start-session",
        title: "Open a Systems Manager session on an instance and use its role's credentials",
        actions: &["ssm:StartSession"],
    },
    EscalationMethod {
        id: "ec2-instance-connect",
        title: "Push an SSH key with EC2 Instance Connect, log in to an instance and use its role's credentials",
        actions: &["ec2-instance-connect:SendSSHPublicKey"],
    },
    EscalationMethod {
        id: "cloudformation-update-stack",
        title: "Update a CloudFormation stack whose service role then creates what the caller asks",
        actions: &["cloudformation:UpdateStack"],
    },
    EscalationMethod {
        id: "cloudformation-change-set",
        title: "Create and execute a change set on a CloudFormation stack that has a privileged service role",
        actions: &[
            "cloudformation:CreateChangeSet",
            "cloudformation:ExecuteChangeSet",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut ids: Vec<&str> = ESCALATION_METHODS.iter().map(|m| m.id).collect();
        for id in &ids {
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{id}"
            );
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ESCALATION_METHODS.len());
    }

    #[test]
    fn actions_are_well_formed() {
        for method in ESCALATION_METHODS {
            assert!(!method.actions.is_empty());
            for action in method.actions {
                let (service, name) = action.split_once(':').expect("service:Action");
                assert!(!service.is_empty() && !name.is_empty(), "{action}");
                assert!(!action.contains('*') && !action.contains('?'), "{action}");
                assert!(
                    crate::resource_types::resource_types(action).is_some(),
                    "{action} is not in AWS's Service Authorization Reference"
                );
            }
        }
    }
}
