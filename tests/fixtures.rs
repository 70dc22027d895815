//! Fixture cases as data: `tests/fixtures/<case>/input.yaml` (its first line says what the
//! case checks), an optional `config.yaml` (else `tests/fixtures/config.yaml`) and an
//! optional `facts.yaml` (image facts, given with `--image-facts`) run through the real
//! binary in stream mode. The snapshot holds the exit code, stderr and stdout. Every case
//! is then run again on its own output (nothing may change) and in KRM mode (the same
//! items must come out; the facts go in as an item of the list, and come out unchanged).

mod common;

use common::inject;
use pinpoint_inject::run::stream;
use pinpoint_inject::yaml;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The case's config, relative to the package root (the tests' working directory), so
/// that messages naming it are the same on every machine.
fn config_for(case: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let case = case.strip_prefix(root).unwrap_or(case);
    let own = case.join("config.yaml");
    if root.join(&own).exists() {
        own
    } else {
        PathBuf::from("tests/fixtures/config.yaml")
    }
}

/// The parsed, non-empty documents of a stream (None if one does not parse).
fn documents(bytes: &[u8]) -> Option<Vec<Value>> {
    let mut docs = Vec::new();
    for doc in stream::Splitter::new(bytes) {
        let doc = doc.unwrap();
        let value: Value = yaml::from_str(std::str::from_utf8(&doc.bytes).ok()?).ok()?;
        if !value.is_null() {
            docs.push(value);
        }
    }
    Some(docs)
}

#[test]
fn stream_fixtures() {
    insta::glob!("fixtures/*/input.yaml", |path| {
        let case = path.parent().unwrap();
        let config = config_for(case);
        let config_arg = config.to_str().unwrap();
        let input = std::fs::read(path).unwrap();
        let facts = case.join("facts.yaml");
        let facts_arg = facts.to_str().unwrap();
        let args: Vec<&str> = if facts.exists() {
            vec!["--config", config_arg, "--image-facts", facts_arg]
        } else {
            vec!["--config", config_arg]
        };
        let first = inject(&args, &input);
        let stdout = first.stdout_text();
        insta::with_settings!({ description => common::description(&input), omit_expression => true }, {
            insta::assert_snapshot!(first.transcript());
        });

        // Idempotence: the tool's own output goes through unchanged, byte for byte.
        let second = inject(&args, &first.stdout);
        assert_eq!(
            String::from_utf8_lossy(&second.stdout),
            stdout,
            "{}: a second run changed the output",
            case.display()
        );
        assert_eq!(
            second.code,
            first.code,
            "{}: a second run exited differently",
            case.display()
        );

        // KRM mode: the same documents as a ResourceList give the same items.
        let (Some(inputs), Some(outputs)) = (documents(&input), documents(&first.stdout)) else {
            return; // a case about unparseable documents has no ResourceList form
        };
        if first.code != Some(0) && first.stdout.is_empty() {
            return; // a config error stops the stream before any output
        }
        let config_doc: Value = yaml::from_str(&std::fs::read_to_string(&config).unwrap()).unwrap();
        let facts_doc: Option<Value> = facts
            .exists()
            .then(|| yaml::from_str(&std::fs::read_to_string(&facts).unwrap()).unwrap());
        let items: Vec<Value> = inputs.into_iter().chain(facts_doc.clone()).collect();
        let outputs: Vec<Value> = outputs.into_iter().chain(facts_doc).collect();
        let list = json!({
            "apiVersion": "config.kubernetes.io/v1",
            "kind": "ResourceList",
            "items": items,
            "functionConfig": config_doc,
        });
        let krm = inject(
            &[],
            yaml::to_string(&list, yaml::ListStyle::Compact).as_bytes(),
        );
        assert_eq!(
            krm.code,
            first.code,
            "{}: KRM mode exited differently\n{}",
            case.display(),
            krm.stderr
        );
        let out: Value = yaml::from_str(std::str::from_utf8(&krm.stdout).unwrap()).unwrap();
        assert_eq!(
            out["items"],
            Value::Array(outputs),
            "{}: KRM items differ from the stream",
            case.display()
        );
    });
}
