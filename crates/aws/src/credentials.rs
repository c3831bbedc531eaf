//! Checks, before any request, that the credential chain has something to
//! sign with: a clear error naming what was looked at, instead of an error
//! per account and region.

use aws_config::SdkConfig;
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_sdk_sts::config::ProvideCredentials;
use aws_types::os_shim_internal::{Env, Fs};

use crate::{config::ConfigError, error::causes};

/// Fails when the profile `profile` names is in neither AWS config file, or
/// when the credential chain of `sdk` finds no credentials.
pub(crate) async fn check(sdk: &SdkConfig, profile: Option<&str>) -> Result<(), ConfigError> {
    if let Some(name) = profile {
        let profiles =
            aws_config::profile::load(&Fs::real(), &Env::real(), &EnvConfigFiles::default(), None)
                .await
                .map_err(|err| ConfigError::ProfileFiles(causes(&err)))?;
        if profiles.get_profile(name).is_none() {
            let mut known: Vec<&str> = profiles.profiles().collect();
            known.sort_unstable();
            return Err(ConfigError::UnknownProfile {
                name: name.to_owned(),
                known: if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                },
            });
        }
    }
    let Some(provider) = sdk.credentials_provider() else {
        return Err(ConfigError::NoCredentials {
            profile: profile.unwrap_or("default").to_owned(),
            cause: "the SDK has no credential provider".to_owned(),
        });
    };
    match provider.provide_credentials().await {
        Ok(_) => Ok(()),
        Err(err) => Err(ConfigError::NoCredentials {
            profile: profile.unwrap_or("default").to_owned(),
            cause: causes(&err),
        }),
    }
}
