//! The flat ConfigMap form (`kpt fn eval -- collectorHost=… agentImage=…`): its keys,
//! where each lands in `spec`, and the way back from a `spec` path to its key.

use super::error::{ConfigError, bad};
use super::images;
use super::spec::type_name;
use super::workloads;
use serde_json::{Map, Value};

/// The flat ConfigMap keys and where each lands in `spec`. Lists are comma-separated;
/// maps are `k=v,k=v`.
const FLAT_KEYS: &[(&str, &[&str], Flat)] = &[
    ("collectorHost", &["collector", "host"], Flat::Text),
    (
        "collectorAgentPort",
        &["collector", "agentPort"],
        Flat::Number,
    ),
    (
        "collectorMetadataPort",
        &["collector", "metadataPort"],
        Flat::Number,
    ),
    (
        "collectorStatPort",
        &["collector", "statPort"],
        Flat::Number,
    ),
    (
        "collectorSpanPort",
        &["collector", "spanPort"],
        Flat::Number,
    ),
    ("agentImage", &["agent", "image"], Flat::Text),
    ("agentDelivery", &["agent", "delivery"], Flat::Text),
    ("imagePullPolicy", &["agent", "imagePullPolicy"], Flat::Text),
    ("sourcePath", &["agent", "sourcePath"], Flat::Text),
    ("mountPath", &["agent", "mountPath"], Flat::Text),
    ("bootstrapJar", &["agent", "bootstrapJar"], Flat::Text),
    ("profile", &["agent", "profile"], Flat::Text),
    ("optionsEnv", &["agent", "optionsEnv"], Flat::Text),
    (
        "systemProperties",
        &["agent", "systemProperties"],
        Flat::Pairs,
    ),
    ("volumeSizeLimit", &["agent", "volumeSizeLimit"], Flat::Text),
    ("volumeName", &["agent", "volumeName"], Flat::Text),
    (
        "initContainerName",
        &["agent", "initContainerName"],
        Flat::Text,
    ),
    (
        "applicationName",
        &["naming", "applicationName"],
        Flat::Text,
    ),
    ("maxLength", &["naming", "maxLength"], Flat::Number),
    ("agentName", &["naming", "agentName"], Flat::Text),
    ("agentId", &["naming", "agentId"], Flat::Text),
    ("kinds", &["select", "kinds"], Flat::List),
    ("namespaces", &["select", "namespaces"], Flat::List),
    ("matchLabels", &["select", "matchLabels"], Flat::Pairs),
    ("excludeNames", &["select", "excludeNames"], Flat::List),
    ("optIn", &["select", "optIn"], Flat::Bool),
    ("runtimes", &["select", "runtimes"], Flat::List),
    ("categories", &["select", "categories"], Flat::List),
    (
        "jobApplicationName",
        &["naming", "jobApplicationName"],
        Flat::Text,
    ),
    ("containers", &["containers"], Flat::List),
    ("workloads", &["workloads"], Flat::Workloads),
    ("images", &["images"], Flat::Images),
    ("kubernetesVersion", &["kubernetesVersion"], Flat::Text),
];

#[derive(Debug, Clone, Copy)]
enum Flat {
    Text,
    Number,
    Bool,
    List,
    Pairs,
    /// `apiVersion kind podTemplate`, one per line or comma.
    Workloads,
    /// `PATTERN runtime=… optionsEnv=… category=…`, one per line.
    Images,
}

/// The names of the flat ConfigMap keys, for `--help`.
pub fn flat_key_names() -> impl Iterator<Item = &'static str> {
    FLAT_KEYS.iter().map(|(k, _, _)| *k)
}

/// The flat key of a `spec` path (`naming.agentId` is `agentId`), and what is left of
/// the path below it (`.profiler.sampling.rate` under `agent.systemProperties`, `[0].kind`
/// under `workloads`). None for a field that has no flat key.
pub(super) fn key_of(path: &str) -> Option<(&'static str, &str)> {
    FLAT_KEYS.iter().find_map(|(key, nested, _)| {
        let rest = path.strip_prefix(nested.join(".").as_str())?;
        (rest.is_empty() || rest.starts_with(['.', '['])).then_some((*key, rest))
    })
}

