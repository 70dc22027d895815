//! The README's before/after example is what the tool really does, and its first
//! command works.

use pinpoint_inject::yaml;
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

const README: &str = include_str!("../README.md");

/// The YAML block that follows the first line starting with `marker`.
fn block_after(marker: &str) -> &'static str {
    let start = README.find(marker).unwrap_or_else(|| panic!("README has no {marker:?}"));
    let rest = &README[start..];
    let open = rest.find("```yaml\n").unwrap() + "```yaml\n".len();
    let close = rest[open..].find("```").unwrap();
    &rest[open..open + close]
}

#[test]
fn readme_before_and_after_match_the_tool() {
    let before = block_after("Before:");
    let after: Value = yaml::from_str(block_after("After `pinpoint-inject")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pinpoint-inject"))
        .args(["--config", concat!(env!("CARGO_MANIFEST_DIR"), "/function-config/example.yaml")])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(before.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let produced: Value = yaml::from_str(std::str::from_utf8(&out.stdout).unwrap()).unwrap();
    assert_eq!(produced, after);
}
