//! The registry reader's settings from the command line, and `--fetch-images`: a run
//! that reads, before it starts, the configs of the images its facts lack (kept in the
//! user's cache directory by digest, so the next run asks the registries for manifests
//! only). A run never opens a connection unless asked this way; an image that cannot be
//! read is decided from the manifest, with a warning.

use crate::cli::Cli;
use anyhow::Context;
use pinpoint_inject::facts::{Document, EntrySpec, Facts};
use pinpoint_inject::oci::{Platform, Reference};
use pinpoint_inject::registry::{self, Cache, Options};
use pinpoint_inject::run::images::Collected;
use std::io::Write;

/// The registry reader's options: `--platform`, `--insecure-registry`.
pub fn registry_options(cli: &Cli) -> anyhow::Result<Options> {
    let mut options = Options::default();
    if let Some(platform) = &cli.platform {
        options.platform = Platform::parse(platform)
            .map_err(|e| anyhow::anyhow!("--platform {platform:?}: {}", e.0))?;
    }
    options.insecure_registries = cli.insecure_registries.clone();
    Ok(options)
}

/// Read the configs of the images in `found` that `facts` does not cover, and add them
/// to `facts` (below what was given). Failures are warnings on `err`.
pub fn missing(
    cli: &Cli,
    facts: &mut Facts,
    found: &Collected,
    err: &mut impl Write,
) -> anyhow::Result<()> {
    let mut seen = std::collections::HashSet::new();
    let refs: Vec<(String, Reference)> = found
        .images
        .iter()
        .filter(|f| facts.lookup(&f.image).is_none())
        .filter_map(|f| Some((f.image.clone(), Reference::parse(&f.image).ok()?)))
        .filter(|(_, r)| seen.insert(r.canonical()))
        .collect();
    if refs.is_empty() {
        return Ok(());
    }
    let options = registry_options(cli)?;
    let references: Vec<Reference> = refs.iter().map(|(_, r)| r.clone()).collect();
    let results = match Cache::default_dir() {
        Some(dir) => registry::fetch_all_cached(&references, &options, &Cache::new(dir)),
        None => registry::fetch_all(&references, &options),
    };
    let mut entries = Vec::new();
    for ((image, _), result) in refs.into_iter().zip(results) {
        match result {
            Ok(f) => entries.push(EntrySpec {
                image,
                digest: Some(f.digest),
                platform: Some(f.platform.to_string()),
                config: f.config,
            }),
            Err(e) => writeln!(
                err,
                "pinpoint-inject: warning: {e}; its containers are decided from the manifest"
            )?,
        }
    }
    let fetched = Facts::from_document(Document::new(entries))
        .context("image facts read from the registries")?;
    facts.extend_missing(fetched);
    Ok(())
}
