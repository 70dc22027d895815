//! The `ImageFacts` resource as written: `images`, each with the reference the manifests
//! use, an optional digest and platform, and the image config's `config` object. Read
//! with serde (unknown fields refused, except inside `config`, which holds whatever
//! `crane config` or `docker inspect` printed), then checked into [`Entry`]s.

use crate::oci::{ImageConfig, Platform, Reference, check_digest};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `apiVersion` and `kind` of the facts resource.
pub const API_VERSION: &str = "pinpoint-inject.dev/v1alpha1";
pub const KIND: &str = "ImageFacts";

/// True for the `apiVersion` and `kind` of an `ImageFacts` resource.
pub fn is_facts(api_version: &str, kind: &str) -> bool {
    api_version == API_VERSION && kind == KIND
}

/// The resource, as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Document {
    pub api_version: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    #[serde(default)]
    pub images: Vec<EntrySpec>,
}

/// One entry, as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EntrySpec {
    /// The reference as the manifests write it.
    pub image: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// The image config's `config` object.
    #[serde(default)]
    pub config: Value,
}

/// One checked entry.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The reference as written in the facts.
    pub image: String,
    pub reference: Reference,
    /// The digest the reference resolved to (the `digest` field, else the reference's own).
    pub digest: Option<String>,
    pub platform: Option<Platform>,
    pub config: ImageConfig,
}

/// Facts that cannot be used, naming the entry and field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("image facts: {0}")]
pub struct FactsError(pub String);

impl Document {
    /// An empty resource, with the annotation that keeps kustomize and kpt from
    /// applying it (`config.kubernetes.io/local-config`).
    pub fn new(images: Vec<EntrySpec>) -> Document {
        Document {
            api_version: API_VERSION.into(),
            kind: KIND.into(),
            metadata: Some(serde_json::json!({
                "name": "image-facts",
                "annotations": {"config.kubernetes.io/local-config": "true"}
            })),
            images,
        }
    }

    /// Read a resource from its generic value (taken: its strings move into the
    /// resource instead of being copied).
    pub fn from_value(value: Value) -> Result<Document, FactsError> {
        let text = |key: &str| value.get(key).and_then(Value::as_str).unwrap_or_default();
        if !is_facts(text("apiVersion"), text("kind")) {
            return Err(FactsError(format!(
                "expected apiVersion {API_VERSION}, kind {KIND}; found apiVersion {:?}, kind {:?}",
                text("apiVersion"),
                text("kind")
            )));
        }
        serde_path_to_error::deserialize(value).map_err(|e| {
            FactsError(match e.path().to_string().as_str() {
                "." => e.inner().to_string(),
                path => format!("{path}: {}", e.inner()),
            })
        })
    }
}

impl EntrySpec {
    /// Check one entry (`index` names it in messages).
    pub fn check(&self, index: usize) -> Result<Entry, FactsError> {
        let at = |field: &str, problem: String| {
            FactsError(format!("images[{index}].{field}: {problem}"))
        };
        let reference = Reference::parse(&self.image).map_err(|e| at("image", e.to_string()))?;
        if let Some(digest) = &self.digest {
            check_digest(digest).map_err(|e| at("digest", e.to_string()))?;
            if reference.digest.as_ref().is_some_and(|d| d != digest) {
                return Err(at(
                    "digest",
                    format!(
                        "{digest} is not the digest the image names ({})",
                        self.image
                    ),
                ));
            }
        }
        let platform = match &self.platform {
            Some(p) => Some(Platform::parse(p).map_err(|e| at("platform", e.0))?),
            None => None,
        };
        let config = ImageConfig::from_value(&self.config).map_err(|e| {
            at(
                &format!("config.{}", e.field).replace("config.config", "config"),
                e.problem,
            )
        })?;
        Ok(Entry {
            image: self.image.clone(),
            digest: self.digest.clone().or_else(|| reference.digest.clone()),
            reference,
            platform,
            config,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document(images: Value) -> Value {
        json!({"apiVersion": API_VERSION, "kind": KIND, "metadata": {"name": "f"}, "images": images})
    }

    #[test]
    fn the_documented_shape_is_read() {
        let doc = Document::from_value(document(json!([{
            "image": "registry.example.com/shop/orders:1.4.2",
            "digest": format!("sha256:{}", "a".repeat(64)),
            "platform": "linux/amd64",
            "config": {"User": "1000", "Env": ["JAVA_HOME=/opt/java/openjdk"], "Entrypoint": ["java", "-jar", "/app/orders.jar"], "Cmd": null, "WorkingDir": "/app", "Labels": {}}
        }])))
        .unwrap();
        let entry = doc.images[0].check(0).unwrap();
        assert_eq!(
            entry.reference.canonical(),
            "registry.example.com/shop/orders:1.4.2"
        );
        assert_eq!(entry.config.numeric_user(), Some((1000, None)));
        assert_eq!(entry.platform.unwrap().to_string(), "linux/amd64");
    }

    #[test]
    fn mistakes_name_the_entry_and_field() {
        for (images, expected) in [
            (
                json!([{"image": "Bad:Ref", "config": {}}]),
                "images[0].image: invalid image reference",
            ),
            (
                json!([{"image": "a:1", "digest": "sha256:12", "config": {}}]),
                "images[0].digest:",
            ),
            (
                json!([{"image": "a:1", "platform": "linux", "config": {}}]),
                "images[0].platform:",
            ),
            (
                json!([{"image": "a:1", "config": {"Env": "X=1"}}]),
                "images[0].config.Env: expected a list",
            ),
            (
                json!([{"image": "a:1", "config": []}]),
                "images[0].config: expected an object",
            ),
        ] {
            let doc = Document::from_value(document(images)).unwrap();
            let error = doc.images[0].check(0).unwrap_err().to_string();
            assert!(error.contains(expected), "{error}");
        }
        let typo = Document::from_value(document(json!([{"image": "a:1", "conifg": {}}])));
        assert!(
            typo.unwrap_err()
                .to_string()
                .contains("unknown field `conifg`")
        );
        let other = Document::from_value(json!({"apiVersion": "v1", "kind": "ConfigMap"}));
        assert!(
            other
                .unwrap_err()
                .to_string()
                .contains("expected apiVersion")
        );
    }
}
