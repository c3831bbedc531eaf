//! `aws.dynamodb.pitr`: the DynamoDB tables the policy calls critical (the
//! `tables` name globs) have point-in-time recovery on.

use serde::Deserialize;
use tenet_inventory::Observed;

use crate::{
    Context, Outcome, Resource,
    support::{Globs, each_region, known, parameter_error},
};

/// The control's parameters (defaults in its metadata file).
#[derive(Debug, Deserialize)]
struct Params {
    /// Name globs of the tables that must have point-in-time recovery.
    tables: Vec<String>,
}

/// One outcome per table the `tables` globs name.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Params = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let critical = Globs::new(&params.tables);
    each_region(cx, |account, region, out| {
        let Some(tables) = known(
            &region.dynamodb_tables,
            out,
            || Resource::aws_account(&account.account_id),
            &format!("the DynamoDB tables of {}", region.name),
        ) else {
            return;
        };
        for table in tables.iter().filter(|table| critical.is_match(&table.name)) {
            let resource = Resource::new(
                format!(
                    "arn:aws:dynamodb:{}:{}:table/{}",
                    region.name, account.account_id, table.name
                ),
                "DynamoDB table",
            );
            out.push(match &table.point_in_time_recovery {
                Observed::Known(true) => Outcome::pass(
                    resource,
                    format!("{} has point-in-time recovery on", table.name),
                )
                .with("point_in_time_recovery", true),
                Observed::Known(false) => Outcome::fail(
                    resource,
                    format!(
                        "{} has point-in-time recovery off: it can be restored only from on-demand backups",
                        table.name
                    ),
                )
                .with("point_in_time_recovery", false),
                Observed::Unavailable { reason } => {
                    Outcome::unavailable(resource, "the table's point-in-time recovery", reason)
                }
            });
        }
    })
}
