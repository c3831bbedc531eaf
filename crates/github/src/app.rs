//! GitHub App authentication: a JWT signed with the App's key (jsonwebtoken),
//! exchanged for an installation token per organization, and exchanged again
//! before that token expires.

use std::{collections::BTreeMap, sync::Arc};

use chrono::{DateTime, TimeDelta, Utc};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::header::HeaderValue;
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use crate::{
    client::{Client, bearer, now_epoch},
    config::ConfigError,
    error::{ApiError, Failure},
    secret::Secret,
};

/// An App's RSA private key, parsed once.
pub(crate) struct AppKey(EncodingKey);

/// The claims GitHub reads from an App JWT.
#[derive(Serialize)]
struct Claims {
    iat: u64,
    exp: u64,
    iss: String,
}

impl AppKey {
    /// Parses a PEM private key (PKCS#1 `RSA PRIVATE KEY`, as GitHub issues
    /// them, or PKCS#8 `PRIVATE KEY`) and checks that it can sign.
    pub fn from_pem(pem: &str) -> Result<Self, ConfigError> {
        let key = EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(|_| {
            ConfigError::AppKey(
                "not an RSA private key in PEM form (`BEGIN RSA PRIVATE KEY` or `BEGIN PRIVATE KEY`)"
                    .to_owned(),
            )
        })?;
        let key = AppKey(key);
        key.jwt(0, 0).map_err(ConfigError::AppKey)?;
        Ok(key)
    }

    /// A JWT for `app_id`, valid for 9 minutes from 60 seconds ago (GitHub's
    /// limit is 10 minutes; the minute back absorbs clock drift).
    pub fn jwt(&self, app_id: u64, now_epoch: u64) -> Result<Secret, String> {
        let claims = Claims {
            iat: now_epoch.saturating_sub(60),
            exp: now_epoch + 540,
            iss: app_id.to_string(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &self.0)
            .map(Secret::new)
            .map_err(|err| format!("cannot sign the App JWT with this key ({err})"))
    }
}

/// How long before its expiry an installation token is replaced, so that
/// no request is sent with a token about to expire.
const REFRESH_MARGIN: TimeDelta = TimeDelta::minutes(5);

/// A GitHub App installation as a credential: the installation token in
/// use, exchanged for a new one when it is about to expire or is refused.
pub(crate) struct Installation {
    app_id: u64,
    key: Arc<AppKey>,
    org: String,
    state: Mutex<InstallationState>,
}

/// The installation id, once known, the token in use, and what GitHub
/// granted the last token issued.
#[derive(Default)]
struct InstallationState {
    id: Option<u64>,
    token: Option<IssuedToken>,
    granted: Option<Granted>,
}

/// What an installation token may read, as GitHub said when it issued it.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct Granted {
    /// Permission → `read`, `write` or `admin`.
    #[serde(default)]
    pub permissions: BTreeMap<String, String>,
    /// `all` or `selected`.
    #[serde(default)]
    pub repository_selection: Option<String>,
}

/// An installation token and when GitHub said it expires.
struct IssuedToken {
    header: HeaderValue,
    expires_at: Option<DateTime<Utc>>,
}

impl IssuedToken {
    fn is_fresh(&self, now: DateTime<Utc>) -> bool {
        self.expires_at
            .is_none_or(|expires_at| expires_at - now > REFRESH_MARGIN)
    }
}

#[derive(Deserialize)]
struct InstallationJson {
    id: u64,
}

#[derive(Deserialize)]
struct AccessToken {
    token: String,
    #[serde(default)]
    expires_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    granted: Granted,
}

impl Installation {
    /// The App's installation on `org`: `installation_id` if configured,
    /// else the one GitHub reports for the organization.
    pub fn new(app_id: u64, key: Arc<AppKey>, installation_id: Option<u64>, org: &str) -> Self {
        Installation {
            app_id,
            key,
            org: org.to_owned(),
            state: Mutex::new(InstallationState {
                id: installation_id,
                token: None,
                granted: None,
            }),
        }
    }

    /// The `Authorization` header for the next request: the current token
    /// while it has more than [`REFRESH_MARGIN`] left, else a new one.
    /// Concurrent callers wait for one exchange rather than each starting
    /// their own.
    pub async fn authorization(&self, client: &Client<'_>) -> Result<HeaderValue, ApiError> {
        let mut state = self.state.lock().await;
        if let Some(token) = state.token.as_ref().filter(|t| t.is_fresh(Utc::now())) {
            return Ok(token.header.clone());
        }
        let (issued, granted) = self.exchange(client, &mut state).await?;
        state.granted = Some(granted);
        let header = issued.header.clone();
        state.token = Some(issued);
        Ok(header)
    }

    /// The App's id, the installation's, and what its last token was
    /// granted; `None` before a token was issued.
    pub async fn granted(&self) -> Option<(u64, u64, Granted)> {
        let state = self.state.lock().await;
        Some((self.app_id, state.id?, state.granted.clone()?))
    }

    /// Forgets `refused`, the token GitHub answered 401 to, so the next
    /// request gets a new one. A token already replaced is left alone.
    pub async fn forget(&self, refused: &HeaderValue) {
        let mut state = self.state.lock().await;
        if state.token.as_ref().is_some_and(|t| t.header == refused) {
            state.token = None;
        }
    }

    /// A new installation token, looking the installation up first if
    /// its id is not known yet.
    async fn exchange(
        &self,
        client: &Client<'_>,
        state: &mut InstallationState,
    ) -> Result<(IssuedToken, Granted), ApiError> {
        let jwt = self
            .key
            .jwt(self.app_id, now_epoch())
            .map_err(|err| ApiError::new("GitHub App JWT", Failure::Transport(err)))?;
        let id = match state.id {
            Some(id) => id,
            None => {
                let id = client
                    .get_with::<InstallationJson>(&format!("/orgs/{}/installation", self.org), &jwt)
                    .await?
                    .id;
                state.id = Some(id);
                id
            }
        };
        let label = format!("POST /app/installations/{id}/access_tokens");
        let token: AccessToken = client
            .post_with(&format!("/app/installations/{id}/access_tokens"), &jwt)
            .await?;
        tracing::debug!(installation = id, expires_at = ?token.expires_at, "installation token issued");
        let issued = IssuedToken {
            header: bearer(&Secret::new(token.token))
                .map_err(|err| ApiError::malformed(&label, err))?,
            expires_at: token.expires_at,
        };
        Ok((issued, token.granted))
    }
}
