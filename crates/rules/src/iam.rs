//! What an IAM principal is allowed to do: every policy attached to it
//! (directly, inline, and through its groups) parsed and analyzed as one
//! document, so that Deny statements and escalation paths that span two
//! policies are seen, within its permissions boundary when it has one.

use std::{
    cell::{OnceCell, RefCell},
    collections::HashMap,
};

use chrono::{DateTime, Utc};
use serde_json::Value;
use tenet_iam_policy::{
    Analysis, ESCALATION_METHODS, EscalationFinding, Existing, IamTarget, PolicyDocument,
    RequestContext, ServiceTrust, analyze_bounded, first_write, may_name, trusted_services,
};
use tenet_inventory::{
    Observed,
    aws::{AwsAccount, AwsRegion, IamRole, InlinePolicy},
};

use crate::{Outcome, Resource};

/// The combined grants of one principal.
#[derive(Clone, Debug)]
pub(crate) struct Grants {
    /// The analysis of all its policies together.
    pub analysis: Analysis,
    /// The policies it has, for evidence: ARNs, `inline:<name>`,
    /// `group:<name>:inline:<name>`.
    pub policies: Vec<String>,
    /// The escalation methods that reach roles (pass one, or take over an
    /// existing resource that runs as one), judged against the account's
    /// roles.
    pub reached: Vec<Reached>,
    /// An action of AWS's Write or Permissions management access level its
    /// policies allow somewhere, under any condition, within its
    /// permissions boundary and the service control policies that were
    /// read ([`first_write`]); `None` when it may change nothing.
    pub first_write: Option<String>,
}

/// An escalation method that reaches roles, judged against the account:
/// the roles it reaches that are administrators.
#[derive(Clone, Debug, Default)]
pub(crate) struct Reached {
    /// The method's id.
    pub method: String,
    /// The administrator roles it reaches (ARNs, sorted).
    pub administrators: Vec<String>,
    /// For a method that takes over existing resources: those that run as
    /// an administrator role (`eu-west-1/i-0abc…`), sorted.
    pub through: Vec<String>,
    /// For a method that changes principals' policies: those it changes
    /// that it is, belongs to or may come to act as (ARNs).
    pub on: Vec<String>,
}

/// Who holds the grants being judged.
#[derive(Clone, Copy)]
enum Caller<'c> {
    /// A user of the account, and the names of its groups.
    User { arn: &'c str, groups: &'c [String] },
    /// A role of the account.
    Role { arn: &'c str },
    /// A would-be principal: a document judged against the account.
    Unknown,
}

impl Grants {
    /// The escalation methods that count in the account: every method
    /// not judged against it, and those judged that reach an
    /// administrator role; every method for a principal that holds full
    /// admin.
    pub fn escalations(&self) -> Vec<CountedMethod> {
        let full_admin = self.analysis.holds_full_admin();
        self.analysis
            .privilege_escalation
            .iter()
            .filter_map(|method| {
                let reached = self
                    .reached
                    .iter()
                    .find(|r| r.method == method.id)
                    .filter(|_| !full_admin);
                let (administrators, through, on) = match reached {
                    None => (Vec::new(), Vec::new(), Vec::new()),
                    Some(reached) if reached.administrators.is_empty() && reached.on.is_empty() => {
                        return None;
                    }
                    Some(reached) => (
                        reached.administrators.clone(),
                        reached.through.clone(),
                        reached.on.clone(),
                    ),
                };
                Some(CountedMethod {
                    method: method.clone(),
                    administrators,
                    through,
                    on,
                })
            })
            .collect()
    }

    /// The methods judged against the account that do not count there:
    /// none of the roles they reach is an administrator.
    pub fn harmless_reaches(&self) -> Vec<&str> {
        let counted = self.escalations();
        self.reached
            .iter()
            .filter(|reached| !counted.iter().any(|c| c.method.id == reached.method))
            .map(|reached| reached.method.as_str())
            .collect()
    }

    /// tenet's one notion of an administrator ([`Analysis::is_administrator`])
    /// judged against the account: full admin, or an escalation method open
    /// without a condition, where a method that passes a role counts only
    /// when a role it can pass is an administrator.
    pub fn is_administrator(&self) -> bool {
        self.analysis.holds_full_admin()
            || self
                .escalations()
                .iter()
                .any(|counted| !counted.method.conditional)
    }
}

/// A user or role with its grants, or why they could not be determined.
pub(crate) struct Principal<'a> {
    /// The principal as a report resource.
    pub resource: Resource,
    /// Its name.
    pub name: &'a str,
    /// Its grants.
    pub grants: Result<Grants, String>,
}

