//! The effective protection of a branch: classic branch protection and every
//! active ruleset that targets the branch, repository- or organization-level.
//! Rulesets only ever add restrictions, so a requirement is met when any one
//! source meets it.

use serde_json::{Value, json};
use tenet_inventory::{
    Observed,
    github::{
        BranchProtection, GithubOrg, ProtectionRule, Repository, RequiredCheck, Ruleset,
        RulesetRule, RulesetSource,
    },
};

use crate::{
    Context, Outcome, Resource,
    fnmatch::{NameKind, PatternMatch, github_match},
    ruleset::applies,
    support::{Globs, each_repo},
    verdict::Verdict,
};

/// The `min_approvals` parameter the review controls share.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct Approvals {
    /// Approving reviews a change needs.
    pub min_approvals: u32,
}

/// One source of branch rules and what it requires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Source {
    /// For people: `branch protection` or `ruleset "main" (organization)`.
    pub name: String,
    /// Approving reviews required (0 when pull requests are not required).
    pub approvals: u32,
    /// New commits dismiss approvals.
    pub dismiss_stale: bool,
    /// The last push must be approved by someone else.
    pub last_push: bool,
    /// A code owner must approve.
    pub code_owner: bool,
    /// Force pushes are blocked.
    pub blocks_force_push: bool,
    /// Deletion is blocked.
    pub blocks_deletion: bool,
    /// Who may bypass it, as `kind:name`; `repository admins` when classic
    /// protection does not apply to administrators; unavailable when GitHub
    /// hid a ruleset's bypass actors from the credential.
    pub bypass: Observed<Vec<String>>,
    /// The checks that must pass before a change merges; unavailable when
    /// a rule requiring checks could not be read.
    pub checks: Observed<Vec<Gate>>,
    /// Checks it runs that gate nothing (a code scanning tool whose alert
    /// thresholds are both `none`), for people: why they do not count.
    pub non_gating: Vec<String>,
    /// Whether it applies: `Yes`, or `Unknown` when a condition could not be
    /// decided (sources that do not apply are left out).
    pub applies: Verdict,
}

/// A check a source requires to pass before a change merges.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Gate {
    /// A required status check, by its context.
    StatusCheck(String),
    /// A code scanning tool whose results (and alerts under its thresholds)
    /// a `code_scanning` rule requires.
    CodeScanning(String),
    /// A workflow file a `workflows` rule requires to pass, by its path.
    Workflow(String),
}

impl Gate {
    /// Whether the gate is the check a policy names `name`: a status check
    /// of that context, a code scanning tool of that name (GitHub's tool
    /// names are compared ignoring case), or a workflow of that path or
    /// file name, with or without `.yml` / `.yaml`.
    pub fn is(&self, name: &str) -> bool {
        match self {
            Gate::StatusCheck(context) => context == name,
            Gate::CodeScanning(tool) => tool.eq_ignore_ascii_case(name),
            Gate::Workflow(path) => {
                let file = path.rsplit('/').next().unwrap_or(path);
                let stem = file
                    .strip_suffix(".yml")
                    .or_else(|| file.strip_suffix(".yaml"))
                    .unwrap_or(file);
                path == name || file == name || stem == name
            }
        }
    }

    /// For people: `status check "CodeQL"`.
    pub fn describe(&self) -> String {
        match self {
            Gate::StatusCheck(context) => format!("status check \"{context}\""),
            Gate::CodeScanning(tool) => format!("code scanning by {tool}"),
            Gate::Workflow(path) => format!("workflow {path}"),
        }
    }
}

/// Status checks as gates.
fn status_gates(checks: &[RequiredCheck]) -> Vec<Gate> {
    checks
        .iter()
        .map(|c| Gate::StatusCheck(c.context.clone()))
        .collect()
}

impl Default for Source {
    fn default() -> Self {
        Source {
            name: String::new(),
            approvals: 0,
            dismiss_stale: false,
            last_push: false,
            code_owner: false,
            blocks_force_push: false,
            blocks_deletion: false,
            bypass: Observed::Known(Vec::new()),
            checks: Observed::Known(Vec::new()),
            non_gating: Vec::new(),
            applies: Verdict::Yes,
        }
    }
}

