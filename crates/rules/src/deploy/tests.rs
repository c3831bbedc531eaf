//! Deploy paths of trust policies of every shape against one repository,
//! table-driven: IAM's operators, qualifiers and `IfExists`, `Null`, `Deny`,
//! both subject formats, and GitHub's reading of branch patterns.

use serde_json::{Value, json};
use tenet_iam_policy::PolicyDocument;
use tenet_inventory::github::GithubOrg;

use super::{deploy_paths, github_trusts};

const PROVIDER: &str =
    "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
const SUB: &str = "token.actions.githubusercontent.com:sub";

/// acme (id 1000) with app (id 2000): main needs 2 approvals (classic,
/// enforced for admins), `hotfix/*` 1 (classic), `release/*` 2 (a
/// repository ruleset without bypass); environments production (reviewed,
/// no self-review), staging (no reviewers) and selfish (self-review
/// allowed).
fn org() -> Value {
    let protection = |approvals: u32| {
        json!({"require_pull_request": true, "required_approving_review_count": approvals,
               "dismiss_stale_reviews": false, "require_last_push_approval": false,
               "require_code_owner_reviews": false, "enforce_admins": true,
               "allow_force_pushes": false, "allow_deletions": false, "bypass_actors": []})
    };
    json!({
        "login": "acme",
        "id": {"known": 1000},
        "server": {"known": "github.com"},
        "rulesets": {"known": []},
        "repositories": {"known": [{
            "name": "app",
            "ids": {"known": {"node_id": "R_app", "database_id": 2000}},
            "visibility": "private",
            "archived": false,
            "default_branch": "main",
            "branches": {"known": [{"branch": "main", "protection": {"known": protection(2)}}]},
            "protection_rules": {"known": [
                {"pattern": "hotfix/*", "protection": {"known": protection(1)}},
                {"pattern": "main", "protection": {"known": protection(2)}}
            ]},
            "rulesets": {"known": [{
                "id": 7, "name": "release", "source": "repository", "enforcement": "active",
                "target": "branch",
                "conditions": {"known": {"ref_name": {"include": ["refs/heads/release/*"], "exclude": []},
                               "repository_name": null, "repository_id": null,
                               "repository_property": null, "other": []}},
                "bypass_actors": {"known": []},
                "rules": [{"type": "pull_request", "required_approving_review_count": 2,
                           "dismiss_stale_reviews_on_push": false, "require_code_owner_review": false,
                           "require_last_push_approval": false}]
            }]},
            "environments": {"known": [
                environment("production", true, json!({"known": false}), json!({"known": "any"})),
                environment("selfish", false, json!({"known": false}), json!({"known": "any"})),
                {"name": "staging", "required_reviewers": [], "prevent_self_review": false,
                 "admins_can_bypass": {"known": true}, "deployment_branches": {"known": "any"}},
                environment("bypassable", true, json!({"known": true}), json!({"known": "any"})),
                environment("unsure", true, json!({"unavailable": {"reason": "403"}}), json!({"known": "any"})),
                environment("deploy-main", false, json!({"known": true}), selected(&[("branch", "main")])),
                environment("deploy-hotfix", false, json!({"known": true}), selected(&[("branch", "hotfix/*")])),
                environment("deploy-release", false, json!({"known": true}), selected(&[("branch", "release/*"), ("branch", "main")])),
                environment("deploy-tags", false, json!({"known": true}), selected(&[("branch", "main"), ("tag", "v*")])),
                environment("deploy-pulls", false, json!({"known": true}), selected(&[("branch", "main"), ("branch", "refs/pull/*/merge")])),
                environment("deploy-protected", false, json!({"known": true}), json!({"known": "protected"})),
                environment("deploy-unread", false, json!({"known": true}), json!({"unavailable": {"reason": "404"}})),
                environment("EU West/1", false, json!({"known": true}), json!({"known": "any"}))
            ]},
            "oidc_subject": {"known": {"use_default": true, "use_immutable_subject": false, "include_claim_keys": []}}
        }]}
    })
}

