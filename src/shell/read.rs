//! The files a run reads besides stdin: the config, and image facts. Each is read with
//! a size limit (a config is a few kilobytes; facts for thousands of images a few
//! megabytes), so `--config /dev/zero` is an error, not a run that never ends.

use anyhow::Context;
use pinpoint_inject::facts::{self, Facts};
use pinpoint_inject::yaml::{self, document};
use serde_json::Value;
use std::io::Read;
use std::path::Path;

/// The largest config file read.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;
/// The largest image facts file read.
pub const MAX_FACTS_BYTES: u64 = 64 << 20;

/// A file's bytes, at most `limit` of them (more is an error naming the file).
pub fn bounded(path: &Path, limit: u64, what: &str) -> anyhow::Result<Vec<u8>> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    if bytes.len() as u64 > limit {
        anyhow::bail!(
            "{what} {} is larger than {} MiB; that is not a {what}",
            path.display(),
            limit >> 20
        );
    }
    Ok(bytes)
}

/// Read a YAML file into a generic value.
pub fn yaml_file(path: &Path, limit: u64, what: &str) -> anyhow::Result<Value> {
    let bytes = bounded(path, limit, what)?;
    let context = || format!("{what} {}", path.display());
    let text = document::utf8(&bytes).with_context(context)?;
    yaml::value_of(text).with_context(context)
}

/// Read a config file.
pub fn config(path: &Path) -> anyhow::Result<Value> {
    yaml_file(path, MAX_CONFIG_BYTES, "config file")
}

/// Read an image facts file (an `ImageFacts` resource).
pub fn facts_document(path: &Path) -> anyhow::Result<facts::Document> {
    let value = yaml_file(path, MAX_FACTS_BYTES, "image facts file")?;
    facts::Document::from_value(value)
        .with_context(|| format!("image facts file {}", path.display()))
}

/// Read image facts files into one [`Facts`].
pub fn facts(paths: &[std::path::PathBuf]) -> anyhow::Result<Facts> {
    let mut all = Facts::none();
    for path in paths {
        let context = || format!("image facts file {}", path.display());
        let more = Facts::from_document(&facts_document(path)?).with_context(context)?;
        all.extend(more).with_context(context)?;
    }
    Ok(all)
}
