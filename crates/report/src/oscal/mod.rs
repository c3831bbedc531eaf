//! NIST OSCAL assessment results (JSON), for GRC tools: the report as one
//! OSCAL `assessment-results` document with one result, the run.
//!
//! - **Observations**: one per evaluated control × resource (skipped ones
//!   are not evaluated), with the finding's message, status, severity and
//!   every fact read as relevant evidence (a Markdown line for a person and
//!   the exact JSON as a property). Each names its resource, an inventory
//!   item of the result's local definitions. A control that judges a
//!   population (the changes of the audit period) has one observation per
//!   failing, waived or undetermined item and one per repository for its
//!   passing items, with their number and ids: the JSON report lists each.
//! - **Findings**: one per control objective tenet's controls evidence, in
//!   each catalog the report covers: the frameworks the policy or
//!   `--framework` names (every framework some control references when none
//!   is named), with their ids written as OSCAL tokens ([`ids::control_id`]),
//!   and tenet's own controls (the policy's catalog). A finding is
//!   `satisfied` only when every evaluated resource of every control behind
//!   it passes; a failure, a waived failure or an undetermined result makes
//!   it `not-satisfied` (reason `fail`, `fail` and `other`): tenet fails
//!   closed here too. It links the observations that decided it.
//! - **Risks**: one per waived failure and per allow-listed pass, status
//!   `deviation-approved`, with the exception's reason, its owner (a party,
//!   who logged the acceptance), approver and ticket, dated at its approval
//!   when the policy records it (else at the collection), its expiry as the
//!   deadline.
//!
//! The document says OSCAL 1.1.3 and uses only what OSCAL 1.1 defines (the
//! 1.2 schema validates it too). Every UUID is a version 5 UUID derived from
//! stable ids (the policy digest, the snapshot's time and scope, control
//! and resource ids), so the same report renders to the same bytes. The
//! policy file, in back matter, stands for the assessment plan.

mod ids;
mod model;

use std::collections::{BTreeMap, BTreeSet};

use tenet_engine::{ControlResult, Report, Status};
use tenet_rules::ALLOWLISTED_BY;

use crate::{
    audit::{self, passing_per_scope, summed_up},
    evidence,
    register::granting,
    text,
};
use ids::{NS, control_id, line, timestamp, uuid, value};
use model::*;

/// The OSCAL version the documents declare.
pub const OSCAL_VERSION: &str = "1.1.3";

/// The key of the catalog of tenet's own controls.
const TENET_CATALOG: &str = "tenet";

/// Renders the report as an OSCAL assessment-results document (pretty JSON),
/// with findings for the frameworks the policy names and `frameworks`
/// (keys), or for every framework the controls reference when neither
/// names one.
pub fn render(report: &Report, frameworks: &[String]) -> String {
    let document = Document {
        assessment_results: assessment_results(report, frameworks),
    };
    // Serialization cannot fail: every map key is a string.
    serde_json::to_string_pretty(&document).unwrap_or_default() + "\n"
}

/// A property in tenet's namespace.
fn prop(name: &'static str, text: &str) -> Property {
    Property {
        name,
        ns: Some(NS),
        value: value(text),
    }
}

