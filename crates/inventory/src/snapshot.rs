//! The snapshot file: what one collection saw, versioned.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{aws::AwsAccount, collector::Run, github::GithubOrg, strict::Strict};

/// The snapshot format version this build reads and writes. A snapshot with
/// another version is refused rather than misread.
pub const SCHEMA_VERSION: u32 = 2;

/// Everything one collection saw, the input of every evaluation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Format version, [`SCHEMA_VERSION`] for snapshots this build writes.
    pub schema_version: u32,
    /// Version of the tenet that collected the snapshot.
    pub tenet_version: String,
    /// When the collection started (UTC). Evaluations default to this date.
    pub collected_at: DateTime<Utc>,
    /// What the collection was asked to read.
    pub scope: Scope,
    /// The audit period whose events (changes merged) were read; `None` in
    /// a snapshot that read none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// The run that collected it, when one was recorded (`--run-label`, or
    /// GitHub Actions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<Run>,
    /// GitHub organizations, sorted by login.
    pub github: Vec<GithubOrg>,
    /// AWS accounts, sorted by account id.
    pub aws: Vec<AwsAccount>,
}

/// What a collection was asked to read. An organization or account listed here
/// but missing from the snapshot was not collected, and every control about it
/// is an error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// GitHub organization logins.
    pub github_orgs: Vec<String>,
    /// AWS account ids.
    pub aws_accounts: Vec<String>,
}

/// An audit period: whole days in UTC, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
}

impl Period {
    /// Days of the period before a collection on `day` when none is given.
    pub const DEFAULT_DAYS: u64 = 90;

    /// The period from `from` to `to`; `Err` says why it is not one.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, String> {
        if from > to {
            return Err(format!("the period starts on {from}, after its end {to}"));
        }
        Ok(Period { from, to })
    }

    /// The [`DEFAULT_DAYS`](Self::DEFAULT_DAYS) days before `day`, `day`
    /// included.
    pub fn before(day: NaiveDate) -> Period {
        let from = day
            .checked_sub_days(chrono::Days::new(Self::DEFAULT_DAYS - 1))
            .unwrap_or(day);
        Period { from, to: day }
    }

    /// The first instant of the period.
    pub fn start(&self) -> DateTime<Utc> {
        self.from.and_time(NaiveTime::MIN).and_utc()
    }

    /// The first instant after the period.
    pub fn end(&self) -> DateTime<Utc> {
        self.to.succ_opt().map_or(DateTime::<Utc>::MAX_UTC, |day| {
            day.and_time(NaiveTime::MIN).and_utc()
        })
    }

    /// Whether `instant` falls inside the period.
    pub fn contains(&self, instant: DateTime<Utc>) -> bool {
        self.start() <= instant && instant < self.end()
    }
}

/// Why a snapshot file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("{path}: cannot read snapshot")]
    Io {
        /// The snapshot file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid JSON, or not a valid snapshot.
    #[error("{path}:{line}:{column}: invalid snapshot: {message}")]
    Invalid {
        /// The snapshot file.
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The file is a snapshot of a format version this build does not read.
    #[error(
        "{path}: snapshot schema_version {found} is not supported (this tenet reads version {supported}); collect it again with this version of tenet"
    )]
    UnsupportedVersion {
        /// The snapshot file.
        path: PathBuf,
        /// The version the file declares.
        found: u64,
        /// The version this build reads.
        supported: u32,
    },
}

/// Just enough of a snapshot to read its version before the rest.
#[derive(Deserialize)]
struct VersionProbe {
    schema_version: Option<u64>,
}

impl Snapshot {
    /// Reads and validates a snapshot file.
    pub fn load(path: &Path) -> Result<Snapshot, LoadError> {
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
            path: path.to_owned(),
            source,
        })?;
        Snapshot::from_json(&text, path)
    }

    /// Parses a snapshot from JSON text; `origin` names it in errors.
    pub fn from_json(text: &str, origin: &Path) -> Result<Snapshot, LoadError> {
        let invalid = |err: serde_json::Error| LoadError::Invalid {
            path: origin.to_owned(),
            line: err.line(),
            column: err.column(),
            message: strip_position(&err.to_string()),
        };
        let probe: VersionProbe = serde_json::from_str(text).map_err(invalid)?;
        match probe.schema_version {
            Some(version) if version == u64::from(SCHEMA_VERSION) => {}
            Some(found) => {
                return Err(LoadError::UnsupportedVersion {
                    path: origin.to_owned(),
                    found,
                    supported: SCHEMA_VERSION,
                });
            }
            None => {
                return Err(LoadError::Invalid {
                    path: origin.to_owned(),
                    line: 1,
                    column: 1,
                    message: "missing field `schema_version`; is this a tenet snapshot?".into(),
                });
            }
        }
        // Read strictly: a struct given as an array is refused, never read
        // as the sequence of its fields.
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let snapshot = Snapshot::deserialize(Strict(&mut deserializer)).map_err(invalid)?;
        deserializer.end().map_err(invalid)?;
        Ok(snapshot)
    }

    /// The snapshot as pretty JSON, the format `tenet collect` writes.
    pub fn to_json(&self) -> String {
        // Serializing these plain types cannot fail: every map key is a string.
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}

