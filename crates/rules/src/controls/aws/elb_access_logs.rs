//! `aws.elb.access-logs`: the load balancers the policy names (the
//! `load_balancers` name globs) write access logs to S3, so every request
//! they served can be traced, to a bucket that keeps them at least
//! `min_retention_days`.

use serde::Deserialize;

use super::access_logs_common::{AccessLogs, judge};
use crate::{
    Context, Outcome, Resource,
    support::{Globs, each_account, known, parameter_error},
};

/// The control's parameters (defaults in its metadata file).
#[derive(Debug, Deserialize)]
struct Params {
    /// Name globs of the load balancers that must write access logs.
    load_balancers: Vec<String>,
    /// Days the bucket must keep the access logs.
    min_retention_days: u32,
}

/// One outcome per application or network load balancer the globs name.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    let params: Params = match cx.params.typed() {
        Ok(params) => params,
        Err(reason) => return parameter_error(&reason),
    };
    let named = Globs::new(&params.load_balancers);
    each_account(cx, |account, out| {
        let Some(balancers) = known(
            &account.load_balancers,
            out,
            || Resource::aws_account(&account.account_id),
            "the account's load balancers",
        ) else {
            return;
        };
        for balancer in balancers {
            if !named.is_match(&balancer.name) {
                continue;
            }
            let resource = Resource::new(balancer.arn.clone(), "load balancer");
            let name = &balancer.name;
            if balancer.kind == "gateway" {
                out.push(Outcome::skipped(
                    resource,
                    format!("{name} is a gateway load balancer, which has no access logs"),
                ));
                continue;
            }
            out.push(judge(
                resource,
                name,
                "writes access logs",
                format!("{name} has access logs off: the requests it serves leave no log"),
                &AccessLogs {
                    target: &balancer.access_logs,
                    retention_days: &balancer.access_log_retention_days,
                },
                params.min_retention_days,
            ));
        }
    })
}
