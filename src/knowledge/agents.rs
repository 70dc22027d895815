//! How other agents mark a pod they are wired into: init container names and
//! `-javaagent` paths, each a row with the public file it was read from; and the agents
//! that are not tracers and live beside Pinpoint. [`crate::decide::foreign`] looks for them.

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
