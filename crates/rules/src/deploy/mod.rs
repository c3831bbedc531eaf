//! Deploy paths from GitHub Actions into an AWS role: which repositories,
//! and there which branches, tags, environments or pull requests, may
//! assume the role through its trust in GitHub's OIDC tokens, and whether
//! each such path passes a second person's review.
//!
//! A path is one kind of token of one repository ([`Via`]). For each kind
//! the token's claims are known up to one value `V` (the branch, tag,
//! environment, pull request number, repository or whole subject), and
//! the trust policy's conditions become a formula over `V`
//! ([`claims::Reading`]). The search ([`search::Space::find`]) answers
//! whether some `V` is let in, and whether some `V` is let in that no
//! review protects: the shortest such `V` is the path's example.

mod claims;
mod environment;
mod nfa;
mod search;
mod subject;

use std::collections::BTreeSet;

use serde_json::{Value, json};
use tenet_iam_policy::PolicyDocument;
use tenet_inventory::{
    Observed,
    aws::AwsAccount,
    github::{GithubOrg, ProtectionRule, Repository},
};

use claims::is_enterprise_server;
use claims::{Claim, Claims, Reading};
pub(crate) use claims::{GithubTrust, github_trusts};
use nfa::{Bound, Nfa};
use search::{Formula, Found, Space, Suffix};
use subject::{Format, Repo, spell, subject};

use crate::{
    branch::{Effective, Source, classic_source, effective, names_one_branch, ruleset_source},
    ruleset::targets_repository,
    verdict::Verdict,
};

/// The kind of token a path is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Via {
    /// A job on a branch (`…:ref:refs/heads/<V>`).
    Branch,
    /// A job on a tag (`…:ref:refs/tags/<V>`).
    Tag,
    /// A job that names an environment (`…:environment:<V>`).
    Environment,
    /// A job of a pull request (`…:pull_request`).
    PullRequest,
    /// A repository with a subject tenet does not read.
    Subject,
    /// A repository of a scanned organization that was not scanned.
    OtherRepository,
    /// A repository of another owner.
    OtherOwner,
}

impl Via {
    /// The name in evidence.
    pub fn name(self) -> &'static str {
        match self {
            Via::Branch => "branch",
            Via::Tag => "tag",
            Via::Environment => "environment",
            Via::PullRequest => "pull_request",
            Via::Subject => "subject",
            Via::OtherRepository => "other_repository",
            Via::OtherOwner => "other_owner",
        }
    }
}

/// Whether a path passes review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum PathStatus {
    /// Every token of the path comes from reviewed code or an approved
    /// deployment.
    Closed,
    /// tenet could not decide.
    Undecided,
    /// Some token of the path comes without a second person's review.
    Open,
}

impl PathStatus {
    fn name(self) -> &'static str {
        match self {
            PathStatus::Closed => "closed",
            PathStatus::Undecided => "undecided",
            PathStatus::Open => "open",
        }
    }
}

/// One deploy path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DeployPath {
    /// `owner/repo`, `owner/*` for repositories not scanned, `*` for other
    /// owners.
    pub repository: String,
    /// The kind of token.
    pub via: Via,
    /// The value that makes the example token: a branch, tag, environment,
    /// pull request number, repository name or subject.
    pub example: String,
    /// The example token's subject.
    pub subject: String,
    /// Whether the path passes review.
    pub status: PathStatus,
    /// Why.
    pub why: String,
}

impl DeployPath {
    /// A path tenet could not decide, for `why`, without an example.
    fn undecided(repository: String, via: Via, why: String) -> DeployPath {
        DeployPath {
            repository,
            via,
            example: String::new(),
            subject: String::new(),
            status: PathStatus::Undecided,
            why,
        }
    }

    /// The path as evidence.
    pub fn evidence(&self) -> Value {
        json!({
            "repository": self.repository,
            "via": self.via.name(),
            "example": self.example,
            "subject": self.subject,
            "status": self.status.name(),
            "why": self.why,
        })
    }

    /// One line for a message: `acme/app branch feature: why`.
    pub fn describe(&self) -> String {
        let path = match self.via {
            Via::Branch => format!("{} branch {}", self.repository, self.example),
            Via::Tag => format!("{} tag {}", self.repository, self.example),
            Via::Environment => format!("{} environment {}", self.repository, self.example),
            Via::PullRequest => format!("{} pull requests", self.repository),
            Via::Subject | Via::OtherRepository => self.repository.clone(),
            Via::OtherOwner => format!("the subject {}", self.example),
        };
        format!("{path}: {}", self.why)
    }
}

