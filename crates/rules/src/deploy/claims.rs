//! A role's trust in GitHub Actions, read as IAM evaluates it: which
//! statements let a GitHub token assume the role, which deny it, and what
//! their conditions ask of the token's claims.
//!
//! Per AWS's documentation of condition operators, for a claim present in
//! the token a `String…` operator compares its value with each of the
//! condition's values (any may match; `…Not…` operators negate the
//! result); `…Like` honours `*` and `?`, which also match `/` and `:`;
//! `…IgnoreCase` folds case. For a claim absent from the token, positive
//! operators do not hold, negated ones do, `…IfExists` and `ForAllValues:`
//! hold, `ForAnyValue:` does not, and `Null` holds when its value is
//! `true`. A statement applies when all its conditions hold; the role can
//! be assumed when an `Allow` statement applies and no `Deny` does.

use tenet_iam_policy::{Condition, Effect, PolicyDocument, Principals, SetQualifier, Statement};

use super::{
    nfa::Nfa,
    search::{Formula, Space, Suffix},
};

/// The issuer of GitHub Actions' tokens on github.com.
pub(crate) const GITHUB_ISSUER: &str = "token.actions.githubusercontent.com";

/// The claims a GitHub token carries that IAM can compare (AWS STS's
/// provider-specific keys for GitHub, January 2026, with `sub` and `aud`).
/// A condition on another key of the provider, or on a key of AWS, is not
/// judged ([`Reading::unjudged`]).
const JUDGED_CLAIMS: [&str; 6] = [
    "sub",
    "aud",
    "ref",
    "environment",
    "repository",
    "repository_id",
];

/// What a token says for one claim on one kind of path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Claim {
    /// This value.
    Known(String),
    /// This text, then whatever the run makes the rest.
    OpenEnded(String),
    /// `prefix + V + suffix`, for the value `V` searched for.
    Template {
        /// What comes before `V`.
        prefix: String,
        /// What comes after it.
        suffix: Suffix,
    },
    /// Whatever the workflow asks for (the audience, the ref a job with an
    /// environment runs on); possibly absent.
    Chosen {
        /// The workflow may leave it out.
        may_be_absent: bool,
    },
    /// Not in the token.
    Absent,
}

