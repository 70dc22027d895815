//! The keys production manifests already carry for other APMs (Alibaba Cloud ARMS,
//! OpenTelemetry, Datadog, SkyWalking): honoured for opt-in, for the containers and for
//! the application name, so Pinpoint in dev shows the name production uses.
//! `pinpoint-inject.dev/*` keys win over all of them; [`crate::decide::keys`] reads them.

/// Where a key is read: labels, annotations, or both (labels first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    Labels,
    Annotations,
    Both,
}

/// A key that opts a workload in (when its value is one of `values`).
#[derive(Debug)]
pub struct OptIn {
    pub on: On,
    pub key: &'static str,
    /// Accepted values; empty: any value but an empty one or `"false"` in any case (as
    /// the OpenTelemetry operator reads its `inject-java`: `len(instValue) == 0 ||
    /// strings.EqualFold(instValue, "false")` is no instrumentation, in
    /// open-telemetry/opentelemetry-operator internal/instrumentation/podmutator.go,
    /// `getInstrumentationInstance`).
    pub values: &'static [&'static str],
    pub source: &'static str,
}

/// A key that names the application, in resolution order.
#[derive(Debug)]
pub struct NameKey {
    pub on: On,
    pub key: &'static str,
    pub source: &'static str,
}

const ARMS_DOC: &str =
    "Alibaba Cloud ARMS docs: Install the ARMS agent for Java applications in ACK (issue 8)";
const OTEL_DOC: &str = "open-telemetry/opentelemetry-operator: README.md (Opentelemetry auto-instrumentation injection)";
const DD_DOC: &str = "DataDog/datadog-agent: pkg/clusteragent/admission/mutate/common/common.go and the unified service tagging docs";
const SW_DOC: &str = "apache/skywalking-swck: docs/java-agent-injector.md";

#[rustfmt::skip]
pub const OPT_IN: &[OptIn] = &[
    OptIn { on: On::Both, key: "armsPilotAutoEnable", values: &["on"], source: ARMS_DOC },
    OptIn { on: On::Annotations, key: "instrumentation.opentelemetry.io/inject-java", values: &[], source: OTEL_DOC },
    OptIn { on: On::Labels, key: "admission.datadoghq.com/enabled", values: &["true"], source: DD_DOC },
    OptIn { on: On::Labels, key: "swck-java-agent-injected", values: &["true"], source: SW_DOC },
];

#[rustfmt::skip]
pub const NAMES: &[NameKey] = &[
    NameKey { on: On::Both, key: "armsPilotCreateAppName", source: ARMS_DOC },
    NameKey { on: On::Annotations, key: "resource.opentelemetry.io/service.name", source: OTEL_DOC },
    NameKey { on: On::Annotations, key: "agent.skywalking.apache.org/agent.service_name", source: SW_DOC },
    NameKey { on: On::Labels, key: "tags.datadoghq.com/service", source: DD_DOC },
];

/// Annotations listing the containers another APM instruments (comma-separated).
pub const CONTAINER_KEYS: &[(&str, &str)] = &[
    (
        "instrumentation.opentelemetry.io/java-container-names",
        OTEL_DOC,
    ),
    ("instrumentation.opentelemetry.io/container-names", OTEL_DOC),
];

/// ARMS per-container keys: `apsara.apm/container.<name>.<key>` annotations.
pub const ARMS_CONTAINER_PREFIX: &str = "apsara.apm/container.";
