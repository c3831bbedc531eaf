//! The compliance frameworks a control's references point into: each
//! catalog's criteria (ids and titles), generated from registry packages by
//! `scripts/regen-frameworks` into `crates/rules/frameworks/`, never typed
//! in by hand. A catalog says how complete its source is: a report lists the
//! criteria no control evidences as "not assessed by tenet" only from what
//! the catalog holds.

use std::sync::OnceLock;

use serde::Deserialize;

/// One framework's catalog.
#[derive(Clone, Debug, Deserialize)]
pub struct Framework {
    /// The short name `--framework` and the policy's `frameworks` take
    /// (`soc2`, `iso27001`, `nist-800-53`, `cis-aws`, `cis-github`).
    #[serde(skip)]
    pub key: &'static str,
    /// The name references use, e.g. `ISO/IEC 27001:2022 Annex A`.
    #[serde(rename = "framework")]
    pub name: String,
    /// The framework's version.
    pub version: String,
    /// Whether the catalog lists every criterion of the framework.
    pub complete: bool,
    /// What the catalog covers, in words.
    pub coverage: String,
    /// Where the catalog comes from (package, version, file, license).
    pub source: String,
    /// The criteria, in the framework's order.
    pub criteria: Vec<Criterion>,
}

/// One requirement of a framework.
#[derive(Clone, Debug, Deserialize)]
pub struct Criterion {
    /// Its id, as the framework writes it (`CC6.1`, `A.8.5`, `IA-2(1)`).
    pub id: String,
    /// Its title.
    pub title: String,
}

impl Framework {
    /// The criterion with this id.
    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|criterion| criterion.id == id)
    }

    /// Whether `id` is written as this framework writes its ids, for the
    /// criteria an incomplete catalog lacks.
    pub fn well_formed(&self, id: &str) -> bool {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        match self.key {
            "soc2" => id.split_once('.').is_some_and(|(series, number)| {
                let common = [
                    "CC1", "CC2", "CC3", "CC4", "CC5", "CC6", "CC7", "CC8", "CC9", "A1", "C1",
                    "PI1",
                ]
                .contains(&series);
                let privacy = matches!(series.as_bytes(), [b'P', d] if (b'1'..=b'8').contains(d));
                (common || privacy) && digits(number)
            }),
            "iso27001" => id
                .strip_prefix("A.")
                .and_then(|rest| rest.split_once('.'))
                .is_some_and(|(theme, number)| {
                    ["5", "6", "7", "8"].contains(&theme) && digits(number)
                }),
            _ => self.criterion(id).is_some(),
        }
    }
}

/// The catalogs, with the key each is known by.
const SOURCES: [(&str, &str); 5] = [
    ("soc2", include_str!("../frameworks/soc2.json")),
    ("iso27001", include_str!("../frameworks/iso27001-2022.json")),
    (
        "nist-800-53",
        include_str!("../frameworks/nist-800-53-r5.json"),
    ),
    ("cis-aws", include_str!("../frameworks/cis-aws.json")),
    ("cis-github", include_str!("../frameworks/cis-github.json")),
];

/// Every framework catalog, parsed once.
pub fn frameworks() -> &'static [Framework] {
    static FRAMEWORKS: OnceLock<Vec<Framework>> = OnceLock::new();
    FRAMEWORKS.get_or_init(|| {
        SOURCES
            .iter()
            .filter_map(|(key, text)| {
                // The files are generated and tested; one that does not
                // parse is left out rather than crashing a scan.
                let mut framework: Framework = serde_json::from_str(text).ok()?;
                framework.key = key;
                Some(framework)
            })
            .collect()
    })
}

/// The framework a reference names (by its full name), or `--framework`
/// names (by its key).
pub fn framework(name_or_key: &str) -> Option<&'static Framework> {
    frameworks()
        .iter()
        .find(|f| f.key == name_or_key || f.name == name_or_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_parses_with_unique_ids() {
        assert_eq!(frameworks().len(), SOURCES.len());
        for framework in frameworks() {
            let mut ids: Vec<&str> = framework.criteria.iter().map(|c| c.id.as_str()).collect();
            assert!(!ids.is_empty(), "{}", framework.name);
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), framework.criteria.len(), "{}", framework.name);
        }
    }

    /// Every reference of every built-in control to a framework with a
    /// catalog names one of its criteria; where the catalog is partial
    /// (SOC 2, ISO), an id outside it must at least be written as the
    /// framework writes ids. Every control evidences some ISO and NIST
    /// requirement.
    #[test]
    fn every_reference_names_a_criterion() {
        let mut problems = Vec::new();
        for control in crate::catalog().controls() {
            let meta = &control.meta;
            for reference in &meta.references {
                let Some(framework) = framework(&reference.framework) else {
                    continue;
                };
                let known = framework.criterion(&reference.id).is_some()
                    || (!framework.complete && framework.well_formed(&reference.id));
                if !known {
                    problems.push(format!(
                        "{}: {} {}",
                        meta.id, reference.framework, reference.id
                    ));
                }
            }
            for key in ["iso27001", "nist-800-53"] {
                let name = framework(key).map(|f| f.name.as_str()).unwrap_or_default();
                if !meta.references.iter().any(|r| r.framework == name) {
                    problems.push(format!("{}: no {key} reference", meta.id));
                }
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn ids_are_judged_as_each_framework_writes_them() {
        let cases = [
            ("soc2", "CC6.1", true),
            ("soc2", "CC1.4", true),
            ("soc2", "A1.3", true),
            ("soc2", "P4.2", true),
            ("soc2", "CC10.1", false),
            ("soc2", "cc6.1", false),
            ("soc2", "CC6", false),
            ("iso27001", "A.8.28", true),
            ("iso27001", "A.9.1", false),
            ("iso27001", "8.28", false),
            ("nist-800-53", "IA-2(1)", true),
            ("nist-800-53", "IA-2(99)", false),
            ("cis-aws", "2.10", true),
            ("cis-aws", "1.5", false),
            ("cis-github", "1.1.4", true),
        ];
        for (key, id, expected) in cases {
            let framework = framework(key).expect("a framework");
            assert_eq!(framework.well_formed(id), expected, "{key} {id}");
        }
    }
}
