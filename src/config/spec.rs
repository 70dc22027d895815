//! What users write: the serde types of `spec` (camelCase, unknown fields rejected,
//! defaults from [`super::defaults`]). Nothing here is checked beyond its shape.

use super::defaults;
use super::images::ImageRuleSpec;
use super::strict::Strict;
use super::workloads::WorkloadSpec;
use k8s_openapi::api::core::v1::{ResourceRequirements, SecurityContext};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The `apiVersion` and `kind` of the config resource.
pub const API_VERSION: &str = "pinpoint-inject.dev/v1alpha1";
pub const KIND: &str = "PinpointInjector";

/// A `PinpointInjector` document.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Document {
    #[allow(dead_code)]
    api_version: String,
    #[allow(dead_code)]
    kind: String,
    #[serde(default)]
    #[allow(dead_code)]
    metadata: Option<Value>,
    pub spec: Spec,
}

/// `spec` of a `PinpointInjector` (and what the flat ConfigMap keys nest into).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Spec {
    pub collector: Collector,
    pub agent: Agent,
    #[serde(default)]
    pub naming: Naming,
    #[serde(default)]
    pub select: Select,
    #[serde(default)]
    pub containers: Vec<String>,
    #[serde(default)]
    pub workloads: Vec<WorkloadSpec>,
    #[serde(default)]
    pub images: Vec<ImageRuleSpec>,
    /// `1.35`, `v1.35.0`: the cluster the output is for (as Helm's `--kube-version`).
    /// Kept as written: a number is refused in validation (`1.30` reads as 1.3).
    #[serde(default)]
    pub kubernetes_version: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Collector {
    pub host: String,
    #[serde(default = "agent_port")]
    pub agent_port: u16,
    #[serde(default = "metadata_port")]
    pub metadata_port: u16,
    #[serde(default = "stat_port")]
    pub stat_port: u16,
    #[serde(default = "span_port")]
    pub span_port: u16,
}

fn agent_port() -> u16 {
    defaults::AGENT_PORT
}
fn metadata_port() -> u16 {
    defaults::METADATA_PORT
}
fn stat_port() -> u16 {
    defaults::STAT_PORT
}
fn span_port() -> u16 {
    defaults::SPAN_PORT
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Agent {
    pub image: String,
    #[serde(default = "delivery")]
    pub delivery: String,
    #[serde(default)]
    pub image_pull_policy: Option<String>,
    #[serde(default = "source_path")]
    pub source_path: String,
    #[serde(default = "mount_path")]
    pub mount_path: String,
    #[serde(default = "bootstrap_jar")]
    pub bootstrap_jar: String,
    #[serde(default = "profile")]
    pub profile: String,
    #[serde(default)]
    pub options_env: Option<String>,
    #[serde(default)]
    pub system_properties: BTreeMap<String, Scalar>,
    #[serde(default)]
    pub resources: Option<Strict<ResourceRequirements>>,
    #[serde(default)]
    pub security_context: Option<Strict<SecurityContext>>,
    #[serde(default)]
    pub volume_size_limit: Option<Scalar>,
    #[serde(default = "volume_name")]
    pub volume_name: String,
    #[serde(default = "init_container_name")]
    pub init_container_name: String,
}

fn delivery() -> String {
    defaults::DELIVERY.into()
}
fn source_path() -> String {
    defaults::SOURCE_PATH.into()
}
fn mount_path() -> String {
    defaults::MOUNT_PATH.into()
}
fn bootstrap_jar() -> String {
    defaults::BOOTSTRAP_JAR.into()
}
fn profile() -> String {
    defaults::PROFILE.into()
}
fn volume_name() -> String {
    defaults::VOLUME_NAME.into()
}
fn init_container_name() -> String {
    defaults::INIT_CONTAINER_NAME.into()
}

/// `naming`: unset fields take their default in validation (a template is parsed there).
#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Naming {
    #[serde(default)]
    pub application_name: Option<String>,
    #[serde(default)]
    pub job_application_name: Option<String>,
    #[serde(default)]
    pub max_length: Option<usize>,
    #[serde(default)]
    pub agent_name: Option<String>,
    #[serde(default)]
    pub agent_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct Select {
    #[serde(default)]
    pub kinds: Vec<String>,
    #[serde(default)]
    pub namespaces: Vec<String>,
    #[serde(default)]
    pub match_labels: BTreeMap<String, String>,
    #[serde(default)]
    pub exclude_names: Vec<String>,
    #[serde(default = "opt_in")]
    pub opt_in: bool,
    #[serde(default)]
    pub runtimes: Option<Vec<String>>,
    #[serde(default)]
    pub categories: Option<Vec<String>>,
}

impl Default for Select {
    fn default() -> Self {
        Select {
            kinds: Vec::new(),
            namespaces: Vec::new(),
            match_labels: BTreeMap::new(),
            exclude_names: Vec::new(),
            opt_in: defaults::OPT_IN,
            runtimes: None,
            categories: None,
        }
    }
}

fn opt_in() -> bool {
    defaults::OPT_IN
}

/// A scalar written as a string, number or bool (`rate: 20` and `rate: "20"` alike).
#[derive(Debug, Clone)]
pub(super) struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) => Ok(Scalar(s)),
            // An integer reads back as written; a float or a YAML 1.1 boolean may not
            // (`1.10` is 1.1, `on` is true): those must be quoted, as Kubernetes asks of
            // a string field.
            Value::Number(n) if !n.is_f64() => Ok(Scalar(n.to_string())),
            other @ (Value::Number(_) | Value::Bool(_)) => Err(serde::de::Error::custom(format!(
                "{} ({other}) may not read back as it is written; quote it",
                type_name(&other)
            ))),
            other => Err(serde::de::Error::custom(format!(
                "expected a string, number or bool, found {}",
                type_name(&other)
            ))),
        }
    }
}

/// How a message names the type of a value that is not what was expected.
pub(super) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_take_strings_and_integers_only() {
        for (value, text) in [
            (json!("20"), "20"),
            (json!(20), "20"),
            (json!("1.10"), "1.10"),
        ] {
            let Scalar(s) = serde_json::from_value(value).unwrap();
            assert_eq!(s, text);
        }
        // What may not read back as written (`1.10` is 1.1, `on` is true) is quoted.
        for value in [json!(1.1), json!(true)] {
            let err = serde_json::from_value::<Scalar>(value.clone()).unwrap_err();
            assert!(err.to_string().contains("quote it"), "{value}: {err}");
        }
        let err = serde_json::from_value::<Scalar>(json!([1])).unwrap_err();
        assert!(err.to_string().contains("found a list"), "{err}");
    }
}
