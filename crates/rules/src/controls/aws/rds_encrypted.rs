//! `aws.rds.encrypted`: every RDS database (instance or cluster) encrypts
//! its storage.

use super::rds_common::each_database;
use crate::{Context, Outcome};

/// One outcome per database judged on its own.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_database(cx, |_, database, out| {
        let resource = database.resource();
        let encrypted = database.storage_encrypted();
        let outcome = if encrypted {
            Outcome::pass(
                resource,
                format!(
                    "{} ({}) encrypts its storage",
                    database.id(),
                    database.engine()
                ),
            )
        } else {
            Outcome::fail(
                resource,
                format!(
                    "{} ({}) stores its data, backups and snapshots unencrypted",
                    database.id(),
                    database.engine()
                ),
            )
        };
        out.push(outcome.with("storage_encrypted", encrypted));
    })
}
