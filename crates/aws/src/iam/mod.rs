//! IAM: users, groups, roles, managed policies, the root user and the
//! password policy, in a number of calls that does not grow per user.

mod account;
mod details;
mod report;

use aws_sdk_iam::Client;
use tenet_inventory::{
    Observed,
    aws::{IamGroup, IamRole, IamUser, ManagedPolicy, MfaDevice, PasswordPolicy, RootUser},
};

use account::VirtualDevice;
use details::UserDetails;
pub(crate) use report::ReportWait;
use report::{Report, Row};

/// The serial recorded for an MFA device the credential report shows but no
/// account-wide API lists: a hardware token or a security key.
pub const NON_VIRTUAL_DEVICE: &str = "(non-virtual device)";

/// Every IAM fact of an account.
pub(crate) struct IamFacts {
    pub root: RootUser,
    pub users: Observed<Vec<IamUser>>,
    pub groups: Observed<Vec<IamGroup>>,
    pub roles: Observed<Vec<IamRole>>,
    pub policies: Observed<Vec<ManagedPolicy>>,
    pub password_policy: Observed<Option<PasswordPolicy>>,
}

/// Reads the IAM facts; the calls run concurrently and each failure costs
/// only the facts that call gives.
pub(crate) async fn collect(client: &Client, account: &str, report_wait: ReportWait) -> IamFacts {
    let (details, report, summary, devices, password_policy) = tokio::join!(
        details::fetch(client, account),
        report::fetch(client, report_wait),
        account::summary(client),
        account::virtual_mfa_devices(client),
        account::password_policy(client),
    );
    let root = RootUser {
        hardware_mfa: root_hardware_mfa(&summary.root_mfa, &devices),
        mfa_enabled: summary.root_mfa,
        access_keys_present: summary.root_access_keys,
    };
    let details = match details {
        Ok(details) => details,
        Err(reason) => {
            return IamFacts {
                root,
                users: Observed::unavailable(reason.clone()),
                groups: Observed::unavailable(reason.clone()),
                roles: Observed::unavailable(reason.clone()),
                policies: Observed::unavailable(reason),
                password_policy,
            };
        }
    };
    let counts = &summary.counts;
    // A user only the credential report names is one deleted since the
    // report was generated (it can be 4 hours old) when the account's own
    // count agrees with the listing; without that count it may be a user
    // the listing lost.
    let users_gap = match counts.users {
        Some(_) => count_gap("users", counts.users, details.users.len()),
        None => unlisted_users(&details.users, &report),
    };
    let groups_gap = count_gap("groups", counts.groups, details.groups.len());
    let roles_gap = count_gap("roles", counts.roles, details.roles.len());
    let users = details
        .users
        .into_iter()
        .map(|user| merge_user(user, &report, &devices))
        .collect();
    IamFacts {
        root,
        users: checked(users, users_gap),
        groups: checked(details.groups, groups_gap),
        roles: checked(details.roles, roles_gap),
        policies: Observed::Known(details.policies),
        password_policy,
    }
}

/// The listed entities, or unavailable when the account says otherwise.
fn checked<T>(listed: Vec<T>, gap: Option<String>) -> Observed<Vec<T>> {
    match gap {
        None => Observed::Known(listed),
        Some(reason) => Observed::unavailable(reason),
    }
}

/// Why the `kind` listed by the authorization details cannot be trusted
/// when `GetAccountSummary` counts another number of them. The summary may
/// lag a few minutes behind changes; both numbers are named.
fn count_gap(kind: &str, counted: Option<i32>, listed: usize) -> Option<String> {
    let counted = counted?;
    (usize::try_from(counted).ok() != Some(listed)).then(|| {
        format!(
            "iam:GetAccountSummary counts {counted} {kind} and iam:GetAccountAuthorizationDetails \
             listed {listed}: the list may be incomplete (the summary can lag a few minutes \
             behind changes; collect again)"
        )
    })
}

