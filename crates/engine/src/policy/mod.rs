//! `tenet.toml`: parsing with spans, then validation that collects every
//! problem before reporting.

mod allowlist;
mod digest;
mod raw;

use std::{
    collections::{BTreeMap, BTreeSet},
    ops::Range,
    str::FromStr,
    sync::Arc,
};

use chrono::NaiveDate;
use globset::GlobSet;
use serde::Deserialize;
use tenet_rules::{
    Attestation, Catalog, ParamKind, ParamSpec, ParamValue, Pillar, Severity, catalog,
};
use toml::{
    Spanned,
    de::{DeTable, DeValue, ValueDeserializer},
};

use crate::{
    Approval, PolicyError, PolicyErrors, PolicyScope,
    scope::{MAX_LIST_ITEMS, MAX_PATTERN_CHARS, glob, globs},
    suggest::{did_you_mean, expected_names},
};
pub use allowlist::AllowEntry;
pub use digest::digest;
pub(crate) use digest::labelled;
use raw::{RawAttestation, RawPolicy, RawWaiver};

/// The origin of the policy tenet uses when no policy file is given, as
/// reports show it.
pub const BUILT_IN_POLICY: &str = "(built-in defaults)";

/// A validated policy: what to scan, which controls with which settings, and
/// the waivers.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Where the policy came from, as shown in reports (a path, or
    /// `(built-in defaults)`).
    pub origin: String,
    /// Failing findings at or above this severity fail the run.
    pub fail_on: Severity,
    /// What is in scope.
    pub scope: PolicyScope,
    /// Settings of the controls the policy mentions, by id. Controls it does
    /// not mention run with their catalog defaults.
    pub controls: BTreeMap<String, ControlSettings>,
    /// Waivers, in file order.
    pub waivers: Vec<Waiver>,
    /// Attestations of manual controls, in file order.
    pub attestations: Vec<Attestation>,
    /// How to reach GitHub (`[github]`).
    pub github: GithubSettings,
    /// How to reach AWS (`[aws]`).
    pub aws: AwsSettings,
    /// The audit period (`[period]`) whose events `collect` and `scan`
    /// read, where the command line does not give one.
    pub period: PeriodSettings,
    /// Controls the command line left out (`--controls`,
    /// `--skip-controls`): skipped whatever the policy says.
    pub left_out: BTreeSet<String>,
    /// Directories of custom controls (`control_paths`), as written:
    /// relative to the policy file's directory.
    pub control_paths: Vec<String>,
    /// The frameworks the audit reports give a section (`frameworks`, by
    /// key: `soc2`, `iso27001`, `nist-800-53`, `cis-aws`, `cis-github`).
    pub frameworks: Vec<String>,
    /// The controls this policy is evaluated with: the built-in catalog and
    /// the custom controls of `control_paths`.
    pub catalog: Arc<Catalog>,
    /// What identifies the policy across runs and shards: `sha256:HEX` of
    /// the policy file's text and of its custom controls ([`digest`]).
    pub digest: String,
}

/// `[period]` of a policy: the audit period's first and last day (UTC,
/// both included), each optional.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PeriodSettings {
    /// The first day.
    pub from: Option<NaiveDate>,
    /// The last day.
    pub to: Option<NaiveDate>,
}

/// `[github]` of a policy: connection settings for `tenet collect`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GithubSettings {
    /// REST API base URL; `None` for github.com. For GitHub Enterprise
    /// Server, `https://HOST/api/v3`.
    pub api_url: Option<String>,
}

/// `[aws]` of a policy: connection settings for `tenet collect`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AwsSettings {
    /// Regions to read regional resources from; empty means the profile's
    /// region.
    pub regions: Vec<String>,
    /// Accounts reached by assuming a role; empty means the account of the
    /// default credentials.
    pub accounts: Vec<AwsAccountTarget>,
}

/// An AWS account reached through `sts:AssumeRole`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsAccountTarget {
    /// The role to assume, `arn:aws:iam::<account>:role/<name>`.
    pub role_arn: String,
    /// The external id the role's trust policy requires, if any.
    pub external_id: Option<String>,
    /// A display name for reports.
    pub name: Option<String>,
}

