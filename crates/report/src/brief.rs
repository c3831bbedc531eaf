//! What the audit formats (Markdown and HTML) list in full and what they
//! count, so that a report stays short however large the scope: failing,
//! undetermined and exceptions in full up to a few per control, the rest of
//! them by resource, passing controls one line each. The JSON report lists
//! every finding with its evidence.

use std::collections::BTreeMap;

use tenet_engine::{ControlResult, Finding, Status};
use tenet_rules::Pillar;

use crate::audit::{Audit, needs_attention};

/// Failing or undetermined findings of one control (of one status) the
/// overview lists before it points to the control's card.
pub(crate) const OVERVIEW_ROWS: usize = 3;

/// Findings a control's card shows in full, with message and evidence; the
/// rest are listed by resource ([`Card::rest`]).
pub(crate) const CARD_ROWS: usize = 5;

/// A section of the audit report, for its table of contents.
pub(crate) struct Section {
    /// Its anchor (the `id` of its heading).
    pub anchor: String,
    /// Its heading.
    pub title: String,
}

/// The heading of what was not assessed.
pub(crate) const COMPLETENESS: &str = "What was not assessed";
/// The heading of the overview of failing and undetermined findings.
pub(crate) const FAILING: &str = "Failing and undetermined resources";
/// The heading of the control cards.
pub(crate) const ATTENTION: &str = "Controls that need attention";
/// The heading of the one-line list of the passing controls.
pub(crate) const PASSING: &str = "Passing controls";
/// The heading of the access roster.
pub(crate) const ACCESS: &str = "Appendix: who has access";

/// The sections of the audit report of `audit`, in order; `trend` when it
/// has a trend section.
pub(crate) fn contents(audit: &Audit<'_>, trend: bool) -> Vec<Section> {
    let section = |anchor: &str, title: &str| Section {
        anchor: anchor.to_owned(),
        title: title.to_owned(),
    };
    let mut sections = vec![
        section("summary", "Executive summary"),
        section("completeness", COMPLETENESS),
        section("failing", FAILING),
    ];
    if audit.changes.is_some() {
        sections.push(section("changes", "Changes since the previous report"));
    }
    for view in &audit.frameworks {
        sections.push(Section {
            anchor: framework_anchor(view.framework.key),
            title: view.framework.name.clone(),
        });
    }
    if trend {
        sections.push(section("trend", "Trend over the audit period"));
    }
    sections.push(section("exceptions", "Exceptions register"));
    sections.push(section("attestations", "Attestations"));
    sections.push(section("attention", ATTENTION));
    if !audit.only_failing {
        sections.push(section("passing", PASSING));
    }
    if audit.report.access.is_some() {
        sections.push(section("access", ACCESS));
    }
    sections
}

/// How many resources of one kind the findings name.
struct KindCount<'a> {
    /// The kind: `GitHub repository`, `IAM user`.
    pub kind: &'a str,
    /// Distinct resources of the kind.
    pub resources: usize,
    /// Those no control could judge: every finding of theirs undetermined.
    pub undetermined: usize,
}

/// The resources the findings of `controls` name, counted per kind (in
/// the kinds' order): what was in scope, and what of it could not be
/// judged at all.
fn in_scope(controls: &[ControlResult]) -> Vec<KindCount<'_>> {
    let mut judged: BTreeMap<(&str, &str), bool> = BTreeMap::new();
    for finding in controls.iter().flat_map(|c| &c.findings) {
        let entry = judged
            .entry((finding.resource.kind.as_str(), finding.resource.id.as_str()))
            .or_insert(false);
        *entry |= !matches!(finding.status, Status::Error | Status::Skipped);
    }
    let mut counts: Vec<KindCount<'_>> = Vec::new();
    for ((kind, _), judged) in judged {
        if counts.last().is_none_or(|last| last.kind != kind) {
            counts.push(KindCount {
                kind,
                resources: 0,
                undetermined: 0,
            });
        }
        if let Some(last) = counts.last_mut() {
            last.resources += 1;
            last.undetermined += usize::from(!judged);
        }
    }
    counts
}

