//! Conditions the analyzer can decide: dates against the time of the scan,
//! and the caller's account against the account scanned.
//!
//! [`PolicyDocument::resolve`] rewrites a document for a [`RequestContext`]:
//! a statement with a condition that no future request can meet grants (or
//! denies) nothing, and a condition every future request meets is dropped.
//! Every other condition stays, and the statement stays conditional.
//!
//! Decided, per AWS's condition-key reference:
//!
//! * `aws:CurrentTime` (ISO 8601) and `aws:EpochTime` (seconds), present in
//!   every request: `Date…`/`Numeric…` comparisons. `…LessThan` a time
//!   already past is never met; `…GreaterThan` a time already past is always
//!   met. A time still ahead is undecided: the statement applies until, or
//!   from, then.
//! * `aws:TokenIssueTime`, present only with temporary credentials, which
//!   live at most 36 hours (`GetSessionToken`, `GetFederationToken`):
//!   `DateLessThan…` a time more than 36 hours before the scan is never met,
//!   since no credential issued then still works and long-term credentials
//!   lack the key. With `IfExists`, long-term credentials meet it:
//!   undecided.
//! * `aws:PrincipalAccount`, present in every request: `StringEquals`,
//!   `StringLike` and their negations, against the account the principal
//!   belongs to, when it is known, in statements without a `Principal`
//!   (identity policies; in a resource policy the caller may be anyone's).
//!
//! Operators with a set qualifier (`ForAllValues:`, `ForAnyValue:`), values
//! that are not a time, and every other key stay undecided.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::document::{
    Actions, Condition, ConditionValue, Effect, PolicyDocument, Resources, Statement,
};
use crate::wildcard::{Case, wildcard_match};

/// The longest a temporary credential lives: 36 hours (`GetSessionToken`
/// and `GetFederationToken`).
const LONGEST_SESSION: TimeDelta = TimeDelta::hours(36);

/// What is known of every request a policy will be asked about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    /// The time of the scan: every request is at this time or later.
    pub now: Option<DateTime<Utc>>,
    /// The 12-digit account of the principal whose policies these are.
    pub account: Option<String>,
}

/// Whether a condition holds for every request from now on, for none, or
/// depends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Always,
    Never,
    Depends,
}

/// A comparison of a time condition, seen from the time it is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Comparison {
    Less { or_equal: bool },
    Greater { or_equal: bool },
}

fn comparison(base: &str) -> Option<Comparison> {
    Some(match base {
        "DateLessThan" | "NumericLessThan" => Comparison::Less { or_equal: false },
        "DateLessThanEquals" | "NumericLessThanEquals" => Comparison::Less { or_equal: true },
        "DateGreaterThan" | "NumericGreaterThan" => Comparison::Greater { or_equal: false },
        "DateGreaterThanEquals" | "NumericGreaterThanEquals" => {
            Comparison::Greater { or_equal: true }
        }
        _ => return None,
    })
}