/// The policy's settings of one control.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ControlSettings {
    /// `false` turns the control off; its status is `skipped`.
    pub enabled: bool,
    /// Overrides the catalog severity.
    pub severity: Option<Severity>,
    /// Parameter values, type-checked against the catalog.
    pub params: BTreeMap<String, ParamValue>,
    /// The entries of each allow-list parameter the policy sets, in file
    /// order.
    pub allowlists: BTreeMap<String, Vec<AllowEntry>>,
    /// 1-based line of the control's table in the policy file.
    pub line: usize,
}

/// A waiver: failing findings of `control` on resources matching `resource`
/// are accepted risk until `expires` (inclusive).
#[derive(Clone, Debug)]
pub struct Waiver {
    /// The control id.
    pub control: String,
    /// The resource glob as written.
    pub resource: String,
    /// Why the risk is accepted.
    pub reason: String,
    /// Who accepted it.
    pub owner: String,
    /// Last day the waiver covers.
    pub expires: NaiveDate,
    /// Who approved it, when, under which ticket.
    pub approval: Approval,
    /// 1-based line of the waiver's `control` key in the policy file.
    pub line: usize,
    pub(crate) matcher: GlobSet,
}

impl Waiver {
    /// Whether the waiver's glob matches a resource id.
    pub fn matches(&self, resource_id: &str) -> bool {
        self.matcher.is_match(resource_id)
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            origin: BUILT_IN_POLICY.into(),
            fail_on: Severity::Low,
            scope: PolicyScope::default(),
            controls: BTreeMap::new(),
            waivers: Vec::new(),
            attestations: Vec::new(),
            github: GithubSettings::default(),
            aws: AwsSettings::default(),
            period: PeriodSettings::default(),
            left_out: BTreeSet::new(),
            control_paths: Vec::new(),
            frameworks: Vec::new(),
            catalog: Arc::new(catalog().clone()),
            digest: digest("", catalog()),
        }
    }
}

impl Policy {
    /// Parses and validates a policy file. `origin` names it in errors and in
    /// reports. Every problem is returned at once, each with its location.
    pub fn parse(text: &str, origin: &str) -> Result<Policy, PolicyErrors> {
        Policy::parse_with(text, origin, Arc::new(catalog().clone()))
    }

    /// [`Policy::parse`] against `catalog`: the built-in controls and the
    /// custom controls of the policy's `control_paths`
    /// ([`Policy::control_paths_of`]), loaded by the caller.
    pub fn parse_with(
        text: &str,
        origin: &str,
        catalog: Arc<Catalog>,
    ) -> Result<Policy, PolicyErrors> {
        let errors = |errors: Vec<PolicyError>| PolicyErrors {
            origin: origin.to_owned(),
            source: text.to_owned(),
            errors,
        };
        let (raw, problems) = read_raw(text);
        let mut validator = Validator {
            catalog: &catalog,
            text,
            newlines: text.match_indices('\n').map(|(at, _)| at).collect(),
            errors: problems,
        };
        let mut policy = validator.policy(raw, origin);
        if validator.errors.is_empty() {
            policy.digest = digest(text, &catalog);
            policy.catalog = Arc::clone(&catalog);
            Ok(policy)
        } else {
            validator.errors.sort_by_key(|error| error.span.start);
            Err(errors(validator.errors))
        }
    }

    /// The `control_paths` of a policy file, read before the rest (which
    /// is validated against the controls they hold); empty when the file
    /// has none, or cannot be read (then [`Policy::parse_with`] reports
    /// why).
    pub fn control_paths_of(text: &str) -> Vec<String> {
        let (raw, _) = read_raw(text);
        raw.control_paths
            .into_iter()
            .map(Spanned::into_inner)
            .collect()
    }

    /// The settings of a control, if the policy mentions it.
    pub fn control(&self, id: &str) -> Option<&ControlSettings> {
        self.controls.get(id)
    }

    /// The parameters of the control `meta` describes under this policy:
    /// the policy's values over the catalog's defaults.
    pub fn params(&self, meta: &tenet_rules::ControlMeta) -> tenet_rules::Params {
        let overrides = self
            .control(&meta.id)
            .map(|settings| settings.params.clone())
            .unwrap_or_default();
        tenet_rules::Params::resolve(&meta.parameters, &overrides)
    }