/// Collects documents to analyze; fails on the first missing or malformed one.
struct Documents<'a> {
    account: &'a AwsAccount,
    labels: Vec<String>,
    documents: Vec<(String, &'a Value)>,
    /// The permissions boundary, when the principal has one.
    boundary: Option<(String, &'a Value)>,
    /// What every request to judge has in common: the account, and a time
    /// no earlier than the snapshot's.
    context: &'a RequestContext,
}

/// The service control policies that bound an account's principals,
/// parsed once per account.
enum Scps {
    /// None applies.
    None,
    /// One document per level, from the root down, and the policies'
    /// labels for evidence.
    Levels {
        bounds: Vec<PolicyDocument>,
        labels: Vec<String>,
    },
    /// They could not be read, for this reason.
    Unread(String),
}

impl Scps {
    /// The account's levels, each level's policies as one document (an
    /// action is allowed at a level when one of its policies allows it),
    /// resolved for `context`; `Err` names a malformed policy.
    fn of(account: &AwsAccount, context: &RequestContext) -> Result<Scps, String> {
        let levels = match &account.service_control_policies {
            Observed::Known(None) => return Ok(Scps::None),
            Observed::Known(Some(levels)) => levels,
            Observed::Unavailable { reason } => return Ok(Scps::Unread(reason.clone())),
        };
        let mut bounds = Vec::with_capacity(levels.len());
        let mut labels = Vec::new();
        for level in levels {
            let mut statements = Vec::new();
            for policy in &level.policies {
                let parsed = PolicyDocument::parse(&policy.document).map_err(|err| {
                    format!(
                        "service control policy {} ({}) is malformed: {err}",
                        policy.id, policy.name
                    )
                })?;
                statements.extend(parsed.resolve(context).into_owned().statements);
                labels.push(format!("scp:{}:{}", level.target, policy.id));
            }
            bounds.push(PolicyDocument {
                version: Some("2012-10-17".into()),
                id: None,
                statements,
            });
        }
        Ok(Scps::Levels { bounds, labels })
    }
}

impl<'a> Documents<'a> {
    fn new(account: &'a AwsAccount, context: &'a RequestContext) -> Self {
        Documents {
            account,
            labels: Vec::new(),
            documents: Vec::new(),
            boundary: None,
            context,
        }
    }

    /// The document of the managed policy `arn`.
    fn document(&self, arn: &str) -> Result<&'a Value, String> {
        let policies = self
            .account
            .policies
            .as_result()
            .map_err(|reason| format!("the managed policies: {reason}"))?;
        policies
            .iter()
            .find(|p| p.arn == arn)
            .map(|policy| &policy.document)
            .ok_or_else(|| format!("the document of {arn} was not collected"))
    }

    fn managed(&mut self, arns: &'a [String], prefix: &str) -> Result<(), String> {
        for arn in arns {
            let document = self.document(arn)?;
            self.labels.push(format!("{prefix}{arn}"));
            self.documents.push((arn.clone(), document));
        }
        Ok(())
    }

    /// The principal's permissions boundary, which bounds what the other
    /// documents grant.
    fn boundary(&mut self, arn: Option<&'a String>) -> Result<(), String> {
        if let Some(arn) = arn {
            let document = self.document(arn)?;
            self.labels.push(format!("boundary:{arn}"));
            self.boundary = Some((arn.clone(), document));
        }
        Ok(())
    }

    fn inline(&mut self, policies: &'a [InlinePolicy], prefix: &str) {
        for policy in policies {
            let label = format!("{prefix}inline:{}", policy.name);
            self.labels.push(label.clone());
            self.documents.push((label, &policy.document));
        }
    }

    /// Parses and analyzes the documents, within the boundary and `scps`
    /// (`None` for a service-linked role, which they do not bound).
    /// Service control policies that could not be read leave undetermined
    /// only a principal that could do something a control judges without
    /// them; a principal that cannot is judged as it is, since they only
    /// take away.
    /// A malformed document is reported before malformed service control
    /// policies.
    fn analyze(mut self, scps: Result<Option<&Scps>, String>) -> Result<Grants, String> {
        let mut statements = Vec::new();
        for (label, document) in &self.documents {
            let parsed = PolicyDocument::parse(document)
                .map_err(|err| format!("policy {label} is malformed: {err}"))?;
            statements.extend(parsed.resolve(self.context).into_owned().statements);
        }
        let boundary = match &self.boundary {
            Some((arn, document)) => Some(
                PolicyDocument::parse(document)
                    .map_err(|err| format!("permissions boundary {arn} is malformed: {err}"))?
                    .resolve(self.context)
                    .into_owned(),
            ),
            None => None,
        };
        let mut bounds: Vec<&PolicyDocument> = boundary.iter().collect();
        let mut unread_scps = None;
        match scps? {
            None | Some(Scps::None) => {}
            Some(Scps::Levels {
                bounds: levels,
                labels,
            }) => {
                bounds.extend(levels);
                self.labels.extend(labels.iter().cloned());
            }
            Some(Scps::Unread(reason)) => unread_scps = Some(reason),
        }
        let policies = PolicyDocument {
            version: Some("2012-10-17".into()),
            id: None,
            statements,
        };
        let analysis = analyze_bounded(&policies, &bounds);
        let first_write = first_write(&policies, &bounds);
        if let Some(reason) = unread_scps
            && (analysis.admin_like
                || analysis.conditional_full_admin
                || !analysis.privilege_escalation.is_empty())
        {
            return Err(format!(
                "the service control policies of account {}, which may take away what its \
                 policies grant: {reason}",
                self.account.account_id
            ));
        }
        Ok(Grants {
            analysis,
            policies: self.labels,
            reached: Vec::new(),
            first_write,
        })
    }
}

