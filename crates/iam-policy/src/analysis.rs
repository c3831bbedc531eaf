//! What a policy document grants: admin, wildcard services, privilege
//! escalation, public access, TLS enforcement.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::PolicyError;
use crate::actions::{ActionSet, Clause};
use crate::document::{
    Actions, Condition, Effect, PolicyDocument, Principals, Resources, SetQualifier, Statement,
};
use crate::escalation::{ESCALATION_METHODS, EscalationFinding, EscalationMethod};
use crate::resource_types;
use crate::wildcard::{Case, Tok, glob, tokenize};

/// The services whose blanket grant (`<service>:*`, or `*`) is reported in
/// [`Analysis::wildcard_services`], in report order.
pub const SENSITIVE_SERVICES: &[&str] = &[
    "account",
    "cloudformation",
    "cloudtrail",
    "ec2",
    "iam",
    "kms",
    "lambda",
    "organizations",
    "s3",
    "secretsmanager",
    "ssm",
    "sts",
];

/// Condition keys that, compared positively (`StringEquals`, `StringLike`,
/// `ArnEquals`, `ArnLike`, `IpAddress`, `StringEqualsIgnoreCase`, without
/// `IfExists` and without `ForAllValues:`), confine a statement to known
/// callers or networks, so that `Principal: "*"` is not public.
pub const RESTRICTING_CONDITION_KEYS: &[&str] = &[
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceIp",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceOwner",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:userid",
    // KMS's own key for the calling account, as in the key policies of AWS
    // managed keys.
    "kms:CallerAccount",
];

const RESTRICTING_OPERATORS: [&str; 6] = [
    "StringEquals",
    "StringEqualsIgnoreCase",
    "StringLike",
    "ArnEquals",
    "ArnLike",
    "IpAddress",
];

/// The result of [`analyze`]. Field order and list order are deterministic.
///
/// Vocabulary used below:
///
/// * An action is **allowed** when some `Allow` statement applies to it
///   (`Action` matches, or `NotAction` does not) and no *overriding* `Deny`
///   applies to it. A `Deny` overrides only when it is unconditional, its
///   resource element contains a pattern matching every resource (`*`,
///   `arn:*`, `arn:aws:*`, `arn:aws:*:*:*:*`, …) and it applies to every
///   principal (no `Principal`, or `Principal` `*`). Conditional denies,
///   narrower denies and `NotResource` denies are ignored, which can only
///   make the analysis report *more* access, never less.
/// * **On all resources** means the `Allow` statement has a `Resource`
///   pattern matching every resource, or a `NotResource` that does not
///   exclude everything (an exclusion list is treated as all resources, so
///   that excluding one dummy ARN cannot hide an admin grant), or no resource
///   element at all (trust policies: the attached resource).
/// * **Unconditional** means the `Allow` statement has no `Condition`. Every
///   question is answered twice: unconditionally, and allowing conditional
///   statements too; the second answer is reported as `conditional_*` when it
///   differs.
///
/// Principals are not considered for grants: a resource policy's statement
/// counts as granted whoever it names.
///
/// Questions about whole sets of actions (full admin, a service wildcard,
/// admin-like) are answered exactly, combinations of `Action`, `NotAction`
/// and denies included. Only for adversarial documents (stacks of patterns
/// with several `*` each) whose exact answer would take too long does the
/// search stop early, and then it reports the grant: the cautious side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analysis {
    /// Every action of every service is allowed on all resources without any
    /// condition. `Allow *` with `NotAction` of anything is therefore not full
    /// admin (but see `admin_like`), and neither is `Allow *` minus an
    /// overriding `Deny`.
    pub full_admin: bool,
    /// Not `full_admin`, but every action is allowed on all resources when
    /// the conditional statements' conditions hold.
    pub conditional_full_admin: bool,
    /// Every action of a service the policy never names is allowed on all
    /// resources without condition: the policy grants "everything except an
    /// exclusion list" (`NotAction`, or `*` minus denies). True for
    /// `full_admin` and for PowerUserAccess-style policies.
    pub admin_like: bool,
    /// The [`SENSITIVE_SERVICES`] all of whose actions are allowed on all
    /// resources without condition (via `<service>:*`, `*`, `NotAction`, or
    /// any combination), alphabetically.
    pub wildcard_services: Vec<String>,
    /// The [`SENSITIVE_SERVICES`] not in `wildcard_services` all of whose
    /// actions are allowed on all resources under some condition.
    pub conditional_wildcard_services: Vec<String>,
    /// The [`ESCALATION_METHODS`](crate::ESCALATION_METHODS) whose actions
    /// are all allowed, each on at least one resource it applies to, in
    /// table order. A method is counted even when its actions are confined
    /// to particular ARNs, provided those ARNs can name resources of the
    /// action's types (AWS's Service Authorization Reference) that a
    /// customer can change: `Action: *` on a DynamoDB table grants no IAM
    /// action, and `iam:CreatePolicyVersion` on `arn:aws:iam::aws:policy/*`
    /// (the AWS managed policies) changes nothing.
    pub privilege_escalation: Vec<EscalationFinding>,
    /// Some statement allows anyone (see [`PolicyDocument::is_public`]).
    pub public: bool,
    /// The 0-based indices of the statements that make the policy public.
    pub public_statements: Vec<usize>,
}

