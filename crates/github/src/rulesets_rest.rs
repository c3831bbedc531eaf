//! The REST view of an organization's rulesets, read to complete the
//! GraphQL one: `GET /orgs/{org}/rulesets/{id}`, once per ruleset whose
//! bypass actors the credential can see. Only REST gives the `exempt` bypass
//! mode (GraphQL's enum has `ALWAYS` and `PULL_REQUEST`), actors GraphQL's
//! `BypassActor` union cannot name (users), and condition kinds GraphQL's
//! schema lacks. The two views are merged so that neither can hide what the
//! other shows: every bypass actor either lists bypasses, with REST's mode,
//! and a condition kind only REST has makes the ruleset undetermined.

use futures::future::join_all;
use serde::Deserialize;
use serde_json::{Map, Value};
use tenet_inventory::{
    Observed,
    github::{Actor, BypassActor, Ruleset},
};

use crate::{client::Client, permissions};

/// The condition kinds tenet evaluates, by their REST names.
const KNOWN_CONDITIONS: [&str; 4] = [
    "ref_name",
    "repository_name",
    "repository_id",
    "repository_property",
];

/// The fields of `GET /orgs/{org}/rulesets/{id}` tenet reads.
#[derive(Debug, Deserialize)]
struct RulesetJson {
    /// Absent when GitHub hides the actors from the credential.
    #[serde(default)]
    bypass_actors: Option<Vec<BypassJson>>,
    #[serde(default)]
    conditions: Option<Map<String, Value>>,
}

/// One REST bypass actor.
#[derive(Debug, Deserialize)]
struct BypassJson {
    actor_id: Option<u64>,
    actor_type: String,
    bypass_mode: Option<String>,
}

/// Completes each GraphQL ruleset with its REST view; rulesets whose bypass
/// actors are already unavailable are left as they are (REST would not show
/// them either).
pub(crate) async fn complete(
    client: &Client<'_>,
    org: &str,
    rulesets: Observed<Vec<Ruleset>>,
) -> Observed<Vec<Ruleset>> {
    let Observed::Known(rulesets) = rulesets else {
        return rulesets;
    };
    Observed::Known(
        join_all(
            rulesets
                .into_iter()
                .map(|ruleset| one(client, org, ruleset)),
        )
        .await,
    )
}

async fn one(client: &Client<'_>, org: &str, mut ruleset: Ruleset) -> Ruleset {
    let Observed::Known(graphql) = &ruleset.bypass_actors else {
        return ruleset;
    };
    let path = format!("/orgs/{org}/rulesets/{}", ruleset.id);
    match client.get_json::<RulesetJson>(&path).await {
        Ok(rest) => {
            ruleset.bypass_actors = match rest.bypass_actors {
                Some(actors) => Observed::Known(merge(graphql, &actors)),
                None => Observed::unavailable(format!(
                    "GET {path} did not include bypass_actors: GitHub shows them only to \
                     credentials with write access to the ruleset; needs {}",
                    permissions::ORG_RULESET_BYPASS
                )),
            };
            if let (Observed::Known(conditions), Some(rest)) =
                (&mut ruleset.conditions, rest.conditions)
            {
                for kind in rest.keys() {
                    if !KNOWN_CONDITIONS.contains(&kind.as_str())
                        && !conditions.other.contains(kind)
                    {
                        conditions.other.push(kind.clone());
                    }
                }
                conditions.other.sort();
            }
        }
        Err(err) => {
            ruleset.bypass_actors = Observed::unavailable(format!(
                "{}; without it, exempt bypass actors (which GraphQL does not show) cannot be \
                 ruled out",
                err.reason(permissions::ORG_RULESET_BYPASS)
            ));
        }
    }
    ruleset
}

