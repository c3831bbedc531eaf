//! Who started each attempt of the workflow runs that made production
//! deployments: `GET /repos/{owner}/{repo}/actions/runs/{run_id}` (the
//! run's actor and the latest attempt's triggering actor) and, for a run
//! re-run more than once, `…/attempts/{attempt_number}` for each attempt in
//! between. GraphQL's `WorkflowRun` names neither.

use std::collections::HashMap;

use futures::future::join_all;
use tenet_inventory::github::Account;

use crate::{
    client::Client,
    permissions,
    rest::{ActorJson, WorkflowRunJson},
};

/// Most attempts of one run read before the run counts as unreadable.
const MAX_ATTEMPTS: u64 = 100;

/// For each run of `runs` (its repository and id), everyone who started
/// one of its attempts, sorted, or why that is unknown.
pub(super) async fn read(
    client: &Client<'_>,
    org: &str,
    runs: &[(String, u64)],
) -> HashMap<(String, u64), Result<Vec<Account>, String>> {
    join_all(runs.iter().map(|(repo, id)| async move {
        ((repo.clone(), *id), starters(client, org, repo, *id).await)
    }))
    .await
    .into_iter()
    .collect()
}

/// Who started run `id` of `repo` and each of its attempts.
async fn starters(
    client: &Client<'_>,
    org: &str,
    repo: &str,
    id: u64,
) -> Result<Vec<Account>, String> {
    let needs = permissions::REPO_DEPLOYMENTS;
    let path = format!("/repos/{org}/{repo}/actions/runs/{id}");
    let run: WorkflowRunJson = client
        .get_json(&path)
        .await
        .map_err(|err| err.reason(needs))?;
    let missing =
        |field: &str| format!("GET {path}: the run's `{field}` is missing; needs {needs}");
    let attempts = run.run_attempt.ok_or_else(|| missing("run_attempt"))?;
    if attempts > MAX_ATTEMPTS {
        return Err(format!(
            "GET {path}: more than {MAX_ATTEMPTS} attempts ({attempts})"
        ));
    }
    let mut accounts = vec![
        run.actor
            .as_ref()
            .ok_or_else(|| missing("actor"))?
            .account(),
        run.triggering_actor
            .as_ref()
            .ok_or_else(|| missing("triggering_actor"))?
            .account(),
    ];
    let between = join_all((2..attempts).map(|attempt| {
        let path = format!("{path}/attempts/{attempt}");
        async move {
            let run: WorkflowRunJson = client
                .get_json(&path)
                .await
                .map_err(|err| err.reason(needs))?;
            run.triggering_actor
                .as_ref()
                .map(ActorJson::account)
                .ok_or_else(|| {
                    format!(
                        "GET {path}: the attempt's `triggering_actor` is missing; needs {needs}"
                    )
                })
        }
    }))
    .await;
    for starter in between {
        accounts.push(starter?);
    }
    accounts.sort();
    accounts.dedup();
    Ok(accounts)
}