impl Analysis {
    /// Whether the policy grants admin or a way to become admin: `full_admin`,
    /// `conditional_full_admin`, `admin_like`, or at least one
    /// privilege-escalation method (conditional ones included; check
    /// [`EscalationFinding::conditional`] to tell them apart) that is not
    /// confined to passing particular roles ([`EscalationFinding::roles`]).
    pub fn grants_admin_or_escalation(&self) -> bool {
        self.full_admin
            || self.conditional_full_admin
            || self.admin_like
            || self
                .privilege_escalation
                .iter()
                .any(|method| method.roles.is_empty())
    }

    /// Whether the policy holds full admin: every action on every resource,
    /// or every action but a short exclusion list that leaves all of IAM in
    /// (which grants the rest in one step); under a condition too.
    pub fn holds_full_admin(&self) -> bool {
        self.full_admin
            || self.conditional_full_admin
            || (self.admin_like && self.wildcard_services.iter().any(|s| s == "iam"))
    }

    /// tenet's one notion of an administrator, which every control that
    /// names one shares: a principal that holds full admin
    /// ([`Analysis::holds_full_admin`]), or that can make itself one through
    /// a privilege-escalation method open to it without a condition.
    pub fn is_administrator(&self) -> bool {
        self.holds_full_admin()
            || self
                .privilege_escalation
                .iter()
                .any(|method| !method.conditional && method.roles.is_empty())
    }

    /// Whether the policy allows anyone (same as the `public` field).
    pub fn is_public(&self) -> bool {
        self.public
    }
}

/// Where a statement applies, resource-wise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// A `Resource` pattern matches every resource.
    All,
    /// `NotResource` with an exclusion list that leaves something.
    AllExcept,
    /// Only `Resource` patterns narrower than everything.
    Some,
    /// Nothing (`Resource: []`, or a `NotResource` excluding everything).
    Nothing,
    /// No resource element: the resource the policy is attached to.
    Implicit,
}

/// Whether a resource pattern matches every ARN: only `*`s, or `arn:` with
/// a partition followed by nothing but `*` segments (`arn:*`, `arn:aws:*`,
/// `arn:aws:*:*:*:*`).
fn is_universal_resource(pattern: &str) -> bool {
    let all_stars = |s: &str| !s.is_empty() && s.chars().all(|c| c == '*');
    if all_stars(pattern) {
        return true;
    }
    let segments: Vec<&str> = pattern.split(':').collect();
    segments.len() >= 2
        && segments.len() <= 6
        && segments[0] == "arn"
        && segments.last().is_some_and(|s| all_stars(s))
        && segments[1..]
            .iter()
            .enumerate()
            .all(|(i, s)| !s.is_empty() && (i == 0 || all_stars(s)))
}

