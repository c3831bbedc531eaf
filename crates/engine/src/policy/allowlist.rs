//! Allow-list parameters: each entry a pattern, or a table that records the
//! exception as a waiver does (who owns it, who approved it and when, the
//! ticket, until when). An entry past its `expires` no longer allows
//! anything: checks see only the patterns in force.

use std::ops::Range;

use chrono::NaiveDate;
use serde::Deserialize;
use tenet_rules::ParamValue;
use toml::Spanned;

use super::Validator;
use crate::{
    Approval, PolicyError, did_you_mean,
    scope::{MAX_LIST_ITEMS, MAX_PATTERN_CHARS},
};

/// One entry of an allow-list parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowEntry {
    /// The pattern the control matches (a principal ARN glob, an actor, a
    /// deploy key's `repository/title`).
    pub pattern: String,
    /// Why the exception is accepted; `None` for an entry written as a bare
    /// pattern.
    pub reason: Option<String>,
    /// Who owns the exception.
    pub owner: Option<String>,
    /// Who approved it, when, under which ticket.
    pub approval: Approval,
    /// The last day it allows; `None` when it does not expire.
    pub expires: Option<NaiveDate>,
    /// 1-based line of the parameter in the policy file.
    pub line: usize,
}

impl AllowEntry {
    /// Whether the entry still allows on `day`.
    pub fn in_force(&self, day: NaiveDate) -> bool {
        self.expires.is_none_or(|expires| day <= expires)
    }
}

/// The keys of an entry written as a table.
const KEYS: [&str; 7] = [
    "pattern", "reason", "owner", "approver", "approved", "ticket", "expires",
];

