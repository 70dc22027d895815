//! Pinpoint application names: made valid for Pinpoint by construction
//! (`[a-zA-Z0-9._-]`, bounded length), and the order in which one container's name is
//! resolved (our annotation, other APMs' keys, the Job template, the template).

use crate::config::Settings;
use crate::config::template::{HASH_LEN, MIN_MAX_LENGTH, NameContext};
use crate::decide::fields::{annotation, str_at};
use crate::decide::keys::Keys;
use crate::knowledge::kinds::WorkloadKind;
use crate::knowledge::ours::APPLICATION_NAME_ANNOTATION;
use crate::knowledge::pinpoint::is_pinpoint_char;
use crate::value::Field;
use serde_json::Value;
use std::fmt;

/// A name made valid for Pinpoint, and what had to be done to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeName {
    pub value: String,
    /// Characters outside `[a-zA-Z0-9._-]` were replaced by `-`.
    pub replaced: bool,
    /// The name was longer than allowed and was shortened to a prefix and a hash.
    pub shortened: bool,
}

impl fmt::Display for SafeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

/// Make `raw` a valid Pinpoint id of at most `max_len` characters, deterministically:
/// invalid characters become `-`; a long name keeps a prefix and gains a stable hash
/// of the whole raw name, so two long names with the same prefix stay apart.
pub fn sanitize(raw: &str, max_len: usize) -> SafeName {
    debug_assert!(max_len >= MIN_MAX_LENGTH);
    let mut replaced = false;
    let cleaned: String = raw
        .chars()
        .map(|c| {
            if is_pinpoint_char(c) {
                c
            } else {
                replaced = true;
                '-'
            }
        })
        .collect();
    if cleaned.len() <= max_len {
        return SafeName {
            value: cleaned,
            replaced,
            shortened: false,
        };
    }
    let hash = format!(
        "{:0width$x}",
        fnv1a(raw.as_bytes()) & 0xff_ffff,
        width = HASH_LEN
    );
    let prefix = cleaned[..max_len - HASH_LEN - 1].trim_end_matches(['-', '.', '_']);
    SafeName {
        value: format!("{prefix}-{hash}"),
        replaced,
        shortened: true,
    }
}

/// 64-bit FNV-1a: tiny, stable across platforms and releases (unlike std's hasher).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

// ---- Resolving the name of one container ---------------------------------------------

/// The application name of one container and where it came from, in the documented
/// order: our annotation, another APM's keys, the Job template, the template.
pub fn application_name(
    resource: &Value,
    template: &Value,
    workload: WorkloadKind,
    settings: &Settings,
    keys: &Keys,
    container: &str,
) -> Result<(String, String), String> {
    let (template_used, field) = if workload.runs_to_completion() {
        (
            &settings.job_application_name,
            settings.field("naming.jobApplicationName"),
        )
    } else {
        (
            &settings.application_name,
            settings.field("naming.applicationName"),
        )
    };
    let named = resource
        .field("metadata")
        .and_then(|m| m.field("name"))
        .and_then(Value::as_str)
        .is_some_and(|n| !n.is_empty());
    let empty = || {
        let why = if named {
            String::new()
        } else {
            " (the workload has no metadata.name, a string the API server requires)".into()
        };
        format!(
            "the application name for container {container:?} is empty{why}; add a fallback to {field} (e.g. {{label:app|name}}) or annotate {APPLICATION_NAME_ANNOTATION}"
        )
    };
    if let Some(name) = annotation(resource, Some(template), APPLICATION_NAME_ANNOTATION) {
        if name.is_empty() {
            return Err(format!(
                "annotation {APPLICATION_NAME_ANNOTATION} is empty: give it the application name of container {container:?}, or remove it"
            ));
        }
        return Ok((
            name.to_string(),
            format!("annotation {APPLICATION_NAME_ANNOTATION}"),
        ));
    }
    if let Some((name, key)) = keys.application_name(container) {
        return Ok((name, key));
    }
    let name = match str_at(resource, &["metadata", "name"]) {
        "" => str_at(resource, &["metadata", "generateName"]).trim_end_matches('-'),
        name => name,
    };
    let raw = template_used.render(&NameContext {
        name,
        namespace: str_at(resource, &["metadata", "namespace"]),
        kind: workload.name(),
        container,
        labels: keys.labels.clone(),
        annotations: keys.annotations.clone(),
    });
    if raw.is_empty() {
        return Err(empty());
    }
    Ok((raw, field))
}

pub fn name_note(raw: &str, safe: &SafeName, max_length: usize) -> Option<String> {
    let what = match (safe.replaced, safe.shortened) {
        (false, false) => return None,
        (true, true) => {
            format!("has characters Pinpoint does not accept and is longer than {max_length}")
        }
        (true, false) => {
            "has characters Pinpoint does not accept ([a-zA-Z0-9._-] only)".to_string()
        }
        _ => format!("is longer than {max_length} characters"),
    };
    Some(format!(
        "application name {raw:?} {what}; using {:?}",
        safe.value
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_characters_are_replaced() {
        let s = sanitize("my app/v2 -Dx=y", 24);
        assert_eq!(s.value, "my-app-v2--Dx-y");
        assert!(s.replaced && !s.shortened);
    }

    #[test]
    fn long_names_get_a_stable_prefix_and_hash() {
        let a = sanitize("payment-service-production-eu-west", 24);
        let b = sanitize("payment-service-production-us-east", 24);
        assert_eq!(a.value.len(), 24);
        assert!(a.value.starts_with("payment-service-"));
        assert_ne!(a.value, b.value);
        assert_eq!(a, sanitize("payment-service-production-eu-west", 24));
        assert!(a.shortened);
    }
}
