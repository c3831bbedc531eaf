//! Custom property values of an organization's repositories, from one
//! paginated listing (`GET /orgs/{org}/properties/values`, 100 repositories
//! a page), read only when an organization ruleset targets repositories by
//! property: GraphQL has no custom properties.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use tenet_inventory::{
    Observed,
    github::{CustomPropertyValue, PropertyValue, Ruleset},
};

use crate::{client::Client, permissions};

/// One repository of the listing.
#[derive(Debug, Deserialize)]
struct RepositoryValuesJson {
    repository_name: String,
    properties: Option<Vec<PropertyJson>>,
}

/// One property of a repository.
#[derive(Debug, Deserialize)]
struct PropertyJson {
    property_name: String,
    value: Value,
}

/// The custom property values of every repository, or why there are none.
pub(crate) enum Properties {
    /// Not read; the reason says why.
    NotRead(String),
    /// The listing at `path`, by repository name; a repository's entry is
    /// an error when GitHub's answer for it could not be understood.
    Listed {
        /// The request path, for reasons.
        path: String,
        /// Each repository's values.
        values: BTreeMap<String, Result<Vec<CustomPropertyValue>, String>>,
    },
}

impl Properties {
    /// The values of one repository.
    pub(crate) fn for_repository(&self, name: &str) -> Observed<Vec<CustomPropertyValue>> {
        match self {
            Properties::NotRead(reason) => Observed::unavailable(reason),
            Properties::Listed { path, values } => match values.get(name) {
                Some(Ok(values)) => Observed::Known(values.clone()),
                Some(Err(reason)) => Observed::unavailable(reason),
                None => Observed::unavailable(format!("GET {path} did not list {name}")),
            },
        }
    }
}

/// Whether any organization ruleset has a `repository_property` condition.
/// A ruleset whose conditions are unknown is undecided whatever the
/// properties say, so it needs none.
fn needed(rulesets: &Observed<Vec<Ruleset>>) -> bool {
    match rulesets {
        Observed::Known(rulesets) => rulesets.iter().any(|r| match &r.conditions {
            Observed::Known(conditions) => conditions.repository_property.is_some(),
            Observed::Unavailable { .. } => false,
        }),
        Observed::Unavailable { .. } => false,
    }
}

/// Reads the listing when an organization ruleset needs it.
pub(crate) async fn collect(
    client: &Client<'_>,
    org: &str,
    rulesets: &Observed<Vec<Ruleset>>,
) -> Properties {
    if !needed(rulesets) {
        return Properties::NotRead(
            "not collected: no organization ruleset targets repositories by custom property"
                .to_owned(),
        );
    }
    let path = format!("/orgs/{org}/properties/values");
    match client.list::<RepositoryValuesJson>(&path).await {
        Ok(repositories) => Properties::Listed {
            values: repositories
                .into_iter()
                .map(|repo| {
                    let values = convert(&path, &repo);
                    (repo.repository_name, values)
                })
                .collect(),
            path,
        },
        Err(err) => Properties::NotRead(err.reason(permissions::ORG_PROPERTIES)),
    }
}

/// One repository's values, sorted by property name.
fn convert(path: &str, repo: &RepositoryValuesJson) -> Result<Vec<CustomPropertyValue>, String> {
    let name = &repo.repository_name;
    let Some(properties) = &repo.properties else {
        return Err(format!("GET {path} gave no properties for {name}"));
    };
    let mut values = properties
        .iter()
        .map(|property| {
            let value = match &property.value {
                Value::Null => None,
                Value::String(text) => Some(PropertyValue::Single(text.clone())),
                Value::Array(items) => Some(PropertyValue::Multiple(
                    items
                        .iter()
                        .map(|item| item.as_str().map(str::to_owned))
                        .collect::<Option<Vec<_>>>()
                        .ok_or_else(|| {
                            format!(
                                "GET {path}: the value of `{}` for {name} is not a list of texts",
                                property.property_name
                            )
                        })?,
                )),
                _ => {
                    return Err(format!(
                        "GET {path}: the value of `{}` for {name} is neither text, a list nor null",
                        property.property_name
                    ));
                }
            };
            Ok(CustomPropertyValue {
                property_name: property.property_name.clone(),
                value,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    values.sort_by(|a, b| a.property_name.cmp(&b.property_name));
    Ok(values)
}
