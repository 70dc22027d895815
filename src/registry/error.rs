//! Why an image config could not be read: [`FetchError`] names the image, its
//! [`Cause`] says what the registry (or the network, or the credentials) did. No
//! message ever holds a password, a token or an `Authorization` header: causes carry
//! statuses, realms, digests and the registry's own error codes only.

use std::time::Duration;

/// One image that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read the image config of {image}: {cause}")]
pub struct FetchError {
    /// The image's canonical reference (`docker.io/library/nginx:latest`).
    pub image: String,
    pub cause: Cause,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Cause {
    /// No connection: refused, no route, or the name does not resolve.
    #[error("{registry} is unreachable: {detail}")]
    Unreachable { registry: String, detail: String },
    /// The connection broke, or the answer was not HTTP.
    #[error("the exchange with {registry} failed: {detail}")]
    Exchange { registry: String, detail: String },
    #[error("{registry} did not answer within {}s", .after.as_secs_f64())]
    Timeout { registry: String, after: Duration },
    /// The TLS handshake failed (an unknown CA, a name mismatch, or plain HTTP).
    #[error(
        "TLS with {registry} failed: {detail} (plain HTTP is used only for a loopback registry or one named as insecure; a private CA must be in the system trust store or SSL_CERT_FILE)"
    )]
    Tls { registry: String, detail: String },
    /// 401: no credentials, or refused ones.
    #[error("{registry} answered 401 Unauthorized{}: {credentials}", realm_text(.realm))]
    Unauthorized {
        registry: String,
        realm: Option<String>,
        /// Where the credentials came from, or that there were none (never the secret).
        credentials: String,
    },
    /// 403: the credentials are known and lack the right.
    #[error("{registry} answered 403 Forbidden{}: pulling {repository} is denied; {credentials}", realm_text(.realm))]
    Forbidden {
        registry: String,
        repository: String,
        realm: Option<String>,
        credentials: String,
    },
    /// 404 for the manifest (`MANIFEST_UNKNOWN`, `NAME_UNKNOWN`) or a blob.
    #[error("{what} not found (404{})", registry_error(.code))]
    NotFound { what: String, code: Option<String> },
    #[error("still 429 Too Many Requests after {attempts} attempt{}{}", if *.attempts == 1 { "" } else { "s" }, retry_after_text(.retry_after))]
    TooManyRequests {
        attempts: u32,
        retry_after: Option<Duration>,
    },
    #[error("{registry} answered {status} to {what}{}", registry_error(.code))]
    Status {
        registry: String,
        what: String,
        status: u16,
        code: Option<String>,
    },
    /// The bytes are not the JSON document they should be.
    #[error("the {what} is malformed: {detail}")]
    Malformed { what: String, detail: String },
    #[error("the {what} has media type {media_type:?}, which is not an image{}", expected_text(.expected))]
    MediaType {
        what: String,
        media_type: String,
        expected: &'static str,
    },
    #[error("the {what} is larger than the limit of {limit} bytes")]
    Oversized { what: String, limit: u64 },
    #[error("the {what} has digest {actual}, not {expected}")]
    DigestMismatch {
        what: String,
        expected: String,
        actual: String,
    },
    #[error("the image index has no manifest for {wanted}; it has: {}", list(.available))]
    NoPlatform {
        wanted: String,
        available: Vec<String>,
    },
    /// The registry's token endpoint is not one credentials may be sent to.
    #[error("the token realm {realm:?} of {registry} is refused: {reason}")]
    Realm {
        registry: String,
        realm: String,
        reason: String,
    },
    /// The docker config or a credential helper failed.
    #[error("credentials for {registry}: {detail}")]
    Credentials { registry: String, detail: String },
}

fn realm_text(realm: &Option<String>) -> String {
    realm
        .as_ref()
        .map(|r| format!(" (realm {r})"))
        .unwrap_or_default()
}

fn registry_error(code: &Option<String>) -> String {
    code.as_ref().map(|c| format!(", {c}")).unwrap_or_default()
}

fn retry_after_text(after: &Option<Duration>) -> String {
    after
        .map(|d| format!("; the registry asked to wait {}s", d.as_secs()))
        .unwrap_or_default()
}

fn expected_text(expected: &&'static str) -> String {
    if expected.is_empty() {
        String::new()
    } else {
        format!(" (expected {expected})")
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "no platform entries".to_string()
    } else {
        items.join(", ")
    }
}
