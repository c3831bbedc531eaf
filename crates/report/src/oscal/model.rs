//! The parts of an OSCAL assessment-results document tenet writes, as serde
//! types named and shaped after NIST's JSON schema (`oscal_assessment-results_schema.json`).
//! Every list the schema gives `minItems: 1` is left out when empty.

use serde::Serialize;

/// The document: `{"assessment-results": …}`.
#[derive(Serialize)]
pub(super) struct Document {
    #[serde(rename = "assessment-results")]
    pub assessment_results: AssessmentResults,
}

/// The assessment-results model.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct AssessmentResults {
    pub uuid: String,
    pub metadata: Metadata,
    pub import_ap: ImportAp,
    pub results: Vec<AssessmentResult>,
    pub back_matter: BackMatter,
}

/// Document metadata.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Metadata {
    pub title: String,
    pub last_modified: String,
    pub version: String,
    pub oscal_version: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub responsible_parties: Vec<ResponsibleParty>,
}

/// A role a party plays.
#[derive(Serialize)]
pub(super) struct Role {
    pub id: &'static str,
    pub title: &'static str,
}

/// The parties that play a role.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct ResponsibleParty {
    pub role_id: &'static str,
    pub party_uuids: Vec<String>,
}

/// A name/value pair, in tenet's namespace unless OSCAL defines the name.
#[derive(Serialize)]
pub(super) struct Property {
    pub name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ns: Option<&'static str>,
    pub value: String,
}

/// An organization or person.
#[derive(Serialize)]
pub(super) struct Party {
    pub uuid: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
}

/// Where the assessment plan is: tenet's is the policy, in back matter.
#[derive(Serialize)]
pub(super) struct ImportAp {
    pub href: String,
    pub remarks: String,
}

/// One assessment: one tenet run.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct AssessmentResult {
    pub uuid: String,
    pub title: String,
    pub description: String,
    pub start: String,
    pub end: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    pub local_definitions: LocalDefinitions,
    pub reviewed_controls: ReviewedControls,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub observations: Vec<Observation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub risks: Vec<Risk>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    pub remarks: String,
}

/// The resources assessed, as inventory items, and tenet as the
/// assessment platform.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct LocalDefinitions {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inventory_items: Vec<InventoryItem>,
    pub assessment_assets: AssessmentAssets,
}

/// The tools that assessed: tenet.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct AssessmentAssets {
    pub components: Vec<Component>,
    pub assessment_platforms: Vec<AssessmentPlatform>,
}

/// A tool, as a component.
#[derive(Serialize)]
pub(super) struct Component {
    pub uuid: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub props: Vec<Property>,
    pub status: ComponentStatus,
}

/// A component's state.
#[derive(Serialize)]
pub(super) struct ComponentStatus {
    pub state: &'static str,
}

/// The platform the assessment ran on, made of components.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct AssessmentPlatform {
    pub uuid: String,
    pub title: String,
    pub uses_components: Vec<UsesComponent>,
}

/// A component a platform uses.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct UsesComponent {
    pub component_uuid: String,
}

/// Where an observation came from.
#[derive(Serialize)]
pub(super) struct Origin {
    pub actors: Vec<Actor>,
}

/// A tool, platform or party that made an observation.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Actor {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub actor_uuid: String,
}

/// One resource tenet judged.
#[derive(Serialize)]
pub(super) struct InventoryItem {
    pub uuid: String,
    pub description: String,
    pub props: Vec<Property>,
}

/// The controls assessed, per catalog.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct ReviewedControls {
    pub control_selections: Vec<ControlSelection>,
}

/// The controls of one catalog that tenet assessed.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct ControlSelection {
    pub description: String,
    pub props: Vec<Property>,
    pub include_controls: Vec<SelectControl>,
}

/// One control by id.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct SelectControl {
    pub control_id: String,
}

/// One control × one resource: what tenet saw.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Observation {
    pub uuid: String,
    pub title: String,
    pub description: String,
    pub props: Vec<Property>,
    pub methods: [&'static str; 1],
    pub types: [&'static str; 1],
    pub origins: Vec<Origin>,
    pub subjects: Vec<Subject>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub relevant_evidence: Vec<Evidence>,
    pub collected: String,
}

/// The resource an observation is about.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Subject {
    pub subject_uuid: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
}

/// One fact read, for a person (description) and exactly (its JSON).
#[derive(Serialize)]
pub(super) struct Evidence {
    pub description: String,
    pub props: Vec<Property>,
}

/// A waived failure: a risk the owner accepted until the waiver expires.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Risk {
    pub uuid: String,
    pub title: String,
    pub description: String,
    pub statement: String,
    pub props: Vec<Property>,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    pub risk_log: RiskLog,
    pub related_observations: Vec<RelatedObservation>,
}

/// The risk's history: the waiver's acceptance.
#[derive(Serialize)]
pub(super) struct RiskLog {
    pub entries: Vec<RiskLogEntry>,
}

/// One entry of a risk log.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RiskLogEntry {
    pub uuid: String,
    pub title: String,
    pub description: String,
    pub start: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub logged_by: Vec<LoggedBy>,
    pub status_change: &'static str,
}

/// Who made a log entry.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct LoggedBy {
    pub party_uuid: String,
}

/// The conclusion about one control of a catalog.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Finding {
    pub uuid: String,
    pub title: String,
    pub description: String,
    pub props: Vec<Property>,
    pub target: Target,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_observations: Vec<RelatedObservation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_risks: Vec<RelatedRisk>,
}

/// The control objective a finding concludes on.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Target {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub target_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub status: TargetStatus,
}

/// Satisfied or not, and why.
#[derive(Serialize)]
pub(super) struct TargetStatus {
    pub state: &'static str,
    pub reason: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

/// A reference to an observation.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RelatedObservation {
    pub observation_uuid: String,
}

/// A reference to a risk.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RelatedRisk {
    pub risk_uuid: String,
}

/// Resources the document refers to: the policy.
#[derive(Serialize)]
pub(super) struct BackMatter {
    pub resources: Vec<Resource>,
}

/// One back-matter resource.
#[derive(Serialize)]
pub(super) struct Resource {
    pub uuid: String,
    pub title: String,
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Property>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rlinks: Vec<Rlink>,
}

/// A link to a resource.
#[derive(Serialize)]
pub(super) struct Rlink {
    pub href: String,
}
