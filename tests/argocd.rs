//! The Argo CD Config Management Plugin in `examples/argocd/`: its `generate` command
//! run the way Argo CD's cmp-server runs it (command + args, no shell around it, in the
//! application's directory, with the sidecar's environment plus the Application's
//! `ARGOCD_ENV_*` variables and the build environment), on a copy of
//! `examples/helm/shop` with the real Helm 3 and the built binary on PATH.

mod common;

use common::{Run, TempDir, assert_valid, assert_wired, documents, find, run};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn example(part: &str) -> PathBuf {
    common::repo().join("examples/argocd").join(part)
}

/// An application directory (a copy of the shop chart) and a PATH holding helm and
/// pinpoint-inject.
struct App {
    dir: TempDir,
}

impl App {
    fn new() -> App {
        let dir = TempDir::new("argocd");
        common::copy_dir(&common::repo().join("examples/helm/shop"), &dir.join("app"));
        let bin = dir.bin_dir();
        std::os::unix::fs::symlink(&common::tools().helm, bin.join("helm")).unwrap();
        App { dir }
    }

    /// Run the plugin's generate command with these `ARGOCD_ENV_*` variables.
    fn generate(&self, env: &[(&str, &str)]) -> Run {
        let plugin = common::read_yaml(&example("plugin.yaml"));
        let generate = &plugin["spec"]["generate"];
        let words: Vec<&str> = generate["command"]
            .as_array()
            .unwrap()
            .iter()
            .chain(generate["args"].as_array().into_iter().flatten())
            .map(|v| v.as_str().unwrap())
            .collect();
        let mut cmd = Command::new(words[0]);
        cmd.args(&words[1..])
            .current_dir(self.dir.join("app"))
            .env_clear()
            .env("PATH", common::path_with(&[&self.dir.join("bin")]))
            .env("HOME", self.dir.path())
            .env("TMPDIR", self.dir.path())
            .env("ARGOCD_APP_NAME", "shop")
            .env("ARGOCD_APP_NAMESPACE", "shop")
            .env(
                "ARGOCD_APP_REVISION",
                "0123456789abcdef0123456789abcdef01234567",
            )
            .env("KUBE_VERSION", common::KUBE_VERSION);
        for (key, value) in env {
            cmd.env(format!("ARGOCD_ENV_{key}"), value);
        }
        run(&mut cmd, b"")
    }
}

const COLLECTOR: (&str, &str) = ("PINPOINT_COLLECTOR_HOST", "pinpoint-collector.pinpoint.svc");
const AGENT: (&str, &str) = (
    "PINPOINT_AGENT_IMAGE",
    "pinpointdocker/pinpoint-agent:2.5.4",
);

#[test]
fn generate_renders_the_chart_and_injects_hooks_too() {
    let app = App::new();
    let out = app.generate(&[COLLECTOR, AGENT]);
    out.ok();
    let docs = documents(out.stdout_text());
    assert_eq!(
        common::inventory(&docs),
        [
            "ConfigMap/shop-config",
            "Deployment/shop-web",
            "Job/shop-migrate",
            "Service/shop-web"
        ]
    );
    assert_wired(
        find(&docs, "Deployment", "shop-web"),
        "web",
        "JAVA_TOOL_OPTIONS",
    );
    // A plain pipe, unlike Helm 3's post-renderer, also reaches the hook Job (which
    // Argo CD runs as a PreSync hook).
    assert_wired(
        find(&docs, "Job", "shop-migrate"),
        "migrate",
        "JAVA_TOOL_OPTIONS",
    );
    assert!(
        out.stdout_text()
            .contains("-Dprofiler.transport.grpc.collector.ip=pinpoint-collector.pinpoint.svc")
    );
    assert_valid("argocd-generate", out.stdout_text());
}

#[test]
fn generate_takes_values_files_and_the_application_name() {
    let app = App::new();
    std::fs::write(app.dir.join("app/values-prod.yaml"), "replicas: 5\n").unwrap();
    let out = app.generate(&[
        COLLECTOR,
        AGENT,
        ("PINPOINT_APPLICATION_NAME", "prod-{name}"),
        ("HELM_VALUES", "values.yaml values-prod.yaml"),
    ]);
    out.ok();
    let docs = documents(out.stdout_text());
    let web = find(&docs, "Deployment", "shop-web");
    assert_eq!(web["spec"]["replicas"], 5);
    assert!(
        out.stdout_text()
            .contains("-Dpinpoint.applicationName=prod-shop-web "),
        "{out}"
    );
}

