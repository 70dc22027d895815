//! The two forms a config is written in, and how a message names a field in each:
//! `spec.naming.agentId` in a `PinpointInjector`, `data.agentId` in a ConfigMap.

use super::flat;
use super::spec::KIND;

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

#[cfg(test)]
mod tests {
    use super::Form;
    use crate::config::load;
    use serde_json::{Value, json};

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
                Ok(loaded) => loaded.warnings.join("\n"),
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
}