/// Why the users listed by the authorization details cannot be trusted when
/// the credential report has users they lack.
fn unlisted_users(users: &[UserDetails], report: &Result<Report, String>) -> Option<String> {
    let report = report.as_ref().ok()?;
    let listed: std::collections::HashSet<&str> =
        users.iter().map(|user| user.arn.as_str()).collect();
    let mut unlisted: Vec<&str> = report
        .rows
        .keys()
        .map(String::as_str)
        .filter(|arn| !listed.contains(arn))
        .collect();
    if unlisted.is_empty() {
        return None;
    }
    unlisted.sort_unstable();
    Some(format!(
        "the credential report lists users iam:GetAccountAuthorizationDetails did not: {} \
         (a user deleted since the report was generated, at most 4 hours ago, also shows here; \
         collect again)",
        unlisted.join(", ")
    ))
}

fn root_hardware_mfa(
    mfa: &Observed<bool>,
    devices: &Result<Vec<VirtualDevice>, String>,
) -> Observed<bool> {
    match (mfa, devices) {
        (Observed::Unavailable { reason }, _) => Observed::unavailable(reason.clone()),
        (Observed::Known(false), _) => Observed::Known(false),
        (Observed::Known(true), Ok(devices)) => {
            Observed::Known(!devices.iter().any(account::is_root_device))
        }
        (Observed::Known(true), Err(reason)) => Observed::unavailable(reason.clone()),
    }
}

/// Joins a user's entity details with its credential report row and its
/// virtual MFA devices.
fn merge_user(
    user: UserDetails,
    report: &Result<Report, String>,
    devices: &Result<Vec<VirtualDevice>, String>,
) -> IamUser {
    let row: Result<&Row, String> = match report {
        Err(reason) => Err(reason.clone()),
        Ok(report) => report.rows.get(&user.arn).ok_or_else(|| missing(report)),
    };
    let mfa_active = from_row(&row, |row| &row.mfa_active);
    let console_access = from_row(&row, |row| &row.console_access);
    let password_last_used = from_row(&row, |row| &row.password_last_used);
    let access_keys = from_row(&row, |row| &row.access_keys);
    IamUser {
        mfa_devices: mfa_devices(&user.arn, mfa_active, devices),
        name: user.name,
        arn: user.arn,
        created: user.created,
        console_access,
        password_last_used,
        access_keys,
        groups: user.groups,
        attached_policies: user.attached_policies,
        inline_policies: user.inline_policies,
        permissions_boundary: user.permissions_boundary,
    }
}

fn missing(report: &Report) -> String {
    let generated = report
        .generated
        .map(|time| format!(" generated at {}", time.format("%Y-%m-%dT%H:%M:%SZ")))
        .unwrap_or_default();
    format!(
        "the user is not in the credential report{generated} (AWS regenerates it at most every 4 hours)"
    )
}

/// The user's MFA devices: the virtual ones by serial, plus one
/// [`NON_VIRTUAL_DEVICE`] when the credential report says MFA is active but
/// no virtual device is assigned to the user.
fn mfa_devices(
    arn: &str,
    mfa_active: Observed<bool>,
    devices: &Result<Vec<VirtualDevice>, String>,
) -> Observed<Vec<MfaDevice>> {
    let active = match mfa_active {
        Observed::Known(active) => active,
        Observed::Unavailable { reason } => return Observed::Unavailable { reason },
    };
    let devices = match devices {
        Ok(devices) => devices,
        Err(_) if !active => return Observed::Known(Vec::new()),
        Err(reason) => return Observed::unavailable(reason.clone()),
    };
    let mut own: Vec<MfaDevice> = devices
        .iter()
        .filter(|device| device.user_arn.as_deref() == Some(arn))
        .map(|device| MfaDevice {
            serial: device.serial.clone(),
            is_virtual: true,
        })
        .collect();
    own.sort_by(|a, b| a.serial.cmp(&b.serial));
    if active && own.is_empty() {
        own.push(MfaDevice {
            serial: NON_VIRTUAL_DEVICE.to_owned(),
            is_virtual: false,
        });
    }
    Observed::Known(own)
}

/// One fact of the user's report row, or why the row is missing.
fn from_row<T: Clone>(
    row: &Result<&Row, String>,
    pick: impl Fn(&Row) -> &Observed<T>,
) -> Observed<T> {
    match row {
        Ok(row) => pick(row).clone(),
        Err(reason) => Observed::unavailable(reason.clone()),
    }
}

#[cfg(test)]
mod tests;
