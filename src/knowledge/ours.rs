//! The names this tool writes into manifests and reads back from them: its annotations
//! and its environment variables. Everything it adds is recognised by these.

/// Workload annotation: `"false"` opts out; `"true"` opts in when `select.optIn` is set.
pub const INJECT_ANNOTATION: &str = "pinpoint-inject.dev/inject";
/// Workload annotation overriding the application name.
pub const APPLICATION_NAME_ANNOTATION: &str = "pinpoint-inject.dev/application-name";
/// Workload annotation overriding the containers: `"app,worker"` or `"*"`.
pub const CONTAINERS_ANNOTATION: &str = "pinpoint-inject.dev/containers";
/// Annotation on the pod template that marks our wiring and records what we own.
pub const MARKER: &str = "pinpoint-inject.dev/injected";

/// The variable that carries every flag we add.
pub const OPTS_VAR: &str = "PINPOINT_AGENT_OPTS";
/// The pod's name, from the downward API, when a flag refers to it.
pub const POD_NAME_VAR: &str = "PINPOINT_POD_NAME";
/// The pod's IP, from the downward API, when a flag refers to it.
pub const POD_IP_VAR: &str = "PINPOINT_POD_IP";
/// Prefix of the variable an existing `valueFrom` options value is moved to.
pub const ORIGINAL_PREFIX: &str = "PINPOINT_ORIGINAL_";

/// A Kubernetes dependent-variable reference, `$(VAR)`.
pub fn reference(var: &str) -> String {
    format!("$({var})")
}
