//! One registry as a run sees it: which scheme it speaks, how it authenticates, and its
//! tokens. The scheme probe is `GET /v2/` (the distribution spec's "Determining
//! support"; go-containerregistry `pkg/v1/remote/transport/ping.go`): HTTPS first, plain
//! HTTP only for a registry [`Options::allows_plain_http`] names and only when HTTPS
//! fails its handshake; 200 needs no auth, 401 brings the challenge. Each registry is
//! probed once per run and its credentials looked up once, however many threads ask.

use super::challenge::{self, Challenge};
use super::error::Cause;
use super::http::{Client, Failure, Reply};
use super::keychain::{self, Credential, Found};
use super::options::Options;
use super::{status, token};
use crate::oci::Reference;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Every registry of a run, each probed on first use.
pub(crate) struct Registries<'a> {
    pub client: &'a Client,
    options: &'a Options,
    probed: Mutex<HashMap<String, Arc<Probe>>>,
}

/// A registry's probe, done by the first thread that needs it.
type Probe = OnceLock<Result<Arc<Endpoint>, Cause>>;

/// One registry: where its API is, and how to authenticate to it.
pub(crate) struct Endpoint {
    /// The registry as references write it (`docker.io`), for credential lookups.
    registry: String,
    /// `host[:port]` of the API (`registry-1.docker.io`).
    host: String,
    /// `https://host` or `http://host`.
    base: String,
    plain_http: bool,
    /// The probe's challenge; `None` when `/v2/` needed no auth.
    challenge: Option<Challenge>,
    credentials: OnceLock<Result<Found, String>>,
    /// Bearer tokens by repository.
    tokens: Mutex<HashMap<String, String>>,
}