/// The repositories of `org` whose OIDC subject settings a deploy path of a
/// role of `accounts` may depend on: each one (archived ones aside) that
/// some role's trust in GitHub does not confine to other repositories
/// whatever its subject template ([`pins_elsewhere`]). Roles whose trust
/// policy cannot be read are left out: the control reports them as errors
/// without looking at the repositories.
pub fn subjects_needed(accounts: &[AwsAccount], org: &GithubOrg) -> BTreeSet<String> {
    let trusts: Vec<GithubTrust> = accounts
        .iter()
        .filter_map(|account| account.roles.known())
        .flatten()
        .filter_map(|role| PolicyDocument::parse(&role.trust_policy).ok())
        .flat_map(|document| github_trusts(&document))
        .filter(|trust| may_be_issued(org, &trust.issuer))
        .collect();
    org.repositories
        .known()
        .into_iter()
        .flatten()
        .filter(|repo| !repo.archived)
        .filter(|repo| trusts.iter().any(|trust| !pins_elsewhere(trust, org, repo)))
        .map(|repo| repo.name.clone())
        .collect()
}

/// The server whose tokens `issuer` names, as [`GithubOrg::server`] does:
/// a GitHub Enterprise Server's host, or `github.com` (whose issuer also
/// has an enterprise's own form, `token.actions.githubusercontent.com/…`).
pub(crate) fn server_of(issuer: &str) -> &str {
    match issuer.strip_suffix("/_services/token") {
        Some(host) if is_enterprise_server(issuer) => host,
        _ => "github.com",
    }
}

/// Whether `org`'s workflows may get tokens of `issuer`: it is on the
/// issuer's server ([`server_of`]), or its server is unknown.
pub(crate) fn may_be_issued(org: &GithubOrg, issuer: &str) -> bool {
    org.server
        .known()
        .is_none_or(|on| on.eq_ignore_ascii_case(server_of(issuer)))
}

/// Every deploy path of `trust` from the organizations `orgs` and from
/// anywhere else, for a review that needs `min` approvals. Only the
/// organizations on the server whose tokens the trust names have paths of
/// their own; an organization whose server is unknown has one undecided
/// path.
pub(crate) fn deploy_paths(trust: &GithubTrust, orgs: &[GithubOrg], min: u32) -> Vec<DeployPath> {
    let server = server_of(&trust.issuer);
    let mut paths = Vec::new();
    // The organizations whose tokens may be the trust's: those on its
    // server, and those whose server is unknown.
    let mut ours: Vec<&GithubOrg> = Vec::new();
    for org in orgs.iter().filter(|org| may_be_issued(org, &trust.issuer)) {
        ours.push(org);
        if let Observed::Unavailable { reason } = &org.server {
            paths.push(DeployPath::undecided(
                format!("{}/*", org.login),
                Via::OtherRepository,
                format!(
                    "the snapshot does not say which GitHub server {} is on ({reason}), \
                         and the role trusts the tokens of {server}: collect it again",
                    org.login
                ),
            ));
            continue;
        }
        let repos = match &org.repositories {
            Observed::Known(repos) => repos,
            Observed::Unavailable { reason } => {
                paths.push(DeployPath::undecided(
                    format!("{}/*", org.login),
                    Via::OtherRepository,
                    format!(
                        "the repositories of {} are unavailable: {reason}",
                        org.login
                    ),
                ));
                continue;
            }
        };
        for repo in repos.iter().filter(|repo| !repo.archived) {
            repository_paths(trust, org, repo, min, &mut paths);
        }
        paths.extend(other_repository(trust, org, repos));
    }
    paths.extend(other_owner(trust, &ours));
    paths
}

/// How a repository's subjects are made ([`Format`]): both default formats
/// when it does not say which, with a caveat that keeps its paths from
/// passing when its settings were not read; an error when tenet cannot
/// tell.
fn formats(org: &GithubOrg, repo: &Repository) -> Result<(Vec<Format>, Option<String>), String> {
    let named = format!("repo:{}/{}", org.login, repo.name);
    let immutable = match (&org.id, &repo.ids) {
        (Observed::Known(owner), Observed::Known(ids)) => Some(format!(
            "repo:{}@{owner}/{}@{}",
            org.login, repo.name, ids.database_id
        )),
        _ => None,
    };
    match &repo.oidc_subject {
        Observed::Known(subject) if !subject.use_default => Ok((
            vec![Format::Custom(subject.include_claim_keys.clone())],
            None,
        )),
        Observed::Known(subject) => match subject.use_immutable_subject {
            Some(true) => match immutable {
                Some(prefix) => Ok((vec![Format::Default(prefix)], None)),
                None => Err(
                    "its OIDC subject names the owner's and the repository's ids, \
                             which were not collected"
                        .into(),
                ),
            },
            Some(false) => Ok((vec![Format::Default(named)], None)),
            None => Ok((either(named, immutable), None)),
        },
        Observed::Unavailable { reason } => Ok((
            either(named, immutable),
            Some(format!(
                "its OIDC subject settings are unavailable ({reason}); judged for the default subject"
            )),
        )),
    }
}

