//! The Helm 4 post-renderer plugin in `helm-plugin/`, installed and run by the real
//! Helm 4 (`helm.sh/helm/v4`, built by scripts/install-tools.sh): the recipe of
//! `docs/recipes/helm4.md` (`helm plugin install`, `helm template`, `helm install
//! --dry-run=client`), hooks, the filename annotation, and every failure that page
//! promises.
//!
//! What Helm 4 does, read from its source (helm/helm v4.3.2): a local directory
//! installs unsigned, as a link named after the directory
//! (`pkg/cmd/plugin_install.go`, `internal/plugin/installer/local_installer.go`);
//! `--post-renderer NAME` finds the `postrenderer/v1` plugin of that name and the
//! `--post-renderer-args` are appended to its `platformCommand`, which runs in Helm's
//! directory and environment with its stderr kept in a buffer nobody prints
//! (`pkg/cmd/flags.go`, `pkg/postrenderer/postrenderer.go`,
//! `internal/plugin/runtime_subprocess.go` `runPostrenderer`); hooks are sent along,
//! every file annotated with `postrenderer.helm.sh/postrender-filename`, and the output
//! is sorted back into files by that annotation (`pkg/action/action.go`
//! `annotateAndMerge`, `splitAndDeannotate`).

mod common;
mod helm4_plugin {
    pub mod failures;
}

use common::clients::{HelmHome, recipe_command, recipe_path, shell};
use common::{HELM4_FILENAME_ANNOTATION, Run, TempDir, assert_wired, documents, find, run};
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

/// The recipe page whose commands these tests run.
pub const PAGE: &str = "docs/recipes/helm4.md";
/// What Helm 4 prints for any failure of a post-renderer plugin.
pub const HELM_ERROR: &str = r#"Error: error while running post render on files: failed to invoke post-renderer plugin "pinpoint-inject": plugin "pinpoint-inject" exited with error"#;

/// A Helm 4 home of its own and a PATH where `helm` is Helm 4.
pub struct Helm4 {
    home: HelmHome,
    path: OsString,
}

impl Helm4 {
    fn new(with_binary: bool) -> Helm4 {
        let home = HelmHome::new("helm4");
        let path = recipe_path(&home, &common::tools().helm, with_binary);
        Helm4 { home, path }
    }

    /// A recipe command (or any shell line), run in the repository.
    fn sh(&self, line: &str) -> Run {
        run(&mut shell(&self.home, &self.path, line), b"")
    }

    fn recipe(&self, prefix: &str) -> Run {
        self.sh(&recipe_command(PAGE, prefix))
    }

    /// The recipe's `helm plugin install ./helm-plugin`.
    fn install(&self) {
        let out = self.recipe("helm plugin install");
        out.ok();
        assert!(
            out.stdout_text()
                .contains("Installing plugin from local directory (development mode)")
                && out
                    .stdout_text()
                    .contains("Installed plugin: pinpoint-inject"),
            "{out}"
        );
    }

    /// `helm template shop ./examples/helm/shop ARGS` (no shell around the args).
    fn template(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(&common::tools().helm);
        cmd.args(["template", "shop", "./examples/helm/shop"])
            .args(args)
            .current_dir(common::repo())
            .env("PATH", &self.path);
        self.home.apply(&mut cmd);
        run(&mut cmd, b"")
    }
}

/// `# Source:` file of every document, as Helm prints them.
fn sources(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("# Source: "))
        .map(String::from)
        .collect()
}

/// The plain render: what the post-rendered one must keep.
fn plain(helm: &Helm4) -> Run {
    let out = helm.template(&[]);
    out.ok();
    out
}

#[test]
fn plugin_yaml_is_a_helm4_postrenderer_plugin_of_the_crate_version() {
    let plugin = common::read_yaml(&common::repo().join("helm-plugin/plugin.yaml"));
    assert_eq!(plugin["apiVersion"], "v1");
    assert_eq!(plugin["type"], "postrenderer/v1");
    assert_eq!(plugin["runtime"], "subprocess");
    assert_eq!(
        plugin["name"], "pinpoint-inject",
        "the --post-renderer name"
    );
    assert_eq!(plugin["version"], env!("CARGO_PKG_VERSION"));
    let script = common::repo().join("helm-plugin/postrender.sh");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&script).unwrap().permissions());
    assert!(
        mode & 0o111 != 0,
        "helm-plugin/postrender.sh is not executable"
    );
}

