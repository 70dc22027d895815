//! `WWW-Authenticate` challenges (RFC 9110 section 11.6.1: a scheme, then
//! `key=value` or `key="quoted"` parameters) and the check of a bearer realm before a
//! token is asked of it. The realm check follows go-containerregistry's
//! `pkg/v1/remote/transport/bearer.go` (`validateRealmURL`): https (http only for a
//! registry spoken to in plain HTTP), and the realm's host is the registry's, or in the
//! same domain (its last two labels), or both are loopback; any other IP address is
//! refused, so a registry cannot send credentials to a private or metadata address.

use std::collections::BTreeMap;

/// One challenge: the scheme (lowercased) and its parameters (keys lowercased).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Challenge {
    pub scheme: String,
    pub params: BTreeMap<String, String>,
}

impl Challenge {
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params.get(key).map(String::as_str)
    }
}

/// Every challenge in the headers, in order.
pub(crate) fn parse(headers: &[String]) -> Vec<Challenge> {
    headers.iter().flat_map(|h| parse_one(h)).collect()
}

/// The challenge we answer: bearer, else basic (`pickFromMultipleChallenges` in
/// go-containerregistry's `ping.go`).
pub(crate) fn pick(challenges: &[Challenge]) -> Option<&Challenge> {
    challenges
        .iter()
        .find(|c| c.scheme == "bearer")
        .or_else(|| challenges.iter().find(|c| c.scheme == "basic"))
}

fn parse_one(header: &str) -> Vec<Challenge> {
    let mut out: Vec<Challenge> = Vec::new();
    let mut rest = header.trim();
    while !rest.is_empty() {
        rest = rest.trim_start_matches([',', ' ', '\t']);
        let token_end = rest.find([' ', '\t', ',', '=']).unwrap_or(rest.len());
        let token = &rest[..token_end];
        if token.is_empty() {
            break;
        }
        let after = rest[token_end..].trim_start_matches([' ', '\t']);
        if let Some(value_text) = after.strip_prefix('=')
            && let Some(current) = out.last_mut()
        {
            // A parameter of the current challenge.
            let (value, remainder) = parse_value(value_text.trim_start());
            current.params.insert(token.to_ascii_lowercase(), value);
            rest = remainder;
        } else {
            // A new challenge's scheme.
            out.push(Challenge {
                scheme: token.to_ascii_lowercase(),
                params: BTreeMap::new(),
            });
            rest = after;
        }
    }
    out
}

/// A quoted string (with `\` escapes) or a token; and what follows it.
fn parse_value(text: &str) -> (String, &str) {
    if let Some(quoted) = text.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        value.push(escaped);
                    }
                }
                '"' => return (value, &quoted[i + 1..]),
                _ => value.push(c),
            }
        }
        (value, "")
    } else {
        let end = text.find([',', ' ', '\t']).unwrap_or(text.len());
        (text[..end].to_string(), &text[end..])
    }
}

/// The parts of a realm URL the check needs: scheme and host (without port).
fn scheme_and_host(url: &str) -> Option<(&str, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') || authority.is_empty() {
        return None;
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default().to_string()
    } else {
        authority.split(':').next().unwrap_or_default().to_string()
    };
    Some((scheme, host.to_ascii_lowercase()))
}

/// Why a bearer realm must not be asked for a token, or `None` when it may.
/// `registry` is the API host (`host[:port]`), `plain_http` whether we speak plain
/// HTTP to it.
pub(crate) fn realm_refusal(realm: &str, registry: &str, plain_http: bool) -> Option<String> {
    let Some((scheme, host)) = scheme_and_host(realm) else {
        return Some("it is not an absolute http(s) URL".into());
    };
    match scheme {
        "https" => {}
        "http" if plain_http => {}
        "http" => return Some("a registry spoken to over HTTPS must have an https realm".into()),
        other => return Some(format!("its scheme {other:?} is not https")),
    }
    let registry_host = scheme_and_host(&format!("x://{registry}"))
        .map(|(_, h)| h)
        .unwrap_or_default();
    let loopback = |h: &str| h == "::1" || crate::oci::is_loopback_registry(h);
    if host == registry_host || (loopback(&host) && loopback(&registry_host)) {
        return None;
    }
    if is_ip_address(&host) {
        return Some(format!(
            "its host {host} is an IP address other than the registry's"
        ));
    }
    if domain(&host) != domain(&registry_host) {
        return Some(format!(
            "its host {host} is not in the registry's domain {}",
            domain(&registry_host)
        ));
    }
    None
}

