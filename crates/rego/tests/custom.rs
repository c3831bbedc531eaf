//! Custom controls loaded from files and evaluated against the demo
//! snapshot: every problem reported at once, and every way a rule could
//! pass what it did not see turned into `error`.

use std::{collections::BTreeMap, path::Path};

use tenet_inventory::Snapshot;
use tenet_rules::{CheckStatus, Context, Control, Outcome, ParamValue, Params, RunMemo};

/// The demo snapshot, with `edit` applied to its JSON.
fn snapshot(edit: impl FnOnce(&mut serde_json::Value)) -> Snapshot {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo/snapshot.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("demo snapshot")).expect("json");
    edit(&mut json);
    serde_json::from_value(json).expect("a snapshot")
}

/// Writes `files` (name, text) into a new directory and loads it.
fn load(files: &[(&str, &str)]) -> (tempfile::TempDir, Result<Vec<Control>, Vec<String>>) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("written");
    }
    let loaded = tenet_rego::load(&[dir.path().to_owned()]).map_err(|diagnostics| {
        diagnostics
            .iter()
            .map(|d| {
                d.to_string()
                    .replace(&dir.path().display().to_string(), "DIR")
            })
            .collect()
    });
    (dir, loaded)
}

/// The metadata of a control about GitHub repositories, with `parameters`.
fn meta(id: &str, parameters: &str) -> String {
    format!(
        "id = \"{id}\"\ntitle = \"t\"\npillar = \"least-privilege\"\nseverity = \"high\"\nresource = \"GitHub repository\"\nrationale = \"r\"\nremediation = \"m\"\n{parameters}"
    )
}

/// The outcomes of the one control of `module`, with `params` set.
fn run(module: &str, snapshot: &Snapshot, params: &[(&str, ParamValue)]) -> Vec<Outcome> {
    let id = "custom.test.rule";
    let declared: String = params
        .iter()
        .map(|(name, _)| {
            format!(
                "[parameters.{name}]\ntype = \"string_list\"\ndefault = []\ndescription = \"d\"\n"
            )
        })
        .collect();
    let (_dir, loaded) = load(&[
        (&format!("{id}.toml"), &meta(id, &declared)),
        (&format!("{id}.rego"), module),
    ]);
    let controls = loaded.expect("the control loads");
    let control = &controls[0];
    let overrides: BTreeMap<String, ParamValue> = params
        .iter()
        .map(|(name, value)| ((*name).to_owned(), value.clone()))
        .collect();
    let params = Params::resolve(&control.meta.parameters, &overrides);
    control.check.run(&Context {
        snapshot,
        params: &params,
        as_of: snapshot.collected_at.date_naive(),
        attestations: &[],
        protected_branches: &[],
        memo: &RunMemo::default(),
    })
}

fn statuses(outcomes: &[Outcome]) -> Vec<(String, CheckStatus, String)> {
    outcomes
        .iter()
        .map(|o| (o.resource.id.clone(), o.status, o.message.clone()))
        .collect()
}

/// A rule that passes a repository unless it *sees* an outside
/// collaborator: the shape that silently passes in Rego scanners when the
/// list was not read.
const NAIVE: &str = r#"package naive
import data.tenet

has_outside(repo) if {
	some _ in tenet.value(repo.outside_collaborators)
}

findings contains {"resource": tenet.github_repo(org.login, repo.name), "status": "pass", "message": "none"} if {
	some org in input.github
	some repo in tenet.value(org.repositories)
	not has_outside(repo)
}

findings contains {"resource": tenet.github_repo(org.login, repo.name), "status": "fail", "message": "some"} if {
	some org in input.github
	some repo in tenet.value(org.repositories)
	has_outside(repo)
}
"#;