#[test]
fn recipe_install_links_the_directory_and_helm_lists_the_plugin() {
    let helm = Helm4::new(true);
    helm.install();
    let link = helm.home.plugins().join("helm-plugin");
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        common::repo().join("helm-plugin")
    );
    let list = helm.sh("helm plugin list");
    list.ok();
    let row = list
        .stdout_text()
        .lines()
        .find(|l| l.starts_with("pinpoint-inject"))
        .unwrap_or_else(|| panic!("not listed: {list}"));
    let columns: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        columns[..4],
        ["pinpoint-inject", "0.1.0", "postrenderer/v1", "v1"]
    );
    // `helm env HELM_PLUGINS` is where the recipe page says the link is.
    let env = helm.sh("helm env HELM_PLUGINS");
    assert_eq!(
        env.stdout_text().trim(),
        helm.home.plugins().to_str().unwrap()
    );
    // Installing twice is refused, and leaves the first install working.
    let again = helm.recipe("helm plugin install");
    assert_eq!(again.code, Some(1), "{again}");
    assert!(again.stderr.contains("plugin already exists"), "{again}");
    helm.recipe("helm template").ok();
    // Uninstalling removes the link and nothing else.
    helm.sh("helm plugin uninstall pinpoint-inject").ok();
    assert!(std::fs::symlink_metadata(&link).is_err());
    assert!(common::repo().join("helm-plugin/plugin.yaml").is_file());
}

#[test]
fn recipe_template_instruments_hooks_and_keeps_the_charts_files() {
    let helm = Helm4::new(true);
    helm.install();
    let out = helm.recipe("helm template");
    out.ok();
    let docs = documents(out.stdout_text());
    let before = plain(&helm);
    assert_eq!(
        common::inventory(&docs),
        common::inventory(&documents(before.stdout_text()))
    );
    let job = find(&docs, "Job", "shop-migrate");
    assert_wired(job, "migrate", "JAVA_TOOL_OPTIONS");
    assert_eq!(
        job["metadata"]["annotations"]["helm.sh/hook"],
        "pre-install,pre-upgrade"
    );
    assert_wired(
        find(&docs, "Deployment", "shop-web"),
        "web",
        "JAVA_TOOL_OPTIONS",
    );
    // pinpoint-inject kept the filename annotation: Helm sorted every document back
    // into its chart file (otherwise `generated-by-postrender-N.yaml`) and removed it.
    assert_eq!(sources(out.stdout_text()), sources(before.stdout_text()));
    assert!(
        !out.stdout_text().contains("generated-by-postrender"),
        "{out}"
    );
    assert!(
        !out.stdout_text().contains(HELM4_FILENAME_ANNOTATION),
        "{out}"
    );
    common::assert_valid("helm4-template", out.stdout_text());
}

#[test]
fn recipe_install_dry_run_instruments_the_hook_and_the_release() {
    let helm = Helm4::new(true);
    helm.install();
    let out = helm.recipe("helm install");
    out.ok();
    assert!(
        out.stdout_text().contains("STATUS: pending-install"),
        "{out}"
    );
    let (hooks, manifest) = out
        .stdout_text()
        .split_once("\nMANIFEST:\n")
        .expect("a manifest");
    let (_, hooks) = hooks.split_once("\nHOOKS:\n").expect("hooks");
    let hooks = documents(hooks);
    assert_eq!(common::inventory(&hooks), ["Job/shop-migrate"]);
    assert_wired(&hooks[0], "migrate", "JAVA_TOOL_OPTIONS");
    let manifest = documents(manifest);
    assert_wired(
        find(&manifest, "Deployment", "shop-web"),
        "web",
        "JAVA_TOOL_OPTIONS",
    );
    assert_eq!(
        common::inventory(&manifest),
        [
            "ConfigMap/shop-config",
            "Deployment/shop-web",
            "Service/shop-web"
        ]
    );
}

