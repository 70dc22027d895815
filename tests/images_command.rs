//! `pinpoint-inject images` and `--fetch-images` through the real binary, against a real
//! registry on loopback (go-containerregistry's, images pushed by crane: see
//! `tests/registry/images.rs`): every image of the render, digests pinned, an index
//! resolved to linux/amd64 (or `--platform`), failures named with where the image is
//! used, `--update` keeping what a file has, `--strict`; then a run with the facts.

mod common;
// Shared with tests/registry.rs, which uses the rest of them.
#[allow(dead_code)]
mod registry {
    pub mod images;
    pub mod servers;
    pub mod token_server;
    pub mod wire;
}

use common::{TempDir, TempFile, inject};
use registry::images::{self, Crane, PLAIN_JTO};
use registry::servers::{closed_port, crane_registry};
use serde_json::Value;

fn render(host: &str) -> String {
    let deployment = |name: &str, image: &str| {
        format!(
            "---\n# Source: shop/templates/{name}.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: shop}}\nspec:\n  template:\n    spec:\n      initContainers: [{{name: init, image: {host}/shop/plain:v1}}]\n      containers: [{{name: app, image: {image}}}]\n"
        )
    };
    [
        deployment("plain", &format!("{host}/shop/plain:v1")),
        deployment("multi", &format!("{host}/shop/java:multi")),
        deployment("list", &format!("{host}/shop/docker:list")),
        deployment("missing", &format!("{host}/shop/missing:1")),
        deployment("gone", &format!("127.0.0.1:{}/shop/gone:1", closed_port())),
    ]
    .concat()
}

fn facts_of(text: &str) -> Vec<Value> {
    let doc: Value = pinpoint_inject::yaml::from_str(text).unwrap();
    assert_eq!(doc["kind"], "ImageFacts");
    doc["images"].as_array().cloned().unwrap()
}

fn entry<'a>(facts: &'a [Value], image: &str) -> &'a Value {
    facts
        .iter()
        .find(|e| e["image"] == image)
        .unwrap_or_else(|| panic!("no entry for {image} in {facts:?}"))
}

#[test]
fn every_image_of_the_render_with_digests_and_platforms() {
    let registry = crane_registry();
    let crane = Crane::new();
    images::push(&crane, &registry.host, "shop");
    let host = &registry.host;
    let input = render(host);
    let out = TempDir::new("images-out");
    let file = out.join("facts.yaml");
    let run = inject(
        &["images", "--output", file.to_str().unwrap()],
        input.as_bytes(),
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let text = std::fs::read_to_string(&file).unwrap();
    let facts = facts_of(&text);
    let images: Vec<&str> = facts.iter().map(|e| e["image"].as_str().unwrap()).collect();
    let expected = [
        format!("{host}/shop/docker:list"),
        format!("{host}/shop/java:multi"),
        format!("{host}/shop/plain:v1"),
    ];
    assert_eq!(images, expected, "sorted, once each");
    let plain = entry(&facts, &expected[2]);
    assert_eq!(plain["digest"], crane.digest(&expected[2]));
    assert_eq!(plain["platform"], "linux/amd64");
    assert_eq!(plain["config"], crane.config(&expected[2], None)["config"]);
    let multi = entry(&facts, &expected[1]);
    assert_eq!(
        multi["digest"],
        crane.digest(&expected[1]),
        "the index's digest is pinned"
    );
    assert_eq!(
        multi["config"],
        crane.config(&expected[1], Some("linux/amd64"))["config"]
    );
    // Each failure names the image, the cause and where the image is used.
    let missing = format!("{host}/shop/missing:1");
    assert!(
        run.stderr.lines().any(|l| l.starts_with("pinpoint-inject: error: ")
            && l.contains("shop/missing:1")
            && l.contains("document 4 (shop/templates/missing.yaml): Deployment shop/missing, container app")),
        "{missing}: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("shop/gone:1") && run.stderr.contains("unreachable"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("images: 5 in the input, 0 already in the facts, 3 read, 2 failed"),
        "{}",
        run.stderr
    );
    // --strict: the same facts, and exit 1.
    let strict = inject(&["images", "--strict"], input.as_bytes());
    assert_eq!(strict.code, Some(1));
    assert_eq!(facts_of(strict.stdout_text()), facts);

    // A run with the facts keeps the image's JAVA_TOOL_OPTIONS in front.
    let config = "tests/fixtures/config.yaml";
    let wired = inject(
        &["--config", config, "--image-facts", file.to_str().unwrap()],
        input.as_bytes(),
    );
    assert_eq!(wired.code, Some(0), "{}", wired.stderr);
    let kept = format!("{{name: PINPOINT_ORIGINAL_JAVA_TOOL_OPTIONS, value: \"{PLAIN_JTO}\"}}");
    assert!(
        wired.stdout_text().contains(&kept),
        "{}",
        wired.stdout_text()
    );
    // --fetch-images reads the same facts itself (into a cache of its own) and gives the
    // same output.
    let cache = TempDir::new("images-cache");
    let fetched = {
        let mut cmd = std::process::Command::new(common::binary::bin());
        cmd.args(["--config", config, "--fetch-images"])
            .env("XDG_CACHE_HOME", cache.path());
        common::run(&mut cmd, input.as_bytes())
    };
    assert!(
        fetched.stdout_text() == wired.stdout_text(),
        "--fetch-images gave another output"
    );
    assert!(
        fetched
            .stderr
            .contains("warning: cannot read the image config of"),
        "{}",
        fetched.stderr
    );
}

#[test]
fn update_keeps_what_the_file_has_and_platform_picks_from_an_index() {
    let registry = crane_registry();
    let crane = Crane::new();
    images::push(&crane, &registry.host, "shop");
    let host = &registry.host;
    let hand = format!(
        "apiVersion: pinpoint-inject.dev/v1alpha1\nkind: ImageFacts\nmetadata:\n  name: image-facts\nimages:\n- image: {host}/shop/plain:v1\n  config:\n    User: hand-written\n"
    );
    let file = TempFile::new("facts.yaml", hand.as_bytes());
    let render = format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n  - {{name: a, image: {host}/shop/plain:v1}}\n  - {{name: b, image: {host}/shop/java:multi}}\n"
    );
    let run = inject(
        &[
            "images",
            "--update",
            file.0.to_str().unwrap(),
            "--platform",
            "linux/arm64",
        ],
        render.as_bytes(),
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let facts = facts_of(&std::fs::read_to_string(&file.0).unwrap());
    assert_eq!(
        entry(&facts, &format!("{host}/shop/plain:v1"))["config"]["User"],
        "hand-written"
    );
    let multi = entry(&facts, &format!("{host}/shop/java:multi"));
    assert_eq!(multi["platform"], "linux/arm64/v8");
    assert_eq!(
        multi["config"],
        crane.config(&format!("{host}/shop/java:multi"), Some("linux/arm64"))["config"]
    );
    assert!(
        run.stderr
            .contains("images: 2 in the input, 1 already in the facts, 1 read, 0 failed"),
        "{}",
        run.stderr
    );
    // A ResourceList is read too.
    let list = format!(
        "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {{name: p}}\n  spec:\n    containers: [{{name: a, image: {host}/shop/plain:v1}}]\n"
    );
    let run = inject(&["images"], list.as_bytes());
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(facts_of(run.stdout_text()).len(), 1);
}
