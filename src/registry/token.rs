//! The bearer-token flow of the distribution spec's token authentication (Docker's
//! `token.md` and `oauth.md`; go-containerregistry `pkg/v1/remote/transport/bearer.go`):
//! `GET realm?service=…&scope=repository:NAME:pull`, with Basic credentials when there
//! are some (anonymous otherwise, as Docker Hub, GHCR and Quay allow for public images);
//! with an identity token, the OAuth2 `POST realm` (`grant_type=refresh_token`), falling
//! back to the GET when the token server has no OAuth2 endpoint (404). The answer's
//! `token` (or `access_token`) is the bearer token.

use super::challenge::{Challenge, realm_refusal};
use super::error::Cause;
use super::http::{Client, Reply};
use super::keychain::{Credential, Found};
use super::status;
use base64::Engine;
use serde_json::Value;

/// Who we are to token servers (`client_id` of the OAuth2 flow).
const CLIENT_ID: &str = "pinpoint-inject";

/// A bearer token for pulling `repository`, as `challenge` (bearer) asks.
pub(crate) fn fetch(
    client: &Client,
    registry: &str,
    plain_http: bool,
    challenge: &Challenge,
    repository: &str,
    found: &Found,
) -> Result<String, Cause> {
    if let Credential::Registry { token } = &found.credential {
        return Ok(token.clone());
    }
    let realm = challenge.param("realm").ok_or_else(|| Cause::Malformed {
        what: format!("WWW-Authenticate challenge of {registry}"),
        detail: "the bearer challenge has no realm".into(),
    })?;
    if let Some(reason) = realm_refusal(realm, registry, plain_http) {
        return Err(Cause::Realm {
            registry: registry.to_string(),
            realm: realm.to_string(),
            reason,
        });
    }
    let service = challenge.param("service").unwrap_or_default();
    // The challenge's own scope names the repository; ask for at least pull on ours.
    let scope = format!("repository:{repository}:pull");
    let reply = match &found.credential {
        Credential::Identity { token } => {
            let form = [
                ("grant_type", "refresh_token"),
                ("refresh_token", token.as_str()),
                ("service", service),
                ("scope", scope.as_str()),
                ("client_id", CLIENT_ID),
            ];
            let reply = client
                .post_form(realm, &form)
                .map_err(|f| status::transport(f, realm_host(realm), client, "token answer"))?;
            if reply.status == 404 {
                get(client, realm, service, &scope, None)?
            } else {
                reply
            }
        }
        Credential::Basic { username, password } => {
            let basic = basic_header(username, password);
            get(client, realm, service, &scope, Some(&basic))?
        }
        Credential::Anonymous | Credential::Registry { .. } => {
            get(client, realm, service, &scope, None)?
        }
    };
    match reply.status {
        200 => {}
        401 | 403 => {
            let credentials = status::describe(found);
            return Err(Cause::Unauthorized {
                registry: registry.to_string(),
                realm: Some(realm.to_string()),
                credentials,
            });
        }
        _ => {
            return Err(status::unexpected(
                &reply,
                realm_host(realm),
                "token request",
            ));
        }
    }
    let answer: Value = serde_json::from_slice(&reply.body).map_err(|e| Cause::Malformed {
        what: "token answer".into(),
        detail: e.to_string(),
    })?;
    ["token", "access_token"]
        .iter()
        .find_map(|k| {
            answer
                .get(*k)
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
        })
        .map(str::to_string)
        .ok_or_else(|| Cause::Malformed {
            what: "token answer".into(),
            detail: "it has neither `token` nor `access_token`".into(),
        })
}

fn get(
    client: &Client,
    realm: &str,
    service: &str,
    scope: &str,
    authorization: Option<&str>,
) -> Result<Reply, Cause> {
    let separator = if realm.contains('?') { '&' } else { '?' };
    let mut url = format!("{realm}{separator}scope={}", encode(scope));
    if !service.is_empty() {
        url.push_str(&format!("&service={}", encode(service)));
    }
    let headers: Vec<(&str, &str)> = authorization
        .map(|a| ("Authorization", a))
        .into_iter()
        .collect();
    client
        .get(&url, &headers)
        .map_err(|f| status::transport(f, realm_host(realm), client, "token answer"))
}

/// `Basic base64(user:password)`.
pub(crate) fn basic_header(username: &str, password: &str) -> String {
    let pair = format!("{username}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// The host of a realm URL, for messages.
fn realm_host(realm: &str) -> &str {
    let rest = realm.split_once("://").map_or(realm, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or(rest)
}

/// Percent-encode a query value (RFC 3986 unreserved characters stay).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(
            encode("repository:library/nginx:pull"),
            "repository%3Alibrary%2Fnginx%3Apull"
        );
        assert_eq!(encode("registry.docker.io"), "registry.docker.io");
        assert_eq!(encode("a b&c"), "a%20b%26c");
    }

    #[test]
    fn basic_header_is_base64_of_the_pair() {
        assert_eq!(basic_header("alice", "s3cret"), "Basic YWxpY2U6czNjcmV0");
    }

    #[test]
    fn realm_hosts() {
        assert_eq!(realm_host("https://auth.docker.io/token"), "auth.docker.io");
        assert_eq!(
            realm_host("http://127.0.0.1:9000/token?x=1"),
            "127.0.0.1:9000"
        );
    }
}
