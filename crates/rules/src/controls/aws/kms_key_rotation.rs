//! `aws.kms.key-rotation`: every enabled customer managed symmetric key whose
//! material KMS made rotates it automatically.

use tenet_inventory::{Observed, aws::KmsKey};

use crate::{
    Context, Outcome, Resource,
    support::{each_region, known},
};

/// Whether KMS can rotate `key` automatically: asymmetric and HMAC keys,
/// imported material and custom key stores cannot, and a disabled key or
/// one pending deletion encrypts nothing new.
fn rotatable(key: &KmsKey) -> bool {
    key.spec == "SYMMETRIC_DEFAULT" && key.origin == "AWS_KMS" && key.state == "Enabled"
}

/// One outcome per rotatable key.
pub fn check(cx: &Context<'_>) -> Vec<Outcome> {
    each_region(cx, |account, region, out| {
        let Some(keys) = known(
            &region.kms_keys,
            out,
            || Resource::aws_account(&account.account_id),
            &format!("the KMS keys of {}", region.name),
        ) else {
            return;
        };
        for key in keys.iter().filter(|key| rotatable(key)) {
            let resource = Resource::new(key.arn.clone(), "KMS key");
            out.push(match &key.rotation_enabled {
                Observed::Known(true) => Outcome::pass(
                    resource,
                    format!("key {} rotates its material automatically", key.id),
                )
                .with("rotation_enabled", true),
                Observed::Known(false) => Outcome::fail(
                    resource,
                    format!("key {} has automatic rotation off", key.id),
                )
                .with("rotation_enabled", false),
                Observed::Unavailable { reason } => {
                    Outcome::unavailable(resource, "the key's rotation status", reason)
                }
            });
        }
    })
}
