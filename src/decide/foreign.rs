//! Other agents already wired into a container: one that carries one is skipped with a
//! warning, never instrumented twice (the markers are [`crate::knowledge::agents`]).

use crate::knowledge::agents::{COMPATIBLE_AGENTS, MARKERS, Place};
use crate::value::Field;
use serde_json::Value;

/// The texts a container's JVM flags can come from: its env values (literal ones), then
/// every entry of its command and args.
pub(crate) fn launch_texts(container: &Value) -> impl Iterator<Item = &str> {
    let env_values = container
        .field("env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.field("value").and_then(Value::as_str));
    let words = ["command", "args"]
        .iter()
        .filter_map(|k| container.field(k).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str);
    env_values.chain(words)
}

/// The agent a word of JVM flags starts, as `SkyWalking (-javaagent:/sky/skywalking-agent.jar)`:
/// `None` for a word that is no `-javaagent`, or one of a metrics agent that lives
/// beside Pinpoint ([`COMPATIBLE_AGENTS`]).
pub fn identify(word: &str) -> Option<String> {
    let at = word.find("-javaagent:")?;
    let path = word[at + "-javaagent:".len()..].trim_matches(['"', '\'']);
    if COMPATIBLE_AGENTS
        .iter()
        .any(|(name, _)| path.contains(name))
    {
        return None;
    }
    let agent = MARKERS
        .iter()
        .filter(|m| m.place == Place::JavaagentPath)
        .find(|m| path.contains(m.pattern))
        .map_or("another Java agent", |m| m.agent);
    Some(format!("{agent} (-javaagent:{path})"))
}

/// The other agent a container already carries, with the evidence, if any: its
/// `-javaagent` first (the most telling), then the pod's init containers. Call it on
/// a pod spec with this tool's own wiring taken out ([`crate::wire::inject::strip`]).
pub fn detect(pod_spec: &Value, container: &Value) -> Option<String> {
    let init_names: Vec<&str> = crate::decide::fields::names(pod_spec, "initContainers").collect();
    if let Some(agent) = launch_texts(container)
        .flat_map(str::split_whitespace)
        .find_map(identify)
    {
        return Some(agent);
    }
    for m in MARKERS.iter().filter(|m| m.place == Place::InitContainer) {
        if init_names.contains(&m.pattern) {
            return Some(format!("{} (init container {})", m.agent, m.pattern));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn agents_are_recognised_and_metrics_agents_are_not_foreign() {
        let pod = json!({"initContainers": []});
        let with = |value: &str| json!({"env": [{"name": "JAVA_OPTS", "value": value}]});
        assert_eq!(
            detect(
                &pod,
                &with("-Xmx1g -javaagent:/sky/agent/skywalking-agent.jar")
            )
            .as_deref(),
            Some("SkyWalking (-javaagent:/sky/agent/skywalking-agent.jar)")
        );
        assert!(
            detect(
                &pod,
                &with("-javaagent:/opt/jmx_prometheus_javaagent.jar=9404:/c.yml")
            )
            .is_none()
        );
        assert!(
            detect(
                &pod,
                &with("-javaagent:/pinpoint-agent/pinpoint-bootstrap.jar")
            )
            .unwrap()
            .contains("hand-wired Pinpoint")
        );
        assert!(
            detect(&pod, &with("-javaagent:/opt/x/agent.jar"))
                .unwrap()
                .starts_with("another Java agent")
        );
        let otel = json!({"initContainers": [{"name": "opentelemetry-auto-instrumentation-java"}]});
        assert!(detect(&otel, &json!({})).unwrap().contains("OpenTelemetry"));
    }
}