/// One account as the IAM controls judge it: its principals' grants for
/// requests from `at` (the snapshot's time) on, and whether each of its
/// roles is an administrator, worked out once however many principals can
/// pass it.
pub(crate) struct AccountIam<'a> {
    account: &'a AwsAccount,
    /// The account, and a time no earlier than the snapshot's.
    context: RequestContext,
    /// The service control policies, parsed on first use.
    scps: OnceCell<Result<Scps, String>>,
    /// Role ARN to whether the role is an administrator by its own
    /// policies ([`Analysis::is_administrator`]), or why that is unknown.
    administrators: RefCell<HashMap<&'a str, Result<bool, String>>>,
    /// For each kind of [`Existing::ALL`], in its order, the resources of
    /// the account that run as a role, found on first use
    /// ([`AccountIam::runners`]).
    runners: Vec<OnceCell<Result<Vec<Runner<'a>>, String>>>,
    /// Role ARN to the services its trust policy lets assume it, or why
    /// that is unknown.
    trusts: RefCell<HashMap<&'a str, Result<ServiceTrust, String>>>,
}

/// A resource of the account that runs as a role (an EC2 instance, a
/// Lambda function), or any resource of a kind that may, and the role.
struct Runner<'a> {
    /// `region/instance-id`, `region/function-name`, or what may run as
    /// the role (`any instance with profile ARN`).
    through: String,
    /// The resource's ARN, which a method's targets must match; `None`
    /// for any resource of the kind.
    arn: Option<String>,
    /// The role it runs as.
    role: &'a IamRole,
}

impl<'a> AccountIam<'a> {
    /// The account, judged as of `at`.
    pub fn new(account: &'a AwsAccount, at: DateTime<Utc>) -> Self {
        AccountIam {
            account,
            context: RequestContext {
                now: Some(at),
                account: Some(account.account_id.clone()),
            },
            scps: OnceCell::new(),
            administrators: RefCell::new(HashMap::new()),
            runners: Existing::ALL.iter().map(|_| OnceCell::new()).collect(),
            trusts: RefCell::new(HashMap::new()),
        }
    }