/// The name-based default format, and the immutable one when it is
/// known: a repository that does not say which it uses may use either.
fn either(named: String, immutable: Option<String>) -> Vec<Format> {
    std::iter::once(named)
        .chain(immutable)
        .map(Format::Default)
        .collect()
}

/// The paths of one scanned repository.
fn repository_paths(
    trust: &GithubTrust,
    org: &GithubOrg,
    repo: &Repository,
    min: u32,
    paths: &mut Vec<DeployPath>,
) {
    let full = format!("{}/{}", org.login, repo.name);
    let undecided = |via: Via, why: String| DeployPath::undecided(full.clone(), via, why);
    let (formats, caveat) = match formats(org, repo) {
        Ok(found) => found,
        Err(why) => {
            if !pins_elsewhere(trust, org, repo) {
                paths.push(undecided(Via::Subject, why));
            }
            return;
        }
    };
    let view = Repo {
        owner: &org.login,
        owner_id: org.id.known().copied(),
        name: &repo.name,
        id: repo.ids.known().map(|ids| ids.database_id),
        visibility: repo.visibility,
        immutable: repo
            .oidc_subject
            .known()
            .and_then(|subject| subject.use_immutable_subject),
    };
    let repo_id = match &repo.ids {
        Observed::Known(ids) => Claim::Known(ids.database_id.to_string()),
        Observed::Unavailable { .. } => Claim::Chosen {
            may_be_absent: false,
        },
    };
    let chosen = Claim::Chosen {
        may_be_absent: false,
    };
    for format in &formats {
        for via in [Via::Branch, Via::Tag, Via::Environment, Via::PullRequest] {
            let sub = match subject(format, via, view) {
                Ok(sub) => sub,
                Err(why) => {
                    if !pins_elsewhere(trust, org, repo) {
                        paths.push(undecided(via, why));
                    }
                    continue;
                }
            };
            let mut claims: Claims = vec![
                ("sub", sub.clone()),
                ("repository", Claim::Known(full.clone())),
                ("repository_id", repo_id.clone()),
                ("aud", chosen.clone()),
            ];
            let shape = match via {
                Via::Branch | Via::Tag => {
                    let kind = if via == Via::Branch { "heads" } else { "tags" };
                    claims.push(("ref", template(format!("refs/{kind}/"), "")));
                    Shape::RefName
                }
                Via::Environment => {
                    claims.push(("environment", template(String::new(), "")));
                    claims.push(("ref", chosen.clone()));
                    Shape::Environment
                }
                _ => {
                    claims.push(("ref", template("refs/pull/".into(), "/merge")));
                    Shape::Digits
                }
            };
            let judged = judge(trust, &claims, shape, |space| match via {
                Via::Branch => branch_cover(space, org, repo, min),
                Via::Environment => environment::cover(space, org, repo, min),
                _ => Cover::none(),
            });
            let Some(judged) = judged else { continue };
            let (status, why) = match via {
                Via::Branch => branch_verdict(&judged, org, repo, min),
                Via::Environment => environment::verdict(&judged, org, repo, min),
                Via::Tag => open_unless_undecided(
                    &judged,
                    "anyone who may push a tag gets the role: tags are not reviewed".into(),
                ),
                _ => open_unless_undecided(
                    &judged,
                    "the workflow of any pull request gets the role, before anyone reviews it"
                        .into(),
                ),
            };
            let (status, why) = match (&caveat, status) {
                (Some(caveat), PathStatus::Closed) => {
                    (PathStatus::Undecided, format!("{why}; but {caveat}"))
                }
                _ => (status, why),
            };
            let example = judged.gap_or_example();
            paths.push(DeployPath {
                repository: full.clone(),
                via,
                subject: spell(&sub, &example),
                example,
                status,
                why,
            });
        }
    }
}

fn template(prefix: String, suffix: &str) -> Claim {
    Claim::Template {
        prefix,
        suffix: Suffix::text(suffix),
    }
}

