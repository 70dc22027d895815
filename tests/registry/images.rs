//! Test images, pushed with crane alone (no Docker engine): a one-file layer (a
//! deterministic tar), then `crane mutate` for the config (`--set-platform`, env,
//! entrypoint, cmd, user, working directory, labels) and `crane index append` for the
//! multi-platform indexes, OCI and Docker. Crane's flags and their traps (commas split
//! `--entrypoint`, `--entrypoint` clears Cmd) are in scripts/TOOLS.md.

use crate::common::{TempDir, run, tools};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The image-level JVM options the plain image carries (a Dockerfile `ENV` line).
pub const PLAIN_JTO: &str = "-XX:MaxRAMPercentage=75 -Duser.timezone=UTC";

/// crane, with a docker config of its own (credentials for a registry with auth).
pub struct Crane {
    config: TempDir,
    /// Flags before every command (`--insecure`).
    flags: Vec<&'static str>,
}

impl Crane {
    /// crane with no credentials; [`Crane::login`] adds some.
    pub fn new() -> Crane {
        let config = TempDir::new("crane-config");
        std::fs::write(config.join("config.json"), "{}").unwrap();
        Crane {
            config,
            flags: Vec::new(),
        }
    }

    /// crane that takes any TLS certificate (`--insecure`), for a registry with a test CA.
    pub fn insecure() -> Crane {
        Crane {
            flags: vec!["--insecure"],
            ..Crane::new()
        }
    }

    /// crane logged in to `registry` as `user` (written as an `auths` entry).
    pub fn login(registry: &str, user: &str, password: &str) -> Crane {
        let crane = Crane::new();
        let auth = base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            format!("{user}:{password}"),
        );
        let config = json!({"auths": {registry: {"auth": auth}}});
        std::fs::write(crane.config.join("config.json"), config.to_string()).unwrap();
        crane
    }

    /// Run crane; panic with its output unless it succeeds; stdout.
    pub fn run(&self, args: &[&str]) -> String {
        let out = run(
            Command::new(&tools().crane)
                .args(&self.flags)
                .args(args)
                .env("DOCKER_CONFIG", self.config.path()),
            b"",
        );
        out.ok();
        out.stdout_text().trim().to_string()
    }

    /// The digest of `image` as crane resolves it.
    pub fn digest(&self, image: &str) -> String {
        self.run(&["digest", image])
    }

    /// `crane config` of `image` (for `--platform`, an index resolved as crane does).
    pub fn config(&self, image: &str, platform: Option<&str>) -> Value {
        let mut args = vec!["config", image];
        if let Some(p) = platform {
            args.extend(["--platform", p]);
        }
        serde_json::from_str(&self.run(&args)).unwrap()
    }
}

/// `root` as a deterministic layer tarball at `tar` (sorted, epoch times, root owner).
pub fn tar_layer(root: &Path, tar: &Path) {
    run(
        Command::new("tar")
            .args([
                "--sort=name",
                "--mtime=@0",
                "--owner=0",
                "--group=0",
                "--numeric-owner",
            ])
            .arg("-C")
            .arg(root)
            .arg("-cf")
            .arg(tar)
            .arg("."),
        b"",
    )
    .ok();
}

/// A one-file layer tarball in `dir`.
fn layer(dir: &Path) -> PathBuf {
    let root = dir.join("layer");
    std::fs::create_dir_all(root.join("app")).unwrap();
    std::fs::write(root.join("app/app.jar"), b"not really a jar\n").unwrap();
    let tar = dir.join("layer.tar");
    tar_layer(&root, &tar);
    tar
}

/// Push the test images under `registry/prefix/…`:
/// - `plain:v1`: OCI, linux/amd64, `JAVA_TOOL_OPTIONS` = [`PLAIN_JTO`], exec-form
///   `java -jar` entrypoint, user 1000, working directory /app;
/// - `java:amd64`, `java:arm64` (linux/arm64/v8, a shell-form entrypoint, another user)
///   and `java:multi`, the OCI index of the two;
/// - `docker:amd64`, `docker:arm64` and `docker:list`, the same in Docker media types.
pub fn push(crane: &Crane, registry: &str, prefix: &str) {
    let dir = TempDir::new("images");
    let tar = layer(dir.path());
    let tar = tar.to_str().unwrap();
    let at = |name: &str| format!("{registry}/{prefix}/{name}");
    crane.run(&[
        "append",
        "--oci-empty-base",
        "-f",
        tar,
        "-t",
        &at("base:oci"),
    ]);
    crane.run(&["append", "-f", tar, "-t", &at("base:docker")]);
    let amd64 = |base: &str, target: &str, extra: &[&str]| {
        let mut args = vec![
            "mutate",
            base,
            "-t",
            target,
            "--set-platform",
            "linux/amd64",
        ];
        args.extend([
            "-e",
            "JAVA_HOME=/opt/java/openjdk",
            "-e",
            "JAVA_VERSION=jdk-17.0.13+11",
        ]);
        args.extend([
            "--entrypoint",
            "java,-jar,/app/app.jar",
            "-u",
            "1000",
            "-w",
            "/app",
        ]);
        args.extend(["-l", "arch=amd64"]);
        args.extend(extra);
        crane.run(&args);
    };
    let arm64 = |base: &str, target: &str| {
        crane.run(&[
            "mutate",
            base,
            "-t",
            target,
            "--set-platform",
            "linux/arm64/v8",
            "-e",
            "JDK_JAVA_OPTIONS=-Xss512k",
            "--entrypoint",
            "/bin/sh,-c",
            "--cmd",
            "exec java -jar /app/app.jar",
            "-u",
            "65534:65534",
            "-w",
            "/srv",
            "-l",
            "arch=arm64",
        ]);
    };
    let jto = format!("JAVA_TOOL_OPTIONS={PLAIN_JTO}");
    amd64(&at("base:oci"), &at("plain:v1"), &["-e", &jto]);
    amd64(&at("base:oci"), &at("java:amd64"), &[]);
    arm64(&at("base:oci"), &at("java:arm64"));
    crane.run(&[
        "index",
        "append",
        "-m",
        &at("java:amd64"),
        "-m",
        &at("java:arm64"),
        "-t",
        &at("java:multi"),
    ]);
    amd64(&at("base:docker"), &at("docker:amd64"), &[]);
    arm64(&at("base:docker"), &at("docker:arm64"));
    crane.run(&[
        "index",
        "append",
        "--docker-empty-base",
        "-m",
        &at("docker:amd64"),
        "-m",
        &at("docker:arm64"),
        "-t",
        &at("docker:list"),
    ]);
}
