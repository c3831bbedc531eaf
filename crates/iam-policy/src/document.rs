//! The policy document model and its parser.

use std::str::FromStr;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::PolicyError;
use crate::wildcard::{Case, action_matches, covers, intersects, resource_matches};

/// The policy language versions AWS accepts.
pub const VERSIONS: [&str; 2] = ["2012-10-17", "2008-10-17"];

const TOP_LEVEL_KEYS: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_KEYS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
const PRINCIPAL_TYPES: [&str; 4] = ["AWS", "Service", "Federated", "CanonicalUser"];

/// The condition operators of the IAM policy grammar, in their canonical
/// spelling (without `ForAllValues:`/`ForAnyValue:` and `IfExists`).
pub const CONDITION_OPERATORS: [&str; 27] = [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

/// A parsed IAM policy document (identity policy, resource policy or trust
/// policy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyDocument {
    /// The `Version` element, if present (`2012-10-17` or `2008-10-17`).
    pub version: Option<String>,
    /// The `Id` element, if present.
    pub id: Option<String>,
    /// The statements, in document order. A single statement object is
    /// parsed as a list of one.
    pub statements: Vec<Statement>,
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Effect {
    /// `"Effect": "Allow"`.
    Allow,
    /// `"Effect": "Deny"`.
    Deny,
}

/// The `Action` or `NotAction` element of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Actions {
    /// `Action`: the statement applies to the actions matching any pattern.
    Action(Vec<String>),
    /// `NotAction`: the statement applies to every action matching none of
    /// the patterns.
    NotAction(Vec<String>),
}

/// The `Resource` or `NotResource` element of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Resources {
    /// `Resource`: the statement applies to the resources matching any pattern.
    Resource(Vec<String>),
    /// `NotResource`: the statement applies to every resource matching none
    /// of the patterns.
    NotResource(Vec<String>),
}

/// The `Principal` or `NotPrincipal` element of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Principals {
    /// `Principal`: the statement applies to these principals.
    Principal(PrincipalSet),
    /// `NotPrincipal`: the statement applies to everyone but these principals.
    NotPrincipal(PrincipalSet),
}

/// The principals named by a `Principal` or `NotPrincipal` element.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PrincipalSet {
    /// The element was the bare string `"*"` (everyone, including anonymous).
    pub wildcard: bool,
    /// `AWS` principals: account ids, ARNs, or `*`.
    pub aws: Vec<String>,
    /// `Service` principals (`ec2.amazonaws.com`, …).
    pub service: Vec<String>,
    /// `Federated` principals (identity providers).
    pub federated: Vec<String>,
    /// `CanonicalUser` principals (S3 canonical user ids).
    pub canonical_user: Vec<String>,
}

impl PrincipalSet {
    /// Whether the set is everyone: `"*"`, or `{"AWS": "*"}` (or an `AWS`
    /// list containing `"*"`).
    pub fn is_everyone(&self) -> bool {
        self.wildcard || self.aws.iter().any(|p| p == "*")
    }
}

/// `ForAllValues:` or `ForAnyValue:`, the set qualifiers of a condition
/// operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SetQualifier {
    /// `ForAllValues:` — every value in the request matches (true when the
    /// key is absent).
    ForAllValues,
    /// `ForAnyValue:` — at least one value in the request matches.
    ForAnyValue,
}

/// A condition operator such as `StringEquals`, `ForAnyValue:StringLike` or
/// `BoolIfExists`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ConditionOperator {
    /// The set qualifier prefix, if any.
    pub qualifier: Option<SetQualifier>,
    /// The base operator in its canonical spelling, one of
    /// [`CONDITION_OPERATORS`].
    pub base: String,
    /// Whether the operator carries the `IfExists` suffix.
    pub if_exists: bool,
}

impl std::fmt::Display for ConditionOperator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.qualifier {
            Some(SetQualifier::ForAllValues) => f.write_str("ForAllValues:")?,
            Some(SetQualifier::ForAnyValue) => f.write_str("ForAnyValue:")?,
            None => {}
        }
        f.write_str(&self.base)?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

/// One value a condition compares against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ConditionValue {
    /// A JSON string.
    String(String),
    /// A JSON boolean.
    Bool(bool),
    /// A JSON number.
    Number(serde_json::Number),
}

impl ConditionValue {
    /// The value as IAM compares it: the string itself, `true`/`false`, or
    /// the number's decimal text.
    pub fn as_text(&self) -> String {
        match self {
            Self::String(s) => s.clone(),
            Self::Bool(b) => b.to_string(),
            Self::Number(n) => n.to_string(),
        }
    }