    /// [`Policy::params`] as they stand on `day`: each allow-list keeps
    /// the patterns of its entries in force.
    pub fn params_on(
        &self,
        meta: &tenet_rules::ControlMeta,
        day: NaiveDate,
    ) -> tenet_rules::Params {
        let Some(settings) = self.control(&meta.id) else {
            return self.params(meta);
        };
        let mut overrides = settings.params.clone();
        for (name, entries) in &settings.allowlists {
            let in_force = entries
                .iter()
                .filter(|entry| entry.in_force(day))
                .map(|entry| entry.pattern.clone())
                .collect();
            overrides.insert(name.clone(), ParamValue::StringList(in_force));
        }
        tenet_rules::Params::resolve(&meta.parameters, &overrides)
    }

    /// Whether the control `meta` describes runs under this policy: as the
    /// policy sets it, else as the catalog does, unless the command line
    /// left it out.
    pub fn enables(&self, meta: &tenet_rules::ControlMeta) -> bool {
        !self.left_out.contains(&meta.id)
            && self
                .control(&meta.id)
                .map_or(meta.default_enabled, |settings| settings.enabled)
    }

    /// Leaves out every control whose id matches none of `include` (when
    /// it names any) or one of `exclude`: the command line's `--controls`
    /// and `--skip-controls` globs (`aws.iam.*`). `Err` names a pattern
    /// that is not a glob, or that matches no control of the catalog (with
    /// the closest id).
    pub fn select(&mut self, include: &[String], exclude: &[String]) -> Result<(), String> {
        let catalog = Arc::clone(&self.catalog);
        let ids: Vec<&str> = catalog.ids().collect();
        for pattern in include.iter().chain(exclude) {
            let set = glob(pattern)
                .map_err(|err| format!("--controls/--skip-controls `{pattern}`: {err}"))?;
            if !ids.iter().any(|id| set.is_match(id)) {
                let hint = did_you_mean(pattern, ids.iter().copied())
                    .unwrap_or_else(|| "`tenet controls` lists every control id".to_owned());
                return Err(format!("`{pattern}` matches no control; {hint}"));
            }
        }
        let included = globs(include.iter().map(String::as_str))?;
        let excluded = globs(exclude.iter().map(String::as_str))?;
        for id in ids {
            if (!include.is_empty() && !included.is_match(id)) || excluded.is_match(id) {
                self.left_out.insert(id.to_owned());
            }
        }
        Ok(())
    }
}

/// Whether `text` names a record: a URL (`scheme://…`, without spaces), or
/// a path (one line, with a directory separator or a file extension).
fn is_url_or_path(text: &str) -> bool {
    if let Some((scheme, rest)) = text.split_once("://") {
        return !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            && !rest.is_empty()
            && !text.contains(char::is_whitespace);
    }
    let extension = text.rsplit_once('.').is_some_and(|(name, ext)| {
        !name.is_empty()
            && (1..=5).contains(&ext.len())
            && ext.chars().all(|c| c.is_ascii_alphanumeric())
    });
    !text.contains('\n') && (text.contains(['/', '\\']) || extension)
}

/// The top-level keys of a policy file.
const TOP_LEVEL_KEYS: [&str; 10] = [
    "fail_on",
    "control_paths",
    "frameworks",
    "scope",
    "controls",
    "waivers",
    "attestations",
    "github",
    "aws",
    "period",
];

/// Reads the policy file as written, with every problem of its TOML: the
/// syntax errors of the whole file (then nothing else is read), else each
/// top-level part, and each waiver and attestation, on its own, so that a
/// wrong type in one does not hide a misspelt key in another. A part that
/// cannot be read is left out, and its problem is reported.
fn read_raw(text: &str) -> (RawPolicy, Vec<PolicyError>) {
    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        let mut errors: Vec<PolicyError> = syntax.iter().map(syntax_error).collect();
        // The parser may report one place twice as it recovers.
        errors.dedup_by(|a, b| a.span == b.span && a.message == b.message);
        return (RawPolicy::default(), errors);
    }
    let mut raw = RawPolicy::default();
    let mut errors = Vec::new();
    for (key, value) in root.into_inner() {
        match key.get_ref().as_ref() {
            "fail_on" => raw.fail_on = part(value, &mut errors),
            "control_paths" => raw.control_paths = part(value, &mut errors).unwrap_or_default(),
            "frameworks" => raw.frameworks = part(value, &mut errors).unwrap_or_default(),
            "scope" => raw.scope = part(value, &mut errors).unwrap_or_default(),
            "controls" => raw.controls = part(value, &mut errors).unwrap_or_default(),
            "waivers" => raw.waivers = items(value, &mut errors),
            "attestations" => raw.attestations = items(value, &mut errors),
            "github" => raw.github = part(value, &mut errors).unwrap_or_default(),
            "aws" => raw.aws = part(value, &mut errors).unwrap_or_default(),
            "period" => raw.period = part(value, &mut errors).unwrap_or_default(),
            other => errors.push(
                PolicyError::new(
                    key.span(),
                    format!(
                        "unknown field `{other}`, expected one of {}",
                        TOP_LEVEL_KEYS.map(|key| format!("`{key}`")).join(", ")
                    ),
                    "unknown key",
                )
                .with_help(did_you_mean(other, TOP_LEVEL_KEYS)),
            ),
        }
    }
    (raw, errors)
}