fn assessment_results(report: &Report, frameworks: &[String]) -> AssessmentResults {
    let snapshot = &report.snapshot;
    let collected = timestamp(snapshot.collected_at);
    let digest = report.policy_digest.as_deref().unwrap_or_default();
    let as_of = report.as_of.to_string();
    let orgs = snapshot.github_orgs.join(",");
    let accounts = snapshot.aws_accounts.join(",");
    let document_uuid = uuid(
        None,
        &[
            "assessment-results",
            digest,
            &collected,
            &as_of,
            &orgs,
            &accounts,
        ],
    );
    let policy_uuid = uuid(None, &["policy", digest, &report.policy]);
    let mut metadata_props = vec![prop("tenet-version", &report.tenet_version)];
    if let Some(digest) = &report.policy_digest {
        metadata_props.push(prop("policy-digest", digest));
    }
    for digest in &snapshot.digests {
        metadata_props.push(prop("snapshot-digest", digest));
    }
    let readers = readers(snapshot);
    AssessmentResults {
        metadata: Metadata {
            title: line(&format!(
                "tenet assessment results: {}",
                audit::scope_line(snapshot)
            )),
            last_modified: collected,
            version: as_of,
            oscal_version: OSCAL_VERSION,
            props: metadata_props,
            roles: if readers.is_empty() {
                Vec::new()
            } else {
                vec![Role {
                    id: COLLECTOR_ROLE,
                    title: "Collected the evidence: the identity tenet read the systems as",
                }]
            },
            responsible_parties: if readers.is_empty() {
                Vec::new()
            } else {
                vec![ResponsibleParty {
                    role_id: COLLECTOR_ROLE,
                    party_uuids: readers.iter().map(|party| party.uuid.clone()).collect(),
                }]
            },
            parties: parties(report).into_iter().chain(readers).collect(),
        },
        import_ap: ImportAp {
            href: format!("#{policy_uuid}"),
            remarks: "tenet has no separate assessment plan: its policy file (in back matter) \
                      chose the controls, their parameters, the waivers and the attestations."
                .into(),
        },
        results: vec![result(report, &document_uuid, frameworks)],
        back_matter: BackMatter {
            resources: vec![policy_resource(report, policy_uuid)],
        },
        uuid: document_uuid,
    }
}

/// The role of the identities that read the systems.
const COLLECTOR_ROLE: &str = "evidence-collector";

/// The identities that read the organizations and accounts, one party
/// each: a GitHub user is a person; an App or an AWS identity is named as
/// an organization's, its kind in a property.
fn readers(snapshot: &tenet_engine::SnapshotInfo) -> Vec<Party> {
    let mut parties = Vec::new();
    for (org, reader) in &snapshot.github_readers {
        let user = reader.user.as_ref().and_then(|user| user.known());
        let (kind, name) = match (user, reader.app_id, reader.installation_id) {
            (Some(login), _, _) => ("person", format!("GitHub user {login}")),
            (None, Some(app), Some(installation)) => (
                "organization",
                format!("GitHub App {app}, installation {installation}"),
            ),
            _ => ("organization", format!("a {}", reader.credential.words())),
        };
        parties.push(Party {
            uuid: uuid(None, &["party", "reader", "github", org]),
            kind,
            name: value(&format!("{name}, reading GitHub organization {org}")),
            props: vec![prop("github-credential", reader.credential.words())],
        });
    }
    for (account, reader) in &snapshot.aws_readers {
        let mut props = vec![prop("aws-caller-arn", &reader.caller_arn)];
        if let Some(role) = &reader.assumed_role {
            props.push(prop("aws-assumed-role", role));
        }
        let identity = reader.assumed_role.as_ref().unwrap_or(&reader.caller_arn);
        parties.push(Party {
            uuid: uuid(None, &["party", "reader", "aws", account]),
            kind: "organization",
            name: value(&format!("{identity}, reading AWS account {account}")),
            props,
        });
    }
    parties
}

/// tenet as the assessment platform: one tool component.
fn platform(report: &Report) -> (AssessmentAssets, String) {
    let component = uuid(None, &["component", "tenet", &report.tenet_version]);
    let platform = uuid(None, &["platform", "tenet", &report.tenet_version]);
    let assets = AssessmentAssets {
        components: vec![Component {
            uuid: component.clone(),
            kind: "software",
            title: line(&format!("tenet {}", report.tenet_version)),
            description: "The policy-as-code compliance scanner that collected the snapshot \
                          and evaluated it."
                .into(),
            props: vec![Property {
                name: "version",
                ns: None,
                value: value(&report.tenet_version),
            }],
            status: ComponentStatus {
                state: "operational",
            },
        }],
        assessment_platforms: vec![AssessmentPlatform {
            uuid: platform.clone(),
            title: line(&format!("tenet {}", report.tenet_version)),
            uses_components: vec![UsesComponent {
                component_uuid: component,
            }],
        }],
    };
    (assets, platform)
}

/// Every observation came from the platform.
fn origins(platform: &str) -> Vec<Origin> {
    vec![Origin {
        actors: vec![Actor {
            kind: "assessment-platform",
            actor_uuid: platform.to_owned(),
        }],
    }]
}

