//! Reading and checking manifests: the documents of a stream, finding a workload and
//! its pod template, asserting the wiring, and strict schema validation with
//! `kubernetes-validate`.

use super::{Run, TempDir, run, tools};
use pinpoint_inject::run::stream;
use pinpoint_inject::yaml;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Kubernetes version every output is validated against.
pub const KUBE_VERSION: &str = "1.33.0";

/// The non-empty documents of a multi-document stream.
pub fn documents(text: &str) -> Vec<Value> {
    stream::Splitter::new(text.as_bytes())
        .map(|doc| {
            let doc = doc.unwrap();
            let text = std::str::from_utf8(&doc.bytes).unwrap();
            yaml::from_str::<Value>(text)
                .unwrap_or_else(|e| panic!("document {} does not parse: {e}\n{text}", doc.index))
        })
        .filter(|doc| !doc.is_null())
        .collect()
}

pub fn parse(text: &str) -> Value {
    yaml::from_str(text).unwrap_or_else(|e| panic!("does not parse: {e}\n{text}"))
}

pub fn read_yaml(path: &Path) -> Value {
    parse(&std::fs::read_to_string(path).unwrap())
}

pub fn kind_and_name(doc: &Value) -> (String, String) {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_string();
    (text(doc.get("kind")), text(doc.pointer("/metadata/name")))
}

/// `kind/name` of every document, sorted.
pub fn inventory(docs: &[Value]) -> Vec<String> {
    let mut all: Vec<String> = docs
        .iter()
        .map(|d| {
            let (kind, name) = kind_and_name(d);
            format!("{kind}/{name}")
        })
        .collect();
    all.sort();
    all
}

pub fn find<'a>(docs: &'a [Value], kind: &str, name: &str) -> &'a Value {
    docs.iter()
        .find(|d| kind_and_name(d) == (kind.to_string(), name.to_string()))
        .unwrap_or_else(|| panic!("no {kind}/{name} among {:?}", inventory(docs)))
}

fn template_pointer(doc: &Value) -> &'static str {
    match doc["kind"].as_str().unwrap_or_default() {
        "CronJob" => "/spec/jobTemplate/spec/template",
        "Pod" => "",
        "PodTemplate" => "/template",
        _ => "/spec/template",
    }
}

/// The pod template of a workload (the Pod itself for a Pod).
pub fn pod_template(doc: &Value) -> &Value {
    let pointer = template_pointer(doc);
    doc.pointer(pointer)
        .unwrap_or_else(|| panic!("no pod template at {pointer:?} in {doc}"))
}

/// True for a workload that carries our marker annotation; false for anything else.
pub fn is_injected(doc: &Value) -> bool {
    doc.pointer(template_pointer(doc))
        .and_then(|t| t.pointer("/metadata/annotations/pinpoint-inject.dev~1injected"))
        .is_some()
}

/// Assert the whole wiring is in `container` of `doc`: the marker annotation, the
/// emptyDir volume, the init container, the mount, `PINPOINT_AGENT_OPTS` and
/// `options_env` ending in `$(PINPOINT_AGENT_OPTS)`, in that order.
pub fn assert_wired(doc: &Value, container: &str, options_env: &str) {
    let (kind, name) = kind_and_name(doc);
    let what = format!("{kind}/{name}");
    let template = pod_template(doc);
    let marker = template
        .pointer("/metadata/annotations/pinpoint-inject.dev~1injected")
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{what} has no injected annotation: {doc}"));
    assert!(
        marker.contains(&format!("containers={container}")),
        "{what}: {marker}"
    );
    let spec = &template["spec"];
    let named = |list: &str, wanted: &str| {
        spec[list]
            .as_array()
            .into_iter()
            .flatten()
            .find(|v| v["name"] == wanted)
            .cloned()
    };
    let volume = named("volumes", "pinpoint-agent").unwrap_or_else(|| panic!("{what}: no volume"));
    assert!(volume.get("emptyDir").is_some(), "{what}: {volume}");
    let init = named("initContainers", "pinpoint-agent-init")
        .unwrap_or_else(|| panic!("{what}: no init container"));
    assert!(init["image"].as_str().is_some(), "{what}: {init}");
    let app = named("containers", container).unwrap_or_else(|| panic!("{what}: no {container}"));
    assert!(
        app["volumeMounts"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|m| m["name"] == "pinpoint-agent"),
        "{what}: {container} does not mount the agent"
    );
    let env = app["env"]
        .as_array()
        .unwrap_or_else(|| panic!("{what}: no env"));
    let position = |n: &str| env.iter().position(|e| e["name"] == n);
    let opts = position("PINPOINT_AGENT_OPTS").unwrap_or_else(|| panic!("{what}: no opts"));
    let options = position(options_env).unwrap_or_else(|| panic!("{what}: no {options_env}"));
    assert!(
        opts < options,
        "{what}: {options_env} comes before PINPOINT_AGENT_OPTS"
    );
    assert!(
        env[opts]["value"]
            .as_str()
            .unwrap()
            .starts_with("-javaagent:"),
        "{what}: {}",
        env[opts]
    );
    assert!(
        env[options]["value"]
            .as_str()
            .unwrap()
            .ends_with("$(PINPOINT_AGENT_OPTS)"),
        "{what}: {}",
        env[options]
    );
}

/// `kubernetes-validate --strict -k 1.33.0 --quiet FILES`.
pub fn kubernetes_validate(files: &[PathBuf]) -> Run {
    kubernetes_validate_at(files, KUBE_VERSION)
}

/// `kubernetes-validate --strict -k VERSION --quiet FILES` (the schemas of every
/// version it knows ship with the kubernetes-validate package).
pub fn kubernetes_validate_at(files: &[PathBuf], version: &str) -> Run {
    run(
        Command::new(&tools().kubernetes_validate)
            .args(["--strict", "-k", version, "--quiet"])
            .args(files),
        b"",
    )
}

/// Every document of `manifests` must pass strict schema validation.
pub fn assert_valid(label: &str, manifests: &str) {
    let dir = TempDir::new("validate");
    let file = dir.join(format!("{label}.yaml"));
    std::fs::write(&file, manifests).unwrap();
    let result = kubernetes_validate(&[file]);
    assert!(
        result.success() && !result.stdout_text().contains("ERROR"),
        "{label} does not validate against Kubernetes {KUBE_VERSION}: {result}"
    );
}

/// The items of a ResourceList, as a multi-document stream (for validation).
pub fn items_as_stream(resource_list: &Value) -> String {
    resource_list["items"]
        .as_array()
        .expect("a ResourceList has items")
        .iter()
        .map(|item| format!("---\n{}", yaml::to_string(item, yaml::ListStyle::Compact)))
        .collect()
}
