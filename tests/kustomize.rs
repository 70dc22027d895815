//! pinpoint-inject as a kustomize transformer on `examples/kustomize/`, the two
//! commands of `docs/recipes/kustomize.md` run for real: the `exec:` function by
//! standalone kustomize v5 (`sigs.k8s.io/kustomize/kustomize/v5`, built by
//! scripts/install-tools.sh) with `--enable-alpha-plugins --enable-exec`, and the
//! container function by `kubectl kustomize`. There is no Docker engine here, so for
//! the container a `docker` stand-in first on PATH logs its arguments and, for our
//! image, runs the built binary with stdin and stdout passed through, as `docker run
//! -i` would.

mod common;

use common::{IMAGE, Run, TempDir, assert_valid, assert_wired, documents, find, run};
use serde_json::Value;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The recipe page whose commands these tests run.
const PAGE: &str = "docs/recipes/kustomize.md";

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

/// What both overlays must produce: every workload wired, the user's options kept,
/// kustomize's namespace set, no bookkeeping annotation left, the config not emitted.
fn assert_overlay_output(out: &Run) {
    let docs = documents(out.stdout_text());
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
            !out.stdout_text().contains(bookkeeping),
            "{bookkeeping} leaked: {out}"
        );
    }
    // The function config is local: it is not part of the output.
    assert!(!out.stdout_text().contains("PinpointInjector"));
    assert_valid("kustomize", out.stdout_text());
}

#[test]
fn recipe_container_function_wires_every_workload_and_leaves_no_kustomize_annotations() {
    let docker = FakeDocker::new();
    let line = common::clients::recipe_command(PAGE, "kubectl kustomize");
    let out = run(
        Command::new("/bin/bash")
            .args(["-c", &line])
            .current_dir(common::repo())
            .env("PATH", common::path_with(&[&docker.dir.join("bin")])),
        b"",
    );
    out.ok();
    assert_overlay_output(&out);
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
    assert!(out.stdout_text().is_empty(), "{out}");
}

#[test]
fn kubectl_kustomize_silently_skips_exec_functions() {
    // TOOLS.md §5: kubectl's kustomize has no --enable-exec and does not run an
    // `exec:` function at all. If this starts failing, kubectl changed: update
    // docs/recipes/kustomize.md.
    let docker = FakeDocker::new();
    // pinpoint-inject is on PATH, so the function would work if it ran.
    docker.dir.bin_dir();
    let out = docker.kustomize(&example("overlays/exec"));
    out.ok();
    let base = docker.kustomize(&example("base"));
    base.ok();
    assert_eq!(
        out.stdout_text(),
        base.stdout_text(),
        "the exec function ran"
    );
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
}

/// Standalone kustomize on PATH (and pinpoint-inject when `with_binary`), then
/// only the system's directories.
fn standalone_path(dir: &TempDir, with_binary: bool) -> OsString {
    let tools = common::tools().kustomize.parent().unwrap().to_path_buf();
    let mut dirs = vec![tools];
    if with_binary {
        dirs.push(dir.bin_dir());
    }
    dirs.extend([PathBuf::from("/usr/bin"), PathBuf::from("/bin")]);
    std::env::join_paths(dirs).unwrap()
}

/// A shell line in `cwd` with `path` as PATH.
fn sh(cwd: &Path, path: &OsString, line: &str) -> Run {
    run(
        Command::new("/bin/bash")
            .args(["-c", line])
            .current_dir(cwd)
            .env("PATH", path),
        b"",
    )
}

fn recipe_exec_build() -> String {
    common::clients::recipe_command(PAGE, "kustomize build")
}

#[test]
fn recipe_exec_function_runs_in_standalone_kustomize() {
    let dir = TempDir::new("kustomize-exec");
    let out = sh(
        common::repo(),
        &standalone_path(&dir, true),
        &recipe_exec_build(),
    );
    out.ok();
    assert_overlay_output(&out);
    // The same documents as the container function gives under kubectl's kustomize.
    let docker = FakeDocker::new();
    let container = docker.kustomize(&example("overlays/container"));
    container.ok();
    let parse = |run: &Run| -> Vec<Value> {
        let mut docs = documents(run.stdout_text());
        docs.sort_by_key(|d| format!("{:?}", common::kind_and_name(d)));
        docs
    };
    assert_eq!(parse(&out), parse(&container));
}