/// Nest a ConfigMap's `data` into the shape of `spec`. Errors name the `data` key.
pub(super) fn to_nested(data: &Map<String, Value>) -> Result<Map<String, Value>, ConfigError> {
    let mut spec = Map::new();
    for (key, raw) in data {
        let Some((_, path, shape)) = FLAT_KEYS.iter().find(|(k, _, _)| k == key) else {
            let known: Vec<_> = flat_key_names().collect();
            return Err(bad(format!(
                "data.{key}: unknown key `{key}`, expected one of {}",
                known.join(", ")
            )));
        };
        let text = match raw {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            other => {
                return Err(bad(format!(
                    "data.{key}: expected a string, found {}",
                    type_name(other)
                )));
            }
        };
        insert_path(&mut spec, path, shaped(key, &text, *shape)?);
    }
    for required in ["collectorHost", "agentImage"] {
        if !data.contains_key(required) {
            return Err(bad(format!("data.{required} is required")));
        }
    }
    Ok(spec)
}

/// The value of one key, as the field under `spec` takes it.
fn shaped(key: &str, text: &str, shape: Flat) -> Result<Value, ConfigError> {
    Ok(match shape {
        Flat::Text => Value::String(text.to_string()),
        Flat::Number => Value::Number(
            text.trim()
                .parse::<u64>()
                .map_err(|_| {
                    bad(format!(
                        "data.{key}: expected a whole number, found {text:?}"
                    ))
                })?
                .into(),
        ),
        Flat::Bool => Value::Bool(match text.trim() {
            "true" => true,
            "false" => false,
            _ => {
                return Err(bad(format!(
                    "data.{key}: expected true or false, found {text:?}"
                )));
            }
        }),
        Flat::List => Value::Array(
            split_list(text)
                .map(|s| Value::String(s.to_string()))
                .collect(),
        ),
        Flat::Images => images::parse_flat(text).map_err(|e| bad(format!("data.{key}: {e}")))?,
        Flat::Workloads => {
            workloads::parse_flat(text).map_err(|e| bad(format!("data.{key}: {e}")))?
        }
        Flat::Pairs => {
            let mut map = Map::new();
            for item in split_list(text) {
                let (k, v) = item.split_once('=').ok_or_else(|| {
                    bad(format!(
                        "data.{key}: expected key=value pairs, found {item:?}"
                    ))
                })?;
                map.insert(k.trim().to_string(), Value::String(v.trim().to_string()));
            }
            Value::Object(map)
        }
    })
}

fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty())
}

fn insert_path(map: &mut Map<String, Value>, path: &[&str], value: Value) {
    let (last, parents) = path.split_last().expect("paths are not empty");
    let mut node = map;
    for key in parents {
        node = node
            .entry(key.to_string())
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .expect("flat keys only nest into maps");
    }
    node.insert(last.to_string(), value);
}

#[cfg(test)]
mod tests {
    use super::key_of;
    use crate::config::{AgentId, ContainerChoice, load};
    use serde_json::json;

    #[test]
    fn flat_config_map_is_the_same_config() {
        let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "fn"}, "data": {
            "collectorHost": "10.0.0.7", "agentImage": "reg/agent:1", "collectorSpanPort": "19993",
            "applicationName": "{label:app|name}", "agentId": "podIP", "optIn": "true",
            "systemProperties": "profiler.sampling.rate=20, profiler.log.level=INFO", "containers": "app,worker"
        }});
        let s = load(&cm).unwrap().settings;
        assert_eq!(s.collector_host, "10.0.0.7");
        assert_eq!(s.collector_ports, vec![("span", 19993)]);
        assert_eq!(s.agent_id, AgentId::PodIp);
        assert!(s.select.opt_in);
        assert_eq!(
            s.agent
                .system_properties
                .get("profiler.sampling.rate")
                .map(String::as_str),
            Some("20")
        );
        assert_eq!(
            s.containers,
            ContainerChoice::Named(vec!["app".into(), "worker".into()])
        );
        let bad_key = json!({"kind": "ConfigMap", "data": {"colectorHost": "x"}});
        assert!(
            load(&bad_key)
                .unwrap_err()
                .to_string()
                .contains("unknown key `colectorHost`")
        );
    }

    #[test]
    fn spec_paths_find_their_key() {
        for (path, found) in [
            ("naming.agentId", Some(("agentId", ""))),
            ("collector.spanPort", Some(("collectorSpanPort", ""))),
            (
                "agent.systemProperties.a.b",
                Some(("systemProperties", ".a.b")),
            ),
            ("workloads[1].kind", Some(("workloads", "[1].kind"))),
            ("containers", Some(("containers", ""))),
            ("agent.resources", None),
            ("agent.imagePullPolicyX", None),
        ] {
            assert_eq!(key_of(path), found, "{path}");
        }
    }
}
