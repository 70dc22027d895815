//! A kubelet stand-in that follows the emitted pod spec, nothing else: the pod's volumes,
//! its init containers one after the other (each must exit 0), then its containers, each
//! with its image's filesystem, its mounts, its user (container `securityContext`, else
//! the pod's, else the image's USER) and its environment as the kubelet builds it.

use super::expand::{self, PodFacts, Sources};
use super::images::{self, Installed};
use super::sandbox::{self, Mount, Running, Spec};
use super::volumes::{is_image, keep_root_webapp, make_volumes};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long an init container may take.
const INIT_LIMIT: Duration = Duration::from_secs(60);

/// The pod IP the runner gives every pod (a loopback address: the pod shares the host's
/// network, so `status.podIP` is an address of this machine).
pub const POD_IP: &str = "127.0.0.42";

pub struct Pod {
    pub facts: PodFacts,
    pub volumes: BTreeMap<String, PathBuf>,
    /// Each init container's name and output, in the order they ran.
    pub init_logs: Vec<(String, String)>,
    pub containers: Vec<(String, Running)>,
    /// The containers as written in the manifest (for probes).
    pub specs: Vec<Value>,
}

impl Pod {
    pub fn container(&self, name: &str) -> &Running {
        &self
            .containers
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no running container {name:?}"))
            .1
    }

    pub fn container_spec(&self, name: &str) -> &Value {
        self.specs
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no container {name:?}"))
    }
}

fn pod_template(doc: &Value) -> Option<&Value> {
    let pointer = match doc["kind"].as_str()? {
        "Pod" => "",
        "CronJob" => "/spec/jobTemplate/spec/template",
        "PodTemplate" => "/template",
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job" => "/spec/template",
        _ => return None,
    };
    doc.pointer(pointer)
}

/// ConfigMaps and Secrets (`stringData`, or `data` of a ConfigMap) of the stream.
pub fn sources(docs: &[Value]) -> Sources {
    let mut sources = Sources::default();
    for doc in docs {
        let name = doc
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let strings = |v: Option<&Value>| -> BTreeMap<String, String> {
            v.and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        };
        match doc["kind"].as_str() {
            Some("ConfigMap") => {
                sources
                    .config_maps
                    .insert(name.into(), strings(doc.get("data")));
            }
            Some("Secret") => {
                assert!(
                    doc.get("data").is_none(),
                    "Secret {name}: use stringData in the cases"
                );
                sources
                    .secrets
                    .insert(name.into(), strings(doc.get("stringData")));
            }
            _ => {}
        }
    }
    sources
}

/// Run the one workload of `docs`: volumes, init containers, containers.
pub fn run(docs: &[Value], installed: &Installed, dir: &Path, hosts_extra: &str) -> Pod {
    let workloads: Vec<&Value> = docs.iter().filter(|d| pod_template(d).is_some()).collect();
    assert_eq!(workloads.len(), 1, "a case holds exactly one workload");
    let workload = workloads[0];
    let template = pod_template(workload).unwrap();
    let spec = &template["spec"];
    let name = workload
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap();
    let facts = PodFacts {
        name: match workload["kind"].as_str() {
            Some("Pod") => name.to_string(),
            // A ReplicaSet's pod: <name>-<template hash>-<random>
            _ => format!("{name}-6b4f7d9c8-x7k2p"),
        },
        namespace: workload
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or("default")
            .to_string(),
        ip: POD_IP.to_string(),
        node: "runtime-test-node".into(),
        service_account: spec["serviceAccountName"]
            .as_str()
            .unwrap_or("default")
            .into(),
    };
    let sources = sources(docs);
    let volumes = make_volumes(spec, &sources, installed, &dir.join("volumes"));
    let hosts = format!(
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n{}\t{}\n{hosts_extra}",
        facts.ip, facts.name
    );
    let mut pod = Pod {
        facts,
        volumes,
        init_logs: Vec::new(),
        containers: Vec::new(),
        specs: spec["containers"].as_array().cloned().unwrap_or_default(),
    };
    let inits = spec["initContainers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for (i, container) in inits.iter().enumerate() {
        let cname = container["name"].as_str().unwrap().to_string();
        let spec = container_spec(
            container,
            spec,
            &pod,
            &sources,
            installed,
            &dir.join(format!("init-{i}")),
            &hosts,
        );
        let mut running = sandbox::start(spec);
        let code = running.wait(INIT_LIMIT);
        let output = running.output();
        assert_eq!(
            code,
            Some(0),
            "init container {cname} did not exit 0 within {INIT_LIMIT:?}:\n{output}"
        );
        pod.init_logs.push((cname, output));
    }
    for (i, container) in pod.specs.clone().iter().enumerate() {
        let cname = container["name"].as_str().unwrap().to_string();
        let spec = container_spec(
            container,
            spec,
            &pod,
            &sources,
            installed,
            &dir.join(format!("app-{i}")),
            &hosts,
        );
        pod.containers.push((cname, sandbox::start(spec)));
    }
    pod
}

fn words(value: &Value) -> Option<Vec<String>> {
    value.as_array().map(|a| {
        a.iter()
            .map(|w| w.as_str().unwrap_or_default().to_string())
            .collect()
    })
}