#[test]
fn a_fact_read_while_unavailable_makes_its_resource_an_error_never_a_pass() {
    let reason = "GET /repos/acme-corp/web/collaborators: 403 Forbidden";
    let snapshot = snapshot(|json| {
        for repo in json["github"][0]["repositories"]["known"]
            .as_array_mut()
            .expect("repositories")
        {
            if repo["name"] == "web" {
                repo["outside_collaborators"] =
                    serde_json::json!({"unavailable": {"reason": reason}});
            }
        }
    });
    let outcomes = run(NAIVE, &snapshot, &[]);
    let web = outcomes
        .iter()
        .find(|o| o.resource.id == "github:acme-corp/web")
        .expect("web has a finding");
    assert_eq!(web.status, CheckStatus::Error, "{web:?}");
    assert!(web.message.contains(reason), "{}", web.message);
    assert!(
        web.message.contains("/repositories/known/"),
        "names the fact's place: {}",
        web.message
    );
    // The other repositories are judged as the rule says.
    assert!(
        outcomes
            .iter()
            .filter(|o| o.resource.id != "github:acme-corp/web")
            .all(|o| o.status != CheckStatus::Error),
        "{:?}",
        statuses(&outcomes)
    );
}

/// A verdict function, undefined for a repository whose collaborators were
/// not read, in the head of the set rule (`HEAD`) or bound in its body.
const VERDICT_IN_HEAD: &str = r#"package verdicts
import data.tenet

verdict(org, repo) := {"resource": tenet.github_repo(org, repo.name), "status": "pass", "message": "none"} if {
	count(tenet.value(repo.outside_collaborators)) == 0
} else := {"resource": tenet.github_repo(org, repo.name), "status": "fail", "message": "some"} if {
	count(tenet.value(repo.outside_collaborators)) > 0
}

findings contains HEAD if {
	some org in input.github
	some repo in tenet.value(org.repositories)
	BODY
}
"#;

#[test]
fn an_undefined_verdict_in_a_rule_head_errs_with_the_way_around_and_in_the_body_is_per_resource() {
    let snapshot = snapshot(|json| {
        json["github"][0]["repositories"]["known"][0]["outside_collaborators"] =
            serde_json::json!({"unavailable": {"reason": "403"}});
    });
    let in_head = VERDICT_IN_HEAD
        .replace("HEAD", "verdict(org.login, repo)")
        .replace("BODY", "");
    let outcomes = run(&in_head, &snapshot, &[]);
    assert!(outcomes.len() > 1);
    for outcome in &outcomes {
        assert_eq!(outcome.status, CheckStatus::Error);
        assert!(
            outcome.message.contains("bind it in the body instead"),
            "{}",
            outcome.message
        );
    }

    let in_body = VERDICT_IN_HEAD
        .replace("HEAD", "finding")
        .replace("BODY", "finding := verdict(org.login, repo)");
    let outcomes = run(&in_body, &snapshot, &[]);
    let errors: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.status == CheckStatus::Error)
        .map(|o| o.resource.id.as_str())
        .collect();
    assert_eq!(errors.len(), 1, "{:?}", statuses(&outcomes));
    assert!(
        outcomes
            .iter()
            .filter(|o| o.status != CheckStatus::Error)
            .all(|o| o.message == "none" || o.message == "some"),
        "{:?}",
        statuses(&outcomes)
    );
}

#[test]
fn a_list_of_resources_that_was_not_read_is_an_error_of_its_owner() {
    let snapshot = snapshot(|json| {
        json["github"][0]["repositories"] = serde_json::json!({"unavailable": {"reason": "403"}});
    });
    let outcomes = run(NAIVE, &snapshot, &[]);
    assert_eq!(
        statuses(&outcomes),
        vec![(
            "github:acme-corp".to_owned(),
            CheckStatus::Error,
            "could not determine the repositories: 403".to_owned()
        )]
    );
}