/// The allowed values of `V` for a kind of path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// A branch or tag name: `/`-separated parts, none empty or starting
    /// with `.`, without the characters git refuses.
    RefName,
    /// An environment name.
    Environment,
    /// A pull request number.
    Digits,
    /// A repository name, possibly with `@<id>`.
    RepositoryName,
    /// A whole subject.
    Subject,
}

impl Shape {
    /// The characters `V` may certainly hold.
    fn certain(self) -> fn(char) -> bool {
        match self {
            Shape::RefName | Shape::Environment => {
                |c| c.is_ascii_alphanumeric() || "-_./".contains(c)
            }
            Shape::Digits => |c| c.is_ascii_digit(),
            Shape::RepositoryName => |c| c.is_ascii_alphanumeric() || "-_.@".contains(c),
            Shape::Subject => |c| !c.is_control(),
        }
    }

    /// The characters `V` may hold as far as tenet knows: git refuses
    /// space, `~^:?*[\` in branch and tag names; GitHub does not document
    /// which characters an environment's name may hold.
    fn possible(self) -> fn(char) -> bool {
        match self {
            Shape::RefName => |c| !c.is_control() && !" ~^:?*[\\".contains(c),
            Shape::Environment => |c| !c.is_control(),
            other => other.certain(),
        }
    }

    fn formula(self, space: &mut Space) -> Formula {
        match self {
            Shape::RefName => space.test(Nfa::ref_name(), "", Suffix::none()),
            _ => Formula::Const(true),
        }
    }
}

/// What protects the values of `V`, and what tenet could not read of it.
struct Cover {
    formula: Formula,
    /// Values that may be protected, each with why that is unknown (a
    /// reason that names them).
    maybe: Vec<(Formula, String)>,
    /// What could not be read at all.
    unknown: Vec<String>,
    /// Values known to exist: GitHub evidently takes their characters.
    witnesses: Vec<String>,
}

impl Cover {
    fn none() -> Cover {
        Cover::of(Formula::Const(false))
    }

    /// Exactly the values of `formula`, with nothing unknown.
    fn of(formula: Formula) -> Cover {
        Cover {
            formula,
            maybe: Vec::new(),
            unknown: Vec::new(),
            witnesses: Vec::new(),
        }
    }
}

/// One kind of path judged: an example value let in, the shortest value
/// let in that nothing protects, and what could not be judged.
struct Judged {
    example: String,
    gap: Result<Option<String>, String>,
    unjudged: Vec<String>,
    unknown: Vec<String>,
}

impl Judged {
    fn gap_or_example(&self) -> String {
        match &self.gap {
            Ok(Some(gap)) => gap.clone(),
            _ => self.example.clone(),
        }
    }
}

/// Searches one kind of path: `None` when the trust lets none of its
/// tokens in.
fn judge(
    trust: &GithubTrust,
    claims: &Claims,
    shape: Shape,
    cover: impl FnOnce(&mut Space) -> Cover,
) -> Option<Judged> {
    let mut reading = Reading::new(&trust.issuer, claims);
    let admitted = reading.admitted(trust);
    let mut space = std::mem::take(&mut reading.space);
    let shaped = Formula::all(vec![admitted, shape.formula(&mut space)]);
    let example = match space.find(&shaped, shape.possible()) {
        Found::Nothing => return None,
        Found::Value(example) => example,
        Found::TooLarge => {
            return Some(Judged {
                example: String::new(),
                gap: Err("the trust policy's patterns are too many to search".into()),
                unjudged: reading.unjudged,
                unknown: Vec::new(),
            });
        }
    };
    let cover = cover(&mut space);
    let maybe = Formula::any(cover.maybe.iter().map(|(f, _)| f.clone()).collect());
    let open = Formula::all(vec![
        shaped.clone(),
        Formula::any(vec![cover.formula.clone(), maybe]).not(),
    ]);
    let too_large =
        || Err("the trust policy's and the rules' patterns are too many to search".into());
    let witnessed: Vec<char> = cover.witnesses.iter().flat_map(|w| w.chars()).collect();
    let certain = |c: char| shape.certain()(c) || witnessed.contains(&c);
    let gap = match space.find(&open, certain) {
        Found::Nothing => match space.find(&open, shape.possible()) {
            Found::Nothing => maybe_gap(&space, &shaped, &cover, shape),
            Found::Value(gap) => Err(format!(
                "only a name such as `{gap}` gets past review, and GitHub does not document \
                 whether a name may hold its characters"
            )),
            Found::TooLarge => too_large(),
        },
        Found::Value(gap) => Ok(Some(gap)),
        Found::TooLarge => too_large(),
    };
    Some(Judged {
        example,
        gap,
        unjudged: reading.unjudged,
        unknown: cover.unknown,
    })
}