#[test]
fn generate_reads_a_config_file_from_the_repository() {
    let app = App::new();
    std::fs::copy(
        common::repo().join("examples/seed-tomcat/pinpoint.yaml"),
        app.dir.join("app/pinpoint.yaml"),
    )
    .unwrap();
    // PINPOINT_CONFIG wins over the other variables.
    let out = app.generate(&[
        ("PINPOINT_CONFIG", "pinpoint.yaml"),
        ("PINPOINT_COLLECTOR_HOST", "ignored"),
    ]);
    out.ok();
    let docs = documents(out.stdout_text());
    let web = find(&docs, "Deployment", "shop-web");
    let env = web["spec"]["template"]["spec"]["containers"][0]["env"]
        .as_array()
        .unwrap();
    assert!(env.iter().any(|e| e["name"] == "CATALINA_OPTS"), "{web}");
}

/// A failed render must fail the generate step and print nothing: Argo CD must never
/// receive a partial set of manifests.
fn assert_failed_without_output(out: &Run, message: &str) {
    out.failed();
    assert!(
        out.stdout_text().is_empty(),
        "output reached Argo CD: {out}"
    );
    assert!(out.stderr.contains(message), "{out}");
}

#[test]
fn failing_helm_render_fails_generate_with_no_output() {
    let app = App::new();
    let out = app.generate(&[COLLECTOR, AGENT, ("HELM_VALUES", "missing-values.yaml")]);
    assert_failed_without_output(&out, "missing-values.yaml");
}

