//! Every default of the function config, in one table: the serde defaults and
//! validation read these constants, and tests hold the README table, `--help`,
//! `function-config/reference.yaml` and the JSON Schema to [`DEFAULTS`].

use k8s_openapi::api::core::v1::ResourceRequirements;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

pub const AGENT_PORT: u16 = 9991;
pub const METADATA_PORT: u16 = 9991;
pub const STAT_PORT: u16 = 9992;
pub const SPAN_PORT: u16 = 9993;
/// How the agent reaches the application container: copied by an init container.
pub const DELIVERY: &str = "initContainer";
/// Where the official agent image keeps the agent.
pub const SOURCE_PATH: &str = "/pinpoint-agent";
pub const MOUNT_PATH: &str = "/pinpoint-agent";
pub const BOOTSTRAP_JAR: &str = "pinpoint-bootstrap.jar";
pub const PROFILE: &str = "release";
/// The options variable when neither `agent.optionsEnv` nor a launch profile names one.
pub const OPTIONS_ENV: &str = crate::knowledge::launch::JVM_WIDE;
pub const VOLUME_NAME: &str = "pinpoint-agent";
pub const INIT_CONTAINER_NAME: &str = "pinpoint-agent-init";
pub const APPLICATION_NAME: &str = "{name}";
/// A migration Job is not counted among the servers that share the chart's label.
pub const JOB_APPLICATION_NAME: &str = "{name}";
/// Pinpoint's limit on application names and agent ids (before 3.1's v3 ids).
pub const MAX_LENGTH: usize = 24;
pub const AGENT_NAME: &str = "podName";
pub const AGENT_ID: &str = "auto";
pub const OPT_IN: bool = false;
/// A company's own image rarely shows its runtime in the manifest: unknown is included.
pub const RUNTIMES: &[&str] = &["java", "unknown"];
/// The JVM servers charts bring along (Kafka, ZooKeeper, Cassandra…) are included.
pub const CATEGORIES: &[&str] = &["application", "data-server"];

/// Each field (its path under `spec`) that has a literal default, and that default as
/// the docs print it (see [`default_value`]). A unit test proves each row is what
/// loading a config without the field gives; tests/function_config.rs holds the docs
/// to it.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("collector.agentPort", "9991"),
    ("collector.metadataPort", "9991"),
    ("collector.statPort", "9992"),
    ("collector.spanPort", "9993"),
    ("agent.delivery", DELIVERY),
    ("agent.sourcePath", SOURCE_PATH),
    ("agent.mountPath", MOUNT_PATH),
    ("agent.bootstrapJar", BOOTSTRAP_JAR),
    ("agent.profile", PROFILE),
    ("agent.volumeName", VOLUME_NAME),
    ("agent.initContainerName", INIT_CONTAINER_NAME),
    ("naming.applicationName", APPLICATION_NAME),
    ("naming.jobApplicationName", JOB_APPLICATION_NAME),
    ("naming.maxLength", "24"),
    ("naming.agentName", AGENT_NAME),
    ("naming.agentId", AGENT_ID),
    ("select.optIn", "false"),
    ("select.runtimes", "[java, unknown]"),
    ("select.categories", "[application, data-server]"),
];

/// The value a [`DEFAULTS`] entry stands for: `[a, b]` is a list of strings, digits a
/// number, `true`/`false` a bool, anything else a string (`{name}` is a template, not
/// a YAML map).
pub fn default_value(text: &str) -> serde_json::Value {
    use serde_json::Value;
    if let Some(items) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        return items
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Value::String(s.to_string()))
            .collect();
    }
    match text {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => text
            .parse::<u64>()
            .map_or_else(|_| Value::String(text.to_string()), Value::from),
    }
}

/// Small requests and limits for the copy step, so quota-enforcing namespaces accept it.
pub fn init_resources() -> ResourceRequirements {
    let q = |s: &str| Quantity(s.to_string());
    ResourceRequirements {
        requests: Some(
            [
                ("cpu".to_string(), q("10m")),
                ("memory".to_string(), q("32Mi")),
            ]
            .into(),
        ),
        limits: Some(
            [
                ("cpu".to_string(), q("500m")),
                ("memory".to_string(), q("128Mi")),
            ]
            .into(),
        ),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::{DEFAULTS, default_value};
    use crate::config::{API_VERSION, KIND, load};
    use serde_json::{Value, json};

    fn minimal() -> Value {
        json!({
            "apiVersion": API_VERSION, "kind": KIND,
            "spec": {"collector": {"host": "c"}, "agent": {"image": "a:1"}}
        })
    }

    /// Writing a default out gives the same settings as leaving the field out: the
    /// table is what the code does, not a second opinion.
    #[test]
    fn each_default_is_what_an_absent_field_gives() {
        let implicit = format!("{:?}", load(&minimal()).unwrap().settings);
        for (path, text) in DEFAULTS {
            let mut doc = minimal();
            let (section, field) = path.split_once('.').unwrap();
            doc["spec"][section][field] = default_value(text);
            let explicit = format!("{:?}", load(&doc).expect(path).settings);
            assert_eq!(explicit, implicit, "{path}: {text}");
        }
    }

    /// And the check above can tell: a value other than the default changes them.
    #[test]
    fn another_value_changes_the_settings() {
        let implicit = format!("{:?}", load(&minimal()).unwrap().settings);
        let mut doc = minimal();
        doc["spec"]["naming"]["applicationName"] = json!("{label:app.kubernetes.io/name|name}");
        assert_ne!(format!("{:?}", load(&doc).unwrap().settings), implicit);
    }
}
