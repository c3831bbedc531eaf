//! [`Observed`]: a fact that a connector either read or could not read.

use serde::{Deserialize, Serialize};

/// A fact as a connector observed it: known, or unavailable with the reason.
///
/// Serialized as `{"known": value}` or `{"unavailable": {"reason": "..."}}`.
/// A field of this type that is missing from a snapshot file deserializes as
/// unavailable ("not present in the snapshot"), never as a default value, so
/// an incomplete snapshot cannot make a control pass.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
