//! [`Observed`]: a fact that a connector either read or could not read.

use serde::{Deserialize, Serialize};

/// A fact as a connector observed it: known, or unavailable with the reason.
///
/// Serialized as `{"known": value}` or `{"unavailable": {"reason": "..."}}`.
/// A field of this type that is missing from a snapshot file deserializes as
/// unavailable ("not present in the snapshot"), never as a default value, so
/// an incomplete snapshot cannot make a control pass.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Observed<T> {
    /// The connector read the fact.
    Known(T),
    /// The connector could not read the fact; `reason` says why (missing
    /// permission, HTTP status, timeout, truncated page, …).
    Unavailable {
        /// Why the fact could not be read, for the person reading the report.
        reason: String,
    },
}

impl<T> Default for Observed<T> {
    fn default() -> Self {
        Observed::unavailable("not present in the snapshot")
    }
}

impl<T> Observed<T> {
    /// An unavailable fact with the given reason.
    pub fn unavailable(reason: impl Into<String>) -> Self {
        Observed::Unavailable {
            reason: reason.into(),
        }
    }

    /// Borrows the value, keeping the unavailable reason.
    pub fn as_ref(&self) -> Observed<&T> {
        match self {
            Observed::Known(value) => Observed::Known(value),
            Observed::Unavailable { reason } => Observed::Unavailable {
                reason: reason.clone(),
            },
        }
    }

    /// The value if it is known.
    pub fn known(&self) -> Option<&T> {
        match self {
            Observed::Known(value) => Some(value),
            Observed::Unavailable { .. } => None,
        }
    }

    /// The value as a `Result` whose error is the unavailable reason.
    pub fn as_result(&self) -> Result<&T, &str> {
        match self {
            Observed::Known(value) => Ok(value),
            Observed::Unavailable { reason } => Err(reason),
        }
    }

    /// Applies `f` to a known value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Observed<U> {
        match self {
            Observed::Known(value) => Observed::Known(f(value)),
            Observed::Unavailable { reason } => Observed::Unavailable { reason },
        }
    }
}

/// The schema of both serialized forms. `unavailable` may also carry `at`,
/// the fact's JSON pointer, which tenet adds where custom controls read the
/// snapshot (their `input`); snapshot files do not carry it.
#[cfg(feature = "schema")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for Observed<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Observed_{}", T::schema_name()).into()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        format!("tenet_inventory::Observed<{}>", T::schema_id()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let known = generator.subschema_for::<T>();
        schemars::json_schema!({
            "description": "A fact a connector either read (`known`) or could not read (`unavailable`, with the reason).",
            "oneOf": [
                {
                    "type": "object",
                    "properties": { "known": known },
                    "required": ["known"],
                    "additionalProperties": false
                },
                {
                    "type": "object",
                    "properties": {
                        "unavailable": {
                            "type": "object",
                            "properties": {
                                "reason": {
                                    "description": "Why the fact could not be read.",
                                    "type": "string"
                                },
                                "at": {
                                    "description": "The fact's JSON pointer in the snapshot; only in a custom control's `input`.",
                                    "type": "string"
                                }
                            },
                            "required": ["reason"],
                            "additionalProperties": false
                        }
                    },
                    "required": ["unavailable"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_both_variants_explicitly() {
        let known: Observed<bool> = Observed::Known(true);
        let unavailable: Observed<bool> = Observed::unavailable("403: needs admin:org");
        assert_eq!(
            serde_json::to_string(&known).ok().as_deref(),
            Some(r#"{"known":true}"#)
        );
        assert_eq!(
            serde_json::to_string(&unavailable).ok().as_deref(),
            Some(r#"{"unavailable":{"reason":"403: needs admin:org"}}"#)
        );
    }

    #[test]
    fn a_wrapper_with_anything_else_in_it_is_refused() {
        let cases = [
            (
                r#"{"unavailable": {"reason": "r", "extra": 2}}"#,
                "unknown field `extra`, expected `reason` at line 1 column 39",
            ),
            (
                r#"{"known": [1], "extra": 2}"#,
                "expected value at line 1 column 13",
            ),
            (
                r#"{"known": [1], "unavailable": {"reason": "r"}}"#,
                "expected value at line 1 column 13",
            ),
            (
                r#"{"known": null}"#,
                "invalid type: null, expected a sequence at line 1 column 14",
            ),
            (
                r#"{"unavailable": {}}"#,
                "missing field `reason` at line 1 column 18",
            ),
        ];
        for (text, message) in cases {
            let parsed: Result<Observed<Vec<u8>>, _> = serde_json::from_str(text);
            assert_eq!(
                parsed.map_err(|err| err.to_string()),
                Err(message.to_owned()),
                "{text}"
            );
        }
    }

    #[test]
    fn missing_field_reads_as_unavailable() {
        #[derive(Deserialize)]
        struct Holder {
            #[serde(default)]
            fact: Observed<bool>,
        }
        let holder: Holder = serde_json::from_str("{}").expect("valid json");
        assert_eq!(
            holder.fact,
            Observed::unavailable("not present in the snapshot")
        );
    }
}