/// With no value let in that is certainly unprotected: a value let in
/// whose protection is unknown makes the path undecided.
fn maybe_gap(
    space: &Space,
    shaped: &Formula,
    cover: &Cover,
    shape: Shape,
) -> Result<Option<String>, String> {
    for (formula, reason) in &cover.maybe {
        let unsure = Formula::all(vec![
            shaped.clone(),
            formula.clone(),
            cover.formula.clone().not(),
        ]);
        match space.find(&unsure, shape.possible()) {
            Found::Nothing => {}
            Found::Value(_) => return Err(reason.clone()),
            Found::TooLarge => {
                return Err(
                    "the trust policy's and the rules' patterns are too many to search".into(),
                );
            }
        }
    }
    Ok(None)
}

/// An open path, unless what tenet did not judge may close it.
fn open_unless_undecided(judged: &Judged, why: String) -> (PathStatus, String) {
    if let Err(reason) = &judged.gap {
        return (PathStatus::Undecided, reason.clone());
    }
    if !judged.unjudged.is_empty() {
        return (
            PathStatus::Undecided,
            format!(
                "{why}, unless a condition tenet does not judge stops it ({})",
                judged.unjudged.join("; ")
            ),
        );
    }
    (PathStatus::Open, why)
}

/// Whether a source of branch rules requires `min` approvals from everyone.
fn two_person(source: &Source, min: u32) -> Verdict {
    Verdict::from_bool(source.approvals >= min).and(|| match &source.bypass {
        Observed::Known(actors) => Verdict::from_bool(actors.is_empty()),
        Observed::Unavailable { reason } => Verdict::Unknown(reason.clone()),
    })
}

/// Whether the rules of a branch require two-person review.
fn reviewed(rules: &Effective, min: u32) -> Verdict {
    let mut unknown = rules.unknown.clone();
    for source in &rules.sources {
        match two_person(source, min).and(|| source.applies.clone()) {
            Verdict::Yes => return Verdict::Yes,
            Verdict::No => {}
            Verdict::Unknown(reason) => unknown.push(reason),
        }
    }
    if unknown.is_empty() {
        Verdict::No
    } else {
        Verdict::Unknown(unknown.join("; "))
    }
}

/// The branches known to need `min` approvals from everyone: those the
/// active rulesets without bypass that require them target (read so that
/// they cover no more than GitHub's patterns do), and the collected
/// branches whose rules require them.
fn branch_cover(space: &mut Space, org: &GithubOrg, repo: &Repository, min: u32) -> Cover {
    let mut parts = Vec::new();
    let mut unknown = Vec::new();
    for rulesets in [&repo.rulesets, &org.rulesets] {
        let Observed::Known(rulesets) = rulesets else {
            continue;
        };
        for ruleset in rulesets {
            if two_person(&ruleset_source(ruleset, Verdict::Yes), min) != Verdict::Yes {
                continue;
            }
            let conditions = match targets_repository(ruleset, repo) {
                Ok(conditions) => conditions,
                Err(Verdict::Unknown(reason)) => {
                    unknown.push(reason);
                    continue;
                }
                Err(_) => continue,
            };
            let Some(refs) = &conditions.ref_name else {
                continue;
            };
            let included = Formula::any(
                refs.include
                    .iter()
                    .map(|p| ruleset_pattern(space, repo, p, Bound::Within))
                    .collect(),
            );
            let excluded = Formula::any(
                refs.exclude
                    .iter()
                    .map(|p| ruleset_pattern(space, repo, p, Bound::Around))
                    .collect(),
            );
            parts.push(Formula::all(vec![included, excluded.not()]));
        }
    }
    for (level, rulesets) in [
        ("repository", &repo.rulesets),
        ("organization", &org.rulesets),
    ] {
        if let Observed::Unavailable { reason } = rulesets {
            unknown.push(format!("{level} rulesets: {reason}"));
        }
    }
    match &repo.protection_rules {
        Observed::Known(rules) => parts.push(classic_cover(space, rules, min)),
        Observed::Unavailable { reason } => {
            unknown.push(format!(
                "the repository's branch protection rules: {reason}"
            ));
        }
    }
    if let Observed::Known(branches) = &repo.branches {
        for rules in branches {
            if reviewed(&effective(org, repo, &rules.branch), min) == Verdict::Yes {
                parts.push(space.test(Nfa::iam(&rules.branch, false, false), "", Suffix::none()));
            }
        }
    }
    Cover {
        unknown,
        ..Cover::of(Formula::any(parts))
    }
}

