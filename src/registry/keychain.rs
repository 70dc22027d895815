//! Credentials for a registry from the Docker client's `config.json`, as the Docker CLI
//! and go-containerregistry's `pkg/authn/keychain.go` read it: `credHelpers[registry]`,
//! else `credsStore`, through `docker-credential-<name> get` (the server on stdin, JSON
//! `{"Username", "Secret"}` on stdout; a `Username` of `<token>` makes the secret an
//! identity token); else `auths[registry]` (`auth` = base64 `user:password`, or
//! `username`/`password`, `identitytoken`, `registrytoken`); else anonymous. Docker
//! Hub's key is `https://index.docker.io/v1/`. Secrets live in [`Credential`] only,
//! whose `Debug` hides them; [`Found::source`] says where they came from.

use super::options::Options;
use base64::Engine;
use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Docker Hub's key in `config.json`, for `auths`, `credHelpers` and helpers alike.
const DOCKER_HUB_KEY: &str = "https://index.docker.io/v1/";
/// What a helper prints (and exits 1 with) when it has nothing for the server.
const NOT_FOUND: &str = "credentials not found";

/// What to authenticate with.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Credential {
    Anonymous,
    Basic {
        username: String,
        password: String,
    },
    /// An OAuth2 refresh token (`identitytoken`, or a helper's `<token>` user).
    Identity {
        token: String,
    },
    /// A bearer token to send as it is (`registrytoken`).
    Registry {
        token: String,
    },
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credential::Anonymous => f.write_str("Anonymous"),
            Credential::Basic { username, .. } => write!(f, "Basic({username}, <hidden>)"),
            Credential::Identity { .. } => f.write_str("Identity(<hidden>)"),
            Credential::Registry { .. } => f.write_str("Registry(<hidden>)"),
        }
    }
}

/// A credential and where it came from (for messages; never the secret).
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub credential: Credential,
    pub source: String,
}

/// The credential for `registry` (a reference's registry: `docker.io`, `host:port`).
/// `Err` is a message: the config is unreadable, or its helper failed.
pub(crate) fn lookup(registry: &str, options: &Options) -> Result<Found, String> {
    let Some(dir) = options.docker_config_dir() else {
        return Ok(anonymous(
            "no docker config directory (neither $DOCKER_CONFIG nor $HOME is set)",
        ));
    };
    let path = dir.join("config.json");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(anonymous(&format!(
                "no credentials ({} does not exist)",
                path.display()
            )));
        }
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let config: Value = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not valid JSON: {e}", path.display()))?;
    let server = if registry == "docker.io" {
        DOCKER_HUB_KEY
    } else {
        registry
    };
    let helper = config["credHelpers"]
        .get(server)
        .or_else(|| config["credHelpers"].get(registry))
        .or_else(|| config.get("credsStore"))
        .and_then(Value::as_str)
        .filter(|name| !name.is_empty());
    if let Some(name) = helper
        && let Some(found) = from_helper(name, server, options)?
    {
        return Ok(found);
    }
    if let Some((key, entry)) = auths_entry(&config, registry) {
        let source = format!("auths[{key:?}] in {}", path.display());
        if let Some(credential) = from_auths(entry).map_err(|e| format!("{source}: {e}"))? {
            return Ok(Found { credential, source });
        }
    }
    let helper_note = helper
        .map(|h| format!(" or from docker-credential-{h}"))
        .unwrap_or_default();
    Ok(anonymous(&format!(
        "no credentials for {registry} in {}{helper_note}",
        path.display()
    )))
}

fn anonymous(why: &str) -> Found {
    Found {
        credential: Credential::Anonymous,
        source: why.to_string(),
    }
}

