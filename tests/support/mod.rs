//! Shared by the correctness tests (`oracle.rs`, `hostile.rs`, `properties.rs`): the
//! real binary under a deadline and a memory ceiling, kubectl as the reference YAML
//! reader, an un-inject written independently of `src/inject.rs`, and the stream
//! invariants the fuzzer checks too (`invariants.rs`).

#![allow(dead_code)] // each test file uses a different part

pub mod invariants;
pub mod uninject;

use pinpoint_inject::config::{self, Settings};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Read a config file the way the binary does, for tests that call the library.
pub fn settings(path: &Path) -> Settings {
    let text = std::fs::read_to_string(path).unwrap();
    let value: Value = pinpoint_inject::yaml::from_str(&text).unwrap();
    config::load(&value).unwrap().settings
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// `None` when it was killed (a signal, or the deadline).
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub elapsed: Duration,
    pub timed_out: bool,
}

impl Run {
    /// The stderr lines that are not info (errors, warnings, the summary).
    pub fn problems(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| !l.starts_with("pinpoint-inject: info:"))
            .collect()
    }
}

/// Limits for one run: the binary must finish within `deadline` using at most
/// `memory_mib` of address space (`ulimit -v`; an allocation past it aborts the run).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub deadline: Duration,
    pub memory_mib: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            deadline: Duration::from_secs(30),
            memory_mib: 1024,
        }
    }
}

/// Run `pinpoint-inject ARGS < stdin` under `limits`, with no config from the environment.
pub fn run_bin(args: &[&str], stdin: &[u8], limits: Limits) -> Run {
    let start = Instant::now();
    // `ulimit -v` through the shell: no libc needed, and the limit holds for the whole run.
    let mut child = Command::new("/bin/sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {} && exec \"$0\" \"$@\"",
            limits.memory_mib * 1024
        ))
        .arg(env!("CARGO_BIN_EXE_pinpoint-inject"))
        .args(args)
        .env_remove("PINPOINT_INJECT_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().unwrap();
    let bytes = stdin.to_vec();
    // A config error ends the run before stdin is read: a broken pipe is expected then.
    let writer = std::thread::spawn(move || input.write_all(&bytes).ok());
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        out.read_to_end(&mut buf).ok();
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        err.read_to_end(&mut buf).ok();
        buf
    });
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limits.deadline {
            timed_out = true;
            child.kill().ok();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    writer.join().unwrap();
    Run {
        code: status.code(),
        stdout: reader.join().unwrap(),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned(),
        elapsed: start.elapsed(),
        timed_out,
    }
}

// ---- kubectl as the reference reader ---------------------------------------------------

/// True when kubectl is on PATH. Tests that need it say so and pass without it, unless
/// `PINPOINT_REQUIRE_KUBECTL=1` (then its absence is a failure).
pub fn have_kubectl() -> bool {
    let found = Command::new("kubectl")
        .args(["version", "--client"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("PINPOINT_REQUIRE_KUBECTL").is_none(),
            "kubectl is required (PINPOINT_REQUIRE_KUBECTL is set) but not on PATH"
        );
        eprintln!("kubectl is not on PATH: skipping the kubectl oracle");
    }
    found
}

static TEMP: AtomicUsize = AtomicUsize::new(0);

/// A file under the system temp dir, removed when dropped.
pub struct TempFile(pub PathBuf);

impl TempFile {
    pub fn new(name: &str, bytes: &[u8]) -> TempFile {
        let n = TEMP.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "pinpoint-inject-test-{}-{n}-{name}",
            std::process::id()
        ));
        std::fs::write(&path, bytes).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        std::fs::remove_file(&self.0).ok();
    }
}

/// The annotation we ask kubectl to add, so it prints every object it read.
const PROBE: &str = "pinpoint-inject.test/probe";

/// Every object of a YAML stream as Kubernetes' own reader sees it: kubectl splits the
/// stream, drops empty documents, flattens `v1 List`s and prints each object as JSON.
/// `Err` holds kubectl's message when it rejects the input.
pub fn kubectl_read(yaml: &[u8]) -> Result<Vec<Value>, String> {
    let file = TempFile::new("input.yaml", yaml);
    let output = Command::new("kubectl")
        .args(["annotate", "--local", "-o", "json", "-f"])
        .arg(&file.0)
        .arg(format!("{PROBE}=x"))
        .output()
        .expect("kubectl runs");
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    let mut objects = Vec::new();
    for object in serde_json::Deserializer::from_slice(&output.stdout).into_iter::<Value>() {
        let mut object = object.expect("kubectl prints JSON");
        let metadata = object["metadata"].as_object_mut().unwrap();
        let annotations = metadata["annotations"].as_object_mut().unwrap();
        annotations.remove(PROBE);
        if annotations.is_empty() {
            metadata.remove("annotations");
        }
        objects.push(object);
    }
    Ok(objects)
}