/// A condition value as a time: ISO 8601 (with a time zone, or a bare
/// date) or seconds since the epoch.
fn time(value: &ConditionValue) -> Option<DateTime<Utc>> {
    let text = value.as_text();
    if let Ok(seconds) = text.parse::<i64>() {
        return DateTime::from_timestamp(seconds, 0);
    }
    if let Ok(time) = DateTime::parse_from_rfc3339(&text) {
        return Some(time.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .ok()
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|time| time.and_utc())
}

/// A comparison of a key present in every request, whose value is the time
/// of the request (`now` or later), with `values` (any may match).
fn request_time(comparison: Comparison, values: &[DateTime<Utc>], now: DateTime<Utc>) -> Decision {
    match comparison {
        // Met by some later request only while a value is ahead.
        Comparison::Less { or_equal } => {
            let ahead = values.iter().any(|value| {
                if or_equal {
                    *value >= now
                } else {
                    *value > now
                }
            });
            if ahead {
                Decision::Depends
            } else {
                Decision::Never
            }
        }
        // Met by every request once a value is behind.
        Comparison::Greater { or_equal } => {
            let behind = values.iter().any(|value| {
                if or_equal {
                    *value <= now
                } else {
                    *value < now
                }
            });
            if behind {
                Decision::Always
            } else {
                Decision::Depends
            }
        }
    }
}

impl RequestContext {
    /// Decides `condition` of a statement; `identity` when the statement
    /// has no `Principal` (an identity policy's, whose caller is the
    /// principal of `self.account`).
    fn decide(&self, condition: &Condition, identity: bool) -> Decision {
        let operator = &condition.operator;
        if operator.qualifier.is_some() || condition.values.is_empty() {
            return Decision::Depends;
        }
        if condition.key_is("aws:PrincipalAccount") {
            return if identity {
                self.principal_account(condition)
            } else {
                Decision::Depends
            };
        }
        let (Some(now), Some(comparison)) = (self.now, comparison(&operator.base)) else {
            return Decision::Depends;
        };
        let Some(values) = condition
            .values
            .iter()
            .map(time)
            .collect::<Option<Vec<_>>>()
        else {
            return Decision::Depends;
        };
        let numeric = operator.base.starts_with("Numeric");
        if (condition.key_is("aws:CurrentTime") && !numeric) || condition.key_is("aws:EpochTime") {
            request_time(comparison, &values, now)
        } else if condition.key_is("aws:TokenIssueTime") && !numeric && !operator.if_exists {
            // Issued no earlier than 36 hours before any request to come.
            match request_time(comparison, &values, now - LONGEST_SESSION) {
                Decision::Never => Decision::Never,
                _ => Decision::Depends,
            }
        } else {
            Decision::Depends
        }
    }

    fn principal_account(&self, condition: &Condition) -> Decision {
        let Some(account) = &self.account else {
            return Decision::Depends;
        };
        let matches = |like: bool| {
            condition.values.iter().any(|value| {
                let value = value.as_text();
                if like {
                    wildcard_match(&value, account, Case::Sensitive)
                } else {
                    value == *account
                }
            })
        };
        let (hit, negated) = match condition.operator.base.as_str() {
            "StringEquals" => (matches(false), false),
            "StringLike" => (matches(true), false),
            "StringNotEquals" => (matches(false), true),
            "StringNotLike" => (matches(true), true),
            _ => return Decision::Depends,
        };
        if hit != negated {
            Decision::Always
        } else {
            Decision::Never
        }
    }
}

/// A statement that applies to nothing: what a statement whose condition no
/// request meets amounts to. Kept in place so that statement indices hold.
fn inert(statement: &Statement) -> Statement {
    Statement {
        sid: statement.sid.clone(),
        effect: Effect::Allow,
        principal: None,
        actions: Actions::Action(Vec::new()),
        resources: Some(Resources::Resource(Vec::new())),
        conditions: Vec::new(),
    }
}

impl PolicyDocument {
    /// The document as it applies to every request from `context` on: each
    /// statement with a condition no such request meets made inert (it
    /// allows and denies nothing; indices are kept), and conditions every
    /// such request meets removed. See the module documentation for what
    /// is decided; everything else is kept as written.
    pub fn resolve(&self, context: &RequestContext) -> Cow<'_, PolicyDocument> {
        if self.statements.iter().all(|s| !s.is_conditional()) {
            return Cow::Borrowed(self);
        }
        let statements = self
            .statements
            .iter()
            .map(|statement| {
                let mut kept = Vec::new();
                for condition in &statement.conditions {
                    match context.decide(condition, statement.principal.is_none()) {
                        Decision::Never => return inert(statement),
                        Decision::Always => {}
                        Decision::Depends => kept.push(condition.clone()),
                    }
                }
                Statement {
                    conditions: kept,
                    ..statement.clone()
                }
            })
            .collect();
        Cow::Owned(PolicyDocument {
            version: self.version.clone(),
            id: self.id.clone(),
            statements,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn times_are_read_in_every_documented_form() {
        for text in [
            "2020-01-02T00:00:00Z",
            "2020-01-02",
            "1577923200",
            "2020-01-02T01:00:00+01:00",
        ] {
            assert_eq!(
                time(&ConditionValue::String(text.into())),
                Some(at("2020-01-02T00:00:00Z")),
                "{text}"
            );
        }
        assert_eq!(time(&ConditionValue::String("soon".into())), None);
    }

    #[test]
    fn request_times_are_decided_once_past() {
        let now = at("2026-12-04T00:00:00Z");
        let past = [at("2020-01-01T00:00:00Z")];
        let ahead = [at("2099-01-01T00:00:00Z")];
        let less = Comparison::Less { or_equal: false };
        let greater = Comparison::Greater { or_equal: false };
        assert_eq!(request_time(less, &past, now), Decision::Never);
        assert_eq!(request_time(less, &ahead, now), Decision::Depends);
        assert_eq!(request_time(greater, &past, now), Decision::Always);
        assert_eq!(request_time(greater, &ahead, now), Decision::Depends);
        // Any value may match.
        assert_eq!(
            request_time(less, &[past[0], ahead[0]], now),
            Decision::Depends
        );
        // At the very moment of the scan.
        assert_eq!(request_time(less, &[now], now), Decision::Never);
        assert_eq!(
            request_time(Comparison::Less { or_equal: true }, &[now], now),
            Decision::Depends
        );
        assert_eq!(
            request_time(Comparison::Greater { or_equal: true }, &[now], now),
            Decision::Always
        );
    }
}