impl Validator<'_> {
    /// The allow-list `value`: its patterns for the checks, and its entries.
    pub(super) fn allowlist(
        &mut self,
        value: &Spanned<toml::Value>,
    ) -> Option<(ParamValue, Vec<AllowEntry>)> {
        let toml::Value::Array(items) = value.get_ref() else {
            self.wrong_type(
                value,
                value.get_ref(),
                tenet_rules::ParamKind::Allowlist.describe(),
            );
            return None;
        };
        if items.len() > MAX_LIST_ITEMS {
            self.too_many_items(value, items.len());
            return None;
        }
        let line = self.line(&value.span());
        let spans = self.item_spans(&value.span(), items.len());
        let mut entries = Vec::new();
        let mut valid = true;
        for ((index, item), span) in items.iter().enumerate().zip(&spans) {
            match self.entry(span, index + 1, item, line) {
                Some(entry) => entries.push(entry),
                None => valid = false,
            }
        }
        if !valid {
            return None;
        }
        let patterns = entries.iter().map(|entry| entry.pattern.clone()).collect();
        Some((ParamValue::StringList(patterns), entries))
    }

    /// Where each of the `count` items of the array at `span` is in the
    /// file, so that an error points at its entry: the array read again
    /// with its items' spans (the policy's tables keep only the array's).
    /// The whole array for each, should that reading fail.
    fn item_spans(&self, span: &Range<usize>, count: usize) -> Vec<Range<usize>> {
        #[derive(Deserialize)]
        struct Items {
            v: Vec<Spanned<toml::Value>>,
        }
        const KEY: &str = "v = ";
        let items = self
            .text
            .get(span.clone())
            .and_then(|array| toml::from_str::<Items>(&format!("{KEY}{array}")).ok())
            .map(|items| items.v)
            .filter(|items| items.len() == count);
        match items {
            Some(items) => items
                .iter()
                .map(|item| {
                    let at = item.span();
                    (at.start + span.start - KEY.len())..(at.end + span.start - KEY.len())
                })
                .collect(),
            None => vec![span.clone(); count],
        }
    }

    /// Entry `number` (1-based) of an allow-list, at `span`.
    fn entry(
        &mut self,
        span: &Range<usize>,
        number: usize,
        item: &toml::Value,
        line: usize,
    ) -> Option<AllowEntry> {
        let mut entry = AllowEntry {
            pattern: String::new(),
            reason: None,
            owner: None,
            approval: Approval::default(),
            expires: None,
            line,
        };
        let table = match item {
            toml::Value::String(pattern) => {
                entry.pattern = pattern.clone();
                return self.pattern_fits(span, number, entry);
            }
            toml::Value::Table(table) => table,
            other => {
                self.errors.push(PolicyError::new(
                    span.clone(),
                    format!(
                        "allow-list entry {number} is {}, expected a pattern or a table",
                        other.type_str()
                    ),
                    "wrong type",
                ));
                return None;
            }
        };
        let mut valid = true;
        for (key, value) in table {
            let text = match value {
                toml::Value::String(text) => Some(text.clone()),
                _ => None,
            };
            let date = |this: &mut Self| {
                this.date(&Spanned::new(span.clone(), value.clone()))
                    .map(Some)
            };
            let ok = match (key.as_str(), text) {
                ("pattern", Some(text)) => {
                    entry.pattern = text;
                    true
                }
                ("reason", Some(text)) => self.set(&mut entry.reason, text, span, number, key),
                ("owner", Some(text)) => self.set(&mut entry.owner, text, span, number, key),
                ("approver", Some(text)) => {
                    self.set(&mut entry.approval.approver, text, span, number, key)
                }
                ("ticket", Some(text)) => {
                    self.set(&mut entry.approval.ticket, text, span, number, key)
                }
                ("approved", _) => date(self)
                    .map(|day| entry.approval.approved = day)
                    .is_some(),
                ("expires", _) => date(self).map(|day| entry.expires = day).is_some(),
                (known, None) if KEYS.contains(&known) => {
                    self.errors.push(PolicyError::new(
                        span.clone(),
                        format!(
                            "allow-list entry {number}: `{known}` is {}, expected a string",
                            value.type_str()
                        ),
                        "wrong type",
                    ));
                    false
                }
                (unknown, _) => {
                    let help = did_you_mean(unknown, KEYS)
                        .or_else(|| Some(format!("an entry accepts {}", KEYS.join(", "))));
                    self.errors.push(
                        PolicyError::new(
                            span.clone(),
                            format!("allow-list entry {number}: unknown key `{unknown}`"),
                            "unknown key",
                        )
                        .with_help(help),
                    );
                    false
                }
            };
            valid &= ok;
        }
        for (key, missing) in [
            ("pattern", entry.pattern.is_empty()),
            ("reason", entry.reason.is_none()),
            ("owner", entry.owner.is_none()),
        ] {
            if missing && valid {
                self.errors.push(
                    PolicyError::new(
                        span.clone(),
                        format!("allow-list entry {number} has no `{key}`"),
                        "missing key",
                    )
                    .with_help(Some(
                        "an entry written as a table records the exception: `pattern`, `reason` and `owner` are required"
                            .into(),
                    )),
                );
                valid = false;
            }
        }
        if !valid {
            return None;
        }
        self.pattern_fits(span, number, entry)
    }

    /// `entry` if its pattern is not too long.
    fn pattern_fits(
        &mut self,
        span: &Range<usize>,
        number: usize,
        entry: AllowEntry,
    ) -> Option<AllowEntry> {
        let length = entry.pattern.chars().count();
        if length > MAX_PATTERN_CHARS {
            self.errors.push(PolicyError::new(
                span.clone(),
                format!(
                    "allow-list entry {number} has a pattern of {length} characters; patterns have at most {MAX_PATTERN_CHARS}"
                ),
                "item too long",
            ));
            return None;
        }
        Some(entry)
    }

    /// Sets a text field of entry `number`; an empty text is an error.
    fn set(
        &mut self,
        field: &mut Option<String>,
        text: String,
        span: &Range<usize>,
        number: usize,
        key: &str,
    ) -> bool {
        if text.trim().is_empty() {
            self.errors.push(PolicyError::new(
                span.clone(),
                format!("allow-list entry {number}: `{key}` may not be empty"),
                "empty",
            ));
            return false;
        }
        *field = Some(text);
        true
    }
}
