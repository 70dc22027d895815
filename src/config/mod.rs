//! The function config (`PinpointInjector`, or a flat `ConfigMap` as kpt sends it):
//! parsed with serde (unknown fields rejected), then validated into [`Settings`],
//! the only form the core sees. The serde types are in [`spec`], the flat keys in
//! [`flat`], the defaults in [`defaults`], the checks per section in [`validate`].

mod defaults;
mod flat;
mod spec;
mod validate;

pub use defaults::{DEFAULTS, WELL_KNOWN_SIDECARS, default_value};
pub use flat::flat_key_names;
pub use validate::{is_dns_label, parse_containers};

use crate::diag::Diagnostic;
use crate::images::{Role, Runtime};
use crate::naming::Template;
use crate::workload::WorkloadKind;
use k8s_openapi::api::core::v1::{ResourceRequirements, SecurityContext};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use serde_json::{Map, Value};
use spec::type_name;
use std::collections::BTreeMap;

pub const API_VERSION: &str = "pinpoint-inject.dev/v1alpha1";
pub const KIND: &str = "PinpointInjector";

/// A config that cannot be used, with the field it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid function config: {0}")]
pub struct ConfigError(pub String);

fn bad(message: impl Into<String>) -> ConfigError {
    ConfigError(message.into())
}

/// Which form a config was written in; messages name its fields the way that form
/// spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `kind: PinpointInjector`, fields under `spec`.
    Injector,
    /// `kind: ConfigMap`, flat keys under `data`.
    ConfigMap,
}

impl Form {
    /// The field at `path` under `spec` (`naming.agentId`), as a user of this form
    /// writes it: `spec.naming.agentId`, or `data.agentId`. A field the ConfigMap form
    /// has no key for keeps its spec path and says which form it needs.
    pub fn field(self, path: &str) -> String {
        if self == Form::Injector {
            return format!("spec.{path}");
        }
        let Some((key, rest)) = flat::key_of(path) else {
            return format!("spec.{path} (only in the {KIND} form, not a ConfigMap key)");
        };
        if let Some(below) = rest.strip_prefix('.') {
            return format!("data.{key} ({below})");
        }
        // `[i]` or `[i].field`: an entry of a list (the ConfigMap counts from 1).
        let entry = rest
            .strip_prefix('[')
            .and_then(|r| r.split_once(']'))
            .and_then(|(i, below)| Some((i.parse::<usize>().ok()? + 1, below)));
        match entry {
            Some((n, "")) => format!("data.{key} (entry {n})"),
            Some((n, below)) => {
                format!("data.{key} (entry {n}, {})", below.trim_start_matches('.'))
            }
            None => format!("data.{key}"),
        }
    }

    /// The field as a report's evidence names it: relative to `spec` in the
    /// PinpointInjector form (`select.runtimes`), else as [`Form::field`] does.
    pub fn short_field(self, path: &str) -> String {
        match self {
            Form::Injector => path.to_string(),
            Form::ConfigMap => self.field(path),
        }
    }
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
    pub warnings: Vec<Diagnostic>,
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

    fn config_map(extra: Value) -> Value {
        let mut data = json!({"collectorHost": "c", "agentImage": "a:1"});
        data.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        json!({"apiVersion": "v1", "kind": "ConfigMap", "data": data})
    }

    /// Every error and warning about a ConfigMap config names its `data` key.
    #[test]
    fn config_map_messages_name_data_keys() {
        for (case, extra, expected) in [
            (
                "agent_id_warning",
                json!({"agentId": "podIP"}),
                "data.agentId podIP: an IPv6",
            ),
            (
                "agent_name",
                json!({"agentName": "pod"}),
                "data.agentName: \"pod\" is not one of",
            ),
            (
                "port_out_of_range",
                json!({"collectorMetadataPort": "70000"}),
                "data.collectorMetadataPort: invalid value",
            ),
            (
                "port_zero",
                json!({"collectorStatPort": "0"}),
                "data.collectorStatPort: 0 is not a port",
            ),
            (
                "host",
                json!({"collectorHost": "a b"}),
                "data.collectorHost: \"a b\" is not a hostname",
            ),
            (
                "image_latest",
                json!({"agentImage": "a:latest"}),
                "data.agentImage a:latest uses :latest",
            ),
            (
                "options_env",
                json!({"optionsEnv": "MY_OPTS"}),
                "data.optionsEnv MY_OPTS: only the JVM",
            ),
            (
                "system_property",
                json!({"systemProperties": "a=\"1\""}),
                "data.systemProperties (a): ",
            ),
            (
                "volume_name",
                json!({"volumeName": "Agent"}),
                "data.volumeName: \"Agent\" is not a valid",
            ),
            (
                "template",
                json!({"applicationName": "{nam}"}),
                "data.applicationName: ",
            ),
            (
                "kinds",
                json!({"kinds": "Widget"}),
                "other kinds go under data.workloads first",
            ),
            (
                "runtimes",
                json!({"runtimes": "jvm"}),
                "data.runtimes: \"jvm\" is not one of",
            ),
            (
                "containers",
                json!({"containers": "App"}),
                "data.containers: \"App\" is not a container name",
            ),
            (
                "workload_entry",
                json!({"workloads": "example.com/v1 9Widget spec.t"}),
                "data.workloads (entry 1, kind): \"9Widget\" is not a kind",
            ),
        ] {
            let message = match load(&config_map(extra)) {
                Ok(loaded) => loaded
                    .warnings
                    .iter()
                    .map(|w| w.message.clone())
                    .collect::<Vec<_>>()
                    .join("\n"),
                Err(e) => e.to_string(),
            };
            assert!(message.contains(expected), "{case}: {message}");
            assert!(!message.contains("spec."), "{case}: {message}");
        }
    }

    #[test]
    fn fields_without_a_key_say_which_form_they_need() {
        assert_eq!(
            Form::ConfigMap.field("agent.resources"),
            "spec.agent.resources (only in the PinpointInjector form, not a ConfigMap key)"
        );
        assert_eq!(
            Form::Injector.field("naming.agentId"),
            "spec.naming.agentId"
        );
        assert_eq!(
            Form::ConfigMap.field("workloads[2]"),
            "data.workloads (entry 3)"
        );
        assert_eq!(
            Form::ConfigMap.short_field("select.runtimes"),
            "data.runtimes"
        );
        assert_eq!(
            Form::Injector.short_field("select.runtimes"),
            "select.runtimes"
        );
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