/// The organizations and accounts scanned, and the owners of waivers in
/// force, each once.
fn parties(report: &Report) -> Vec<Party> {
    let snapshot = &report.snapshot;
    let mut parties = Vec::new();
    for org in &snapshot.github_orgs {
        parties.push(Party {
            uuid: uuid(None, &["party", "github", org]),
            kind: "organization",
            name: value(&format!("GitHub organization {org}")),
            props: vec![prop("github-organization", org)],
        });
    }
    for account in &snapshot.aws_accounts {
        let name = match snapshot.aws_account_names.get(account) {
            Some(name) => format!("AWS account {account} ({name})"),
            None => format!("AWS account {account}"),
        };
        parties.push(Party {
            uuid: uuid(None, &["party", "aws", account]),
            kind: "organization",
            name: value(&name),
            props: vec![prop("aws-account", account)],
        });
    }
    for owner in owners(report) {
        parties.push(Party {
            uuid: owner_uuid(owner),
            kind: "person",
            name: value(owner),
            props: vec![prop("exception-owner", owner)],
        });
    }
    parties
}

/// The owners of the waivers that cover a finding, sorted.
fn owners(report: &Report) -> BTreeSet<&str> {
    findings(report)
        .filter_map(|(control, finding)| Accepted::of(report, control, finding)?.owner)
        .collect()
}

/// The waiver in force that a waived finding is under: the finding has a
/// risk.
fn waiver_of(finding: &tenet_engine::Finding) -> Option<&tenet_engine::WaiverRef> {
    finding
        .waiver
        .as_ref()
        .filter(|_| finding.status == Status::Waived)
}

fn owner_uuid(owner: &str) -> String {
    uuid(None, &["party", "owner", owner])
}

/// Every evaluated finding (skipped ones are not) with its control, but
/// the passing items of a population control: [`populations`] sums them
/// up.
fn findings(report: &Report) -> impl Iterator<Item = (&ControlResult, &tenet_engine::Finding)> {
    report.controls.iter().flat_map(|control| {
        control
            .findings
            .iter()
            .filter(|finding| finding.status != Status::Skipped)
            .filter(move |finding| !summed_up(control, finding))
            .map(move |finding| (control, finding))
    })
}

/// The passing items of a population control in one repository (or
/// whatever their ids name before the last `:`).
struct Population<'a> {
    control: &'a ControlResult,
    scope: &'a str,
    /// What the control judges, e.g. `changes`.
    items: &'a str,
    /// The ids of the passing items.
    resources: Vec<&'a str>,
}

/// The passing items of each population control of `controls`, per
/// repository, in order.
fn populations<'a>(controls: impl IntoIterator<Item = &'a ControlResult>) -> Vec<Population<'a>> {
    let mut out = Vec::new();
    for control in controls {
        let Some(items) = control.population.as_deref() else {
            continue;
        };
        out.extend(
            passing_per_scope(control)
                .into_iter()
                .map(|(scope, resources)| Population {
                    control,
                    scope,
                    items,
                    resources,
                }),
        );
    }
    out
}

fn policy_resource(report: &Report, uuid: String) -> Resource {
    let built_in = report.policy == tenet_engine::BUILT_IN_POLICY;
    Resource {
        uuid,
        title: line(&format!("tenet policy {}", report.policy)),
        description: "The policy-as-code file the controls were evaluated against; \
                      its digest identifies it with its custom controls."
            .into(),
        props: report
            .policy_digest
            .iter()
            .map(|digest| prop("policy-digest", digest))
            .collect(),
        rlinks: if built_in {
            Vec::new()
        } else {
            vec![Rlink {
                href: crate::uri::path_reference(&report.policy),
            }]
        },
    }
}

/// The UUIDs of one result's parts, each derived from the result's and the
/// stable ids of what it describes.
struct ResultIds {
    /// The result's UUID.
    result: String,
    /// The assessment platform's.
    platform: String,
}

impl ResultIds {
    fn observation(&self, control: &ControlResult, finding: &tenet_engine::Finding) -> String {
        uuid(
            Some(&self.result),
            &["observation", &control.id, &finding.resource.id],
        )
    }

    fn population(&self, control: &ControlResult, scope: &str) -> String {
        uuid(Some(&self.result), &["population", &control.id, scope])
    }

    fn risk(&self, control: &ControlResult, finding: &tenet_engine::Finding) -> String {
        uuid(
            Some(&self.result),
            &["risk", &control.id, &finding.resource.id],
        )
    }