    /// The documents of a principal of the account, to be collected.
    fn documents(&self) -> Documents<'_> {
        Documents::new(self.account, &self.context)
    }

    /// The service control policies that bound the account's principals
    /// (`None` for a service-linked role, which they do not bound).
    fn scps(&self, service_linked: bool) -> Result<Option<&Scps>, String> {
        if service_linked {
            return Ok(None);
        }
        self.scps
            .get_or_init(|| Scps::of(self.account, &self.context))
            .as_ref()
            .map(Some)
            .map_err(Clone::clone)
    }

    /// The grants of one user: its own policies and its groups'.
    pub fn user_grants(&self, user: &tenet_inventory::aws::IamUser) -> Result<Grants, String> {
        let account = self.account;
        let mut docs = self.documents();
        docs.managed(&user.attached_policies, "")?;
        docs.inline(&user.inline_policies, "");
        if !user.groups.is_empty() {
            let groups = account
                .groups
                .as_result()
                .map_err(|reason| format!("the user's groups: {reason}"))?;
            for name in &user.groups {
                let group = groups
                    .iter()
                    .find(|g| &g.name == name)
                    .ok_or_else(|| format!("group {name} was not collected"))?;
                let prefix = format!("group:{name}:");
                docs.managed(&group.attached_policies, &prefix)?;
                docs.inline(&group.inline_policies, &prefix);
            }
        }
        docs.boundary(user.permissions_boundary.as_ref())?;
        let caller = Caller::User {
            arn: &user.arn,
            groups: &user.groups,
        };
        self.judge_reaches(docs.analyze(self.scps(false))?, caller)
    }

    /// The grants a principal of the account would have with `document`
    /// as its only policy (labelled `label`): within the account's service
    /// control policies, the roles it may pass judged.
    pub fn document_grants(&self, label: &str, document: &Value) -> Result<Grants, String> {
        let mut docs = self.documents();
        docs.labels.push(label.to_owned());
        docs.documents.push((label.to_owned(), document));
        self.judge_reaches(docs.analyze(self.scps(false))?, Caller::Unknown)
    }

    /// The grants of one role, the roles it may pass judged.
    pub fn role_grants(&self, role: &IamRole) -> Result<Grants, String> {
        self.own_grants(role)
            .and_then(|grants| self.judge_reaches(grants, Caller::Role { arn: &role.arn }))
    }

    /// The grants of one role by its own policies, the roles it may pass
    /// not judged.
    fn own_grants(&self, role: &IamRole) -> Result<Grants, String> {
        let mut docs = self.documents();
        docs.managed(&role.attached_policies, "")?;
        docs.inline(&role.inline_policies, "");
        docs.boundary(role.permissions_boundary.as_ref())?;
        docs.analyze(self.scps(is_service_linked(&role.arn)))
    }

    /// Whether `role` is an administrator by its own policies (one hop: a
    /// role that can pass an administrator role is not followed further,
    /// but its own unconfined methods count).
    fn is_administrator(&self, role: &'a IamRole) -> Result<bool, String> {
        if let Some(known) = self.administrators.borrow().get(role.arn.as_str()) {
            return known.clone();
        }
        let verdict = self
            .own_grants(role)
            .map(|grants| grants.analysis.is_administrator())
            .map_err(|reason| format!("what role {} may do: {reason}", role.name));
        self.administrators
            .borrow_mut()
            .insert(role.arn.as_str(), verdict.clone());
        verdict
    }

    /// Whether `role` is of use to a method whose role `services` assume:
    /// its trust policy lets one of them in (read cautiously:
    /// [`trusted_services`]); `Err` when the trust policy is malformed.
    fn admits(&self, role: &'a IamRole, services: &[&str]) -> Result<bool, String> {
        self.trust(role).map(|trust| trust.admits(services))
    }

    /// Whom `role`'s trust policy lets assume it ([`trusted_services`]);
    /// `Err` when it is malformed.
    fn trust(&self, role: &'a IamRole) -> Result<ServiceTrust, String> {
        if let Some(known) = self.trusts.borrow().get(role.arn.as_str()) {
            return known.clone();
        }
        let trust = PolicyDocument::parse(&role.trust_policy)
            .and_then(|document| trusted_services(&document))
            .map_err(|err| format!("the trust policy of role {} is malformed: {err}", role.name));
        self.trusts
            .borrow_mut()
            .insert(role.arn.as_str(), trust.clone());
        trust
    }

    /// Judges every method of `grants` that reaches roles against the
    /// account's roles: a method that passes a role reaches the roles it
    /// can pass (those it names, those its patterns match, or every role);
    /// one that takes over EC2 instances, Lambda functions or
    /// CloudFormation stacks reaches the
    /// roles they run as ([`AccountIam::runners`]). A role counts only when the
    /// method's service may assume it (`EscalationMethod::assumed_by`): a
    /// role EC2 may not assume gives an instance no credentials.
    /// Those that are administrators make it an escalation. Service-linked
    /// roles cannot be passed; a role the account does not have cannot
    /// either. A role whose grants cannot be read, or roles or instances
    /// that could not be listed, leave the principal's undetermined.
    /// A principal that holds full admin is not judged further.
    fn judge_reaches(&self, mut grants: Grants, caller: Caller<'_>) -> Result<Grants, String> {
        // Full admin gains nothing from reaching a role.
        if grants.analysis.holds_full_admin() {
            return Ok(grants);
        }
        for method in &grants.analysis.privilege_escalation {
            // Every method that reaches roles names its services (a test
            // checks it); none would be read as "any service".
            let known = ESCALATION_METHODS
                .iter()
                .find(|known| known.id == method.id);
            let services = known.map_or(&[] as &[&str], |known| known.assumed_by);
            if let Some(target) = known.and_then(|known| known.changes) {
                if let Some(reached) =
                    self.judge_change(method, target, caller, &grants.analysis)?
                {
                    grants.reached.push(reached);
                }
                continue;
            }
            let usable = |role: &'a IamRole| -> Result<bool, String> {
                if services.is_empty() {
                    Ok(true)
                } else {
                    self.admits(role, services)
                }
            };
            let mut reached = Reached {
                method: method.id.clone(),
                ..Reached::default()
            };
            if method.passes_roles() {
                let roles = self
                    .account
                    .roles
                    .as_result()
                    .map_err(|reason| format!("the roles it may pass: {reason}"))?;
                for role in roles.iter().filter(|role| can_pass(method, &role.arn)) {
                    if usable(role)? && self.is_administrator(role)? {
                        reached.administrators.push(role.arn.clone());
                    }
                }
            } else if let Some(kind) = method.takes_over {
                let targeted = |runner: &Runner<'_>| {
                    method.targets.is_empty()
                        || runner.arn.as_deref().is_none_or(|arn| {
                            method.targets.iter().any(|target| may_name(target, arn))
                        })
                };
                for runner in self.runners(kind)?.iter().filter(|runner| targeted(runner)) {
                    if usable(runner.role)? && self.is_administrator(runner.role)? {
                        reached.administrators.push(runner.role.arn.clone());
                        reached.through.push(runner.through.clone());
                    }
                }
                reached.administrators.sort();
                reached.administrators.dedup();
            } else {
                continue;
            }
            grants.reached.push(reached);
        }
        Ok(grants)
    }

    /// Judges a method that changes the policies or trust of principals of
    /// kind `target`: whether it reaches what the caller gains by.
    /// Rewriting a role's trust reaches the role, an escalation when it is
    /// an administrator. Changing policies gains the caller something only
    /// on a principal it is (its own user or role), belongs to (its
    /// groups) or may come to act as: a role whose trust policy lets in
    /// principals that are not services. A caller that may otherwise reach
    /// roles (pass them, take over what runs as them, rewrite their trust)
    /// is not judged, and neither is a would-be principal: `None`, the
    /// method counts.
    fn judge_change(
        &self,
        method: &EscalationFinding,
        target: IamTarget,
        caller: Caller<'_>,
        analysis: &Analysis,
    ) -> Result<Option<Reached>, String> {
        let targeted = |arn: &str| {
            method.targets.is_empty() || method.targets.iter().any(|pattern| may_name(pattern, arn))
        };
        let mut reached = Reached {
            method: method.id.clone(),
            ..Reached::default()
        };
        let rewrites_trust = |m: &EscalationFinding| {
            m.actions
                .iter()
                .any(|action| action == "iam:UpdateAssumeRolePolicy")
        };
        if rewrites_trust(method) {
            for role in self.roles()? {
                if targeted(&role.arn)
                    && !is_service_linked(&role.arn)
                    && self.is_administrator(role)?
                {
                    reached.administrators.push(role.arn.clone());
                }
            }
            return Ok(Some(reached));
        }
        match (target, caller) {
            (_, Caller::Unknown) => return Ok(None),
            (IamTarget::User, Caller::User { arn, .. }) => {
                reached.on.extend(targeted(arn).then(|| arn.to_owned()));
            }
            (IamTarget::Group, Caller::User { groups, .. }) => {
                let listed = self
                    .account
                    .groups
                    .as_result()
                    .map_err(|reason| format!("the user's groups: {reason}"))?;
                for name in groups {
                    let group = listed
                        .iter()
                        .find(|group| &group.name == name)
                        .ok_or_else(|| format!("group {name} was not collected"))?;
                    if targeted(&group.arn) {
                        reached.on.push(group.arn.clone());
                    }
                }
            }
            (IamTarget::User | IamTarget::Group, Caller::Role { .. }) => {}
            (IamTarget::Role, caller) => {
                if let Caller::Role { arn } = caller
                    && targeted(arn)
                {
                    reached.on.push(arn.to_owned());
                    return Ok(Some(reached));
                }
                let reaches_roles = analysis
                    .privilege_escalation
                    .iter()
                    .any(|m| m.passes_roles() || m.takes_over.is_some() || rewrites_trust(m));
                if reaches_roles {
                    return Ok(None);
                }
                for role in self.roles()? {
                    if targeted(&role.arn)
                        && !is_service_linked(&role.arn)
                        && self.trust(role)?.non_services
                    {
                        reached.on.push(role.arn.clone());
                    }
                }
            }
        }
        Ok(Some(reached))
    }

    /// The account's roles.
    fn roles(&self) -> Result<&'a [IamRole], String> {
        roles(self.account)
    }

    /// The resources of kind `kind` that run as a role: the instances,
    /// functions and stacks a scan collects (and their roles); for the
    /// other kinds, every role, of which the kind's service's trust then
    /// tells which it may run as (launch templates: every role in an
    /// instance profile).
    fn runners(&self, kind: Existing) -> Result<&[Runner<'a>], String> {
        let find = |account: &'a AwsAccount| match kind {
            Existing::Ec2Instance => instance_roles(account),
            Existing::LaunchTemplate => profiled_roles(account),
            Existing::LambdaFunction => function_roles(account),
            Existing::CloudFormationStack => stack_roles(account),
            Existing::GlueDevEndpoint => any_role(account, "any Glue development endpoint"),
            Existing::SageMakerNotebook => any_role(account, "any SageMaker notebook instance"),
            Existing::CodeBuildProject => any_role(account, "any CodeBuild project"),
            Existing::EcsTask => any_role(account, "any ECS task"),
            Existing::BedrockCodeInterpreter => {
                any_role(account, "any Bedrock AgentCore code interpreter")
            }
        };
        let index = Existing::ALL
            .iter()
            .position(|known| *known == kind)
            .unwrap_or_default();
        self.runners
            .get(index)
            .ok_or_else(|| format!("no list of {}", kind.describe()))?
            .get_or_init(|| find(self.account))
            .as_deref()
            .map_err(Clone::clone)
    }

    /// Every user and role of the account with its grants. An error
    /// outcome is pushed for a list that could not be read.
    pub fn principals(&self, out: &mut Vec<Outcome>) -> Vec<Principal<'a>> {
        let account = self.account;
        let mut principals = Vec::new();
        match &account.users {
            Observed::Known(users) => {
                for user in users {
                    principals.push(Principal {
                        resource: Resource::iam_user(&user.arn),
                        name: &user.name,
                        grants: self.user_grants(user),
                    });
                }
            }
            Observed::Unavailable { reason } => out.push(Outcome::unavailable(
                Resource::aws_account(&account.account_id),
                "the account's IAM users",
                reason,
            )),
        }
        match &account.roles {
            Observed::Known(roles) => {
                for role in roles {
                    principals.push(Principal {
                        resource: Resource::new(role.arn.clone(), "IAM role"),
                        name: &role.name,
                        grants: self.role_grants(role),
                    });
                }
            }
            Observed::Unavailable { reason } => out.push(Outcome::unavailable(
                Resource::aws_account(&account.account_id),
                "the account's IAM roles",
                reason,
            )),
        }
        principals
    }
}

