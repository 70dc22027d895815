//! `agent.delivery` against the cluster's version (`spec.kubernetesVersion`, or
//! `--kube-version` over it, read as Helm reads its `--kube-version`: `1.35`,
//! `v1.35.0`, `1.35.2-gke.1`), with the facts of [`crate::knowledge::image_volume`];
//! and the name of the logs volume an image volume needs.

use super::checks;
use crate::config::error::{ConfigError, bad};
use crate::config::form::Form;
use crate::config::settings::AgentSettings;
use crate::config::settings::Delivery;
use crate::config::settings::Overrides;
use crate::knowledge::image_volume::{
    FEATURE_GATE, FIELD_FROM, Minor, ON_BY_DEFAULT_FROM, SUB_PATH_FROM, before, show,
};
use serde_json::Value;

/// The version the command line gives, else the config's; `None` when neither does.
pub(super) fn kubernetes_version(
    configured: Option<&Value>,
    overrides: &Overrides,
    form: Form,
) -> Result<Option<Minor>, ConfigError> {
    if let Some(text) = &overrides.kubernetes_version {
        return parse(text)
            .map(Some)
            .map_err(|e| bad(format!("--kube-version: {e}")));
    }
    let field = form.field("kubernetesVersion");
    match configured {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => parse(text)
            .map(Some)
            .map_err(|e| bad(format!("{field}: {e}"))),
        Some(other) => Err(bad(format!(
            "{field}: {other} is not a string; quote it (\"1.30\": YAML reads 1.30 as the number 1.3)"
        ))),
    }
}

/// `MAJOR.MINOR`, with an optional `v`, patch, pre-release and build (Masterminds/semver,
/// which Helm's `chartutil.ParseKubeVersion` uses, reads the same forms).
pub fn parse(text: &str) -> Result<Minor, String> {
    let wrong = || format!("{text:?} is not a Kubernetes version (like 1.35 or v1.35.0)");
    let core = text.trim().trim_start_matches('v');
    let core = core.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [major, minor] | [major, minor, _] if parts.get(2).is_none_or(|p| number(p).is_some()) => {
            Ok((
                number(major).ok_or_else(wrong)?,
                number(minor).ok_or_else(wrong)?,
            ))
        }
        _ => Err(wrong()),
    }
}

/// Check the delivery against the version; the name of the logs volume.
pub(super) fn check(
    agent: &AgentSettings,
    version: Option<Minor>,
    form: Form,
    warnings: &mut Vec<String>,
) -> Result<String, ConfigError> {
    let log_volume = format!("{}-logs", agent.volume_name);
    if agent.delivery != Delivery::ImageVolume {
        return Ok(log_volume);
    }
    let delivery = form.field("agent.delivery");
    if !checks::is_dns_label(&log_volume) {
        return Err(bad(format!(
            "{}: {:?} is too long for {delivery} imageVolume, which adds a volume {log_volume:?} for the agent's logs (a name has at most 63 characters)",
            form.field("agent.volumeName"),
            agent.volume_name
        )));
    }
    if !agent.copy_step_fields.is_empty() {
        let fields: Vec<String> = agent
            .copy_step_fields
            .iter()
            .map(|f| form.field(&format!("agent.{f}")))
            .collect();
        warnings.push(format!(
            "{} only apply to the copy step, and {delivery} imageVolume has none: ignored",
            fields.join(", ")
        ));
    }
    let Some(version) = version else {
        return Ok(log_volume);
    };
    let at = show(version);
    if before(version, FIELD_FROM) {
        return Err(bad(format!(
            "{delivery} imageVolume needs Kubernetes {} or later (the image volume source came in {}), and the cluster is {at}; use initContainer",
            show(FIELD_FROM),
            show(FIELD_FROM)
        )));
    }
    if before(version, ON_BY_DEFAULT_FROM) {
        let sub_path = if agent.source_path.trim_end_matches('/').is_empty() {
            String::new()
        } else if before(version, SUB_PATH_FROM) {
            format!(
                "; and subPath in an image volume works from {}, which this wiring needs to mount {} of the image ({} / and an image with the agent at its root needs none)",
                show(SUB_PATH_FROM),
                agent.source_path,
                form.field("agent.sourcePath")
            )
        } else {
            format!(
                " (subPath in an image volume, which this wiring uses, works from {})",
                show(SUB_PATH_FROM)
            )
        };
        warnings.push(format!(
            "{delivery} imageVolume on Kubernetes {at}: image volumes are on by default from {}; before, the {FEATURE_GATE} feature gate must be on in the API server and every kubelet, with a container runtime that supports them{sub_path}",
            show(ON_BY_DEFAULT_FROM)
        ));
    }
    Ok(log_volume)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn versions_read_as_helm_reads_them() {
        for (text, version) in [
            ("1.35", Some((1, 35))),
            ("v1.35.0", Some((1, 35))),
            ("1.33.4-gke.100", Some((1, 33))),
            ("v1.31.0+k3s1", Some((1, 31))),
            ("1", None),
            ("1.x", None),
            ("one.two", None),
            ("1.35.x", None),
            ("", None),
        ] {
            assert_eq!(parse(text).ok(), version, "{text}");
        }
    }
}