    fn finding(&self, catalog: &str, objective: &str) -> String {
        uuid(Some(&self.result), &["finding", catalog, objective])
    }
}

fn result(report: &Report, document_uuid: &str, frameworks: &[String]) -> AssessmentResult {
    let (assets, platform) = platform(report);
    let ids = ResultIds {
        result: uuid(Some(document_uuid), &["result"]),
        platform,
    };
    let (verdict_status, verdict) = audit::verdict_sentence(report);
    let snapshot = &report.snapshot;
    let mut props = vec![
        prop("verdict", verdict_status.as_str()),
        prop("fail-on", report.fail_on.as_str()),
    ];
    if let Some(period) = snapshot.period {
        props.push(prop("period-from", &period.from.to_string()));
        props.push(prop("period-to", &period.to.to_string()));
    }
    if let Some(run) = &snapshot.run {
        if let Some(label) = &run.label {
            props.push(prop("run-label", label));
        }
        if let Some(url) = run.github_actions.as_ref().and_then(|ci| ci.url.as_ref()) {
            props.push(prop("github-actions-run", url));
        }
    }
    let catalogs = catalogs(report, frameworks);
    AssessmentResult {
        title: line(&format!(
            "tenet assessment of {}",
            audit::scope_line(&report.snapshot)
        )),
        description: format!(
            "{verdict}.\n\nPolicy {}, evaluated on {} against the snapshot collected at {}.",
            text::markdown_code(&report.policy),
            report.as_of,
            timestamp(report.snapshot.collected_at),
        ),
        // tenet records when the collection started; OSCAL allows the
        // same end for a collection at one moment.
        start: timestamp(report.snapshot.collected_at),
        end: timestamp(report.snapshot.collected_at),
        props,
        local_definitions: LocalDefinitions {
            inventory_items: inventory(report),
            assessment_assets: assets,
        },
        reviewed_controls: ReviewedControls {
            control_selections: catalogs.iter().filter_map(selection).collect(),
        },
        observations: findings(report)
            .map(|(control, finding)| observation(report, &ids, control, finding))
            .chain(
                populations(&report.controls)
                    .iter()
                    .map(|population| population_observation(report, &ids, population)),
            )
            .collect(),
        risks: findings(report)
            .filter_map(|(control, finding)| risk(report, &ids, control, finding))
            .collect(),
        findings: catalogs
            .iter()
            .flat_map(|catalog| {
                catalog
                    .objectives
                    .iter()
                    .map(|objective| conclusion(&ids, catalog, objective))
            })
            .collect(),
        remarks: "Observations are tenet's findings (one per control and resource; \
                  skipped ones were not evaluated). A finding concludes on one control of a \
                  catalog from every observation of the tenet controls that evidence it: \
                  satisfied only when all pass; a failure, a waived failure (see its risk) or \
                  an undetermined result leaves it not satisfied. Criteria of a framework that \
                  no evaluated control evidences are not listed: tenet did not assess them."
            .into(),
        uuid: ids.result,
    }
}

/// The accepted risk of a waived finding (the waiver's reason, owner,
/// approval and expiry) or of an allow-listed pass (its entries'); `None`
/// for any other finding.
fn risk(
    report: &Report,
    ids: &ResultIds,
    control: &ControlResult,
    finding: &tenet_engine::Finding,
) -> Option<Risk> {
    let accepted = Accepted::of(report, control, finding)?;
    let uuid_of_risk = ids.risk(control, finding);
    let deadline = accepted.expires.map(|day| format!("{day}T23:59:59Z"));
    // Dated at its approval when the policy records it, else at the
    // collection.
    let start = accepted.approval.approved.map_or_else(
        || timestamp(report.snapshot.collected_at),
        |day| format!("{day}T00:00:00Z"),
    );
    let mut props = vec![
        prop("control", &control.id),
        prop("exception", accepted.kind),
    ];
    if let Some(owner) = accepted.owner {
        props.push(prop("exception-owner", owner));
    }
    if let Some(approver) = &accepted.approval.approver {
        props.push(prop("exception-approver", approver));
    }
    if let Some(ticket) = &accepted.approval.ticket {
        props.push(prop("exception-ticket", ticket));
    }
    if let Some(expires) = accepted.expires {
        props.push(prop("exception-expires", &expires.to_string()));
    }
    props.push(prop("policy-line", &accepted.line.to_string()));
    let reason = text::markdown(accepted.reason.unwrap_or("no reason recorded"));
    let who = accepted.owner.unwrap_or("an owner not recorded");
    Some(Risk {
        title: line(&format!(
            "{}: {} on {}",
            accepted.title, control.id, finding.resource.id
        )),
        description: reason.clone(),
        statement: text::markdown(&finding.message),
        props,
        status: "deviation-approved",
        deadline: deadline.clone(),
        risk_log: RiskLog {
            entries: vec![RiskLogEntry {
                uuid: uuid(Some(&uuid_of_risk), &["accepted"]),
                title: line(&format!("{} by {who}", accepted.title)),
                description: reason,
                start,
                end: deadline,
                logged_by: accepted
                    .owner
                    .map(|owner| LoggedBy {
                        party_uuid: owner_uuid(owner),
                    })
                    .into_iter()
                    .collect(),
                status_change: "deviation-approved",
            }],
        },
        related_observations: vec![RelatedObservation {
            observation_uuid: ids.observation(control, finding),
        }],
        uuid: uuid_of_risk,
    })
}