/// What EC2 instances of `account` run as: when every enabled region was
/// read, each instance that has a role; else each role in an instance
/// profile, which an instance in a region not read may run as. `Err` when
/// the instances of a region, or a role's profiles, could not be read.
fn instance_roles(account: &AwsAccount) -> Result<Vec<Runner<'_>>, String> {
    if !account.all_regions {
        return profiled_roles(account);
    }
    let mut found = Vec::new();
    for region in regions(account)? {
        let instances = region
            .instances
            .as_result()
            .map_err(|reason| format!("the EC2 instances of {}: {reason}", region.name))?;
        for instance in instances {
            let Some(profile) = &instance.instance_profile else {
                continue;
            };
            if let Some(role) = profile_role(account, profile).map_err(|reason| {
                format!(
                    "the role of instance {} in {} (profile {profile}): {reason}",
                    instance.id, region.name
                )
            })? {
                // The instance's ARN, in the partition of its profile.
                let partition = profile.split(':').nth(1).unwrap_or("aws");
                found.push(Runner {
                    through: format!("{}/{}", region.name, instance.id),
                    arn: Some(format!(
                        "arn:{partition}:ec2:{}:{}:instance/{}",
                        region.name, account.account_id, instance.id
                    )),
                    role,
                });
            }
        }
    }
    Ok(found)
}

