//! Control parameters: the values a policy set, over the catalog defaults.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize, de::DeserializeOwned};

use crate::ParamSpec;

/// A parameter value, as given in metadata or in a policy file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// A boolean.
    Boolean(bool),
    /// A non-negative integer.
    Integer(u64),
    /// A string.
    String(String),
    /// A list of strings.
    StringList(Vec<String>),
}

/// The resolved parameters of one control: the policy's values where it set
/// them, the catalog defaults elsewhere.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Params(BTreeMap<String, ParamValue>);

impl Params {
    /// Resolves `overrides` (already type-checked by the engine) over the
    /// defaults in `specs`.
    pub fn resolve(
        specs: &BTreeMap<String, ParamSpec>,
        overrides: &BTreeMap<String, ParamValue>,
    ) -> Params {
        Params(
            specs
                .iter()
                .map(|(name, spec)| {
                    let value = overrides.get(name).unwrap_or(&spec.default);
                    (name.clone(), value.clone())
                })
                .collect(),
        )
    }

    /// The parameters as the control's own `#[derive(Deserialize)]` type,
    /// read once per check, so that defaults live in the metadata file
    /// alone. The engine checks every value against its declared type, and
    /// each control's tests check that its defaults fit its type: an error
    /// here is a catalog bug, which the check reports instead of guessing.
    pub fn typed<T: DeserializeOwned>(&self) -> Result<T, String> {
        serde_json::to_value(&self.0)
            .and_then(serde_json::from_value)
            .map_err(|err| format!("the control's parameters do not fit its type: {err}"))
    }

    /// Every parameter with its value, by name.
    pub fn values(&self) -> &BTreeMap<String, ParamValue> {
        &self.0
    }

    /// An integer parameter; `None` if the control declares no such integer.
    pub fn integer(&self, name: &str) -> Option<u64> {
        match self.0.get(name) {
            Some(ParamValue::Integer(value)) => Some(*value),
            _ => None,
        }
    }

    /// A boolean parameter; `None` if the control declares no such boolean.
    pub fn boolean(&self, name: &str) -> Option<bool> {
        match self.0.get(name) {
            Some(ParamValue::Boolean(value)) => Some(*value),
            _ => None,
        }
    }

    /// A list parameter; empty if the control declares no such list.
    pub fn string_list(&self, name: &str) -> &[String] {
        match self.0.get(name) {
            Some(ParamValue::StringList(values)) => values,
            _ => &[],
        }
    }
}
