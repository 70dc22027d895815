//! The error a config that cannot be used gives: a message that names the field.

/// A config that cannot be used, with the field it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid function config: {0}")]
pub struct ConfigError(pub String);

pub(crate) fn bad(message: impl Into<String>) -> ConfigError {
    ConfigError(message.into())
}