fn is_ip_address(host: &str) -> bool {
    host.contains(':') || (!host.is_empty() && host.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The last two labels of a host name (`auth.docker.io` → `docker.io`).
fn domain(host: &str) -> String {
    let labels: Vec<&str> = host.trim_end_matches('.').split('.').collect();
    labels[labels.len().saturating_sub(2)..].join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(header: &str) -> Challenge {
        let all = parse(&[header.to_string()]);
        assert_eq!(all.len(), 1, "{header}: {all:?}");
        all.into_iter().next().unwrap()
    }

    #[test]
    fn docker_hub_bearer_challenge() {
        let c = one(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull""#,
        );
        assert_eq!(c.scheme, "bearer");
        assert_eq!(c.param("realm"), Some("https://auth.docker.io/token"));
        assert_eq!(c.param("service"), Some("registry.docker.io"));
        assert_eq!(c.param("scope"), Some("repository:library/nginx:pull"));
    }

    #[test]
    fn odd_spellings() {
        let c = one(r#"BASIC Realm=registry"#);
        assert_eq!(
            (c.scheme.as_str(), c.param("realm")),
            ("basic", Some("registry"))
        );
        let c = one(r#"Bearer realm="a \"quoted\", realm" , error="insufficient_scope""#);
        assert_eq!(c.param("realm"), Some(r#"a "quoted", realm"#));
        assert_eq!(c.param("error"), Some("insufficient_scope"));
        let two = parse(&[r#"Negotiate, Basic realm="x""#.to_string()]);
        assert_eq!(two.len(), 2);
        assert_eq!(pick(&two).unwrap().scheme, "basic");
        let both = parse(&[
            "Basic realm=a".into(),
            r#"Bearer realm="https://b/t""#.into(),
        ]);
        assert_eq!(pick(&both).unwrap().scheme, "bearer");
        assert!(parse(&[String::new()]).is_empty());
    }

    #[test]
    fn realms_credentials_may_go_to() {
        let cases = [
            (
                "Docker Hub",
                "https://auth.docker.io/token",
                "registry-1.docker.io",
                false,
                None,
            ),
            (
                "GHCR, same host",
                "https://ghcr.io/token",
                "ghcr.io",
                false,
                None,
            ),
            (
                "Harbor, same host and port",
                "https://harbor.corp.example/service/token",
                "harbor.corp.example:8443",
                false,
                None,
            ),
            (
                "loopback registry, loopback realm on another port",
                "http://127.0.0.1:9000/token",
                "127.0.0.1:5000",
                true,
                None,
            ),
            (
                "localhost realm for a 127.0.0.1 registry",
                "http://localhost:9000/token",
                "127.0.0.1:5000",
                true,
                None,
            ),
            (
                "http realm for an HTTPS registry",
                "http://auth.docker.io/token",
                "registry-1.docker.io",
                false,
                Some("https realm"),
            ),
            (
                "another domain",
                "https://evil.example/token",
                "ghcr.io",
                false,
                Some("not in the registry's domain"),
            ),
            (
                "a metadata address",
                "https://169.254.169.254/token",
                "registry.example.com",
                false,
                Some("IP address"),
            ),
            (
                "a private address for a loopback registry",
                "http://10.0.0.1/token",
                "127.0.0.1:5000",
                true,
                Some("IP address"),
            ),
            (
                "credentials in the URL",
                "https://user@ghcr.io/token",
                "ghcr.io",
                false,
                Some("absolute"),
            ),
            ("not a URL", "/token", "ghcr.io", false, Some("absolute")),
            (
                "another scheme",
                "ftp://ghcr.io/token",
                "ghcr.io",
                false,
                Some("scheme"),
            ),
        ];
        for (name, realm, registry, plain, refusal) in cases {
            let got = realm_refusal(realm, registry, plain);
            match refusal {
                None => assert_eq!(got, None, "{name}"),
                Some(part) => assert!(
                    got.as_deref().is_some_and(|g| g.contains(part)),
                    "{name}: {got:?} should say {part:?}"
                ),
            }
        }
    }
}
