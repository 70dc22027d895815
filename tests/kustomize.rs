//! pinpoint-inject as a kustomize transformer, run by the real `kubectl kustomize`
//! (kustomize v5) on `examples/kustomize/`. There is no Docker engine here, so a
//! `docker` stand-in first on PATH logs its arguments and, for our image, runs the
//! built binary with stdin and stdout passed through, as `docker run -i` would.

mod common;

use common::{IMAGE, Run, TempDir, assert_valid, assert_wired, documents, find, run};
use std::path::{Path, PathBuf};
use std::process::Command;

fn example(part: &str) -> PathBuf {
    common::repo().join("examples/kustomize").join(part)
}

/// A temp dir with a `docker` stand-in; `argv` receives its arguments, one per line.
struct FakeDocker {
    dir: TempDir,
}

impl FakeDocker {
    fn new() -> FakeDocker {
        let dir = TempDir::new("kustomize");
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        let script = format!(
            r#"#!/bin/sh
printf '%s\n' "$@" > '{argv}'
for last in "$@"; do :; done
if [ "$last" = '{IMAGE}' ]; then exec '{bin}'; fi
echo "docker stand-in: no image $last here" >&2
exit 125
"#,
            argv = dir.join("argv").display(),
            bin = common::bin().display(),
        );
        common::write_script(&dir.join("bin/docker"), &script);
        FakeDocker { dir }
    }

    fn kustomize(&self, overlay: &Path) -> Run {
        run(
            Command::new(&common::tools().kubectl)
                .args(["kustomize", "--enable-alpha-plugins"])
                .arg(overlay)
                .env("PATH", common::path_with(&[&self.dir.join("bin")])),
            b"",
        )
    }

    fn argv(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.join("argv"))
            .expect("docker was called")
            .lines()
            .map(String::from)
            .collect()
    }
}

#[test]
fn container_function_wires_every_workload_and_leaves_no_kustomize_annotations() {
    let docker = FakeDocker::new();
    let out = docker.kustomize(&example("overlays/container"));
    out.ok();
    let docs = documents(&out.stdout);
    assert_eq!(
        common::inventory(&docs),
        [
            "CronJob/nightly-report",
            "Deployment/orders",
            "Service/orders",
            "StatefulSet/ledger"
        ]
    );
    for (kind, name, container) in [
        ("Deployment", "orders", "orders"),
        ("StatefulSet", "ledger", "ledger"),
        ("CronJob", "nightly-report", "report"),
    ] {
        assert_wired(find(&docs, kind, name), container, "JAVA_TOOL_OPTIONS");
    }
    // The user's own JAVA_TOOL_OPTIONS stays in front of ours.
    let orders = find(&docs, "Deployment", "orders");
    let env = common::pod_template(orders)["spec"]["containers"][0]["env"]
        .as_array()
        .unwrap();
    assert!(
        env.iter().any(|e| e["name"] == "JAVA_TOOL_OPTIONS"
            && e["value"] == "-XX:MaxRAMPercentage=75 $(PINPOINT_AGENT_OPTS)"),
        "{orders}"
    );
    assert_eq!(orders["metadata"]["namespace"], "shop");
    // kustomize's bookkeeping annotations (config.kubernetes.io/*,
    // internal.config.kubernetes.io/*, config.k8s.io/id, kustomize.config.k8s.io/id)
    // went to the function and back, and kustomize removed them all.
    for bookkeeping in ["config.kubernetes.io/", "config.k8s.io/"] {
        assert!(
            !out.stdout.contains(bookkeeping),
            "{bookkeeping} leaked: {out}"
        );
    }
    // The function config is local: it is not part of the output.
    assert!(!out.stdout.contains("PinpointInjector"));
    assert_valid("kustomize-container", &out.stdout);
}

#[test]
fn container_function_runs_without_network_as_nobody() {
    let docker = FakeDocker::new();
    docker.kustomize(&example("overlays/container")).ok();
    let argv = docker.argv();
    let joined = argv.join(" ");
    assert_eq!(argv[..3], ["run", "--rm", "-i"], "{joined}");
    assert!(joined.contains("--network none"), "{joined}");
    assert!(joined.contains("--user nobody"), "{joined}");
    assert!(
        joined.contains("--security-opt=no-new-privileges"),
        "{joined}"
    );
    assert_eq!(argv.last().map(String::as_str), Some(IMAGE), "{joined}");
}

#[test]
fn container_function_image_is_the_crate_version() {
    let config = common::read_yaml(&example("overlays/container/pinpoint.yaml"));
    let function = config["metadata"]["annotations"]["config.kubernetes.io/function"]
        .as_str()
        .unwrap();
    let function = common::parse(function);
    assert_eq!(function["container"]["image"], IMAGE);
    assert!(IMAGE.ends_with(&format!(":{}", env!("CARGO_PKG_VERSION"))));
}

#[test]
fn misspelt_config_fails_the_build_with_our_message() {
    let docker = FakeDocker::new();
    let overlay = docker.dir.join("overlays/misspelt");
    common::copy_dir(&example("base"), &docker.dir.join("base"));
    common::copy_dir(&example("overlays/container"), &overlay);
    let config = std::fs::read_to_string(overlay.join("pinpoint.yaml")).unwrap();
    let broken = config.replacen("  collector:\n", "  colector:\n", 1);
    assert_ne!(broken, config);
    std::fs::write(overlay.join("pinpoint.yaml"), broken).unwrap();

    let out = docker.kustomize(&overlay);
    out.failed();
    assert!(
        out.stderr
            .contains("pinpoint-inject: error: invalid function config: spec.colector: unknown field `colector`"),
        "{out}"
    );
    assert!(out.stdout.is_empty(), "{out}");
}

#[test]
fn kubectl_kustomize_silently_skips_exec_functions() {
    // TOOLS.md §5: kubectl's kustomize has no --enable-exec and does not run an
    // `exec:` function at all. If this starts failing, kubectl changed: update the
    // README's kustomize recipe.
    let docker = FakeDocker::new();
    // pinpoint-inject is on PATH, so the function would work if it ran.
    docker.dir.bin_dir();
    let out = docker.kustomize(&example("overlays/exec"));
    out.ok();
    let base = docker.kustomize(&example("base"));
    base.ok();
    assert_eq!(out.stdout, base.stdout, "the exec function ran");
    assert!(!docker.dir.join("argv").exists(), "docker was called");
}

#[test]
fn exec_overlay_is_the_container_overlay_with_an_exec_function() {
    let read =
        |overlay: &str| common::read_yaml(&example(&format!("overlays/{overlay}/pinpoint.yaml")));
    let (exec, container) = (read("exec"), read("container"));
    assert_eq!(exec["spec"], container["spec"]);
    let function = common::parse(
        exec["metadata"]["annotations"]["config.kubernetes.io/function"]
            .as_str()
            .unwrap(),
    );
    assert_eq!(function["exec"]["path"], "pinpoint-inject");
    let kustomization = common::read_yaml(&example("overlays/exec/kustomization.yaml"));
    assert_eq!(kustomization["transformers"][0], "pinpoint.yaml");
    assert_eq!(kustomization["resources"][0], "../../base");
    // What standalone kustomize would send the function is a valid config.
    let list = format!(
        "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n{}",
        std::fs::read_to_string(example("overlays/exec/pinpoint.yaml"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| format!("  {l}\n"))
            .collect::<String>()
    );
    let out = run(&mut Command::new(common::bin()), list.as_bytes());
    out.ok();
    assert!(!out.stdout.contains("results:"), "{out}");
}