/// An environment whose reviewer is the team ops when `reviewed` (with
/// "Prevent self-review"), bob otherwise (without).
fn environment(name: &str, reviewed: bool, bypass: Value, branches: Value) -> Value {
    let reviewer = if reviewed {
        json!({"kind": "team", "name": "ops"})
    } else {
        json!({"kind": "user", "name": "bob"})
    };
    json!({"name": name, "required_reviewers": [reviewer], "prevent_self_review": reviewed,
           "admins_can_bypass": bypass, "deployment_branches": branches})
}

/// "Selected branches and tags" with these `(kind, pattern)`s.
fn selected(refs: &[(&str, &str)]) -> Value {
    let refs: Vec<Value> = refs
        .iter()
        .map(|(kind, pattern)| json!({"kind": kind, "pattern": pattern}))
        .collect();
    json!({"known": {"selected": refs}})
}

fn allow(condition: Value) -> Value {
    json!({"Effect": "Allow", "Principal": {"Federated": PROVIDER},
           "Action": "sts:AssumeRoleWithWebIdentity", "Condition": condition})
}

fn deny(condition: Value) -> Value {
    json!({"Effect": "Deny", "Principal": {"Federated": PROVIDER},
           "Action": "sts:AssumeRoleWithWebIdentity", "Condition": condition})
}

/// The paths of a trust policy with `statements`, each as
/// `repository via status example`, sorted.
fn paths_of(org: Value, statements: Value) -> Vec<String> {
    let org: GithubOrg = serde_json::from_value(org).expect("an organization");
    let document =
        PolicyDocument::parse(&json!({"Version": "2012-10-17", "Statement": statements}))
            .expect("a trust policy");
    let trusts = github_trusts(&document);
    let mut paths: Vec<String> = trusts
        .iter()
        .flat_map(|trust| deploy_paths(trust, std::slice::from_ref(&org), 2))
        .map(|path| {
            format!(
                "{} {} {} {}",
                path.repository,
                path.via.name(),
                path.status.name(),
                path.example
            )
        })
        .collect();
    paths.sort();
    paths
}

fn paths(statements: Value) -> Vec<String> {
    paths_of(org(), statements)
}

