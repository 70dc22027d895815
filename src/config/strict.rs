//! A Kubernetes type inside the config, read strictly: k8s-openapi's types skip fields
//! they do not know, so `agent.securityContext.privilegd` would vanish without a word.
//! [`Strict`] reads the value, then compares it with what the type makes of it: a field
//! the type dropped is an error that names its path.

use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `T` read from the config, every field of it known to `T`.
#[derive(Debug, Clone, PartialEq)]
pub struct Strict<T>(pub T);

impl<'de, T: DeserializeOwned + Serialize> Deserialize<'de> for Strict<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let written = Value::deserialize(deserializer)?;
        let typed: T = serde_json::from_value(written.clone()).map_err(D::Error::custom)?;
        let read = serde_json::to_value(&typed).map_err(D::Error::custom)?;
        match dropped(&written, &read, "") {
            Some(path) => Err(D::Error::custom(format!(
                "unknown field `{path}` (a typo? Kubernetes' API has no such field here)"
            ))),
            None => Ok(Strict(typed)),
        }
    }
}

/// The first path (`capabilities.dorp`) that `written` has and `read` lacks; a `null`
/// counts as absent.
fn dropped(written: &Value, read: &Value, path: &str) -> Option<String> {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match (written, read) {
        (Value::Object(w), Value::Object(r)) => {
            w.iter().find_map(|(key, value)| match (value, r.get(key)) {
                (Value::Null, _) => None,
                (_, None) => Some(join(key)),
                (value, Some(back)) => dropped(value, back, &join(key)),
            })
        }
        (Value::Array(w), Value::Array(r)) => w
            .iter()
            .zip(r)
            .enumerate()
            .find_map(|(i, (value, back))| dropped(value, back, &format!("{path}[{i}]"))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{ResourceRequirements, SecurityContext};
    use serde_json::json;

    #[test]
    fn a_field_the_type_does_not_know_is_named() {
        let read = |v: Value| serde_json::from_value::<Strict<SecurityContext>>(v);
        let typo = read(json!({"runAsUser": 1000, "capabilities": {"dorp": ["ALL"]}}));
        assert!(
            typo.unwrap_err()
                .to_string()
                .contains("unknown field `capabilities.dorp`")
        );
        assert!(read(json!({"privilegd": true})).is_err());
        let fine = read(
            json!({"runAsUser": 1000, "capabilities": {"drop": ["ALL"]}, "seLinuxOptions": null}),
        );
        assert_eq!(fine.unwrap().0.run_as_user, Some(1000));
        let limit =
            serde_json::from_value::<Strict<ResourceRequirements>>(json!({"limit": {"cpu": "1"}}));
        assert!(
            limit
                .unwrap_err()
                .to_string()
                .contains("unknown field `limit`")
        );
    }
}
