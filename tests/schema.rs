//! Strict schema validation (`kubernetes-validate --strict -k 1.33.0`) of what the
//! binary makes of real manifests: every document of `tests/corpus/*.yaml` after
//! injection, with two configs (and at 1.35, whose image volumes are on by default,
//! with the agent delivered as one), and the examples' own manifests. (The outputs of the
//! tool tests — kustomize, kpt, Helm, the Helm 4 plugin, Argo CD, the image — are
//! validated in those tests, with `common::assert_valid`.)

mod common;

use common::{TempDir, documents, is_injected};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn corpus() -> Vec<PathBuf> {
    let dir = common::repo().join("tests/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus is expected at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "{files:?}");
    files
}

/// The ERROR lines of a validation, without the file name: `kind/name … : message`.
fn errors(files: &[PathBuf], version: &str) -> BTreeSet<String> {
    let out = common::kubernetes_validate_at(files, version);
    assert!(
        matches!(out.code, Some(0 | 1)),
        "kubernetes-validate broke: {out}"
    );
    let errors: BTreeSet<String> = out
        .stdout_text()
        .lines()
        .filter(|l| l.starts_with("ERROR"))
        .map(|l| {
            let (file, rest) = l
                .split_once(" did not validate for resource ")
                .unwrap_or_else(|| panic!("{l}"));
            let name = Path::new(file.trim_start_matches("ERROR "))
                .file_name()
                .unwrap();
            format!("{} {rest}", name.to_string_lossy())
        })
        .collect();
    assert_eq!(out.code == Some(1), !errors.is_empty(), "{out}");
    errors
}

/// The corpus's own validation errors at a Kubernetes version.
type Known = (&'static str, BTreeSet<String>);

fn inject_corpus(config: &Path, version: &'static str) {
    let dir = TempDir::new("schema");
    let mut outputs = Vec::new();
    let mut injected = 0;
    for input in corpus() {
        let out = common::inject(
            &["--config", config.to_str().unwrap()],
            &std::fs::read(&input).unwrap(),
        );
        out.ok();
        injected += documents(out.stdout_text())
            .iter()
            .filter(|d| is_injected(d))
            .count();
        let output = dir.join(input.file_name().unwrap());
        std::fs::write(&output, &out.stdout).unwrap();
        outputs.push(output);
    }
    // The corpus's JVMs: Tomcat, WildFly, Jenkins, Kafka, Spark's two, adservice.
    assert!(injected >= 7, "only {injected} workloads injected");
    // The corpus is not spotless: Bitnami's spark chart renders a NetworkPolicy port as
    // `port:` (null), which kubernetes-validate rejects and the API server accepts.
    // Injection must add no error and remove none.
    static BEFORE: OnceLock<std::sync::Mutex<Vec<Known>>> = OnceLock::new();
    let mut known = BEFORE.get_or_init(Default::default).lock().unwrap();
    if !known.iter().any(|(v, _)| *v == version) {
        known.push((version, errors(&corpus(), version)));
    }
    let before = &known.iter().find(|(v, _)| *v == version).unwrap().1;
    assert!(
        before.iter().all(|e| e.contains("networkpolicy/")),
        "the corpus has new validation errors: {before:#?}"
    );
    assert_eq!(
        &errors(&outputs, version),
        before,
        "with config {} at Kubernetes {version}",
        config.display()
    );
}

#[test]
fn corpus_with_the_seed_config_validates_as_before() {
    inject_corpus(
        &common::repo().join("examples/seed-tomcat/pinpoint.yaml"),
        common::KUBE_VERSION,
    );
}

/// The agent image as a read-only image volume, validated at 1.35.0.
#[test]
fn corpus_with_the_image_volume_delivery_validates_at_1_35() {
    inject_corpus(
        &common::repo().join("tests/delivery/image-volume.yaml"),
        "1.35.0",
    );
}

#[test]
fn corpus_with_the_helm_example_config_validates_as_before() {
    inject_corpus(
        &common::repo().join("examples/helm/pinpoint.yaml"),
        common::KUBE_VERSION,
    );
}

#[test]
fn example_manifests_are_valid() {
    let repo = common::repo();
    let mut files: Vec<PathBuf> = [
        "examples/seed-tomcat/deployment.yaml",
        "examples/kpt/orders.yaml",
        "examples/kpt/jobs/nightly-report.yaml",
    ]
    .iter()
    .map(|f| repo.join(f))
    .collect();
    for entry in std::fs::read_dir(repo.join("examples/kustomize/base")).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() != "kustomization.yaml" {
            files.push(path);
        }
    }
    let out = common::kubernetes_validate(&files);
    assert!(
        out.success() && !out.stdout_text().contains("ERROR"),
        "{out}"
    );
    assert!(
        !out.stdout_text().contains("WARN"),
        "an example has a kind without a schema: {out}"
    );
}
