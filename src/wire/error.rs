//! Why a pod template cannot be wired, and the field the problem is in.

/// Why a workload cannot be instrumented; the workload is left untouched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InjectError {
    pub message: String,
    /// The field the problem is in, relative to the pod template (`spec.volumes`).
    pub field: String,
}

pub fn conflict(field: impl Into<String>, message: impl Into<String>) -> InjectError {
    InjectError {
        message: message.into(),
        field: field.into(),
    }
}
