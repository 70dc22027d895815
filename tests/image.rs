//! The container image. There is no Docker engine here, so this builds the binary the
//! `Dockerfile` builds (release, `+crt-static`, into `target/static` so the main build
//! is not invalidated; the first run takes a few minutes, later runs reuse it), checks
//! it needs no loader, and runs it the way the image would run: alone in an empty root,
//! as nobody (65534), with no network.

mod common;

use common::{IMAGE, Run, TempDir, run};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const RUSTFLAGS: &str = "-C target-feature=+crt-static";

fn dockerfile() -> String {
    std::fs::read_to_string(common::repo().join("Dockerfile")).unwrap()
}

fn target() -> String {
    format!("{}-unknown-linux-gnu", std::env::consts::ARCH)
}

/// The build stage's `COPY` sources (everything the build sees of the repository).
fn build_context_sources() -> Vec<String> {
    let text = dockerfile();
    let build_stage = text
        .split("\nFROM ")
        .find(|stage| stage.contains(" AS build"))
        .expect("a stage named build");
    let mut sources = Vec::new();
    for line in build_stage.lines() {
        if let Some(args) = line.strip_prefix("COPY ") {
            let words: Vec<&str> = args.split_whitespace().collect();
            assert!(!words[0].starts_with("--"), "{line}");
            sources.extend(words[..words.len() - 1].iter().map(|w| w.to_string()));
        }
    }
    sources
}

/// Copy `from` to `to`, leaving files whose bytes did not change alone (their mtime
/// is what keeps cargo from rebuilding).
fn sync(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        // A file moved or deleted in the repository must not stay behind in the copy.
        for entry in std::fs::read_dir(to).unwrap() {
            let path = entry.unwrap().path();
            if !from.join(path.file_name().unwrap()).exists() {
                if path.is_dir() {
                    std::fs::remove_dir_all(&path).unwrap();
                } else {
                    std::fs::remove_file(&path).unwrap();
                }
            }
        }
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            sync(&entry.path(), &to.join(entry.file_name()));
        }
    } else if std::fs::read(to).ok() != Some(std::fs::read(from).unwrap()) {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    }
}

/// Build the static binary once per test process, as the Dockerfile does: from a copy
/// of its build context (`target/static/context`), with the same flags.
fn static_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let target_dir = common::repo().join("target/static");
        let context = target_dir.join("context");
        let sources = build_context_sources();
        if context.exists() {
            // Drop what the Dockerfile no longer copies.
            for entry in std::fs::read_dir(&context).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if !sources.contains(&name) {
                    if path.is_dir() {
                        std::fs::remove_dir_all(path).unwrap();
                    } else {
                        std::fs::remove_file(path).unwrap();
                    }
                }
            }
        }
        for source in &sources {
            sync(&common::repo().join(source), &context.join(source));
        }
        let out = run(
            Command::new(option_env!("CARGO").unwrap_or("cargo"))
                .current_dir(&context)
                .args(["build", "--release", "--locked", "--target", &target()])
                .arg("--target-dir")
                .arg(&target_dir)
                .env("RUSTFLAGS", RUSTFLAGS)
                .env_remove("CARGO_ENCODED_RUSTFLAGS")
                .env_remove("CARGO_BUILD_RUSTFLAGS")
                .env_remove("CARGO_TARGET_DIR"),
            b"",
        );
        out.ok();
        target_dir.join(target()).join("release/pinpoint-inject")
    })
}

/// True when the ELF file asks for a program interpreter (a dynamic loader).
fn has_interpreter(elf: &[u8]) -> bool {
    assert_eq!(&elf[..4], b"\x7fELF");
    assert_eq!(elf[4], 2, "64-bit");
    assert_eq!(elf[5], 1, "little-endian");
    let u16_at = |at: usize| u16::from_le_bytes(elf[at..at + 2].try_into().unwrap()) as usize;
    let u32_at = |at: usize| u32::from_le_bytes(elf[at..at + 4].try_into().unwrap());
    let u64_at = |at: usize| u64::from_le_bytes(elf[at..at + 8].try_into().unwrap()) as usize;
    let (phoff, phentsize, phnum) = (u64_at(0x20), u16_at(0x36), u16_at(0x38));
    const PT_INTERP: u32 = 3;
    (0..phnum).any(|i| u32_at(phoff + i * phentsize) == PT_INTERP)
}

/// An empty root holding only the binary, as the image does.
fn image_root() -> TempDir {
    use std::os::unix::fs::PermissionsExt;
    let root = TempDir::new("image-root");
    std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let binary = root.join("pinpoint-inject");
    std::fs::copy(static_binary(), &binary).unwrap();
    std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
    root
}

