//! pinpoint-inject as the post-renderer of the real Helm 3 (`helm.sh/helm/v3`, the last
//! minor, installed as `helm3` by scripts/install-tools.sh), on the charts in
//! `examples/helm/`: the recipe of `docs/recipes/helm3.md`, config by `--post-renderer-args` and by
//! `PINPOINT_INJECT_CONFIG`, a chart with a subchart, hooks, failing post-renders, and
//! what `helm plugin install ./helm-plugin` (a Helm 4 plugin) does to Helm 3.

mod common;

use common::clients::{HelmHome, recipe_command, recipe_path, shell};
use common::{Run, TempDir, assert_valid, assert_wired, documents, find, inventory, run};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

/// The recipe page whose commands these tests run.
const PAGE: &str = "docs/recipes/helm3.md";

fn example(part: &str) -> PathBuf {
    common::repo().join("examples/helm").join(part)
}

fn config() -> PathBuf {
    example("pinpoint.yaml")
}

/// `helm3 template demo CHART --namespace shop ARGS`, in a Helm home of its own, with
/// no config in the environment but `env`.
fn helm_template(chart: &str, args: &[&str], env: &[(&str, PathBuf)]) -> Run {
    let home = HelmHome::new("helm3");
    let mut cmd = Command::new(&common::tools().helm3);
    cmd.args(["template", "demo"])
        .arg(example(chart))
        .args(["--namespace", "shop"])
        .args(args);
    home.apply(&mut cmd);
    for (key, value) in env {
        cmd.env(key, value);
    }
    run(&mut cmd, b"")
}

fn with_post_renderer_args(chart: &str) -> Run {
    helm_template(
        chart,
        &[
            "--post-renderer",
            common::bin().to_str().unwrap(),
            "--post-renderer-args",
            "--config",
            "--post-renderer-args",
            config().to_str().unwrap(),
        ],
        &[],
    )
}

/// Every resource of the plain render is still there, and nothing else.
fn assert_same_resources(chart: &str, rendered: &[Value]) {
    let plain = helm_template(chart, &[], &[]);
    plain.ok();
    assert_eq!(
        inventory(rendered),
        inventory(&documents(plain.stdout_text()))
    );
}

#[test]
fn post_renderer_args_config_injects_the_chart_and_keeps_every_resource() {
    let out = with_post_renderer_args("shop");
    out.ok();
    let docs = documents(out.stdout_text());
    assert_eq!(
        inventory(&docs),
        [
            "ConfigMap/demo-config",
            "Deployment/demo-web",
            "Job/demo-migrate",
            "Service/demo-web"
        ]
    );
    assert_same_resources("shop", &docs);
    let web = find(&docs, "Deployment", "demo-web");
    assert_wired(web, "web", "JAVA_TOOL_OPTIONS");
    assert!(
        out.stdout_text()
            .contains("value: \"-XX:MaxRAMPercentage=75 $(PINPOINT_AGENT_OPTS)\""),
        "{out}"
    );
    assert!(
        out.stdout_text()
            .contains("-Dpinpoint.applicationName=shop "),
        "{out}"
    );
    // Helm's `# Source:` comments survive on the edited document.
    assert!(
        out.stdout_text()
            .contains("---\n# Source: shop/templates/deployment.yaml\napiVersion: apps/v1\n"),
        "{out}"
    );
    assert_valid("helm3-shop", out.stdout_text());
}

#[test]
fn helm3_does_not_post_render_hooks() {
    // Helm 3 sends only the release's manifests to a post-renderer; hooks (here a
    // pre-install Job) are appended afterwards, untouched. Helm 4 sends hooks too
    // (tests/helm4_plugin.rs); with Helm 3, pipe `helm template` into pinpoint-inject
    // to instrument hooks.
    let out = with_post_renderer_args("shop");
    out.ok();
    let docs = documents(out.stdout_text());
    let job = find(&docs, "Job", "demo-migrate");
    assert!(!common::is_injected(job), "{job}");
    let plain = helm_template("shop", &[], &[]);
    let plain_job = plain
        .stdout_text()
        .split("---\n")
        .find(|d| d.contains("kind: Job"))
        .unwrap();
    assert!(out.stdout_text().ends_with(plain_job), "{out}");
}

