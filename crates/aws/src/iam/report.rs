//! The IAM credential report: console access, password use, MFA and access
//! keys of every user in one CSV (generate, poll, fetch, parse).

use std::{collections::HashMap, time::Duration};

use aws_sdk_iam::{Client, types::ReportStateType};
use chrono::{DateTime, Utc};
use tenet_inventory::{
    Observed,
    aws::{AccessKey, KeyStatus},
};

use crate::{convert::timestamp, error::reason};

/// One user's line of the report, each fact read separately so that one
/// unreadable cell costs only its own fact.
#[derive(Debug, PartialEq)]
pub(crate) struct Row {
    pub console_access: Observed<bool>,
    pub password_last_used: Observed<Option<DateTime<Utc>>>,
    pub mfa_active: Observed<bool>,
    pub access_keys: Observed<Vec<AccessKey>>,
}

/// The report: when AWS generated it, and its rows by user ARN.
#[derive(Debug, PartialEq)]
pub(crate) struct Report {
    pub generated: Option<DateTime<Utc>>,
    pub rows: HashMap<String, Row>,
}

/// How long to wait for AWS to generate the report.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ReportWait {
    /// The longest wait.
    pub max: Duration,
    /// Whether `max` is what was left of the collection's time limit.
    pub time_limited: bool,
}

/// Asks AWS to generate the report, waits until it is complete (at most
/// `wait.max`, polling with a doubling delay) and fetches it.
pub(crate) async fn fetch(client: &Client, wait: ReportWait) -> Result<Report, String> {
    let started = tokio::time::Instant::now();
    let mut delay = Duration::from_millis(200);
    loop {
        let state = client
            .generate_credential_report()
            .send()
            .await
            .map_err(|err| reason("iam:GenerateCredentialReport", &err))?;
        match state.state() {
            Some(ReportStateType::Complete) => break,
            Some(_) => {}
            None => {
                return Err("iam:GenerateCredentialReport answered without State".to_owned());
            }
        }
        if started.elapsed() + delay > wait.max {
            return Err(if wait.time_limited {
                "the credential report was not ready within the collection's time limit (--timeout)"
                    .to_owned()
            } else {
                format!(
                    "the credential report was not ready after {}s",
                    wait.max.as_secs()
                )
            });
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(5));
    }
    let report = client
        .get_credential_report()
        .send()
        .await
        .map_err(|err| reason("iam:GetCredentialReport", &err))?;
    let content = report
        .content()
        .ok_or("iam:GetCredentialReport returned no content")?;
    Ok(Report {
        generated: report.generated_time().and_then(timestamp),
        rows: parse(content.as_ref())?,
    })
}

/// The columns read, in the report's own names.
const COLUMNS: [&str; 11] = [
    "arn",
    "password_enabled",
    "password_last_used",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "user",
];

/// Parses the CSV into rows by ARN. The root user's row is skipped: its
/// facts come from `GetAccountSummary`.
pub(crate) fn parse(csv_bytes: &[u8]) -> Result<HashMap<String, Row>, String> {
    let mut reader = csv::Reader::from_reader(csv_bytes);
    let headers = reader
        .headers()
        .map_err(|err| format!("the credential report is not valid CSV: {err}"))?
        .clone();
    let mut index = [0; COLUMNS.len()];
    for (slot, column) in index.iter_mut().zip(COLUMNS) {
        *slot = headers
            .iter()
            .position(|header| header == column)
            .ok_or_else(|| format!("the credential report has no column {column}"))?;
    }
    let mut rows = HashMap::new();
    for record in reader.records() {
        let record =
            record.map_err(|err| format!("the credential report is not valid CSV: {err}"))?;
        let cell = |column: usize| record.get(index[column]).unwrap_or_default();
        if cell(10) == "<root_account>" {
            continue;
        }
        let user = cell(10);
        let row = Row {
            console_access: flag(user, COLUMNS[1], cell(1)),
            password_last_used: date(user, COLUMNS[2], cell(2)),
            mfa_active: flag(user, COLUMNS[3], cell(3)),
            access_keys: keys(
                user,
                [cell(4), cell(5), cell(6)],
                [cell(7), cell(8), cell(9)],
            ),
        };
        rows.insert(cell(0).to_owned(), row);
    }
    Ok(rows)
}

fn unreadable<T>(user: &str, column: &str, value: &str) -> Observed<T> {
    Observed::unavailable(format!(
        "the credential report has an unreadable {column} for {user}: {value:?}"
    ))
}

fn flag(user: &str, column: &str, value: &str) -> Observed<bool> {
    match value {
        "true" => Observed::Known(true),
        "false" => Observed::Known(false),
        _ => unreadable(user, column, value),
    }
}