    /// Whether the value is boolean false (`false` or the string `"false"`,
    /// in any case).
    pub fn is_false(&self) -> bool {
        match self {
            Self::Bool(b) => !b,
            Self::String(s) => s.eq_ignore_ascii_case("false"),
            Self::Number(_) => false,
        }
    }
}

/// One condition: an operator applied to one condition key. A statement's
/// conditions all have to hold (AND); the values of one condition are
/// alternatives (OR).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    /// The operator.
    pub operator: ConditionOperator,
    /// The condition key as written (`aws:SourceIp`). Keys are
    /// case-insensitive; compare with [`Condition::key_is`].
    pub key: String,
    /// The values, in document order.
    pub values: Vec<ConditionValue>,
}

impl Condition {
    /// Whether this condition is on `key`, compared case-insensitively.
    pub fn key_is(&self, key: &str) -> bool {
        self.key.eq_ignore_ascii_case(key)
    }
}

/// One statement of a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// The `Sid`, if present.
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    pub effect: Effect,
    /// `Principal`/`NotPrincipal`; absent in identity policies.
    pub principal: Option<Principals>,
    /// `Action`/`NotAction` (exactly one is required).
    pub actions: Actions,
    /// `Resource`/`NotResource`; absent in trust policies.
    pub resources: Option<Resources>,
    /// The conditions, flattened from `Condition` in document order; empty
    /// when the statement has no `Condition` (or an empty one).
    pub conditions: Vec<Condition>,
}

impl Statement {
    /// Whether the statement has at least one condition.
    pub fn is_conditional(&self) -> bool {
        !self.conditions.is_empty()
    }

    /// Whether the statement's `Action`/`NotAction` covers `action`
    /// (case-insensitive, wildcards honoured).
    pub fn applies_to_action(&self, action: &str) -> bool {
        match &self.actions {
            Actions::Action(patterns) => patterns.iter().any(|p| action_matches(p, action)),
            Actions::NotAction(patterns) => !patterns.iter().any(|p| action_matches(p, action)),
        }
    }

    /// Whether the statement's `Resource`/`NotResource` covers every resource
    /// matched by `resource` (an ARN, which may itself contain wildcards, as
    /// in `arn:aws:s3:::bucket/*`). A statement without a resource element
    /// answers `false`: it applies only to the resource it is attached to,
    /// which this function cannot know.
    pub fn covers_resource(&self, resource: &str) -> bool {
        match &self.resources {
            Some(Resources::Resource(patterns)) => patterns
                .iter()
                .any(|p| covers(p, resource, Case::Sensitive)),
            Some(Resources::NotResource(patterns)) => !patterns
                .iter()
                .any(|p| intersects(p, resource, Case::Sensitive)),
            None => false,
        }
    }

    /// Whether the statement's `Resource`/`NotResource` matches the concrete
    /// ARN `resource`. A statement without a resource element answers `true`
    /// (it applies to the resource it is attached to).
    pub fn applies_to_resource(&self, resource: &str) -> bool {
        match &self.resources {
            Some(Resources::Resource(patterns)) => {
                patterns.iter().any(|p| resource_matches(p, resource))
            }
            Some(Resources::NotResource(patterns)) => {
                !patterns.iter().any(|p| resource_matches(p, resource))
            }
            None => true,
        }
    }
}

impl PolicyDocument {
    /// Parses a policy document from its JSON value.
    ///
    /// Accepts every form of the grammar (a single statement object or an
    /// array, strings or lists of strings, `Principal` `"*"` or a map, …) and
    /// rejects anything else, including unknown keys, with a
    /// [`PolicyError::Invalid`] naming the offending element.
    pub fn parse(value: &Value) -> Result<Self, PolicyError> {
        let Value::Object(top) = value else {
            return Err(invalid(
                "",
                None,
                format!("expected a JSON object, found {}", describe(value)),
            ));
        };
        check_keys(top, &TOP_LEVEL_KEYS, "", None)?;

        let version = match top.get("Version") {
            None => None,
            Some(Value::String(v)) if VERSIONS.contains(&v.as_str()) => Some(v.clone()),
            Some(other) => {
                return Err(invalid(
                    "Version",
                    None,
                    format!(
                        "expected \"2012-10-17\" or \"2008-10-17\", found {}",
                        describe(other)
                    ),
                ));
            }
        };
        let id = match top.get("Id") {
            None => None,
            Some(Value::String(v)) => Some(v.clone()),
            Some(other) => {
                return Err(invalid(
                    "Id",
                    None,
                    format!("expected a string, found {}", describe(other)),
                ));
            }
        };

        let statements = match top.get("Statement") {
            None => {
                return Err(invalid("", None, "missing required key `Statement`"));
            }
            Some(Value::Object(statement)) => {
                vec![parse_statement(statement, "Statement".to_owned(), 0)?]
            }
            Some(Value::Array(items)) => {
                let mut statements = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    let path = format!("Statement[{index}]");
                    let Value::Object(statement) = item else {
                        return Err(invalid(
                            path,
                            Some(index),
                            format!("expected a statement object, found {}", describe(item)),
                        ));
                    };
                    statements.push(parse_statement(statement, path, index)?);
                }
                statements
            }
            Some(other) => {
                return Err(invalid(
                    "Statement",
                    None,
                    format!(
                        "expected a statement object or an array of statement objects, found {}",
                        describe(other)
                    ),
                ));
            }
        };

