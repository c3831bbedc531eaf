//! The access roster ([`tenet_rules::access`]) for readers: facts in
//! words, the counts per kind, and the CSV export of the whole population
//! (`--format csv --population access`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use tenet_engine::Report;
use tenet_rules::access::{Entry, EntryKind, Fact, Roster};

/// The header row of the access CSV.
pub const HEADER: [&str; 11] = [
    "system",
    "kind",
    "id",
    "name",
    "administrator",
    "mfa",
    "console",
    "active_keys",
    "last_used",
    "grants",
    "note",
];

/// A yes/no fact in words: `yes`, `no`, `unknown: REASON`.
pub(crate) fn yes_no(fact: &Fact<bool>) -> String {
    match fact {
        Fact::Known(true) => "yes".to_owned(),
        Fact::Known(false) => "no".to_owned(),
        Fact::Unknown(reason) => format!("unknown: {reason}"),
    }
}

/// A count in words: `2`, `unknown: REASON`.
pub(crate) fn count(fact: &Fact<u32>) -> String {
    match fact {
        Fact::Known(n) => n.to_string(),
        Fact::Unknown(reason) => format!("unknown: {reason}"),
    }
}

/// A last use in words: its date, `never`, `unknown: REASON`.
pub(crate) fn last_used(fact: &Fact<Option<DateTime<Utc>>>) -> String {
    match fact {
        Fact::Known(Some(when)) => when.format("%Y-%m-%d").to_string(),
        Fact::Known(None) => "never".to_owned(),
        Fact::Unknown(reason) => format!("unknown: {reason}"),
    }
}

/// What an entry reaches, for a reader: the first
/// [`EVIDENCE_ITEMS`](crate::evidence::EVIDENCE_ITEMS), then how many more
/// (the CSV and JSON list every one).
pub(crate) fn grants(entry: &Entry) -> String {
    let shown = crate::evidence::EVIDENCE_ITEMS;
    let mut parts: Vec<String> = entry.grants.iter().take(shown).cloned().collect();
    if entry.grants.len() > shown {
        parts.push(format!(
            "and {} more (the CSV lists every one)",
            entry.grants.len() - shown
        ));
    }
    parts.join(", ")
}

/// An optional fact in words, empty where it does not apply.
pub(crate) fn cell<T>(fact: Option<&Fact<T>>, words: impl Fn(&Fact<T>) -> String) -> String {
    fact.map(words).unwrap_or_default()
}

/// An optional fact for a table cell: as [`cell`], but an unknown one is
/// just `unknown`; [`unknowns`] gives the reasons once, under the table.
pub(crate) fn short<T>(fact: Option<&Fact<T>>, words: impl Fn(&Fact<T>) -> String) -> String {
    match fact {
        Some(Fact::Unknown(_)) => "unknown".to_owned(),
        other => cell(other, words),
    }
}

/// The facts of `entries` that could not be read, one line per entry and
/// reason: `root: MFA, active keys: AccessDenied: …`.
pub(crate) fn unknowns(entries: &[&Entry]) -> Vec<String> {
    let mut lines = Vec::new();
    for entry in entries {
        let facts: [(&str, Option<&String>); 5] = [
            ("administrator", reason(Some(&entry.administrator))),
            ("MFA", reason(entry.mfa.as_ref())),
            ("console", reason(entry.console.as_ref())),
            ("active keys", reason(entry.active_keys.as_ref())),
            ("last used", reason(entry.last_used.as_ref())),
        ];
        let mut by_reason: Vec<(&String, Vec<&str>)> = Vec::new();
        for (name, why) in facts {
            let Some(why) = why else { continue };
            match by_reason.iter_mut().find(|(r, _)| *r == why) {
                Some((_, names)) => names.push(name),
                None => by_reason.push((why, vec![name])),
            }
        }
        for (why, names) in by_reason {
            lines.push(format!("{}: {}: {why}", entry.name, names.join(", ")));
        }
    }
    lines
}

/// Why a fact is unknown, when it is.
fn reason<T>(fact: Option<&Fact<T>>) -> Option<&String> {
    match fact {
        Some(Fact::Unknown(reason)) => Some(reason),
        _ => None,
    }
}

/// The roster's entries per system, in order.
pub(crate) fn by_system(roster: &Roster) -> Vec<(&str, Vec<&Entry>)> {
    let mut systems: Vec<(&str, Vec<&Entry>)> = Vec::new();
    for entry in &roster.entries {
        match systems
            .iter_mut()
            .find(|(system, _)| *system == entry.system)
        {
            Some((_, entries)) => entries.push(entry),
            None => systems.push((&entry.system, vec![entry])),
        }
    }
    systems
}

/// How many entries of each kind, and how many of them administer, in one
/// line: `3 organization members (1 owner) …`.
pub(crate) fn counts(roster: &Roster) -> String {
    let mut kinds: BTreeMap<EntryKind, (usize, usize)> = BTreeMap::new();
    for entry in &roster.entries {
        let (all, admins) = kinds.entry(entry.kind).or_default();
        *all += 1;
        if entry.administrator == Fact::Known(true) {
            *admins += 1;
        }
    }
    let parts: Vec<String> = kinds
        .iter()
        .map(|(kind, (all, admins))| match kind {
            EntryKind::IamUser if *admins == 1 => {
                format!("{all} {} (1 administrator)", plural(*kind, *all))
            }
            EntryKind::IamUser if *admins > 1 => {
                format!("{all} {} ({admins} administrators)", plural(*kind, *all))
            }
            _ => format!("{all} {}", plural(*kind, *all)),
        })
        .collect();
    if parts.is_empty() {
        "nobody".to_owned()
    } else {
        parts.join(", ")
    }
}

/// The kind in words, plural when `n` is not 1.
fn plural(kind: EntryKind, n: usize) -> String {
    let one = kind.as_str();
    if n == 1 {
        one.to_owned()
    } else {
        format!("{one}s")
    }
}

/// The access roster as CSV: one row per entry, then one per gap (kind
/// `not read`); every cell kept from starting a spreadsheet formula. `None`
/// when the report has no roster (one read back from an older tenet).
pub fn csv(report: &Report) -> Option<String> {
    let report = &crate::text::report(report);
    let roster = report.access.as_ref()?;
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let mut write = |cells: [String; 11]| {
        // Writing to memory cannot fail; an error would leave the row out.
        let _ = writer.write_record(cells.map(|cell| crate::text::csv_cell(&cell)));
    };
    write(HEADER.map(str::to_owned));
    for entry in &roster.entries {
        write([
            entry.system.clone(),
            entry.kind.as_str().to_owned(),
            entry.id.clone(),
            entry.name.clone(),
            yes_no(&entry.administrator),
            cell(entry.mfa.as_ref(), yes_no),
            cell(entry.console.as_ref(), yes_no),
            cell(entry.active_keys.as_ref(), count),
            cell(entry.last_used.as_ref(), last_used),
            entry.grants.join("; "),
            String::new(),
        ]);
    }
    for gap in &roster.gaps {
        write([
            gap.system.clone(),
            "not read".to_owned(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            format!("{}: {}", gap.what, gap.reason),
        ]);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    Some(crate::text::guard_lines(
        String::from_utf8(bytes).unwrap_or_default(),
    ))
}
