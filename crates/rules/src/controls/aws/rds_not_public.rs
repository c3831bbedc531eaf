//! `aws.rds.not-public`: no RDS instance is publicly accessible.

use super::rds_common::{each_db_instance, instance_resource};
use crate::{Context, Outcome};

/// One outcome per instance.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_db_instance(cx, |_, _, instance, out| {
        let resource = instance_resource(instance);
        let outcome = if instance.publicly_accessible {
            Outcome::fail(
                resource,
                format!(
                    "{} ({}) is publicly accessible: it has a public address the internet can reach, \
                     as far as its security groups let it",
                    instance.id, instance.engine
                ),
            )
        } else {
            Outcome::pass(
                resource,
                format!(
                    "{} ({}) is reachable only from its VPC",
                    instance.id, instance.engine
                ),
            )
        };
        out.push(outcome.with("publicly_accessible", instance.publicly_accessible));
    })
}
