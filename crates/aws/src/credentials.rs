//! Checks, before any other request, that the credential chain has
//! something to sign with and that AWS accepts it: a clear error naming what
//! was looked at or what failed, instead of an error per account and region.

use aws_config::SdkConfig;
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_sdk_sts::config::ProvideCredentials;
use aws_types::os_shim_internal::{Env, Fs};

use aws_sdk_sts::error::SdkError;

use crate::{
    config::{self, AwsConfig, ConfigError},
    convert::arn_account,
    convert::is_account_id,
    error::{causes, reason},
    requestlog::LastHost,
};

/// Who the credentials are, as `sts:GetCallerIdentity` answers.
#[derive(Debug)]
pub(crate) struct Identity {
    /// Their account.
    pub account_id: String,
    /// Their ARN.
    pub arn: String,
}

/// The first call of every collection: `sts:GetCallerIdentity` (which needs
/// no permission), in at most two attempts within
/// [`Timeouts::first_call`](crate::Timeouts). Refused
/// credentials are [`ConfigError::Credentials`]; no connection or no answer
/// is [`ConfigError::Unreachable`], naming the cause.
pub(crate) async fn identity(sdk: &SdkConfig, config: &AwsConfig) -> Result<Identity, ConfigError> {
    const CALL: &str = "sts:GetCallerIdentity";
    let timeouts = &config.timeouts;
    let last_host = LastHost::default();
    let client = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(sdk)
            .interceptor(last_host.clone())
            .timeout_config(config::timeout_config(timeouts, timeouts.first_call))
            // A second attempt, not more: a refused connection or a failed
            // DNS lookup is reported as such, not outlasted into a timeout.
            .retry_config(config::retry_config(config.max_attempts.min(2)))
            .interceptor(crate::requestlog::RequestLog)
            .build(),
    );
    let answer = match client.get_caller_identity().send().await {
        Ok(answer) => answer,
        Err(err) => {
            let endpoint = config
                .endpoint_url
                .clone()
                .or_else(|| last_host.get())
                .unwrap_or_else(|| {
                    let region = sdk.region().map(ToString::to_string).unwrap_or_default();
                    format!("the STS endpoint of {region}")
                });
            let timed_out = matches!(&err, SdkError::TimeoutError(_))
                || matches!(&err, SdkError::DispatchFailure(failure) if failure.is_timeout());
            return Err(if timed_out {
                ConfigError::Unreachable {
                    endpoint,
                    reason: format!(
                        "{CALL} got no answer in {} ({} to connect, {} per attempt)",
                        span(timeouts.first_call),
                        span(timeouts.connect.min(timeouts.attempt)),
                        span(timeouts.attempt.min(timeouts.first_call))
                    ),
                }
            } else if matches!(&err, SdkError::DispatchFailure(_)) {
                ConfigError::Unreachable {
                    endpoint,
                    reason: format!("{CALL} could not be sent: {}", causes(&err)),
                }
            } else {
                let hint = crate::error::code(&err)
                    .and_then(refusal_hint)
                    .map(|hint| format!("; {hint}"))
                    .unwrap_or_default();
                ConfigError::Credentials(format!("{}{hint}", reason(CALL, &err)))
            });
        }
    };
    let account_id =
        own_account(answer.account(), answer.arn()).map_err(ConfigError::Credentials)?;
    Ok(Identity {
        account_id,
        arn: answer.arn().unwrap_or_default().trim().to_owned(),
    })
}

/// `30 s`, or `300 ms` below a second.
fn span(duration: std::time::Duration) -> String {
    if duration.as_secs() == 0 {
        format!("{} ms", duration.as_millis())
    } else {
        format!("{} s", duration.as_secs())
    }
}

/// What to check when STS refuses the credentials with `code`.
fn refusal_hint(code: &str) -> Option<&'static str> {
    match code {
        "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" => {
            Some("the session has expired: renew it (aws sso login, or new temporary credentials)")
        }
        "InvalidClientTokenId" | "UnrecognizedClientException" => Some(
            "AWS does not know this access key: it was deleted or deactivated, or belongs to another partition",
        ),
        "SignatureDoesNotMatch" => {
            Some("the secret access key does not belong to this access key id")
        }
        _ => None,
    }
}

/// The account the credentials belong to, from `sts:GetCallerIdentity`'s
/// `Account` and `Arn`, which AWS always sends: a blank or malformed one is
/// a credential problem, never an account with an empty id.
fn own_account(account: Option<&str>, arn: Option<&str>) -> Result<String, String> {
    let account = account.unwrap_or_default().trim();
    if !is_account_id(account) {
        return Err(format!(
            "sts:GetCallerIdentity answered with the account id `{account}`, not 12 digits"
        ));
    }
    let arn = arn.unwrap_or_default().trim();
    if arn_account(arn) != Some(account) {
        return Err(format!(
            "sts:GetCallerIdentity answered with the ARN `{arn}`, which is not one of account {account}"
        ));
    }
    Ok(account.to_owned())
}

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