#[test]
fn a_resource_the_rule_gave_no_verdict_is_an_error() {
    let module = r#"package partial
import data.tenet

findings contains {"resource": tenet.github_repo(org.login, repo.name), "status": "pass", "message": "ok"} if {
	some org in input.github
	some repo in tenet.value(org.repositories)
	startswith(repo.name, "a")
}
"#;
    let outcomes = run(module, &snapshot(|_| {}), &[]);
    assert!(outcomes.iter().any(|o| o.status == CheckStatus::Pass));
    let silent: Vec<_> = outcomes
        .iter()
        .filter(|o| !o.resource.id.starts_with("github:acme-corp/a"))
        .collect();
    assert!(!silent.is_empty());
    for outcome in silent {
        assert_eq!(outcome.status, CheckStatus::Error);
        assert_eq!(
            outcome.message,
            "could not determine the verdict: the rule gave no verdict for this resource"
        );
    }
}

#[test]
fn a_rule_that_fails_or_gives_malformed_findings_is_an_error_for_every_resource() {
    let conflict = r#"package conflict
import data.tenet

status := "pass"
status := "fail" if { true }

findings contains {"resource": tenet.github_repo(org.login, repo.name), "status": status, "message": "x"} if {
	some org in input.github
	some repo in tenet.value(org.repositories)
}
"#;
    let malformed = r#"package malformed
import data.tenet

findings contains {"resource": tenet.github_repo(org.login, repo.name), "status": "ok", "message": "x"} if {
	some org in input.github
	some repo in tenet.value(org.repositories)
}
"#;
    for (module, because) in [
        (
            conflict,
            "could not determine the verdict: the rule failed: ",
        ),
        (
            malformed,
            "could not determine the verdict: the rule gave a malformed finding: ",
        ),
    ] {
        let outcomes = run(module, &snapshot(|_| {}), &[]);
        assert!(!outcomes.is_empty());
        for outcome in &outcomes {
            assert_eq!(outcome.status, CheckStatus::Error, "{outcome:?}");
            assert!(outcome.message.starts_with(because), "{}", outcome.message);
        }
    }
}

#[test]
fn parameters_reach_the_rule_as_data_params() {
    let module = r#"package params
import data.tenet

named(repo) := "fail" if {
	repo.name in data.params.names
} else := "pass"

findings contains {"resource": tenet.github_repo(org.login, repo.name), "status": named(repo), "message": "x"} if {
	some org in input.github
	some repo in tenet.value(org.repositories)
}
"#;
    let outcomes = run(
        module,
        &snapshot(|_| {}),
        &[("names", ParamValue::StringList(vec!["api".into()]))],
    );
    for outcome in outcomes {
        let expected = if outcome.resource.id == "github:acme-corp/api" {
            CheckStatus::Fail
        } else {
            CheckStatus::Pass
        };
        assert_eq!(outcome.status, expected, "{outcome:?}");
    }
}

#[test]
fn every_problem_of_the_custom_controls_is_reported_at_once() {
    let (_dir, loaded) = load(&[
        ("custom.a.toml", &meta("custom.a", "")),
        ("custom.b.rego", "package b\n"),
        ("custom.c.toml", &meta("acme.c", "")),
        ("custom.c.rego", "package c\n"),
        ("custom.d.toml", &meta("custom.d", "")),
        (
            "custom.d.rego",
            "package d\n\nfindings contains f if {\n\tf := [1,\n}\n",
        ),
        (
            "custom.e.toml",
            &meta("custom.e", "").replace("GitHub repository", "GitHub repo"),
        ),
        ("custom.e.rego", "package e\n"),
        ("custom.f.toml", &meta("custom.f", "severty = \"low\"\n")),
        ("custom.f.rego", "package f\n"),
        ("custom.g.toml", &meta("custom.g", "")),
        (
            "custom.g.rego",
            "package g\n\nfindings contains data.params.names if { true }\n",
        ),
        ("custom.g_test.rego", "package g_test\n"),
    ]);
    let problems = loaded.expect_err("problems");
    insta::assert_snapshot!(problems.join("\n---\n"));
}