/// The branches (`V`, without `refs/heads/`) a ruleset's ref pattern
/// targets, read within or around GitHub's reading as `bound` says.
pub(super) fn ruleset_pattern(
    space: &mut Space,
    repo: &Repository,
    pattern: &str,
    bound: Bound,
) -> Formula {
    let heads = "refs/heads/";
    match pattern {
        "~ALL" => Formula::Const(true),
        "~DEFAULT_BRANCH" => match &repo.default_branch {
            Some(default) => space.test(Nfa::iam(default, false, false), "", Suffix::none()),
            None => Formula::Const(false),
        },
        special if special.starts_with('~') => Formula::Const(bound == Bound::Around),
        short if !short.starts_with("refs/") => {
            // Both readings of a pattern without `refs/heads/`.
            let full = space.test(Nfa::fnmatch(short, bound), heads, Suffix::none());
            let bare = space.test(Nfa::fnmatch(short, bound), "", Suffix::none());
            if bound == Bound::Within {
                Formula::all(vec![full, bare])
            } else {
                Formula::any(vec![full, bare])
            }
        }
        full => space.test(Nfa::fnmatch(full, bound), heads, Suffix::none()),
    }
}

/// The branches whose classic protection rule requires `min` approvals
/// from everyone: a rule naming the branch itself decides; otherwise every
/// wildcard rule that matches must require them, since GitHub picks among
/// those by an order it does not report.
fn classic_cover(space: &mut Space, rules: &[ProtectionRule], min: u32) -> Formula {
    let reviewed_rule = |rule: &ProtectionRule| match &rule.protection {
        Observed::Known(p) => two_person(&classic_source(String::new(), p), min) == Verdict::Yes,
        Observed::Unavailable { .. } => false,
    };
    let (exact, wild): (Vec<&ProtectionRule>, Vec<&ProtectionRule>) = rules
        .iter()
        .partition(|rule| names_one_branch(&rule.pattern));
    let mut test = |rule: &ProtectionRule, bound: Bound| {
        space.test(Nfa::fnmatch(&rule.pattern, bound), "", Suffix::none())
    };
    let by_name = Formula::any(
        exact
            .iter()
            .filter(|rule| reviewed_rule(rule))
            .map(|rule| test(rule, Bound::Within))
            .collect(),
    );
    let named = Formula::any(exact.iter().map(|rule| test(rule, Bound::Around)).collect());
    let wild_reviewed = Formula::any(
        wild.iter()
            .filter(|rule| reviewed_rule(rule))
            .map(|rule| test(rule, Bound::Within))
            .collect(),
    );
    let wild_other = Formula::any(
        wild.iter()
            .filter(|rule| !reviewed_rule(rule))
            .map(|rule| test(rule, Bound::Around))
            .collect(),
    );
    Formula::any(vec![
        by_name,
        Formula::all(vec![named.not(), wild_reviewed, wild_other.not()]),
    ])
}

/// A branch path's verdict: open when a branch let in lacks review, with
/// GitHub's own reading of its rules as the witness.
fn branch_verdict(
    judged: &Judged,
    org: &GithubOrg,
    repo: &Repository,
    min: u32,
) -> (PathStatus, String) {
    let gap = match &judged.gap {
        Err(reason) => return (PathStatus::Undecided, reason.clone()),
        Ok(None) => {
            let rules = effective(org, repo, &judged.example);
            let by = rules
                .met_by(|source| two_person(source, min))
                .map(|source| format!(" (for {}: {})", judged.example, source.name))
                .unwrap_or_default();
            return (
                PathStatus::Closed,
                format!(
                    "every branch the trust lets in needs {min} approvals that no one may bypass{by}"
                ),
            );
        }
        Ok(Some(gap)) => gap,
    };
    let rules = effective(org, repo, gap);
    match reviewed(&rules, min) {
        Verdict::No => {
            let why = gap_reason(&rules, min);
            let mut judged_why = open_unless_undecided(judged, why);
            if judged_why.0 == PathStatus::Open && !judged.unknown.is_empty() {
                judged_why.1 = format!(
                    "{}; also unread: {}",
                    judged_why.1,
                    judged.unknown.join("; ")
                );
            }
            judged_why
        }
        Verdict::Unknown(reason) => (
            PathStatus::Undecided,
            format!("whether branch {gap} needs review is unknown: {reason}"),
        ),
        Verdict::Yes => (
            PathStatus::Undecided,
            format!(
                "tenet could not show that every branch the trust lets in needs review (it \
                 reads brackets, braces and leading dots in ruleset patterns narrowly); \
                 {gap}, for one, does"
            ),
        ),
    }
}

