//! kubectl as the reference YAML reader: how Kubernetes' own client splits a stream and
//! reads each object, for the oracle tests to compare pinpoint-inject's reading with.

use super::uninject::{normalize, uninject};
use super::{Limits, TempFile, repo, run, run_bin};
use pinpoint_inject::config::Settings;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

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

/// The annotation we ask kubectl to add, so it prints every object it read.
const PROBE: &str = "pinpoint-inject.test/probe";

/// Every object of a YAML stream as Kubernetes' own reader sees it: kubectl splits the
/// stream, drops empty documents, flattens `v1 List`s and prints each object as JSON.
/// `Err` holds kubectl's message when it rejects the input.
pub fn kubectl_read(yaml: &[u8]) -> Result<Vec<Value>, String> {
    let file = TempFile::new("input.yaml", yaml);
    let output = run(
        Command::new("kubectl")
            .args(["annotate", "--local", "-o", "json", "-f"])
            .arg(&file.0)
            .arg(format!("{PROBE}=x")),
        b"",
    );
    if !output.success() {
        return Err(output.stderr);
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

// ---- The oracle: the same objects before and after, once the wiring is out --------

fn inputs() -> Vec<PathBuf> {
    let corpus = repo().join("tests/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap_or_else(|e| panic!("the corpus is expected at {}: {e}", corpus.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "corpus files: {files:?}");
    files.push(repo().join("examples/seed-tomcat/deployment.yaml"));
    files.push(repo().join("tests/oracle/yaml11-traps.yaml"));
    files.push(repo().join("tests/oracle/kinds.yaml"));
    files.push(repo().join("tests/oracle/duplicate-keys.yaml"));
    files
}

/// Where two values first differ, as a path, for a readable failure.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                let here = format!("{path}.{key}");
                match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) => {
                        if let Some(d) = first_difference(p, q, &here) {
                            return Some(d);
                        }
                    }
                    (p, q) => return Some(format!("{here}: {p:?} != {q:?}")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, &format!("{path}[{i}]"))),
        _ => (a != b).then(|| format!("{path}: {a} != {b}")),
    }
}

/// Run the binary on every input with `config`; kubectl must read the same objects
/// before and after, once the wiring is out. Returns how many pod templates were wired.
pub fn same_objects_for_kubectl(config: &Path) -> usize {
    let settings: Settings = super::settings(config);
    let config = config.to_str().unwrap();
    let mut wired = 0;
    for input in inputs() {
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&input).unwrap();
        let run = run_bin(&["--config", config], &bytes, Limits::default());
        assert_eq!(run.code, Some(0), "{name}: {}", run.stderr);
        let before = kubectl_read(&bytes).unwrap_or_else(|e| panic!("{name}: kubectl: {e}"));
        let after =
            kubectl_read(&run.stdout).unwrap_or_else(|e| panic!("{name} output: kubectl: {e}"));
        assert_eq!(before.len(), after.len(), "{name}: object count");
        let mut wired_here = 0;
        for (i, (mut old, mut new)) in before.into_iter().zip(after).enumerate() {
            let id = format!(
                "{name} object {i} ({} {})",
                old["kind"], old["metadata"]["name"]
            );
            wired_here += uninject(&mut new, &settings);
            normalize(&mut old, &settings);
            normalize(&mut new, &settings);
            if let Some(difference) = first_difference(&old, &new, "") {
                panic!("{id}: kubectl reads something else besides the wiring: {difference}");
            }
        }
        let expected = run
            .stderr
            .lines()
            .filter(|l| l.contains(": injected: "))
            .count();
        assert_eq!(wired_here, expected, "{name}: wired pod templates");
        wired += wired_here;
    }
    wired
}