#[test]
fn iam_operators_decide_which_tokens_are_let_in() {
    let cases: Vec<(&str, Value, Vec<&str>)> = vec![
        (
            "one protected branch",
            json!([allow(
                json!({"StringEquals": {SUB: "repo:acme/app:ref:refs/heads/main"}})
            )]),
            vec!["acme/app branch closed main"],
        ),
        (
            "IAM's * crosses / where the ruleset's does not",
            json!([allow(
                json!({"StringLike": {SUB: "repo:acme/app:ref:refs/heads/release/*"}})
            )]),
            vec!["acme/app branch open release/a/a"],
        ),
        (
            "a classic pattern rule with one approval",
            json!([allow(
                json!({"StringLike": {SUB: "repo:acme/app:ref:refs/heads/hotfix/*"}})
            )]),
            vec!["acme/app branch open hotfix/a"],
        ),
        (
            "every environment",
            json!([allow(json!({"StringEquals": {SUB: [
                "repo:acme/app:environment:production",
                "repo:acme/app:environment:Production",
                "repo:acme/app:environment:staging",
                "repo:acme/app:environment:selfish",
                "repo:acme/app:environment:prod"
            ]}}))]),
            vec!["acme/app environment open prod"],
        ),
        (
            "a reviewed environment, in any case",
            json!([allow(
                json!({"StringEquals": {SUB: ["repo:acme/app:environment:production", "repo:acme/app:environment:PRODUCTION"]}})
            )]),
            vec!["acme/app environment closed production"],
        ),
        (
            "pull requests, through ForAnyValue",
            json!([allow(
                json!({"ForAnyValue:StringLike": {SUB: "repo:acme/app:pull_request"}})
            )]),
            vec!["acme/app pull_request open 1"],
        ),
        (
            "every repository of the organization, and an environment named like a ref",
            json!([allow(
                json!({"StringLike": {SUB: "repo:acme/*:ref:refs/heads/main"}})
            )]),
            // IAM's `*` also matches `app:environment`: a job naming the
            // environment `ref:refs/heads/main` fits, if GitHub takes `:`
            // in an environment's name, which it does not document.
            vec![
                "acme/* other_repository open a",
                "acme/app branch closed main",
                "acme/app environment undecided ref:refs/heads/main",
            ],
        ),
        (
            "a Deny narrows an Allow",
            json!([
                allow(json!({"StringLike": {SUB: "repo:acme/app:*"}})),
                deny(json!({"StringNotEquals": {SUB: "repo:acme/app:ref:refs/heads/main"}}))
            ]),
            vec!["acme/app branch closed main"],
        ),
        (
            "ForAllValues on a claim that is always there",
            json!([allow(
                json!({"ForAllValues:StringEquals": {SUB: "repo:acme/app:ref:refs/heads/main"}})
            )]),
            vec!["acme/app branch closed main"],
        ),
        (
            "IfExists holds for tokens without an environment",
            json!([allow(json!({
                "StringLike": {SUB: "repo:acme/app:*"},
                "StringEqualsIfExists": {"token.actions.githubusercontent.com:environment": "production"}
            }))]),
            vec![
                "acme/app branch open a",
                "acme/app environment closed production",
                "acme/app pull_request open 1",
                "acme/app tag open a",
            ],
        ),
        (
            "a plain condition on the environment needs one",
            json!([allow(json!({
                "StringLike": {SUB: "repo:acme/app:*"},
                "StringEquals": {"token.actions.githubusercontent.com:environment": "production"}
            }))]),
            vec!["acme/app environment closed production"],
        ),
        (
            "a condition on ref keeps tags and pull requests out, not environments",
            json!([allow(json!({
                "StringLike": {SUB: "repo:acme/app:*"},
                "StringEquals": {"token.actions.githubusercontent.com:ref": "refs/heads/main"}
            }))]),
            vec!["acme/app branch closed main", "acme/app environment open a"],
        ),
        (
            "Null false asks for an environment",
            json!([allow(json!({
                "StringLike": {SUB: "repo:acme/app:*"},
                "Null": {"token.actions.githubusercontent.com:environment": "false"}
            }))]),
            vec!["acme/app environment open a"],
        ),
        (
            "StringNotLike takes some branches out, not all",
            json!([allow(json!({
                "StringLike": {SUB: "repo:acme/app:ref:refs/heads/*"},
                "StringNotLike": {SUB: "repo:acme/app:ref:refs/heads/feature*"}
            }))]),
            vec!["acme/app branch open a"],
        ),
        (
            "IgnoreCase lets in maiN, another branch",
            json!([allow(
                json!({"StringEqualsIgnoreCase": {SUB: "REPO:ACME/APP:REF:REFS/HEADS/MAIN"}})
            )]),
            vec!["acme/app branch open maiN"],
        ),
        (
            "a condition tenet does not judge keeps an open path from failing",
            json!([allow(json!({
                "StringLike": {SUB: "repo:acme/app:ref:refs/heads/*"},
                "StringEquals": {"token.actions.githubusercontent.com:job_workflow_ref": "acme/app/.github/workflows/deploy.yml@refs/heads/main"}
            }))]),
            vec!["acme/app branch undecided a"],
        ),
        (
            "a token of any owner",
            json!([allow(
                json!({"StringLike": {SUB: "repo:*/app:ref:refs/heads/main"}})
            )]),
            vec![
                "* other_owner open repo:/app:ref:refs/heads/main",
                "acme/* other_repository open a",
                "acme/app branch closed main",
                "acme/app environment undecided /app:ref:refs/heads/main",
            ],
        ),
        (
            "the repository claim confines a wildcard subject to the organization",
            json!([allow(json!({
                "StringLike": {SUB: "*:ref:refs/heads/main"},
                "StringEquals": {"token.actions.githubusercontent.com:repository": "acme/app"}
            }))]),
            vec![
                "acme/app branch closed main",
                "acme/app environment undecided ref:refs/heads/main",
            ],
        ),
    ];
    for (name, statements, expected) in cases {
        assert_eq!(paths(statements), expected, "{name}");
    }
}