#[test]
fn failing_injection_fails_generate_with_no_output() {
    let app = App::new();
    // pinpoint-inject writes every document before exiting 1; none of it may get out.
    std::fs::write(
        app.dir.join("app/templates/broken.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: broken}\nspec: {}\n",
    )
    .unwrap();
    let out = app.generate(&[COLLECTOR, AGENT]);
    assert_failed_without_output(&out, "pinpoint-inject: error:");
    assert!(
        out.stderr
            .contains("Deployment broken: has no pod template at spec.template"),
        "{out}"
    );

    let app = App::new();
    let out = app.generate(&[("PINPOINT_COLLECTOR_HOST", "pinpoint collector"), AGENT]);
    assert_failed_without_output(
        &out,
        r#"data.collectorHost: "pinpoint collector" is not a hostname"#,
    );
}

/// An unconfigured plugin fails with a message naming what to set, prints no manifests,
/// and no shell error shows through (an unbound variable, a quote swallowing lines).
fn assert_names_what_to_set(out: &Run, needles: &[&str]) {
    assert_failed_without_output(out, "pinpoint-helm: ");
    for needle in needles {
        assert!(
            out.stderr.contains(needle),
            "stderr lacks {needle:?}: {out}"
        );
    }
    for noise in [
        "unbound variable",
        "found null",
        "unexpected EOF",
        "syntax error",
    ] {
        assert!(!out.stderr.contains(noise), "stderr has {noise:?}: {out}");
    }
}

#[test]
fn neither_variable_set_names_both() {
    let out = App::new().generate(&[]);
    assert_names_what_to_set(
        &out,
        &[
            "PINPOINT_COLLECTOR_HOST",
            "PINPOINT_AGENT_IMAGE",
            "PINPOINT_CONFIG",
            "spec.source.plugin.env",
        ],
    );
}

#[test]
fn only_the_collector_host_set_names_the_agent_image() {
    let out = App::new().generate(&[COLLECTOR]);
    assert_names_what_to_set(
        &out,
        &["set PINPOINT_AGENT_IMAGE", "spec.source.plugin.env"],
    );
    assert!(!out.stderr.contains("set PINPOINT_COLLECTOR_HOST"), "{out}");
}

#[test]
fn only_the_agent_image_set_names_the_collector_host() {
    let app = App::new();
    let out = app.generate(&[AGENT]);
    assert_names_what_to_set(
        &out,
        &["set PINPOINT_COLLECTOR_HOST", "spec.source.plugin.env"],
    );
    assert!(!out.stderr.contains("PINPOINT_AGENT_IMAGE"), "{out}");
    // An empty value is a missing one.
    let out = app.generate(&[("PINPOINT_COLLECTOR_HOST", ""), AGENT]);
    assert_names_what_to_set(&out, &["set PINPOINT_COLLECTOR_HOST"]);
    // Quotes cannot break out of the generated config.
    let out = app.generate(&[("PINPOINT_COLLECTOR_HOST", "x'\n  optIn: 'true"), AGENT]);
    assert_failed_without_output(&out, "is not a hostname or an IP address");
}

#[test]
fn a_config_file_that_is_not_there_is_named() {
    let out = App::new().generate(&[("PINPOINT_CONFIG", "pinpoint/missing.yaml")]);
    assert_names_what_to_set(&out, &["PINPOINT_CONFIG", "pinpoint/missing.yaml"]);
}

#[test]
fn a_failing_helm_template_fails_generate_with_no_output() {
    let app = App::new();
    std::fs::write(
        app.dir.join("app/templates/broken.yaml"),
        "{{ fail \"the chart refuses these values\" }}\n",
    )
    .unwrap();
    let out = app.generate(&[COLLECTOR, AGENT]);
    assert_failed_without_output(&out, "the chart refuses these values");
}

#[test]
fn sidecar_patch_mounts_the_plugin_and_the_application_names_it() {
    let plugin = common::read_yaml(&example("plugin.yaml"));
    assert_eq!(plugin["apiVersion"], "argoproj.io/v1alpha1");
    assert_eq!(plugin["kind"], "ConfigManagementPlugin");
    let full_name = format!(
        "{}-{}",
        plugin["metadata"]["name"].as_str().unwrap(),
        plugin["spec"]["version"].as_str().unwrap()
    );
    let application = common::read_yaml(&example("application.yaml"));
    assert_eq!(
        application["spec"]["source"]["plugin"]["name"],
        full_name.as_str()
    );

    // Apply the patch to a skeleton of Argo CD's repo-server, offline, as kubectl would.
    let dir = TempDir::new("argocd-patch");
    let skeleton = dir.join("repo-server.yaml");
    std::fs::write(
        &skeleton,
        r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: argocd-repo-server, namespace: argocd}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: argocd-repo-server}}
  template:
    metadata: {labels: {app.kubernetes.io/name: argocd-repo-server}}
    spec:
      containers:
        - name: argocd-repo-server
          image: quay.io/argoproj/argocd:v3.0.0
          volumeMounts:
            - {name: var-files, mountPath: /var/run/argocd}
            - {name: plugins, mountPath: /home/argocd/cmp-server/plugins}
      volumes:
        - {name: var-files, emptyDir: {}}
        - {name: plugins, emptyDir: {}}
"#,
    )
    .unwrap();
    let out = run(
        Command::new(&common::tools().kubectl)
            .args([
                "patch",
                "--local",
                "--type",
                "strategic",
                "-o",
                "yaml",
                "-f",
            ])
            .arg(&skeleton)
            .arg("--patch-file")
            .arg(example("repo-server-patch.yaml")),
        b"",
    );
    out.ok();
    assert_valid("argocd-repo-server", out.stdout_text());
    let patched = common::parse(out.stdout_text());
    let spec = &patched["spec"]["template"]["spec"];
    let sidecar = spec["containers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["command"][0] == "/var/run/argocd/argocd-cmp-server")
        .expect("the sidecar runs argocd-cmp-server");
    let mount = |path: &str| -> Value {
        sidecar["volumeMounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["mountPath"] == path)
            .cloned()
            .unwrap_or_else(|| panic!("no mount at {path}: {sidecar}"))
    };
    assert_eq!(mount("/var/run/argocd")["name"], "var-files");
    assert_eq!(mount("/home/argocd/cmp-server/plugins")["name"], "plugins");
    let config = mount("/home/argocd/cmp-server/config/plugin.yaml");
    assert_eq!(config["subPath"], "plugin.yaml");
    let volume = spec["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == config["name"])
        .expect("the plugin.yaml volume exists");
    assert_eq!(volume["configMap"]["name"], "pinpoint-helm-cmp");
    assert_eq!(sidecar["securityContext"]["runAsUser"], 999);
}