/// [`in_scope`] in one line: `GitHub repository 2, IAM user 5 (1
/// undetermined)`.
pub(crate) fn in_scope_words(controls: &[ControlResult]) -> String {
    in_scope(controls)
        .iter()
        .map(|count| match count.undetermined {
            0 => format!("{} {}", count.kind, count.resources),
            n => format!("{} {} ({n} undetermined)", count.kind, count.resources),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The anchor of a framework's section, by its key: `framework-soc2`.
pub(crate) fn framework_anchor(key: &str) -> String {
    format!("framework-{}", anchor(key))
}

/// `text` as an anchor (an HTML `id` and a link's fragment) that needs no
/// escaping: ASCII letters, digits, `.`, `_` and `-` kept, runs of anything
/// else one `-`. A control's anchor is its id.
pub(crate) fn anchor(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out
}

/// A row of the overview of failing and undetermined findings.
pub(crate) enum OverviewRow<'a> {
    /// A finding, listed.
    Finding(&'a ControlResult, &'a Finding),
    /// The findings of one control and status past [`OVERVIEW_ROWS`].
    More {
        /// The control.
        control: &'a ControlResult,
        /// Their status.
        status: Status,
        /// How many.
        count: usize,
    },
}

/// The overview of `failing` (most severe first, as
/// [`crate::audit::Audit::failing`] orders them): at most
/// [`OVERVIEW_ROWS`] findings of each control and status, then a row that
/// counts the rest.
pub(crate) fn overview<'a>(failing: &[(&'a ControlResult, &'a Finding)]) -> Vec<OverviewRow<'a>> {
    let mut rows = Vec::new();
    let mut index = 0;
    while index < failing.len() {
        let (control, first) = failing[index];
        let run = failing[index..]
            .iter()
            .take_while(|(c, f)| c.id == control.id && f.status == first.status)
            .count();
        for (control, finding) in &failing[index..index + run.min(OVERVIEW_ROWS)] {
            rows.push(OverviewRow::Finding(control, finding));
        }
        if run > OVERVIEW_ROWS {
            rows.push(OverviewRow::More {
                control,
                status: first.status,
                count: run - OVERVIEW_ROWS,
            });
        }
        index += run;
    }
    rows
}

/// Whether a control gets a card of its own: it failed, could not be
/// determined or was waived, or a finding of it needs attention (an
/// allow-listed pass).
pub(crate) fn needs_card(control: &ControlResult) -> bool {
    matches!(
        control.status,
        Status::Fail | Status::Error | Status::Waived
    ) || control.findings.iter().any(needs_attention)
}

/// Whether the report of `audit` has an anchor for `control`: a card, a
/// row of the attestations (a manual control), a line of what was not
/// assessed (a skipped control), or a line among the passing controls
/// (which `--only-failing` leaves out).
pub(crate) fn has_anchor(audit: &Audit<'_>, control: &ControlResult) -> bool {
    !audit.only_failing
        || needs_card(control)
        || control.pillar == Pillar::Manual
        || control.status == Status::Skipped
}

/// Whether what was not assessed carries the anchor of `control`: a
/// skipped control that is not manual (the attestations carry those).
pub(crate) fn anchored_as_skipped(control: &ControlResult) -> bool {
    control.status == Status::Skipped && control.pillar != Pillar::Manual
}

/// Whether `control` is a line of the passing controls: it passed without
/// a card, and is not a manual control (the attestations list those).
pub(crate) fn in_passing_list(control: &ControlResult) -> bool {
    control.status == Status::Pass && !needs_card(control) && control.pillar != Pillar::Manual
}

/// The controls that get a card, most severe first, then by worst status
/// and id.
pub(crate) fn carded(controls: &[ControlResult]) -> Vec<&ControlResult> {
    let mut carded: Vec<&ControlResult> = controls.iter().filter(|c| needs_card(c)).collect();
    carded.sort_by_key(|control| {
        (
            std::cmp::Reverse(control.severity),
            std::cmp::Reverse(control.status.rank()),
            control.id.as_str(),
        )
    });
    carded
}

/// What a control's card lists: the findings that need attention, the
/// first [`CARD_ROWS`] of them in full and the rest by resource.
pub(crate) struct Card<'a> {
    /// Shown with message and evidence.
    pub full: Vec<&'a Finding>,
    /// The rest, by status and what they are.
    pub rest: Vec<Group<'a>>,
}

/// The card of `control`: its failing, undetermined, waived and
/// allow-listed findings, worst status first, then by resource.
pub(crate) fn card(control: &ControlResult) -> Card<'_> {
    let mut listed: Vec<&Finding> = control
        .findings
        .iter()
        .filter(|f| needs_attention(f))
        .collect();
    listed.sort_by_key(|f| (std::cmp::Reverse(f.status.rank()), f.resource.id.as_str()));
    let rest = listed.split_off(listed.len().min(CARD_ROWS));
    Card {
        full: listed,
        rest: groups(&rest),
    }
}

/// Resources of one status listed together: those whose ids end in the
/// same item (`branch/main`) after different scopes (`github:acme/api`),
/// named by the scopes' common prefix and what follows it in each.
pub(crate) struct Group<'a> {
    /// Their status (an allow-listed pass counts as `pass`).
    pub status: Status,
    /// What follows the last `:` of their ids; the whole id when it has
    /// none.
    pub item: &'a str,
    /// The scopes' common prefix, up to and including its last `/` or `:`;
    /// empty for a group of one.
    pub prefix: &'a str,
    /// What follows the prefix in each scope, in order.
    pub scopes: Vec<&'a str>,
}