#[test]
fn the_subject_format_is_the_repository_s() {
    let mut immutable = org();
    immutable["repositories"]["known"][0]["oidc_subject"]["known"]["use_immutable_subject"] =
        json!(true);
    let main = |sub: &str| json!([allow(json!({"StringEquals": {SUB: sub}}))]);
    assert_eq!(
        paths_of(
            immutable.clone(),
            main("repo:acme@1000/app@2000:ref:refs/heads/main")
        ),
        ["acme/app branch closed main"]
    );
    assert!(paths_of(immutable, main("repo:acme/app:ref:refs/heads/main")).is_empty());
    let mut unread = org();
    unread["repositories"]["known"][0]["oidc_subject"] = json!({"unavailable": {"reason": "403"}});
    assert_eq!(
        paths_of(unread, main("repo:acme/app:ref:refs/heads/main")),
        ["acme/app branch undecided main"],
        "a subject tenet did not read never passes"
    );
    let customized = |keys: Value| {
        let mut custom = org();
        custom["repositories"]["known"][0]["oidc_subject"]["known"] = json!({"use_default": false, "use_immutable_subject": null, "include_claim_keys": keys});
        custom
    };
    let like = |sub: &str| json!([allow(json!({"StringLike": {SUB: sub}}))]);
    let pinned = customized(json!(["repo", "context", "job_workflow_ref"]));
    assert_eq!(
        paths_of(
            pinned.clone(),
            like("repo:acme/app:ref:refs/heads/main:job_workflow_ref:*")
        ),
        ["acme/app branch closed main"],
        "a customized subject is spelled from its claims"
    );
    assert!(
        paths_of(pinned.clone(), main("repo:acme/app:ref:refs/heads/main")).is_empty(),
        "the default subject never matches a customized one"
    );
    assert_eq!(
        paths_of(pinned, like("repo:acme/app:environment:*")),
        ["acme/app environment open a"],
        "the workflow's own claims at the end are any value"
    );
    let unspellable = customized(json!(["workflow", "repo", "context"]));
    assert_eq!(
        paths_of(
            unspellable.clone(),
            main("repo:acme/app:ref:refs/heads/main")
        ),
        [
            "acme/app branch undecided ",
            "acme/app environment undecided ",
            "acme/app pull_request undecided ",
            "acme/app tag undecided ",
        ]
    );
    assert!(
        paths_of(unspellable, main("repo:acme/other:ref:refs/heads/main"))
            .iter()
            .all(|path| !path.starts_with("acme/app")),
        "a trust naming another repository lets no customized subject of app in"
    );
}

#[test]
fn an_enterprise_server_s_tokens_are_judged_against_its_own_organizations() {
    let provider = "arn:aws:iam::111122223333:oidc-provider/github.example.com/_services/token";
    let statement = |provider: &str| {
        json!({"Effect": "Allow", "Principal": {"Federated": provider},
               "Action": "sts:AssumeRoleWithWebIdentity",
               "Condition": {"StringEquals": {"github.example.com/_services/token:sub": "repo:acme/app:ref:refs/heads/main"}}})
    };
    let on = |server: Value| {
        let mut org = org();
        org["server"] = server;
        org
    };
    assert_eq!(
        paths_of(
            on(json!({"known": "github.example.com"})),
            json!([statement(provider)])
        ),
        ["acme/app branch closed main"],
        "the server's own organization is judged"
    );
    assert_eq!(
        paths(json!([statement(provider)])),
        ["* other_owner open repo:acme/app:ref:refs/heads/main"],
        "acme on github.com is not the server's acme"
    );
    assert_eq!(
        paths_of(
            on(json!({"unavailable": {"reason": "not present in the snapshot"}})),
            json!([statement(provider)])
        ),
        ["acme/* other_repository undecided "],
        "an organization whose server is unknown is never judged, nor taken for another owner"
    );
    let github_com = json!([allow(
        json!({"StringEquals": {SUB: "repo:acme/app:ref:refs/heads/main"}})
    )]);
    assert_eq!(
        paths_of(on(json!({"known": "github.example.com"})), github_com),
        ["* other_owner open repo:acme/app:ref:refs/heads/main"],
        "github.com's tokens are not the server's organization's"
    );
    for other in [
        "arn:aws:iam::111122223333:oidc-provider/_services/token",
        "arn:aws:iam::111122223333:oidc-provider/github.example.com/x/_services/token",
        "arn:aws:iam::111122223333:oidc-provider/accounts.google.com",
    ] {
        assert!(paths(json!([statement(other)])).is_empty(), "{other}");
    }
}

