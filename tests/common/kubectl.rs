//! kubectl as the reference YAML reader: how Kubernetes' own client splits a stream and
//! reads each object, for the oracle tests to compare pinpoint-inject's reading with.

use super::{TempFile, run};
use serde_json::Value;
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
