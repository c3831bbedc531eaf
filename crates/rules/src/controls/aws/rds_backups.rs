//! `aws.rds.backups`: every RDS database (instance or cluster) keeps automated backups at least
//! `min_retention_days`.

use serde::Deserialize;

use super::rds_common::each_database;
use crate::{Context, Outcome, support::parameter_error};

/// The control's parameters (defaults in its metadata file).
#[derive(Debug, Deserialize)]
struct Params {
    /// Days automated backups are kept at least.
    min_retention_days: u32,
}

/// One outcome per database judged on its own.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Params = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let min = params.min_retention_days;
    each_database(cx, |_, database, out| {
        let resource = database.resource();
        let days = database.backup_retention_days();
        out.push(
            if days == 0 {
                Outcome::fail(
                    resource,
                    format!("{} has automated backups off", database.id()),
                )
            } else if days < min {
                Outcome::fail(
                    resource,
                    format!(
                        "{} keeps automated backups {} (at least {min})",
                        database.id(),
                        days_text(days)
                    ),
                )
            } else {
                Outcome::pass(
                    resource,
                    format!(
                        "{} keeps automated backups {}",
                        database.id(),
                        days_text(days)
                    ),
                )
            }
            .with("backup_retention_days", days),
        );
    })
}

/// `1 day`, `7 days`.
fn days_text(days: u32) -> String {
    if days == 1 {
        "1 day".to_owned()
    } else {
        format!("{days} days")
    }
}
