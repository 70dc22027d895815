//! Drive the real binary: stdin in (from a thread, so a large output cannot deadlock
//! the pipes), exit code, stdout and stderr out.

use std::io::Write;
use std::process::{Command, Stdio};

pub struct Run {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

#[allow(dead_code)] // not every test file reads stdout as text
impl Run {
    pub fn stdout_text(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("the output is UTF-8")
    }

    /// Exit code, stderr and stdout, the way fixture snapshots hold them.
    pub fn transcript(&self) -> String {
        format!(
            "exit: {}\n--- stderr\n{}--- stdout\n{}",
            self.code,
            self.stderr,
            self.stdout_text()
        )
    }
}

/// The first line of a fixture without its `# `: what the case checks.
#[allow(dead_code)] // used by the fixture tests only
pub fn description(input: &[u8]) -> String {
    String::from_utf8_lossy(input)
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches("# ")
        .to_string()
}

/// Run `pinpoint-inject ARGS < stdin` with no config from the environment.
pub fn run(args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pinpoint-inject"))
        .args(args)
        .env_remove("PINPOINT_INJECT_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().unwrap();
    let bytes = stdin.to_vec();
    let writer = std::thread::spawn(move || input.write_all(&bytes));
    let output = child.wait_with_output().unwrap();
    // A config error ends the run before stdin is read: a broken pipe is expected then.
    writer.join().unwrap().ok();
    Run {
        code: output
            .status
            .code()
            .expect("exited, not killed by a signal"),
        stdout: output.stdout,
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}
