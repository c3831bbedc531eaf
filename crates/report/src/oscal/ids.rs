//! The identifiers and scalar values of tenet's OSCAL documents, each as the
//! NIST schema types it: UUIDs (version 5, so the same report always gives
//! the same bytes), control ids (tokens), property values (one trimmed
//! line), Markdown lines and timestamps.

use chrono::{DateTime, SecondsFormat, Utc};
use uuid::Uuid;

use crate::text;

/// The namespace of tenet's own property names (OSCAL's `ns`).
pub(super) const NS: &str = "https://docs.rs/tenet-report/latest/tenet_report/oscal/";

/// The namespace every tenet UUID derives from: the version 5 UUID of
/// [`NS`] in RFC 4122's URL namespace.
fn root() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, NS.as_bytes())
}

/// A version 5 UUID of `parts` (joined by NUL, which no part holds) under
/// `parent`, or under tenet's root namespace.
pub(super) fn uuid(parent: Option<&str>, parts: &[&str]) -> String {
    let parent = parent
        .and_then(|p| Uuid::parse_str(p).ok())
        .unwrap_or_else(root);
    Uuid::new_v5(&parent, parts.join("\0").as_bytes()).to_string()
}

/// A catalog's control id as an OSCAL token (an XML NCName: a letter or
/// `_` first, then letters, digits, `.`, `-`, `_`), as NIST's OSCAL
/// catalogs write ids: lower case, an enhancement `AC-2(1)` as `ac-2.1`.
/// Any other character becomes `_`; an id that would start with a digit
/// (CIS `1.4`) is prefixed with the catalog's key (`cis-aws-1.4`).
pub(super) fn control_id(catalog: &str, id: &str) -> String {
    let mut token = String::with_capacity(id.len());
    for c in id.chars() {
        match c {
            '(' => token.push('.'),
            ')' => {}
            c if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') => {
                token.extend(c.to_lowercase());
            }
            _ => token.push('_'),
        }
    }
    if token.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        token
    } else {
        format!("{catalog}-{token}")
    }
}

/// Text as an OSCAL string (a property value): one line ([`text::visible`]),
/// without leading or trailing white space, never empty.
pub(super) fn value(text: &str) -> String {
    let line = text::visible(text);
    match line.trim() {
        "" => "(empty)".to_owned(),
        trimmed => trimmed.to_owned(),
    }
}

/// Text from outside as one line of Markdown (a title): escaped as the
/// Markdown reports escape it, never empty.
pub(super) fn line(text: &str) -> String {
    match text::markdown(text) {
        escaped if escaped.trim().is_empty() => "(empty)".to_owned(),
        escaped => escaped,
    }
}

/// A timestamp as OSCAL writes one: RFC 3339, whole seconds, UTC as `Z`.
pub(super) fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The token pattern of NIST's schema (`TokenDatatype`).
    fn is_token(text: &str) -> bool {
        let mut chars = text.chars();
        chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && chars.all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
    }

    #[test]
    fn control_ids_are_tokens_as_nist_writes_them() {
        let cases = [
            ("nist-800-53", "AC-2", "ac-2"),
            ("nist-800-53", "AC-2(1)", "ac-2.1"),
            ("nist-800-53", "SI-4(20)", "si-4.20"),
            ("soc2", "CC6.1", "cc6.1"),
            ("iso27001", "A.8.5", "a.8.5"),
            ("cis-aws", "1.4", "cis-aws-1.4"),
            ("cis-github", "1.1.18", "cis-github-1.1.18"),
            ("tenet", "custom.acme.tag check", "custom.acme.tag_check"),
            ("tenet", "", "tenet-"),
        ];
        for (catalog, id, expected) in cases {
            let token = control_id(catalog, id);
            assert_eq!(token, expected, "{catalog} {id}");
            assert!(is_token(&token), "{token}");
        }
    }

    /// Every criterion of every catalog has a token, distinct within its
    /// catalog.
    #[test]
    fn every_catalog_id_maps_to_a_distinct_token() {
        for framework in tenet_rules::frameworks() {
            let mut tokens: Vec<String> = framework
                .criteria
                .iter()
                .map(|criterion| control_id(framework.key, &criterion.id))
                .collect();
            assert!(
                tokens.iter().all(|token| is_token(token)),
                "{}",
                framework.key
            );
            tokens.sort_unstable();
            tokens.dedup();
            assert_eq!(tokens.len(), framework.criteria.len(), "{}", framework.key);
        }
    }

    #[test]
    fn uuids_are_version_5_and_stable() {
        let a = uuid(None, &["result", "x"]);
        assert_eq!(a, uuid(None, &["result", "x"]));
        assert_ne!(a, uuid(None, &["result", "y"]));
        assert_ne!(a, uuid(None, &["resultx", ""]));
        let child = uuid(Some(&a), &["observation"]);
        assert_ne!(child, uuid(None, &["observation"]));
        assert_eq!(Uuid::parse_str(&child).map(|u| u.get_version_num()), Ok(5));
    }

    #[test]
    fn values_are_one_trimmed_line() {
        assert_eq!(value("  a\nb "), "a\\nb");
        assert_eq!(value(" \t"), "\\t");
        assert_eq!(value("   "), "(empty)");
        assert_eq!(line("a|b\n"), "a\\|b\\\\n");
    }
}