/// The union of both views: each REST actor takes the GraphQL actor it is
/// (same kind and id, or one GraphQL could not name) with REST's mode, or is
/// added named by its id; a GraphQL actor REST does not list is kept.
fn merge(graphql: &[BypassActor], rest: &[BypassJson]) -> Vec<BypassActor> {
    let mut merged = graphql.to_vec();
    let mut matched = vec![false; merged.len()];
    for actor in rest {
        let (kind, name) = match kind(&actor.actor_type) {
            Some(kind) if SINGULAR.contains(&kind) => (kind, kind.to_owned()),
            Some(kind) => (
                kind,
                actor
                    .actor_id
                    .map_or_else(|| "unnamed".to_owned(), |id| format!("#{id}")),
            ),
            None => ("unknown", actor.actor_type.clone()),
        };
        let mode = actor
            .bypass_mode
            .as_deref()
            .map_or_else(|| "unknown".to_owned(), str::to_ascii_lowercase);
        let same = |known: &BypassActor| {
            known.actor.kind == kind
                && (SINGULAR.contains(&kind)
                    || (actor.actor_id.is_some() && known.actor_id == actor.actor_id))
        };
        let found = (0..merged.len())
            .find(|&i| !matched[i] && same(&merged[i]))
            .or_else(|| {
                (0..merged.len()).find(|&i| !matched[i] && merged[i].actor.kind == "unknown")
            });
        let record = BypassActor {
            actor: Actor {
                kind: kind.to_owned(),
                name,
            },
            actor_id: if SINGULAR.contains(&kind) {
                None
            } else {
                actor.actor_id
            },
            bypass_mode: mode,
        };
        match found {
            Some(i) if merged[i].actor.kind == kind => {
                matched[i] = true;
                merged[i].bypass_mode = record.bypass_mode;
            }
            Some(i) => {
                matched[i] = true;
                merged[i] = record;
            }
            None => {
                merged.push(record);
                matched.push(true);
            }
        }
    }
    merged
}

/// Actor kinds of which a ruleset has at most one, without an id.
const SINGULAR: [&str; 3] = ["organization_admin", "enterprise_owner", "deploy_key"];

/// REST's `actor_type` as the inventory's actor kind.
fn kind(actor_type: &str) -> Option<&'static str> {
    Some(match actor_type {
        "Integration" => "app",
        "Team" => "team",
        "User" => "user",
        "OrganizationAdmin" => "organization_admin",
        "EnterpriseOwner" => "enterprise_owner",
        "RepositoryRole" => "repository_role",
        "DeployKey" => "deploy_key",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(kind: &str, name: &str, id: Option<u64>, mode: &str) -> BypassActor {
        BypassActor {
            actor: Actor {
                kind: kind.into(),
                name: name.into(),
            },
            actor_id: id,
            bypass_mode: mode.into(),
        }
    }

    fn rest(actor_type: &str, id: Option<u64>, mode: &str) -> BypassJson {
        BypassJson {
            actor_id: id,
            actor_type: actor_type.into(),
            bypass_mode: Some(mode.into()),
        }
    }

    #[test]
    fn both_views_of_the_same_actors_give_the_graphql_names_and_rest_modes() {
        let graphql = [
            known("organization_admin", "organization_admin", None, "always"),
            known("app", "release-bot", Some(77), "always"),
        ];
        let merged = merge(
            &graphql,
            &[
                rest("OrganizationAdmin", Some(1), "always"),
                rest("Integration", Some(77), "exempt"),
            ],
        );
        assert_eq!(
            merged,
            [
                known("organization_admin", "organization_admin", None, "always"),
                known("app", "release-bot", Some(77), "exempt"),
            ]
        );
    }

    #[test]
    fn a_rest_user_takes_the_place_of_the_actor_graphql_could_not_name() {
        let graphql = [known("unknown", "unnamed", None, "unknown")];
        let merged = merge(&graphql, &[rest("User", Some(9), "always")]);
        assert_eq!(merged, [known("user", "#9", Some(9), "always")]);
    }

    #[test]
    fn an_actor_only_one_view_lists_still_bypasses() {
        let graphql = [known("team", "admins", Some(5), "pull_request")];
        let merged = merge(
            &graphql,
            &[
                rest("User", Some(9), "exempt"),
                rest("Team", Some(6), "always"),
                rest("Robot", None, "always"),
            ],
        );
        assert_eq!(
            merged,
            [
                known("team", "admins", Some(5), "pull_request"),
                known("user", "#9", Some(9), "exempt"),
                known("team", "#6", Some(6), "always"),
                known("unknown", "Robot", None, "always"),
            ]
        );
    }
}
