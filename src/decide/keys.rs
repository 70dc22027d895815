//! The keys a workload carries for other APMs (the tables of
//! [`crate::knowledge::production`]), read from its labels and annotations: opt-in, the
//! containers, the application name.

use crate::knowledge::production::{ARMS_CONTAINER_PREFIX, CONTAINER_KEYS, NAMES, OPT_IN, On};
use crate::value::Field;
use serde_json::{Map, Value};

/// The labels and annotations of a workload and its pod template, searched in order.
pub struct Keys<'a> {
    pub labels: Vec<&'a Map<String, Value>>,
    pub annotations: Vec<&'a Map<String, Value>>,
}

impl<'a> Keys<'a> {
    fn find(&self, on: On, key: &str) -> Option<&'a str> {
        self.find_all(on, key).next()
    }

    /// Each value of `key`, in the order the places are searched.
    fn find_all(&self, on: On, key: &str) -> impl Iterator<Item = &'a str> {
        let labels = self.labels.iter();
        let annotations = self.annotations.iter();
        let maps: Vec<&&Map<String, Value>> = match on {
            On::Labels => labels.collect(),
            On::Annotations => annotations.collect(),
            On::Both => labels.chain(annotations).collect(),
        };
        let key = key.to_string();
        maps.into_iter()
            .filter_map(move |m| m.field(&key).and_then(Value::as_str))
    }

    /// The key that opts this workload in, as `armsPilotAutoEnable: "on"` (an ARMS
    /// per-container key opts its workload in too).
    pub fn opt_in(&self) -> Option<String> {
        let per_container = self.annotations.iter().find_map(|m| {
            m.iter().find_map(|(k, v)| {
                let on = k.starts_with(ARMS_CONTAINER_PREFIX)
                    && k.ends_with(".armsPilotAutoEnable")
                    && v.as_str() == Some("on");
                on.then(|| format!("{k}: \"on\""))
            })
        });
        OPT_IN
            .iter()
            .find_map(|k| {
                // Any place that opts in does (the OpenTelemetry operator reads the pod's
                // own annotations: an empty one on the workload hides nothing).
                let accepted = |value: &&str| {
                    if k.values.is_empty() {
                        !value.is_empty() && !value.eq_ignore_ascii_case("false")
                    } else {
                        k.values.contains(value)
                    }
                };
                let value = self.find_all(k.on, k.key).find(accepted)?;
                Some(format!("{}: {value:?}", k.key))
            })
            .or(per_container)
    }

    /// Whether ARMS opts this one container in (`apsara.apm/container.<c>.armsPilotAutoEnable`).
    pub fn container_opt_in(&self, container: &str) -> Option<String> {
        let key = format!("{ARMS_CONTAINER_PREFIX}{container}.armsPilotAutoEnable");
        (self.find(On::Annotations, &key) == Some("on")).then(|| format!("{key}: \"on\""))
    }

    /// The containers another APM's key names, with the key.
    pub fn containers(&self) -> Option<(Vec<String>, &'static str)> {
        CONTAINER_KEYS.iter().find_map(|(key, _)| {
            let list = self.find(On::Annotations, key)?;
            let names: Vec<String> = list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            (!names.is_empty()).then_some((names, *key))
        })
    }

    /// The application name production uses for this container, with the key it came from.
    pub fn application_name(&self, container: &str) -> Option<(String, String)> {
        let per_container = format!("{ARMS_CONTAINER_PREFIX}{container}.armsPilotCreateAppName");
        if let Some(name) = self
            .find(On::Annotations, &per_container)
            .filter(|n| !n.is_empty())
        {
            return Some((name.to_string(), per_container));
        }
        NAMES.iter().find_map(|k| {
            let name = self.find(k.on, k.key).filter(|n| !n.is_empty())?;
            Some((name.to_string(), k.key.to_string()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keys<'a>(labels: &'a Value, annotations: &'a Value) -> Keys<'a> {
        Keys {
            labels: vec![labels.as_object().unwrap()],
            annotations: vec![annotations.as_object().unwrap()],
        }
    }

    #[test]
    fn arms_labels_opt_in_and_name_the_application() {
        let labels = json!({"armsPilotAutoEnable": "on", "armsPilotCreateAppName": "shop-orders"});
        let none = json!({});
        let k = keys(&labels, &none);
        assert_eq!(k.opt_in().as_deref(), Some("armsPilotAutoEnable: \"on\""));
        assert_eq!(k.application_name("app").unwrap().0, "shop-orders");
        let off = json!({"armsPilotAutoEnable": "off"});
        assert!(keys(&off, &none).opt_in().is_none());
    }

    #[test]
    fn per_container_arms_keys_win_over_the_pod_keys() {
        let labels = json!({"armsPilotCreateAppName": "pod-name"});
        let annotations = json!({
            "apsara.apm/container.worker.armsPilotCreateAppName": "worker-name",
            "apsara.apm/container.worker.armsPilotAutoEnable": "on"
        });
        let k = keys(&labels, &annotations);
        assert_eq!(k.application_name("worker").unwrap().0, "worker-name");
        assert_eq!(k.application_name("app").unwrap().0, "pod-name");
        assert!(k.container_opt_in("worker").is_some());
        assert!(k.container_opt_in("app").is_none());
    }

    #[test]
    fn opentelemetry_keys_give_containers_and_name() {
        let none = json!({});
        let annotations = json!({
            "instrumentation.opentelemetry.io/inject-java": "true",
            "instrumentation.opentelemetry.io/container-names": "app, worker",
            "resource.opentelemetry.io/service.name": "orders"
        });
        let k = keys(&none, &annotations);
        assert!(k.opt_in().is_some());
        assert_eq!(k.containers().unwrap().0, vec!["app", "worker"]);
        assert_eq!(
            k.application_name("app").unwrap().1,
            "resource.opentelemetry.io/service.name"
        );
        for off in ["false", "False", "FALSE", ""] {
            let disabled = json!({"instrumentation.opentelemetry.io/inject-java": off});
            assert!(keys(&none, &disabled).opt_in().is_none(), "{off:?}");
            // An opt-in on the pod template counts, whatever the workload says.
            let on_template = Keys {
                labels: vec![],
                annotations: vec![
                    disabled.as_object().unwrap(),
                    annotations.as_object().unwrap(),
                ],
            };
            assert!(on_template.opt_in().is_some(), "{off:?}");
        }
    }
}
