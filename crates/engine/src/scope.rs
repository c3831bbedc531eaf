//! The policy's scope: which organizations, accounts and repositories a
//! report covers, and which of them the snapshot lacks.

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use tenet_inventory::{Observed, Snapshot, github::Repository};

/// The longest pattern a policy may give, in characters.
pub(crate) const MAX_PATTERN_CHARS: usize = 1024;
/// The most items a list of a policy may have.
pub(crate) const MAX_LIST_ITEMS: usize = 10_000;

/// Compiles resource or repository globs into one set, matched in one pass.
/// `*` matches any run of characters, `/` and `:` included; `?` one
/// character; `[abc]` a class; `{a,b}` either. A pattern longer than
/// [`MAX_PATTERN_CHARS`], one that does not parse, or a set too large to
/// compile is an error with the reason, never a panic.
pub(crate) fn globs<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Result<GlobSet, String> {
    let mut set = GlobSetBuilder::new();
    for pattern in patterns {
        set.add(parsed(pattern)?);
    }
    set.build()
        .map_err(|err| format!("the patterns cannot be compiled: {}", err.kind()))
}

/// One pattern parsed, or why it cannot be.
fn parsed(pattern: &str) -> Result<Glob, String> {
    let chars = pattern.chars().count();
    if chars > MAX_PATTERN_CHARS {
        return Err(format!(
            "a pattern of {chars} characters; patterns have at most {MAX_PATTERN_CHARS}"
        ));
    }
    GlobBuilder::new(pattern)
        .literal_separator(false)
        .build()
        .map_err(|err| format!("invalid glob `{}`: {}", shortened(pattern), err.kind()))
}

/// A pattern as a message quotes it: at most 64 characters.
fn shortened(pattern: &str) -> String {
    match pattern.char_indices().nth(64) {
        Some((end, _)) => format!("{}…", &pattern[..end]),
        None => pattern.to_owned(),
    }
}

/// One glob, as [`globs`] compiles it.
pub(crate) fn glob(pattern: &str) -> Result<GlobSet, String> {
    globs([pattern])
}

/// `[scope]` of a policy.
#[derive(Clone, Debug)]
pub struct PolicyScope {
    /// GitHub organizations to report on; empty means every one collected.
    pub github_orgs: Vec<String>,
    /// AWS accounts to report on; empty means every one collected.
    pub aws_accounts: Vec<String>,
    /// Repository name globs to include (default `*`).
    pub repositories: Vec<String>,
    /// Repository name globs to exclude.
    pub exclude_repositories: Vec<String>,
    /// Whether archived repositories are in scope.
    pub include_archived: bool,
    /// Branch globs whose protection is checked besides each repository's
    /// default branch.
    pub protected_branches: Vec<String>,
    include: GlobSet,
    exclude: GlobSet,
}

impl Default for PolicyScope {
    fn default() -> Self {
        PolicyScope::new(Vec::new(), Vec::new(), vec!["*".into()], Vec::new(), false)
    }
}

/// A snapshot narrowed to a scope, and the in-scope targets it lacks.
#[derive(Clone, Debug)]
pub struct Scoped {
    /// The facts in scope.
    pub snapshot: Snapshot,
    /// Organizations in scope that the snapshot does not contain.
    pub missing_orgs: Vec<String>,
    /// Accounts in scope that the snapshot does not contain.
    pub missing_accounts: Vec<String>,
}

impl PolicyScope {
    /// A scope from already validated globs; an invalid glob is dropped (the
    /// policy validator reports it before a scope is built).
    pub fn new(
        github_orgs: Vec<String>,
        aws_accounts: Vec<String>,
        repositories: Vec<String>,
        exclude_repositories: Vec<String>,
        include_archived: bool,
    ) -> Self {
        let compile = |patterns: &[String]| -> GlobSet {
            let mut set = GlobSetBuilder::new();
            for glob in patterns.iter().filter_map(|p| parsed(p).ok()) {
                set.add(glob);
            }
            set.build().unwrap_or_else(|_| GlobSet::empty())
        };
        PolicyScope {
            include: compile(&repositories),
            exclude: compile(&exclude_repositories),
            github_orgs,
            aws_accounts,
            repositories,
            exclude_repositories,
            include_archived,
            protected_branches: Vec::new(),
        }
    }

    /// Whether a repository is in scope.
    pub fn includes_repository(&self, repo: &Repository) -> bool {
        self.includes(&repo.name, repo.archived)
    }

    /// Whether a repository of this name, archived or not, is in scope; for
    /// connectors deciding what to collect.
    pub fn includes(&self, name: &str, archived: bool) -> bool {
        (self.include_archived || !archived)
            && self.include.is_match(name)
            && !self.exclude.is_match(name)
    }

    /// Narrows a snapshot to this scope. Targets named by the policy, or by
    /// the snapshot's own scope when the policy names none, but absent from
    /// the snapshot are returned as missing: they were not collected, and
    /// every control about them is an error.
    pub fn apply(&self, snapshot: &Snapshot) -> Scoped {
        let mut narrowed = snapshot.clone();
        let wanted_orgs = pick(&self.github_orgs, &snapshot.scope.github_orgs);
        let wanted_accounts = pick(&self.aws_accounts, &snapshot.scope.aws_accounts);
        if !self.github_orgs.is_empty() {
            narrowed
                .github
                .retain(|org| self.github_orgs.contains(&org.login));
        }
        if !self.aws_accounts.is_empty() {
            narrowed
                .aws
                .retain(|account| self.aws_accounts.contains(&account.account_id));
        }
        for org in &mut narrowed.github {
            if let Observed::Known(repos) = &mut org.repositories {
                repos.retain(|repo| self.includes_repository(repo));
            }
        }
        let missing_orgs = missing(wanted_orgs, narrowed.github.iter().map(|o| &o.login));
        let missing_accounts = missing(wanted_accounts, narrowed.aws.iter().map(|a| &a.account_id));
        Scoped {
            snapshot: narrowed,
            missing_orgs,
            missing_accounts,
        }
    }
}

fn pick<'a>(policy: &'a [String], snapshot: &'a [String]) -> &'a [String] {
    if policy.is_empty() { snapshot } else { policy }
}

fn missing<'a>(
    wanted: &[String],
    present: impl Iterator<Item = &'a String> + Clone,
) -> Vec<String> {
    let mut missing: Vec<String> = wanted
        .iter()
        .filter(|name| !present.clone().any(|p| p == *name))
        .cloned()
        .collect();
    missing.sort();
    missing.dedup();
    missing
}
