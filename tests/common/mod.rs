//! Shared by the tests that run pinpoint-inject inside the real tools (kustomize, kpt,
//! Helm, the Helm 4 plugin command, Argo CD's plugin command, the image, the schema):
//! the tools themselves (installed once per test process by `scripts/install-tools.sh`;
//! a missing tool fails the test, it is never skipped), the binary, scratch
//! directories, running a command with stdin, and checking manifests with
//! `kubernetes-validate`.

#![allow(dead_code)] // each test file uses its own part of this module

pub mod clients;

use pinpoint_inject::{stream, yaml};
use serde_json::Value;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The image the examples and the Dockerfile's docs name; its tag is the crate version.
pub const IMAGE: &str = "ghcr.io/pinpoint-inject/pinpoint-inject:0.1.0";
/// The Kubernetes version every output is validated against.
pub const KUBE_VERSION: &str = "1.33.0";
/// Helm 4 annotates every document it hands a `postrenderer/v1` plugin with this.
pub const HELM4_FILENAME_ANNOTATION: &str = "postrenderer.helm.sh/postrender-filename";

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_pinpoint-inject"))
}

/// The third-party tools, by absolute path.
pub struct Tools {
    /// Helm 4 (`helm.sh/helm/v4`).
    pub helm: PathBuf,
    /// Helm 3, the last minor (`helm.sh/helm/v3`).
    pub helm3: PathBuf,
    /// Standalone kustomize v5.
    pub kustomize: PathBuf,
    pub kpt: PathBuf,
    pub kubernetes_validate: PathBuf,
    pub kubectl: PathBuf,
    pub git: PathBuf,
}

/// Install (or check) the tools once per test process; fail loudly when one is missing.
pub fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Tools> = OnceLock::new();
    TOOLS.get_or_init(|| {
        let script = repo().join("scripts/install-tools.sh");
        let out = Command::new("bash")
            .arg(&script)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
        assert!(
            out.status.success(),
            "{} failed ({}):\n{}",
            script.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let dir = repo().join(".tools/bin");
        let installed = |name: &str| {
            let path = dir.join(name);
            assert!(
                path.is_file(),
                "{name} is missing from {} after scripts/install-tools.sh:\n{}",
                dir.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            path
        };
        Tools {
            helm: installed("helm"),
            helm3: installed("helm3"),
            kustomize: installed("kustomize"),
            kpt: installed("kpt"),
            kubernetes_validate: installed("kubernetes-validate"),
            kubectl: on_path("kubectl"),
            git: on_path("git"),
        }
    })
}

/// The first executable called `name` on PATH.
pub fn on_path(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("{name} is not on PATH; these tests need it"))
}

/// PATH with `dirs` first.
pub fn path_with(dirs: &[&Path]) -> OsString {
    let rest = std::env::var_os("PATH").unwrap_or_default();
    let all = dirs
        .iter()
        .map(|d| d.to_path_buf())
        .chain(std::env::split_paths(&rest));
    std::env::join_paths(all).expect("PATH entries have no ':'")
}

/// A scratch directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "pinpoint-inject-test-{label}-{}-{n}",
            std::process::id()
        ));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, part: impl AsRef<Path>) -> PathBuf {
        self.0.join(part)
    }

    /// A `bin/` directory holding `pinpoint-inject` (a link to the built binary), to
    /// put first on PATH.
    pub fn bin_dir(&self) -> PathBuf {
        let dir = self.join("bin");
        std::fs::create_dir_all(&dir).unwrap();
        let link = dir.join("pinpoint-inject");
        if !link.exists() {
            std::os::unix::fs::symlink(bin(), &link).unwrap();
        }
        dir
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Copy a directory tree (files and directories).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Write an executable script.
pub fn write_script(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// What a command did.
pub struct Run {
    pub what: String,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }

    /// Panic with everything the command printed unless it exited 0.
    pub fn ok(&self) -> &Run {
        assert!(self.success(), "{} failed: {self}", self.what);
        self
    }

    /// Panic unless the command failed.
    pub fn failed(&self) -> &Run {
        assert!(!self.success(), "{} should have failed: {self}", self.what);
        self
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Run a command with `stdin` (written from a thread, so a large output cannot
/// deadlock the pipes).
pub fn run(cmd: &mut Command, stdin: &[u8]) -> Run {
    let what = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    let mut input = child.stdin.take().unwrap();
    let bytes = stdin.to_vec();
    let writer = std::thread::spawn(move || input.write_all(&bytes));
    let output = child.wait_with_output().unwrap();
    // A command may exit before reading all of stdin (an early error).
    let _ = writer.join().unwrap();
    Run {
        what,
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

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
    run(
        Command::new(&tools().kubernetes_validate)
            .args(["--strict", "-k", KUBE_VERSION, "--quiet"])
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
        result.success() && !result.stdout.contains("ERROR"),
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
