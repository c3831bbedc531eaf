//! The pushes GitHub's rule insights recorded as bypassing a ruleset or a
//! branch rule (`GET /repos/{owner}/{repo}/rulesets/rule-suites`, the past
//! month, bypasses only), for every repository with a change of the
//! period.
//! GitHub answers for at most the past month; what came before is left to
//! the control to call unseen.

use chrono::{Duration, SubsecRound};
use futures::future::join_all;
use tenet_inventory::{
    Observed,
    github::{RULE_INSIGHT_DAYS, Repository, RuleBypasses, RuleSuite},
};

use crate::{client::Client, permissions, rest::RuleSuiteJson};

/// Rule suites a page.
const PER_PAGE: usize = 100;
/// Most pages before the listing counts as a broken pagination loop.
const MAX_PAGES: usize = 100;

/// Reads the rule bypasses of each repository whose changes are known into
/// its `rule_bypasses`.
pub(super) async fn collect(client: &Client<'_>, org: &str, repositories: &mut [Repository]) {
    let settings = client.settings();
    if let Some(reason) = &settings.skip_rule_bypasses {
        for repo in repositories.iter_mut() {
            repo.rule_bypasses = Observed::unavailable(reason);
        }
        return;
    }
    let since = (settings.now - Duration::days(RULE_INSIGHT_DAYS)).trunc_subsecs(0);
    let read = join_all(
        repositories
            .iter()
            .enumerate()
            .filter(|(_, repo)| has_change(repo))
            .map(|(index, repo)| async move { (index, suites(client, org, &repo.name).await) }),
    )
    .await;
    for repo in repositories.iter_mut() {
        repo.rule_bypasses = Observed::unavailable(match repo.changes {
            Observed::Known(_) => {
                format!("not read: {org}/{} has no change in the period", repo.name)
            }
            Observed::Unavailable { .. } => format!(
                "the changes of {org}/{} were not read, so neither were its rule bypasses",
                repo.name
            ),
        });
    }
    for (index, suites) in read {
        if let Some(repo) = repositories.get_mut(index) {
            repo.rule_bypasses = match suites {
                Ok(suites) => Observed::Known(RuleBypasses { since, suites }),
                Err(reason) => Observed::unavailable(reason),
            };
        }
    }
}

/// Whether some branch of `repo` gained a change in the period: only then
/// is there something for its rule insights to decide. (Whether a change
/// is recent enough for them is left to the control, so that the requests
/// depend on the snapshot's facts, not on the day of the collection.)
fn has_change(repo: &Repository) -> bool {
    repo.changes.known().is_some_and(|branches| {
        branches.iter().any(|branch| {
            branch
                .changes
                .known()
                .is_some_and(|changes| !changes.is_empty())
        })
    })
}

/// Every rule suite of `repo` that GitHub lists as a bypass in the past
/// month, page by page until one is not full.
async fn suites(client: &Client<'_>, org: &str, repo: &str) -> Result<Vec<RuleSuite>, String> {
    let needs = permissions::REPO_RULE_SUITES;
    let mut suites = Vec::new();
    for page in 1..=MAX_PAGES {
        let path = format!(
            "/repos/{org}/{repo}/rulesets/rule-suites?time_period=month&rule_suite_result=bypass&per_page={PER_PAGE}&page={page}"
        );
        let items: Vec<RuleSuiteJson> = client
            .get_json(&path)
            .await
            .map_err(|err| err.reason(needs))?;
        let full = items.len() >= PER_PAGE;
        for item in items {
            suites.extend(bypass(item).map_err(|reason| format!("GET {path}: {reason}"))?);
        }
        if !full {
            return Ok(suites);
        }
    }
    Err(format!(
        "GET /repos/{org}/{repo}/rulesets/rule-suites: more than {MAX_PAGES} pages of {PER_PAGE}; needs {needs}"
    ))
}

/// The suite when GitHub says it bypassed a rule; a suite it says passed or
/// failed is not one (the filter asked for bypasses only), and an unknown
/// result is refused rather than guessed.
fn bypass(item: RuleSuiteJson) -> Result<Option<RuleSuite>, String> {
    match item.result.as_str() {
        "bypass" => Ok(Some(RuleSuite {
            id: item.id,
            git_ref: item.git_ref,
            before_sha: item.before_sha,
            after_sha: item.after_sha,
            actor: item.actor_name,
            pushed_at: item.pushed_at,
        })),
        "pass" | "fail" => Ok(None),
        other => Err(format!(
            "rule suite {} has the unknown result `{other}`",
            item.id
        )),
    }
}
