//! `github.branch.required-checks`: a change reaches a protected branch only
//! after the policy's checks pass (a security scan gates the merge).
//!
//! Rules add up: a check counts when any source known to apply requires it
//! (classic protection's status checks, a ruleset's `required_status_checks`,
//! `code_scanning` with a blocking threshold, or `workflows`), so checks
//! split over several rulesets still gate the branch together.

use serde::Deserialize;
use serde_json::{Value, json};
use tenet_inventory::Observed;

use crate::{
    Context, Outcome, Resource,
    branch::{Effective, Gate, Source, each_branch},
    support::parameter_error,
    verdict::Verdict,
};

/// The control's parameters.
#[derive(Debug, Deserialize)]
struct Params {
    /// Checks that must be required; empty: at least one check.
    required_checks: Vec<String>,
}

/// One outcome per protected branch.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Params = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let wanted = &params.required_checks;
    // The policy's list, in words a reader of a pass does not take for a
    // gap: empty asks for any one check.
    let asked: serde_json::Value = if wanted.is_empty() {
        "any one check".into()
    } else {
        wanted.clone().into()
    };
    each_branch(cx, |resource, rules| {
        judge(resource, rules, wanted).with("checks_the_policy_requires", asked.clone())
    })
}

/// Whether `source` requires a gate that `is` accepts, given that it applies.
fn requires(source: &Source, is: impl Fn(&Gate) -> bool) -> Verdict {
    source.applies.clone().and(|| match &source.checks {
        Observed::Known(gates) => Verdict::from_bool(gates.iter().any(&is)),
        Observed::Unavailable { reason } => Verdict::Unknown(reason.clone()),
    })
}

/// Whether any source requires a gate that `is` accepts.
fn required(rules: &Effective, is: impl Fn(&Gate) -> bool) -> Verdict {
    Verdict::any(
        rules
            .sources
            .iter()
            .map(|source| requires(source, &is))
            .chain(rules.unknown.iter().cloned().map(Verdict::Unknown)),
    )
}

fn judge(resource: Resource, rules: &Effective, wanted: &[String]) -> Outcome {
    let enforced: Vec<String> = rules
        .sources
        .iter()
        .filter(|s| s.applies == Verdict::Yes)
        .filter_map(|s| s.checks.known())
        .flatten()
        .map(Gate::describe)
        .collect();
    let listed = if enforced.is_empty() {
        "no check".to_owned()
    } else {
        enforced.join(", ")
    };
    let non_gating: Vec<&str> = rules
        .sources
        .iter()
        .filter(|s| s.applies == Verdict::Yes)
        .flat_map(|s| s.non_gating.iter().map(String::as_str))
        .collect();
    let why = if non_gating.is_empty() {
        String::new()
    } else {
        format!("; {}", non_gating.join("; "))
    };
    let pass = format!("merging requires {listed}");
    let (verdict, fail) = if wanted.is_empty() {
        (
            required(rules, |_| true),
            format!("no rule requires a check to pass before merging{why}"),
        )
    } else {
        let verdicts: Vec<(String, Verdict)> = wanted
            .iter()
            .map(|name| (name.clone(), required(rules, |gate| gate.is(name))))
            .collect();
        let missing: Vec<&str> = verdicts
            .iter()
            .filter(|(_, v)| *v == Verdict::No)
            .map(|(name, _)| name.as_str())
            .collect();
        (
            Verdict::all(verdicts.iter().map(|(_, v)| v.clone())),
            format!(
                "merging does not require {}; it requires {listed}{why}",
                missing.join(", ")
            ),
        )
    };
    let outcome = match verdict {
        Verdict::Yes => Outcome::pass(resource, pass),
        Verdict::No => Outcome::fail(resource, fail),
        Verdict::Unknown(reason) => {
            Outcome::unavailable(resource, "the checks the branch's rules require", &reason)
        }
    };
    outcome
        .with("rules", rules.evidence())
        .with("checks_by_source", checks_by_source(rules))
}