#[test]
fn an_environment_passes_by_its_reviewers_or_by_the_branches_that_may_deploy() {
    let org = |hotfix_approvals: u32| {
        let mut org = org();
        org["repositories"]["known"][0]["protection_rules"]["known"][0]["protection"]["known"]["required_approving_review_count"] =
            json!(hotfix_approvals);
        org
    };
    let one = |env: &str, hotfix_approvals: u32| -> (String, String) {
        let org: GithubOrg =
            serde_json::from_value(org(hotfix_approvals)).expect("an organization");
        let sub = format!("repo:acme/app:environment:{env}");
        let document = PolicyDocument::parse(&json!({"Version": "2012-10-17",
            "Statement": [allow(json!({"StringEquals": {SUB: sub}}))]}))
        .expect("a trust policy");
        let paths: Vec<_> = github_trusts(&document)
            .iter()
            .flat_map(|trust| deploy_paths(trust, std::slice::from_ref(&org), 2))
            .collect();
        assert_eq!(paths.len(), 1, "{env}: {paths:?}");
        (paths[0].status.name().to_owned(), paths[0].why.clone())
    };
    let cases: &[(&str, u32, &str, &str)] = &[
        (
            "production",
            1,
            "closed",
            "deployments to production need another person's approval",
        ),
        (
            "bypassable",
            1,
            "open",
            "administrators may bypass the required reviewers of bypassable, and any branch or tag may deploy to it",
        ),
        (
            "unsure",
            1,
            "undecided",
            "whether administrators may bypass the reviewers of unsure: 403",
        ),
        (
            "selfish",
            1,
            "open",
            "the person deploying to selfish may approve their own deployment, and any branch or tag may deploy to it",
        ),
        (
            "deploy-main",
            1,
            "closed",
            "only branches that need 2 approvals from everyone may deploy to deploy-main",
        ),
        (
            "deploy-release",
            1,
            "closed",
            "only branches that need 2 approvals from everyone may deploy to deploy-release",
        ),
        (
            "deploy-hotfix",
            1,
            "open",
            "branch hotfix/a may deploy to it and needs fewer than 2 approvals from everyone",
        ),
        (
            "deploy-hotfix",
            2,
            "closed",
            "only branches that need 2 approvals",
        ),
        (
            "deploy-tags",
            1,
            "open",
            "tags matching v* may deploy to it, and tags are not reviewed",
        ),
        (
            "deploy-pulls",
            1,
            "open",
            "pull requests may deploy to it (pattern refs/pull/*/merge)",
        ),
        (
            "deploy-protected",
            1,
            "open",
            "branch hotfix/a may deploy to it",
        ),
        (
            "deploy-protected",
            2,
            "closed",
            "only branches that need 2 approvals",
        ),
        (
            "deploy-unread",
            1,
            "undecided",
            "which branches may deploy to deploy-unread: 404",
        ),
        // An existing name shows GitHub takes its space and slash.
        (
            "EU West/1",
            1,
            "open",
            "the person deploying to EU West/1 may approve their own deployment",
        ),
    ];
    for (env, hotfix, status, why) in cases {
        let (got_status, got_why) = one(env, *hotfix);
        assert_eq!(
            &got_status, status,
            "{env} (hotfix/* needs {hotfix}): {got_why}"
        );
        assert!(
            got_why.contains(why),
            "{env} (hotfix/* needs {hotfix}): {got_why}"
        );
    }
}
