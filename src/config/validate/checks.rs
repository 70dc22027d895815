//! The checks of single values (hosts, images, paths, names, quantities), each given
//! the field it reports as already named in the config's form.

use crate::config::error::{ConfigError, bad};
use crate::knowledge::pinpoint;
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

/// An image reference; a warning when it is not pinned (no tag, or `:latest`).
pub(super) fn image(
    field: &str,
    image: &str,
    warnings: &mut Vec<String>,
) -> Result<(), ConfigError> {
    if image.is_empty() || image.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad(format!("{field}: {image:?} is not an image reference")));
    }
    if image.contains('@') {
        return Ok(()); // pinned by digest
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        None => warnings.push(format!(
            "{field} {image} has no tag: it means :latest, which changes under you; pin a version or a digest"
        )),
        Some((_, "latest")) => warnings.push(format!(
            "{field} {image} uses :latest, which changes under you; pin a version or a digest"
        )),
        Some((_, "")) => return Err(bad(format!("{field}: {image:?} has an empty tag"))),
        Some(_) => {}
    }
    Ok(())
}

pub(super) fn path(field: &str, path: &str) -> Result<(), ConfigError> {
    if !path.starts_with('/')
        || path
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '$')
        || path.contains("/../")
        || path.ends_with("/..")
    {
        return Err(bad(format!(
            "{field}: {path:?} must be an absolute path without spaces, '$' or '..'"
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
}
