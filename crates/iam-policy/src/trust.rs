//! Who may assume a role, read from its trust policy: anyone, the web
//! identities of an identity provider the trust does not confine, and the
//! AWS accounts it names.

use serde::{Deserialize, Serialize};

use crate::PolicyError;
use crate::analysis::statement_is_public;
use crate::document::{Effect, PolicyDocument, Principals, SetQualifier, Statement};

/// The host of GitHub Actions' OIDC tokens.
const GITHUB_ACTIONS: &str = "token.actions.githubusercontent.com";

/// The claims of a GitHub Actions subject that name the repository's owner
/// or the repository (the default `repo:OWNER/REPO:…`, and the claims a
/// customized subject may start with).
const GITHUB_OWNER_CLAIMS: [&str; 4] = [
    "repo:",
    "repository_owner:",
    "repository_owner_id:",
    "repository_id:",
];

/// Identity providers whose tokens name the application they were issued
/// for in a key of their own: that key confines the trust to the
/// customer's application (an identity pool, a client id).
const APPLICATION_KEYS: [(&str, &str); 4] = [
    ("cognito-identity.amazonaws.com", "aud"),
    ("accounts.google.com", "aud"),
    ("graph.facebook.com", "app_id"),
    ("www.amazon.com", "app_id"),
];

/// What a role's trust policy lets in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trust {
    /// The 0-based indices of the statements that let anyone assume the
    /// role: `Allow` of `sts:AssumeRole` to `"*"`, `{"AWS": "*"}` or a
    /// `NotPrincipal`, without a condition that confines the callers (see
    /// [`PolicyDocument::is_public`]).
    pub anyone: Vec<usize>,
    /// The web-identity trusts that do not confine the callers to the
    /// customer's own subjects or application.
    pub open_web_identities: Vec<OpenWebIdentity>,
    /// The web-identity providers the policy trusts (their ARNs or hosts),
    /// sorted.
    pub web_identity_providers: Vec<String>,
    /// The AWS accounts whose principals the policy names (from account
    /// ids and ARNs), sorted.
    pub accounts: Vec<String>,
}

/// A web-identity trust that lets in more than the customer's own callers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenWebIdentity {
    /// The 0-based index of the statement.
    pub statement: usize,
    /// The provider, as the policy names it.
    pub provider: String,
    /// Why it is open.
    pub reason: String,
}

/// Reads a role's trust policy. Every statement of a trust policy names
/// whom it applies to: one that names no one is refused ([`names_whom`]).
pub fn analyze_trust(document: &PolicyDocument) -> Result<Trust, PolicyError> {
    names_whom(document)?;
    let mut trust = Trust::default();
    for (index, statement) in document.statements.iter().enumerate() {
        if statement.effect != Effect::Allow {
            continue;
        }
        if statement_is_public(statement) && assumes(statement) {
            trust.anyone.push(index);
        }
        let Some(Principals::Principal(principals)) = &statement.principal else {
            continue;
        };
        trust.accounts.extend(
            principals
                .aws
                .iter()
                .filter_map(|principal| account_of(principal)),
        );
        if !statement.applies_to_action("sts:AssumeRoleWithWebIdentity") {
            continue;
        }
        for provider in &principals.federated {
            let Some(host) = web_identity_host(provider) else {
                continue;
            };
            trust.web_identity_providers.push(provider.clone());
            if let Some(reason) = openness(statement, host) {
                trust.open_web_identities.push(OpenWebIdentity {
                    statement: index,
                    provider: provider.clone(),
                    reason,
                });
            }
        }
    }
    for list in [&mut trust.accounts, &mut trust.web_identity_providers] {
        list.sort();
        list.dedup();
    }
    Ok(trust)
}

/// The AWS services a role's trust policy lets assume it, read cautiously:
/// what it may let in is never read as less.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceTrust {
    /// An `Allow` of `sts:AssumeRole` to everyone (`"*"`, `{"AWS": "*"}`),
    /// to everyone but some (`NotPrincipal`), or to a service principal
    /// with a wildcard: any service may be let in.
    pub any: bool,
    /// The labels of the service principals let in (`ec2`, `amazonaws`,
    /// `com` for `ec2.amazonaws.com`).
    pub labels: Vec<String>,
    /// An `Allow` of `sts:AssumeRole`, `AssumeRoleWithWebIdentity` or
    /// `AssumeRoleWithSAML` lets in a principal that is not a service: an
    /// AWS account, user or role, a web or SAML identity, everyone.
    pub non_services: bool,
}

