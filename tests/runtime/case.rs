//! A case of tests/runtime.rs as data (`tests/runtime/cases/<case>/case.yaml`), what
//! `scripts/install-runtime.sh` installed, and the collector a config names.

use super::collector::Event;
use super::images::Installed;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// A case: `case.yaml` beside its inputs.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Case {
    pub description: String,
    /// Files concatenated into the input stream, relative to the case directory.
    pub input: Vec<String>,
    pub config: String,
    /// Run with `--image-facts`: the facts of every image of `tests/runtime/images.rs`.
    #[serde(default)]
    pub image_facts: bool,
    /// The container to check.
    pub container: String,
    pub expect: Expect,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Expect {
    #[serde(default)]
    pub application_name: String,
    /// `generated` (the agent makes one), `podIP`, `podName`.
    #[serde(default)]
    pub agent_id: String,
    /// `podName` or `none`.
    #[serde(default)]
    pub agent_name: String,
    /// A web server: one request here must give a span.
    #[serde(default)]
    pub http: Option<Http>,
    /// `case.*` system properties the plain JVM application must print.
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
    /// The JVM's `Picked up JAVA_TOOL_OPTIONS: ...` line must start with this (what the
    /// kubelet's expansion handed the JVM, in order).
    #[serde(default)]
    pub picked_up: Option<String>,
    /// The user the application must run as.
    #[serde(default)]
    pub uid: Option<u32>,
    /// Run this probe of the container (`livenessProbe`, ...): its JVM must not load the agent.
    #[serde(default)]
    pub probe: Option<String>,
    /// The agent is an image volume: no init container, the agent read-only and noexec,
    /// the logs on a writable volume of their own, nothing written into the image.
    #[serde(default)]
    pub image_volume: bool,
    /// The copy step must run as this user and leave the copy as it made it (no chmod).
    #[serde(default)]
    pub copy_step_user: Option<i64>,
    /// The workload is left as it was (the image carries another agent): no wiring, and
    /// the container prints these lines (its own agent's among them), no Pinpoint.
    #[serde(default)]
    pub left_alone: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Http {
    pub port: u16,
    pub path: String,
}

pub struct Setup {
    pub installed: Installed,
    pub python: PathBuf,
}

pub fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let uid = Command::new("id").arg("-u").output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&uid.stdout).trim(),
            "0",
            "tests/runtime.rs needs root (mount namespaces, chroot, other users); CI runs as root"
        );
        let script = crate::common::repo().join("scripts/install-runtime.sh");
        let out = Command::new("bash")
            .arg(&script)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let log = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{} failed:\n{log}", script.display());
        eprint!("{log}");
        let versions =
            std::fs::read_to_string(crate::common::repo().join(".tools/runtime/versions.env"))
                .unwrap();
        let var = |name: &str| {
            versions
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{name}=")))
                .unwrap_or_else(|| panic!("{name} is not in versions.env"))
                .to_string()
        };
        let java_home = var("JAVA_HOME");
        let hello = compile(&java_home, "runtime-hello", "Hello.java");
        // The other agent: its class in a jar whose manifest names its premain.
        let other_agent = compile(&java_home, "runtime-other-agent", "OtherAgent.java");
        std::fs::write(
            other_agent.join("manifest.txt"),
            "Premain-Class: OtherAgent\n",
        )
        .unwrap();
        let jar = Command::new(format!("{java_home}/bin/jar"))
            .current_dir(&other_agent)
            .args(["cfm", "other-agent.jar", "manifest.txt", "OtherAgent.class"])
            .output()
            .unwrap();
        assert!(
            jar.status.success(),
            "jar: {}",
            String::from_utf8_lossy(&jar.stderr)
        );
        Setup {
            installed: Installed {
                agent: PathBuf::from(var("PINPOINT_AGENT_ROOTFS")).join("pinpoint-agent"),
                tomcat: PathBuf::from(var("CATALINA_HOME")),
                hello,
                other_agent,
                java_home,
            },
            python: PathBuf::from(var("PYTHON")),
        }
    })
}

/// Compile one source of `tests/runtime/app/` for Java 17 into a directory of its own.
fn compile(java_home: &str, dir: &str, source: &str) -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(dir);
    std::fs::create_dir_all(&out).unwrap();
    let source = crate::common::repo().join("tests/runtime/app").join(source);
    let javac = Command::new(format!("{java_home}/bin/javac"))
        .args(["--release", "17", "-d"])
        .arg(&out)
        .arg(&source)
        .output()
        .unwrap();
    assert!(
        javac.status.success(),
        "javac: {}",
        String::from_utf8_lossy(&javac.stderr)
    );
    out
}

/// The collector the config names: host and the four channel ports.
pub struct Target {
    pub host: String,
    pub ports: BTreeMap<&'static str, u16>,
}

pub fn target(config: &Value) -> Target {
    let c = &config["spec"]["collector"];
    let port = |k: &str, d: u16| c[k].as_u64().map(|p| p as u16).unwrap_or(d);
    Target {
        host: c["host"].as_str().expect("collector.host").to_string(),
        ports: BTreeMap::from([
            ("agent", port("agentPort", 9991)),
            ("metadata", port("metadataPort", 9991)),
            ("stat", port("statPort", 9992)),
            ("span", port("spanPort", 9993)),
        ]),
    }
}

/// Which channel (and so which configured port) a Pinpoint gRPC service belongs to: the
/// channels of the agent's pinpoint-root.config (agent, metadata, stat, span) and the
/// services agent 3.0.1 was seen to call (/v1.Agent/RequestAgentInfo and PingSession,
/// /v1.ProfilerCommandService/HandleCommandV2, /v1.Metadata/Request*,
/// /v1.Stat/SendAgentStat, /v1.Span/SendSpan).
pub fn channel(method: &str) -> &'static str {
    match method
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
    {
        "v1.Agent" | "v1.ProfilerCommandService" => "agent",
        "v1.Metadata" => "metadata",
        "v1.Stat" => "stat",
        "v1.Span" => "span",
        other => panic!("the agent called an unknown service {other}"),
    }
}

pub fn header<'a>(e: &'a Event, key: &str) -> Option<&'a str> {
    e.metadata.get(key).and_then(Value::as_str)
}

/// The copy step of the emitted workload (the init container that runs `cp -R`) runs as
/// `uid` and changes no mode.
pub fn check_copy_step(name: &str, docs: &[Value], uid: i64) {
    let step = docs
        .iter()
        .flat_map(|d| {
            d.pointer("/spec/template/spec/initContainers")
                .and_then(Value::as_array)
        })
        .flatten()
        .find(|c| c["command"].to_string().contains("cp -R"))
        .unwrap_or_else(|| panic!("{name}: no copy step in the output"));
    assert_eq!(
        step.pointer("/securityContext/runAsUser")
            .and_then(Value::as_i64),
        Some(uid),
        "{name}: the copy step's user: {step}"
    );
    assert!(
        !step["command"].to_string().contains("chmod"),
        "{name}: the copy step changes modes: {step}"
    );
}