/// A date cell: `N/A` (no password or key), `no_information` (never used,
/// or before AWS tracked use) and `not_supported` mean none.
fn date(user: &str, column: &str, value: &str) -> Observed<Option<DateTime<Utc>>> {
    match value {
        "N/A" | "no_information" | "not_supported" | "" => Observed::Known(None),
        _ => match DateTime::parse_from_rfc3339(value) {
            Ok(date) => Observed::Known(Some(date.with_timezone(&Utc))),
            Err(_) => unreadable(user, column, value),
        },
    }
}

/// The two access key slots: `[active, last_rotated, last_used_date]`. A
/// slot whose `last_rotated` is `N/A` holds no key.
fn keys(user: &str, first: [&str; 3], second: [&str; 3]) -> Observed<Vec<AccessKey>> {
    let mut keys = Vec::new();
    for (slot, [active, rotated, used]) in [(1, first), (2, second)] {
        let prefix = format!("access_key_{slot}");
        let created = match date(user, &format!("{prefix}_last_rotated"), rotated) {
            Observed::Known(Some(created)) => created,
            Observed::Known(None) => continue,
            Observed::Unavailable { reason } => return Observed::Unavailable { reason },
        };
        let status = match flag(user, &format!("{prefix}_active"), active) {
            Observed::Known(true) => KeyStatus::Active,
            Observed::Known(false) => KeyStatus::Inactive,
            Observed::Unavailable { reason } => return Observed::Unavailable { reason },
        };
        let last_used = match date(user, &format!("{prefix}_last_used_date"), used) {
            Observed::Known(last_used) => last_used,
            Observed::Unavailable { reason } => return Observed::Unavailable { reason },
        };
        keys.push(AccessKey {
            id: prefix,
            status,
            created,
            last_used,
        });
    }
    Observed::Known(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .map(|date| date.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn parses_every_kind_of_cell() {
        let csv = format!(
            "{HEADER}\n\
<root_account>,arn:aws:iam::111122223333:root,2020-01-01T00:00:00+00:00,not_supported,2024-01-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n\
alice,arn:aws:iam::111122223333:user/alice,2020-01-01T00:00:00+00:00,true,no_information,2020-01-01T00:00:00+00:00,N/A,false,true,2020-02-01T00:00:00+00:00,2024-03-01T10:00:00+00:00,us-east-1,iam,false,2021-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A\n\
bob,arn:aws:iam::111122223333:user/bob,2020-01-01T00:00:00+00:00,false,N/A,N/A,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n\
carol,arn:aws:iam::111122223333:user/carol,2020-01-01T00:00:00+00:00,maybe,yesterday,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
        );
        let rows = parse(csv.as_bytes()).unwrap_or_default();
        assert_eq!(rows.len(), 3, "the root row is skipped");
        assert_eq!(
            rows.get("arn:aws:iam::111122223333:user/alice"),
            Some(&Row {
                console_access: Observed::Known(true),
                password_last_used: Observed::Known(None),
                mfa_active: Observed::Known(false),
                access_keys: Observed::Known(vec![
                    AccessKey {
                        id: "access_key_1".into(),
                        status: KeyStatus::Active,
                        created: at("2020-02-01T00:00:00Z"),
                        last_used: Some(at("2024-03-01T10:00:00Z")),
                    },
                    AccessKey {
                        id: "access_key_2".into(),
                        status: KeyStatus::Inactive,
                        created: at("2021-01-01T00:00:00Z"),
                        last_used: None,
                    },
                ]),
            })
        );
        assert_eq!(
            rows.get("arn:aws:iam::111122223333:user/bob"),
            Some(&Row {
                console_access: Observed::Known(false),
                password_last_used: Observed::Known(None),
                mfa_active: Observed::Known(true),
                access_keys: Observed::Known(vec![]),
            })
        );
        assert_eq!(
            rows.get("arn:aws:iam::111122223333:user/carol"),
            Some(&Row {
                console_access: Observed::unavailable(
                    "the credential report has an unreadable password_enabled for carol: \"maybe\""
                ),
                password_last_used: Observed::unavailable(
                    "the credential report has an unreadable password_last_used for carol: \"yesterday\""
                ),
                mfa_active: Observed::Known(false),
                access_keys: Observed::Known(vec![]),
            })
        );
    }

    #[test]
    fn a_report_without_a_needed_column_is_refused() {
        assert_eq!(
            parse(b"user,arn\nalice,arn:aws:iam::111122223333:user/alice\n"),
            Err("the credential report has no column password_enabled".into())
        );
    }
}
