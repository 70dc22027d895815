//! Image facts as a file of a kustomization or a kpt package, through the real clients:
//! the `ImageFacts` resource (annotated `config.kubernetes.io/local-config: "true"`)
//! reaches the function as an item of the ResourceList, decides the wiring, and stays
//! out of what is applied: standalone kustomize drops it from its output, and kpt
//! leaves the package's file as it was.

mod common;

use common::{Run, TempDir, documents, find, run};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// An in-house image, as the copies of the examples name it, and its facts: an image
/// that sets JAVA_TOOL_OPTIONS of its own (which must be kept in front of ours).
const IMAGE: &str = "registry.example.com/shop/orders:1.4.2";
const FACTS: &str = "apiVersion: pinpoint-inject.dev/v1alpha1
kind: ImageFacts
metadata:
  name: image-facts
  annotations:
    config.kubernetes.io/local-config: \"true\"
images:
- image: registry.example.com/shop/orders:1.4.2
  config:
    User: \"1000\"
    Env: [\"JAVA_HOME=/opt/java/openjdk\", \"JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75 -Duser.timezone=UTC\"]
    Entrypoint: [\"java\", \"-jar\", \"/app/orders.jar\"]
";

/// Copy an example, naming the in-house image instead of eclipse-temurin.
fn copy_example(example: &str, to: &Path) {
    common::copy_dir(&common::repo().join(example), to);
    fn rename(dir: &Path) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rename(&path);
            } else {
                let text = std::fs::read_to_string(&path).unwrap();
                std::fs::write(&path, text.replace("eclipse-temurin:21-jre", IMAGE)).unwrap();
            }
        }
    }
    rename(to);
}

/// The container's env as `(name, value)` pairs.
fn env(doc: &Value) -> Vec<(String, String)> {
    let template = doc
        .pointer("/spec/template")
        .or_else(|| doc.pointer("/spec/jobTemplate/spec/template"))
        .unwrap();
    template["spec"]["containers"][0]["env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (text("name"), text("value"))
        })
        .collect()
}

/// The image's JAVA_TOOL_OPTIONS comes first, then ours.
fn assert_image_value_kept(doc: &Value) {
    let env = env(doc);
    let value = |name: &str| env.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    assert_eq!(
        value("PINPOINT_ORIGINAL_JAVA_TOOL_OPTIONS"),
        Some("-XX:MaxRAMPercentage=75 -Duser.timezone=UTC"),
        "{env:?}"
    );
    assert_eq!(
        value("JAVA_TOOL_OPTIONS"),
        Some("$(PINPOINT_ORIGINAL_JAVA_TOOL_OPTIONS) $(PINPOINT_AGENT_OPTS)"),
        "{env:?}"
    );
}

#[test]
fn kustomize_gives_the_facts_to_the_function_and_applies_none_of_them() {
    let dir = TempDir::new("facts-kustomize");
    let root = dir.join("kustomize");
    copy_example("examples/kustomize", &root);
    let overlay = root.join("overlays/exec");
    std::fs::write(overlay.join("image-facts.yaml"), FACTS).unwrap();
    std::fs::write(
        overlay.join("kustomization.yaml"),
        "resources:\n  - ../../base\n  - image-facts.yaml\ntransformers:\n  - pinpoint.yaml\n",
    )
    .unwrap();
    let tools = common::tools();
    let out = run(
        Command::new(&tools.kustomize)
            .args(["build", "--enable-alpha-plugins", "--enable-exec"])
            .arg(&overlay)
            .env("PATH", common::path_with(&[&dir.bin_dir()])),
        b"",
    );
    out.ok();
    let docs = documents(out.stdout_text());
    assert!(
        docs.iter().all(|d| d["kind"] != "ImageFacts"),
        "the facts must not be applied:\n{}",
        out.stdout_text()
    );
    // The ledger sets no JAVA_TOOL_OPTIONS: the image's is kept in front of ours. The
    // orders Deployment sets its own, which replaces the image's: nothing to keep.
    assert_image_value_kept(find(&docs, "StatefulSet", "ledger"));
    let orders = env(find(&docs, "Deployment", "orders"));
    assert!(
        orders
            .iter()
            .all(|(n, _)| n != "PINPOINT_ORIGINAL_JAVA_TOOL_OPTIONS"),
        "{orders:?}"
    );
}

/// kpt with `our bin/` first on PATH.
fn kpt(dir: &TempDir, args: &[&str]) -> Run {
    let tools = common::tools();
    let mut cmd = Command::new(&tools.kpt);
    cmd.args(args)
        .env(
            "PATH",
            common::path_with(&[&dir.bin_dir(), tools.git.parent().unwrap()]),
        )
        .env_remove("PINPOINT_INJECT_CONFIG");
    run(&mut cmd, b"")
}

#[test]
fn kpt_gives_the_facts_to_the_function_and_leaves_their_file_alone() {
    let dir = TempDir::new("facts-kpt");
    let pkg = dir.join("pkg");
    copy_example("examples/kpt", &pkg);
    std::fs::write(pkg.join("image-facts.yaml"), FACTS).unwrap();
    let config = pkg.join("pinpoint.yaml");
    let out = kpt(
        &dir,
        &[
            "fn",
            "eval",
            pkg.to_str().unwrap(),
            "--exec",
            common::bin().to_str().unwrap(),
            "--fn-config",
            config.to_str().unwrap(),
        ],
    );
    out.ok();
    assert_eq!(
        std::fs::read_to_string(pkg.join("image-facts.yaml")).unwrap(),
        FACTS
    );
    let read = |pkg: &Path| {
        documents(&std::fs::read_to_string(pkg.join("jobs/nightly-report.yaml")).unwrap())
    };
    assert_image_value_kept(find(&read(&pkg), "CronJob", "nightly-report"));
    // kpt fn render reads them from the package too.
    let again = TempDir::new("facts-kpt-render");
    let pkg = again.join("pkg");
    copy_example("examples/kpt", &pkg);
    std::fs::write(pkg.join("image-facts.yaml"), FACTS).unwrap();
    let out = kpt(
        &again,
        &["fn", "render", pkg.to_str().unwrap(), "--allow-exec"],
    );
    out.ok();
    assert_image_value_kept(find(&read(&pkg), "CronJob", "nightly-report"));
    assert_eq!(
        std::fs::read_to_string(pkg.join("image-facts.yaml")).unwrap(),
        FACTS
    );
}