        Ok(Self {
            version,
            id,
            statements,
        })
    }
}

impl FromStr for PolicyDocument {
    type Err = PolicyError;

    /// Parses a policy document from JSON text.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let value: Value = serde_json::from_str(text).map_err(|e| PolicyError::Json {
            message: e.to_string(),
        })?;
        Self::parse(&value)
    }
}

fn invalid(
    path: impl Into<String>,
    statement: Option<usize>,
    message: impl Into<String>,
) -> PolicyError {
    PolicyError::Invalid {
        path: path.into(),
        statement,
        message: message.into(),
    }
}

/// A short description of a JSON value for error messages.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Number(n) => format!("a number ({n})"),
        Value::String(s) => {
            if s.chars().count() > 60 {
                let head: String = s.chars().take(57).collect();
                format!("a string ({:?}...)", head)
            } else {
                format!("a string ({s:?})")
            }
        }
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

fn join_keys(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_keys(
    object: &Map<String, Value>,
    allowed: &[&str],
    path: &str,
    statement: Option<usize>,
) -> Result<(), PolicyError> {
    for key in object.keys() {
        if allowed.contains(&key.as_str()) {
            continue;
        }
        let hint = match allowed.iter().find(|k| k.eq_ignore_ascii_case(key)) {
            Some(k) => format!(" (keys are case-sensitive: did you mean `{k}`?)"),
            None => String::new(),
        };
        return Err(invalid(
            path,
            statement,
            format!(
                "unknown key `{key}`{hint}; expected one of {}",
                join_keys(allowed)
            ),
        ));
    }
    Ok(())
}

fn parse_statement(
    object: &Map<String, Value>,
    path: String,
    index: usize,
) -> Result<Statement, PolicyError> {
    let at = Some(index);
    check_keys(object, &STATEMENT_KEYS, &path, at)?;

    let sid = match object.get("Sid") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            return Err(invalid(
                format!("{path}.Sid"),
                at,
                format!("expected a string, found {}", describe(other)),
            ));
        }
    };

    let effect = match object.get("Effect") {
        None => return Err(invalid(path, at, "missing required key `Effect`")),
        Some(Value::String(s)) if s == "Allow" => Effect::Allow,
        Some(Value::String(s)) if s == "Deny" => Effect::Deny,
        Some(other) => {
            return Err(invalid(
                format!("{path}.Effect"),
                at,
                format!(
                    "expected \"Allow\" or \"Deny\" (case-sensitive), found {}",
                    describe(other)
                ),
            ));
        }
    };

    let actions = match pick_one(object, "Action", "NotAction", &path, at)? {
        None => {
            return Err(invalid(
                path,
                at,
                "missing required key `Action` or `NotAction`",
            ));
        }
        Some((key, value)) => {
            let list = non_empty(
                parse_actions(value, &format!("{path}.{key}"), at)?,
                &format!("{path}.{key}"),
                at,
                "action",
            )?;
            if key == "Action" {
                Actions::Action(list)
            } else {
                Actions::NotAction(list)
            }
        }
    };

    let resources = match pick_one(object, "Resource", "NotResource", &path, at)? {
        None => None,
        Some((key, value)) => {
            let list = non_empty(
                string_list(value, &format!("{path}.{key}"), at, "a resource ARN")?,
                &format!("{path}.{key}"),
                at,
                "resource",
            )?;
            Some(if key == "Resource" {
                Resources::Resource(list)
            } else {
                Resources::NotResource(list)
            })
        }
    };

    let principal = match pick_one(object, "Principal", "NotPrincipal", &path, at)? {
        None => None,
        Some((key, value)) => {
            let set = parse_principal(value, &format!("{path}.{key}"), at)?;
            Some(if key == "Principal" {
                Principals::Principal(set)
            } else {
                Principals::NotPrincipal(set)
            })
        }
    };

    let conditions = match object.get("Condition") {
        None => Vec::new(),
        Some(value) => parse_conditions(value, &format!("{path}.Condition"), at)?,
    };

    Ok(Statement {
        sid,
        effect,
        principal,
        actions,
        resources,
        conditions,
    })
}

