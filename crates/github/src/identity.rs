//! Who reads: the credential's kind, and what GitHub says about it — the
//! user a token acts for with its OAuth scopes (`GET /user`, which needs
//! no permission), or the App's installation with the permissions GitHub
//! granted its token. Recorded in the snapshot for the auditor; never a
//! reason to stop the collection.

use reqwest::header::HeaderMap;
use serde::Deserialize;
use tenet_inventory::{
    Observed,
    collector::{GithubCredential, GithubReader},
};

use crate::{
    client::{Client, Credential},
    secret::Secret,
};

#[derive(Deserialize)]
struct UserJson {
    login: Option<String>,
}

/// Who reads with `token`: its kind by its prefix; for a token that acts
/// for a user, the user and the scopes `GET /user` reports.
pub(crate) async fn token_reader(client: &Client<'_>, token: &Secret) -> GithubReader {
    let credential = GithubCredential::of_token(token.expose());
    let mut reader = GithubReader::new(credential);
    if !credential.has_user() {
        return reader;
    }
    reader.user = Some(match client.get_json_headers::<UserJson>("/user").await {
        Ok((user, headers)) => {
            reader.scopes = scopes(&headers);
            user.login.map_or_else(
                || Observed::unavailable("GET /user did not include the login"),
                Observed::Known,
            )
        }
        Err(err) => Observed::unavailable(err.plain()),
    });
    reader
}

/// The scopes of `X-OAuth-Scopes`, sorted; `None` when the header is
/// absent (GitHub sends it for classic and OAuth tokens only).
fn scopes(headers: &HeaderMap) -> Option<Vec<String>> {
    let value = headers.get("x-oauth-scopes")?.to_str().ok()?;
    let mut scopes: Vec<String> = value
        .split(',')
        .map(str::trim)
        .filter(|scope| !scope.is_empty())
        .map(str::to_owned)
        .collect();
    scopes.sort();
    Some(scopes)
}

/// Who read with `client`, when it reads as an App's installation: the
/// App, the installation and what GitHub granted its last token. `None`
/// for a token, whose reader [`token_reader`] tells.
pub(crate) async fn installation(client: &Client<'_>) -> Option<GithubReader> {
    let Credential::Installation(installation) = client.credential() else {
        return None;
    };
    let mut reader = GithubReader::new(GithubCredential::App);
    if let Some((app_id, installation_id, granted)) = installation.granted().await {
        reader.app_id = Some(app_id);
        reader.installation_id = Some(installation_id);
        reader.permissions = granted.permissions;
        reader.repository_selection = granted.repository_selection;
    }
    Some(reader)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_read_from_the_header_sorted() {
        let mut headers = HeaderMap::new();
        assert_eq!(scopes(&headers), None);
        headers.insert(
            "x-oauth-scopes",
            "repo, admin:org,read:user".parse().expect("a header value"),
        );
        assert_eq!(
            scopes(&headers),
            Some(vec!["admin:org".into(), "read:user".into(), "repo".into()])
        );
        headers.insert("x-oauth-scopes", "".parse().expect("a header value"));
        assert_eq!(scopes(&headers), Some(vec![]));
    }
}