/// What Lambda functions of `account` run as: their execution roles
/// ([`regional_roles`]).
fn function_roles(account: &AwsAccount) -> Result<Vec<Runner<'_>>, String> {
    regional_roles(account, "any Lambda function", |region| {
        let functions = region
            .lambda_functions
            .as_result()
            .map_err(|reason| format!("the Lambda functions of {}: {reason}", region.name))?;
        Ok(functions
            .iter()
            .map(|function| {
                (
                    function.name.as_str(),
                    function.arn.as_str(),
                    function.role.as_str(),
                )
            })
            .collect())
    })
}

/// What CloudFormation stacks of `account` are updated as: their service
/// roles ([`regional_roles`]); a stack without one uses the caller's own
/// permissions.
fn stack_roles(account: &AwsAccount) -> Result<Vec<Runner<'_>>, String> {
    regional_roles(account, "any CloudFormation stack", |region| {
        let stacks = region
            .stacks
            .as_result()
            .map_err(|reason| format!("the CloudFormation stacks of {}: {reason}", region.name))?;
        Ok(stacks
            .iter()
            .filter_map(|stack| {
                Some((
                    stack.name.as_str(),
                    stack.id.as_str(),
                    stack.role.as_deref()?,
                ))
            })
            .collect())
    })
}