/// Why a branch's rules fall short of two-person review.
fn gap_reason(rules: &Effective, min: u32) -> String {
    if rules.sources.is_empty() {
        return "no rule protects it: anyone who may push to it gets the role".into();
    }
    let each: Vec<String> = rules
        .sources
        .iter()
        .map(|source| {
            if source.approvals < min {
                let approvals = match source.approvals {
                    1 => "1 approval".to_owned(),
                    n => format!("{n} approvals"),
                };
                format!("{} requires {approvals}", source.name)
            } else {
                let bypass = source
                    .bypass
                    .known()
                    .map(|b| b.join(", "))
                    .unwrap_or_default();
                format!("{} may be bypassed by {bypass}", source.name)
            }
        })
        .collect();
    format!(
        "needs fewer than {min} approvals from everyone: {}",
        each.join("; ")
    )
}

/// Repositories of `org` other than the scanned ones: one that does not
/// exist yet, or one outside the scan.
fn other_repository(
    trust: &GithubTrust,
    org: &GithubOrg,
    repos: &[Repository],
) -> Option<DeployPath> {
    let mut prefixes = vec![format!("repo:{}/", org.login)];
    if let Observed::Known(id) = &org.id {
        prefixes.push(format!("repo:{}@{id}/", org.login));
    }
    for prefix in prefixes {
        let claims = unscanned_claims(
            Claim::Template {
                prefix: prefix.clone(),
                suffix: Suffix::then_anything(":"),
            },
            template(format!("{}/", org.login), ""),
        );
        let judged = judge(trust, &claims, Shape::RepositoryName, |space| {
            let mut scanned = Vec::new();
            for repo in repos {
                scanned.push(space.test(Nfa::iam(&repo.name, false, true), "", Suffix::none()));
                if let Observed::Known(ids) = &repo.ids {
                    let name = format!("{}@{}", repo.name, ids.database_id);
                    scanned.push(space.test(Nfa::iam(&name, false, true), "", Suffix::none()));
                }
            }
            Cover::of(Formula::any(scanned))
        });
        let Some(judged) = judged else { continue };
        let gap = match &judged.gap {
            Ok(None) => continue,
            Err(reason) => {
                return Some(DeployPath {
                    subject: prefix,
                    ..DeployPath::undecided(
                        format!("{}/*", org.login),
                        Via::OtherRepository,
                        reason.clone(),
                    )
                });
            }
            Ok(Some(gap)) => gap,
        };
        let (status, why) = open_unless_undecided(
            &judged,
            format!(
                "a repository of {} that tenet did not scan, such as {}/{gap} (one created \
                 later, or outside the scan), gets the role without its rules being judged",
                org.login, org.login
            ),
        );
        return Some(DeployPath {
            repository: format!("{}/*", org.login),
            via: Via::OtherRepository,
            example: gap.clone(),
            subject: format!("{prefix}{gap}:…"),
            status,
            why,
        });
    }
    None
}

/// The claims of a token of a repository tenet did not scan: `sub` and
/// `repository` as given, the rest whatever its workflow makes them.
fn unscanned_claims(sub: Claim, repository: Claim) -> Claims {
    let chosen = Claim::Chosen {
        may_be_absent: false,
    };
    vec![
        ("sub", sub),
        ("repository", repository),
        ("repository_id", chosen.clone()),
        ("ref", chosen.clone()),
        ("aud", chosen),
        (
            "environment",
            Claim::Chosen {
                may_be_absent: true,
            },
        ),
    ]
}

