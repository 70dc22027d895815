//! Documents over the per-document cap are never built: their head is read by a pass
//! that builds nothing, in every spelling (block, JSON, with anchors and aliases), and a
//! workload among them is still refused as too large while any other kind passes as it
//! is. (Their head read by the full parser cost five times their size: BENCHMARKS.md.)

use super::super::*;
use std::io::Write as _;
use std::process::{Command, Stdio};

/// The stream run with a 16 KiB cap: exit code, stdout and stderr.
fn capped(stdin: &str) -> (Option<i32>, String, String) {
    let mut child = Command::new(common::bin())
        .args(["--config", &config()])
        .env("PINPOINT_INJECT_MAX_DOCUMENT", "16KiB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code(), text(out.stdout), text(out.stderr))
}

#[test]
fn documents_over_the_cap_pass_or_are_refused_by_their_head_in_every_spelling() {
    let data: Vec<String> = (0..2000).map(|i| format!("\"k{i}\": \"v\"")).collect();
    let json_config_map = format!(
        "{{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {{\"name\": \"j\"}}, \"data\": {{{}}}}}\n",
        data.join(", ")
    );
    let block: String = (0..2000).map(|i| format!("  k{i}: v\n")).collect();
    let anchored = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: a\ndata:\n{block}  ref: *m\n"
    );
    for other in [&json_config_map, &anchored] {
        let (code, out, err) = capped(other);
        assert_eq!(code, Some(0), "{err}");
        assert_eq!(&out, other);
    }
    let blob = "x".repeat(20_000);
    let json_workload = format!(
        "{{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", \"metadata\": {{\"name\": \"d\", \"annotations\": {{\"blob\": \"{blob}\"}}}}, \"spec\": {{\"template\": {{\"spec\": {{\"containers\": [{{\"name\": \"app\", \"image\": \"eclipse-temurin:21-jre\"}}]}}}}}}}}\n"
    );
    let anchored_workload = format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  labels: &l {{app: d}}\n  annotations: {{blob: {blob}}}\nspec:\n  template:\n    metadata: {{labels: *l}}\n    spec:\n      containers:\n      - name: app\n        image: eclipse-temurin:21-jre\n"
    );
    for workload in [&json_workload, &anchored_workload] {
        let (code, out, err) = capped(workload);
        assert_eq!(code, Some(1), "{err}");
        assert_eq!(&out, workload);
        assert!(err.contains("over the 16 KiB that is parsed"), "{err}");
    }
}