/// Returns which of two mutually exclusive keys is present, if any.
fn pick_one<'a>(
    object: &'a Map<String, Value>,
    key: &'static str,
    not_key: &'static str,
    path: &str,
    at: Option<usize>,
) -> Result<Option<(&'static str, &'a Value)>, PolicyError> {
    match (object.get(key), object.get(not_key)) {
        (Some(_), Some(_)) => Err(invalid(
            path,
            at,
            format!("`{key}` and `{not_key}` cannot both appear in a statement"),
        )),
        (Some(value), None) => Ok(Some((key, value))),
        (None, Some(value)) => Ok(Some((not_key, value))),
        (None, None) => Ok(None),
    }
}

/// A string or a list of strings; every string must be non-empty.
fn string_list(
    value: &Value,
    path: &str,
    at: Option<usize>,
    what: &str,
) -> Result<Vec<String>, PolicyError> {
    // The element's path is spelt out only for an error.
    let item = |value: &Value, index: Option<usize>| match value {
        Value::String(s) if !s.is_empty() => Ok(s.clone()),
        other => Err(invalid(
            match index {
                Some(i) => format!("{path}[{i}]"),
                None => path.to_owned(),
            },
            at,
            format!(
                "expected {what} (a non-empty string), found {}",
                describe(other)
            ),
        )),
    };
    match value {
        Value::String(_) => Ok(vec![item(value, None)?]),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| item(v, Some(i)))
            .collect(),
        other => Err(invalid(
            path,
            at,
            format!(
                "expected a string or a list of strings, found {}",
                describe(other)
            ),
        )),
    }
}

/// `list`, unless it is empty: IAM refuses a statement whose `Action`,
/// `NotAction`, `Resource` or `NotResource` is an empty list (it names no
/// `what`), and reading it as granting nothing (or, negated, everything)
/// would judge a policy IAM never accepted.
fn non_empty(
    list: Vec<String>,
    path: &str,
    at: Option<usize>,
    what: &str,
) -> Result<Vec<String>, PolicyError> {
    if list.is_empty() {
        return Err(invalid(
            path,
            at,
            format!("an empty list: IAM refuses a statement that names no {what} here"),
        ));
    }
    Ok(list)
}

fn parse_actions(value: &Value, path: &str, at: Option<usize>) -> Result<Vec<String>, PolicyError> {
    let list = string_list(value, path, at, "an action")?;
    for (i, action) in list.iter().enumerate() {
        let well_formed = action == "*"
            || action
                .split_once(':')
                .is_some_and(|(service, name)| !service.is_empty() && !name.is_empty());
        if !well_formed {
            let element = if matches!(value, Value::Array(_)) {
                format!("{path}[{i}]")
            } else {
                path.to_owned()
            };
            return Err(invalid(
                element,
                at,
                format!("expected `*` or an action of the form `service:Action`, found {action:?}"),
            ));
        }
    }
    Ok(list)
}

fn parse_principal(
    value: &Value,
    path: &str,
    at: Option<usize>,
) -> Result<PrincipalSet, PolicyError> {
    match value {
        Value::String(s) if s == "*" => Ok(PrincipalSet {
            wildcard: true,
            ..PrincipalSet::default()
        }),
        Value::Object(map) => {
            let mut set = PrincipalSet::default();
            for (kind, ids) in map {
                let list = string_list(ids, &format!("{path}.{kind}"), at, "a principal")?;
                match kind.as_str() {
                    "AWS" => set.aws = list,
                    "Service" => set.service = list,
                    "Federated" => set.federated = list,
                    "CanonicalUser" => set.canonical_user = list,
                    _ => {
                        let hint = match PRINCIPAL_TYPES
                            .iter()
                            .find(|k| k.eq_ignore_ascii_case(kind))
                        {
                            Some(k) => format!(
                                " (principal types are case-sensitive: did you mean `{k}`?)"
                            ),
                            None => String::new(),
                        };
                        return Err(invalid(
                            path,
                            at,
                            format!(
                                "unknown principal type `{kind}`{hint}; expected one of {}",
                                join_keys(&PRINCIPAL_TYPES)
                            ),
                        ));
                    }
                }
            }
            Ok(set)
        }
        other => Err(invalid(
            path,
            at,
            format!(
                "expected \"*\" or an object mapping `AWS`, `Service`, `Federated` or `CanonicalUser` to principals, found {}",
                describe(other)
            ),
        )),
    }
}