/// User: container securityContext, then the pod's, then the image's USER, then root.
fn user(container: &Value, pod_spec: &Value, image_user: Option<u32>) -> (u32, u32) {
    let pick = |key: &str| {
        container
            .pointer(&format!("/securityContext/{key}"))
            .or_else(|| pod_spec.pointer(&format!("/securityContext/{key}")))
            .and_then(Value::as_u64)
            .map(|v| v as u32)
    };
    let uid = pick("runAsUser").or(image_user).unwrap_or(0);
    let non_root = container
        .pointer("/securityContext/runAsNonRoot")
        .or_else(|| pod_spec.pointer("/securityContext/runAsNonRoot"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    assert!(
        !(non_root && uid == 0),
        "container {}: runAsNonRoot with user 0: the kubelet refuses it",
        container["name"]
    );
    (uid, pick("runAsGroup").unwrap_or(0))
}

#[allow(clippy::too_many_arguments)]
fn container_spec(
    container: &Value,
    pod_spec: &Value,
    pod: &Pod,
    sources: &Sources,
    installed: &Installed,
    dir: &Path,
    hosts: &str,
) -> Spec {
    let cname = container["name"].as_str().unwrap();
    let image = images::image(container["image"].as_str().unwrap());
    eprintln!(
        "  container {cname}: image {} ({}), user {:?}",
        image.reference,
        image.source,
        user(container, pod_spec, image.user)
    );
    std::fs::create_dir_all(dir).unwrap();
    let mut layers = Vec::new();
    for (i, (content, target)) in image.layers.iter().enumerate() {
        let source = installed.host_path(*content).to_path_buf();
        if Installed::copied(*content) {
            let copy = dir.join(format!("layer-{i}"));
            let out = std::process::Command::new("cp")
                .arg("-a")
                .arg(&source)
                .arg(&copy)
                .status();
            assert!(out.unwrap().success());
            if matches!(content, images::Content::Tomcat) {
                keep_root_webapp(&copy);
            }
            layers.push((copy, target.to_string(), true));
        } else {
            layers.push((source, target.to_string(), false));
        }
    }
    let mut volumes = Vec::new();
    for m in container["volumeMounts"].as_array().into_iter().flatten() {
        let vname = m["name"].as_str().unwrap();
        let mut source = pod
            .volumes
            .get(vname)
            .unwrap_or_else(|| panic!("{cname} mounts {vname}, which the pod does not have"))
            .clone();
        if let Some(sub) = m["subPath"].as_str() {
            source = source.join(sub);
        }
        let read_only = m["readOnly"].as_bool().unwrap_or(false)
            || pod_spec["volumes"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|v| {
                    v["name"] == vname
                        && (v.get("configMap").is_some()
                            || v.get("secret").is_some()
                            || v.get("hostPath").is_some())
                });
        // The kubelet mounts an image volume read-only whatever the mount says.
        let image = is_image(pod_spec, vname);
        volumes.push(Mount {
            source,
            target: m["mountPath"].as_str().unwrap().into(),
            read_only: read_only || image,
            noexec: image,
        });
    }
    // containerd mounts the shallower paths first (WithMounts sorts by path depth), so a
    // volume on a directory inside another one lands on top of it.
    volumes.sort_by_key(|m| m.target.trim_end_matches('/').matches('/').count());
    // The image's ENV first, the container's env over it (the container runtime merges them).
    let mut env: Vec<(String, String)> = image
        .env
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                v.replace("{JAVA_HOME}", &installed.java_home),
            )
        })
        .collect();
    env.push(("HOSTNAME".into(), pod.facts.name.clone()));
    let own = expand::environment(container.get("env"), &pod.facts, sources)
        .unwrap_or_else(|e| panic!("container {cname}: {e}"));
    for (name, value) in own {
        env.retain(|(n, _)| *n != name);
        env.push((name, value));
    }
    let argv = command_line(container, image, &env);
    let (uid, gid) = user(container, pod_spec, image.user);
    let groups = ["fsGroup"]
        .iter()
        .filter_map(|k| {
            pod_spec
                .pointer(&format!("/securityContext/{k}"))
                .and_then(Value::as_u64)
        })
        .chain(
            pod_spec
                .pointer("/securityContext/supplementalGroups")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_u64),
        )
        .map(|g| g as u32)
        .collect();
    Spec {
        label: cname.to_string(),
        root: dir.join("root"),
        layers,
        volumes,
        hosts: hosts.to_string(),
        hostname: pod.facts.name.clone(),
        uid,
        gid,
        groups,
        env,
        argv,
        workdir: container["workingDir"]
            .as_str()
            .unwrap_or(image.workdir)
            .to_string(),
        log: dir.join("output.log"),
    }
}

/// `command`/`args` over the image's ENTRYPOINT/CMD, expanded with the environment:
/// command replaces ENTRYPOINT and drops CMD; args alone replace CMD.
pub fn command_line(
    container: &Value,
    image: &images::Image,
    env: &[(String, String)],
) -> Vec<String> {
    let command = words(&container["command"]);
    let args = words(&container["args"]);
    let own: Vec<String> = match (command, args) {
        (Some(c), Some(a)) => expand::expand_all(&[c, a].concat(), env),
        (Some(c), None) => expand::expand_all(&c, env),
        (None, Some(a)) => [
            image.entrypoint.iter().map(|s| s.to_string()).collect(),
            expand::expand_all(&a, env),
        ]
        .concat(),
        (None, None) => image
            .entrypoint
            .iter()
            .chain(image.cmd)
            .map(|s| s.to_string())
            .collect(),
    };
    assert!(
        !own.is_empty(),
        "container {} has no command",
        container["name"]
    );
    own
}