/// The claims of the tokens of one kind of path, by claim name.
pub(crate) type Claims = Vec<(&'static str, Claim)>;

/// A role's trust in one GitHub token issuer.
#[derive(Clone, Debug)]
pub(crate) struct GithubTrust {
    /// The issuer as the condition keys name it
    /// (`token.actions.githubusercontent.com`, or with an enterprise's
    /// path).
    pub issuer: String,
    /// The `Allow` statements that let its tokens assume the role, with
    /// their 0-based index.
    pub allows: Vec<(usize, Statement)>,
    /// The `Deny` statements that certainly apply to its tokens.
    pub denies: Vec<(usize, Statement)>,
}

/// The GitHub issuers `document`, a trust policy, lets assume the role
/// with `sts:AssumeRoleWithWebIdentity`, each with its statements.
pub(crate) fn github_trusts(document: &PolicyDocument) -> Vec<GithubTrust> {
    let mut trusts: Vec<GithubTrust> = Vec::new();
    for (index, statement) in document.statements.iter().enumerate() {
        if statement.effect != Effect::Allow
            || !statement.applies_to_action("sts:AssumeRoleWithWebIdentity")
        {
            continue;
        }
        let Some(Principals::Principal(principals)) = &statement.principal else {
            continue;
        };
        for provider in &principals.federated {
            let Some(issuer) = github_issuer(provider) else {
                continue;
            };
            let at = match trusts.iter().position(|t| t.issuer == issuer) {
                Some(at) => at,
                None => {
                    trusts.push(GithubTrust {
                        issuer: issuer.to_owned(),
                        allows: Vec::new(),
                        denies: Vec::new(),
                    });
                    trusts.len() - 1
                }
            };
            trusts[at].allows.push((index, statement.clone()));
        }
    }
    for trust in &mut trusts {
        for (index, statement) in document.statements.iter().enumerate() {
            if statement.effect == Effect::Deny
                && statement.applies_to_action("sts:AssumeRoleWithWebIdentity")
                && denies_issuer(statement, &trust.issuer)
            {
                trust.denies.push((index, statement.clone()));
            }
        }
    }
    trusts
}

/// The issuer of a federated principal that is GitHub Actions' OIDC
/// provider: github.com's (`…:oidc-provider/token.actions.githubusercontent.com`,
/// or an enterprise's `…/token.actions.githubusercontent.com/<slug>`), or
/// a GitHub Enterprise Server's (`…:oidc-provider/HOST/_services/token`,
/// [`is_enterprise_server`]).
fn github_issuer(provider: &str) -> Option<&str> {
    let (_, host) = provider.split_once(":oidc-provider/")?;
    (host == GITHUB_ISSUER
        || host.starts_with("token.actions.githubusercontent.com/")
        || is_enterprise_server(host))
    .then_some(host)
}

/// Whether `issuer` is a GitHub Enterprise Server's (`HOST/_services/token`),
/// whose organizations tenet cannot tell from github.com's.
pub(crate) fn is_enterprise_server(issuer: &str) -> bool {
    issuer
        .strip_suffix("/_services/token")
        .is_some_and(|host| !host.is_empty() && !host.contains('/'))
}

/// Whether a `Deny` statement certainly applies to the issuer's tokens:
/// it names everyone or the issuer. One with `NotPrincipal` is left out,
/// which can only let in more than IAM does.
fn denies_issuer(statement: &Statement, issuer: &str) -> bool {
    match &statement.principal {
        Some(Principals::Principal(set)) => {
            set.is_everyone()
                || set
                    .federated
                    .iter()
                    .any(|provider| github_issuer(provider) == Some(issuer))
        }
        _ => false,
    }
}

/// Formulas for one kind of path, and what they could not judge.
pub(crate) struct Reading<'a> {
    /// The tests the formulas refer to.
    pub space: Space,
    /// The issuer whose keys are read.
    issuer: &'a str,
    /// The claims of this kind of path.
    claims: &'a Claims,
    /// The conditions read as holding in an `Allow`, or not in a `Deny`,
    /// because tenet does not judge them: `statement N: Operator key`.
    pub unjudged: Vec<String>,
}

