//! `agent.delivery: imageVolume` on the real manifests of `tests/corpus/`: no copy step,
//! the agent image mounted read-only at `agent.mountPath` with `subPath`, `-javaagent`
//! into that mount, a writable `emptyDir` on its `logs`, the delivery in the marker and
//! the report; a second run changes nothing; switching the delivery either way gives,
//! byte for byte, what a fresh run with the new delivery gives; and the cluster's
//! version (`spec.kubernetesVersion`, `--kube-version`) is checked, in both modes.

mod common;

use common::{documents, inject, is_injected, pod_template, repo};
use serde_json::Value;
use std::path::PathBuf;

fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files.push(repo().join("examples/seed-tomcat/deployment.yaml"));
    files
}

fn config(name: &str) -> String {
    repo()
        .join("tests/delivery")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn run(config: &str, stdin: &[u8]) -> Vec<u8> {
    let out = inject(&["--config", config], stdin);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    out.stdout
}

#[test]
fn the_image_is_mounted_read_only_with_no_copy_step() {
    let image_volume = config("image-volume.yaml");
    let mut wired = 0;
    for file in corpus() {
        let input = std::fs::read(&file).unwrap();
        let out = run(&image_volume, &input);
        for (before, after) in documents(&String::from_utf8_lossy(&input))
            .iter()
            .zip(documents(&String::from_utf8_lossy(&out)).iter())
            .filter(|(_, a)| is_injected(a))
        {
            wired += 1;
            let (old, new) = (pod_template(before), pod_template(after));
            let what = format!("{}: {}", file.display(), after["metadata"]["name"]);
            assert_eq!(
                old["spec"]["initContainers"], new["spec"]["initContainers"],
                "{what}: a copy step was added"
            );
            let volumes = new["spec"]["volumes"].as_array().unwrap();
            let agent = volumes.iter().find(|v| v["name"] == "apm").unwrap();
            assert_eq!(
                agent["image"],
                serde_json::json!({"reference": "registry.example.com/apm/pinpoint-agent:3.0.1", "pullPolicy": "IfNotPresent"}),
                "{what}"
            );
            let logs = volumes.iter().find(|v| v["name"] == "apm-logs").unwrap();
            assert_eq!(
                logs["emptyDir"],
                serde_json::json!({"sizeLimit": "64Mi"}),
                "{what}"
            );
            assert!(
                new["metadata"]["annotations"]["pinpoint-inject.dev/injected"]
                    .as_str()
                    .unwrap()
                    .contains(";delivery=imageVolume;logVolume=apm-logs"),
                "{what}"
            );
            for container in new["spec"]["containers"].as_array().unwrap() {
                let mounts = container["volumeMounts"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                let Some(mount) = mounts.iter().find(|m| m["name"] == "apm") else {
                    continue;
                };
                assert_eq!(
                    mount,
                    &serde_json::json!({"name": "apm", "mountPath": "/opt/apm", "readOnly": true, "subPath": "pinpoint-agent"}),
                    "{what}"
                );
                assert!(
                    mounts.contains(
                        &serde_json::json!({"name": "apm-logs", "mountPath": "/opt/apm/logs"})
                    ),
                    "{what}"
                );
                let options = container["env"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|e| e["name"] == "PINPOINT_AGENT_OPTS")
                    .unwrap();
                assert!(
                    options["value"]
                        .as_str()
                        .unwrap()
                        .starts_with("-javaagent:/opt/apm/pinpoint-bootstrap.jar "),
                    "{what}"
                );
            }
        }
    }
    assert!(wired >= 7, "only {wired} workloads wired");
}

/// A second run changes nothing; switching the delivery either way is a fresh run.
#[test]
fn switching_the_delivery_is_a_fresh_run_byte_for_byte() {
    let (image, copy) = (config("image-volume.yaml"), config("init-container.yaml"));
    for file in corpus() {
        let input = std::fs::read(&file).unwrap();
        let via_image = run(&image, &input);
        let via_copy = run(&copy, &input);
        let what = file.display();
        assert!(
            via_image == input || via_image != via_copy,
            "{what}: the same wiring"
        );
        assert!(
            run(&image, &via_image) == via_image,
            "{what}: a second run changed it"
        );
        assert!(
            run(&copy, &via_image) == via_copy,
            "{what}: image -> copy is not a fresh run"
        );
        assert!(
            run(&image, &via_copy) == via_image,
            "{what}: copy -> image is not a fresh run"
        );
    }
}

fn stderr_of(args: &[&str], stdin: &[u8]) -> (Option<i32>, String) {
    let out = inject(args, stdin);
    (out.code, out.stderr)
}

/// Below 1.31 an error; below 1.35 a warning naming the gate and subPath's version; the
/// command line's version wins over the config's, in both modes.
#[test]
fn the_clusters_version_is_checked() {
    let pod = b"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1\n";
    let with_version = config("image-volume.yaml"); // spec.kubernetesVersion: "1.35"
    for (flag, code, says) in [
        (None, Some(0), None),
        (Some("1.34"), Some(0), Some("ImageVolume feature gate")),
        (Some("v1.33.2"), Some(0), Some("works from 1.33")),
        (
            Some("1.31"),
            Some(0),
            Some("subPath in an image volume works from 1.33"),
        ),
        (
            Some("1.30"),
            Some(1),
            Some("needs Kubernetes 1.31 or later"),
        ),
        (
            Some("one"),
            Some(1),
            Some("--kube-version: \"one\" is not a Kubernetes version"),
        ),
    ] {
        let mut args = vec!["--config", with_version.as_str()];
        if let Some(flag) = flag {
            args.extend(["--kube-version", flag]);
        }
        let (got, stderr) = stderr_of(&args, pod);
        assert_eq!(got, code, "{flag:?}: {stderr}");
        match says {
            Some(text) => assert!(stderr.contains(text), "{flag:?}: {stderr}"),
            None => assert!(!stderr.contains("warning"), "{flag:?}: {stderr}"),
        }
    }
    // KRM mode: the functionConfig's version, and the flag over it.
    let spec = std::fs::read_to_string(&with_version).unwrap();
    let function_config: Value =
        pinpoint_inject::yaml::from_str(&spec.replace("\"1.35\"", "\"1.33\"")).unwrap();
    let list = serde_json::json!({
        "apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList",
        "items": [pinpoint_inject::yaml::from_str::<Value>(std::str::from_utf8(pod).unwrap()).unwrap()],
        "functionConfig": function_config,
    });
    let list = pinpoint_inject::yaml::to_string(&list, pinpoint_inject::yaml::ListStyle::Compact);
    let list = list.as_bytes();
    let (got, stderr) = stderr_of(&[], list);
    assert_eq!(got, Some(0), "{stderr}");
    assert!(stderr.contains("Kubernetes 1.33"), "{stderr}");
    let (got, stderr) = stderr_of(&["--kube-version", "1.29"], list);
    assert_eq!(got, Some(1), "{stderr}");
    assert!(stderr.contains("the cluster is 1.29"), "{stderr}");
}

/// Kinds whose controllers validate pod templates themselves: Knative names its flag,
/// Argo Rollouts warns, OpenKruise is refused; the report names each delivery.
#[test]
fn custom_kinds_and_the_report_name_the_delivery() {
    let kinds = std::fs::read(repo().join("tests/oracle/kinds.yaml")).unwrap();
    let out = inject(&["--config", &config("image-volume.yaml")], &kinds);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    for expected in [
        "kubernetes.podspec-volumes-image (off by default; Knative Serving 1.19 and later)",
        "Argo Rollouts accepts an image volume from 1.9.0 on",
        "OpenKruise validates and patches its workloads' pod templates",
    ] {
        assert!(out.stderr.contains(expected), "{expected}: {}", out.stderr);
    }
    assert!(
        !out.stderr.contains("podspec-init-containers"),
        "{}",
        out.stderr
    );
    let report = inject(
        &["report", "--json", "--config", &config("image-volume.yaml")],
        &kinds,
    );
    let rows: Vec<Value> = serde_json::from_slice(&report.stdout).unwrap();
    let delivered: Vec<&Value> = rows
        .iter()
        .filter(|r| r["decision"] == "instrumented")
        .collect();
    assert!(!delivered.is_empty(), "{rows:?}");
    assert!(
        delivered.iter().all(|r| r["delivery"] == "imageVolume"),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .filter(|r| r["decision"] != "instrumented")
            .all(|r| r.get("delivery").is_none())
    );
}
