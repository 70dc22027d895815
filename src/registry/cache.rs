//! Image configs kept on disk between runs, so that `--fetch-images` asks a registry
//! only for what it has not seen: one JSON file per (digest the reference resolved to,
//! platform asked for), under `$XDG_CACHE_HOME/pinpoint-inject/image-configs/` (else
//! `~/.cache/…`). A digest names immutable content, so an entry never goes stale; the
//! config blob is kept as the registry sent it, with its digest, and checked again on
//! every read: an entry that does not parse or check out is ignored (and rewritten by
//! the next fetch). Writes go to a temporary file renamed into place, so a reader never
//! sees half an entry.

use super::digest;
use super::manifest::image_config;
use crate::oci::Platform;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The on-disk cache of image configs.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// What an entry holds: the platform whose config was read, and its `config` object.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub platform: Platform,
    pub config: Value,
}

/// The version of the entry format; another version is ignored.
const VERSION: u64 = 1;

impl Cache {
    /// A cache in `dir` (created on the first write).
    pub fn new(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    /// `$XDG_CACHE_HOME/pinpoint-inject/image-configs`, else
    /// `$HOME/.cache/pinpoint-inject/image-configs`; `None` without either.
    pub fn default_dir() -> Option<PathBuf> {
        let base = match std::env::var_os("XDG_CACHE_HOME") {
            Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir),
            _ => PathBuf::from(std::env::var_os("HOME")?).join(".cache"),
        };
        Some(base.join("pinpoint-inject").join("image-configs"))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, digest: &str, wanted: &Platform) -> PathBuf {
        let safe = |s: &str| -> String {
            s.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || "._-".contains(c) {
                        c
                    } else {
                        '_'
                    }
                })
                .collect()
        };
        let mut name = format!(
            "{}-{}-{}",
            safe(digest),
            safe(&wanted.os),
            safe(&wanted.architecture)
        );
        if let Some(variant) = &wanted.variant {
            name.push('-');
            name.push_str(&safe(variant));
        }
        self.dir.join(format!("{name}.json"))
    }

    /// The entry for `digest` and `wanted`, when there is a sound one.
    pub(crate) fn get(&self, digest: &str, wanted: &Platform) -> Option<Entry> {
        let bytes = std::fs::read(self.path(digest, wanted)).ok()?;
        let value: Value = serde_json::from_slice(&bytes).ok()?;
        let text = |k: &str| value.get(k).and_then(Value::as_str);
        let sound = value.get("version").and_then(Value::as_u64) == Some(VERSION)
            && text("digest") == Some(digest)
            && text("wanted") == Some(wanted.to_string().as_str());
        if !sound {
            return None;
        }
        let blob = text("configBlob")?;
        digest::verify(text("configDigest")?, blob.as_bytes(), "cached config").ok()?;
        let platform = Platform::parse(text("platform")?).ok()?;
        let (_, config) = image_config(blob.as_bytes()).ok()?;
        Some(Entry { platform, config })
    }

    /// Keep a config; a failure to write is not an error (the next run fetches again).
    pub(crate) fn put(
        &self,
        digest: &str,
        wanted: &Platform,
        platform: &Platform,
        config_digest: &str,
        config_blob: &[u8],
    ) {
        let Ok(blob) = std::str::from_utf8(config_blob) else {
            return;
        };
        let entry = json!({
            "version": VERSION,
            "digest": digest,
            "wanted": wanted.to_string(),
            "platform": platform.to_string(),
            "configDigest": config_digest,
            "configBlob": blob,
        });
        let _ = self.write(
            &self.path(digest, wanted),
            &serde_json::to_vec(&entry).unwrap_or_default(),
        );
    }

    fn write(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        static N: AtomicUsize = AtomicUsize::new(0);
        std::fs::create_dir_all(&self.dir)?;
        let temp = self.dir.join(format!(
            ".{}.{}.{}.tmp",
            path.file_name().and_then(|n| n.to_str()).unwrap_or("entry"),
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let written = std::fs::write(&temp, bytes).and_then(|()| std::fs::rename(&temp, path));
        if written.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        written
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(label: &str) -> Cache {
        let dir = std::env::temp_dir().join(format!(
            "pinpoint-inject-cache-{}-{label}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        Cache::new(dir)
    }

    const BLOB: &[u8] =
        br#"{"architecture":"amd64","os":"linux","config":{"User":"1000","Env":["A=1"]}}"#;
    const D: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    #[test]
    fn a_kept_config_reads_back_and_a_bad_one_is_ignored() {
        let cache = scratch("round-trip");
        let amd64 = Platform::default();
        let arm64 = Platform::parse("linux/arm64/v8").unwrap();
        assert_eq!(cache.get(D, &amd64), None);
        cache.put(D, &amd64, &amd64, &digest::sha256(BLOB), BLOB);
        let entry = cache.get(D, &amd64).unwrap();
        assert_eq!(entry.platform, amd64);
        assert_eq!(entry.config, json!({"User": "1000", "Env": ["A=1"]}));
        assert_eq!(
            cache.get(D, &arm64),
            None,
            "another platform is another entry"
        );
        let path = cache.path(D, &amd64);
        assert!(path.ends_with("sha256_1111111111111111111111111111111111111111111111111111111111111111-linux-amd64.json"));
        // No temporary file is left behind.
        let files: Vec<_> = std::fs::read_dir(cache.dir()).unwrap().collect();
        assert_eq!(files.len(), 1);

        // A blob that no longer matches its digest, a truncated file, another version.
        let text = std::fs::read_to_string(&path).unwrap();
        for (name, broken) in [
            ("tampered blob", text.replace("1000", "0")),
            ("truncated", text[..text.len() / 2].to_string()),
            (
                "another version",
                text.replace("\"version\":1", "\"version\":2"),
            ),
            (
                "another digest inside",
                text.replace(&D[7..17], "2222222222"),
            ),
        ] {
            std::fs::write(&path, broken).unwrap();
            assert_eq!(cache.get(D, &amd64), None, "{name}");
        }
        // The next put repairs it.
        cache.put(D, &amd64, &amd64, &digest::sha256(BLOB), BLOB);
        assert!(cache.get(D, &amd64).is_some());
        std::fs::remove_dir_all(cache.dir()).unwrap();
    }
}