/// serde_json appends " at line L column C" to its messages; the position is
/// shown separately, so drop it.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Snapshot, LoadError> {
        Snapshot::from_json(text, Path::new("snap.json"))
    }

    #[test]
    fn syntax_error_names_file_line_and_column() {
        let err = load("{\n  \"schema_version\": 1,\n  oops\n}").expect_err("invalid json");
        assert_eq!(
            err.to_string(),
            "snap.json:3:3: invalid snapshot: key must be a string"
        );
    }

    #[test]
    fn unknown_version_is_refused() {
        let err = load(r#"{"schema_version": 7}"#).expect_err("version 7");
        assert_eq!(
            err.to_string(),
            "snap.json: snapshot schema_version 7 is not supported (this tenet reads version 2); collect it again with this version of tenet"
        );
    }

    #[test]
    fn a_version_1_snapshot_is_refused_rather_than_read_without_its_conditions() {
        let err = load(r#"{"schema_version": 1}"#).expect_err("version 1");
        assert_eq!(
            err.to_string(),
            "snap.json: snapshot schema_version 1 is not supported (this tenet reads version 2); collect it again with this version of tenet"
        );
    }

    #[test]
    fn unknown_field_is_refused_with_position() {
        let text = r#"{"schema_version": 2, "tenet_version": "0.1.0",
  "collected_at": "2026-11-01T00:00:00Z", "scope": {"github_orgs": [], "aws_accounts": []}, "githb": []}"#;
        let err = load(text).expect_err("unknown field");
        assert_eq!(
            err.to_string(),
            "snap.json:2:99: invalid snapshot: unknown field `githb`, expected one of `schema_version`, `tenet_version`, `collected_at`, `scope`, `period`, `run`, `github`, `aws`"
        );
    }

    #[test]
    fn a_missing_list_is_refused_never_read_as_empty() {
        let text = r#"{"schema_version": 2, "tenet_version": "0.1.0",
  "collected_at": "2026-11-01T00:00:00Z", "scope": {"github_orgs": ["acme"], "aws_accounts": []}, "aws": []}"#;
        let err = load(text).expect_err("no github list");
        assert_eq!(
            err.to_string(),
            "snap.json:2:108: invalid snapshot: missing field `github`"
        );
    }

    #[test]
    fn a_struct_given_as_an_array_is_refused_with_its_position() {
        let head = r#"{"schema_version": 2, "tenet_version": "0.1.0",
  "collected_at": "2026-11-01T00:00:00Z", "scope": {"github_orgs": ["acme"], "aws_accounts": []},
  "aws": [], "github": [{"login": "acme", "#;
        let cases = [
            (
                r#""settings": []}]}"#,
                "snap.json:3:56: invalid snapshot: invalid type: sequence, expected struct OrgSettings",
            ),
            (
                r#""members": {"unavailable": ["r"]}}]}"#,
                "snap.json:3:70: invalid snapshot: invalid type: sequence, expected struct variant Observed::Unavailable",
            ),
            (
                r#""repositories": {"known": [["api"]]}}]}"#,
                "snap.json:3:70: invalid snapshot: invalid type: sequence, expected struct Repository",
            ),
        ];
        for (tail, message) in cases {
            let err = load(&format!("{head}{tail}")).expect_err(tail);
            assert_eq!(err.to_string(), message, "{tail}");
        }
        // The same snapshot with objects loads.
        load(&format!("{head}\"settings\": {{}}}}]}}")).expect("objects load");
    }

    #[test]
    fn trailing_text_after_the_snapshot_is_refused() {
        let text = r#"{"schema_version": 2, "tenet_version": "0.1.0",
  "collected_at": "2026-11-01T00:00:00Z", "scope": {"github_orgs": [], "aws_accounts": []},
  "github": [], "aws": []} {}"#;
        let err = load(text).expect_err("trailing characters");
        assert_eq!(
            err.to_string(),
            "snap.json:3:28: invalid snapshot: trailing characters"
        );
    }

    #[test]
    fn minimal_snapshot_round_trips() {
        let text = r#"{"schema_version": 2, "tenet_version": "0.1.0",
  "collected_at": "2026-11-01T00:00:00Z", "scope": {"github_orgs": ["acme"], "aws_accounts": []},
  "github": [], "aws": []}"#;
        let snapshot = load(text).expect("valid snapshot");
        let again = load(&snapshot.to_json()).expect("round trip");
        assert_eq!(snapshot, again);
    }
}