impl<'a> Reading<'a> {
    /// A reading of the issuer's conditions for tokens with `claims`.
    pub fn new(issuer: &'a str, claims: &'a Claims) -> Reading<'a> {
        Reading {
            space: Space::default(),
            issuer,
            claims,
            unjudged: Vec::new(),
        }
    }

    /// Whether the trust lets a token with these claims assume the role:
    /// an `Allow` applies and no `Deny` does.
    pub fn admitted(&mut self, trust: &GithubTrust) -> Formula {
        let allowed: Vec<Formula> = trust
            .allows
            .iter()
            .map(|(index, statement)| self.applies(*index, statement, true))
            .collect();
        let denied: Vec<Formula> = trust
            .denies
            .iter()
            .map(|(index, statement)| self.applies(*index, statement, false).not())
            .collect();
        Formula::all(vec![Formula::any(allowed), Formula::all(denied)])
    }

    /// Whether every condition of the statement holds. A condition tenet
    /// does not judge is read as holding in an `Allow` and as not holding
    /// in a `Deny`: either way the role is let in at least as often as IAM
    /// lets it in.
    fn applies(&mut self, index: usize, statement: &Statement, allow: bool) -> Formula {
        let parts = statement
            .conditions
            .iter()
            .map(|condition| match self.condition(condition) {
                Some(formula) => formula,
                None => {
                    let note = format!(
                        "statement {index}: {} {}",
                        condition.operator, condition.key
                    );
                    if !self.unjudged.contains(&note) {
                        self.unjudged.push(note);
                    }
                    Formula::Const(allow)
                }
            })
            .collect();
        // The workflow picks the chosen claims: so that an `Allow` applies,
        // and so that a `Deny` does not.
        Formula::all(parts).resolve_chosen(allow)
    }

    /// One condition, or `None` when tenet does not judge it.
    fn condition(&mut self, condition: &Condition) -> Option<Formula> {
        let name = claim_name(&condition.key, self.issuer)?;
        let claim = self
            .claims
            .iter()
            .find(|(claim, _)| *claim == name)
            .map(|(_, claim)| claim.clone())
            .unwrap_or(Claim::Absent);
        let operator = &condition.operator;
        let values: Vec<String> = condition.values.iter().map(|v| v.as_text()).collect();
        if values.iter().any(|value| value.contains("${")) {
            // A policy variable: compared after substitution, which tenet
            // does not do.
            return None;
        }
        if operator.base == "Null" {
            let wants_absent = |absent: bool| {
                values
                    .iter()
                    .any(|value| value.eq_ignore_ascii_case(if absent { "true" } else { "false" }))
            };
            if values
                .iter()
                .any(|v| !v.eq_ignore_ascii_case("true") && !v.eq_ignore_ascii_case("false"))
            {
                return None;
            }
            return Some(match claim {
                Claim::Absent => Formula::Const(wants_absent(true)),
                Claim::Chosen {
                    may_be_absent: true,
                } => Formula::Chosen,
                _ => Formula::Const(wants_absent(false)),
            });
        }
        let (negated, like, fold) = match operator.base.as_str() {
            "StringEquals" => (false, false, false),
            "StringNotEquals" => (true, false, false),
            "StringEqualsIgnoreCase" => (false, false, true),
            "StringNotEqualsIgnoreCase" => (true, false, true),
            "StringLike" => (false, true, false),
            "StringNotLike" => (true, true, false),
            _ => return None,
        };
        let when_absent = match operator.qualifier {
            Some(SetQualifier::ForAllValues) => true,
            Some(SetQualifier::ForAnyValue) => false,
            None => operator.if_exists || negated,
        };
        let matches = match claim {
            Claim::Absent => return Some(Formula::Const(when_absent)),
            Claim::Chosen { .. } => return Some(Formula::Chosen),
            Claim::Known(value) => Formula::Const(values.iter().any(|pattern| {
                let nfa = Nfa::iam(pattern, like, fold);
                nfa.accepts(&nfa.feed(&nfa.start(), &value, true))
            })),
            Claim::OpenEnded(start) => {
                // The run completes the value as it needs, unless no
                // completion can match.
                let reachable = values.iter().any(|pattern| {
                    let nfa = Nfa::iam(pattern, like, fold);
                    nfa.alive(&nfa.feed(&nfa.start(), &start, true))
                });
                return Some(if reachable || negated {
                    Formula::Chosen
                } else {
                    Formula::Const(false)
                });
            }
            Claim::Template { prefix, suffix } => Formula::any(
                values
                    .iter()
                    .map(|pattern| {
                        self.space
                            .test(Nfa::iam(pattern, like, fold), &prefix, suffix.clone())
                    })
                    .collect(),
            ),
        };
        Some(if negated { matches.not() } else { matches })
    }
}

/// The judged claim a condition key names (`<issuer>:sub` → `sub`), or
/// `None` for a key tenet does not judge.
fn claim_name(key: &str, issuer: &str) -> Option<&'static str> {
    let (host, claim) = key.rsplit_once(':')?;
    if !host.eq_ignore_ascii_case(issuer) {
        return None;
    }
    JUDGED_CLAIMS
        .iter()
        .find(|judged| judged.eq_ignore_ascii_case(claim))
        .copied()
}

/// Whether a condition can only narrow whom a statement lets in: a
/// positive string comparison (`StringEquals`, `StringEqualsIgnoreCase`,
/// `StringLike`) that does not hold for an absent claim (no `IfExists`,
/// no `ForAllValues:`).
pub(crate) fn confines(condition: &Condition) -> bool {
    let operator = &condition.operator;
    matches!(
        operator.base.as_str(),
        "StringEquals" | "StringEqualsIgnoreCase" | "StringLike"
    ) && !operator.if_exists
        && operator.qualifier != Some(SetQualifier::ForAllValues)
}
