//! How the registry reader behaves: the platform an index is resolved to, which
//! registries may speak plain HTTP, where credentials come from, and the limits
//! (concurrency, timeout, response size, retries).

use crate::oci::Platform;
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

/// The settings of one [`fetch_all`](super::fetch_all) run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The platform an image index is resolved to (default `linux/amd64`).
    pub platform: Platform,
    /// Registries (`host` or `host:port`, as references write them) that may be spoken
    /// to in plain HTTP when HTTPS fails. Loopback registries always may.
    pub insecure_registries: Vec<String>,
    /// The directory holding `config.json`; `None`: `$DOCKER_CONFIG`, else `~/.docker`.
    pub docker_config: Option<PathBuf>,
    /// Where `docker-credential-<name>` helpers are looked up; `None`: `$PATH`.
    pub helper_path: Option<OsString>,
    /// How many images are read at once (at least 1).
    pub concurrency: usize,
    /// The most one HTTP exchange (connect, send, read the whole answer) may take; a
    /// credential helper gets as long.
    pub timeout: Duration,
    /// The largest response read: manifests, token answers and configs are small.
    pub max_response_bytes: u64,
    /// How many times a request is tried again after a 429, a 5xx or a broken
    /// connection (so `retries + 1` attempts at most).
    pub retries: u32,
    /// The longest wait a `Retry-After` may ask for; a longer one ends the retries.
    pub max_retry_wait: Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            platform: Platform::default(),
            insecure_registries: Vec::new(),
            docker_config: None,
            helper_path: None,
            concurrency: 8,
            timeout: Duration::from_secs(30),
            max_response_bytes: 4 * 1024 * 1024,
            retries: 3,
            max_retry_wait: Duration::from_secs(60),
        }
    }
}

impl Options {
    /// True when `registry` may be spoken to in plain HTTP: a loopback one, or one
    /// named in [`Options::insecure_registries`] (compared without case).
    pub fn allows_plain_http(&self, registry: &str) -> bool {
        crate::oci::is_loopback_registry(registry)
            || self
                .insecure_registries
                .iter()
                .any(|r| r.eq_ignore_ascii_case(registry))
    }

    /// The directory whose `config.json` holds credentials.
    pub(crate) fn docker_config_dir(&self) -> Option<PathBuf> {
        if let Some(dir) = &self.docker_config {
            return Some(dir.clone());
        }
        match std::env::var_os("DOCKER_CONFIG") {
            Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
            _ => std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".docker")),
        }
    }

    /// The directories searched for credential helpers.
    pub(crate) fn helper_dirs(&self) -> Vec<PathBuf> {
        let path = match &self.helper_path {
            Some(path) => path.clone(),
            None => std::env::var_os("PATH").unwrap_or_default(),
        };
        std::env::split_paths(&path).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_for_loopback_and_named_registries() {
        let options = Options {
            insecure_registries: vec!["Harbor.internal:8080".into()],
            ..Options::default()
        };
        let cases = [
            ("localhost", "localhost:5000", true),
            ("127.0.0.0/8", "127.0.0.2:5000", true),
            ("IPv6 loopback", "[::1]:5000", true),
            ("named insecure, other case", "harbor.internal:8080", true),
            ("named host, other port", "harbor.internal:8443", false),
            (
                "a name that resolves to loopback is not loopback",
                "vm:5000",
                false,
            ),
            ("a public registry", "ghcr.io", false),
            ("a private address", "10.0.0.5:5000", false),
        ];
        for (name, registry, expected) in cases {
            assert_eq!(options.allows_plain_http(registry), expected, "{name}");
        }
    }

    #[test]
    fn an_explicit_docker_config_wins() {
        let options = Options {
            docker_config: Some("/x".into()),
            helper_path: Some("/a:/b".into()),
            ..Options::default()
        };
        assert_eq!(options.docker_config_dir(), Some(PathBuf::from("/x")));
        assert_eq!(
            options.helper_dirs(),
            vec![PathBuf::from("/a"), PathBuf::from("/b")]
        );
    }
}
