//! `tenet iam-policy`: the IAM policy analyzer on documents before they are
//! deployed (infrastructure code, pull requests).

use std::{fmt::Write, path::Path};

use anyhow::{Context as _, bail};
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use serde::Serialize;
use tenet_iam_policy::{Analysis, PolicyDocument, RequestContext, analyze};
use tenet_inventory::{Snapshot, aws::AwsAccount};
use tenet_rules::judge_document;

use crate::{
    cli::{IamPolicyArgs, ListFormat},
    output,
};

/// The result for one file.
#[derive(Serialize)]
struct FileResult {
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    analysis: Option<Analysis>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    /// A Deny of every S3 action without TLS (`aws:SecureTransport` false).
    #[serde(skip_serializing_if = "Option::is_none")]
    denies_insecure_transport: Option<bool>,
    /// With `--snapshot`: the document judged against the account.
    #[serde(skip_serializing_if = "Option::is_none")]
    in_account: Option<InAccount>,
    dangerous: bool,
}

/// A document judged against an account of a snapshot.
#[derive(Serialize)]
struct InAccount {
    /// The account's id.
    account: String,
    /// The escalation methods that count there (a method that passes a
    /// role only when a role it can pass is an administrator).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    escalation: Vec<CountedMethod>,
    /// Methods that reach roles (pass them, or take over instances that
    /// run as them), none of which is an administrator.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    reaches_no_administrator: Vec<String>,
    /// A principal with the document would hold full admin there.
    full_admin: bool,
    /// A principal with the document would be an administrator.
    administrator: bool,
    /// What could not be determined, when something could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// An escalation method that counts in the account.
#[derive(Serialize)]
struct CountedMethod {
    id: String,
    conditional: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    administrator_roles: Vec<String>,
    /// The instances it takes over to reach them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    through: Vec<String>,
    /// The id with what makes it count, for the text table.
    #[serde(skip)]
    label: String,
}

/// The account of a snapshot documents are judged against, and its time.
struct Judge {
    account: AwsAccount,
    at: DateTime<Utc>,
}

/// Full admin, any privilege-escalation path, conditional or not, except
/// one that passes only particular roles (which only the account can
/// judge), or a resource policy open to anyone.
fn dangerous(analysis: &Analysis) -> bool {
    analysis.full_admin
        || analysis.conditional_full_admin
        || analysis.public
        || analysis
            .privilege_escalation
            .iter()
            .any(|method| method.roles.is_empty())
}

/// `-`, the file name that stands for standard input.
const STDIN: &str = "-";

fn analyze_file(
    path: &Path,
    stdin: Option<&str>,
    context: &RequestContext,
    judge: Option<&Judge>,
) -> FileResult {
    let file = path.display().to_string();
    let text = match stdin.filter(|_| path == Path::new(STDIN)) {
        Some(text) => Ok(text.to_owned()),
        None => std::fs::read_to_string(path).map_err(|err| format!("cannot read: {err}")),
    };
    let parsed = text
        .and_then(|text| {
            serde_json::from_str::<serde_json::Value>(&text)
                .map_err(|err| format!("not JSON: {err}"))
        })
        .and_then(|value| {
            PolicyDocument::parse(&value)
                .map(|document| (value, document))
                .map_err(|err| format!("not a valid IAM policy: {err}"))
        });
    match parsed {
        Ok((value, document)) => {
            let document = document.resolve(context);
            let analysis = analyze(&document);
            let in_account = judge.map(|judge| in_account(judge, &file, &value));
            let dangerous = match &in_account {
                // Judged by the account, and public either way.
                Some(judged) => {
                    judged.full_admin
                        || judged.administrator
                        || !judged.escalation.is_empty()
                        || analysis.public
                }
                None => dangerous(&analysis),
            };
            FileResult {
                file,
                dangerous,
                analysis: Some(analysis),
                error: None,
                denies_insecure_transport: Some(document.denies_insecure_transport(&[])),
                in_account,
            }
        }
        Err(error) => FileResult {
            file,
            analysis: None,
            error: Some(error),
            denies_insecure_transport: None,
            in_account: None,
            dangerous: false,
        },
    }
}

/// `document` judged as the policy of a principal of the judge's account.
fn in_account(judge: &Judge, file: &str, document: &serde_json::Value) -> InAccount {
    let account = judge.account.account_id.clone();
    match judge_document(&judge.account, judge.at, file, document) {
        Ok(verdict) => InAccount {
            account,
            escalation: verdict
                .escalations
                .into_iter()
                .map(|counted| CountedMethod {
                    label: counted.label(),
                    id: counted.method.id,
                    conditional: counted.method.conditional,
                    administrator_roles: counted.administrators,
                    through: counted.through,
                })
                .collect(),
            reaches_no_administrator: verdict.harmless_reaches,
            full_admin: verdict.analysis.holds_full_admin(),
            administrator: verdict.is_administrator,
            error: None,
        },
        Err(reason) => InAccount {
            account,
            escalation: Vec::new(),
            reaches_no_administrator: Vec::new(),
            full_admin: false,
            administrator: false,
            error: Some(reason),
        },
    }
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

fn table(results: &[FileResult]) -> String {
    let mut out = String::new();
    for result in results {
        let (Some(analysis), None) = (&result.analysis, &result.error) else {
            let _ = writeln!(
                out,
                "{}: INVALID\n  {}\n",
                result.file,
                result.error.as_deref().unwrap_or_default()
            );
            continue;
        };
        // With a snapshot, the account's verdict; else the document's.
        let (full_admin, escalates) = match &result.in_account {
            Some(judged) => (judged.full_admin, !judged.escalation.is_empty()),
            None => (
                analysis.full_admin || analysis.conditional_full_admin,
                analysis
                    .privilege_escalation
                    .iter()
                    .any(|m| m.roles.is_empty()),
            ),
        };
        let verdict = if full_admin {
            "FULL ADMIN"
        } else if escalates {
            "PRIVILEGE ESCALATION"
        } else if analysis.public {
            "PUBLIC"
        } else if result
            .in_account
            .as_ref()
            .is_some_and(|judged| judged.error.is_some())
        {
            "UNDETERMINED"
        } else {
            "ok"
        };
        let _ = writeln!(out, "{}: {verdict}", result.file);
        let _ = writeln!(
            out,
            "  full admin: {}{}",
            yes_no(analysis.full_admin),
            if analysis.conditional_full_admin {
                " (yes, under a condition)"
            } else {
                ""
            }
        );
        let _ = writeln!(
            out,
            "  everything except a few services: {}",
            yes_no(analysis.admin_like)
        );
        let _ = writeln!(
            out,
            "  sensitive services wildcarded: {}",
            list(&analysis.wildcard_services)
        );
        if !analysis.conditional_wildcard_services.is_empty() {
            let _ = writeln!(
                out,
                "  ... under a condition: {}",
                list(&analysis.conditional_wildcard_services)
            );
        }
        let method = |m: &tenet_iam_policy::EscalationFinding| {
            let patterns = if m.role_patterns.is_empty() {
                String::new()
            } else {
                format!(", roles matching {}", m.role_patterns.join(", "))
            };
            let existing = m
                .takes_over
                .map(|existing| format!(", needs {}", existing.describe()))
                .unwrap_or_default();
            format!(
                "{} ({}{patterns}{existing}{})",
                m.id,
                m.actions.join(" + "),
                if m.conditional {
                    ", under a condition"
                } else {
                    ""
                }
            )
        };
        let (confined, open): (Vec<_>, Vec<_>) = analysis
            .privilege_escalation
            .iter()
            .partition(|m| !m.roles.is_empty());
        let methods: Vec<String> = if analysis.full_admin {
            vec!["every method (full admin)".to_owned()]
        } else {
            open.into_iter().map(method).collect()
        };
        let _ = writeln!(out, "  privilege escalation: {}", list(&methods));
        if !analysis.full_admin && !confined.is_empty() {
            let passes: Vec<String> = confined
                .into_iter()
                .map(|m| format!("{} to {}", method(m), m.roles.join(", ")))
                .collect();
            let _ = writeln!(
                out,
                "  passes only these roles (escalation if one can do more than the caller; a \
                 scan judges them): {}",
                list(&passes)
            );
        }
        let _ = writeln!(
            out,
            "  public (Principal \"*\" without a restricting condition): {}",
            yes_no(analysis.public)
        );
        let _ = writeln!(
            out,
            "  denies requests without TLS: {}",
            yes_no(result.denies_insecure_transport.unwrap_or(false))
        );
        if let Some(judged) = &result.in_account {
            in_account_lines(&mut out, judged);
        }
        out.push('\n');
    }
    let invalid = results.iter().filter(|r| r.error.is_some()).count();
    let dangerous = results.iter().filter(|r| r.dangerous).count();
    let _ = writeln!(
        out,
        "{} document{}: {dangerous} grant{} full admin, privilege escalation or public access, {invalid} invalid",
        results.len(),
        if results.len() == 1 { "" } else { "s" },
        if dangerous == 1 { "s" } else { "" },
    );
    out
}

/// The lines of a document judged against an account.
fn in_account_lines(out: &mut String, judged: &InAccount) {
    let account = &judged.account;
    if let Some(reason) = &judged.error {
        let _ = writeln!(out, "  in account {account}: could not determine: {reason}");
        return;
    }
    let methods: Vec<String> = judged
        .escalation
        .iter()
        .map(|method| method.label.clone())
        .collect();
    let _ = writeln!(
        out,
        "  in account {account}: full admin: {}; administrator: {}; privilege escalation: {}",
        yes_no(judged.full_admin),
        yes_no(judged.administrator),
        list(&methods)
    );
    if !judged.reaches_no_administrator.is_empty() {
        let _ = writeln!(
            out,
            "  ... reaches roles, none of them an administrator: {}",
            list(&judged.reaches_no_administrator)
        );
    }
}

/// Analyzes every file (with `--snapshot`, judged against an account of
/// it); exits 2 if one is not a valid policy, else 1 if one grants full
/// admin, privilege escalation or public access, else 3 if what one grants
/// in the account could not be determined, else 0.
pub fn run(args: &IamPolicyArgs) -> anyhow::Result<u8> {
    let judge = args
        .snapshot
        .as_deref()
        .map(|path| judge(path, args.account.as_deref()))
        .transpose()?;
    let context = RequestContext {
        now: Some(judge.as_ref().map_or_else(Utc::now, |judge| judge.at)),
        account: judge
            .as_ref()
            .map(|judge| judge.account.account_id.clone())
            .or_else(|| args.account.clone()),
    };
    // `-` is standard input, which can be read once.
    let from_stdin = args
        .files
        .iter()
        .filter(|path| *path == Path::new(STDIN))
        .count();
    if from_stdin > 1 {
        bail!("`-` (standard input) can be given once");
    }
    let stdin = if from_stdin == 1 {
        Some(std::io::read_to_string(std::io::stdin()).context("cannot read standard input")?)
    } else {
        None
    };
    // In parallel; collected in the order of the arguments.
    let results: Vec<FileResult> = args
        .files
        .par_iter()
        .map(|path| analyze_file(path, stdin.as_deref(), &context, judge.as_ref()))
        .collect();
    let text = match args.format {
        ListFormat::Json => serde_json::to_string_pretty(&results)? + "\n",
        ListFormat::Table => table(&results),
    };
    output::emit(&text, None)?;
    let undetermined = results.iter().any(|r| {
        r.in_account
            .as_ref()
            .is_some_and(|judged| judged.error.is_some())
    });
    Ok(if results.iter().any(|r| r.error.is_some()) {
        output::EXIT_USAGE
    } else if results.iter().any(|r| r.dangerous) {
        1
    } else if undetermined {
        3
    } else {
        0
    })
}

/// The account of the snapshot at `path` documents are judged against:
/// `account`, or the snapshot's only one.
fn judge(path: &Path, account: Option<&str>) -> anyhow::Result<Judge> {
    let snapshot = Snapshot::load(path)?;
    let ids: Vec<&str> = snapshot
        .aws
        .iter()
        .map(|account| account.account_id.as_str())
        .collect();
    let chosen = match (account, ids.as_slice()) {
        (Some(wanted), _) => snapshot
            .aws
            .iter()
            .find(|candidate| candidate.account_id == wanted)
            .with_context(|| {
                format!(
                    "{}: no AWS account {wanted}; it holds {}",
                    path.display(),
                    list(&ids.iter().map(|id| (*id).to_owned()).collect::<Vec<_>>())
                )
            })?,
        (None, [_]) => snapshot
            .aws
            .first()
            .with_context(|| format!("{}: holds no AWS account", path.display()))?,
        (None, []) => bail!("{}: holds no AWS account", path.display()),
        (None, several) => bail!(
            "{}: holds {} AWS accounts ({}); choose one with --account",
            path.display(),
            several.len(),
            several.join(", ")
        ),
    };
    Ok(Judge {
        account: chosen.clone(),
        at: snapshot.collected_at,
    })
}
