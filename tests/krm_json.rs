//! A ResourceList written as JSON (valid YAML), through the real kustomize and kpt: a
//! stand-in `pinpoint-inject` first on PATH turns the list they send into JSON (PyYAML,
//! from the venv of scripts/install-tools.sh) and runs the binary on it. It answers in
//! JSON, edits in place; kyaml reads the answer as it reads YAML, and both tools write
//! the wired workloads. Before, a JSON list was taken for one stream document and came
//! back unchanged with exit 0.

mod common;

use common::{TempDir, assert_wired, documents, find, run};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A `bin/` with a `pinpoint-inject` that converts its stdin to JSON first, noting in
/// `answer.json` what the binary answered.
fn json_stand_in(dir: &TempDir) -> PathBuf {
    let validate = std::fs::read_to_string(&common::tools().kubernetes_validate).unwrap();
    let python = validate
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("#!"))
        .expect("kubernetes-validate starts with its interpreter")
        .trim()
        .to_string();
    let bin = dir.join("json-bin");
    std::fs::create_dir_all(&bin).unwrap();
    common::write_script(
        &bin.join("pinpoint-inject"),
        &format!(
            "#!/bin/sh\nset -e\n'{python}' -c 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout, indent=2)' \\\n  | '{bin}' \"$@\" | tee '{answer}'\n",
            bin = common::bin().display(),
            answer = dir.join("answer.json").display(),
        ),
    );
    bin
}

/// The answer was JSON, and it carries our results.
fn assert_json_answer(dir: &TempDir) {
    let answer = std::fs::read_to_string(dir.join("answer.json")).expect("the stand-in ran");
    let list: serde_json::Value =
        serde_json::from_str(&answer).unwrap_or_else(|e| panic!("not JSON ({e}):\n{answer}"));
    assert_eq!(list["kind"], "ResourceList");
    let results = list["results"].as_array().expect("results");
    assert!(
        results.iter().any(|r| r["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("injected: ")),
        "{results:?}"
    );
}

#[test]
fn kustomize_reads_the_json_answer_to_a_json_list() {
    let dir = TempDir::new("krm-json-kustomize");
    let bin = json_stand_in(&dir);
    let kustomize = common::tools().kustomize.parent().unwrap().to_path_buf();
    let path = std::env::join_paths([
        bin,
        kustomize,
        PathBuf::from("/usr/bin"),
        PathBuf::from("/bin"),
    ])
    .unwrap();
    let out = run(
        Command::new("kustomize")
            .args(["build", "--enable-alpha-plugins", "--enable-exec"])
            .arg(common::repo().join("examples/kustomize/overlays/exec"))
            .env("PATH", path),
        b"",
    );
    out.ok();
    assert_json_answer(&dir);
    let docs = documents(out.stdout_text());
    let orders = find(&docs, "Deployment", "orders");
    assert_wired(orders, "orders", "JAVA_TOOL_OPTIONS");
}

#[test]
fn kpt_reads_the_json_answer_to_a_json_list() {
    let dir = TempDir::new("krm-json-kpt");
    let pkg = dir.join("pkg");
    common::copy_dir(&common::repo().join("examples/kpt"), &pkg);
    let bin = json_stand_in(&dir);
    let tools = common::tools();
    let config = pkg.join("pinpoint.yaml");
    let out = run(
        Command::new(&tools.kpt)
            .current_dir(dir.path())
            .args(["fn", "eval", pkg.to_str().unwrap(), "--exec"])
            .arg(bin.join("pinpoint-inject"))
            .args(["--fn-config", config.to_str().unwrap()])
            .env(
                "PATH",
                common::path_with(&[&bin, tools.git.parent().unwrap_or(Path::new("/usr/bin"))]),
            )
            .env_remove("PINPOINT_INJECT_CONFIG"),
        b"",
    );
    out.ok();
    assert_json_answer(&dir);
    let orders = documents(&std::fs::read_to_string(pkg.join("orders.yaml")).unwrap());
    assert_wired(
        find(&orders, "Deployment", "orders"),
        "orders",
        "JAVA_TOOL_OPTIONS",
    );
}