#[test]
fn pinpoint_inject_config_variable_replaces_the_arguments() {
    let out = helm_template(
        "shop",
        &["--post-renderer", common::bin().to_str().unwrap()],
        &[("PINPOINT_INJECT_CONFIG", config())],
    );
    out.ok();
    let docs = documents(out.stdout_text());
    assert_same_resources("shop", &docs);
    assert_wired(
        find(&docs, "Deployment", "demo-web"),
        "web",
        "JAVA_TOOL_OPTIONS",
    );
    assert_eq!(
        out.stdout_text(),
        with_post_renderer_args("shop").stdout_text()
    );
}

#[test]
fn subchart_workloads_are_injected_and_the_sidecar_is_not() {
    let out = with_post_renderer_args("umbrella");
    out.ok();
    let docs = documents(out.stdout_text());
    assert_eq!(
        inventory(&docs),
        [
            "Deployment/demo-gateway",
            "Deployment/demo-payments",
            "Service/demo-payments"
        ]
    );
    assert_same_resources("umbrella", &docs);
    assert_wired(
        find(&docs, "Deployment", "demo-gateway"),
        "gateway",
        "JAVA_TOOL_OPTIONS",
    );
    let payments = find(&docs, "Deployment", "demo-payments");
    assert_wired(payments, "payments", "JAVA_TOOL_OPTIONS");
    // The umbrella's values reach the subchart; the envoy sidecar is left alone.
    assert_eq!(payments["spec"]["replicas"], 2);
    let envoy = &payments["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(envoy["name"], "envoy");
    assert!(
        envoy.get("env").is_none() && envoy.get("volumeMounts").is_none(),
        "{envoy}"
    );
    assert!(
        out.stdout_text()
            .contains("-Dpinpoint.applicationName=payments "),
        "{out}"
    );
    assert_valid("helm3-umbrella", out.stdout_text());
}

#[test]
fn bad_config_fails_helm_template_with_our_message() {
    let dir = TempDir::new("helm");
    let bad = dir.join("pinpoint.yaml");
    let text = std::fs::read_to_string(config()).unwrap();
    std::fs::write(
        &bad,
        text.replace("pinpoint-collector.pinpoint.svc", "pinpoint collector"),
    )
    .unwrap();
    let out = helm_template(
        "shop",
        &["--post-renderer", common::bin().to_str().unwrap()],
        &[("PINPOINT_INJECT_CONFIG", bad)],
    );
    out.failed();
    assert_eq!(out.code, Some(1), "{out}");
    assert!(
        out.stderr
            .contains("Error: error while running post render on files"),
        "{out}"
    );
    assert!(
        out.stderr.contains(
            r#"pinpoint-inject: error: config file "#
        ) && out.stderr.contains(
            r#"invalid function config: spec.collector.host: "pinpoint collector" is not a hostname or an IP address"#
        ),
        "{out}"
    );
    assert!(out.stdout_text().is_empty(), "{out}");
}

#[test]
fn a_document_it_refuses_fails_helm_template_with_our_message() {
    let dir = TempDir::new("helm3-conflict");
    let chart = common::clients::conflicting_chart(&dir);
    let out = helm_template(
        chart.to_str().unwrap(),
        &["--post-renderer", common::bin().to_str().unwrap()],
        &[("PINPOINT_INJECT_CONFIG", config())],
    );
    assert_eq!(out.code, Some(1), "{out}");
    assert!(
        out.stderr.contains(
            r#"Deployment demo-web: a volume named "pinpoint-agent" already exists and is not ours"#
        ),
        "{out}"
    );
    assert!(out.stdout_text().is_empty(), "{out}");
}

/// Helm 3 as `helm` on PATH, with pinpoint-inject on PATH too, in a home of its own.
struct Helm3 {
    home: HelmHome,
    path: std::ffi::OsString,
}

impl Helm3 {
    fn new() -> Helm3 {
        let home = HelmHome::new("helm3-recipe");
        let path = recipe_path(&home, &common::tools().helm3, true);
        Helm3 { home, path }
    }

    fn sh(&self, line: &str) -> Run {
        run(&mut shell(&self.home, &self.path, line), b"")
    }
}

#[test]
fn recipe_injects_the_release_by_arguments_and_by_environment_not_hooks() {
    let helm = Helm3::new();
    let template = helm.sh(&recipe_command(PAGE, "helm template"));
    template.ok();
    let docs = documents(template.stdout_text());
    assert_wired(
        find(&docs, "Deployment", "shop-web"),
        "web",
        "JAVA_TOOL_OPTIONS",
    );
    assert!(!common::is_injected(find(&docs, "Job", "shop-migrate")));
    assert_valid("helm3-recipe", template.stdout_text());

    let by_env = helm.sh(&recipe_command(PAGE, "PINPOINT_INJECT_CONFIG="));
    by_env.ok();
    assert_eq!(by_env.stdout_text(), template.stdout_text());

    // "Helm 3 contacts the cluster even with --dry-run=client": pinned with a
    // kubeconfig whose server is a closed loopback port.
    let kubeconfig = helm.home.dir.join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\n\
         contexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\nusers: [{name: u, user: {}}]\n",
    )
    .unwrap();
    let install = helm.sh(&format!(
        "KUBECONFIG='{}' {}",
        kubeconfig.display(),
        recipe_command(PAGE, "helm template").replacen(
            "helm template",
            "helm install --dry-run=client",
            1
        )
    ));
    assert_eq!(install.code, Some(1), "{install}");
    assert!(
        install.stderr.contains("Kubernetes cluster unreachable"),
        "{install}"
    );
}

