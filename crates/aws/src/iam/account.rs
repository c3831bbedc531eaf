//! Account-wide IAM facts: the account summary (root MFA and keys), the
//! virtual MFA devices, and the password policy.

use aws_sdk_iam::{
    Client,
    types::{AssignmentStatusType, SummaryKeyType},
};
use tenet_inventory::{Observed, aws::PasswordPolicy};

use crate::{
    error::{code, reason},
    required::Required,
};

/// What `GetAccountSummary` says about the root user, and how many users,
/// groups and roles it counts (`None` when it did not say).
#[derive(Debug, PartialEq)]
pub(crate) struct Summary {
    pub root_mfa: Observed<bool>,
    pub root_access_keys: Observed<bool>,
    pub counts: Counts,
}

/// Entity counts of `GetAccountSummary`.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Counts {
    pub users: Option<i32>,
    pub groups: Option<i32>,
    pub roles: Option<i32>,
}

/// Reads the account summary; a missing key is an unavailable fact.
pub(crate) async fn summary(client: &Client) -> Summary {
    const PERMISSION: &str = "iam:GetAccountSummary";
    match client.get_account_summary().send().await {
        Ok(output) => {
            let value = |key: SummaryKeyType| match output
                .summary_map()
                .and_then(|map| map.get(&key))
            {
                Some(value) => Observed::Known(*value > 0),
                None => Observed::unavailable(format!("{PERMISSION} returned no {}", key.as_str())),
            };
            let count =
                |key: SummaryKeyType| output.summary_map().and_then(|map| map.get(&key)).copied();
            Summary {
                root_mfa: value(SummaryKeyType::AccountMfaEnabled),
                root_access_keys: value(SummaryKeyType::AccountAccessKeysPresent),
                counts: Counts {
                    users: count(SummaryKeyType::Users),
                    groups: count(SummaryKeyType::Groups),
                    roles: count(SummaryKeyType::Roles),
                },
            }
        }
        Err(err) => {
            let why = reason(PERMISSION, &err);
            Summary {
                root_mfa: Observed::unavailable(why.clone()),
                root_access_keys: Observed::unavailable(why),
                counts: Counts::default(),
            }
        }
    }
}

/// An assigned virtual MFA device.
#[derive(Debug, PartialEq)]
pub(crate) struct VirtualDevice {
    pub serial: String,
    /// The ARN of the user it is assigned to (`…:root` for the root user).
    pub user_arn: Option<String>,
}

/// Every assigned virtual MFA device of the account. The list, each
/// device's serial and, as only assigned devices are asked for, the user it
/// is assigned to are always sent: an answer without them is an error, never
/// a device fewer (the root user's would turn into a hardware device).
pub(crate) async fn virtual_mfa_devices(client: &Client) -> Result<Vec<VirtualDevice>, String> {
    const CALL: &str = "iam:ListVirtualMFADevices";
    let mut devices = Vec::new();
    let mut marker = None;
    loop {
        let page = client
            .list_virtual_mfa_devices()
            .assignment_status(AssignmentStatusType::Assigned)
            .max_items(super::details::PAGE_SIZE)
            .set_marker(marker.take())
            .customize()
            .interceptor(Required {
                call: CALL,
                elements: &["VirtualMFADevices"],
                root_payload: false,
            })
            .send()
            .await
            .map_err(|err| reason(CALL, &err))?;
        for device in page.virtual_mfa_devices() {
            let serial = device.serial_number();
            if serial.trim().is_empty() {
                return Err(format!("{CALL} listed a device without a SerialNumber"));
            }
            let user_arn = device.user().map(|user| user.arn()).unwrap_or_default();
            if user_arn.trim().is_empty() {
                return Err(format!(
                    "{CALL} listed assigned device {serial} without the ARN of its user"
                ));
            }
            devices.push(VirtualDevice {
                serial: serial.to_owned(),
                user_arn: Some(user_arn.to_owned()),
            });
        }
        match (page.is_truncated, page.marker) {
            (true, Some(next)) => marker = Some(next),
            (true, None) => return Err(format!("{CALL} answered IsTruncated without a Marker")),
            (false, Some(_)) => {
                return Err(format!(
                    "{CALL} answered with a Marker but without IsTruncated: the listing may be cut short"
                ));
            }
            (false, None) => return Ok(devices),
        }
    }
}

/// Whether a virtual device belongs to the root user.
pub(crate) fn is_root_device(device: &VirtualDevice) -> bool {
    device
        .user_arn
        .as_deref()
        .is_some_and(|arn| arn.ends_with(":root"))
        || device.serial.ends_with(":mfa/root-account-mfa-device")
}

/// The password policy; an account without one is a known `None`.
pub(crate) async fn password_policy(client: &Client) -> Observed<Option<PasswordPolicy>> {
    let output = match client
        .get_account_password_policy()
        .customize()
        .interceptor(Required {
            call: "iam:GetAccountPasswordPolicy",
            elements: &["PasswordPolicy"],
            root_payload: false,
        })
        .send()
        .await
    {
        Ok(output) => output,
        Err(err) if code(&err) == Some("NoSuchEntity") => return Observed::Known(None),
        Err(err) => return Observed::unavailable(reason("iam:GetAccountPasswordPolicy", &err)),
    };
    let Some(policy) = output.password_policy() else {
        return Observed::unavailable("iam:GetAccountPasswordPolicy returned no policy");
    };
    let positive =
        |value: Option<i32>| value.and_then(|n| u32::try_from(n).ok()).filter(|n| *n > 0);
    Observed::Known(Some(PasswordPolicy {
        minimum_password_length: positive(policy.minimum_password_length()).unwrap_or(0),
        require_symbols: policy.require_symbols(),
        require_numbers: policy.require_numbers(),
        require_uppercase_characters: policy.require_uppercase_characters(),
        require_lowercase_characters: policy.require_lowercase_characters(),
        allow_users_to_change_password: policy.allow_users_to_change_password(),
        max_password_age: positive(policy.max_password_age()),
        password_reuse_prevention: positive(policy.password_reuse_prevention()),
        hard_expiry: policy.hard_expiry().unwrap_or(false),
    }))
}
