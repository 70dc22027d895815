//! The function config (`PinpointInjector`, or a flat `ConfigMap` as kpt sends it):
//! parsed with serde (unknown fields rejected), then validated into [`Settings`],
//! the only form the core sees. The serde types are in [`spec`], the flat keys in
//! [`flat`], the defaults in [`defaults`], the checks per section in [`validate`], and how
//! messages name a field in either form in [`form`].

mod defaults;
mod flat;
mod form;
mod spec;
pub mod template;
mod validate;
pub mod workloads;

pub use defaults::{DEFAULTS, default_value};
pub use flat::flat_key_names;
pub use form::Form;
pub use validate::{is_dns_label, parse_containers};

use crate::knowledge::images::{Role, Runtime};
use crate::knowledge::kinds::WorkloadKind;
use k8s_openapi::api::core::v1::{ResourceRequirements, SecurityContext};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use serde_json::{Map, Value};
use spec::type_name;
use std::collections::BTreeMap;
use template::Template;

pub const API_VERSION: &str = "pinpoint-inject.dev/v1alpha1";
pub const KIND: &str = "PinpointInjector";

/// A config that cannot be used, with the field it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid function config: {0}")]
pub struct ConfigError(pub String);

fn bad(message: impl Into<String>) -> ConfigError {
    ConfigError(message.into())
}

// ---- What the core uses -----------------------------------------------------------

/// How the agent names itself (`-Dpinpoint.agentName`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentName {
    PodName,
    None,
}

/// How the agent id (`-Dpinpoint.agentId`) is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentId {
    /// Omitted: Pinpoint 2.2+ generates one.
    Auto,
    PodIp,
    PodName,
}

/// Which containers of a pod get the agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContainerChoice {
    /// The first container that is not a well-known sidecar.
    FirstApp,
    /// Every container that is not a well-known sidecar (`["*"]`).
    AllApps,
    /// These names.
    Named(Vec<String>),
}

/// Which workloads are instrumented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    pub kinds: Vec<WorkloadKind>,
    pub namespaces: Vec<String>,
    pub match_labels: BTreeMap<String, String>,
    pub exclude_names: Vec<String>,
    pub opt_in: bool,
    /// Runtimes that are instrumented (default: java and unknown, never not-java).
    pub runtimes: Vec<Runtime>,
    /// Categories of container that are instrumented: application, data-server.
    pub categories: Vec<Role>,
}

/// The validated config. Everything here has been checked; the core trusts it.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The form the config was written in, for messages that name a field.
    pub form: Form,
    pub collector_host: String,
    /// `(channel, port)` for every port that differs from Pinpoint's default.
    pub collector_ports: Vec<(&'static str, u16)>,
    pub image: String,
    pub image_pull_policy: Option<String>,
    pub source_path: String,
    pub mount_path: String,
    pub bootstrap_jar: String,
    pub profile: String,
    pub options_env: String,
    /// `agent.optionsEnv` was set: it wins over the images' launch profiles.
    pub options_env_explicit: bool,
    pub system_properties: BTreeMap<String, String>,
    pub init_resources: ResourceRequirements,
    pub init_security_context: Option<SecurityContext>,
    pub volume_size_limit: Option<Quantity>,
    pub volume_name: String,
    pub init_container_name: String,
    pub application_name: Template,
    /// The name template of Jobs and CronJobs (default `{name}`: a migration Job is not
    /// counted among the servers that share the chart's label).
    pub job_application_name: Template,
    pub max_length: usize,
    pub agent_name: AgentName,
    pub agent_id: AgentId,
    pub select: Selector,
    pub containers: ContainerChoice,
    /// The kinds `spec.workloads` adds to the built-in table.
    pub workloads: Vec<WorkloadKind>,
}

impl Settings {
    /// The config field at `path` under `spec`, named in the form the config was
    /// written in (see [`Form::field`]).
    pub fn field(&self, path: &str) -> String {
        self.form.field(path)
    }
}

/// A config and the warnings validating it produced.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub settings: Settings,
    pub warnings: Vec<String>,
}

/// Read a function config: a `PinpointInjector` or a `ConfigMap` with flat keys.
pub fn load(document: &Value) -> Result<Loaded, ConfigError> {
    let kind = document
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let (spec, form) = match kind {
        KIND => {
            let doc: spec::Document = from_value(document.clone(), Form::Injector)?;
            (doc.spec, Form::Injector)
        }
        "ConfigMap" => {
            let data = match document.get("data") {
                None | Some(Value::Null) => Map::new(),
                Some(Value::Object(map)) => map.clone(),
                Some(other) => {
                    return Err(bad(format!(
                        "ConfigMap data must be a map, found {}",
                        type_name(other)
                    )));
                }
            };
            let nested = Value::Object(flat::to_nested(&data)?);
            (from_value(nested, Form::ConfigMap)?, Form::ConfigMap)
        }
        "" => {
            return Err(bad(format!(
                "the config has no kind: expected kind {KIND} (apiVersion {API_VERSION}) or ConfigMap"
            )));
        }
        other => {
            return Err(bad(format!(
                "kind {other} is not a config of this function: expected {KIND} (apiVersion {API_VERSION}) or ConfigMap"
            )));
        }
    };
    validate::validate(spec, form)
}

/// Deserialize, naming the field an error is about: the document's own path for a
/// `PinpointInjector`, the `data` key for a ConfigMap (whose value was nested as `spec`).
fn from_value<T: serde::de::DeserializeOwned>(value: Value, form: Form) -> Result<T, ConfigError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        match (path.as_str(), form) {
            (".", _) => bad(e.inner().to_string()),
            (_, Form::Injector) => bad(format!("{path}: {}", e.inner())),
            (_, Form::ConfigMap) => bad(format!("{}: {}", form.field(&path), e.inner())),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    pub(super) fn minimal() -> Value {
        json!({
            "apiVersion": API_VERSION, "kind": KIND, "metadata": {"name": "x"},
            "spec": {"collector": {"host": "pinpoint-collector.pinpoint"}, "agent": {"image": "pinpointdocker/pinpoint-agent:2.5.4"}}
        })
    }

    #[test]
    fn defaults_fill_everything_else() {
        let loaded = load(&minimal()).unwrap();
        let s = loaded.settings;
        assert!(loaded.warnings.is_empty());
        assert_eq!(s.form, Form::Injector);
        assert_eq!(s.mount_path, "/pinpoint-agent");
        assert_eq!(s.options_env, "JAVA_TOOL_OPTIONS");
        assert_eq!(s.agent_id, AgentId::Auto);
        assert_eq!(s.agent_name, AgentName::PodName);
        assert_eq!(s.containers, ContainerChoice::FirstApp);
        assert!(s.collector_ports.is_empty());
        assert_eq!(s.select.kinds.len(), WorkloadKind::all().count());
    }

    #[test]
    fn unknown_fields_are_named() {
        let mut doc = minimal();
        doc["spec"]["collector"]["hots"] = json!("x");
        let err = load(&doc).unwrap_err().to_string();
        assert!(
            err.contains("spec.collector") && err.contains("unknown field `hots`"),
            "{err}"
        );
    }

    #[test]
    fn missing_required_fields_are_named() {
        let mut doc = minimal();
        doc["spec"]["agent"]
            .as_object_mut()
            .unwrap()
            .remove("image");
        let err = load(&doc).unwrap_err().to_string();
        assert!(
            err.contains("spec.agent") && err.contains("missing field `image`"),
            "{err}"
        );
    }
}