/// The `auths` entry whose key names `registry` (a key may be a URL: its host counts).
fn auths_entry<'a>(config: &'a Value, registry: &str) -> Option<(&'a str, &'a Value)> {
    let hub = ["docker.io", "index.docker.io", "registry-1.docker.io"];
    let wanted = |host: &str| {
        host.eq_ignore_ascii_case(registry)
            || (registry == "docker.io" && hub.iter().any(|h| host.eq_ignore_ascii_case(h)))
    };
    config["auths"]
        .as_object()?
        .iter()
        .find_map(|(key, entry)| {
            let host = key
                .trim_start_matches("https://")
                .trim_start_matches("http://")
                .split('/')
                .next()
                .unwrap_or_default();
            wanted(host).then_some((key.as_str(), entry))
        })
}

fn from_auths(entry: &Value) -> Result<Option<Credential>, String> {
    let field = |k: &str| {
        entry
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    if let Some(token) = field("registrytoken") {
        return Ok(Some(Credential::Registry {
            token: token.into(),
        }));
    }
    if let Some(token) = field("identitytoken") {
        return Ok(Some(Credential::Identity {
            token: token.into(),
        }));
    }
    if let Some(auth) = field("auth") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(auth.trim())
            .map_err(|_| "its `auth` is not base64".to_string())?;
        let text = String::from_utf8(decoded).map_err(|_| "its `auth` is not UTF-8".to_string())?;
        let (username, password) = text
            .split_once(':')
            .ok_or_else(|| "its `auth` is not base64 of user:password".to_string())?;
        return Ok(Some(Credential::Basic {
            username: username.into(),
            password: password.into(),
        }));
    }
    match (field("username"), field("password")) {
        (Some(username), Some(password)) => Ok(Some(Credential::Basic {
            username: username.into(),
            password: password.into(),
        })),
        _ => Ok(None),
    }
}

/// Ask `docker-credential-<name>` for `server`: `Ok(None)` when it has nothing.
fn from_helper(name: &str, server: &str, options: &Options) -> Result<Option<Found>, String> {
    let program = format!("docker-credential-{name}");
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return Err(format!(
            "the credential helper name {name:?} is not a plain name"
        ));
    }
    let path = find_program(&program, &options.helper_dirs())
        .ok_or_else(|| format!("{program} (named in the docker config) is not on PATH"))?;
    let output = run_helper(&path, server, options.timeout)
        .map_err(|e| format!("{program} get failed: {e}"))?;
    if !output.success {
        if output.stdout.contains(NOT_FOUND) || output.stderr.contains(NOT_FOUND) {
            return Ok(None);
        }
        let said = output.stderr.lines().next().unwrap_or("").trim();
        return Err(format!(
            "{program} get failed: {}",
            said.chars().take(200).collect::<String>()
        ));
    }
    let answer: Value = serde_json::from_str(&output.stdout)
        .map_err(|_| format!("{program} get printed no JSON object"))?;
    let text = |k: &str| {
        answer
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let (username, secret) = (text("Username"), text("Secret"));
    let credential = if secret.is_empty() {
        return Ok(None);
    } else if username == "<token>" {
        Credential::Identity { token: secret }
    } else {
        Credential::Basic {
            username,
            password: secret,
        }
    };
    Ok(Some(Found {
        credential,
        source: program,
    }))
}

fn find_program(name: &str, dirs: &[PathBuf]) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    dirs.iter()
        .filter(|d| !d.as_os_str().is_empty())
        .map(|d| d.join(name))
        .find(|p| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

struct HelperOutput {
    success: bool,
    stdout: String,
    stderr: String,
}

/// Run `helper get` with `server` on stdin; kill it after `timeout`.
fn run_helper(helper: &Path, server: &str, timeout: Duration) -> Result<HelperOutput, String> {
    let mut child = Command::new(helper)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // Docker writes the server with no newline, then closes stdin.
    let _ = stdin.write_all(server.as_bytes());
    drop(stdin);
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = read(Box::new(child.stdout.take().expect("stdout is piped")));
    let stderr = read(Box::new(child.stderr.take().expect("stderr is piped")));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("no answer within {}s", timeout.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Ok(HelperOutput {
        success: status.success(),
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests;