impl ServiceTrust {
    /// Whether a service one of whose principal's labels is in `services`
    /// (`ec2` for `ec2.amazonaws.com`, `apprunner` for
    /// `tasks.apprunner.amazonaws.com`) may assume the role.
    pub fn admits(&self, services: &[&str]) -> bool {
        self.any
            || self
                .labels
                .iter()
                .any(|label| services.contains(&label.as_str()))
    }
}

/// The services `document`, a role's trust policy, lets assume the role:
/// every `Allow` statement of `sts:AssumeRole`, whatever its conditions
/// (read as met), and no `Deny` (read as not applying). Both readings can
/// only let in more services than IAM would, never fewer. A statement that
/// names no one is refused, as [`analyze_trust`] refuses it.
pub fn trusted_services(document: &PolicyDocument) -> Result<ServiceTrust, PolicyError> {
    names_whom(document)?;
    let mut trust = ServiceTrust::default();
    for statement in &document.statements {
        if statement.effect == Effect::Allow && assumes(statement) {
            trust.non_services |= match &statement.principal {
                Some(Principals::Principal(set)) => {
                    set.wildcard
                        || !(set.aws.is_empty()
                            && set.federated.is_empty()
                            && set.canonical_user.is_empty())
                }
                Some(Principals::NotPrincipal(_)) | None => true,
            };
        }
        if statement.effect != Effect::Allow || !statement.applies_to_action("sts:AssumeRole") {
            continue;
        }
        match &statement.principal {
            Some(Principals::Principal(set)) => {
                if set.is_everyone() || set.service.iter().any(|s| s.contains(['*', '?'])) {
                    trust.any = true;
                }
                trust.labels.extend(
                    set.service
                        .iter()
                        .flat_map(|service| service.split('.'))
                        .map(str::to_owned),
                );
            }
            Some(Principals::NotPrincipal(_)) => trust.any = true,
            None => trust.any = true,
        }
    }
    trust.labels.sort();
    trust.labels.dedup();
    Ok(trust)
}

/// Refuses a trust policy with a statement that names no one: one without
/// a `Principal` (or `NotPrincipal`), or with an empty one, as IAM refuses
/// it, since reading it as "no one" could hide who may assume the role.
fn names_whom(document: &PolicyDocument) -> Result<(), PolicyError> {
    for (index, statement) in document.statements.iter().enumerate() {
        let named = match &statement.principal {
            Some(Principals::Principal(set) | Principals::NotPrincipal(set)) => {
                set.wildcard
                    || !(set.aws.is_empty()
                        && set.service.is_empty()
                        && set.federated.is_empty()
                        && set.canonical_user.is_empty())
            }
            None => false,
        };
        if !named {
            return Err(PolicyError::Invalid {
                path: format!("Statement[{index}].Principal"),
                statement: Some(index),
                message: "a trust policy statement names whom it applies to in Principal or \
                          NotPrincipal, and this one names no one"
                    .to_owned(),
            });
        }
    }
    Ok(())
}

/// Whether the statement lets its principals assume the role.
fn assumes(statement: &Statement) -> bool {
    [
        "sts:AssumeRole",
        "sts:AssumeRoleWithWebIdentity",
        "sts:AssumeRoleWithSAML",
    ]
    .iter()
    .any(|action| statement.applies_to_action(action))
}

/// The account id of an `AWS` principal: an account id, or the account of
/// an ARN.
fn account_of(principal: &str) -> Option<String> {
    let account = if principal.starts_with("arn:") {
        principal.split(':').nth(4)?
    } else {
        principal
    };
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then(|| account.to_owned())
}

/// The host (and path) a web-identity provider's condition keys start
/// with: the part after `oidc-provider/` of an OIDC provider ARN, or the
/// provider itself when it is a host (`cognito-identity.amazonaws.com`);
/// `None` for a SAML provider.
fn web_identity_host(provider: &str) -> Option<&str> {
    if provider.starts_with("arn:") {
        return provider.split_once(":oidc-provider/").map(|(_, host)| host);
    }
    (!provider.contains(':')).then_some(provider)
}