/// The roles the resources of one kind run as, given each region's
/// `(name, ARN, role ARN)`: when every enabled region was read, those
/// roles (through `region/name`); else every role (through `any`), since a
/// resource of a region not read may run as any, and its service's trust
/// then tells which. A resource whose role the account no longer has
/// cannot run. `Err` when the resources of a region, or the roles, could
/// not be read.
fn regional_roles<'a>(
    account: &'a AwsAccount,
    any: &str,
    resources: impl Fn(&'a AwsRegion) -> Result<Vec<(&'a str, &'a str, &'a str)>, String>,
) -> Result<Vec<Runner<'a>>, String> {
    let roles = roles(account)?;
    if !account.all_regions {
        return any_role(account, any);
    }
    let mut found = Vec::new();
    for region in regions(account)? {
        for (name, arn, role_arn) in resources(region)? {
            if let Some(role) = roles.iter().find(|role| role.arn == role_arn) {
                found.push(Runner {
                    through: format!("{}/{name}", region.name),
                    arn: Some(arn.to_owned()),
                    role,
                });
            }
        }
    }
    Ok(found)
}

/// Every role of `account`, as what any resource of a kind (`what`) may
/// run as; `Err` when the roles could not be read.
fn any_role<'a>(account: &'a AwsAccount, what: &str) -> Result<Vec<Runner<'a>>, String> {
    let roles = roles(account)?;
    Ok(roles
        .iter()
        .map(|role| Runner {
            through: what.to_owned(),
            arn: None,
            role,
        })
        .collect())
}

/// The roles of `account`; `Err` when they could not be read.
fn roles(account: &AwsAccount) -> Result<&[IamRole], String> {
    account
        .roles
        .as_result()
        .map(Vec::as_slice)
        .map_err(|reason| format!("the account's roles: {reason}"))
}

/// The regions read of `account`.
fn regions(account: &AwsAccount) -> Result<&[AwsRegion], String> {
    account
        .regions
        .as_result()
        .map(Vec::as_slice)
        .map_err(|reason| format!("the account's regions: {reason}"))
}

/// Every role of `account` in an instance profile, with the profiles;
/// `Err` when the roles, or a role's profiles, could not be read.
fn profiled_roles(account: &AwsAccount) -> Result<Vec<Runner<'_>>, String> {
    let roles = roles(account)?;
    let mut found = Vec::new();
    for role in roles {
        let profiles = role
            .instance_profiles
            .as_result()
            .map_err(|reason| format!("the instance profiles of role {}: {reason}", role.name))?;
        for profile in profiles {
            found.push(Runner {
                through: format!("any instance with profile {profile}"),
                arn: None,
                role,
            });
        }
    }
    Ok(found)
}

/// The role of the instance profile `profile`: `None` when no role is in
/// it (`GetAccountAuthorizationDetails` lists every role with every profile
/// it is in); `Err` when a role's profiles, or the roles, could not be read.
fn profile_role<'a>(account: &'a AwsAccount, profile: &str) -> Result<Option<&'a IamRole>, String> {
    let roles = account.roles.as_result()?;
    let mut unread = None;
    for role in roles {
        match &role.instance_profiles {
            Observed::Known(profiles) if profiles.iter().any(|p| p == profile) => {
                return Ok(Some(role));
            }
            Observed::Known(_) => {}
            Observed::Unavailable { reason } => unread = unread.or(Some(reason)),
        }
    }
    match unread {
        Some(reason) => Err(reason.clone()),
        None => Ok(None),
    }
}

/// Whether the role `arn` is service-linked (path `/aws-service-role/`).
fn is_service_linked(arn: &str) -> bool {
    arn.contains(":role/aws-service-role/")
}

