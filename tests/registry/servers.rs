//! Real registries on loopback, each a child process killed when dropped:
//! go-containerregistry's (`crane registry serve`, no auth, in memory) and CNCF
//! Distribution's (`distribution-registry serve`, filesystem storage in a scratch
//! directory, htpasswd or token auth). Both bind 127.0.0.1:0 and say the port in their
//! log (`serving on port N`; `listening on 127.0.0.1:N`), which is polled for.

use super::token_server::{ISSUER, SERVICE, TokenServer};
use crate::common::{TempDir, repo, tools};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A registry process and where it listens.
pub struct Registry {
    child: Child,
    /// `127.0.0.1:PORT`, as references write it.
    pub host: String,
    pub port: u16,
    /// Holds the log, the config and the storage; removed when dropped.
    _dir: TempDir,
    /// The token server in front of it, for token auth.
    pub tokens: Option<TokenServer>,
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How a Distribution registry authenticates.
pub enum Auth {
    /// Not at all.
    None,
    /// `htpasswd` with alice:s3cret and bob:pw (tests/registry/htpasswd).
    Basic,
    /// Bearer tokens from [`TokenServer`].
    Token,
}

/// go-containerregistry's registry: anonymous, in memory.
pub fn crane_registry() -> Registry {
    let dir = TempDir::new("crane-registry");
    let mut command = Command::new(&tools().crane);
    command.args(["registry", "serve", "--address", "127.0.0.1:0"]);
    start(command, dir, "serving on port ", None)
}

/// CNCF Distribution with `auth`, in plain HTTP.
pub fn distribution(auth: Auth) -> Registry {
    distribution_with(auth, None)
}

/// CNCF Distribution with `auth`, and HTTPS with `tls` (certificate and key, PEM).
pub fn distribution_with(auth: Auth, tls: Option<(&Path, &Path)>) -> Registry {
    let dir = TempDir::new("distribution");
    let storage = dir.join("storage");
    std::fs::create_dir_all(&storage).unwrap();
    let (auth_yaml, tokens) = match auth {
        Auth::None => (String::new(), None),
        Auth::Basic => {
            let htpasswd = repo().join("tests/registry/htpasswd");
            let yaml = format!(
                "  htpasswd:\n    realm: pinpoint-test\n    path: {}\n",
                htpasswd.display()
            );
            (yaml, None)
        }
        Auth::Token => {
            let jwks = dir.join("jwks.json");
            let server = TokenServer::start(&jwks);
            let yaml = format!(
                "  token:\n    realm: {}\n    service: {SERVICE}\n    issuer: {ISSUER}\n    jwks: {}\n",
                server.realm(),
                jwks.display()
            );
            (yaml, Some(server))
        }
    };
    let tls_yaml = tls
        .map(|(cert, key)| {
            format!(
                "  tls:\n    certificate: {}\n    key: {}\n",
                cert.display(),
                key.display()
            )
        })
        .unwrap_or_default();
    let auth_yaml = if auth_yaml.is_empty() {
        auth_yaml
    } else {
        format!("auth:\n{auth_yaml}")
    };
    let config = format!(
        "version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:0\n  secret: test-only\n{tls_yaml}{auth_yaml}",
        storage.display()
    );
    let config_path = dir.join("config.yml");
    std::fs::write(&config_path, config).unwrap();
    let mut command = Command::new(&tools().distribution);
    command.arg("serve").arg(&config_path);
    start(command, dir, "listening on 127.0.0.1:", tokens)
}

/// Run a registry with its log in `dir`; wait until the log says its port.
fn start(
    mut command: Command,
    dir: TempDir,
    marker: &str,
    tokens: Option<TokenServer>,
) -> Registry {
    let log = dir.join("registry.log");
    let mut child = command
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(dir.join("stdout.log")).unwrap())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("{command:?} does not start: {e}"));
    let port = match wait_for_port(&log, marker) {
        Ok(port) => port,
        Err(message) => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{message}");
        }
    };
    Registry {
        child,
        host: format!("127.0.0.1:{port}"),
        port,
        _dir: dir,
        tokens,
    }
}

/// The port a registry logs once it listens; `Err` with the log after 30 s.
fn wait_for_port(log: &std::path::Path, marker: &str) -> Result<u16, String> {
    let start = Instant::now();
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if let Some(at) = text.find(marker) {
            let digits: String = text[at + marker.len()..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            if let Ok(port) = digits.parse() {
                return Ok(port);
            }
        }
        if start.elapsed() > Duration::from_secs(30) {
            return Err(format!(
                "no {marker:?} in {} after 30 s:\n{text}",
                log.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A loopback port nothing listens on.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}
