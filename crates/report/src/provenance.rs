//! Who collected the snapshot, from what, and in which run: the header rows
//! an auditor reads first, written once for every human format as words
//! and names ([`Part`]), which each format escapes its own way.

use std::collections::BTreeSet;

use tenet_engine::{AwsReader, GithubCredential, GithubReader, RegionsRead, SnapshotInfo};

use crate::text::shown;

/// A piece of a header value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// Words.
    Text(String),
    /// A name, shown as code.
    Code(String),
    /// A link.
    Link(String),
}

/// One header row: its label and value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Row {
    /// `Collected` or `Run`.
    pub label: &'static str,
    /// The value.
    pub parts: Vec<Part>,
}

/// The rows of `snapshot`: one per organization and account whose reader
/// or regions it records, then the run's. `brief` counts an App's
/// permissions rather than listing them.
pub(crate) fn rows(snapshot: &SnapshotInfo, brief: bool) -> Vec<Row> {
    let mut rows = Vec::new();
    for (login, reader) in &snapshot.github_readers {
        let mut parts = vec![text("GitHub "), code(login), text(": ")];
        github(&mut parts, reader, brief);
        rows.push(Row {
            label: "Collected",
            parts,
        });
    }
    let accounts: BTreeSet<&String> = snapshot
        .aws_readers
        .keys()
        .chain(snapshot.aws_regions.keys())
        .collect();
    for id in accounts {
        let reader = snapshot.aws_readers.get(id);
        let regions = snapshot.aws_regions.get(id);
        // A snapshot that records neither says nothing worth a row: the
        // regions of an account not reached are its controls' errors.
        if reader.is_none() && regions.is_none_or(|regions| regions.names.is_err()) {
            continue;
        }
        let mut parts = vec![text("AWS "), code(id)];
        if let Some(name) = snapshot.aws_account_names.get(id) {
            parts.push(text(&format!(" ({name})")));
        }
        parts.push(text(": "));
        if let Some(reader) = reader {
            aws(&mut parts, reader);
        }
        if let Some(regions) = regions {
            if reader.is_some() {
                parts.push(text("; "));
            }
            aws_regions(&mut parts, regions);
        }
        rows.push(Row {
            label: "Collected",
            parts,
        });
    }
    if let Some(run) = &snapshot.run {
        let mut parts = Vec::new();
        if let Some(label) = &run.label {
            parts.push(text(label));
        }
        if let Some(ci) = &run.github_actions {
            if !parts.is_empty() {
                parts.push(text(" · "));
            }
            parts.push(text("GitHub Actions run"));
            if let Some(url) = &ci.url {
                parts.push(text(" "));
                parts.push(Part::Link(shown(url)));
            }
            let facts = [
                ("workflow ", &ci.workflow),
                ("by ", &ci.actor),
                ("at commit ", &ci.commit),
                ("on ", &ci.git_ref),
            ];
            for (words, value) in facts {
                if let Some(value) = value {
                    parts.push(text(&format!(", {words}")));
                    parts.push(code(value));
                }
            }
        }
        rows.push(Row {
            label: "Run",
            parts,
        });
    }
    rows
}

// Every text is made visible: most of it comes from the systems read.
fn text(words: &str) -> Part {
    Part::Text(shown(words))
}

fn code(name: &str) -> Part {
    Part::Code(shown(name))
}

/// `name`s as code, between commas.
fn names<'a>(parts: &mut Vec<Part>, names: impl IntoIterator<Item = &'a String>) {
    for (index, name) in names.into_iter().enumerate() {
        if index > 0 {
            parts.push(text(", "));
        }
        parts.push(code(name));
    }
}

fn github(parts: &mut Vec<Part>, reader: &GithubReader, brief: bool) {
    match reader.credential {
        GithubCredential::App => {
            parts.push(text("GitHub App "));
            match (reader.app_id, reader.installation_id) {
                (Some(app), Some(installation)) => {
                    parts.push(code(&app.to_string()));
                    parts.push(text(", installation "));
                    parts.push(code(&installation.to_string()));
                }
                _ => parts.push(text("(installation not recorded)")),
            }
            if let Some(selection) = &reader.repository_selection {
                parts.push(text(&match selection.as_str() {
                    "all" => " on all repositories".to_owned(),
                    "selected" => " on selected repositories".to_owned(),
                    other => format!(" (repository selection {other})"),
                }));
            }
        }
        kind => {
            parts.push(text(&format!("{} ", kind.words())));
            match reader.user.as_ref().map(|user| user.as_result()) {
                Some(Ok(login)) => {
                    parts.push(text("of "));
                    parts.push(code(login));
                }
                Some(Err(reason)) => parts.push(text(&format!("of a user not read ({reason})"))),
                None => {}
            }
        }
    }
    if let Some(scopes) = &reader.scopes {
        if scopes.is_empty() {
            parts.push(text("; no scopes"));
        } else {
            parts.push(text("; scopes "));
            names(parts, scopes);
        }
    }
    let granted = reader.permissions.len();
    if brief && granted > 0 {
        parts.push(text(&format!(
            "; {granted} permission{} (listed in the JSON report)",
            if granted == 1 { "" } else { "s" }
        )));
    } else if granted > 0 {
        parts.push(text("; permissions "));
        let granted: Vec<String> = reader
            .permissions
            .iter()
            .map(|(permission, level)| format!("{permission}: {level}"))
            .collect();
        names(parts, &granted);
    }
}

fn aws(parts: &mut Vec<Part>, reader: &AwsReader) {
    match &reader.assumed_role {
        Some(role) => {
            parts.push(text("role "));
            parts.push(code(role));
            parts.push(text(" assumed by "));
            parts.push(code(&reader.caller_arn));
        }
        None => parts.push(code(&reader.caller_arn)),
    }
}

fn aws_regions(parts: &mut Vec<Part>, regions: &RegionsRead) {
    match &regions.names {
        Ok(names_read) if names_read.is_empty() => parts.push(text("no region read")),
        Ok(names_read) => {
            parts.push(text("regions "));
            names(parts, names_read);
            parts.push(text(if regions.every_enabled {
                " (every region enabled in the account)"
            } else {
                " (the policy's regions)"
            }));
        }
        Err(reason) => parts.push(text(&format!("regions not listed ({reason})"))),
    }
}

/// `parts` as plain text, for the terminal.
pub(crate) fn plain(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|part| match part {
            Part::Text(text) | Part::Code(text) | Part::Link(text) => text.as_str(),
        })
        .collect()
}

/// `parts` in Markdown.
pub(crate) fn markdown(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|part| match part {
            Part::Text(text) => crate::text::markdown(text),
            Part::Code(name) => crate::text::markdown_code(name),
            // GitHub links a bare URL; escaped like any text.
            Part::Link(url) => crate::text::markdown(url),
        })
        .collect()
}