/// Why a web-identity statement of `host` lets in more than the customer's
/// own callers, or `None` when its conditions confine them.
fn openness(statement: &Statement, host: &str) -> Option<String> {
    if let Some((_, key)) = APPLICATION_KEYS.iter().find(|(known, _)| *known == host) {
        let key = format!("{host}:{key}");
        return (!confines(statement, &key, not_all_wildcards)).then(|| {
            format!("no condition on {key} confines it to the customer's own application")
        });
    }
    let key = format!("{host}:sub");
    if host == GITHUB_ACTIONS || host.starts_with("token.actions.githubusercontent.com/") {
        return (!confines(statement, &key, pins_github_owner)).then(|| {
            format!(
                "no condition on {key} confines it to the customer's repositories: any \
                 repository on GitHub can assume the role"
            )
        });
    }
    (!confines(statement, &key, not_all_wildcards))
        .then(|| format!("no condition on {key} confines it to particular subjects"))
}

/// Whether a condition of the statement confines `key`: every one of its
/// values passes `confining` (given the value and whether it is a
/// `StringLike` pattern). Only positive string comparisons confine:
/// `StringEquals`, `StringEqualsIgnoreCase`, `StringLike` (also with
/// `IfExists`, since the provider always sends the key, and
/// `ForAnyValue:`); `ForAllValues:`, which holds when the key is absent, and
/// the negated operators do not.
fn confines(statement: &Statement, key: &str, confining: fn(&str, bool) -> bool) -> bool {
    statement.conditions.iter().any(|condition| {
        let operator = &condition.operator;
        let positive = matches!(
            operator.base.as_str(),
            "StringEquals" | "StringEqualsIgnoreCase" | "StringLike"
        );
        let like = operator.base == "StringLike";
        positive
            && condition.key_is(key)
            && operator.qualifier != Some(SetQualifier::ForAllValues)
            && !condition.values.is_empty()
            && condition
                .values
                .iter()
                .all(|value| confining(&value.as_text(), like))
    })
}

/// A value that is not only wildcards.
fn not_all_wildcards(value: &str, like: bool) -> bool {
    !(like && value.chars().all(|c| c == '*' || c == '?'))
}

/// Claims of a customized GitHub Actions subject whose values never hold a
/// `:` (ids, logins, git refs, fixed words), so that a subject that starts
/// with them is read pair by pair. Other claims' values may hold one (a
/// workflow's name, an environment's): after them, `…:repository_owner:acme`
/// may be part of the value another owner chose.
const COLON_FREE_CLAIMS: [&str; 10] = [
    "repository_owner",
    "repository_owner_id",
    "repository_id",
    "repository_visibility",
    "actor",
    "actor_id",
    "ref",
    "ref_type",
    "sha",
    "event_name",
];

/// Whether `prefix` (which ends with `:`) is made of whole `claim:value:`
/// pairs of [`COLON_FREE_CLAIMS`].
fn colon_free_pairs(prefix: &str) -> bool {
    let Some(body) = prefix.strip_suffix(':') else {
        return false;
    };
    let parts: Vec<&str> = body.split(':').collect();
    parts.len().is_multiple_of(2)
        && parts
            .chunks(2)
            .all(|pair| COLON_FREE_CLAIMS.contains(&pair[0]) && !pair[1].is_empty())
}

/// Whether a GitHub Actions subject value names its repository's owner (or
/// the repository's id) before its first wildcard, where no other claim's
/// value could have put it: `repo:acme/…`, `repository_owner:acme:…`,
/// `repository_id:5:repository_owner:acme:…`. Any other value can be
/// matched by a repository of another owner, whose subject claim its owner
/// may customize: `repo:*/deploy:*`, `*:environment:production`,
/// `environment:production`, and `environment:x:repository_owner:acme` (an
/// environment of another owner named `x:repository_owner:acme`).
fn pins_github_owner(value: &str, like: bool) -> bool {
    let fixed = if like {
        &value[..value.find(['*', '?']).unwrap_or(value.len())]
    } else {
        value
    };
    let whole = fixed.len() == value.len();
    GITHUB_OWNER_CLAIMS.iter().any(|claim| {
        fixed.match_indices(claim).any(|(at, _)| {
            let starts_a_claim = at == 0 || colon_free_pairs(&fixed[..at]);
            let owner = &fixed[at + claim.len()..];
            let end = owner.find(['/', ':']);
            starts_a_claim
                && match (*claim, end) {
                    ("repo:", Some(end)) => end > 0 && owner.as_bytes()[end] == b'/',
                    ("repo:", None) => false,
                    (_, Some(end)) => end > 0,
                    (_, None) => whole && !owner.is_empty(),
                }
        })
    })
}
