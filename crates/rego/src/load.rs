//! Reading the custom controls of some directories: every `<id>.toml` with
//! its `<id>.rego`, and every problem of them at once.

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt,
    path::{Path, PathBuf},
    sync::Arc,
};

use tenet_rules::{Check, Control, ControlMeta, catalog};

use crate::{KINDS, check::RegoCheck};

/// A problem of a custom control, with the file (and place in it) it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, or the directory, the problem is in.
    pub path: PathBuf,
    /// `line:column` in the file, when the problem has one place.
    pub place: Option<(usize, usize)>,
    /// What is wrong, and how to fix it. May span lines (a snippet).
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.place {
            Some((line, column)) => {
                write!(
                    f,
                    "{}:{line}:{column}: {}",
                    self.path.display(),
                    self.message
                )
            }
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl Diagnostic {
    pub(crate) fn new(path: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            path: path.to_owned(),
            place: None,
            message: message.into(),
        }
    }
}

/// The custom controls of `dirs`, sorted by id; or every problem found in
/// them (unpaired files, metadata errors, Rego syntax errors, ids that are
/// not `custom.*`, that repeat or that shadow a built-in control,
/// parameters used but not declared), sorted by file.
pub fn load(dirs: &[PathBuf]) -> Result<Vec<Control>, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut controls: BTreeMap<String, (PathBuf, Control)> = BTreeMap::new();
    for dir in dirs {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(err) => {
                diagnostics.push(Diagnostic::new(
                    dir,
                    format!("cannot read the directory of custom controls: {err}"),
                ));
                continue;
            }
        };
        let mut stems: BTreeMap<String, (bool, bool)> = BTreeMap::new();
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            let (Some(stem), Some(extension)) = (
                path.file_stem().and_then(|s| s.to_str()),
                path.extension().and_then(|e| e.to_str()),
            ) else {
                continue;
            };
            // Tests of the rules (`*_test.rego`) are `tenet test`'s.
            if stem.ends_with("_test") {
                continue;
            }
            let pair = stems.entry(stem.to_owned()).or_default();
            match extension {
                "toml" => pair.0 = true,
                "rego" => pair.1 = true,
                _ => {}
            }
        }
        for (stem, pair) in stems {
            let toml = dir.join(format!("{stem}.toml"));
            let rego = dir.join(format!("{stem}.rego"));
            match pair {
                (true, true) => match control(&toml, &rego, &stem) {
                    Ok(control) => {
                        let id = control.meta.id.clone();
                        if let Some((first, _)) = controls.get(&id) {
                            diagnostics.push(Diagnostic::new(
                                &toml,
                                format!("the id `{id}` is already the id of {}", first.display()),
                            ));
                        } else {
                            controls.insert(id, (toml, control));
                        }
                    }
                    Err(mut found) => diagnostics.append(&mut found),
                },
                (true, false) => diagnostics.push(Diagnostic::new(
                    &toml,
                    format!(
                        "a custom control's metadata without its module: add {}",
                        rego.display()
                    ),
                )),
                (false, true) => diagnostics.push(Diagnostic::new(
                    &rego,
                    format!(
                        "a custom control's module without its metadata: add {}",
                        toml.display()
                    ),
                )),
                (false, false) => {}
            }
        }
    }
    if diagnostics.is_empty() {
        Ok(controls.into_values().map(|(_, control)| control).collect())
    } else {
        diagnostics.sort_by(|a, b| (&a.path, a.place).cmp(&(&b.path, b.place)));
        Err(diagnostics)
    }
}

/// The control of one pair of files named `stem`.
fn control(toml: &Path, rego: &Path, stem: &str) -> Result<Control, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let meta = read(toml).and_then(|text| metadata(toml, &text, stem));
    let module = read(rego);
    let meta = match meta {
        Ok(meta) => Some(meta),
        Err(mut found) => {
            diagnostics.append(&mut found);
            None
        }
    };
    let module = match module {
        Ok(module) => Some(module),
        Err(mut found) => {
            diagnostics.append(&mut found);
            None
        }
    };
    if let (Some(meta), Some(module)) = (meta, module) {
        diagnostics.extend(undeclared_params(rego, &module, &meta));
        match RegoCheck::new(rego, &module, &meta.resource) {
            Ok(check) if diagnostics.is_empty() => {
                return Ok(Control {
                    meta,
                    check: Check::Custom(Arc::new(check)),
                });
            }
            Ok(_) => {}
            Err(message) => diagnostics.push(rego_diagnostic(rego, &message)),
        }
    }
    Err(diagnostics)
}