/// Whether `method` can pass the role `arn`: a role it names, or matches
/// with a pattern, or any role when it is not confined; never a
/// service-linked role, which only its service uses.
fn can_pass(method: &EscalationFinding, arn: &str) -> bool {
    if is_service_linked(arn) {
        return false;
    }
    if !method.roles.is_empty() {
        return method.roles.iter().any(|role| role == arn);
    }
    method.role_patterns.is_empty()
        || method
            .role_patterns
            .iter()
            .any(|pattern| may_name(pattern, arn))
}

/// Runs `check` for every user and role of every account with its grants; a
/// principal whose grants cannot be determined is an error outcome.
pub(crate) fn each_principal(
    cx: &crate::Context<'_>,
    mut check: impl FnMut(Resource, &str, Grants, &mut Vec<Outcome>),
) -> Vec<Outcome> {
    crate::support::each_account(cx, |account, out| {
        for principal in AccountIam::new(account, cx.snapshot.collected_at).principals(out) {
            match principal.grants {
                Ok(grants) => check(principal.resource, principal.name, grants, out),
                Err(reason) => out.push(Outcome::unavailable(
                    principal.resource,
                    &format!("what {} may do", principal.name),
                    &reason,
                )),
            }
        }
    })
}

/// What a policy document would let a principal of an account do, judged
/// against that account: see [`judge_document`].
#[derive(Clone, Debug)]
pub struct DocumentVerdict {
    /// The analysis, within the account's service control policies and
    /// with conditions decided for the account at the snapshot's time.
    pub analysis: Analysis,
    /// The escalation methods that count in the account, each with the
    /// administrator roles it reaches and the resources it reaches them
    /// through (empty for a method not judged against the account); every
    /// method for a document that holds full admin.
    pub escalations: Vec<CountedMethod>,
    /// The methods judged against the account (those that pass roles or
    /// take over instances) that reach no administrator role.
    pub harmless_reaches: Vec<String>,
    /// Whether a principal with the document is an administrator of the
    /// account (tenet's one notion: full admin, or a method open without a
    /// condition that counts in the account).
    pub is_administrator: bool,
}

/// An escalation method that counts in an account.
#[derive(Clone, Debug)]
pub struct CountedMethod {
    /// The method, as the analysis found it.
    pub method: EscalationFinding,
    /// The administrator roles it reaches, when it was judged (ARNs).
    pub administrators: Vec<String>,
    /// The existing resources it takes over to reach them
    /// (`eu-west-1/i-0abc…`).
    pub through: Vec<String>,
    /// The principals whose policies it changes that it is, belongs to or
    /// may come to act as (ARNs).
    pub on: Vec<String>,
}

impl CountedMethod {
    /// The method's id with what makes it count, for a finding:
    /// `ssm-send-command (through eu-west-1/i-1, running as administrator
    /// role arn:…)`.
    pub fn label(&self) -> String {
        let mut notes = Vec::new();
        let roles = self.administrators.join(", ");
        if !self.on.is_empty() {
            notes.push(format!("on {}", self.on.join(", ")));
        } else if !self.through.is_empty() {
            notes.push(format!(
                "through {}, running as administrator role {roles}",
                self.through.join(", ")
            ));
        } else if !self.administrators.is_empty() && self.method.passes_roles() {
            notes.push(format!("passing administrator role {roles}"));
        } else if !self.administrators.is_empty() {
            notes.push(format!("on administrator role {roles}"));
        }
        if self.method.conditional {
            notes.push("under a condition".to_owned());
        }
        if notes.is_empty() {
            self.method.id.clone()
        } else {
            format!("{} ({})", self.method.id, notes.join(", "))
        }
    }
}

/// Judges `document`, the identity policy of a would-be principal of
/// `account`, as the IAM controls judge the account's own principals at
/// `at` (the snapshot's time): within the service control policies that
/// apply to the account, conditions on dates and on the account decided,
/// and each method that passes a role counted only when a role of the
/// account it can pass is an administrator. `Err` says what could not be
/// determined (a malformed document, unread roles or service control
/// policies).
pub fn judge_document(
    account: &AwsAccount,
    at: DateTime<Utc>,
    label: &str,
    document: &Value,
) -> Result<DocumentVerdict, String> {
    let grants = AccountIam::new(account, at).document_grants(label, document)?;
    let escalations = grants.escalations();
    let harmless_reaches = grants
        .harmless_reaches()
        .into_iter()
        .map(str::to_owned)
        .collect();
    Ok(DocumentVerdict {
        is_administrator: grants.is_administrator(),
        analysis: grants.analysis,
        escalations,
        harmless_reaches,
    })
}
