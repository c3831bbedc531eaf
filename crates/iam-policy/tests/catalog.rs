//! The escalation table against the public catalog of AWS
//! privilege-escalation paths that cloudsplaining ships
//! (`data/escalation-catalog.tsv`): every path of the catalog, granted on
//! every resource, is found — or is one of the two the table deliberately
//! reads more narrowly, each with its reason.

use serde_json::json;
use tenet_iam_policy::{ESCALATION_METHODS, analyze_value};

const CATALOG: &str = include_str!("../data/escalation-catalog.tsv");

/// Catalog paths whose actions alone do not escalate, and why.
const NARROWER: &[(&str, &str)] = &[
    (
        "PassExistingRoleToNewDataPipeline",
        "CreatePipeline makes an empty pipeline: it runs commands only once \
         datapipeline:PutPipelineDefinition gives it activities (Rhino Security Labs' method)",
    ),
    (
        "PassExistingRoleToNewSageMakerNotebookInstance",
        "a new notebook instance runs the caller's code only when the caller opens it \
         (sagemaker:CreatePresignedNotebookInstanceUrl) or gives it a lifecycle script \
         (sagemaker:CreateNotebookInstanceLifecycleConfig)",
    ),
];

/// The catalog's paths: (name, page, actions).
fn catalog() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    CATALOG
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 3, "{line}");
            (fields[0], fields[1], fields[2].split(' ').collect())
        })
        .collect()
}

#[test]
fn the_catalog_is_read_whole_and_names_its_source() {
    assert!(CATALOG.starts_with("# AWS privilege-escalation paths, from cloudsplaining 0.9.1"));
    assert_eq!(catalog().len(), 59);
}

#[test]
fn every_path_of_the_catalog_is_found_or_deliberately_narrower() {
    let mut missed = Vec::new();
    for (name, _, actions) in catalog() {
        let policy = json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]
        });
        let analysis = analyze_value(&policy).expect("a valid policy");
        let found = analysis.privilege_escalation.iter().any(|method| {
            !method.conditional
                && method
                    .actions
                    .iter()
                    .all(|action| actions.contains(&action.to_lowercase().as_str()))
        });
        if !found {
            missed.push(name);
        }
    }
    let narrower: Vec<&str> = NARROWER.iter().map(|(name, _)| *name).collect();
    assert_eq!(missed, narrower);
}

#[test]
fn every_method_names_its_published_source() {
    let pages: Vec<&str> = catalog().iter().map(|(_, page, _)| *page).collect();
    for method in ESCALATION_METHODS {
        assert!(method.source.starts_with("https://"), "{}", method.id);
        if method.source.starts_with("https://pathfinding.cloud/") {
            assert!(
                pages.contains(&method.source),
                "{}: {} is not in the catalog",
                method.id,
                method.source
            );
        }
    }
}
