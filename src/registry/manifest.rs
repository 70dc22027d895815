//! Manifests and image configs as the specs write them: an image index or Docker
//! manifest list (`opencontainers/image-spec`, `image-index.md`), an image manifest or
//! Docker v2 manifest (`manifest.md`), and the image config (`config.md`), whose
//! `config` object is what we keep. Unknown fields are ignored, as the specs ask.

use super::error::Cause;
use crate::oci::Platform;
use serde_json::{Map, Value};

pub(crate) const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub(crate) const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
pub(crate) const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub(crate) const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";

/// The `Accept` header of a manifest request: every form we can read.
pub(crate) const ACCEPT: &str = "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";

/// A pointer to content: its media type, digest and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Descriptor {
    pub media_type: String,
    pub digest: String,
    pub size: u64,
}

/// What a manifest request answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Manifest {
    /// An image index or manifest list: one entry per platform.
    Index(Vec<(Descriptor, Option<Platform>)>),
    /// One image: its config blob.
    Image { config: Descriptor },
}

/// Read a manifest; its media type from the body's `mediaType`, else the
/// `Content-Type`, else its shape (`manifests` or `config`).
pub(crate) fn parse(bytes: &[u8], content_type: Option<&str>) -> Result<Manifest, Cause> {
    let malformed = |detail: String| Cause::Malformed {
        what: "manifest".into(),
        detail,
    };
    let value: Value = serde_json::from_slice(bytes).map_err(|e| malformed(e.to_string()))?;
    let object = value
        .as_object()
        .ok_or_else(|| malformed("it is not a JSON object".into()))?;
    if object.get("schemaVersion").and_then(Value::as_u64) == Some(1) {
        return Err(Cause::MediaType {
            what: "manifest".into(),
            media_type: "Docker schema 1".into(),
            expected: "an OCI or Docker v2 manifest",
        });
    }
    let header = content_type.map(|c| c.split(';').next().unwrap_or("").trim());
    let media_type = match object.get("mediaType").and_then(Value::as_str) {
        Some(m) => m,
        None if object.contains_key("manifests") => OCI_INDEX,
        None if object.contains_key("config") => OCI_MANIFEST,
        None => header.unwrap_or_default(),
    };
    match media_type {
        OCI_INDEX | DOCKER_LIST => {
            let entries = object
                .get("manifests")
                .and_then(Value::as_array)
                .ok_or_else(|| malformed("the index has no `manifests` list".into()))?;
            let entries = entries
                .iter()
                .map(|entry| {
                    let descriptor =
                        descriptor(entry).map_err(|d| malformed(format!("an index entry {d}")))?;
                    Ok((descriptor, entry.get("platform").and_then(platform_of)))
                })
                .collect::<Result<_, Cause>>()?;
            Ok(Manifest::Index(entries))
        }
        OCI_MANIFEST | DOCKER_MANIFEST => {
            let config = object
                .get("config")
                .ok_or_else(|| malformed("the manifest has no `config`".into()))?;
            let config = descriptor(config).map_err(|d| malformed(format!("its config {d}")))?;
            if config.media_type != OCI_CONFIG && config.media_type != DOCKER_CONFIG {
                return Err(Cause::MediaType {
                    what: "config".into(),
                    media_type: config.media_type,
                    expected: "an OCI or Docker image config",
                });
            }
            Ok(Manifest::Image { config })
        }
        other => Err(Cause::MediaType {
            what: "manifest".into(),
            media_type: other.to_string(),
            expected: "an OCI image index or manifest, or a Docker v2 manifest or list",
        }),
    }
}

/// A descriptor's fields; `Err` says what is missing.
fn descriptor(value: &Value) -> Result<Descriptor, String> {
    let text = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_string);
    Ok(Descriptor {
        media_type: text("mediaType").ok_or("has no mediaType")?,
        digest: text("digest").ok_or("has no digest")?,
        size: value
            .get("size")
            .and_then(Value::as_u64)
            .ok_or("has no size")?,
    })
}

/// `{"os", "architecture", "variant"}` (an index entry's `platform`, or an image
/// config), when both os and architecture are set.
fn platform_of(value: &Value) -> Option<Platform> {
    let text = |k: &str| {
        value
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    Some(Platform {
        os: text("os")?.to_string(),
        architecture: text("architecture")?.to_string(),
        variant: text("variant").map(str::to_string),
    })
}

/// The index entry for `wanted` (the first that matches), or the list of what there is.
pub(crate) fn select<'a>(
    entries: &'a [(Descriptor, Option<Platform>)],
    wanted: &Platform,
) -> Result<&'a (Descriptor, Option<Platform>), Cause> {
    let image = |d: &Descriptor| d.media_type == OCI_MANIFEST || d.media_type == DOCKER_MANIFEST;
    entries
        .iter()
        .find(|(d, p)| image(d) && p.as_ref().is_some_and(|p| wanted.matches(p)))
        .ok_or_else(|| {
            let mut available: Vec<String> = entries
                .iter()
                .filter(|(d, _)| image(d))
                .map(|(_, p)| {
                    p.as_ref()
                        .map_or("(no platform)".into(), Platform::to_string)
                })
                .collect();
            available.dedup();
            Cause::NoPlatform {
                wanted: wanted.to_string(),
                available,
            }
        })
}

/// An image config: its platform (when it names one) and its `config` object (an empty
/// object when it has none).
pub(crate) fn image_config(bytes: &[u8]) -> Result<(Option<Platform>, Value), Cause> {
    let malformed = |detail: String| Cause::Malformed {
        what: "image config".into(),
        detail,
    };
    let value: Value = serde_json::from_slice(bytes).map_err(|e| malformed(e.to_string()))?;
    if !value.is_object() {
        return Err(malformed("it is not a JSON object".into()));
    }
    let config = match value.get("config") {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(object @ Value::Object(_)) => object.clone(),
        Some(_) => return Err(malformed("its `config` is not an object".into())),
    };
    Ok((platform_of(&value), config))
}

#[cfg(test)]
mod tests;