impl Group<'_> {
    /// How many and of what status, in words: `290 undetermined`.
    pub fn lead(&self) -> String {
        format!("{} {}", self.scopes.len(), status_words(self.status))
    }

    /// The one resource id of a group of one, whole.
    pub fn single(&self) -> Option<String> {
        match self.scopes.as_slice() {
            [""] => Some(self.item.to_owned()),
            [scope] => Some(format!("{}{scope}:{}", self.prefix, self.item)),
            _ => None,
        }
    }
}

/// A status as an adjective for a count: `failing`, `undetermined`.
fn status_words(status: Status) -> &'static str {
    match status {
        Status::Fail => "failing",
        Status::Error => "undetermined",
        Status::Waived => "waived",
        Status::Pass => "allow-listed",
        Status::Skipped => "skipped",
    }
}

/// `findings` grouped by status and item, in the order they come.
fn groups<'a>(findings: &[&'a Finding]) -> Vec<Group<'a>> {
    let mut by_item: BTreeMap<(std::cmp::Reverse<u8>, &str), Vec<&str>> = BTreeMap::new();
    let mut statuses: BTreeMap<u8, Status> = BTreeMap::new();
    for finding in findings {
        let id = finding.resource.id.as_str();
        let (scope, item) = id.rsplit_once(':').unwrap_or(("", id));
        statuses.insert(finding.status.rank(), finding.status);
        by_item
            .entry((std::cmp::Reverse(finding.status.rank()), item))
            .or_default()
            .push(scope);
    }
    by_item
        .into_iter()
        .map(|((rank, item), scopes)| {
            let prefix = if scopes.len() > 1 {
                common_prefix(&scopes)
            } else {
                ""
            };
            Group {
                status: statuses[&rank.0],
                item,
                prefix,
                scopes: scopes.iter().map(|scope| &scope[prefix.len()..]).collect(),
            }
        })
        .collect()
}

/// The longest prefix every one of `names` shares, cut after its last `/`
/// or `:` so that no name is split.
fn common_prefix<'a>(names: &[&'a str]) -> &'a str {
    let first = names[0];
    let mut end = first.len();
    for name in &names[1..] {
        end = first
            .bytes()
            .zip(name.bytes())
            .take(end)
            .take_while(|(a, b)| a == b)
            .count();
    }
    let shared = &first[..end];
    shared
        .rfind(['/', ':'])
        .map_or("", |joint| &first[..=joint])
}

/// A passing control's line ([`in_passing_list`]) in one sentence: the
/// message of its one finding, or how many resources of each kind pass.
pub(crate) fn one_line(control: &ControlResult) -> String {
    match control.findings.as_slice() {
        [] => "no resource in scope".to_owned(),
        [only] => only.message.clone(),
        findings => {
            let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
            for finding in findings {
                *kinds.entry(finding.resource.kind.as_str()).or_default() += 1;
            }
            let kinds: Vec<String> = kinds
                .iter()
                .map(|(kind, n)| format!("{n} {kind}"))
                .collect();
            format!("all pass: {}", kinds.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use tenet_engine::{Finding, Status};

    use super::{common_prefix, groups};

    fn finding(id: &str, status: Status) -> Finding {
        Finding {
            resource: tenet_rules::Resource::new(id, "branch"),
            status,
            message: "m".into(),
            evidence: Default::default(),
            waiver: None,
            expired_waiver: None,
        }
    }

    #[test]
    fn common_prefixes_end_at_a_joint() {
        assert_eq!(
            common_prefix(&["github:acme/repo-0001", "github:acme/repo-0002"]),
            "github:acme/"
        );
        assert_eq!(
            common_prefix(&["github:acme/a", "github:acme-corp/b"]),
            "github:"
        );
        assert_eq!(common_prefix(&["a", "b"]), "");
        assert_eq!(common_prefix(&["ab", "ab"]), "");
    }

    #[test]
    fn resources_are_grouped_by_status_and_item() {
        let findings = [
            finding("github:acme/web:branch/main", Status::Error),
            finding("github:acme/api:commit/abc", Status::Fail),
            finding("github:acme/api:branch/main", Status::Error),
            finding("attestation", Status::Fail),
        ];
        let refs: Vec<&Finding> = findings.iter().collect();
        let found = groups(&refs);
        let shape: Vec<(Status, &str, &str, Vec<&str>)> = found
            .iter()
            .map(|g| (g.status, g.item, g.prefix, g.scopes.clone()))
            .collect();
        assert_eq!(
            shape,
            [
                (Status::Fail, "attestation", "", vec![""]),
                (Status::Fail, "commit/abc", "", vec!["github:acme/api"]),
                (
                    Status::Error,
                    "branch/main",
                    "github:acme/",
                    vec!["web", "api"]
                ),
            ]
        );
    }
}
