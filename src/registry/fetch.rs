//! Reading image configs: for each reference, the manifest (by tag or digest); an image
//! index resolved to the platform, then that platform's manifest; then the config blob.
//! Every document is checked against its digest: the manifest against the reference's
//! digest when it is pinned and against `Docker-Content-Digest` when the registry sends
//! one, the platform's manifest and the config against the digests that point at them.
//! Images are read by a bounded pool of threads; results come back in input order.

use super::cache::Cache;
use super::digest;
use super::error::{Cause, FetchError};
use super::http::Client;
use super::manifest::{self, ACCEPT, Manifest};
use super::options::Options;
use super::session::Registries;
use crate::oci::{Platform, Reference};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What one reference resolved to.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    pub reference: Reference,
    /// What the reference resolves to: the index digest for an index, else the manifest
    /// digest (what kbld pins).
    pub digest: String,
    /// The platform whose config was read: the config's own `os`/`architecture`/
    /// `variant`, else its index entry's, else the one asked for (an image built from
    /// an empty base may name none).
    pub platform: Platform,
    /// The image config's `config` object as the registry has it (an empty object when
    /// the image has none).
    pub config: Value,
}

/// Read the config of every reference. Results are in input order; one image's failure
/// does not stop the others. A reference listed twice is fetched once.
pub fn fetch_all(refs: &[Reference], options: &Options) -> Vec<Result<Fetched, FetchError>> {
    run(refs, options, None)
}

/// [`fetch_all`], keeping configs in `cache` and reading them from it: a reference
/// pinned by digest whose config is there costs no request at all; one by tag costs
/// the manifest request only.
pub fn fetch_all_cached(
    refs: &[Reference],
    options: &Options,
    cache: &Cache,
) -> Vec<Result<Fetched, FetchError>> {
    run(refs, options, Some(cache))
}

fn run(
    refs: &[Reference],
    options: &Options,
    cache: Option<&Cache>,
) -> Vec<Result<Fetched, FetchError>> {
    // Each distinct reference once.
    let mut first: HashMap<&Reference, usize> = HashMap::new();
    let unique: Vec<&Reference> = refs
        .iter()
        .filter(|r| {
            let n = first.len();
            first.entry(r).or_insert(n) == &n
        })
        .collect();
    let client = Client::new(options);
    let registries = Registries::new(&client, options);
    let results: Vec<Mutex<Option<Result<Fetched, FetchError>>>> =
        unique.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let workers = options.concurrency.max(1).min(unique.len());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(reference) = unique.get(i) else {
                        break;
                    };
                    let result =
                        fetch_one(&registries, reference, options, cache).map_err(|cause| {
                            FetchError {
                                image: reference.canonical(),
                                cause,
                            }
                        });
                    *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                }
            });
        }
    });
    let results: Vec<Result<Fetched, FetchError>> = results
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every reference was fetched")
        })
        .collect();
    refs.iter().map(|r| results[first[r]].clone()).collect()
}

fn fetch_one(
    registries: &Registries,
    reference: &Reference,
    options: &Options,
    cache: Option<&Cache>,
) -> Result<Fetched, Cause> {
    let wanted = &options.platform;
    let cached = |digest: &str| {
        cache
            .and_then(|c| c.get(digest, wanted))
            .map(|entry| Fetched {
                reference: reference.clone(),
                digest: digest.to_string(),
                platform: entry.platform,
                config: entry.config,
            })
    };
    if let Some(hit) = reference.digest.as_deref().and_then(cached) {
        return Ok(hit);
    }
    let endpoint = registries.endpoint(reference)?;
    let repository = &reference.repository;
    let tag_or_digest = reference
        .digest
        .as_deref()
        .or(reference.tag.as_deref())
        .unwrap_or("latest");
    let reply = registries.get(
        &endpoint,
        repository,
        &format!("manifests/{tag_or_digest}"),
        ACCEPT,
        "manifest",
    )?;
    // Pinned: the bytes must be what the digest names (whatever the headers say).
    // By tag: the bytes must be what the registry says they are, when it says.
    let resolved = match &reference.digest {
        Some(pinned) => {
            digest::verify(pinned, &reply.body, "manifest")?;
            pinned.clone()
        }
        None => {
            let computed = digest::sha256(&reply.body);
            if let Some(sent) = reply.docker_content_digest.as_deref()
                && sent.starts_with("sha256:")
                && sent != computed
            {
                return Err(Cause::DigestMismatch {
                    what: "manifest (Docker-Content-Digest)".into(),
                    expected: sent.to_string(),
                    actual: computed,
                });
            }
            computed
        }
    };
    if let Some(hit) = cached(&resolved) {
        return Ok(hit);
    }
    let (config, entry_platform) =
        match manifest::parse(&reply.body, reply.content_type.as_deref())? {
            Manifest::Image { config } => (config, None),
            Manifest::Index(entries) => {
                let (entry, platform) = manifest::select(&entries, wanted)?;
                let what = format!("manifest for {}", platform.as_ref().unwrap_or(wanted));
                let child = registries.get(
                    &endpoint,
                    repository,
                    &format!("manifests/{}", entry.digest),
                    &entry.media_type,
                    &what,
                )?;
                digest::verify(&entry.digest, &child.body, &what)?;
                match manifest::parse(&child.body, child.content_type.as_deref())? {
                    Manifest::Image { config } => (config, platform.clone()),
                    Manifest::Index(_) => {
                        return Err(Cause::Malformed {
                            what,
                            detail: "it is another index, not an image manifest".into(),
                        });
                    }
                }
            }
        };
    let limit = registries.client.max_bytes();
    if config.size > limit {
        return Err(Cause::Oversized {
            what: "image config".into(),
            limit,
        });
    }
    let blob = registries.get(
        &endpoint,
        repository,
        &format!("blobs/{}", config.digest),
        &config.media_type,
        "image config",
    )?;
    digest::verify(&config.digest, &blob.body, "image config")?;
    let (config_platform, config_object) = manifest::image_config(&blob.body)?;
    let platform = config_platform
        .or(entry_platform)
        .unwrap_or_else(|| wanted.clone());
    if let Some(cache) = cache {
        cache.put(&resolved, wanted, &platform, &config.digest, &blob.body);
    }
    Ok(Fetched {
        reference: reference.clone(),
        digest: resolved,
        platform,
        config: config_object,
    })
}