impl Source {
    /// The source as evidence; `applies_undetermined` says why a source
    /// may or may not apply, and is left out when it is known to.
    pub fn evidence(&self) -> Value {
        let mut evidence = json!({
            "source": self.name,
            "required_approvals": self.approvals,
            "dismiss_stale_reviews": self.dismiss_stale,
            "require_last_push_approval": self.last_push,
            "require_code_owner_review": self.code_owner,
            "blocks_force_push": self.blocks_force_push,
            "blocks_deletion": self.blocks_deletion,
            "bypass": match &self.bypass {
                Observed::Known(actors) => json!(actors),
                Observed::Unavailable { reason } => json!({ "unavailable": reason }),
            },
        });
        if let (Verdict::Unknown(reason), Some(fields)) = (&self.applies, evidence.as_object_mut())
        {
            fields.insert("applies_undetermined".to_owned(), json!(reason));
        }
        evidence
    }
}

/// What is known about the rules of one branch.
#[derive(Clone, Debug, Default)]
pub(crate) struct Effective {
    /// The sources that were read.
    pub sources: Vec<Source>,
    /// Sources that could not be read, with the reason.
    pub unknown: Vec<String>,
}

impl Effective {
    /// Evidence: every source read and every source missing.
    pub fn evidence(&self) -> Value {
        json!({
            "sources": self.sources.iter().map(Source::evidence).collect::<Vec<_>>(),
            "unavailable": self.unknown,
        })
    }

    /// Judges a requirement: pass when a source known to apply meets it,
    /// error when none does but some source is unknown, fail otherwise.
    pub fn judge(
        &self,
        resource: Resource,
        meets: impl Fn(&Source) -> bool,
        pass: &str,
        fail: &str,
    ) -> Outcome {
        self.judge_with(resource, |s| Verdict::from_bool(meets(s)), pass, fail)
    }

    /// The source [`Effective::judge_with`] credits a pass to: the first
    /// known to apply that meets the requirement.
    pub fn met_by(&self, meets: impl Fn(&Source) -> Verdict) -> Option<&Source> {
        self.sources
            .iter()
            .find(|source| meets(source).and(|| source.applies.clone()) == Verdict::Yes)
    }

    /// Like [`Effective::judge`], for a requirement a source may meet,
    /// not meet, or leave undetermined (bypass actors GitHub hid).
    pub fn judge_with(
        &self,
        resource: Resource,
        meets: impl Fn(&Source) -> Verdict,
        pass: &str,
        fail: &str,
    ) -> Outcome {
        let mut unknown = self.unknown.clone();
        let mut met = None;
        for source in &self.sources {
            match meets(source).and(|| source.applies.clone()) {
                Verdict::Yes => {
                    met = Some(source);
                    break;
                }
                Verdict::No => {}
                Verdict::Unknown(reason) => unknown.push(reason),
            }
        }
        let outcome = if let Some(source) = met {
            Outcome::pass(resource, format!("{pass} ({})", source.name))
        } else if !unknown.is_empty() {
            Outcome::unavailable(resource, "the branch's rules", &unknown.join("; "))
        } else {
            Outcome::fail(resource, fail)
        };
        outcome.with("rules", self.evidence())
    }
}

