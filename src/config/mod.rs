//! The function config (`PinpointInjector`, or a flat `ConfigMap` as kpt sends it):
//! parsed with serde (unknown fields rejected), then validated into [`Settings`],
//! the only form the core sees. The serde types are in [`spec`], the flat keys in
//! [`flat`], the defaults in [`defaults`], the checks per section in [`validate`], and how
//! messages name a field in either form in [`form`].

mod defaults;
mod error;
mod flat;
mod form;
pub mod images;
mod settings;
mod spec;
mod strict;
pub mod template;
mod validate;
pub mod workloads;

pub use defaults::{DEFAULTS, default_value};
pub use error::ConfigError;
pub use flat::flat_key_names;
pub use form::Form;
pub use settings::{
    AgentId, AgentName, ContainerChoice, Delivery, Loaded, Overrides, Selector, Settings,
};
pub use spec::{API_VERSION, KIND};
pub use validate::{is_dns_label, parse_containers};

use error::bad;
use serde_json::{Map, Value};
use spec::type_name;

/// Read a function config: a `PinpointInjector` or a `ConfigMap` with flat keys.
pub fn load(document: &Value) -> Result<Loaded, ConfigError> {
    load_with(document, &Overrides::default())
}

/// [`load`], with what the command line sets over the config.
pub fn load_with(document: &Value, overrides: &Overrides) -> Result<Loaded, ConfigError> {
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
    validate::validate(spec, form, overrides)
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
        assert_eq!(s.agent.mount_path, "/pinpoint-agent");
        assert_eq!(s.agent.options_env, "JAVA_TOOL_OPTIONS");
        assert_eq!(s.agent_id, AgentId::Auto);
        assert_eq!(s.agent_name, AgentName::PodName);
        assert_eq!(s.containers, ContainerChoice::FirstApp);
        assert!(s.collector_ports.is_empty());
        assert_eq!(
            s.select.kinds.len(),
            crate::knowledge::kinds::WorkloadKind::all().count()
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