/// Parses `ForAnyValue:StringLikeIfExists` and friends, case-insensitively.
fn parse_operator(name: &str) -> Option<ConditionOperator> {
    let lower = name.to_ascii_lowercase();
    let (qualifier, rest) = if let Some(rest) = lower.strip_prefix("forallvalues:") {
        (Some(SetQualifier::ForAllValues), rest)
    } else if let Some(rest) = lower.strip_prefix("foranyvalue:") {
        (Some(SetQualifier::ForAnyValue), rest)
    } else {
        (None, lower.as_str())
    };
    let lookup = |base: &str| {
        CONDITION_OPERATORS
            .iter()
            .find(|op| op.eq_ignore_ascii_case(base))
    };
    // Try the whole name first so that no operator is mistaken for a suffix.
    if let Some(base) = lookup(rest) {
        return Some(ConditionOperator {
            qualifier,
            base: (*base).to_owned(),
            if_exists: false,
        });
    }
    let base = lookup(rest.strip_suffix("ifexists")?)?;
    Some(ConditionOperator {
        qualifier,
        base: (*base).to_owned(),
        if_exists: true,
    })
}

fn parse_conditions(
    value: &Value,
    path: &str,
    at: Option<usize>,
) -> Result<Vec<Condition>, PolicyError> {
    let Value::Object(operators) = value else {
        return Err(invalid(
            path,
            at,
            format!(
                "expected an object mapping condition operators to {{key: value}} objects, found {}",
                describe(value)
            ),
        ));
    };
    let mut conditions = Vec::new();
    for (name, block) in operators {
        let operator_path = format!("{path}.{name}");
        let Some(operator) = parse_operator(name) else {
            return Err(invalid(
                path,
                at,
                format!(
                    "unknown condition operator `{name}`; expected an operator such as `StringEquals`, \
                     `Bool` or `ArnLike`, optionally prefixed with `ForAllValues:`/`ForAnyValue:` \
                     and suffixed with `IfExists`"
                ),
            ));
        };
        let Value::Object(keys) = block else {
            return Err(invalid(
                operator_path,
                at,
                format!(
                    "expected an object mapping condition keys to values, found {}",
                    describe(block)
                ),
            ));
        };
        for (key, raw) in keys {
            let key_path = format!("{operator_path}.{key}");
            let values = match raw {
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| condition_value(item, &key_path, Some(i), at))
                    .collect::<Result<Vec<_>, _>>()?,
                single => vec![condition_value(single, &key_path, None, at)?],
            };
            conditions.push(Condition {
                operator: operator.clone(),
                key: key.clone(),
                values,
            });
        }
    }
    Ok(conditions)
}

/// One value of a condition key at `path` (the `index`-th of its list).
fn condition_value(
    value: &Value,
    path: &str,
    index: Option<usize>,
    at: Option<usize>,
) -> Result<ConditionValue, PolicyError> {
    match value {
        Value::String(s) => Ok(ConditionValue::String(s.clone())),
        Value::Bool(b) => Ok(ConditionValue::Bool(*b)),
        Value::Number(n) => Ok(ConditionValue::Number(n.clone())),
        other => Err(invalid(
            match index {
                Some(i) => format!("{path}[{i}]"),
                None => path.to_owned(),
            },
            at,
            format!(
                "expected a string, boolean or number, or a list of those, found {}",
                describe(other)
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_parse_with_prefixes_and_suffixes() {
        let op = parse_operator("ForAnyValue:StringLikeIfExists").expect("valid operator");
        assert_eq!(op.qualifier, Some(SetQualifier::ForAnyValue));
        assert_eq!(op.base, "StringLike");
        assert!(op.if_exists);
        assert_eq!(op.to_string(), "ForAnyValue:StringLikeIfExists");

        let op = parse_operator("boolifexists").expect("valid operator");
        assert_eq!(op.to_string(), "BoolIfExists");

        assert!(parse_operator("StringEqual").is_none());
        assert!(parse_operator("IfExists").is_none());
        assert!(parse_operator("ForAllValues:").is_none());
    }

    #[test]
    fn long_strings_are_shortened_in_messages() {
        let long = Value::String("x".repeat(100));
        assert_eq!(
            describe(&long),
            format!("a string (\"{}\"...)", "x".repeat(57))
        );
    }
}
