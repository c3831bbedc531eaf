//! How evidence values read in text formats, and which of them are links.

use serde_json::Value;
use tenet_engine::Finding;

/// Items of an evidence list of plain values shown before the rest are
/// counted.
pub(crate) const EVIDENCE_ITEMS: usize = 10;

/// Items of an evidence list of objects (each several facts) shown before
/// the rest are counted.
pub(crate) const EVIDENCE_OBJECTS: usize = 5;

/// How many of the evidence list `items` the human formats show:
/// [`EVIDENCE_OBJECTS`] of a list of objects or lists, else
/// [`EVIDENCE_ITEMS`].
pub(crate) fn items_shown(items: &[Value]) -> usize {
    if items.iter().any(|item| item.is_object() || item.is_array()) {
        EVIDENCE_OBJECTS
    } else {
        EVIDENCE_ITEMS
    }
}

/// Rows of an evidence table (the deploy paths of a control's roles, say)
/// shown before the rest are counted.
pub(crate) const EVIDENCE_ROWS: usize = 20;

/// An evidence list that reads best as a table of its own: objects with
/// the same keys, every value a plain one (the deploy paths of a role, the
/// open statements of a trust policy). Its columns are the first object's
/// keys, in their order.
pub(crate) struct Table<'a> {
    /// The column names.
    pub columns: Vec<&'a str>,
    /// One row per object, a value per column.
    pub rows: Vec<Vec<&'a Value>>,
}

/// The evidence list `value` as a [`Table`], or `None` when it is not one
/// (empty, or with a list, an object or a missing key in a row).
pub(crate) fn table(value: &Value) -> Option<Table<'_>> {
    let items = value.as_array()?;
    let columns: Vec<&str> = items
        .first()?
        .as_object()?
        .keys()
        .map(String::as_str)
        .collect();
    let rows = items
        .iter()
        .map(|item| {
            let object = item
                .as_object()
                .filter(|object| object.len() == columns.len())?;
            columns
                .iter()
                .map(|column| {
                    object
                        .get(*column)
                        .filter(|v| !v.is_array() && !v.is_object())
                })
                .collect::<Option<Vec<&Value>>>()
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Table { columns, rows })
}

/// The evidence of `finding` that reads best as tables, by key.
pub(crate) fn tables(finding: &Finding) -> Vec<(&str, Table<'_>)> {
    finding
        .evidence
        .iter()
        .filter_map(|(key, value)| table(value).map(|table| (key.as_str(), table)))
        .collect()
}

/// The evidence tables of several findings under one key, as one table:
/// the deploy paths of every role of a control, after a column naming the
/// finding's resource.
pub(crate) struct Merged<'a> {
    /// The evidence key, e.g. `paths`.
    pub key: &'a str,
    /// The column names, after the resource's.
    pub columns: Vec<&'a str>,
    /// One row per object of every finding, with the finding's resource.
    pub rows: Vec<(&'a str, Vec<&'a Value>)>,
}

/// The evidence tables of `findings` ([`tables`]), merged per key and
/// columns, in the order the findings come: one table a key where a
/// control's findings share its columns.
pub(crate) fn merged<'a>(findings: &[&'a Finding]) -> Vec<Merged<'a>> {
    let mut merged: Vec<Merged<'a>> = Vec::new();
    for finding in findings {
        for (key, table) in tables(finding) {
            let rows = table
                .rows
                .into_iter()
                .map(|row| (finding.resource.id.as_str(), row));
            match merged
                .iter_mut()
                .find(|m| m.key == key && m.columns == table.columns)
            {
                Some(existing) => existing.rows.extend(rows),
                None => merged.push(Merged {
                    key,
                    columns: table.columns,
                    rows: rows.collect(),
                }),
            }
        }
    }
    merged
}

/// What the evidence cell says of a list shown in a table of its own.
pub(crate) fn rows_below(key: &str, table: &Table<'_>) -> String {
    match table.rows.len() {
        1 => format!("1 row, in the {key} table below"),
        n => format!("{n} rows, in the {key} table below"),
    }
}

