//! `tenet controls` and `tenet explain`: the catalog for people and tools.

use std::fmt::Write;

use anyhow::bail;
use tenet_rules::{ControlMeta, ParamValue, catalog};

use crate::{
    cli::{ControlsArgs, ExplainArgs, ListFormat},
    output,
};

/// Lists every control.
pub fn list(args: &ControlsArgs) -> anyhow::Result<u8> {
    let controls: Vec<&ControlMeta> = catalog().controls().iter().map(|c| &c.meta).collect();
    let text = match args.format {
        ListFormat::Json => serde_json::to_string_pretty(&controls)? + "\n",
        ListFormat::Table => table(&controls),
    };
    output::emit(&text, None)?;
    Ok(0)
}

fn table(controls: &[&ControlMeta]) -> String {
    let id_width = controls
        .iter()
        .map(|c| c.id.len())
        .max()
        .unwrap_or(2)
        .max(2);
    let pillar_width = controls
        .iter()
        .map(|c| c.pillar.as_str().len())
        .max()
        .unwrap_or(6)
        .max(6);
    let mut out = format!(
        "{:<id_width$}  {:<8}  {:<pillar_width$}  TITLE\n",
        "ID", "SEVERITY", "PILLAR"
    );
    for control in controls {
        let _ = writeln!(
            out,
            "{:<id_width$}  {:<8}  {:<pillar_width$}  {}",
            control.id,
            control.severity.as_str(),
            control.pillar.as_str(),
            control.title
        );
    }
    let _ = writeln!(
        out,
        "\n{} controls. `tenet explain ID` shows one in full.",
        controls.len()
    );
    out
}

/// Shows one control in full.
pub fn explain(args: &ExplainArgs) -> anyhow::Result<u8> {
    let Some(control) = catalog().get(&args.control) else {
        let hint = tenet_engine::did_you_mean(&args.control, catalog().ids())
            .unwrap_or_else(|| "`tenet controls` lists every control id".into());
        bail!("unknown control `{}`; {hint}", args.control);
    };
    output::emit(&explain_text(&control.meta), None)?;
    Ok(0)
}

fn indent(text: &str) -> String {
    text.trim()
        .lines()
        .map(|line| format!("  {line}\n"))
        .collect()
}

fn value(value: &ParamValue) -> String {
    match value {
        ParamValue::Boolean(b) => b.to_string(),
        ParamValue::Integer(n) => n.to_string(),
        ParamValue::String(s) => format!("{s:?}"),
        ParamValue::StringList(items) => format!("{items:?}"),
    }
}

fn explain_text(meta: &ControlMeta) -> String {
    let mut out = format!("{} — {}\n\n", meta.id, meta.title);
    let _ = writeln!(
        out,
        "Pillar:    {} ({})",
        meta.pillar.title(),
        meta.pillar.as_str()
    );
    let _ = writeln!(
        out,
        "Severity:  {} (a policy may override it)",
        meta.severity
    );
    let _ = writeln!(out, "Resource:  {}", meta.resource);
    let _ = write!(out, "\nWhy\n{}", indent(&meta.rationale));
    let _ = write!(out, "\nHow to fix\n{}", indent(&meta.remediation));
    out.push_str("\nReferences\n");
    if meta.references.is_empty() {
        out.push_str("  (none)\n");
    }
    for reference in &meta.references {
        let _ = write!(out, "  {} {}", reference.framework, reference.id);
        if let Some(url) = &reference.url {
            let _ = write!(out, " <{url}>");
        }
        out.push('\n');
    }
    out.push_str("\nParameters\n");
    if meta.parameters.is_empty() {
        out.push_str("  (none)\n");
    }
    for (name, spec) in &meta.parameters {
        let _ = writeln!(
            out,
            "  {name} ({}, default {}): {}",
            spec.kind.describe(),
            value(&spec.default),
            spec.description
        );
    }
    let _ = write!(
        out,
        "\nIn tenet.toml\n  [controls.\"{}\"]\n  enabled = true\n  severity = \"{}\"\n",
        meta.id, meta.severity
    );
    for (name, spec) in &meta.parameters {
        let _ = writeln!(out, "  {name} = {}", value(&spec.default));
    }
    out
}
