//! The log is not the output: a stderr that is full, or a pipe nobody reads, neither
//! stops the run nor changes its exit code. (With stderr a closed pipe, the run used to
//! end at its first log line with exit 0 and most of stdout unwritten; with stderr full
//! it panicked.)

use super::super::*;
use std::io::Read;
use std::process::{Command, Stdio};

/// Two good Pods and a broken document between them: exit 1, all three written.
fn input() -> String {
    format!(
        "{POD}---\napiVersion: v1\nkind: Pod\nmetadata: {{name: [broken\n---\n{}",
        POD.replace("name: p\n", "name: q\n")
    )
}

/// The run with stderr set to `stderr`: its exit code and stdout.
fn run_with_stderr(stderr: Stdio, close_read_end: bool) -> (Option<i32>, String) {
    let mut child = Command::new(common::bin())
        .args(["--config", &config()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    if close_read_end {
        drop(child.stderr.take()); // a pipe nobody reads: every write fails (EPIPE)
    }
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(input().as_bytes()).unwrap();
    }
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    (child.wait().unwrap().code(), out)
}

#[test]
fn a_stderr_that_cannot_be_written_changes_nothing() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    for (what, stderr, close) in [
        ("a pipe nobody reads", Stdio::piped(), true),
        ("/dev/full", Stdio::from(full), false),
    ] {
        let (code, out) = run_with_stderr(stderr, close);
        assert_eq!(code, Some(1), "{what}: the broken document is an error");
        assert_eq!(out.matches("kind: Pod").count(), 3, "{what}: {out}");
        assert_eq!(
            out.matches("pinpoint-inject.dev/injected").count(),
            2,
            "{what}: {out}"
        );
    }
}
