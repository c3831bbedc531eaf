//! Analyzes a corpus of policy documents and reports the time taken and what
//! was flagged, then times `first_write` on the same documents: the
//! benchmark behind `scripts/bench-iam-policy` and BENCHMARKS.md.
//!
//! Usage: `cargo run --release -p tenet-iam-policy --example corpus -- CORPUS.json OUT.json`
//! where CORPUS.json maps policy names to documents. OUT.json receives, per
//! policy, whether it is full admin and its privilege-escalation methods.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::{collections::BTreeMap, process::ExitCode, time::Instant};

use serde_json::{Value, json};
use tenet_iam_policy::{Analysis, EscalationFinding, PolicyDocument, analyze_value, first_write};

/// Runs of the whole corpus; the fastest is reported.
const RUNS: usize = 5;

/// The escalation methods found that are not confined to passing
/// particular roles (which only an account can judge), as `tenet
/// iam-policy` counts them.
fn open_methods(analysis: &Analysis) -> impl Iterator<Item = &EscalationFinding> {
    analysis
        .privilege_escalation
        .iter()
        .filter(|method| method.roles.is_empty())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [corpus, out] = args.as_slice() else {
        eprintln!("usage: corpus CORPUS.json OUT.json");
        return ExitCode::from(2);
    };
    let corpus: BTreeMap<String, Value> = match std::fs::read_to_string(corpus)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string()))
    {
        Ok(corpus) => corpus,
        Err(err) => {
            eprintln!("cannot read the corpus: {err}");
            return ExitCode::from(2);
        }
    };
    let mut best = f64::MAX;
    let mut results: BTreeMap<&str, Result<Analysis, String>> = BTreeMap::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        results = corpus
            .iter()
            .map(|(name, document)| {
                (
                    name.as_str(),
                    analyze_value(document).map_err(|e| e.to_string()),
                )
            })
            .collect();
        best = best.min(start.elapsed().as_secs_f64());
    }
    let invalid = results.values().filter(|r| r.is_err()).count();
    let report: BTreeMap<&str, Value> = results
        .iter()
        .map(|(name, result)| {
            let value = match result {
                Ok(a) => json!({
                    "full_admin": a.full_admin || a.conditional_full_admin,
                    "admin_like": a.admin_like,
                    "escalation": open_methods(a).map(|m| m.id.clone()).collect::<Vec<_>>(),
                    "actions": open_methods(a).flat_map(|m| m.actions.iter().cloned()).collect::<std::collections::BTreeSet<_>>(),
                    "only_conditional": !a.full_admin && open_methods(a).all(|m| m.conditional),
                    "only_role_patterns": !a.full_admin && open_methods(a).all(|m| !m.role_patterns.is_empty()),
                }),
                Err(err) => json!({ "error": err }),
            };
            (*name, value)
        })
        .collect();
    if let Err(err) = std::fs::write(
        out,
        serde_json::to_string_pretty(&report).unwrap_or_default(),
    ) {
        eprintln!("cannot write {out}: {err}");
        return ExitCode::from(2);
    }
    let flagged = results
        .values()
        .filter(|r| {
            r.as_ref().is_ok_and(|a| {
                a.full_admin || a.conditional_full_admin || open_methods(a).next().is_some()
            })
        })
        .count();
    println!(
        "tenet: {} documents parsed and analyzed in {:.1} ms (fastest of {RUNS} runs); {invalid} invalid; {flagged} grant full admin or privilege escalation",
        corpus.len(),
        best * 1000.0
    );
    // Whether each may change resources (`first_write`), on documents
    // parsed beforehand.
    let parsed: Vec<PolicyDocument> = corpus
        .values()
        .filter_map(|document| PolicyDocument::parse(document).ok())
        .collect();
    let mut best = f64::MAX;
    let mut writers = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        writers = parsed
            .iter()
            .filter(|document| first_write(document, &[]).is_some())
            .count();
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "tenet: whether each may change resources (first_write) in {:.1} ms (fastest of {RUNS} runs); {writers} may",
        best * 1000.0
    );
    ExitCode::SUCCESS
}
