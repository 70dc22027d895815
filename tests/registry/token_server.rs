//! A token server for CNCF Distribution's token auth (`auth.token` in its config),
//! as Docker Hub's `auth.docker.io` behaves: `GET /token?service=&scope=` answers a JWT
//! granting what the caller may do (Basic credentials for a user; none for anonymous,
//! who may pull `public/*` only); `POST /token` is the OAuth2 refresh-token grant that
//! an `identitytoken` uses. Tokens are EdDSA JWTs signed with a key made at start (ring),
//! whose JWKS Distribution reads (`registry/auth/token/` at v3.1.2 verifies `kid`, `iss`,
//! `aud`, `exp`/`nbf` and the `access` claim). Counts the token requests it answered.

use super::wire::{Request, form, read_request, respond};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde_json::{Value, json};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub const SERVICE: &str = "pinpoint-test-registry";
pub const ISSUER: &str = "pinpoint-test-issuer";
const KID: &str = "pinpoint-test-key";

/// The users: name, password, actions granted on every repository.
pub const USERS: &[(&str, &str, &[&str])] = &[
    ("alice", "s3cret", &["pull", "push", "delete"]),
    ("bob", "pw", &["pull"]),
];
/// The OAuth2 refresh token that stands for alice (a docker config `identitytoken`).
pub const REFRESH_TOKEN: &str = "refresh-token-of-alice";

pub struct TokenServer {
    pub port: u16,
    requests: Arc<AtomicUsize>,
}

impl TokenServer {
    /// Start serving on 127.0.0.1; write the JWKS Distribution needs to `jwks`.
    pub fn start(jwks: &Path) -> TokenServer {
        let rng = SystemRandom::new();
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
        let key = Arc::new(Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap());
        let x = URL_SAFE_NO_PAD.encode(key.public_key().as_ref());
        let set = json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": KID, "alg": "EdDSA", "use": "sig", "x": x}]});
        std::fs::write(jwks, set.to_string()).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let key = key.clone();
                let counter = counter.clone();
                std::thread::spawn(move || {
                    if let Some(request) = read_request(&stream) {
                        counter.fetch_add(1, Ordering::Relaxed);
                        let (status, body) = answer(&request, &key);
                        let headers = [("Content-Type", "application/json".to_string())];
                        respond(&stream, status, &headers, body.to_string().as_bytes(), true);
                    }
                });
            }
        });
        TokenServer { port, requests }
    }

    /// The realm to configure: `localhost`, not an IP address, as crane refuses a
    /// loopback IP realm on another port than the registry's.
    pub fn realm(&self) -> String {
        format!("http://localhost:{}/token", self.port)
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }
}

/// Who asks: `Some(user)` with valid credentials, `None` for anonymous, `Err` for bad ones.
fn caller(request: &Request) -> Result<Option<&'static str>, ()> {
    if request.method == "POST" {
        let fields = form(&String::from_utf8_lossy(&request.body));
        let field = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        return match (field("grant_type"), field("refresh_token")) {
            (Some("refresh_token"), Some(REFRESH_TOKEN)) => Ok(Some("alice")),
            _ => Err(()),
        };
    }
    let Some(auth) = request.header("authorization") else {
        return Ok(None);
    };
    let decoded = auth
        .strip_prefix("Basic ")
        .and_then(|b| STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or(())?;
    USERS
        .iter()
        .find(|(u, p, _)| format!("{u}:{p}") == decoded)
        .map(|(u, _, _)| Some(*u))
        .ok_or(())
}

fn answer(request: &Request, key: &Ed25519KeyPair) -> (u16, Value) {
    let Ok(user) = caller(request) else {
        return (
            401,
            json!({"errors": [{"code": "UNAUTHORIZED", "message": "bad credentials"}]}),
        );
    };
    let params = if request.method == "POST" {
        form(&String::from_utf8_lossy(&request.body))
    } else {
        request.query()
    };
    // `scope=repository:NAME:pull,push`, maybe several.
    let access: Vec<Value> = params
        .iter()
        .filter(|(k, _)| k == "scope")
        .flat_map(|(_, v)| v.split(' ').map(str::to_string).collect::<Vec<_>>())
        .filter_map(|scope| {
            let mut parts = scope.splitn(3, ':');
            let (kind, name, actions) = (parts.next()?, parts.next()?, parts.next()?);
            let allowed: Vec<&str> = actions.split(',').filter(|a| may(user, name, a)).collect();
            Some(json!({"type": kind, "name": name, "actions": allowed}))
        })
        .collect();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let header = json!({"alg": "EdDSA", "typ": "JWT", "kid": KID});
    let claims = json!({
        "iss": ISSUER, "sub": user.unwrap_or(""), "aud": SERVICE,
        "exp": now + 300, "nbf": now - 10, "iat": now, "jti": format!("{now}-{}", rand_id()),
        "access": access,
    });
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = URL_SAFE_NO_PAD.encode(key.sign(signing_input.as_bytes()).as_ref());
    let token = format!("{signing_input}.{signature}");
    let mut body = json!({"token": token, "access_token": token, "expires_in": 300});
    if request.method == "POST" {
        body["refresh_token"] = json!(REFRESH_TOKEN);
    }
    (200, body)
}

/// Users may do what [`USERS`] says; anonymous may pull `public/*`.
fn may(user: Option<&str>, repository: &str, action: &str) -> bool {
    match user {
        Some(user) => USERS
            .iter()
            .any(|(u, _, actions)| *u == user && actions.contains(&action)),
        None => action == "pull" && repository.starts_with("public/"),
    }
}

fn rand_id() -> u64 {
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::Relaxed) as u64
}
