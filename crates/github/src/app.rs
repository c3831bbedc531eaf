//! GitHub App authentication: a JWT signed with the App's key, exchanged for
//! an installation token per organization.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use ring::{
    rand::SystemRandom,
    signature::{RSA_PKCS1_SHA256, RsaKeyPair},
};
use rustls_pki_types::{PrivateKeyDer, pem::PemObject};
use serde::Deserialize;

use crate::{
    client::Client,
    config::ConfigError,
    error::{ApiError, Failure},
    secret::Secret,
};

/// An App's RSA private key, parsed once.
pub(crate) struct AppKey(RsaKeyPair);

impl AppKey {
    /// Parses a PEM private key (PKCS#1 `RSA PRIVATE KEY`, as GitHub issues
    /// them, or PKCS#8 `PRIVATE KEY`).
    pub fn from_pem(pem: &str) -> Result<Self, ConfigError> {
        let der = PrivateKeyDer::from_pem_slice(pem.as_bytes())
            .map_err(|err| ConfigError::AppKey(format!("not a PEM private key ({err})")))?;
        let pair = match &der {
            PrivateKeyDer::Pkcs1(key) => RsaKeyPair::from_der(key.secret_pkcs1_der()),
            PrivateKeyDer::Pkcs8(key) => RsaKeyPair::from_pkcs8(key.secret_pkcs8_der()),
            _ => return Err(ConfigError::AppKey("not an RSA key".to_owned())),
        }
        .map_err(|err| ConfigError::AppKey(format!("unusable RSA key ({err})")))?;
        Ok(AppKey(pair))
    }

    /// A JWT for `app_id`, valid for 9 minutes from 60 seconds ago (GitHub's
    /// limit is 10 minutes; the minute back absorbs clock drift).
    pub fn jwt(&self, app_id: u64, now_epoch: u64) -> Result<Secret, String> {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
        let claims = serde_json::json!({
            "iat": now_epoch.saturating_sub(60),
            "exp": now_epoch + 540,
            "iss": app_id.to_string(),
        });
        let claims = URL_SAFE_NO_PAD.encode(claims.to_string());
        let input = format!("{header}.{claims}");
        let mut signature = vec![0; self.0.public().modulus_len()];
        self.0
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                input.as_bytes(),
                &mut signature,
            )
            .map_err(|_| "cannot sign the App JWT".to_owned())?;
        Ok(Secret::new(format!(
            "{input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        )))
    }
}

#[derive(Deserialize)]
struct Installation {
    id: u64,
}

#[derive(Deserialize)]
struct AccessToken {
    token: String,
}

/// An installation token for `org`: the configured installation, or the
/// one GitHub reports for the organization.
pub(crate) async fn installation_token(
    client: &Client<'_>,
    app_id: u64,
    key: &AppKey,
    installation_id: Option<u64>,
    org: &str,
) -> Result<Secret, ApiError> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let jwt = key
        .jwt(app_id, now)
        .map_err(|err| ApiError::new("GitHub App JWT", Failure::Transport(err)))?;
    let id = match installation_id {
        Some(id) => id,
        None => {
            client
                .get_with::<Installation>(&format!("/orgs/{org}/installation"), &jwt)
                .await?
                .id
        }
    };
    let token: AccessToken = client
        .post_with(&format!("/app/installations/{id}/access_tokens"), &jwt)
        .await?;
    Ok(Secret::new(token.token))
}