/// The exception a finding is under: its waiver, or the first allow-list
/// entry that grants it.
struct Accepted<'a> {
    kind: &'static str,
    title: &'static str,
    reason: Option<&'a str>,
    owner: Option<&'a str>,
    approval: &'a tenet_engine::Approval,
    expires: Option<chrono::NaiveDate>,
    line: usize,
}

impl<'a> Accepted<'a> {
    fn of(
        report: &'a Report,
        control: &ControlResult,
        finding: &'a tenet_engine::Finding,
    ) -> Option<Accepted<'a>> {
        if let Some(waiver) = waiver_of(finding) {
            return Some(Accepted {
                kind: "waiver",
                title: "Waived",
                reason: Some(&waiver.reason),
                owner: Some(&waiver.owner),
                approval: &waiver.approval,
                expires: Some(waiver.expires),
                line: waiver.line,
            });
        }
        let entry = *granting(report, &control.id, finding).first()?;
        Some(Accepted {
            kind: "allow-list",
            title: "Allow-listed",
            reason: entry.reason.as_deref(),
            owner: entry.owner.as_deref(),
            approval: &entry.approval,
            expires: entry.expires,
            line: entry.line,
        })
    }
}

/// Every evaluated resource, once, as an inventory item.
fn inventory(report: &Report) -> Vec<InventoryItem> {
    let resources: BTreeMap<&str, &str> = findings(report)
        .map(|(_, finding)| (finding.resource.id.as_str(), finding.resource.kind.as_str()))
        .chain(
            populations(&report.controls)
                .into_iter()
                .map(|population| (population.scope, "GitHub repository")),
        )
        .collect();
    resources
        .into_iter()
        .map(|(id, kind)| InventoryItem {
            uuid: resource_uuid(id),
            description: format!("{} {}", text::markdown(kind), text::markdown_code(id)),
            props: vec![
                Property {
                    name: "asset-id",
                    ns: None,
                    value: value(id),
                },
                prop("resource-type", kind),
            ],
        })
        .collect()
}

fn resource_uuid(id: &str) -> String {
    uuid(None, &["resource", id])
}

fn observation(
    report: &Report,
    ids: &ResultIds,
    control: &ControlResult,
    finding: &tenet_engine::Finding,
) -> Observation {
    let mut props = vec![
        prop("control", &control.id),
        prop("status", finding.status.as_str()),
        prop("severity", control.severity.as_str()),
        prop("pillar", control.pillar.as_str()),
    ];
    if let Some(parameter) = finding
        .evidence
        .get(ALLOWLISTED_BY)
        .and_then(|v| v.as_str())
    {
        props.push(prop("allowlisted-by", parameter));
    }
    if let Some(expired) = &finding.expired_waiver {
        props.push(prop("expired-waiver", &expired.expires.to_string()));
    }
    Observation {
        uuid: ids.observation(control, finding),
        title: line(&format!("{} on {}", control.id, finding.resource.id)),
        description: text::markdown(&finding.message),
        props,
        methods: ["TEST"],
        origins: origins(&ids.platform),
        types: [if finding.status == Status::Pass {
            "control-objective"
        } else {
            "finding"
        }],
        subjects: vec![Subject {
            subject_uuid: resource_uuid(&finding.resource.id),
            kind: "inventory-item",
            title: line(&finding.resource.id),
        }],
        relevant_evidence: finding
            .evidence
            .iter()
            .filter(|(key, _)| key.as_str() != ALLOWLISTED_BY)
            .map(|(key, fact)| Evidence {
                description: format!(
                    "{}: {}",
                    text::markdown(key),
                    evidence::markdown_whole(fact)
                ),
                props: vec![Property {
                    name: "evidence-json",
                    ns: Some(NS),
                    value: text::json_line(&serde_json::json!({ key: fact })),
                }],
            })
            .collect(),
        collected: timestamp(report.snapshot.collected_at),
    }
}