/// A ruleset's requirements as a source, applying as `applies` says.
pub(crate) fn ruleset_source(ruleset: &Ruleset, applies: Verdict) -> Source {
    let level = match ruleset.source {
        RulesetSource::Repository => "repository",
        RulesetSource::Organization => "organization",
    };
    let mut source = Source {
        name: format!("ruleset \"{}\" ({level})", ruleset.name),
        bypass: match &ruleset.bypass_actors {
            Observed::Known(actors) => Observed::Known(
                actors
                    .iter()
                    .map(|b| format!("{}:{}", b.actor.kind, b.actor.name))
                    .collect(),
            ),
            Observed::Unavailable { reason } => Observed::unavailable(format!(
                "the bypass actors of ruleset \"{}\": {reason}",
                ruleset.name
            )),
        },
        applies,
        ..Source::default()
    };
    let mut gates = Vec::new();
    let mut unread = Vec::new();
    for rule in &ruleset.rules {
        match rule {
            RulesetRule::PullRequest {
                required_approving_review_count,
                dismiss_stale_reviews_on_push,
                require_code_owner_review,
                require_last_push_approval,
            } => {
                source.approvals = source.approvals.max(*required_approving_review_count);
                source.dismiss_stale |= dismiss_stale_reviews_on_push;
                source.code_owner |= require_code_owner_review;
                source.last_push |= require_last_push_approval;
            }
            RulesetRule::NonFastForward => source.blocks_force_push = true,
            RulesetRule::Deletion => source.blocks_deletion = true,
            RulesetRule::RequiredStatusChecks {
                required_status_checks,
            } => gates.extend(status_gates(required_status_checks)),
            RulesetRule::CodeScanning {
                code_scanning_tools,
            } => {
                for tool in code_scanning_tools {
                    if tool.alerts_threshold == "none" && tool.security_alerts_threshold == "none" {
                        source.non_gating.push(format!(
                            "code scanning by {} blocks no alert (both alert thresholds are `none`)",
                            tool.tool
                        ));
                    } else {
                        gates.push(Gate::CodeScanning(tool.tool.clone()));
                    }
                }
            }
            RulesetRule::Workflows { workflows } => {
                gates.extend(workflows.iter().map(|w| Gate::Workflow(w.path.clone())));
            }
            RulesetRule::Other { name } if GATING_RULES.contains(&name.as_str()) => {
                unread.push(name.clone());
            }
            RulesetRule::Other { .. } => {}
        }
    }
    gates.sort();
    gates.dedup();
    source.checks = if unread.is_empty() {
        Observed::Known(gates)
    } else {
        Observed::unavailable(format!(
            "the {} rule of ruleset \"{}\" was read without its parameters",
            unread.join(" and "),
            ruleset.name
        ))
    };
    source
}

/// Rule types that require checks to pass: one kept by name only (read
/// without its parameters) leaves the source's checks unknown.
const GATING_RULES: [&str; 3] = ["required_status_checks", "code_scanning", "workflows"];

/// A classic protection rule's requirements as a source named `name`.
pub(crate) fn classic_source(name: String, p: &BranchProtection) -> Source {
    let mut bypass = Vec::new();
    if !p.enforce_admins {
        bypass.push("repository admins".to_owned());
    }
    bypass.extend(
        p.bypass_actors
            .iter()
            .map(|a| format!("{}:{}", a.kind, a.name)),
    );
    Source {
        name,
        approvals: if p.require_pull_request {
            p.required_approving_review_count
        } else {
            0
        },
        dismiss_stale: p.dismiss_stale_reviews,
        last_push: p.require_last_push_approval,
        code_owner: p.require_code_owner_reviews,
        blocks_force_push: !p.allow_force_pushes,
        blocks_deletion: !p.allow_deletions,
        bypass: Observed::Known(bypass),
        checks: p
            .required_status_checks
            .as_ref()
            .map(|checks| status_gates(checks)),
        non_gating: Vec::new(),
        applies: Verdict::Yes,
    }
}

/// Whether a classic rule's pattern names one branch only: it has none of
/// the characters GitHub reads as special (`*`, `?`, `[`, `]`, `\`).
pub(crate) fn names_one_branch(pattern: &str) -> bool {
    !pattern.contains(['*', '?', '[', ']', '\\'])
}

