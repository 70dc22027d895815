//! The `ImageFacts` resource as written: `images`, each with the reference the manifests
//! use, an optional digest and platform, and the image config's `config` object. Read
//! field by field (unknown fields refused, except inside `config`, which holds whatever
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
        let Value::Object(map) = value else {
            unreachable!("it has an apiVersion")
        };
        let mut document = Document::new(Vec::new());
        document.metadata = None;
        for (key, value) in map {
            match key.as_str() {
                "apiVersion" | "kind" => {}
                "metadata" => document.metadata = Some(value).filter(|v| !v.is_null()),
                "images" => document.images = images(value)?,
                _ => {
                    return Err(unknown(
                        &key,
                        "",
                        &["apiVersion", "kind", "metadata", "images"],
                    ));
                }
            }
        }
        Ok(document)
    }
}

/// The `images` list, each entry's fields taken as they are (checked by
/// [`EntrySpec::check`]). Written out rather than derived: a facts file holds thousands
/// of entries, and this reads each field once, moving its strings.
fn images(value: Value) -> Result<Vec<EntrySpec>, FactsError> {
    let items = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Array(items) => items,
        _ => return Err(FactsError("images: expected a list of entries".into())),
    };
    let mut entries = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let at = format!("images[{index}]");
        let Value::Object(map) = item else {
            return Err(FactsError(format!("{at}: expected an entry (a mapping)")));
        };
        let mut image = None;
        let mut entry = EntrySpec {
            image: String::new(),
            digest: None,
            platform: None,
            config: Value::Null,
        };
        let text = |field: &str, value: Value| match value {
            Value::String(s) => Ok(Some(s)),
            Value::Null if field != "image" => Ok(None),
            _ => Err(FactsError(format!("{at}.{field}: expected a string"))),
        };
        for (key, value) in map {
            match key.as_str() {
                "image" => image = text("image", value)?,
                "digest" => entry.digest = text("digest", value)?,
                "platform" => entry.platform = text("platform", value)?,
                "config" => entry.config = value,
                _ => {
                    return Err(unknown(
                        &key,
                        &at,
                        &["image", "digest", "platform", "config"],
                    ));
                }
            }
        }
        entry.image = image.ok_or_else(|| FactsError(format!("{at}: missing field `image`")))?;
        entries.push(entry);
    }
    Ok(entries)
}

fn unknown(key: &str, at: &str, expected: &[&str]) -> FactsError {
    let expected: Vec<String> = expected.iter().map(|e| format!("`{e}`")).collect();
    let at = if at.is_empty() {
        String::new()
    } else {
        format!("{at}: ")
    };
    FactsError(format!(
        "{at}unknown field `{key}`, expected one of {}",
        expected.join(", ")
    ))
}

impl EntrySpec {
    /// Check one entry (`index` names it in messages).
    pub fn check(&self, index: usize) -> Result<Entry, FactsError> {
        self.clone().into_entry(index)
    }

    /// [`EntrySpec::check`], taking the entry (its strings are moved, not copied).
    pub fn into_entry(self, index: usize) -> Result<Entry, FactsError> {
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
        let config = ImageConfig::from_owned(self.config).map_err(|e| {
            at(
                &format!("config.{}", e.field).replace("config.config", "config"),
                e.problem,
            )
        })?;
        Ok(Entry {
            image: self.image,
            digest: self.digest.or_else(|| reference.digest.clone()),
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