/// Where `statement` applies, resource-wise.
pub(crate) fn scope(statement: &Statement) -> Scope {
    match &statement.resources {
        None => Scope::Implicit,
        Some(Resources::Resource(patterns)) => {
            if patterns.iter().any(|p| is_universal_resource(p)) {
                Scope::All
            } else if patterns.is_empty() {
                Scope::Nothing
            } else {
                Scope::Some
            }
        }
        Some(Resources::NotResource(patterns)) => {
            if patterns.iter().any(|p| is_universal_resource(p)) {
                Scope::Nothing
            } else {
                Scope::AllExcept
            }
        }
    }
}

fn clause(statement: &Statement) -> Clause<'_> {
    match &statement.actions {
        Actions::Action(patterns) => Clause {
            patterns,
            negated: false,
        },
        Actions::NotAction(patterns) => Clause {
            patterns,
            negated: true,
        },
    }
}

/// Whether `statement` is an overriding `Deny`: unconditional, on every
/// resource, for every principal ([`Analysis`] explains why only these).
pub(crate) fn overrides(statement: &Statement) -> bool {
    statement.effect == Effect::Deny
        && !statement.is_conditional()
        && scope(statement) == Scope::All
        && applies_to_everyone(statement)
}

/// Whether `statement` applies to every principal (no `Principal`, or
/// `Principal` `*`).
fn applies_to_everyone(statement: &Statement) -> bool {
    match &statement.principal {
        None => true,
        Some(Principals::Principal(set)) => set.is_everyone(),
        Some(Principals::NotPrincipal(_)) => false,
    }
}

/// The action sets every question about whole sets of actions is asked
/// of, and what a question about one action needs.
struct Grants<'a> {
    broad_unconditional: ActionSet,
    /// `None` when no `Allow` statement has a condition: the same set as
    /// `broad_unconditional`.
    broad_any: Option<ActionSet>,
    /// The `Allow` statements, their action patterns compiled.
    allows: Vec<(&'a Statement, Compiled)>,
    /// The overriding denies, compiled.
    denies: Vec<Compiled>,
}

/// A statement's `Action` or `NotAction`, compiled (case folded) once.
struct Compiled {
    patterns: Vec<Vec<Tok>>,
    negated: bool,
}

impl Compiled {
    /// Compiles the patterns that can match an action of the table: a
    /// pattern whose service is spelt out and is none of the table's
    /// services matches none of its actions, with or without `NotAction`.
    fn new(clause: &Clause<'_>) -> Self {
        let services = &TABLE.services;
        let relevant = |pattern: &&String| match pattern.split_once(':') {
            Some((service, _)) if !service.contains(['*', '?']) => services
                .iter()
                .any(|known| known.eq_ignore_ascii_case(service)),
            _ => true,
        };
        Compiled {
            patterns: clause
                .patterns
                .iter()
                .filter(relevant)
                .map(|pattern| tokenize(pattern, Case::Insensitive))
                .collect(),
            negated: clause.negated,
        }
    }

    /// Whether it covers `action` (case folded).
    fn matches(&self, action: &[char]) -> bool {
        self.patterns.iter().any(|pattern| glob(pattern, action)) != self.negated
    }
}

impl<'a> Grants<'a> {
    /// The set allowed by all statements, conditional ones included.
    fn broad_any(&self) -> &ActionSet {
        self.broad_any.as_ref().unwrap_or(&self.broad_unconditional)
    }

