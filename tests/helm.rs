//! pinpoint-inject as the post-renderer of the real Helm 3 (v3.10.1), on the charts in
//! `examples/helm/`: config by `--post-renderer-args` and by `PINPOINT_INJECT_CONFIG`,
//! a chart with a subchart, hooks, and a failing post-render.

mod common;

use common::{Run, TempDir, assert_valid, assert_wired, documents, find, inventory, run};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn example(part: &str) -> PathBuf {
    common::repo().join("examples/helm").join(part)
}

fn config() -> PathBuf {
    example("pinpoint.yaml")
}

/// `helm template demo CHART --namespace shop ARGS` with no config in the environment.
fn helm_template(chart: &str, args: &[&str], env: &[(&str, PathBuf)]) -> Run {
    let mut cmd = Command::new(&common::tools().helm);
    cmd.args(["template", "demo"])
        .arg(example(chart))
        .args(["--namespace", "shop"])
        .args(args)
        .env_remove("PINPOINT_INJECT_CONFIG");
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
    assert_eq!(inventory(rendered), inventory(&documents(&plain.stdout)));
}

#[test]
fn post_renderer_args_config_injects_the_chart_and_keeps_every_resource() {
    let out = with_post_renderer_args("shop");
    out.ok();
    let docs = documents(&out.stdout);
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
        out.stdout
            .contains("value: \"-XX:MaxRAMPercentage=75 $(PINPOINT_AGENT_OPTS)\""),
        "{out}"
    );
    assert!(
        out.stdout.contains("-Dpinpoint.applicationName=shop "),
        "{out}"
    );
    // Helm's `# Source:` comments survive on the edited document.
    assert!(
        out.stdout
            .contains("---\n# Source: shop/templates/deployment.yaml\napiVersion: apps/v1\n"),
        "{out}"
    );
    assert_valid("helm3-shop", &out.stdout);
}

#[test]
fn helm3_does_not_post_render_hooks() {
    // Helm 3 sends only the release's manifests to a post-renderer; hooks (here a
    // pre-install Job) are appended afterwards, untouched. Helm 4 sends hooks too
    // (tests/helm4_plugin.rs); with Helm 3, pipe `helm template` into pinpoint-inject
    // to instrument hooks.
    let out = with_post_renderer_args("shop");
    out.ok();
    let docs = documents(&out.stdout);
    let job = find(&docs, "Job", "demo-migrate");
    assert!(!common::is_injected(job), "{job}");
    let plain = helm_template("shop", &[], &[]);
    let plain_job = plain
        .stdout
        .split("---\n")
        .find(|d| d.contains("kind: Job"))
        .unwrap();
    assert!(out.stdout.ends_with(plain_job), "{out}");
}

#[test]
fn pinpoint_inject_config_variable_replaces_the_arguments() {
    let out = helm_template(
        "shop",
        &["--post-renderer", common::bin().to_str().unwrap()],
        &[("PINPOINT_INJECT_CONFIG", config())],
    );
    out.ok();
    let docs = documents(&out.stdout);
    assert_same_resources("shop", &docs);
    assert_wired(
        find(&docs, "Deployment", "demo-web"),
        "web",
        "JAVA_TOOL_OPTIONS",
    );
    assert_eq!(out.stdout, with_post_renderer_args("shop").stdout);
}

#[test]
fn subchart_workloads_are_injected_and_the_sidecar_is_not() {
    let out = with_post_renderer_args("umbrella");
    out.ok();
    let docs = documents(&out.stdout);
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
        out.stdout.contains("-Dpinpoint.applicationName=payments "),
        "{out}"
    );
    assert_valid("helm3-umbrella", &out.stdout);
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
    assert!(out.stdout.is_empty(), "{out}");
}
