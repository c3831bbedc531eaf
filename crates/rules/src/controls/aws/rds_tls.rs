//! `aws.rds.tls`: every RDS database (instance or cluster) refuses
//! connections without TLS, through the parameter of its engine in its
//! parameter group: `rds.force_ssl` (PostgreSQL, SQL Server) or
//! `require_secure_transport` (MySQL, MariaDB).

use tenet_inventory::{
    Observed,
    aws::{AwsRegion, DbParameterGroup},
};

use super::rds_common::{Database, each_database};
use crate::{Context, Outcome};

/// One outcome per database judged on its own.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_database(cx, |region, database, out| {
        out.push(judge(region, database));
    })
}

/// The parameter that makes `engine` refuse connections without TLS, and
/// the values that turn it on; `None` for an engine tenet does not judge
/// (Oracle and Db2 configure TLS in option groups and listeners, DocumentDB
/// and Neptune in their own parameters).
fn tls_parameter(engine: &str) -> Option<(&'static str, &'static [&'static str])> {
    match engine {
        "postgres" | "aurora-postgresql" => Some(("rds.force_ssl", &["1"])),
        "mysql" | "mariadb" | "aurora-mysql" | "aurora" => {
            Some(("require_secure_transport", &["1", "ON"]))
        }
        engine if engine.starts_with("sqlserver-") => Some(("rds.force_ssl", &["1"])),
        _ => None,
    }
}

/// The values that turn a TLS parameter off.
const OFF: [&str; 2] = ["0", "OFF"];

/// The verdict for one database.
fn judge(region: &AwsRegion, database: Database<'_>) -> Outcome {
    let resource = database.resource();
    let fact = format!("whether {} requires TLS", database.id());
    let Some((parameter, on)) = tls_parameter(database.engine()) else {
        return Outcome::unavailable(
            resource,
            &fact,
            &format!(
                "tenet does not know the setting that requires TLS on the engine `{}`",
                database.engine()
            ),
        );
    };
    // The group that decides, the list it is read from, and where it is
    // applied with what status.
    let (name, groups, statuses): (&str, _, Vec<(&str, &str)>) = match database {
        Database::Instance(instance) => {
            let applied = match &instance.parameter_groups {
                Observed::Known(applied) => applied,
                Observed::Unavailable { reason } => {
                    return Outcome::unavailable(resource, &fact, reason);
                }
            };
            let [group] = applied.as_slice() else {
                return Outcome::unavailable(
                    resource,
                    &fact,
                    &format!(
                        "rds:DescribeDBInstances listed {} parameter groups for {}, not one",
                        applied.len(),
                        instance.id
                    ),
                );
            };
            (
                group.name.as_str(),
                &region.db_parameter_groups,
                vec![(instance.id.as_str(), group.apply_status.as_str())],
            )
        }
        Database::Cluster(cluster) => (
            cluster.parameter_group.as_str(),
            &region.db_cluster_parameter_groups,
            cluster
                .members
                .iter()
                .map(|member| {
                    (
                        member.instance.as_str(),
                        member.parameter_group_status.as_str(),
                    )
                })
                .collect(),
        ),
    };
    let group = match find(groups, name) {
        Ok(group) => group,
        Err(reason) => return Outcome::unavailable(resource, &fact, &reason),
    };
    let parameters = match &group.tls_parameters {
        Observed::Known(parameters) => parameters,
        Observed::Unavailable { reason } => {
            return Outcome::unavailable(resource, &fact, reason);
        }
    };
    let outcome = match parameters.get(parameter) {
        None => Outcome::unavailable(
            resource,
            &fact,
            &format!("the parameter group {name} does not list {parameter}"),
        ),
        Some(setting) => match setting.value.as_deref() {
            None => Outcome::unavailable(
                resource,
                &fact,
                &format!(
                    "the parameter group {name} leaves {parameter} to the engine's default, \
                     which depends on the engine version; set it explicitly"
                ),
            ),
            Some(value) if OFF.iter().any(|off| value.eq_ignore_ascii_case(off)) => Outcome::fail(
                resource,
                format!(
                    "{} accepts connections without TLS: {parameter} is {value} in its \
                         parameter group {name}",
                    database.id()
                ),
            ),
            Some(value) if on.iter().any(|on| value.eq_ignore_ascii_case(on)) => {
                let dynamic = setting.apply_type.as_deref() == Some("dynamic");
                match statuses.iter().find(|(_, status)| {
                    *status != "in-sync" && !(dynamic && *status == "pending-reboot")
                }) {
                    Some((instance, status)) => Outcome::unavailable(
                        resource,
                        &fact,
                        &format!(
                            "the parameter group {name} sets {parameter} to {value}, but its \
                             values are `{status}` on {}, so they may not apply yet",
                            applied_to(database, instance)
                        ),
                    ),
                    None => Outcome::pass(
                        resource,
                        format!(
                            "{} refuses connections without TLS: {parameter} is {value} in its \
                             parameter group {name}",
                            database.id()
                        ),
                    ),
                }
            }
            Some(value) => Outcome::unavailable(
                resource,
                &fact,
                &format!(
                    "the parameter group {name} sets {parameter} to `{value}`, which tenet does \
                     not know"
                ),
            ),
        },
    };
    outcome
        .with("engine", database.engine())
        .with("parameter_group", name)
        .with("parameter", parameter)
}

/// Where a group's status was read: the instance itself, or a member of the
/// cluster.
fn applied_to(database: Database<'_>, instance: &str) -> String {
    match database {
        Database::Instance(_) => instance.to_owned(),
        Database::Cluster(cluster) => format!("{instance} (member of {})", cluster.id),
    }
}

/// The group named `name` in the region's list, or why it cannot be read.
fn find<'a>(
    groups: &'a Observed<Vec<DbParameterGroup>>,
    name: &str,
) -> Result<&'a DbParameterGroup, String> {
    match groups {
        Observed::Known(groups) => groups
            .iter()
            .find(|group| group.name == name)
            .ok_or_else(|| format!("the parameter group {name} was not read")),
        Observed::Unavailable { reason } => Err(reason.clone()),
    }
}