/// Tokens of repositories outside the scanned organizations: any subject
/// that does not start with `repo:<org>/` or `repo:<anything>@<org id>/`.
/// Another owner may customize its subject into any string of claims.
fn other_owner(trust: &GithubTrust, orgs: &[&GithubOrg]) -> Option<DeployPath> {
    let trust = GithubTrust {
        issuer: trust.issuer.clone(),
        allows: trust
            .allows
            .iter()
            .filter(|(_, statement)| !pins_owner(statement, &trust.issuer, orgs))
            .cloned()
            .collect(),
        denies: trust.denies.clone(),
    };
    let claims = unscanned_claims(
        template(String::new(), ""),
        Claim::Chosen {
            may_be_absent: false,
        },
    );
    let judged = judge(&trust, &claims, Shape::Subject, |space| {
        let mut ours = Vec::new();
        for org in orgs {
            let named = format!("repo:{}/*", org.login);
            ours.push(space.test(Nfa::iam(&named, true, true), "", Suffix::none()));
            if let Observed::Known(id) = &org.id {
                let immutable = format!("repo:*@{id}/*");
                ours.push(space.test(Nfa::iam(&immutable, true, false), "", Suffix::none()));
            }
        }
        Cover::of(Formula::any(ours))
    })?;
    let (status, why) = match &judged.gap {
        Ok(None) => return None,
        Err(reason) => (PathStatus::Undecided, reason.clone()),
        Ok(Some(_)) => open_unless_undecided(
            &judged,
            "a workflow outside the scanned organizations gets the role".to_owned(),
        ),
    };
    Some(DeployPath {
        repository: "*".into(),
        via: Via::OtherOwner,
        example: judged.gap_or_example(),
        subject: judged.gap_or_example(),
        status,
        why,
    })
}

/// Whether a statement confines the repository to the scanned
/// organizations through a positive condition on `repository` (every value
/// starts with `<org>/` before any wildcard) or `repository_id` (every
/// value is a scanned repository's id).
fn pins_owner(statement: &tenet_iam_policy::Statement, issuer: &str, orgs: &[&GithubOrg]) -> bool {
    statement.conditions.iter().any(|condition| {
        let values: Vec<String> = condition.values.iter().map(|v| v.as_text()).collect();
        let positive = claims::confines(condition);
        let like = condition.operator.base == "StringLike";
        positive
            && !values.is_empty()
            && if condition.key_is(&format!("{issuer}:repository")) {
                values.iter().all(|value| {
                    let fixed = if like {
                        value.split(['*', '?']).next().unwrap_or("")
                    } else {
                        value
                    };
                    orgs.iter().any(|org| {
                        fixed
                            .get(..org.login.len())
                            .is_some_and(|owner| owner.eq_ignore_ascii_case(&org.login))
                            && fixed[org.login.len()..].starts_with('/')
                    })
                })
            } else if condition.key_is(&format!("{issuer}:repository_id")) {
                values.iter().all(|value| {
                    orgs.iter().any(|org| {
                        org.repositories.known().is_some_and(|repos| {
                            repos.iter().any(|repo| {
                                repo.ids
                                    .known()
                                    .is_some_and(|ids| ids.database_id.to_string() == *value)
                            })
                        })
                    })
                })
            } else {
                false
            }
    })
}

/// Whether every `Allow` statement confines the token to other
/// repositories than `repo`, whatever its subject template: a positive
/// condition on `sub` whose every value starts (before any wildcard) with
/// `repo:<owner>/<name>:` of another repository, or on `repository` whose
/// every value is another repository. A customized subject starts with its
/// first claim's name, so only one starting with `repo` can read
/// `repo:…`, and then it names the repository itself.
fn pins_elsewhere(trust: &GithubTrust, org: &GithubOrg, repo: &Repository) -> bool {
    let full = format!("{}/{}", org.login, repo.name);
    trust.allows.iter().all(|(_, statement)| {
        statement.conditions.iter().any(|condition| {
            let like = condition.operator.base == "StringLike";
            let values: Vec<String> = condition.values.iter().map(|v| v.as_text()).collect();
            let fixed = |value: &str| -> String {
                if like {
                    value.split(['*', '?']).next().unwrap_or("").to_owned()
                } else {
                    value.to_owned()
                }
            };
            claims::confines(condition)
                && !values.is_empty()
                && if condition.key_is(&format!("{}:sub", trust.issuer)) {
                    values.iter().all(|value| names_other(&fixed(value), &full))
                } else if condition.key_is(&format!("{}:repository", trust.issuer)) {
                    !like
                        && values
                            .iter()
                            .all(|value| !value.eq_ignore_ascii_case(&full))
                } else {
                    false
                }
        })
    })
}

/// Whether a subject's fixed start `repo:<owner>/<name>:…` (either format)
/// names a repository other than `full` (`owner/name`).
fn names_other(fixed: &str, full: &str) -> bool {
    let Some(rest) = fixed.strip_prefix("repo:") else {
        return false;
    };
    let Some((named, _)) = rest.split_once(':') else {
        return false;
    };
    let Some((owner, name)) = named.split_once('/') else {
        return false;
    };
    let strip = |part: &str| part.split('@').next().unwrap_or("").to_owned();
    let (owner, name) = (strip(owner), strip(name));
    !format!("{owner}/{name}").eq_ignore_ascii_case(full)
}
#[cfg(test)]
mod tests;