/// Evidence: the checks each source requires, or why they are unknown.
fn checks_by_source(rules: &Effective) -> Value {
    rules
        .sources
        .iter()
        .map(|source| {
            let mut evidence = json!({
                "source": source.name,
                "checks": match &source.checks {
                    Observed::Known(gates) => json!(gates.iter().map(Gate::describe).collect::<Vec<_>>()),
                    Observed::Unavailable { reason } => json!({ "unavailable": reason }),
                },
            });
            if let (false, Some(fields)) = (source.non_gating.is_empty(), evidence.as_object_mut()) {
                fields.insert("not_gating".to_owned(), json!(source.non_gating));
            }
            evidence
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;

    #[test]
    fn the_catalog_defaults_fit_the_parameters() {
        let control = catalog()
            .get("github.branch.required-checks")
            .expect("in the catalog");
        let params = crate::Params::resolve(&control.meta.parameters, &Default::default());
        assert!(params.typed::<Params>().is_ok());
    }

    fn source(applies: Verdict, checks: Observed<Vec<Gate>>) -> Source {
        Source {
            name: "ruleset".into(),
            checks,
            applies,
            ..Source::default()
        }
    }

    fn status(status: &Outcome) -> crate::CheckStatus {
        status.status
    }

    #[test]
    fn checks_from_several_sources_add_up_and_unknowns_never_pass() {
        let resource = || Resource::new("github:acme/api:branch/main", "GitHub branch");
        let codeql = Observed::Known(vec![Gate::CodeScanning("CodeQL".into())]);
        let review = Observed::Known(vec![Gate::Workflow(
            ".github/workflows/dependency-review.yml".into(),
        )]);
        let wanted = ["CodeQL".to_owned(), "dependency-review".to_owned()];
        let both = Effective {
            sources: vec![
                source(Verdict::Yes, codeql.clone()),
                source(Verdict::Yes, review.clone()),
            ],
            unknown: vec![],
        };
        assert_eq!(
            status(&judge(resource(), &both, &wanted)),
            crate::CheckStatus::Pass
        );
        let undecided = Effective {
            sources: vec![
                source(Verdict::Yes, codeql.clone()),
                source(Verdict::Unknown("condition".into()), review.clone()),
            ],
            unknown: vec![],
        };
        assert_eq!(
            status(&judge(resource(), &undecided, &wanted)),
            crate::CheckStatus::Error
        );
        let unread = Effective {
            sources: vec![source(Verdict::Yes, Observed::unavailable("no parameters"))],
            unknown: vec![],
        };
        assert_eq!(
            status(&judge(resource(), &unread, &[])),
            crate::CheckStatus::Error
        );
        let only_one = Effective {
            sources: vec![source(Verdict::Yes, codeql)],
            unknown: vec![],
        };
        let outcome = judge(resource(), &only_one, &wanted);
        assert_eq!(status(&outcome), crate::CheckStatus::Fail);
        assert_eq!(
            outcome.message,
            "merging does not require dependency-review; it requires code scanning by CodeQL"
        );
        let none = Effective::default();
        assert_eq!(
            status(&judge(resource(), &none, &[])),
            crate::CheckStatus::Fail
        );
    }

    #[test]
    fn a_check_is_named_by_context_tool_or_workflow_file() {
        let cases = [
            (Gate::StatusCheck("ci/build".into()), "ci/build", true),
            (Gate::StatusCheck("ci/build".into()), "build", false),
            (Gate::StatusCheck("CodeQL".into()), "codeql", false),
            (Gate::CodeScanning("CodeQL".into()), "codeql", true),
            (
                Gate::Workflow(".github/workflows/scan.yml".into()),
                "scan",
                true,
            ),
            (
                Gate::Workflow(".github/workflows/scan.yaml".into()),
                "scan.yaml",
                true,
            ),
            (
                Gate::Workflow(".github/workflows/scan.yml".into()),
                ".github/workflows/scan.yml",
                true,
            ),
            (
                Gate::Workflow(".github/workflows/scan.yml".into()),
                "sca",
                false,
            ),
        ];
        for (gate, name, expected) in cases {
            assert_eq!(gate.is(name), expected, "{gate:?} is {name}");
        }
    }
}
