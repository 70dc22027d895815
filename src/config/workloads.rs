//! `spec.workloads` (or the ConfigMap key `workloads`): the kinds a user adds to the kind
//! table, parsed and validated, then made rows of the table
//! ([`crate::knowledge::kinds::custom`]).

use crate::knowledge::kinds::{self, WorkloadKind};
use serde::Deserialize;
use serde_json::{Value, json};

/// One entry of `spec.workloads`, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadSpec {
    /// `group/version`, or `group/*` for every version of the group.
    pub api_version: String,
    pub kind: String,
    /// Dot path to an object shaped like a PodTemplateSpec (`metadata` and `spec`).
    pub pod_template: String,
}

/// Validate `spec.workloads` into kinds. Errors name the entry and the field.
pub fn validate(specs: &[WorkloadSpec]) -> Result<Vec<WorkloadKind>, String> {
    let mut kinds: Vec<WorkloadKind> = Vec::new();
    for (index, spec) in specs.iter().enumerate() {
        let at = |field: &str| format!("spec.workloads[{index}].{field}");
        check_api_version(&spec.api_version).map_err(|e| format!("{}: {e}", at("apiVersion")))?;
        if !is_kind(&spec.kind) {
            return Err(format!(
                "{}: {:?} is not a kind (a letter, then letters and digits, like Widget)",
                at("kind"),
                spec.kind
            ));
        }
        if !is_dot_path(&spec.pod_template) {
            return Err(format!(
                "{}: {:?} is not a plain dot path of field names (like spec.runner.template: no indexes, wildcards, quotes or leading dot)",
                at("podTemplate"),
                spec.pod_template
            ));
        }
        let clash = WorkloadKind::all()
            .map(|w| (w, "is built in"))
            .chain(kinds.iter().map(|w| (*w, "is already in spec.workloads")))
            .find(|(w, _)| {
                w.name() == spec.kind
                    && w.api_versions()
                        .iter()
                        .any(|v| overlaps(v, &spec.api_version))
            });
        if let Some((existing, how)) = clash {
            return Err(format!(
                "spec.workloads[{index}]: {} {} {how} (pod template at {}); remove the entry",
                spec.api_version,
                spec.kind,
                existing.template_path()
            ));
        }
        kinds.push(kinds::custom(
            &spec.kind,
            &spec.api_version,
            &spec.pod_template,
        ));
    }
    Ok(kinds)
}

/// Parse the ConfigMap form: one entry per line or comma, each `apiVersion kind
/// podTemplate` separated by spaces (`example.com/v1 Widget spec.runner.template`).
pub fn parse_flat(text: &str) -> Result<Value, String> {
    let mut entries = Vec::new();
    for entry in text
        .split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let words: Vec<&str> = entry.split_whitespace().collect();
        let [api_version, kind, pod_template] = words[..] else {
            return Err(format!(
                "expected `apiVersion kind podTemplate` (like `example.com/v1 Widget spec.runner.template`), found {entry:?}"
            ));
        };
        entries.push(json!({"apiVersion": api_version, "kind": kind, "podTemplate": pod_template}));
    }
    Ok(Value::Array(entries))
}

fn check_api_version(api_version: &str) -> Result<(), String> {
    let Some((group, version)) = api_version.split_once('/') else {
        return Err(format!(
            "{api_version:?} must be group/version or group/* (like example.com/v1); the core group has no custom kinds"
        ));
    };
    if !is_dns_subdomain(group) {
        return Err(format!(
            "{api_version:?}: the group {group:?} is not a DNS subdomain (like example.com)"
        ));
    }
    if version != "*" && !is_version(version) {
        return Err(format!(
            "{api_version:?}: the version {version:?} is not a version (like v1, v1beta1) or *"
        ));
    }
    Ok(())
}

/// True when the two `apiVersion` patterns can match the same resource.
fn overlaps(a: &str, b: &str) -> bool {
    let (group_a, version_a) = a.split_once('/').unwrap_or(("", a));
    let (group_b, version_b) = b.split_once('/').unwrap_or(("", b));
    group_a == group_b && (version_a == version_b || version_a == "*" || version_b == "*")
}

fn is_kind(kind: &str) -> bool {
    kind.starts_with(|c: char| c.is_ascii_alphabetic())
        && kind.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_version(version: &str) -> bool {
    version.starts_with(|c: char| c.is_ascii_lowercase())
        && version.len() <= 63
        && version
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

fn is_dns_subdomain(group: &str) -> bool {
    group.len() <= 253
        && group.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// `spec.runner.template`: field names (letters, digits, `_`, `-`) joined by dots.
pub fn is_dot_path(path: &str) -> bool {
    !path.is_empty()
        && path.split('.').all(|key| {
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
}

#[cfg(test)]
mod tests;