    fn new(document: &'a PolicyDocument) -> Self {
        let statements = &document.statements;
        let denies: Vec<Clause<'_>> = statements
            .iter()
            .filter(|s| overrides(s))
            .map(clause)
            .collect();
        let allows = |broad: bool, unconditional_only: bool| -> Vec<Clause<'_>> {
            statements
                .iter()
                .filter(|s| s.effect == Effect::Allow)
                .filter(|s| !unconditional_only || !s.is_conditional())
                .filter(|s| match scope(s) {
                    Scope::All | Scope::AllExcept | Scope::Implicit => true,
                    Scope::Some => !broad,
                    Scope::Nothing => false,
                })
                .map(clause)
                .collect()
        };
        let conditional = statements
            .iter()
            .any(|s| s.effect == Effect::Allow && s.is_conditional());
        Self {
            broad_unconditional: ActionSet::new(&allows(true, true), &denies),
            broad_any: conditional.then(|| ActionSet::new(&allows(true, false), &denies)),
            allows: statements
                .iter()
                .filter(|s| s.effect == Effect::Allow)
                .map(|s| (s, Compiled::new(&clause(s))))
                .collect(),
            denies: denies.iter().map(Compiled::new).collect(),
        }
    }

    /// Whether `action` can be performed: allowed on resources of every
    /// type its requests always name (or, without such a type, on a
    /// resource of one of its types; see [`resource_types`]), by any
    /// statements, and by unconditional ones.
    fn allows_somewhere(&self, action: &TableAction) -> Reach {
        if self.denies.iter().any(|deny| deny.matches(&action.folded)) {
            return Reach::default();
        }
        let types = action.types;
        let mut any = Coverage::new(types, action.self_service);
        let mut unconditional = Coverage::new(types, action.self_service);
        for (statement, compiled) in &self.allows {
            if !compiled.matches(&action.folded) {
                continue;
            }
            any.add(statement);
            if !statement.is_conditional() {
                unconditional.add(statement);
            }
        }
        Reach {
            any: any.performs(),
            unconditional: unconditional.performs(),
        }
    }
}

/// Which resources of an action's types some statements allow it on.
struct Coverage {
    /// The action's types (`None` for an action the table does not know).
    types: Option<&'static [resource_types::ResourceType]>,
    /// The action gains nothing on the caller itself (see
    /// [`SELF_SERVICE_ACTIONS`]): patterns that name only the caller's own
    /// user cover nothing.
    self_service: bool,
    /// Some statement allows it on every resource.
    all: bool,
    /// For each type, whether some statement names a resource of it that a
    /// customer can change.
    covered: Vec<bool>,
}

impl Coverage {
    fn new(types: Option<&'static [resource_types::ResourceType]>, self_service: bool) -> Self {
        Coverage {
            types,
            self_service,
            all: false,
            covered: vec![false; types.map_or(0, <[_]>::len)],
        }
    }

    /// Adds what `statement`'s resources cover: every resource but for a
    /// statement that names only particular ARNs, which covers the types
    /// its patterns can name outside the `aws` account (whose resources,
    /// the AWS managed policies, no customer can change). For an action
    /// the table does not know, any resource covers it.
    fn add(&mut self, statement: &Statement) {
        match (scope(statement), &statement.resources, self.types) {
            (Scope::Nothing, _, _) => {}
            (Scope::Some, Some(Resources::Resource(patterns)), Some(types)) => {
                // Resources no customer changes, and the caller itself for
                // an action that gains nothing on it, cover nothing.
                let counts = |pattern: &&String| {
                    let useless =
                        owned_by_aws(pattern) || (self.self_service && names_the_caller(pattern));
                    !useless
                };
                for pattern in patterns.iter().filter(counts) {
                    for (covered, kind) in self.covered.iter_mut().zip(types) {
                        *covered |= resource_types::may_match(pattern, kind.glob);
                    }
                }
            }
            (Scope::Some, Some(Resources::Resource(patterns)), None) => {
                self.all |= patterns.iter().any(|pattern| !owned_by_aws(pattern));
            }
            _ => self.all = true,
        }
    }

    /// Whether the action can be performed: on every resource, or on
    /// resources of all its required types (of one of its types when none
    /// is required).
    fn performs(&self) -> bool {
        if self.all {
            return true;
        }
        let Some(types) = self.types else {
            return false;
        };
        if types.iter().any(|kind| kind.required) {
            types
                .iter()
                .zip(&self.covered)
                .all(|(kind, covered)| !kind.required || *covered)
        } else {
            self.covered.iter().any(|covered| *covered)
        }
    }
}

