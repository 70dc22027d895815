//! Image facts: what each image's config says (its `Env`, `Entrypoint`, `Cmd`, `User`,
//! `Labels`), as the `ImageFacts` resource a person or `pinpoint-inject images` writes
//! ([`model`]), checked and indexed so that a container's `image:` finds its entry the
//! way Kubernetes and containerd name images ([`Facts::lookup`]: `nginx` is
//! `docker.io/library/nginx:latest`; a digest finds the entry that resolved to it).
//! Imports [`crate::oci`] only.

pub mod model;
mod update;

pub use model::{API_VERSION, Document, Entry, EntrySpec, FactsError, KIND, is_facts};
pub use update::merge;

use crate::oci::Reference;
use std::collections::HashMap;

/// Checked image facts, indexed by reference and by digest.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    entries: Vec<Entry>,
    /// `registry/repository:tag` (the tag `latest` when the facts name none) → entry.
    by_name: HashMap<String, usize>,
    /// `sha256:…` → entry.
    by_digest: HashMap<String, usize>,
}

/// `registry/repository:tag`, the tag `latest` for a reference with neither tag nor
/// digest; `None` for a reference by digest alone.
fn name_key(reference: &Reference) -> Option<String> {
    match (&reference.tag, &reference.digest) {
        (None, Some(_)) => None,
        (tag, _) => Some(format!(
            "{}/{}:{}",
            reference.registry,
            reference.repository,
            tag.as_deref().unwrap_or("latest")
        )),
    }
}

impl Facts {
    /// No facts: every decision comes from the manifest and the config.
    pub fn none() -> Facts {
        Facts::default()
    }

    /// Check a resource's entries and index them. Two entries for one image are an
    /// error (which one is meant?).
    pub fn from_document(document: Document) -> Result<Facts, FactsError> {
        let mut facts = Facts {
            entries: Vec::with_capacity(document.images.len()),
            by_name: HashMap::with_capacity(document.images.len()),
            by_digest: HashMap::with_capacity(document.images.len()),
        };
        for (index, spec) in document.images.into_iter().enumerate() {
            facts.add(spec.into_entry(index)?, index)?;
        }
        Ok(facts)
    }

    /// Add the entries of another resource (facts from two files, or from the registry).
    pub fn extend(&mut self, other: Facts) -> Result<(), FactsError> {
        if self.entries.is_empty() {
            *self = other;
            return Ok(());
        }
        for entry in other.entries {
            let index = self.entries.len();
            self.add(entry, index)?;
        }
        Ok(())
    }

    /// Add the entries of `other` for images these facts do not cover (facts read from
    /// a registry, under those a person or a package gave).
    pub fn extend_missing(&mut self, other: Facts) {
        for entry in other.entries {
            let covered = name_key(&entry.reference).is_some_and(|n| self.by_name.contains_key(&n))
                || entry
                    .digest
                    .as_ref()
                    .is_some_and(|d| self.by_digest.contains_key(d));
            if !covered {
                let index = self.entries.len();
                self.add(entry, index).expect("not covered, so no clash");
            }
        }
    }

    fn add(&mut self, entry: Entry, index: usize) -> Result<(), FactsError> {
        let at = self.entries.len();
        let clash = |existing: usize, what: &str| {
            FactsError(format!(
                "images[{index}] ({}) and images[{existing}] ({}) describe the same {what}; keep one",
                entry.image, self.entries[existing].image
            ))
        };
        let name = name_key(&entry.reference);
        if let Some(existing) = name.as_ref().and_then(|n| self.by_name.get(n)) {
            return Err(clash(*existing, "image"));
        }
        // Two tags of one image (`app:1.2` and `app:latest`) resolve to one digest: both
        // entries stand, unless they say different things about it.
        if let Some(existing) = entry.digest.as_ref().and_then(|d| self.by_digest.get(d))
            && self.entries[*existing].platform == entry.platform
            && self.entries[*existing].config != entry.config
        {
            return Err(clash(*existing, "digest with different configs"));
        }
        if let Some(name) = name {
            self.by_name.insert(name, at);
        }
        if let Some(digest) = &entry.digest {
            self.by_digest.entry(digest.clone()).or_insert(at);
        }
        self.entries.push(entry);
        Ok(())
    }

    /// The entry for a container's `image:`: by digest when it names one, else by
    /// name and tag. `None` for an image the facts do not cover (or a reference that
    /// does not parse: the config layer and Kubernetes say what is wrong with it).
    pub fn lookup(&self, image: &str) -> Option<&Entry> {
        if self.entries.is_empty() {
            return None;
        }
        let reference = Reference::parse(image).ok()?;
        let index = match &reference.digest {
            Some(digest) => self.by_digest.get(digest),
            None => name_key(&reference).and_then(|n| self.by_name.get(&n)),
        }?;
        self.entries.get(*index)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn facts(images: Value) -> Result<Facts, FactsError> {
        let doc = Document::from_value(
            json!({"apiVersion": API_VERSION, "kind": KIND, "images": images}),
        )?;
        Facts::from_document(doc)
    }

    #[test]
    fn containers_find_their_entry_as_kubernetes_names_images() {
        let digest = format!("sha256:{}", "b".repeat(64));
        let f = facts(json!([
            {"image": "nginx", "config": {"Env": ["NGINX_VERSION=1.27.4"]}},
            {"image": "registry.example.com/shop/orders:1.4.2", "digest": digest, "config": {}},
        ]))
        .unwrap();
        for image in [
            "nginx",
            "nginx:latest",
            "docker.io/library/nginx",
            "index.docker.io/library/nginx:latest",
        ] {
            assert_eq!(
                f.lookup(image).map(|e| e.image.as_str()),
                Some("nginx"),
                "{image}"
            );
        }
        assert!(f.lookup("nginx:1.27").is_none());
        let by_digest = format!("registry.example.com/shop/orders@{digest}");
        assert_eq!(
            f.lookup(&by_digest).unwrap().image,
            "registry.example.com/shop/orders:1.4.2"
        );
        let tag_and_digest = format!("registry.example.com/shop/orders:other@{digest}");
        assert!(f.lookup(&tag_and_digest).is_some(), "the digest decides");
        assert!(
            f.lookup(&format!("nginx@sha256:{}", "c".repeat(64)))
                .is_none()
        );
        assert!(f.lookup("not a reference").is_none());
    }

    /// Two tags that resolve to one manifest (what `images` writes for `app:1.0` and
    /// `app:latest`) are both kept and both found; one digest with two different
    /// configs is refused.
    #[test]
    fn two_tags_of_one_digest_stand_unless_their_configs_differ() {
        let digest = format!("sha256:{}", "d".repeat(64));
        let entry = |image: &str, env: &str| json!({"image": image, "digest": digest, "config": {"Env": [env]}});
        let f = facts(json!([entry("app:1.0", "A=1"), entry("app:latest", "A=1")])).unwrap();
        assert_eq!(f.lookup("app:latest").unwrap().image, "app:latest");
        assert_eq!(f.lookup("app:1.0").unwrap().image, "app:1.0");
        assert!(f.lookup(&format!("app@{digest}")).is_some());
        let error =
            facts(json!([entry("app:1.0", "A=1"), entry("app:latest", "A=2")])).unwrap_err();
        assert!(error.to_string().contains("different configs"), "{error}");
    }

    #[test]
    fn two_entries_for_one_image_are_refused() {
        let error = facts(json!([
            {"image": "nginx", "config": {}},
            {"image": "docker.io/library/nginx:latest", "config": {}},
        ]))
        .unwrap_err();
        assert!(error.to_string().contains("images[1]"), "{error}");
    }
}