/// The observation of a population control's passing items in one
/// repository: how many, and which.
fn population_observation(
    report: &Report,
    ids: &ResultIds,
    population: &Population<'_>,
) -> Observation {
    let control = population.control;
    let count = population.resources.len();
    Observation {
        uuid: ids.population(control, population.scope),
        title: line(&format!(
            "{} on the {} of {}",
            control.id, population.items, population.scope
        )),
        description: format!(
            "{count} {} of {} passed; the JSON report lists each with its evidence.",
            text::markdown(population.items),
            text::markdown_code(population.scope)
        ),
        props: vec![
            prop("control", &control.id),
            prop("status", Status::Pass.as_str()),
            prop("severity", control.severity.as_str()),
            prop("pillar", control.pillar.as_str()),
            prop("population-size", &count.to_string()),
        ],
        methods: ["TEST"],
        origins: origins(&ids.platform),
        types: ["control-objective"],
        subjects: vec![Subject {
            subject_uuid: resource_uuid(population.scope),
            kind: "inventory-item",
            title: line(population.scope),
        }],
        relevant_evidence: vec![Evidence {
            description: format!(
                "passing {}: {}",
                text::markdown(population.items),
                population
                    .resources
                    .iter()
                    .map(|id| text::markdown_code(id))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            props: vec![Property {
                name: "evidence-json",
                ns: Some(NS),
                value: text::json_line(&serde_json::json!({ "passing": population.resources })),
            }],
        }],
        collected: timestamp(report.snapshot.collected_at),
    }
}

/// A catalog of control objectives: a framework, or tenet's own controls.
struct Catalog<'a> {
    /// `soc2`, `nist-800-53`, … or [`TENET_CATALOG`].
    key: &'static str,
    /// Its name and version, for a person.
    name: String,
    /// The objectives tenet's controls evidence and judged.
    objectives: Vec<Objective<'a>>,
    /// The ids of the objectives the assessment reviewed: those judged,
    /// and for tenet's own catalog every control of the policy (a control
    /// skipped as not applicable or disabled was reviewed too).
    reviewed: Vec<String>,
}

/// One control objective and the tenet controls behind it.
struct Objective<'a> {
    /// Its id, as the catalog writes it.
    id: String,
    /// Its title, when known.
    title: Option<String>,
    /// The worst status of its controls.
    status: Status,
    /// The controls that evidence it.
    controls: Vec<&'a ControlResult>,
}

/// The catalogs of the document: the frameworks asked for (or referenced),
/// then tenet's own controls.
fn catalogs<'a>(report: &'a Report, frameworks: &[String]) -> Vec<Catalog<'a>> {
    let keys: Vec<String> = if report.frameworks.is_empty() && frameworks.is_empty() {
        tenet_rules::frameworks()
            .iter()
            .filter(|framework| {
                report
                    .controls
                    .iter()
                    .flat_map(|control| &control.references)
                    .any(|reference| reference.framework == framework.name)
            })
            .map(|framework| framework.key.to_owned())
            .collect()
    } else {
        frameworks.to_vec()
    };
    let mut catalogs: Vec<Catalog<'a>> = audit::framework_views(report, &keys)
        .into_iter()
        .map(|view| {
            let objectives: Vec<Objective<'a>> = view
                .rows
                .into_iter()
                .filter(|row| row.status != Status::Skipped)
                .map(|row| Objective {
                    id: row.id,
                    title: row.title.map(str::to_owned),
                    status: row.status,
                    controls: row.controls,
                })
                .collect();
            Catalog {
                key: view.framework.key,
                name: view.framework.name.clone(),
                reviewed: objectives.iter().map(|o| o.id.clone()).collect(),
                objectives,
            }
        })
        .collect();
    catalogs.push(Catalog {
        key: TENET_CATALOG,
        name: format!("tenet policy {}", report.policy),
        objectives: report
            .controls
            .iter()
            .filter(|control| control.status != Status::Skipped)
            .map(|control| Objective {
                id: control.id.clone(),
                title: Some(control.title.clone()),
                status: control.status,
                controls: vec![control],
            })
            .collect(),
        reviewed: report.controls.iter().map(|c| c.id.clone()).collect(),
    });
    catalogs
}

