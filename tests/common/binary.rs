//! The one way to drive pinpoint-inject: args and stdin in, with no config from the
//! environment, always under a deadline (no test can hang) and, when asked, under a
//! memory ceiling; plus the transcript and description the fixture snapshots hold.

use super::{Run, run_until};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

pub fn bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_pinpoint-inject"))
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
            deadline: DEADLINE,
            memory_mib: 1024,
        }
    }
}

/// How long any run of the binary may take unless a test sets its own `Limits`.
const DEADLINE: Duration = Duration::from_secs(30);

/// Run `pinpoint-inject ARGS < stdin` under the default deadline, with no memory
/// ceiling; panics unless it exited (not killed, not timed out).
pub fn inject(args: &[&str], stdin: &[u8]) -> Run {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .env_remove("PINPOINT_INJECT_CONFIG")
        .env_remove("PINPOINT_INJECT_IMAGE_FACTS");
    let run = run_until(&mut cmd, stdin, DEADLINE);
    assert!(
        !run.timed_out,
        "pinpoint-inject {args:?} did not finish within {DEADLINE:?}: {run}"
    );
    run.exit_code();
    run
}

/// Run `pinpoint-inject ARGS < stdin` under `limits`; the caller checks how it ended
/// (`code` is `None` when it was killed, `timed_out` when by the deadline).
pub fn run_bin(args: &[&str], stdin: &[u8], limits: Limits) -> Run {
    // `ulimit -v` through the shell: no libc needed, and the limit holds for the whole run.
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-c")
        .arg(format!(
            "ulimit -v {} && exec \"$0\" \"$@\"",
            limits.memory_mib * 1024
        ))
        .arg(bin())
        .args(args)
        .env_remove("PINPOINT_INJECT_CONFIG")
        .env_remove("PINPOINT_INJECT_IMAGE_FACTS");
    run_until(&mut cmd, stdin, limits.deadline)
}

impl Run {
    /// Exit code, stderr and stdout, the way fixture snapshots hold them.
    pub fn transcript(&self) -> String {
        format!(
            "exit: {}\n--- stderr\n{}--- stdout\n{}",
            self.exit_code(),
            self.stderr,
            self.stdout_text()
        )
    }

    /// The stderr lines that are not info (errors, warnings, the summary).
    pub fn problems(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| !l.starts_with("pinpoint-inject: info:"))
            .collect()
    }
}

/// The first line of a fixture without its `# `: what the case checks.
pub fn description(input: &[u8]) -> String {
    String::from_utf8_lossy(input)
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches("# ")
        .to_string()
}
