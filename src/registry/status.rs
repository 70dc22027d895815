//! From what a request got to a [`Cause`]: transport failures, HTTP statuses, and the
//! registry's own error code (`{"errors": [{"code", "message"}]}`, the distribution
//! spec's "Error Codes"), cut short and printed on one line.

use super::error::Cause;
use super::http::{Client, Failure, Reply};
use super::keychain::{Credential, Found};
use serde_json::Value;

/// A request that got no HTTP answer from `host`; `what` names the body when the
/// failure is its size.
pub(crate) fn transport(failure: Failure, host: &str, client: &Client, what: &str) -> Cause {
    let registry = host.to_string();
    match failure {
        Failure::Unreachable(detail) => Cause::Unreachable { registry, detail },
        Failure::Timeout => Cause::Timeout {
            registry,
            after: client.timeout,
        },
        Failure::Tls(detail) => Cause::Tls { registry, detail },
        Failure::Oversized => Cause::Oversized {
            what: what.to_string(),
            limit: client.max_bytes(),
        },
        Failure::Other(detail) => Cause::Exchange { registry, detail },
    }
}

/// A status other than 200, 401 and 403, for the request that fetched `what`.
pub(crate) fn unexpected(reply: &Reply, host: &str, what: &str) -> Cause {
    let code = registry_error(&reply.body);
    match reply.status {
        404 => Cause::NotFound {
            what: what.to_string(),
            code,
        },
        429 => Cause::TooManyRequests {
            attempts: reply.attempts,
            retry_after: reply.retry_after,
        },
        status => Cause::Status {
            registry: host.to_string(),
            what: what.to_string(),
            status,
            code,
        },
    }
}

/// Where credentials came from, for a 401 or 403 message (never the secret).
pub(crate) fn describe(found: &Found) -> String {
    match found.credential {
        Credential::Anonymous => format!(
            "anonymous access was refused ({}); log in with `docker login` or add credentials to the docker config",
            found.source
        ),
        _ => format!("the credentials from {} were refused", found.source),
    }
}

/// `CODE: message` of the first error in a registry's error body.
fn registry_error(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let first = value.get("errors")?.as_array()?.first()?;
    let code = first.get("code").and_then(Value::as_str).unwrap_or("");
    let message = first.get("message").and_then(Value::as_str).unwrap_or("");
    let text = match (code.is_empty(), message.is_empty()) {
        (true, true) => return None,
        (false, true) => code.to_string(),
        (true, false) => message.to_string(),
        (false, false) => format!("{code}: {message}"),
    };
    Some(one_line(&text, 200))
}

/// At most `max` characters, control characters as spaces.
fn one_line(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max)
        .collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_error_codes() {
        let body =
            br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{}}]}"#;
        assert_eq!(
            registry_error(body).as_deref(),
            Some("MANIFEST_UNKNOWN: manifest unknown")
        );
        assert_eq!(
            registry_error(br#"{"errors":[{"code":"DENIED"}]}"#).as_deref(),
            Some("DENIED")
        );
        assert_eq!(registry_error(b"<html>"), None);
        assert_eq!(registry_error(br#"{"errors":[]}"#), None);
        let long = format!(r#"{{"errors":[{{"message":"a\nb{}"}}]}}"#, "x".repeat(300));
        let got = registry_error(long.as_bytes()).unwrap();
        assert!(
            got.starts_with("a b") && got.ends_with('…') && got.chars().count() == 201,
            "{got}"
        );
    }
}
