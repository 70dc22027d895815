//! The one test-support module every test file includes (`mod common;`): repository
//! paths, scratch files and directories, the one `Run` type and the one way to run a
//! command with stdin; the binary, the tools, manifests, kubectl and the stream
//! invariants live in the files below, each re-exported here.

#![allow(dead_code)] // each test file uses its own part of this module

pub mod binary;
pub mod clients;
pub mod forged;
pub mod invariants;
pub mod krm_invariants;
pub mod kubectl;
pub mod manifests;
pub mod tools;
pub mod uninject;

#[allow(unused_imports)] // each test file uses its own part
pub use binary::{Limits, bin, description, inject, run_bin};
#[allow(unused_imports)] // each test file uses its own part
pub use kubectl::{have_kubectl, kubectl_read};
#[allow(unused_imports)] // each test file uses its own part
pub use manifests::*;
#[allow(unused_imports)] // each test file uses its own part
pub use tools::{HELM4_FILENAME_ANNOTATION, IMAGE, Tools, on_path, path_with, tools};

use pinpoint_inject::config::{self, Settings};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Read a config file the way the binary does, for tests that call the library.
pub fn settings(path: &Path) -> Settings {
    let text = std::fs::read_to_string(path).unwrap();
    let value: Value = pinpoint_inject::yaml::from_str(&text).unwrap();
    config::load(&value).unwrap().settings
}

/// Numbers the scratch files and directories of this test process.
static SCRATCH: AtomicUsize = AtomicUsize::new(0);

fn scratch_path(label: &str) -> PathBuf {
    let n = SCRATCH.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!(
        "pinpoint-inject-test-{}-{n}-{label}",
        std::process::id()
    ))
}

/// A file under the system temp dir, removed when dropped.
pub struct TempFile(pub PathBuf);

impl TempFile {
    pub fn new(name: &str, bytes: &[u8]) -> TempFile {
        let path = scratch_path(name);
        std::fs::write(&path, bytes).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        std::fs::remove_file(&self.0).ok();
    }
}

/// A scratch directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        let dir = scratch_path(label);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, part: impl AsRef<Path>) -> PathBuf {
        self.0.join(part)
    }

    /// A `bin/` directory holding `pinpoint-inject` (a link to the built binary), to
    /// put first on PATH.
    pub fn bin_dir(&self) -> PathBuf {
        let dir = self.join("bin");
        std::fs::create_dir_all(&dir).unwrap();
        let link = dir.join("pinpoint-inject");
        if !link.exists() {
            std::os::unix::fs::symlink(bin(), &link).unwrap();
        }
        dir
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Copy a directory tree (files and directories).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Write an executable script.
pub fn write_script(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// What one command (the binary or a tool) did.
#[derive(Debug)]
pub struct Run {
    /// The command line, for messages.
    pub what: String,
    /// `None` when it was killed (a signal, or the deadline).
    pub code: Option<i32>,
    /// Bytes: a hostile input can make the binary write bytes that are not UTF-8.
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub elapsed: Duration,
    pub timed_out: bool,
}

impl Run {
    /// stdout as text; panics, naming the command, when it is not UTF-8.
    pub fn stdout_text(&self) -> &str {
        std::str::from_utf8(&self.stdout)
            .unwrap_or_else(|e| panic!("the stdout of {} is not UTF-8: {e}", self.what))
    }

    /// The exit code; panics when the command was killed instead.
    pub fn exit_code(&self) -> i32 {
        self.code
            .unwrap_or_else(|| panic!("{} was killed, it did not exit: {self}", self.what))
    }

    pub fn success(&self) -> bool {
        self.code == Some(0)
    }

    /// Panic with everything the command printed unless it exited 0.
    pub fn ok(&self) -> &Run {
        assert!(self.success(), "{} failed: {self}", self.what);
        self
    }

    /// Panic unless the command failed.
    pub fn failed(&self) -> &Run {
        assert!(!self.success(), "{} should have failed: {self}", self.what);
        self
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let timed_out = if self.timed_out { " (timed out)" } else { "" };
        write!(
            f,
            "exit {:?}{timed_out}\n--- stdout\n{}\n--- stderr\n{}",
            self.code,
            String::from_utf8_lossy(&self.stdout),
            self.stderr
        )
    }
}

/// Run a command with `stdin` until it exits.
pub fn run(cmd: &mut Command, stdin: &[u8]) -> Run {
    execute(cmd, stdin, None)
}

/// Run a command with `stdin`; kill it once `deadline` has passed (then `timed_out`).
pub fn run_until(cmd: &mut Command, stdin: &[u8], deadline: Duration) -> Run {
    execute(cmd, stdin, Some(deadline))
}

/// stdin is written and stdout and stderr are read from threads of their own, so that
/// a large output cannot deadlock the pipes and a deadline can be kept.
fn execute(cmd: &mut Command, stdin: &[u8], deadline: Option<Duration>) -> Run {
    let what = format!("{cmd:?}");
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    let mut input = child.stdin.take().unwrap();
    let bytes = stdin.to_vec();
    // A command may exit before reading all of stdin (an early error): a broken pipe
    // is expected then.
    let writer = std::thread::spawn(move || input.write_all(&bytes).ok());
    let read_all = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            pipe.read_to_end(&mut buf).ok();
            buf
        })
    };
    let out = read_all(Box::new(child.stdout.take().unwrap()));
    let err = read_all(Box::new(child.stderr.take().unwrap()));
    let mut timed_out = false;
    let status = match deadline {
        None => child.wait().unwrap(),
        Some(deadline) => loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > deadline {
                timed_out = true;
                child.kill().ok();
                break child.wait().unwrap();
            }
            std::thread::sleep(Duration::from_millis(5));
        },
    };
    writer.join().unwrap();
    Run {
        what,
        code: status.code(),
        stdout: out.join().unwrap(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
        elapsed: start.elapsed(),
        timed_out,
    }
}
