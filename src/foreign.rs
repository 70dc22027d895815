//! Other agents already wired into a pod: a container that carries one is skipped with
//! a warning, never instrumented twice. Each marker is a row with the public file it
//! was read from.

use serde_json::Value;

/// Where a marker is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The name of an init container of the pod (affects every container).
    InitContainer,
    /// A substring of a `-javaagent:` path in the container's env values, command or args.
    JavaagentPath,
}

#[derive(Debug)]
pub struct Marker {
    pub place: Place,
    pub pattern: &'static str,
    pub agent: &'static str,
    pub source: &'static str,
}

const fn marker(
    place: Place,
    pattern: &'static str,
    agent: &'static str,
    source: &'static str,
) -> Marker {
    Marker {
        place,
        pattern,
        agent,
        source,
    }
}

use Place::{InitContainer, JavaagentPath};

#[rustfmt::skip]
pub const MARKERS: &[Marker] = &[
    marker(InitContainer, "opentelemetry-auto-instrumentation-java", "the OpenTelemetry operator's Java agent", "open-telemetry/opentelemetry-operator: pkg/instrumentation/javaagent.go"),
    marker(JavaagentPath, "/otel-auto-instrumentation-java/", "the OpenTelemetry operator's Java agent", "open-telemetry/opentelemetry-operator: pkg/instrumentation/javaagent.go"),
    marker(JavaagentPath, "opentelemetry-javaagent", "the OpenTelemetry Java agent", "open-telemetry/opentelemetry-java-instrumentation: README.md"),
    marker(InitContainer, "inject-skywalking-agent", "SkyWalking (SWCK)", "apache/skywalking-swck: operator/pkg/operator/injector/injection.go"),
    marker(JavaagentPath, "skywalking-agent", "SkyWalking", "apache/skywalking-swck: operator/pkg/operator/injector/injection.go"),
    marker(InitContainer, "one-pilot-initcontainer", "Alibaba Cloud ARMS (ack-onepilot)", "Alibaba Cloud ARMS docs: Install the ARMS agent for Java in ACK (issue 8)"),
    marker(InitContainer, "datadog-lib-java-init", "Datadog's Java tracer (admission controller)", "DataDog/datadog-agent: pkg/clusteragent/admission/mutate/autoinstrumentation/auto_instrumentation.go"),
    marker(JavaagentPath, "arms-bootstrap", "Alibaba Cloud ARMS", "Alibaba Cloud ARMS docs: Install the ARMS agent for Java in ACK (issue 8)"),
    marker(JavaagentPath, "AliyunJavaAgent", "Alibaba Cloud ARMS", "Alibaba Cloud ARMS docs: Install the ARMS agent for Java in ACK (issue 8)"),
    marker(InitContainer, "init-pinpoint", "a Pinpoint agent (Huawei Cloud APM 1.0, or wired by hand)", "Huawei Cloud APM docs: CCE access for APM 1.0 (issue 8)"),
    marker(JavaagentPath, "paas-apm/", "Huawei Cloud APM 1.0 (Pinpoint-based)", "Huawei Cloud APM docs: CCE access for APM 1.0 (issue 8)"),
    marker(InitContainer, "init-javaagent", "Huawei Cloud APM 2.0", "Huawei Cloud APM docs: CCE access for APM 2.0 (issue 8)"),
    marker(JavaagentPath, "paas-apm2", "Huawei Cloud APM 2.0", "Huawei Cloud APM docs: CCE access for APM 2.0 (issue 8)"),
    marker(JavaagentPath, "dd-java-agent", "the Datadog Java tracer", "DataDog/dd-trace-java: README.md"),
    marker(JavaagentPath, "newrelic", "the New Relic Java agent", "newrelic/newrelic-java-agent: README.md"),
    marker(JavaagentPath, "elastic-apm-agent", "the Elastic APM Java agent", "elastic/apm-agent-java: README.md"),
    marker(JavaagentPath, "pinpoint-bootstrap", "a hand-wired Pinpoint agent", "pinpoint-apm/pinpoint: agent-module/agent/src/assembly/distribution.xml"),
];

/// Agents that are not tracers and live happily beside Pinpoint (`-javaagent` for
/// metrics or memory measuring), so they do not make a container "already instrumented".
pub const COMPATIBLE_AGENTS: &[(&str, &str)] = &[
    (
        "jmx_prometheus_javaagent",
        "prometheus/jmx_exporter: README.md",
    ),
    ("jolokia", "jolokia/jolokia: README.md"),
    ("jamm", "jbellis/jamm: README.txt"),
];

/// The texts a container's JVM flags can come from: its env values (literal ones), then
/// every entry of its command and args.
pub(crate) fn launch_texts(container: &Value) -> impl Iterator<Item = &str> {
    let env_values = container
        .get("env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("value").and_then(Value::as_str));
    let words = ["command", "args"]
        .iter()
        .filter_map(|k| container.get(*k).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str);
    env_values.chain(words)
}

/// The `-javaagent:` paths a container's env values, command and args mention.
fn javaagents(container: &Value) -> Vec<String> {
    launch_texts(container)
        .flat_map(str::split_whitespace)
        .filter_map(|w| {
            let at = w.find("-javaagent:")?;
            Some(
                w[at + "-javaagent:".len()..]
                    .trim_matches(['"', '\''])
                    .to_string(),
            )
        })
        .collect()
}

/// The other agent a container already carries, with the evidence, if any: its
/// `-javaagent` first (the most telling), then the pod's init containers. Call it on
/// a pod spec with this tool's own wiring taken out ([`crate::inject::strip`]).
pub fn detect(pod_spec: &Value, container: &Value) -> Option<String> {
    let init_names: Vec<&str> = pod_spec
        .get("initContainers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("name").and_then(Value::as_str))
        .collect();
    for path in javaagents(container) {
        if COMPATIBLE_AGENTS
            .iter()
            .any(|(name, _)| path.contains(name))
        {
            continue;
        }
        let agent = MARKERS
            .iter()
            .filter(|m| m.place == JavaagentPath)
            .find(|m| path.contains(m.pattern))
            .map_or("another Java agent", |m| m.agent);
        return Some(format!("{agent} (-javaagent:{path})"));
    }
    for m in MARKERS.iter().filter(|m| m.place == InitContainer) {
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