/// One part of the policy file, or `None` with its problems pushed. In a
/// table each problem is found: after one, the key it is in is set aside
/// and the table read again, so that a misspelt key does not hide a wrong
/// type beside it. Read without the keys set aside, the rest of the part is
/// still validated; a required key set aside leaves the part out.
fn part<'i, T: Deserialize<'i>>(
    value: Spanned<DeValue<'i>>,
    errors: &mut Vec<PolicyError>,
) -> Option<T> {
    let span = value.span();
    let mut value = value.into_inner();
    let mut set_aside: Vec<String> = Vec::new();
    loop {
        let err = match T::deserialize(ValueDeserializer::from(Spanned::new(
            span.clone(),
            value.clone(),
        ))) {
            Ok(parsed) => return Some(parsed),
            Err(err) => err,
        };
        // A required key missing because a key was set aside, or because it
        // is spelt as a key set aside (`expire` for `expires`), is that key's
        // problem, already reported.
        let missing_set_aside = err
            .message()
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
            .is_some_and(|missing| {
                set_aside
                    .iter()
                    .any(|key| key == missing || crate::suggest::closest(key, [missing]).is_some())
            });
        if !missing_set_aside {
            errors.push(syntax_error(&err));
        }
        let DeValue::Table(table) = &mut value else {
            return None;
        };
        let within = |outer: Range<usize>, inner: &Range<usize>| {
            outer.start <= inner.start && inner.end <= outer.end
        };
        let culprit = err.span().and_then(|at| {
            table
                .keys()
                .find(|key| {
                    within(key.span(), &at)
                        || table
                            .get(*key)
                            .is_some_and(|value| within(value.span(), &at))
                })
                .cloned()
        })?;
        table.remove(&culprit);
        set_aside.push(culprit.get_ref().to_string());
    }
}

/// The items of an array of tables (`[[waivers]]`), each read on its own.
fn items<'i, T: Deserialize<'i>>(
    value: Spanned<DeValue<'i>>,
    errors: &mut Vec<PolicyError>,
) -> Vec<T> {
    let span = value.span();
    match value.into_inner() {
        DeValue::Array(array) => array
            .into_iter()
            .filter_map(|item| part(item, errors))
            .collect(),
        // Not an array: its type error.
        other => part(Spanned::new(span, other), errors).unwrap_or_default(),
    }
}

/// Turns a TOML or serde error into a snippet, suggesting the closest name
/// for unknown keys and values.
fn syntax_error(err: &toml::de::Error) -> PolicyError {
    let message = err.message().trim().to_owned();
    let span = err.span().unwrap_or(0..0);
    let first_line = message.lines().next().unwrap_or_default().to_owned();
    let name_after = |prefix: &str| {
        first_line
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned)
    };
    let help = if let Some(missing) = name_after("missing field `") {
        Some(format!("add `{missing} = …` to this table"))
    } else {
        ["unknown field `", "unknown variant `"]
            .iter()
            .find_map(|prefix| name_after(prefix))
            .and_then(|name| did_you_mean(&name, expected_names(&first_line)))
    };
    let label = if first_line.starts_with("unknown field") {
        "unknown key"
    } else if first_line.starts_with("missing field") {
        "in this table"
    } else if first_line.starts_with("invalid type") {
        "wrong type"
    } else {
        "here"
    };
    PolicyError::new(span, first_line, label).with_help(help)
}

/// Validates a raw policy, collecting every problem.
struct Validator<'a> {
    catalog: &'a Catalog,
    /// The policy file's text.
    text: &'a str,
    /// The byte offsets of the policy file's newlines, for line numbers.
    newlines: Vec<usize>,
    errors: Vec<PolicyError>,
}

