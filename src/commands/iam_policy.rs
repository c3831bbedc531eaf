//! `tenet iam-policy`: the IAM policy analyzer on documents before they are
//! deployed (infrastructure code, pull requests).

use std::{fmt::Write, path::Path};

use rayon::prelude::*;
use serde::Serialize;
use tenet_iam_policy::{Analysis, PolicyDocument, RequestContext, analyze};

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
    dangerous: bool,
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

fn analyze_file(path: &Path, context: &RequestContext) -> FileResult {
    let file = path.display().to_string();
    let parsed = std::fs::read_to_string(path)
        .map_err(|err| format!("cannot read: {err}"))
        .and_then(|text| {
            serde_json::from_str::<serde_json::Value>(&text)
                .map_err(|err| format!("not JSON: {err}"))
        })
        .and_then(|value| {
            PolicyDocument::parse(&value).map_err(|err| format!("not a valid IAM policy: {err}"))
        });
    match parsed {
        Ok(document) => {
            let document = document.resolve(context);
            let analysis = analyze(&document);
            FileResult {
                file,
                dangerous: dangerous(&analysis),
                analysis: Some(analysis),
                error: None,
                denies_insecure_transport: Some(document.denies_insecure_transport(&[])),
            }
        }
        Err(error) => FileResult {
            file,
            analysis: None,
            error: Some(error),
            denies_insecure_transport: None,
            dangerous: false,
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
        let verdict = if analysis.full_admin || analysis.conditional_full_admin {
            "FULL ADMIN"
        } else if analysis
            .privilege_escalation
            .iter()
            .any(|m| m.roles.is_empty())
        {
            "PRIVILEGE ESCALATION"
        } else if analysis.public {
            "PUBLIC"
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
            format!(
                "{} ({}{patterns}{})",
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
            "  denies requests without TLS: {}\n",
            yes_no(result.denies_insecure_transport.unwrap_or(false))
        );
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

/// Analyzes every file; exits 2 if one is not a valid policy, else 1 if one
/// grants full admin, privilege escalation or public access, else 0.
pub fn run(args: &IamPolicyArgs) -> anyhow::Result<u8> {
    let context = RequestContext {
        now: Some(chrono::Utc::now()),
        account: args.account.clone(),
    };
    // In parallel; collected in the order of the arguments.
    let results: Vec<FileResult> = args
        .files
        .par_iter()
        .map(|path| analyze_file(path, &context))
        .collect();
    let text = match args.format {
        ListFormat::Json => serde_json::to_string_pretty(&results)? + "\n",
        ListFormat::Table => table(&results),
    };
    output::emit(&text, None)?;
    Ok(if results.iter().any(|r| r.error.is_some()) {
        output::EXIT_USAGE
    } else if results.iter().any(|r| r.dangerous) {
        1
    } else {
        0
    })
}
