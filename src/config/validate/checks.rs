//! The checks of single values (hosts, images, paths, names, quantities), each given
//! the field it reports as already named in the config's form.

use crate::config::error::{ConfigError, bad};
use crate::knowledge::pinpoint;
use crate::oci::Reference;
use std::net::IpAddr;

pub(super) fn host(field: &str, host: &str) -> Result<(), ConfigError> {
    let unbracketed = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if unbracketed.parse::<IpAddr>().is_ok() || is_dns_name(host) {
        return Ok(());
    }
    Err(bad(format!(
        "{field}: {host:?} is not a hostname or an IP address"
    )))
}

/// An image reference, as Kubernetes and containerd read one
/// ([`crate::oci::Reference`]); a warning when it is not pinned (no tag, or `:latest`).
pub(super) fn image(
    field: &str,
    image: &str,
    warnings: &mut Vec<String>,
) -> Result<(), ConfigError> {
    let reference = Reference::parse(image).map_err(|e| bad(format!("{field}: {e}")))?;
    if reference.digest.is_some() {
        return Ok(()); // pinned by digest
    }
    match reference.tag.as_deref() {
        None => warnings.push(format!(
            "{field} {image} has no tag: it means :latest, which changes under you; pin a version or a digest"
        )),
        Some("latest") => warnings.push(format!(
            "{field} {image} uses :latest, which changes under you; pin a version or a digest"
        )),
        Some(_) => {}
    }
    Ok(())
}

pub(super) fn path(field: &str, path: &str) -> Result<(), ConfigError> {
    if !path.starts_with('/')
        || path
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '$')
    {
        return Err(bad(format!(
            "{field}: {path:?} must be an absolute path without spaces or '$'"
        )));
    }
    // `//a` and `/./a` name the same directory as `/a`, but a string compare (the copy
    // step's source against its target, a mount over `/`) would not see it.
    let inner = path.strip_suffix('/').unwrap_or(path);
    if inner
        .split('/')
        .skip(1)
        .any(|segment| matches!(segment, "" | "." | ".."))
    {
        return Err(bad(format!(
            "{field}: {path:?} must be a clean absolute path: no '//', '.' or '..' segments"
        )));
    }
    Ok(())
}

pub(super) fn is_token_char(c: char) -> bool {
    pinpoint::is_pinpoint_char(c)
}

pub(super) fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A DNS-1123 label: what Kubernetes accepts as a container or volume name.
pub fn is_dns_label(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

fn is_dns_name(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

pub(super) fn is_quantity(q: &str) -> bool {
    let digits_end = q
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(q.len());
    let (number, suffix) = q.split_at(digits_end);
    !number.is_empty()
        && number.parse::<f64>().is_ok()
        && [
            "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "k", "M", "G", "T", "P", "E", "m",
        ]
        .contains(&suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_clean_and_absolute() {
        for (path, ok) in [
            ("/pinpoint-agent", true),
            ("/pinpoint-agent/", true),
            ("/", true),
            ("/opt/agent/x.y", true),
            ("//pinpoint-agent", false),
            ("/./pinpoint-agent", false),
            ("/a//b", false),
            ("/a/.", false),
            ("/a/../b", false),
            ("/..", false),
            ("pinpoint-agent", false),
            ("/a b", false),
            ("/$(x)", false),
        ] {
            assert_eq!(path_ok(path), ok, "{path}");
        }
    }

    fn path_ok(p: &str) -> bool {
        super::path("agent.mountPath", p).is_ok()
    }

    #[test]
    fn names_hosts_and_quantities() {
        for (name, ok) in [
            ("app", true),
            ("a-1", true),
            ("App", false),
            ("-a", false),
            ("", false),
        ] {
            assert_eq!(is_dns_label(name), ok, "{name}");
        }
        for (h, ok) in [
            ("pinpoint.svc", true),
            ("10.0.0.1", true),
            ("[::1]", true),
            ("a b", false),
        ] {
            assert_eq!(host("f", h).is_ok(), ok, "{h}");
        }
        for (q, ok) in [
            ("256Mi", true),
            ("1.5Gi", true),
            ("Mi", false),
            ("1 Gi", false),
        ] {
            assert_eq!(is_quantity(q), ok, "{q}");
        }
    }

    #[test]
    fn agent_images_are_references_kubernetes_accepts() {
        let pinned = format!(
            "registry.example.com:5000/apm/agent@sha256:{}",
            "a".repeat(64)
        );
        for (image, ok, warned) in [
            ("pinpointdocker/pinpoint-agent:3.0.1", true, false),
            (pinned.as_str(), true, false),
            ("pinpointdocker/pinpoint-agent", true, true),
            ("pinpointdocker/pinpoint-agent:latest", true, true),
            ("x:1;rm", false, false),
            ("$(EVIL):1", false, false),
            ("`id`:1", false, false),
            ("Agent:1", false, false),
            ("agent:", false, false),
            ("agent:1 --x", false, false),
            ("", false, false),
        ] {
            let mut warnings = Vec::new();
            let result = super::image("spec.agent.image", image, &mut warnings);
            assert_eq!(result.is_ok(), ok, "{image}: {result:?}");
            if let Err(e) = result {
                assert!(e.to_string().contains("spec.agent.image"), "{e}");
            }
            assert_eq!(!warnings.is_empty(), warned, "{image}: {warnings:?}");
        }
    }
}