#[test]
fn config_from_the_environment_replaces_the_arguments() {
    let helm = Helm4::new(true);
    helm.install();
    let by_args = helm.recipe("helm template");
    by_args.ok();
    let by_env = helm.sh("PINPOINT_INJECT_CONFIG=examples/helm/pinpoint.yaml \
         helm template shop ./examples/helm/shop --post-renderer pinpoint-inject");
    by_env.ok();
    assert_eq!(by_env.stdout_text(), by_args.stdout_text());
}

#[test]
fn the_plugins_own_bin_is_used_when_path_has_none() {
    // "copy a release binary there to pin a version" (helm-plugin/README.md): with no
    // pinpoint-inject on PATH, the plugin's own bin/ is used.
    let helm = Helm4::new(false);
    let copy = TempDir::new("helm4-plugin-copy");
    let dir = copy.join("pinpoint-inject");
    common::copy_dir(&common::repo().join("helm-plugin"), &dir);
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    std::os::unix::fs::symlink(common::bin(), dir.join("bin/pinpoint-inject")).unwrap();
    helm.sh(&format!("helm plugin install '{}'", dir.display()))
        .ok();
    let out = helm.template(&[
        "--post-renderer",
        "pinpoint-inject",
        "--post-renderer-args",
        "--config=examples/helm/pinpoint.yaml",
    ]);
    out.ok();
    assert_wired(
        find(&documents(out.stdout_text()), "Deployment", "shop-web"),
        "web",
        "JAVA_TOOL_OPTIONS",
    );
}

/// A failing `helm template shop CHART --post-renderer pinpoint-inject` and the exit
/// status the plugin must report.
struct Failure<'a> {
    what: &'a str,
    helm: &'a Helm4,
    chart: &'a str,
    args: Vec<&'a str>,
    plugin_exit: i32,
}

impl Failure<'_> {
    fn run(&self, debug: bool) -> Run {
        let mut args = vec![self.chart, "--post-renderer", "pinpoint-inject"];
        for arg in &self.args {
            args.extend(["--post-renderer-args", arg]);
        }
        if debug {
            args.push("--debug");
        }
        let mut cmd = Command::new(&common::tools().helm);
        cmd.args(["template", "shop"])
            .args(args)
            .current_dir(common::repo())
            .env("PATH", &self.helm.path);
        self.helm.home.apply(&mut cmd);
        run(&mut cmd, b"")
    }
}

#[test]
fn helm_4_sends_the_plugin_every_file_annotated_hooks_included() {
    // What reaches the plugin, captured by a plugin that records its stdin and hands
    // it back: the stream pinpoint-inject must keep sortable.
    let helm = Helm4::new(true);
    let copy = TempDir::new("helm4-tee");
    let dir = copy.join("pinpoint-inject");
    common::copy_dir(&common::repo().join("helm-plugin"), &dir);
    let seen = copy.join("seen.yaml");
    common::write_script(
        &dir.join("postrender.sh"),
        &format!("#!/bin/sh\ntee '{}'\n", seen.display()),
    );
    helm.sh(&format!("helm plugin install '{}'", dir.display()))
        .ok();
    helm.template(&["--post-renderer", "pinpoint-inject"]).ok();
    let docs = documents(&std::fs::read_to_string(&seen).unwrap());
    let files: BTreeSet<&str> = docs
        .iter()
        .map(|d| {
            d["metadata"]["annotations"][HELM4_FILENAME_ANNOTATION]
                .as_str()
                .unwrap_or_else(|| panic!("not annotated: {d}"))
        })
        .collect();
    assert_eq!(
        files,
        BTreeSet::from([
            "shop/templates/configmap.yaml",
            "shop/templates/deployment.yaml",
            "shop/templates/migrate-job.yaml",
            "shop/templates/service.yaml",
        ])
    );
    // The hook is among them, as it was rendered.
    assert!(!common::is_injected(find(&docs, "Job", "shop-migrate")));
}