/// `docker run --rm -i --network none --user nobody IMAGE ARGS`, without Docker.
fn run_in_image(root: &TempDir, args: &[&str], stdin: &str) -> Run {
    let is_root = run(Command::new("id").arg("-u"), b"").stdout_text().trim() == "0";
    assert!(
        is_root,
        "this test needs root (for unshare --net and chroot)"
    );
    run(
        Command::new(common::on_path("unshare"))
            .args(["--net", "--"])
            .arg(common::on_path("chroot"))
            .arg("--userspec=65534:65534")
            .arg(root.path())
            .arg("/pinpoint-inject")
            .args(args)
            .env_clear(),
        stdin.as_bytes(),
    )
}

#[test]
fn dockerfile_builds_a_static_binary_into_an_empty_image_run_as_nobody() {
    let text = dockerfile();
    let stages: Vec<&str> = text.lines().filter(|l| l.starts_with("FROM ")).collect();
    assert!(stages.len() >= 2, "multi-stage: {stages:?}");
    assert_eq!(
        stages.last(),
        Some(&"FROM scratch"),
        "the default target is the last stage"
    );
    assert!(
        text.contains(&format!("ENV RUSTFLAGS='{RUSTFLAGS}'")),
        "the test builds what the image builds"
    );
    assert!(text.contains("cargo build --release --locked --target \"$target\""));
    assert!(text.contains("target=\"$(uname -m)-unknown-linux-gnu\""));
    let last_stage = text.rsplit("FROM scratch").next().unwrap();
    assert!(last_stage.contains("COPY --from=build /pinpoint-inject /pinpoint-inject"));
    assert!(last_stage.contains("USER 65534:65534"));
    assert!(last_stage.contains(r#"ENTRYPOINT ["/pinpoint-inject"]"#));
    assert!(
        text.contains(&format!("docker build -t {IMAGE} .")),
        "the name the examples use"
    );
    // .dockerignore lets through exactly what the build stage copies.
    let ignore = std::fs::read_to_string(common::repo().join(".dockerignore")).unwrap();
    let rules: Vec<&str> = ignore
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert_eq!(rules.first(), Some(&"*"), "{rules:?}");
    let mut allowed: Vec<String> = rules[1..]
        .iter()
        .map(|r| {
            let r = r.strip_prefix('!').expect("only exceptions after *");
            r.trim_end_matches('/').to_string()
        })
        .collect();
    let mut copied = build_context_sources();
    allowed.sort();
    copied.sort();
    assert_eq!(allowed, copied);
}

#[test]
fn static_binary_runs_alone_as_nobody_without_network() {
    let binary = std::fs::read(static_binary()).unwrap();
    assert!(
        !has_interpreter(&binary),
        "the binary needs a dynamic loader"
    );

    let root = image_root();
    let list = r#"apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: orders
    namespace: shop
  spec:
    selector: {matchLabels: {app: orders}}
    template:
      metadata: {labels: {app: orders}}
      spec:
        containers:
        - name: orders
          image: eclipse-temurin:21-jre
functionConfig:
  apiVersion: v1
  kind: ConfigMap
  metadata: {name: function-input}
  data:
    collectorHost: pinpoint-collector.pinpoint.svc
    agentImage: pinpointdocker/pinpoint-agent:2.5.4
"#;
    let out = run_in_image(&root, &[], list);
    out.ok();
    let output = common::parse(out.stdout_text());
    assert_eq!(output["kind"], "ResourceList");
    assert_eq!(
        output["results"][0]["message"], "injected: orders as orders via JAVA_TOOL_OPTIONS",
        "{out}"
    );
    let orders = &output["items"][0];
    common::assert_wired(orders, "orders", "JAVA_TOOL_OPTIONS");
    common::assert_valid("image-output", &common::items_as_stream(&output));

    // A config error: exit 1, the message on stderr, still a whole ResourceList.
    let broken = list.replace(
        "collectorHost: pinpoint-collector.pinpoint.svc",
        "collectorHost: a b",
    );
    let out = run_in_image(&root, &[], &broken);
    assert_eq!(out.code, Some(1), "{out}");
    assert!(
        out.stderr
            .contains("pinpoint-inject: error: invalid function config"),
        "{out}"
    );
    assert_eq!(
        common::parse(out.stdout_text())["results"][0]["severity"],
        "error"
    );
}

#[test]
fn image_prints_its_help_for_kpt_fn_doc() {
    // `kpt fn doc --image IMG` runs `docker run --rm IMG --help`.
    let root = image_root();
    let out = run_in_image(&root, &["--help"], "");
    out.ok();
    assert!(
        out.stdout_text().contains("MODES (detected from stdin)"),
        "{out}"
    );
    assert!(
        out.stdout_text().contains("kind: PinpointInjector"),
        "{out}"
    );
}