impl<'a> Registries<'a> {
    pub fn new(client: &'a Client, options: &'a Options) -> Registries<'a> {
        Registries {
            client,
            options,
            probed: Mutex::new(HashMap::new()),
        }
    }

    /// The endpoint of `reference`'s registry, probed once.
    pub fn endpoint(&self, reference: &Reference) -> Result<Arc<Endpoint>, Cause> {
        let cell = {
            let mut probed = self.probed.lock().unwrap_or_else(|e| e.into_inner());
            probed
                .entry(reference.registry.clone())
                .or_default()
                .clone()
        };
        cell.get_or_init(|| self.probe(reference).map(Arc::new))
            .clone()
    }

    fn probe(&self, reference: &Reference) -> Result<Endpoint, Cause> {
        let host = reference.api_host().to_string();
        let plain_allowed = self.options.allows_plain_http(&reference.registry)
            || self.options.allows_plain_http(&host);
        let mut schemes = vec!["https"];
        if plain_allowed {
            schemes.push("http");
        }
        let mut https_failure = None;
        for scheme in schemes {
            let base = format!("{scheme}://{host}");
            // HTTPS with plain HTTP to fall back on is tried once: a plain-HTTP
            // registry fails it at once, and no retry would change that.
            let url = format!("{base}/v2/");
            let answer = if scheme == "https" && plain_allowed {
                self.client.get_once(&url)
            } else {
                self.client.get(&url, &[])
            };
            let reply = match answer {
                Ok(reply) => reply,
                // HTTPS failed, not for want of an answer: maybe plain HTTP, when allowed
                // (go-containerregistry's ping tries the next scheme on any error).
                Err(failure)
                    if scheme == "https" && plain_allowed && failure != Failure::Timeout =>
                {
                    https_failure = Some(failure);
                    continue;
                }
                // The last scheme failed too. When HTTPS failed its handshake and plain
                // HTTP got no HTTP answer, the registry speaks TLS with a certificate we
                // do not trust: say that.
                Err(failure) => {
                    let failure = match (https_failure.take(), failure) {
                        (Some(tls @ Failure::Tls(_)), Failure::Other(_)) => tls,
                        (_, failure) => failure,
                    };
                    return Err(status::transport(
                        failure,
                        &host,
                        self.client,
                        "answer to /v2/",
                    ));
                }
            };
            let challenge = match reply.status {
                200 => None,
                401 => challenge::pick(&challenge::parse(&reply.challenges)).cloned(),
                // Plain HTTP after a failed handshake got no registry answer (a TLS port
                // says 400 to plain HTTP): the handshake's failure is the story.
                _ if matches!(https_failure, Some(Failure::Tls(_))) => {
                    let tls = https_failure.take().expect("matched");
                    return Err(status::transport(tls, &host, self.client, "answer to /v2/"));
                }
                _ => {
                    return Err(status::unexpected(
                        &reply,
                        &host,
                        "API version check (/v2/)",
                    ));
                }
            };
            return Ok(Endpoint {
                registry: reference.registry.clone(),
                host,
                base,
                plain_http: scheme == "http",
                challenge,
                credentials: OnceLock::new(),
                tokens: Mutex::new(HashMap::new()),
            });
        }
        unreachable!("the last scheme returns")
    }

    /// GET `/v2/<repository>/<path>` with `accept`, authenticated as the registry
    /// asks; any status but 200 is a [`Cause`] naming `what`.
    pub fn get(
        &self,
        endpoint: &Endpoint,
        repository: &str,
        path: &str,
        accept: &str,
        what: &str,
    ) -> Result<Reply, Cause> {
        let url = format!("{}/v2/{repository}/{path}", endpoint.base);
        let mut challenge = endpoint.challenge.clone();
        let mut fresh = false;
        loop {
            let authorization =
                self.authorization(endpoint, repository, challenge.as_ref(), fresh)?;
            let mut headers = vec![("Accept", accept)];
            if let Some(value) = &authorization {
                headers.push(("Authorization", value.as_str()));
            }
            let reply = self
                .client
                .get(&url, &headers)
                .map_err(|f| status::transport(f, &endpoint.host, self.client, what))?;
            match reply.status {
                200 => return Ok(reply),
                // A token may have expired, or a repository may want more than the
                // probe said: answer this challenge once, with a fresh token.
                401 if !fresh => {
                    let challenges = challenge::parse(&reply.challenges);
                    match challenge::pick(&challenges) {
                        Some(c) => challenge = Some(c.clone()),
                        None => return Err(self.refused(endpoint, &reply, repository)),
                    }
                    fresh = true;
                }
                401 | 403 => return Err(self.refused(endpoint, &reply, repository)),
                _ => return Err(status::unexpected(&reply, &endpoint.host, what)),
            }
        }
    }

    /// The `Authorization` value for `repository` under `challenge`, if any.
    fn authorization(
        &self,
        endpoint: &Endpoint,
        repository: &str,
        challenge: Option<&Challenge>,
        fresh: bool,
    ) -> Result<Option<String>, Cause> {
        let Some(challenge) = challenge else {
            return Ok(None);
        };
        let found = self.credentials(endpoint)?;
        match (challenge.scheme.as_str(), &found.credential) {
            ("basic", Credential::Basic { username, password }) => {
                Ok(Some(token::basic_header(username, password)))
            }
            ("bearer", _) => {
                let mut tokens = endpoint.tokens.lock().unwrap_or_else(|e| e.into_inner());
                if !fresh && let Some(token) = tokens.get(repository) {
                    return Ok(Some(format!("Bearer {token}")));
                }
                drop(tokens);
                let token = token::fetch(
                    self.client,
                    &endpoint.host,
                    endpoint.plain_http,
                    challenge,
                    repository,
                    &found,
                )?;
                tokens = endpoint.tokens.lock().unwrap_or_else(|e| e.into_inner());
                tokens.insert(repository.to_string(), token.clone());
                Ok(Some(format!("Bearer {token}")))
            }
            // No credentials for basic, or a scheme we do not speak: ask without, and
            // let the 401 say so.
            _ => Ok(None),
        }
    }

    fn credentials(&self, endpoint: &Endpoint) -> Result<Found, Cause> {
        endpoint
            .credentials
            .get_or_init(|| keychain::lookup(&endpoint.registry, self.options))
            .clone()
            .map_err(|detail| Cause::Credentials {
                registry: endpoint.registry.clone(),
                detail,
            })
    }

    /// A 401 or 403 as a [`Cause`], with the realm and where credentials came from.
    fn refused(&self, endpoint: &Endpoint, reply: &Reply, repository: &str) -> Cause {
        let challenges = challenge::parse(&reply.challenges);
        let realm = challenge::pick(&challenges)
            .or(endpoint.challenge.as_ref())
            .and_then(|c| c.param("realm"))
            .map(str::to_string);
        let credentials = match self.credentials(endpoint) {
            Ok(found) => status::describe(&found),
            Err(cause) => return cause,
        };
        if reply.status == 403 {
            Cause::Forbidden {
                registry: endpoint.host.clone(),
                repository: repository.to_string(),
                realm,
                credentials,
            }
        } else {
            Cause::Unauthorized {
                registry: endpoint.host.clone(),
                realm,
                credentials,
            }
        }
    }
}
