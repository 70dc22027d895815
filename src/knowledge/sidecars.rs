//! Containers that are never the application: well-known sidecar names, and the name
//! suffixes of exporters, reloaders and proxies.

/// Containers that are never the application (service-mesh proxies, secret agents…).
pub const WELL_KNOWN_SIDECARS: &[&str] = &[
    "istio-proxy",
    "istio-init",
    "linkerd-proxy",
    "linkerd-init",
    "envoy",
    "envoy-sidecar",
    "cloud-sql-proxy",
    "cloudsql-proxy",
    "vault-agent",
    "vault-agent-init",
    "consul-dataplane",
    "consul-connect-envoy-sidecar",
    "daprd",
    "aws-xray-daemon",
    "datadog-agent",
    "otc-container",
    "fluent-bit",
    "fluentd",
    "oauth2-proxy",
    "kube-rbac-proxy",
];

/// Container names that are never the application (unless evidently the main one).
pub const SIDECAR_SUFFIXES: &[&str] = &["-exporter", "-reloader", "-sidecar", "-syncer", "-proxy"];
