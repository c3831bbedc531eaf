//! The snapshot as the rules' `input`: the snapshot file's JSON, each
//! unavailable fact marked with its place (`at`, a JSON pointer), converted
//! once per evaluation.

use serde_json::{Map, Value as Json};
use tenet_inventory::Snapshot;

/// `snapshot` as a Rego value, or why it cannot be one.
pub(crate) fn input(snapshot: &Snapshot) -> Result<regorus::Value, String> {
    let mut json = serde_json::to_value(snapshot).map_err(|err| err.to_string())?;
    mark_unavailable(&mut json, &mut String::new());
    serde_json::from_value(json).map_err(|err| err.to_string())
}

/// Adds `"at": POINTER` to every `{"unavailable": {"reason": …}}` below
/// `json`, whose own pointer is `pointer`.
fn mark_unavailable(json: &mut Json, pointer: &mut String) {
    match json {
        Json::Object(object) => {
            if let Some(unavailable) = unavailable(object) {
                unavailable.insert("at".to_owned(), Json::String(pointer.clone()));
                return;
            }
            for (key, value) in object.iter_mut() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                mark_unavailable(value, pointer);
                pointer.truncate(len);
            }
        }
        Json::Array(items) => {
            for (index, value) in items.iter_mut().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&index.to_string());
                mark_unavailable(value, pointer);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// The inner object of an `Observed::Unavailable`, as serde writes it.
fn unavailable(object: &mut Map<String, Json>) -> Option<&mut Map<String, Json>> {
    if object.len() != 1 {
        return None;
    }
    match object.get_mut("unavailable") {
        Some(Json::Object(inner)) if inner.get("reason").is_some_and(Json::is_string) => {
            Some(inner)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn unavailable_facts_are_marked_with_their_place() {
        let mut json = json!({
            "github": [{"login": "acme", "repositories": {"unavailable": {"reason": "403"}},
                        "members": {"known": [{"a/b": {"unavailable": {"reason": "x"}}}]}}]
        });
        mark_unavailable(&mut json, &mut String::new());
        assert_eq!(
            json["github"][0]["repositories"]["unavailable"]["at"],
            "/github/0/repositories"
        );
        assert_eq!(
            json["github"][0]["members"]["known"][0]["a/b"]["unavailable"]["at"],
            "/github/0/members/known/0/a~1b"
        );
    }
}