fn read(path: &Path) -> Result<String, Vec<Diagnostic>> {
    std::fs::read_to_string(path)
        .map_err(|err| vec![Diagnostic::new(path, format!("cannot read it: {err}"))])
}

/// The metadata of `<stem>.toml`, checked: the id is `custom.*`, names the
/// file, is not a built-in id, and the resource kind is one tenet lists.
fn metadata(path: &Path, text: &str, stem: &str) -> Result<ControlMeta, Vec<Diagnostic>> {
    let meta: ControlMeta = toml::from_str(text).map_err(|err| {
        let place = err.span().map(|span| line_column(text, span.start));
        vec![Diagnostic {
            path: path.to_owned(),
            place,
            message: err.message().trim().to_owned(),
        }]
    })?;
    let mut diagnostics = Vec::new();
    let id_place = text
        .find(&format!("\"{}\"", meta.id))
        .map(|offset| line_column(text, offset));
    let mut at_id = |message: String| {
        diagnostics.push(Diagnostic {
            path: path.to_owned(),
            place: id_place,
            message,
        });
    };
    if !meta.id.starts_with("custom.") || meta.id.len() <= "custom.".len() {
        at_id(format!(
            "the id `{}` must start with `custom.` (e.g. `custom.{}`), so that it can never be a built-in control's",
            meta.id,
            meta.id.trim_start_matches('.')
        ));
    } else if meta.id != stem {
        at_id(format!(
            "the id `{}` must be the file's name: rename the file to {}.toml, or set id = \"{stem}\"",
            meta.id, meta.id
        ));
    }
    if catalog().get(&meta.id).is_some() {
        at_id(format!("`{}` is a built-in control's id", meta.id));
    }
    if !KINDS.contains(&meta.resource.as_str()) {
        let place = text
            .find(&format!("\"{}\"", meta.resource))
            .map(|offset| line_column(text, offset));
        diagnostics.push(Diagnostic {
            path: path.to_owned(),
            place,
            message: format!(
                "unknown resource kind `{}`: a custom control is about one of {}",
                meta.resource,
                KINDS.map(|kind| format!("`{kind}`")).join(", ")
            ),
        });
    }
    if diagnostics.is_empty() {
        Ok(meta)
    } else {
        Err(diagnostics)
    }
}

/// `data.params.NAME` references of `module` that `meta` does not declare.
fn undeclared_params(path: &Path, module: &str, meta: &ControlMeta) -> Vec<Diagnostic> {
    let mut seen = BTreeSet::new();
    let mut diagnostics = Vec::new();
    for (offset, _) in module.match_indices("data.params.") {
        let line_start = module[..offset].rfind('\n').map_or(0, |i| i + 1);
        if module[line_start..offset].contains('#') {
            continue;
        }
        let name: String = module[offset + "data.params.".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() && !meta.parameters.contains_key(&name) && seen.insert(name.clone()) {
            diagnostics.push(Diagnostic {
                path: path.to_owned(),
                place: Some(line_column(module, offset)),
                message: format!(
                    "the parameter `{name}` is used but not declared: add [parameters.{name}] to the control's metadata"
                ),
            });
        }
    }
    diagnostics
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before.len(), |i| before.len() - i - 1)
        + 1;
    (line, column)
}

/// A diagnostic of regorus's message, which reads `--> FILE:LINE:COL`, a
/// snippet, then `error: WHAT`: placed, with the snippet kept below.
pub(crate) fn rego_diagnostic(path: &Path, message: &str) -> Diagnostic {
    let place = message.lines().find_map(|line| {
        let location = line.trim().strip_prefix("--> ")?;
        let mut parts = location.rsplitn(3, ':');
        let column = parts.next()?.parse().ok()?;
        let line = parts.next()?.parse().ok()?;
        Some((line, column))
    });
    let what = message
        .lines()
        .filter_map(|line| line.strip_prefix("error: "))
        .collect::<Vec<_>>()
        .join("; ");
    let snippet: Vec<&str> = message.lines().filter(|line| line.contains('|')).collect();
    let message = match (what.is_empty(), snippet.is_empty()) {
        (true, _) => message.trim().to_owned(),
        (false, true) => what,
        (false, false) => format!("{what}\n{}", snippet.join("\n")),
    };
    Diagnostic {
        path: path.to_owned(),
        place,
        message,
    }
}