impl Validator<'_> {
    /// The 1-based line of a span's start: one more than the newlines
    /// before it (a binary search, so that 20,000 waivers stay linear).
    fn line(&self, span: &Range<usize>) -> usize {
        self.newlines.partition_point(|at| *at < span.start) + 1
    }

    fn policy(&mut self, raw: RawPolicy, origin: &str) -> Policy {
        let fail_on = raw
            .fail_on
            .and_then(|value| self.severity(&value))
            .unwrap_or(Severity::Low);
        let scope = self.scope(raw.scope);
        let controls = raw
            .controls
            .into_iter()
            .filter_map(|(id, table)| {
                let settings = self.control(&id, table)?;
                Some((id.into_inner(), settings))
            })
            .collect();
        let waivers = raw
            .waivers
            .into_iter()
            .filter_map(|waiver| self.waiver(waiver))
            .collect();
        let attestations = raw
            .attestations
            .into_iter()
            .filter_map(|attestation| self.attestation(attestation))
            .collect();
        let github = self.github(raw.github);
        let aws = self.aws(raw.aws);
        let period = self.period(raw.period);
        let control_paths = raw
            .control_paths
            .into_iter()
            .filter_map(|path| {
                if path.get_ref().trim().is_empty() {
                    self.errors.push(PolicyError::new(
                        path.span(),
                        "a `control_paths` entry is empty",
                        "empty path",
                    ));
                    return None;
                }
                Some(path.into_inner())
            })
            .collect();
        let frameworks = raw
            .frameworks
            .into_iter()
            .filter_map(|name| {
                let keys: Vec<&str> = tenet_rules::frameworks().iter().map(|f| f.key).collect();
                if keys.contains(&name.get_ref().as_str()) {
                    return Some(name.into_inner());
                }
                self.errors.push(
                    PolicyError::new(
                        name.span(),
                        format!(
                            "unknown framework `{}`, expected one of {}",
                            name.get_ref(),
                            keys.iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        "unknown framework",
                    )
                    .with_help(did_you_mean(name.get_ref(), keys)),
                );
                None
            })
            .collect();
        Policy {
            origin: origin.to_owned(),
            fail_on,
            scope,
            frameworks,
            controls,
            waivers,
            attestations,
            github,
            aws,
            period,
            left_out: BTreeSet::new(),
            control_paths,
            catalog: Arc::new(Catalog::default()),
            digest: String::new(),
        }
    }

    fn period(&mut self, raw: raw::RawPeriod) -> PeriodSettings {
        let from = raw.from.as_ref().and_then(|value| self.date(value));
        let to = raw.to.as_ref().and_then(|value| self.date(value));
        if let (Some(from), Some(to), Some(value)) = (from, to, &raw.from)
            && from > to
        {
            self.errors.push(
                PolicyError::new(
                    value.span(),
                    format!("the period starts on {from}, after its end {to}"),
                    "after `to`",
                )
                .with_help(Some(
                    "`from` is the first day of the period, `to` the last".into(),
                )),
            );
        }
        PeriodSettings { from, to }
    }

    fn github(&mut self, raw: raw::RawGithub) -> GithubSettings {
        let api_url = raw.api_url.and_then(|url| {
            if url.get_ref().starts_with("https://") || url.get_ref().starts_with("http://") {
                Some(url.get_ref().trim_end_matches('/').to_owned())
            } else {
                self.errors.push(
                    PolicyError::new(url.span(), "`api_url` must be an http(s) URL", "not a URL")
                        .with_help(Some(
                            "for GitHub Enterprise Server: api_url = \"https://HOST/api/v3\""
                                .into(),
                        )),
                );
                None
            }
        });
        GithubSettings { api_url }
    }

    fn aws(&mut self, raw: raw::RawAws) -> AwsSettings {
        let accounts = raw
            .accounts
            .into_iter()
            .filter_map(|account| {
                if role_account_id(account.role_arn.get_ref()).is_none() {
                    self.errors.push(
                        PolicyError::new(
                            account.role_arn.span(),
                            format!("`{}` is not an IAM role ARN", account.role_arn.get_ref()),
                            "not a role ARN",
                        )
                        .with_help(Some(
                            "write it as arn:aws:iam::111122223333:role/NAME".into(),
                        )),
                    );
                    return None;
                }
                Some(AwsAccountTarget {
                    role_arn: account.role_arn.into_inner(),
                    external_id: account.external_id,
                    name: account.name,
                })
            })
            .collect();
        AwsSettings {
            regions: raw.regions.into_iter().map(Spanned::into_inner).collect(),
            accounts,
        }
    }

    fn severity(&mut self, value: &Spanned<String>) -> Option<Severity> {
        match Severity::from_str(value.get_ref()) {
            Ok(severity) => Some(severity),
            Err(message) => {
                let help = did_you_mean(value.get_ref(), Severity::ALL.map(Severity::as_str))
                    .or_else(|| Some("severities are low, medium, high and critical".into()));
                self.errors.push(
                    PolicyError::new(value.span(), message, "not a severity").with_help(help),
                );
                None
            }
        }
    }

    fn globs(&mut self, patterns: &[Spanned<String>]) -> Vec<String> {
        if let Some(first) = patterns.first()
            && patterns.len() > MAX_LIST_ITEMS
        {
            self.errors.push(PolicyError::new(
                first.span(),
                format!(
                    "a list of {} patterns; lists have at most {MAX_LIST_ITEMS} items",
                    patterns.len()
                ),
                "too many items",
            ));
            return Vec::new();
        }
        let valid: Vec<String> = patterns
            .iter()
            .filter_map(|pattern| match glob(pattern.get_ref()) {
                Ok(_) => Some(pattern.get_ref().clone()),
                Err(message) => {
                    self.errors
                        .push(PolicyError::new(pattern.span(), message, "invalid glob"));
                    None
                }
            })
            .collect();
        // The list is matched as one set: it must compile as one too.
        if let (Some(first), Err(message)) =
            (patterns.first(), globs(valid.iter().map(String::as_str)))
        {
            self.errors
                .push(PolicyError::new(first.span(), message, "invalid globs"));
            return Vec::new();
        }
        valid
    }

    fn scope(&mut self, raw: raw::RawScope) -> PolicyScope {
        let repositories = if raw.repositories.is_empty() {
            vec!["*".to_owned()]
        } else {
            self.globs(&raw.repositories)
        };
        let exclude = self.globs(&raw.exclude_repositories);
        let mut scope = PolicyScope::new(
            raw.github_orgs
                .into_iter()
                .map(Spanned::into_inner)
                .collect(),
            raw.aws_accounts
                .into_iter()
                .map(Spanned::into_inner)
                .collect(),
            repositories,
            exclude,
            raw.include_archived,
        );
        scope.protected_branches = self.globs(&raw.protected_branches);
        scope
    }

    /// A control id that must exist in the catalog.
    fn control_id(&mut self, id: &Spanned<String>) -> bool {
        if self.catalog.get(id.get_ref()).is_some() {
            return true;
        }
        let help = did_you_mean(id.get_ref(), self.catalog.ids())
            .or_else(|| Some("`tenet controls` lists every control id".into()));
        self.errors.push(
            PolicyError::new(
                id.span(),
                format!("unknown control `{}`", id.get_ref()),
                "no control has this id",
            )
            .with_help(help),
        );
        false
    }

    fn control(
        &mut self,
        id: &Spanned<String>,
        table: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    ) -> Option<ControlSettings> {
        if !self.control_id(id) {
            return None;
        }
        let control = self.catalog.get(id.get_ref())?;
        let mut settings = ControlSettings {
            enabled: true,
            line: self.line(&id.span()),
            ..ControlSettings::default()
        };
        for (key, value) in table {
            match key.get_ref().as_str() {
                "enabled" => match value.get_ref() {
                    toml::Value::Boolean(enabled) => settings.enabled = *enabled,
                    other => self.wrong_type(&value, other, "a boolean"),
                },
                "severity" => match value.get_ref() {
                    toml::Value::String(severity) => {
                        settings.severity =
                            self.severity(&Spanned::new(value.span(), severity.clone()));
                    }
                    other => self.wrong_type(&value, other, "a severity string"),
                },
                name => match control.meta.parameters.get(name) {
                    Some(spec) if spec.kind == ParamKind::Allowlist => {
                        if let Some((param, entries)) = self.allowlist(&value) {
                            settings.params.insert(name.to_owned(), param);
                            settings.allowlists.insert(name.to_owned(), entries);
                        }
                    }
                    Some(spec) => {
                        if let Some(param) = self.param(spec, &value) {
                            settings.params.insert(name.to_owned(), param);
                        }
                    }
                    None => {
                        let mut known = vec!["enabled", "severity"];
                        known.extend(control.meta.parameters.keys().map(String::as_str));
                        let help = did_you_mean(name, known.iter().copied()).or_else(|| {
                            Some(format!("`{}` accepts {}", id.get_ref(), quoted(&known)))
                        });
                        self.errors.push(
                            PolicyError::new(
                                key.span(),
                                format!("unknown setting `{name}` for control `{}`", id.get_ref()),
                                "unknown key",
                            )
                            .with_help(help),
                        );
                    }
                },
            }
        }
        Some(settings)
    }

    /// A parameter list of `count` items, more than lists may have.
    fn too_many_items(&mut self, value: &Spanned<toml::Value>, count: usize) {
        self.errors.push(PolicyError::new(
            value.span(),
            format!("a list of {count} items; lists have at most {MAX_LIST_ITEMS}"),
            "too many items",
        ));
    }

    fn wrong_type(&mut self, value: &Spanned<toml::Value>, found: &toml::Value, expected: &str) {
        self.errors.push(PolicyError::new(
            value.span(),
            format!("invalid type: {}, expected {expected}", found.type_str()),
            "wrong type",
        ));
    }

    fn param(&mut self, spec: &ParamSpec, value: &Spanned<toml::Value>) -> Option<ParamValue> {
        let converted = match (spec.kind, value.get_ref()) {
            (ParamKind::Integer, toml::Value::Integer(n)) => {
                u64::try_from(*n).ok().map(ParamValue::Integer)
            }
            (ParamKind::Boolean, toml::Value::Boolean(b)) => Some(ParamValue::Boolean(*b)),
            (ParamKind::String, toml::Value::String(s)) => Some(ParamValue::String(s.clone())),
            (ParamKind::StringList, toml::Value::Array(items)) => items
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(ParamValue::StringList),
            _ => None,
        };
        match &converted {
            None => self.wrong_type(value, value.get_ref(), spec.kind.describe()),
            Some(ParamValue::StringList(items)) if items.len() > MAX_LIST_ITEMS => {
                self.too_many_items(value, items.len());
                return None;
            }
            Some(ParamValue::StringList(items)) => {
                if let Some(long) = items.iter().find(|i| i.chars().count() > MAX_PATTERN_CHARS) {
                    self.errors.push(PolicyError::new(
                        value.span(),
                        format!(
                            "an item of {} characters; items have at most {MAX_PATTERN_CHARS}",
                            long.chars().count()
                        ),
                        "item too long",
                    ));
                    return None;
                }
            }
            Some(ParamValue::String(text)) if text.chars().count() > MAX_PATTERN_CHARS => {
                self.errors.push(PolicyError::new(
                    value.span(),
                    format!(
                        "a text of {} characters; texts have at most {MAX_PATTERN_CHARS}",
                        text.chars().count()
                    ),
                    "too long",
                ));
                return None;
            }
            Some(_) => {}
        }
        converted
    }

    fn waiver(&mut self, raw: RawWaiver) -> Option<Waiver> {
        let known_control = self.control_id(&raw.control);
        let matcher = match glob(raw.resource.get_ref()) {
            Ok(matcher) => Some(matcher),
            Err(message) => {
                self.errors.push(PolicyError::new(
                    raw.resource.span(),
                    message,
                    "invalid glob",
                ));
                None
            }
        };
        for (field, value) in [("reason", &raw.reason), ("owner", &raw.owner)] {
            if value.get_ref().trim().is_empty() {
                self.errors.push(PolicyError::new(
                    value.span(),
                    format!("a waiver's `{field}` may not be empty"),
                    "empty",
                ));
            }
        }
        let expires = self.date(&raw.expires);
        let line = self.line(&raw.control.span());
        // Every problem is reported: nothing returns before all are read.
        let approver = self.optional_text("approver", raw.approver);
        let ticket = self.optional_text("ticket", raw.ticket);
        let approved = match &raw.approved {
            Some(day) => self.date(day).map(Some),
            None => Some(None),
        };
        let approval = Approval {
            approver: approver?,
            approved: approved?,
            ticket: ticket?,
        };
        Some(Waiver {
            control: raw.control.into_inner(),
            resource: raw.resource.into_inner(),
            reason: raw.reason.into_inner(),
            owner: raw.owner.into_inner(),
            expires: expires?,
            approval,
            line,
            matcher: matcher.filter(|_| known_control)?,
        })
    }

    /// An optional text of a waiver: `Some(None)` when not given, `None`
    /// when given empty (an error).
    fn optional_text(
        &mut self,
        field: &str,
        value: Option<Spanned<String>>,
    ) -> Option<Option<String>> {
        let Some(value) = value else {
            return Some(None);
        };
        if value.get_ref().trim().is_empty() {
            self.errors.push(PolicyError::new(
                value.span(),
                format!("a waiver's `{field}` may not be empty"),
                "empty",
            ));
            return None;
        }
        Some(Some(value.into_inner()))
    }

    fn attestation(&mut self, raw: RawAttestation) -> Option<Attestation> {
        let known = self.control_id(&raw.control);
        if known
            && self
                .catalog
                .get(raw.control.get_ref())
                .is_some_and(|control| control.meta.pillar != Pillar::Manual)
        {
            let manual: Vec<&str> = self
                .catalog
                .controls()
                .iter()
                .filter(|control| control.meta.pillar == Pillar::Manual)
                .map(|control| control.meta.id.as_str())
                .collect();
            self.errors.push(
                PolicyError::new(
                    raw.control.span(),
                    format!(
                        "`{}` is checked from collected data; only manual controls take attestations",
                        raw.control.get_ref()
                    ),
                    "not a manual control",
                )
                .with_help(Some(format!("manual controls: {}", quoted(&manual)))),
            );
        }
        for (field, value) in [("owner", &raw.owner), ("evidence", &raw.evidence)] {
            if value.get_ref().trim().is_empty() {
                self.errors.push(PolicyError::new(
                    value.span(),
                    format!("an attestation's `{field}` may not be empty"),
                    "empty",
                ));
            }
        }
        let evidence = raw.evidence.get_ref().trim();
        if !evidence.is_empty() && !is_url_or_path(evidence) {
            self.errors.push(
                PolicyError::new(
                    raw.evidence.span(),
                    "an attestation's `evidence` is a URL or a path to the record, not a description",
                    "not a URL or a path",
                )
                .with_help(Some(
                    "e.g. `https://tickets.example.com/SEC-311` or `evidence/access-review-2026-q3.pdf`"
                        .to_owned(),
                )),
            );
        }
        let cadence_days = match raw.cadence_days {
            Some(days) if *days.get_ref() <= 0 => {
                self.errors.push(PolicyError::new(
                    days.span(),
                    "`cadence_days` must be a positive number of days",
                    "not positive",
                ));
                None
            }
            Some(days) => u64::try_from(*days.get_ref()).ok(),
            None => None,
        };
        let attested_on = self.date(&raw.attested_on);
        let line = self.line(&raw.control.span());
        Some(Attestation {
            control: raw.control.into_inner(),
            owner: raw.owner.into_inner(),
            evidence: raw.evidence.into_inner(),
            attested_on: attested_on?,
            cadence_days,
            line,
        })
    }

    /// A date: a TOML local date (`2026-12-31`) or a string holding one.
    fn date(&mut self, value: &Spanned<toml::Value>) -> Option<NaiveDate> {
        let text = match value.get_ref() {
            toml::Value::Datetime(datetime)
                if datetime.time.is_none() && datetime.offset.is_none() =>
            {
                datetime.to_string()
            }
            toml::Value::String(text) => text.clone(),
            other => {
                self.errors.push(
                    PolicyError::new(value.span(), format!("invalid date: {other}"), "not a date")
                        .with_help(Some("write the date as YYYY-MM-DD, e.g. 2026-12-31".into())),
                );
                return None;
            }
        };
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(err) => {
                self.errors.push(
                    PolicyError::new(
                        value.span(),
                        format!("invalid date `{text}`: {err}"),
                        "not a date",
                    )
                    .with_help(Some("write the date as YYYY-MM-DD, e.g. 2026-12-31".into())),
                );
                None
            }
        }
    }
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The account id of an IAM role ARN (`arn:<partition>:iam::<12 digits>:role/…`).
pub fn role_account_id(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    let (arn_prefix, _partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let valid = arn_prefix == "arn"
        && service == "iam"
        && region.is_empty()
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && resource.starts_with("role/")
        && resource.len() > "role/".len();
    valid.then_some(account)
}