#[test]
fn exec_function_run_again_on_its_output_changes_nothing() {
    let dir = TempDir::new("kustomize-again");
    let path = standalone_path(&dir, true);
    let first = sh(common::repo(), &path, &recipe_exec_build());
    first.ok();
    let again = dir.join("again");
    std::fs::create_dir_all(&again).unwrap();
    std::fs::write(again.join("injected.yaml"), &first.stdout).unwrap();
    std::fs::copy(
        example("overlays/exec/pinpoint.yaml"),
        again.join("pinpoint.yaml"),
    )
    .unwrap();
    std::fs::write(
        again.join("kustomization.yaml"),
        "resources: [injected.yaml]\ntransformers: [pinpoint.yaml]\n",
    )
    .unwrap();
    // A pinpoint-inject that notes each run, so that a skipped function cannot pass.
    let logged = dir.join("logged");
    std::fs::create_dir_all(&logged).unwrap();
    let runs = dir.join("runs");
    common::write_script(
        &logged.join("pinpoint-inject"),
        &format!(
            "#!/bin/sh\necho run >> '{}'\nexec '{}' \"$@\"\n",
            runs.display(),
            common::bin().display()
        ),
    );
    let tools = common::tools().kustomize.parent().unwrap();
    let path =
        std::env::join_paths([tools, &logged, Path::new("/usr/bin"), Path::new("/bin")]).unwrap();
    let second = sh(
        &again,
        &path,
        "kustomize build --enable-alpha-plugins --enable-exec .",
    );
    second.ok();
    assert_eq!(std::fs::read_to_string(&runs).unwrap(), "run\n");
    assert_eq!(second.stdout_text(), first.stdout_text());
}

#[test]
fn without_enable_exec_standalone_kustomize_also_skips_the_function() {
    // Pinned because it is silent: exit 0, nothing injected, no warning.
    let dir = TempDir::new("kustomize-noexec");
    let path = standalone_path(&dir, true);
    let line = recipe_exec_build().replace(" --enable-exec", "");
    let out = sh(common::repo(), &path, &line);
    out.ok();
    assert!(out.stderr.is_empty(), "{out}");
    let base = sh(
        common::repo(),
        &path,
        "kustomize build examples/kustomize/base",
    );
    base.ok();
    assert_eq!(
        out.stdout_text(),
        base.stdout_text(),
        "the exec function ran"
    );
    // Without --enable-alpha-plugins the build fails instead.
    let line = recipe_exec_build().replace(" --enable-alpha-plugins --enable-exec", "");
    let out = sh(common::repo(), &path, &line);
    assert_eq!(out.code, Some(1), "{out}");
    assert!(
        out.stderr.contains(
            "external plugins disabled; unable to load external plugin 'PinpointInjector'"
        ),
        "{out}"
    );
}

#[test]
fn exec_function_failures_fail_the_build_with_the_message() {
    let dir = TempDir::new("kustomize-exec-fail");
    let overlay = dir.join("overlays/misspelt");
    common::copy_dir(&example("base"), &dir.join("base"));
    common::copy_dir(&example("overlays/exec"), &overlay);
    let config = std::fs::read_to_string(overlay.join("pinpoint.yaml")).unwrap();
    let broken = config.replacen("  collector:\n", "  colector:\n", 1);
    assert_ne!(broken, config);
    std::fs::write(overlay.join("pinpoint.yaml"), broken).unwrap();
    let build = "kustomize build --enable-alpha-plugins --enable-exec overlays/misspelt";

    let out = sh(dir.path(), &standalone_path(&dir, true), build);
    assert_eq!(out.code, Some(1), "{out}");
    assert!(
        out.stderr.contains(
            "pinpoint-inject: error: invalid function config: spec.colector: unknown field `colector`"
        ) && out.stderr.contains("couldn't execute function"),
        "{out}"
    );
    assert!(out.stdout_text().is_empty(), "{out}");

    // No pinpoint-inject on PATH: kustomize says so.
    let out = sh(
        common::repo(),
        &standalone_path(&dir, false),
        &recipe_exec_build(),
    );
    assert_eq!(out.code, Some(1), "{out}");
    assert!(
        out.stderr.contains(
            r#"couldn't execute function: exec: "pinpoint-inject": executable file not found in $PATH"#
        ),
        "{out}"
    );
    assert!(out.stdout_text().is_empty(), "{out}");
}
