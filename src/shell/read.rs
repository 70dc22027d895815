//! The files a run reads besides stdin: the config, and image facts. Each is read with
//! a size limit (a config is a few kilobytes; facts for thousands of images a few
//! megabytes), so `--config /dev/zero` is an error, not a run that never ends.

use anyhow::Context;
use pinpoint_inject::facts::{self, Facts};
use pinpoint_inject::run::limits;
use pinpoint_inject::yaml::{self, document};
use serde_json::Value;
use std::io::Read;
use std::path::Path;

/// The largest image facts file read.
pub const MAX_FACTS_BYTES: usize = 64 << 20;

/// A file's bytes, at most `limit` of them (more is an error naming the file).
pub fn bounded(path: &Path, limit: usize, what: &str) -> anyhow::Result<Vec<u8>> {
    let file = std::fs::File::open(path)
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    if bytes.len() > limit {
        anyhow::bail!(
            "{what} {} is over {}: that is not a {what}",
            path.display(),
            limits::size(limit)
        );
    }
    Ok(bytes)
}

/// Read a config file: at most [`limits::MAX_CONFIG`] bytes (`--config /dev/zero` ends
/// there), and a key written twice is an error (it is our own format).
pub fn config(path: &Path) -> anyhow::Result<Value> {
    let bytes = bounded(path, limits::MAX_CONFIG, "config file")?;
    let context = || format!("config file {}", path.display());
    let text = document::utf8(&bytes).with_context(context)?;
    yaml::from_str_strict(text).with_context(context)
}

/// Read an image facts file (an `ImageFacts` resource).
pub fn facts_document(path: &Path) -> anyhow::Result<facts::Document> {
    let bytes = bounded(path, MAX_FACTS_BYTES, "image facts file")?;
    let context = || format!("image facts file {}", path.display());
    let text = document::utf8(&bytes).with_context(context)?;
    let value = yaml::value_of(text).with_context(context)?;
    facts::Document::from_value(value)
        .with_context(|| format!("image facts file {}", path.display()))
}

/// Read image facts files into one [`Facts`].
pub fn facts(paths: &[std::path::PathBuf]) -> anyhow::Result<Facts> {
    let mut all = Facts::none();
    for path in paths {
        let context = || format!("image facts file {}", path.display());
        let more = Facts::from_document(facts_document(path)?).with_context(context)?;
        all.extend(more).with_context(context)?;
    }
    Ok(all)
}
