//! `aws.rds.backups`: every RDS instance keeps automated backups at least
//! `min_retention_days`.

use serde::Deserialize;

use super::rds_common::{each_db_instance, instance_resource};
use crate::{Context, Outcome, support::parameter_error};

/// The control's parameters (defaults in its metadata file).
#[derive(Debug, Deserialize)]
struct Params {
    /// Days automated backups are kept at least.
    min_retention_days: u32,
}

/// One outcome per instance.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Params = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let min = params.min_retention_days;
    each_db_instance(cx, |_, _, instance, out| {
        let resource = instance_resource(instance);
        let days = instance.backup_retention_days;
        out.push(
            if days == 0 {
                Outcome::fail(
                    resource,
                    format!("{} has automated backups off", instance.id),
                )
            } else if days < min {
                Outcome::fail(
                    resource,
                    format!(
                        "{} keeps automated backups {days} days (at least {min})",
                        instance.id
                    ),
                )
            } else {
                Outcome::pass(
                    resource,
                    format!("{} keeps automated backups {days} days", instance.id),
                )
            }
            .with("backup_retention_days", days),
        );
    })
}