impl Grants<'_> {
    /// The ARN patterns of resources of the formats `globs` that `action`
    /// is allowed on, when every statement that allows it names particular
    /// ARNs (wildcards or not); `None` when one allows it on every
    /// resource.
    fn allowed_on(&self, action: &str, globs: &[&str]) -> Option<Vec<String>> {
        let folded: Vec<char> = action.to_lowercase().chars().collect();
        let types = resource_types::resource_types(action);
        let mut found = Vec::new();
        for (statement, compiled) in &self.allows {
            if !compiled.matches(&folded) {
                continue;
            }
            let mut coverage = Coverage::new(types, false);
            coverage.add(statement);
            if !coverage.performs() {
                continue;
            }
            let (Scope::Some, Some(Resources::Resource(patterns))) =
                (scope(statement), &statement.resources)
            else {
                return None;
            };
            found.extend(
                patterns
                    .iter()
                    .filter(|pattern| {
                        !owned_by_aws(pattern)
                            && globs
                                .iter()
                                .any(|glob| resource_types::may_match(pattern, glob))
                    })
                    .cloned(),
            );
        }
        found.sort();
        found.dedup();
        Some(found)
    }
}

/// The roles a principal can pass ([`confined`] `iam:PassRole` to roles).
fn passable(grants: &[&Grants<'_>]) -> Option<Vec<String>> {
    const PASS_ROLE: &str = "iam:PassRole";
    let role_globs: Vec<&str> = resource_types::resource_types(PASS_ROLE)
        .unwrap_or_default()
        .iter()
        .map(|kind| kind.glob)
        .collect();
    confined(grants, PASS_ROLE, &role_globs)
}

/// The resources of the formats `globs` a principal may perform `action`
/// on: the patterns of its policies and of its boundary, both of which a
/// resource must match. Where both confine it, the literal ARNs both name
/// are exact; otherwise the policies' own patterns are kept (the
/// boundary's when only it confines), which can only reach more resources
/// than the exact answer. `None` when neither confines it.
fn confined(grants: &[&Grants<'_>], action: &str, globs: &[&str]) -> Option<Vec<String>> {
    // A policy variable (`${aws:username}`) names more than itself.
    let literal = |found: &[String]| found.iter().all(|arn| !arn.contains(['*', '?', '$']));
    grants
        .iter()
        .filter_map(|g| g.allowed_on(action, globs))
        .reduce(|a, b| {
            if literal(&a) && literal(&b) {
                a.into_iter().filter(|role| b.contains(role)).collect()
            } else if literal(&b) && !literal(&a) {
                b
            } else {
                a
            }
        })
}

/// Actions of [`ESCALATION_METHODS`] that escalate only on another
/// principal: a new access key or console password for the caller's own
/// user gives it nothing it did not have. AWS's own example policy for
/// "manage your own credentials" grants them on
/// `arn:aws:iam::*:user/${aws:username}`.
const SELF_SERVICE_ACTIONS: &[&str] = &[
    "iam:createaccesskey",
    "iam:createloginprofile",
    "iam:updateloginprofile",
];

/// Whether a `Resource` pattern names only the caller's own user: an IAM
/// user ARN whose name is exactly `${aws:username}`, after an optional path
/// (user names are unique in an account, whatever the path). A pattern
/// with anything else around the variable (`user/*${aws:username}` also
/// matches `user/malice`) names others too.
fn names_the_caller(pattern: &str) -> bool {
    let Some(resource) = pattern.splitn(6, ':').nth(5) else {
        return false;
    };
    let Some(path_and_name) = resource.strip_prefix("user/") else {
        return false;
    };
    let (path, name) = match path_and_name.rsplit_once('/') {
        Some((path, name)) => (Some(path), name),
        None => (None, path_and_name),
    };
    name == "${aws:username}" && path.is_none_or(|path| !path.contains('$'))
}

/// One distinct action of [`ESCALATION_METHODS`], prepared once.
struct TableAction {
    /// Its name, lowercase, as characters.
    folded: Vec<char>,
    /// One of [`SELF_SERVICE_ACTIONS`].
    self_service: bool,
    /// Its resource types.
    types: Option<&'static [resource_types::ResourceType]>,
}

/// The actions of [`ESCALATION_METHODS`], each once, and for each method
/// the indices of its actions.
struct Table {
    actions: Vec<TableAction>,
    methods: Vec<Vec<usize>>,
    /// The services of the actions (`iam`, `ec2`, …), each once.
    services: Vec<&'static str>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut names: Vec<&'static str> = Vec::new();
    let methods = ESCALATION_METHODS
        .iter()
        .map(|method| {
            method
                .actions
                .iter()
                .map(|action| {
                    names
                        .iter()
                        .position(|name| name == action)
                        .unwrap_or_else(|| {
                            names.push(action);
                            names.len() - 1
                        })
                })
                .collect()
        })
        .collect();
    let actions = names
        .iter()
        .map(|name| TableAction {
            folded: name.to_lowercase().chars().collect(),
            self_service: SELF_SERVICE_ACTIONS.contains(&name.to_lowercase().as_str()),
            types: resource_types::resource_types(name),
        })
        .collect();
    let mut services: Vec<&'static str> = names
        .iter()
        .filter_map(|name| name.split_once(':').map(|(service, _)| service))
        .collect();
    services.sort_unstable();
    services.dedup();
    Table {
        actions,
        methods,
        services,
    }
});

/// Whether one action is allowed somewhere.
#[derive(Clone, Copy, Debug, Default)]
struct Reach {
    /// By some statement, conditional or not.
    any: bool,
    /// By an unconditional statement.
    unconditional: bool,
}

/// Whether a resource pattern names only resources of the `aws` account
/// (`arn:aws:iam::aws:policy/…`, the AWS managed policies).
fn owned_by_aws(pattern: &str) -> bool {
    pattern.split(':').nth(4) == Some("aws")
}

/// Analyzes a parsed policy document. See [`Analysis`] for the exact
/// semantics of each answer.
pub fn analyze(document: &PolicyDocument) -> Analysis {
    analyze_within(document, None)
}

/// Analyzes what a principal's policies (`document`) grant within its
/// permissions boundary, when it has one: IAM allows an action only when
/// both allow it. An action set is granted whole when both grant it whole;
/// a method of escalation counts when both allow each of its actions on
/// some resource, and is conditional when either needs a condition. Public
/// access is the policies' own.
pub fn analyze_within(document: &PolicyDocument, boundary: Option<&PolicyDocument>) -> Analysis {
    analyze_bounded(document, boundary.as_slice())
}

/// Analyzes what a principal's policies (`document`) grant within every
/// one of `bounds`: its permissions boundary, and the service control
/// policies of each level of its organization (one document per level, the
/// statements of the level's policies together). IAM allows an action only
/// when the policies and every bound allow it; a bound's Deny removes what
/// it denies. The answers combine as in [`analyze_within`].
pub fn analyze_bounded(document: &PolicyDocument, bounds: &[&PolicyDocument]) -> Analysis {
    let own = Grants::new(document);
    let bounds: Vec<Grants<'_>> = bounds.iter().map(|bound| Grants::new(bound)).collect();
    let grants: Vec<&Grants<'_>> = std::iter::once(&own).chain(&bounds).collect();
    let all = |question: &dyn Fn(&Grants<'_>) -> bool| grants.iter().all(|g| question(g));

    let full_admin = all(&|g| g.broad_unconditional.contains_everything());
    // The conditional answers differ only where some statement is conditional.
    let conditional = grants.iter().any(|g| g.broad_any.is_some());
    let conditional_full_admin =
        !full_admin && conditional && all(&|g| g.broad_any().contains_everything());
    let admin_like = full_admin
        || all(&|g| {
            g.broad_unconditional.contains_everything()
                || g.broad_unconditional.contains_unnamed_service()
        });

    let mut wildcard_services = Vec::new();
    let mut conditional_wildcard_services = Vec::new();
    for service in SENSITIVE_SERVICES {
        if all(&|g| g.broad_unconditional.contains_service(service)) {
            wildcard_services.push((*service).to_owned());
        } else if conditional && all(&|g| g.broad_any().contains_service(service)) {
            conditional_wildcard_services.push((*service).to_owned());
        }
    }

    // Each action once: several methods share `iam:PassRole`.
    let table = &*TABLE;
    let reached: Vec<Reach> = table
        .actions
        .iter()
        .map(|action| {
            grants.iter().map(|g| g.allows_somewhere(action)).fold(
                Reach {
                    any: true,
                    unconditional: true,
                },
                |both, one| Reach {
                    any: both.any && one.any,
                    unconditional: both.unconditional && one.unconditional,
                },
            )
        })
        .collect();
    let reach = |action: &usize| reached.get(*action).copied().unwrap_or_default();
    let mut privilege_escalation: Vec<EscalationFinding> = ESCALATION_METHODS
        .iter()
        .zip(&table.methods)
        .filter(|(_, actions)| actions.iter().all(|a| reach(a).any))
        .map(|(m, actions)| EscalationFinding {
            id: m.id.to_owned(),
            title: m.title.to_owned(),
            actions: m.actions.iter().map(|a| (*a).to_owned()).collect(),
            conditional: actions.iter().any(|a| !reach(a).unconditional),
            roles: Vec::new(),
            role_patterns: Vec::new(),
            takes_over: m.takes_over,
            targets: Vec::new(),
        })
        .collect();
    // The resources a method that takes over existing ones may take over,
    // and the principals one that changes them may change, when its
    // policies confine them.
    for method in &mut privilege_escalation {
        let Some(glob) = ESCALATION_METHODS
            .iter()
            .find(|known| known.id == method.id)
            .and_then(EscalationMethod::target_format)
        else {
            continue;
        };
        let Some(action) = method.actions.iter().find(|action| {
            resource_types::resource_types(action)
                .is_some_and(|types| types.iter().any(|kind| kind.glob == glob))
        }) else {
            continue;
        };
        if let Some(targets) = confined(&grants, action, &[glob]) {
            method.targets = targets;
        }
    }
    // The roles PassRole reaches, asked only of a document that passes some.
    if privilege_escalation
        .iter()
        .any(EscalationFinding::passes_roles)
        && let Some(patterns) = passable(&grants)
    {
        // A policy variable (`${aws:username}`) names more than itself.
        let wildcard = patterns.iter().any(|role| role.contains(['*', '?', '$']));
        for method in privilege_escalation
            .iter_mut()
            .filter(|method| method.passes_roles())
        {
            if wildcard {
                method.role_patterns = patterns.clone();
            } else {
                method.roles = patterns.clone();
            }
        }
    }

    let public_statements = document.public_statements();
    Analysis {
        full_admin,
        conditional_full_admin,
        admin_like,
        wildcard_services,
        conditional_wildcard_services,
        privilege_escalation,
        public: !public_statements.is_empty(),
        public_statements,
    }
}

/// Parses `value` as a policy document and analyzes it.
pub fn analyze_value(value: &Value) -> Result<Analysis, PolicyError> {
    Ok(analyze(&PolicyDocument::parse(value)?))
}

/// Whether a condition confines the statement to known callers or networks.
fn restricts_caller(condition: &Condition) -> bool {
    let operator = &condition.operator;
    let positive = RESTRICTING_OPERATORS.contains(&operator.base.as_str())
        && !operator.if_exists
        && operator.qualifier != Some(SetQualifier::ForAllValues);
    let like = matches!(operator.base.as_str(), "StringLike" | "ArnLike");
    let matches_anyone = |text: &str| {
        (like && text.chars().all(|c| c == '*')) || text == "0.0.0.0/0" || text == "::/0"
    };
    positive
        && RESTRICTING_CONDITION_KEYS
            .iter()
            .any(|key| condition.key_is(key))
        && !condition.values.is_empty()
        && !condition
            .values
            .iter()
            .any(|value| matches_anyone(&value.as_text()))
}

/// Whether a statement allows anyone (see [`PolicyDocument::is_public`]).
pub(crate) fn statement_is_public(statement: &Statement) -> bool {
    let everyone = match &statement.principal {
        Some(Principals::Principal(set)) => set.is_everyone(),
        // "Everyone except these few" is public.
        Some(Principals::NotPrincipal(_)) => true,
        None => false,
    };
    statement.effect == Effect::Allow
        && everyone
        && !statement.conditions.iter().any(restricts_caller)
}

/// Whether a `Deny` statement refuses every S3 action to everyone over plain
/// HTTP, whatever else holds (so not narrowed by any other condition).
fn denies_all_s3_without_tls(statement: &Statement) -> bool {
    let everyone =
        matches!(&statement.principal, Some(Principals::Principal(set)) if set.is_everyone());
    let insecure_only = !statement.conditions.is_empty()
        && statement.conditions.iter().all(|c| {
            c.operator.base == "Bool"
                && c.operator.qualifier.is_none()
                && c.key_is("aws:SecureTransport")
                && c.values.iter().any(|v| v.is_false())
        });
    statement.effect == Effect::Deny
        && everyone
        && insecure_only
        && ActionSet::new(&[clause(statement)], &[])
            .undecided_means(false)
            .contains_service("s3")
}

impl PolicyDocument {
    /// Analyzes the document; same as [`analyze`].
    pub fn analyze(&self) -> Analysis {
        analyze(self)
    }

    /// Whether some statement allows anyone: `Effect: Allow` with `Principal`
    /// `"*"` or `{"AWS": "*"}` (or an `AWS` list containing `"*"`), or with
    /// `NotPrincipal` (everyone but a few), and no condition that confines the
    /// callers: a positive comparison (see [`RESTRICTING_CONDITION_KEYS`]) of
    /// a key such as `aws:SourceArn`, `aws:PrincipalOrgID` or `aws:SourceIp`
    /// whose values do not match everyone (`*` in a `…Like` operator,
    /// `0.0.0.0/0`). Conditions on other keys, such as `aws:SecureTransport`,
    /// do not make a statement private; `…IfExists` and `ForAllValues:`
    /// variants do not either, since they pass when the key is absent.
    /// `Deny` statements are not taken into account.
    pub fn is_public(&self) -> bool {
        self.statements.iter().any(statement_is_public)
    }

    /// The 0-based indices of the statements that make [`is_public`]
    /// true, in document order.
    ///
    /// [`is_public`]: PolicyDocument::is_public
    pub fn public_statements(&self) -> Vec<usize> {
        self.statements
            .iter()
            .enumerate()
            .filter(|(_, s)| statement_is_public(s))
            .map(|(i, _)| i)
            .collect()
    }

    /// Whether the document (an S3 bucket policy) denies requests over plain
    /// HTTP to every given resource, such as `arn:aws:s3:::bucket` and
    /// `arn:aws:s3:::bucket/*`.
    ///
    /// Each resource must be covered by a statement with `Effect: Deny`,
    /// `Principal` `"*"` or `{"AWS": "*"}`, an `Action`/`NotAction` covering
    /// every S3 action (`s3:*`, `*`, …), a `Resource` pattern covering the
    /// resource (wildcards in the given resource are honoured:
    /// `arn:aws:s3:::bucket*` covers `arn:aws:s3:::bucket/*`) or a
    /// `NotResource` that cannot match it, and whose only conditions are
    /// `Bool` or `BoolIfExists` on `aws:SecureTransport` with the value
    /// `false` or `"false"`. A statement with further conditions (such as an
    /// `s3:TlsVersion` check) denies less and does not count. With no
    /// resources given, answers whether at least one such statement exists.
    /// (Should deciding whether a statement covers every S3 action take too
    /// long, as only adversarial patterns can, the statement does not count.)
    pub fn denies_insecure_transport(&self, resources: &[&str]) -> bool {
        let qualifying: Vec<&Statement> = self
            .statements
            .iter()
            .filter(|s| denies_all_s3_without_tls(s))
            .collect();
        if resources.is_empty() {
            return !qualifying.is_empty();
        }
        resources
            .iter()
            .all(|resource| qualifying.iter().any(|s| s.covers_resource(resource)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn universal_resources() {
        for p in [
            "*",
            "**",
            "arn:*",
            "arn:aws:*",
            "arn:aws:*:*:*:*",
            "arn:*:*",
        ] {
            assert!(is_universal_resource(p), "{p}");
        }
        for p in [
            "arn:aws:s3:::*",
            "arn:aws:iam::*",
            "arn:aws:*:*:*:*:*",
            "arn:",
            "arn::*",
            "*/x",
            "arn:aws:*:us-east-1:*:*",
        ] {
            assert!(!is_universal_resource(p), "{p}");
        }
    }
}