/// The catalog's controls tenet reviewed; `None` when there are none.
fn selection(catalog: &Catalog) -> Option<ControlSelection> {
    let mut ids = BTreeSet::new();
    let include_controls: Vec<SelectControl> = catalog
        .reviewed
        .iter()
        .map(|id| control_id(catalog.key, id))
        .filter(|id| ids.insert(id.clone()))
        .map(|control_id| SelectControl { control_id })
        .collect();
    let description = if catalog.key == TENET_CATALOG {
        format!(
            "Every control of {}: judged, or skipped as not applicable or disabled.",
            text::markdown(&catalog.name)
        )
    } else {
        format!(
            "The criteria of {} that tenet's controls evidence and judged.",
            text::markdown(&catalog.name)
        )
    };
    (!include_controls.is_empty()).then_some(ControlSelection {
        description,
        props: vec![prop("catalog", catalog.key)],
        include_controls,
    })
}

/// The finding on one objective: satisfied only when every evaluated
/// resource of every control behind it passes.
fn conclusion(ids: &ResultIds, catalog: &Catalog, objective: &Objective) -> Finding {
    let (state, reason, remarks) = match objective.status {
        Status::Pass => ("satisfied", "pass", None),
        Status::Fail => ("not-satisfied", "fail", None),
        Status::Waived => (
            "not-satisfied",
            "fail",
            Some("Every failure behind it is covered by a waiver in force: see its risks."),
        ),
        _ => (
            "not-satisfied",
            "other",
            Some(
                "tenet could not determine whether some resource meets it; undetermined is never satisfied.",
            ),
        ),
    };
    let satisfied = objective.status == Status::Pass;
    let deciding = |status: Status| {
        if satisfied {
            status == Status::Pass
        } else {
            !matches!(status, Status::Pass | Status::Skipped)
        }
    };
    let mut related_observations = Vec::new();
    let mut related_risks = Vec::new();
    let mut description = String::from("Evidenced by tenet's controls:\n");
    for control in &objective.controls {
        description.push_str(&format!(
            "\n- {} ({}): {}",
            text::markdown_code(&control.id),
            control.status.as_str(),
            text::markdown(&control.title)
        ));
        for finding in control
            .findings
            .iter()
            .filter(|f| deciding(f.status) && !summed_up(control, f))
        {
            related_observations.push(RelatedObservation {
                observation_uuid: ids.observation(control, finding),
            });
            if waiver_of(finding).is_some() {
                related_risks.push(RelatedRisk {
                    risk_uuid: ids.risk(control, finding),
                });
            }
        }
    }
    if satisfied {
        for population in populations(objective.controls.iter().copied()) {
            related_observations.push(RelatedObservation {
                observation_uuid: ids.population(population.control, population.scope),
            });
        }
    }
    description.push('\n');
    let title = match &objective.title {
        Some(title) => format!("{} {}: {title}", catalog.name, objective.id),
        None => format!("{} {}", catalog.name, objective.id),
    };
    Finding {
        uuid: ids.finding(catalog.key, &objective.id),
        title: line(&title),
        description,
        props: vec![
            prop("catalog", catalog.key),
            prop("criterion", &objective.id),
        ],
        target: Target {
            kind: "objective-id",
            target_id: control_id(catalog.key, &objective.id),
            title: objective.title.as_deref().map(line),
            status: TargetStatus {
                state,
                reason,
                remarks: remarks.map(str::to_owned),
            },
        },
        related_observations,
        related_risks,
    }
}