/// The classic protection GitHub applies to `branch` from the repository's
/// rules: a rule naming the branch itself before any pattern with
/// wildcards. GitHub orders rules of one kind by their creation, which it
/// does not report: when the matching rules of the winning kind differ, or
/// a pattern's match is undetermined, the answer is an error.
fn classic_by_pattern(rules: &[ProtectionRule], branch: &str) -> Result<Option<Source>, String> {
    let mut matching: Vec<&ProtectionRule> = Vec::new();
    for rule in rules {
        match github_match(&rule.pattern, branch, NameKind::Ref) {
            PatternMatch::Matches => matching.push(rule),
            PatternMatch::DoesNotMatch => {}
            PatternMatch::Undetermined { reason } => {
                return Err(format!(
                    "protection rule `{}` on {branch}: {reason}",
                    rule.pattern
                ));
            }
        }
    }
    if matching.iter().any(|rule| names_one_branch(&rule.pattern)) {
        matching.retain(|rule| names_one_branch(&rule.pattern));
    }
    let Some(first) = matching.first() else {
        return Ok(None);
    };
    if matching
        .iter()
        .any(|rule| rule.protection != first.protection)
    {
        let patterns: Vec<String> = matching
            .iter()
            .map(|r| format!("`{}`", r.pattern))
            .collect();
        return Err(format!(
            "protection rules {} all match branch {branch}, and which applies depends on the \
             order they were created in, which GitHub does not report",
            patterns.join(", ")
        ));
    }
    match &first.protection {
        Observed::Known(p) => Ok(Some(classic_source(
            format!("branch protection rule `{}`", first.pattern),
            p,
        ))),
        Observed::Unavailable { reason } => Err(format!(
            "protection rule `{}` on {branch}: {reason}",
            first.pattern
        )),
    }
}

/// The effective rules of `branch` of `repo`.
pub(crate) fn effective(org: &GithubOrg, repo: &Repository, branch: &str) -> Effective {
    let mut effective = Effective::default();
    match &repo.branches {
        Observed::Known(branches) => match branches.iter().find(|b| b.branch == branch) {
            Some(rules) => match &rules.protection {
                Observed::Known(Some(p)) => effective
                    .sources
                    .push(classic_source("branch protection".into(), p)),
                Observed::Known(None) => {}
                Observed::Unavailable { reason } => effective
                    .unknown
                    .push(format!("branch protection: {reason}")),
            },
            None => match &repo.protection_rules {
                Observed::Known(rules) => match classic_by_pattern(rules, branch) {
                    Ok(source) => effective.sources.extend(source),
                    Err(reason) => effective.unknown.push(reason),
                },
                Observed::Unavailable { reason } => effective.unknown.push(format!(
                    "branch protection of {branch} was not collected, and the repository's \
                     protection rules are unavailable: {reason}"
                )),
            },
        },
        Observed::Unavailable { reason } => {
            effective
                .unknown
                .push(format!("branch protection: {reason}"));
        }
    }
    for (level, rulesets) in [
        ("repository", &repo.rulesets),
        ("organization", &org.rulesets),
    ] {
        match rulesets {
            Observed::Known(rulesets) => {
                for ruleset in rulesets {
                    match applies(ruleset, repo, branch) {
                        Verdict::No => {}
                        verdict => effective.sources.push(ruleset_source(ruleset, verdict)),
                    }
                }
            }
            Observed::Unavailable { reason } => {
                effective
                    .unknown
                    .push(format!("{level} rulesets: {reason}"));
            }
        }
    }
    effective
}

/// The branches whose rules and changes are checked: the default branch
/// and every collected branch matching the scope's protected branch globs.
pub(crate) fn protected_names<'a>(repo: &'a Repository, protected: &Globs) -> Vec<&'a str> {
    let mut names: Vec<&str> = repo.default_branch.as_deref().into_iter().collect();
    if let Observed::Known(branches) = &repo.branches {
        for rules in branches {
            if protected.is_match(&rules.branch) && !names.contains(&rules.branch.as_str()) {
                names.push(&rules.branch);
            }
        }
    }
    names
}

/// Runs `judge` for every protected branch of every in-scope repository;
/// archived and empty repositories have nothing to protect.
pub(crate) fn each_branch(
    cx: &Context<'_>,
    judge: impl Fn(Resource, &Effective) -> Outcome,
) -> Vec<Outcome> {
    let protected = Globs::new(cx.protected_branches);
    each_repo(cx, |org, repo, out| {
        if repo.default_branch.is_none() {
            out.push(Outcome::skipped(
                Resource::github_repo(&org.login, &repo.name),
                "empty repository: no branch to protect",
            ));
            return;
        }
        for branch in protected_names(repo, &protected) {
            let resource = Resource::github_repo_part(
                &org.login,
                &repo.name,
                "branch",
                branch,
                "GitHub branch",
            );
            out.push(judge(resource, &effective(org, repo, branch)));
        }
    })
}
