//! `aws.rds.encrypted`: every RDS instance encrypts its storage.

use super::rds_common::{each_db_instance, instance_resource};
use crate::{Context, Outcome};

/// One outcome per instance.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_db_instance(cx, |_, _, instance, out| {
        let resource = instance_resource(instance);
        out.push(if instance.storage_encrypted {
            Outcome::pass(
                resource,
                format!("{} ({}) encrypts its storage", instance.id, instance.engine),
            )
        } else {
            Outcome::fail(
                resource,
                format!(
                    "{} ({}) stores its data, backups and snapshots unencrypted",
                    instance.id, instance.engine
                ),
            )
        });
    })
}
