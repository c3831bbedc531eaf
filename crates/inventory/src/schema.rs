//! The JSON Schema of the snapshot file, generated from these types (the
//! `schema` feature).

use crate::Snapshot;

/// The JSON Schema of the snapshot file (`tenet schema snapshot`), which is
/// also the `input` custom controls read, pretty-printed.
pub fn schema() -> String {
    let schema = schemars::schema_for!(Snapshot);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// Makes a field's schema also accept `null`: for `Option` fields that the
/// snapshot always writes (`null` for none) and the loader requires, which
/// schemars would otherwise mark optional (`required` alone drops the null).
pub(crate) fn nullable(schema: &mut schemars::Schema) {
    let mut inner = std::mem::replace(schema, schemars::json_schema!({}));
    let description = inner.remove("description");
    *schema = schemars::json_schema!({ "anyOf": [inner, { "type": "null" }] });
    if let Some(description) = description {
        schema.insert("description".to_owned(), description);
    }
}