#[test]
fn helm3_cannot_install_the_helm4_plugin_and_keeps_its_link() {
    // helm-plugin/ is a Helm 4 plugin (apiVersion v1, postrenderer/v1). Helm 3
    // links the directory first, then reads plugin.yaml strictly and rejects it
    // (helm/helm v3.22.0 `pkg/cmd/plugin_install.go`, `pkg/plugin/plugin.go`
    // `LoadDir`), so the link stays. docs/recipes/helm3.md says so and how to remove it.
    let helm = Helm3::new();
    let install = helm.sh("helm plugin install ./helm-plugin");
    assert_eq!(install.code, Some(1), "{install}");
    assert!(
        install
            .stderr
            .contains("Error: plugin is installed but unusable")
            && install.stderr.contains(r#"unknown field "apiVersion""#),
        "{install}"
    );
    let link = helm.home.plugins().join("helm-plugin");
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        common::repo().join("helm-plugin")
    );
    // Every later command warns, but the post-renderer by path still works.
    let template = helm.sh(&recipe_command(PAGE, "helm template"));
    template.ok();
    assert!(
        template.stderr.contains("failed to load plugins"),
        "{template}"
    );
    assert!(common::is_injected(find(
        &documents(template.stdout_text()),
        "Deployment",
        "shop-web"
    )));
    let uninstall = helm.sh("helm plugin uninstall pinpoint-inject");
    assert_eq!(uninstall.code, Some(1), "{uninstall}");
    // The recipe page's way out.
    helm.sh(r#"rm "$(helm env HELM_PLUGINS)/helm-plugin""#).ok();
    assert!(std::fs::symlink_metadata(&link).is_err());
    let clean = helm.sh(&recipe_command(PAGE, "helm template"));
    clean.ok();
    assert!(clean.stderr.is_empty(), "{clean}");
    assert_eq!(clean.stdout_text(), template.stdout_text());
}