/// A scalar evidence value for a person: strings as they are, `null` as
/// `unknown`; lists and objects as [`markdown`] writes them, without the
/// Markdown escapes.
pub(crate) fn display(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => "unknown".to_owned(),
        Value::Array(items) if items.is_empty() => "none".to_owned(),
        Value::Array(items) => items.iter().map(display).collect::<Vec<_>>().join(", "),
        Value::Object(map) => map
            .iter()
            .map(|(key, value)| format!("{key}: {}", display(value)))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// An evidence value as Markdown for a table cell, never raw JSON: a list
/// of plain values joined by commas (`none` when empty), a list of objects
/// one numbered item per line, an object as `key: value` pairs; every text
/// escaped. A list longer than [`items_shown`] shows its first items and
/// counts the rest ([`more`]).
pub(crate) fn markdown(value: &Value) -> String {
    markdown_of(value, false)
}

/// [`markdown`] with every item of every list, for OSCAL, whose
/// observations are the record.
pub(crate) fn markdown_whole(value: &Value) -> String {
    markdown_of(value, true)
}

fn markdown_of(value: &Value, whole: bool) -> String {
    let nested = |item: &Value| markdown_of(item, whole);
    let shown = |items: &[Value]| {
        if whole {
            items.len()
        } else {
            items_shown(items)
        }
    };
    match value {
        Value::Array(items) if items.iter().any(|item| item.is_object() || item.is_array()) => {
            let mut lines: Vec<String> = items
                .iter()
                .take(shown(items))
                .enumerate()
                .map(|(index, item)| format!("({}) {}", index + 1, nested(item)))
                .collect();
            lines.extend(more(items.len(), shown(items)));
            lines.join("<br>")
        }
        Value::Array(items) if items.is_empty() => "none".to_owned(),
        Value::Array(items) => {
            let mut parts: Vec<String> = items.iter().take(shown(items)).map(nested).collect();
            parts.extend(more(items.len(), shown(items)));
            parts.join(", ")
        }
        Value::Object(map) => map
            .iter()
            .map(|(key, value)| format!("{}: {}", crate::text::markdown(key), nested(value)))
            .collect::<Vec<_>>()
            .join(", "),
        scalar => match link(scalar) {
            Some(url) => format!("<{url}>"),
            None => crate::text::markdown(&display(scalar)),
        },
    }
}

/// What stands for the items of a list of `len` past the first `shown`:
/// `and 45 more (the JSON report lists every one)`; nothing when none is
/// left out.
pub(crate) fn more(len: usize, shown: usize) -> Option<String> {
    (len > shown).then(|| format!("and {} more (the JSON report lists every one)", len - shown))
}

/// What stands for the rows of an evidence table of `len` past the first
/// [`EVIDENCE_ROWS`]; nothing when none is left out.
pub(crate) fn more_rows(len: usize) -> Option<String> {
    (len > EVIDENCE_ROWS).then(|| {
        format!(
            "and {} more rows (the JSON report lists every one)",
            len - EVIDENCE_ROWS
        )
    })
}

/// The value as a link target, when it is an http(s) URL (an attestation's
/// `evidence_url`, a ticket) made only of characters that need no escaping
/// in Markdown or HTML: printable ASCII except `<>"'`, backtick, `{}|\^`.
pub(crate) fn link(value: &Value) -> Option<&str> {
    let text = value.as_str()?;
    let is_url = text.starts_with("https://") || text.starts_with("http://");
    let plain = text
        .chars()
        .all(|c| c.is_ascii_graphic() && !"<>\"'`{}|\\^".contains(c));
    (is_url && plain).then_some(text)
}

/// The line of the policy file a finding is about, when known: the expired
/// waiver that no longer covers it, else the `policy_line` evidence (an
/// attestation's line), else line 1.
pub(crate) fn policy_line(finding: &Finding) -> usize {
    finding
        .expired_waiver
        .as_ref()
        .map(|waiver| waiver.line)
        .or_else(|| {
            let line = finding.evidence.get("policy_line")?.as_u64()?;
            usize::try_from(line).ok()
        })
        .unwrap_or(1)
}

/// Whether the human formats show the evidence `key`: the allow-list's
/// marks are shown in the finding's status instead.
pub(crate) fn shown(key: &str) -> bool {
    key != tenet_rules::ALLOWLISTED_BY && key != tenet_rules::ALLOWLIST_ENTRIES
}

/// The evidence of `finding` the human formats show: every item but the
/// allow-list's marks ([`shown`]) and a text the finding's message already
/// says word for word (the reason a fact was unavailable, which the
/// message of an undetermined finding quotes). The JSON report keeps all.
pub(crate) fn human(finding: &Finding) -> impl Iterator<Item = (&String, &Value)> {
    finding.evidence.iter().filter(|(key, value)| {
        shown(key)
            && !value
                .as_str()
                .is_some_and(|text| text.len() >= RESTATED && finding.message.contains(text))
    })
}

/// The shortest evidence text [`human`] leaves out when the message has
/// it: a short value (`main`) in a message is a coincidence, not a quote.
const RESTATED: usize = 24;

/// An evidence key as words for a reader: `two_factor_enabled` as
/// `two factor enabled`. The JSON report keeps the key.
pub(crate) fn words(key: &str) -> String {
    key.replace('_', " ")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{display, human, link, markdown, markdown_whole, merged, table};

    #[test]
    fn only_lists_of_flat_objects_with_the_same_keys_are_tables() {
        let paths = json!([
            {"repository": "acme/app", "via": "branch", "status": "open"},
            {"repository": "acme/app", "via": "tag", "status": "open"}
        ]);
        let found = table(&paths).expect("a table");
        assert_eq!(found.columns, ["repository", "via", "status"]);
        assert_eq!(found.rows.len(), 2);
        assert_eq!(found.rows[1][1], &json!("tag"));
        for not_a_table in [
            json!([]),
            json!(["a", "b"]),
            json!({"repository": "acme/app"}),
            json!([{"a": 1}, {"b": 1}]),
            json!([{"a": 1}, {"a": 1, "b": 2}]),
            json!([{"a": [1]}]),
            json!([{"a": {"b": 1}}]),
        ] {
            assert!(table(&not_a_table).is_none(), "{not_a_table}");
        }
    }

    #[test]
    fn values_read_plainly() {
        assert_eq!(display(&json!("admin")), "admin");
        assert_eq!(display(&json!(null)), "unknown");
        assert_eq!(display(&json!(2)), "2");
        assert_eq!(display(&json!(["a", "b"])), "a, b");
        assert_eq!(display(&json!([])), "none");
        assert_eq!(display(&json!({"k": 1, "l": [true]})), "k: 1, l: true");
    }

    #[test]
    fn markdown_evidence_is_lists_and_pairs_never_json() {
        assert_eq!(markdown(&json!(["a|b", "c"])), "a\\|b, c");
        assert_eq!(
            markdown(&json!([{"source": "branch protection", "bypass": []}, {"source": "x"}])),
            "(1) source: branch protection, bypass: none<br>(2) source: x"
        );
        assert_eq!(
            markdown(&json!("https://wiki.example/a")),
            "<https://wiki.example/a>"
        );
        assert_eq!(markdown(&json!(null)), "unknown");
    }

    #[test]
    fn long_lists_show_their_first_items_and_count_the_rest() {
        let twelve: Vec<u32> = (1..=12).collect();
        assert_eq!(
            markdown(&json!(twelve)),
            "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, and 2 more (the JSON report lists every one)"
        );
        assert_eq!(
            markdown_whole(&json!(twelve)),
            "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12"
        );
        let objects: Vec<serde_json::Value> = (1..=7).map(|i| json!({"id": i})).collect();
        let shown = markdown(&json!(objects));
        assert!(shown.starts_with("(1) id: 1<br>"));
        assert!(shown.ends_with("(5) id: 5<br>and 2 more (the JSON report lists every one)"));
        let ten: Vec<u32> = (1..=10).collect();
        assert!(!markdown(&json!(ten)).contains("more"));
    }

    #[test]
    fn evidence_the_message_quotes_is_not_repeated() {
        let reason = "AccessDenied: the tenet-audit role lacks iam:GetAccountSummary";
        let finding = tenet_engine::Finding {
            resource: tenet_rules::Resource::new("arn:aws:iam::1:root", "AWS root user"),
            status: tenet_engine::Status::Error,
            message: format!("could not determine whether the root user has MFA: {reason}"),
            evidence: [
                ("unavailable".to_owned(), json!(reason)),
                ("branch".to_owned(), json!("MFA")),
                (tenet_rules::ALLOWLISTED_BY.to_owned(), json!("allowlist")),
            ]
            .into_iter()
            .collect(),
            waiver: None,
            expired_waiver: None,
        };
        let keys: Vec<&str> = human(&finding).map(|(key, _)| key.as_str()).collect();
        assert_eq!(keys, ["branch"], "a short value the message has is kept");
    }

    #[test]
    fn only_http_urls_are_links() {
        assert_eq!(
            link(&json!("https://wiki.example/ir-plan")),
            Some("https://wiki.example/ir-plan")
        );
        assert_eq!(link(&json!("http://x.example")), Some("http://x.example"));
        assert_eq!(link(&json!("javascript:alert(1)")), None);
        assert_eq!(link(&json!("https://a.example/ b")), None);
        assert_eq!(link(&json!("https://a.example/<b>")), None);
        assert_eq!(link(&json!("https://a.example/a|b")), None);
        assert_eq!(link(&json!(3)), None);
    }

    #[test]
    fn the_tables_of_several_findings_are_one_per_key() {
        let finding = |id: &str, paths: serde_json::Value| tenet_engine::Finding {
            resource: tenet_rules::Resource::new(id, "IAM role"),
            status: tenet_engine::Status::Fail,
            message: "m".into(),
            evidence: [
                ("paths".to_owned(), paths),
                ("issuers".to_owned(), json!(["x"])),
            ]
            .into_iter()
            .collect(),
            waiver: None,
            expired_waiver: None,
        };
        let a = finding(
            "role/a",
            json!([{"repository": "acme/app", "status": "open"}]),
        );
        let b = finding(
            "role/b",
            json!([{"repository": "acme/web", "status": "closed"}, {"repository": "acme/api", "status": "open"}]),
        );
        let other = finding("role/c", json!([{"repository": "acme/x"}]));
        let tables = merged(&[&a, &b, &other]);
        assert_eq!(tables.len(), 2, "other columns make another table");
        assert_eq!(tables[0].columns, ["repository", "status"]);
        let resources: Vec<&str> = tables[0]
            .rows
            .iter()
            .map(|(resource, _)| *resource)
            .collect();
        assert_eq!(resources, ["role/a", "role/b", "role/b"]);
        assert_eq!(tables[1].rows.len(), 1);
    }
}
