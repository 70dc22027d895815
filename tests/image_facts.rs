//! Image facts through the real binary, beyond the fixtures (`tests/fixtures/facts-*`):
//! the report's evidence names the image config, broken facts are clear errors that
//! name the file (or the item) and the entry, the facts file can come from the
//! environment, references are matched as Kubernetes names images, a whole `crane config`
//! or `docker inspect` element pasted in is read, and the wiring that keeps an image's own
//! value comes out again exactly.

mod common;

use common::{TempFile, inject};
use serde_json::Value;

const CONFIG: &str = "tests/fixtures/config.yaml";
const FACTS: &str = "tests/fixtures/facts-decide/facts.yaml";

fn input() -> Vec<u8> {
    std::fs::read(common::repo().join("tests/fixtures/facts-decide/input.yaml")).unwrap()
}

/// The rows of `report --json` (a JSON list).
fn rows(stdout: &str) -> Vec<Value> {
    serde_json::from_str(stdout).unwrap()
}

/// Row `i` has `decision`, and its evidence says `evidence`.
fn assert_row(rows: &[Value], i: usize, decision: &str, evidence: &str) {
    assert_eq!(rows[i]["decision"], decision, "{rows:?}");
    let said = rows[i]["evidence"].as_str().unwrap_or_default();
    assert!(said.contains(evidence), "{rows:?}");
}

/// The rows of a successful `report --json` over `input` with the facts file `facts`.
fn report_with_facts(facts: &str, input: &[u8]) -> Vec<Value> {
    let run = inject(
        &[
            "report",
            "--json",
            "--config",
            CONFIG,
            "--image-facts",
            facts,
        ],
        input,
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    rows(run.stdout_text())
}

#[test]
fn the_report_says_when_the_image_config_decided() {
    let rows = report_with_facts(FACTS, &input());
    let row = |container: &str| {
        rows.iter()
            .find(|r| r["container"] == container)
            .unwrap_or_else(|| panic!("no row for {container}: {rows:?}"))
            .clone()
    };
    let evidence = |container: &str| row(container)["evidence"].as_str().unwrap().to_string();
    assert!(
        evidence("orders").starts_with("image config: it runs java"),
        "{}",
        evidence("orders")
    );
    assert!(evidence("orders").contains("the image sets JAVA_TOOL_OPTIONS, kept in front"));
    assert!(evidence("cart").contains("image config: it starts the binary /cart directly"));
    assert!(evidence("web").contains("image config: Env NODE_VERSION (Node.js)"));
    assert!(
        evidence("legacy")
            .contains("image config: its shell command passes $LEGACY_JVM_OPTS to java")
    );
    assert_eq!(row("tracing")["decision"], "already-instrumented");
    assert!(
        evidence("unknown")
            .contains("no image facts: a JAVA_TOOL_OPTIONS the image sets would be replaced")
    );
    // Without the facts, the same manifests are decided from the manifest alone.
    let run = inject(&["report", "--json", "--config", CONFIG], &input());
    let rows = crate::rows(run.stdout_text());
    assert!(rows.iter().all(|r| {
        !r["evidence"]
            .as_str()
            .unwrap_or("")
            .contains("image config")
    }));
}

#[test]
fn broken_facts_name_the_file_and_the_entry_and_nothing_is_written() {
    let facts = TempFile::new(
        "facts.yaml",
        b"apiVersion: pinpoint-inject.dev/v1alpha1\nkind: ImageFacts\nimages:\n- image: shop/a:1\n  config: {}\n- image: shop/b:1\n  config: {Env: JAVA_HOME}\n",
    );
    let path = facts.0.to_str().unwrap();
    let run = inject(&["--config", CONFIG, "--image-facts", path], &input());
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout.is_empty(),
        "nothing may be written: {}",
        run.stdout_text()
    );
    assert!(
        run.stderr.contains(&format!("image facts file {path}"))
            && run
                .stderr
                .contains("images[1].config.Env: expected a list of strings"),
        "{}",
        run.stderr
    );
    let missing = inject(
        &[
            "--config",
            CONFIG,
            "--image-facts",
            "/nonexistent/facts.yaml",
        ],
        &input(),
    );
    assert_eq!(missing.code, Some(1));
    assert!(
        missing.stderr.contains("/nonexistent/facts.yaml"),
        "{}",
        missing.stderr
    );
}

#[test]
fn a_broken_facts_item_is_an_error_result_and_the_list_still_comes_back() {
    let list = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nfunctionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: f}\n  data: {collectorHost: c, agentImage: \"a:1\"}\nitems:\n- apiVersion: pinpoint-inject.dev/v1alpha1\n  kind: ImageFacts\n  metadata: {name: facts}\n  images:\n  - {image: \"Bad:Ref\", config: {}}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n";
    let run = inject(&[], list.as_bytes());
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let out: Value = pinpoint_inject::yaml::from_str(run.stdout_text()).unwrap();
    assert_eq!(
        out["items"].as_array().unwrap().len(),
        2,
        "both items pass through"
    );
    let message = out["results"][0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("items[0]: image facts: images[0].image: invalid image reference"),
        "{message}"
    );
}

#[test]
fn facts_come_from_the_environment_and_match_as_kubernetes_names_images() {
    let facts = TempFile::new(
        "facts.yaml",
        b"apiVersion: pinpoint-inject.dev/v1alpha1\nkind: ImageFacts\nimages:\n- image: docker.io/library/nginx:latest\n  config: {Env: [NGINX_VERSION=1.27.4], Cmd: [nginx, -g, daemon off;]}\n",
    );
    let pod = b"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: web, image: nginx}\n";
    let mut cmd = std::process::Command::new(common::binary::bin());
    let output = cmd
        .args(["report", "--json", "--config", CONFIG])
        .env("PINPOINT_INJECT_IMAGE_FACTS", &facts.0)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(pod)?;
            child.wait_with_output()
        })
        .unwrap();
    let rows = rows(&String::from_utf8(output.stdout).unwrap());
    assert_row(&rows, 0, "skipped", "image config: it runs nginx");
}

/// What `crane config IMAGE` prints whole, and one `docker inspect IMAGE` element, pasted
/// in as an entry's `config`: the object inside decides, as the `config` object alone does.
#[test]
fn a_whole_crane_config_or_docker_inspect_element_pasted_in_decides() {
    let facts = TempFile::new(
        "whole-facts.yaml",
        br#"apiVersion: pinpoint-inject.dev/v1alpha1
kind: ImageFacts
images:
- image: registry.example.com/shop/web:2
  config: {"architecture": "amd64", "os": "linux", "config": {"Env": ["PATH=/usr/local/bin", "NODE_VERSION=20.1.0"], "Cmd": ["node", "server.js"]}, "rootfs": {"type": "layers", "diff_ids": []}}
- image: registry.example.com/shop/orders:1
  config: {"Id": "sha256:0123", "Os": "linux", "Config": {"User": "1000", "Env": ["JAVA_HOME=/opt/java/openjdk"], "Entrypoint": ["java", "-jar", "/app/orders.jar"]}}
"#,
    );
    let pod = b"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: web, image: registry.example.com/shop/web:2}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  containers:\n  - {name: orders, image: registry.example.com/shop/orders:1}\n";
    let rows = report_with_facts(facts.0.to_str().unwrap(), pod);
    assert_row(&rows, 0, "skipped", "image config: it runs node");
    assert_row(&rows, 1, "instrumented", "image config: it runs java");
}

#[test]
fn the_image_value_kept_in_front_comes_out_again_exactly() {
    let wired = inject(&["--config", CONFIG, "--image-facts", FACTS], &input());
    assert_eq!(wired.code, Some(0));
    // A config that selects nothing takes every wiring out again.
    let none = TempFile::new(
        "none.yaml",
        b"apiVersion: pinpoint-inject.dev/v1alpha1\nkind: PinpointInjector\nspec:\n  collector: {host: c}\n  agent: {image: \"a:1\"}\n  select: {namespaces: [elsewhere]}\n",
    );
    let unwired = inject(
        &["--config", none.0.to_str().unwrap(), "--image-facts", FACTS],
        &wired.stdout,
    );
    assert_eq!(unwired.code, Some(0), "{}", unwired.stderr);
    assert_eq!(unwired.stdout_text(), String::from_utf8(input()).unwrap());
}

/// `function-config/image-facts.schema.json` accepts what the tool accepts and writes,
/// and refuses what it refuses (checked with Python's jsonschema, which
/// scripts/install-tools.sh installs with kubernetes-validate).
#[test]
fn the_json_schema_agrees_with_the_tool() {
    let python = common::repo().join(".tools/venv/bin/python");
    common::tools::tools();
    let check = |facts: &str| -> (bool, bool) {
        let file = TempFile::new("facts.yaml", facts.as_bytes());
        let schema = common::repo().join("function-config/image-facts.schema.json");
        let script = "import json,sys,jsonschema\nfrom pathlib import Path\nschema=json.loads(Path(sys.argv[1]).read_text())\ndoc=json.loads(sys.stdin.read())\nerrors=list(jsonschema.Draft202012Validator(schema).iter_errors(doc))\nprint(len(errors))";
        let as_json =
            serde_json::to_string(&pinpoint_inject::yaml::from_str::<Value>(facts).unwrap())
                .unwrap();
        let out = std::process::Command::new(&python)
            .args(["-c", script, schema.to_str().unwrap()])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(as_json.as_bytes())?;
                child.wait_with_output()
            })
            .unwrap();
        let schema_ok = String::from_utf8_lossy(&out.stdout).trim() == "0";
        let tool = inject(
            &[
                "report",
                "--config",
                CONFIG,
                "--image-facts",
                file.0.to_str().unwrap(),
            ],
            b"",
        );
        (schema_ok, tool.code == Some(0))
    };
    let fixture = std::fs::read_to_string(common::repo().join(FACTS)).unwrap();
    assert_eq!(check(&fixture), (true, true), "the fixture's facts");
    let head = "apiVersion: pinpoint-inject.dev/v1alpha1\nkind: ImageFacts\nimages:\n";
    for (entry, valid) in [
        ("- {image: nginx, config: null}", true),
        (
            "- {image: nginx, config: {User: null, Env: null, Cmd: null, Hostname: x}}",
            true,
        ),
        (
            "- {image: nginx, platform: linux/arm64/v8, config: {}}",
            true,
        ),
        ("- {image: nginx, conifg: {}}", false),
        ("- {image: nginx, digest: sha256:12, config: {}}", false),
        ("- {image: nginx, config: {Env: [NOVALUE]}}", false),
        ("- {image: nginx, config: {Labels: {a: 1}}}", false),
    ] {
        let (schema, tool) = check(&format!("{head}{entry}\n"));
        assert_eq!((schema, tool), (valid, valid), "{entry}");
    }
}

/// An image that sets its options variable empty (`ENV JAVA_TOOL_OPTIONS=`) has nothing
/// to keep: the variable holds our reference alone, with no empty copy beside it.
#[test]
fn an_empty_image_value_is_not_kept() {
    let facts = TempFile::new(
        "empty-value-facts.yaml",
        b"apiVersion: pinpoint-inject.dev/v1alpha1\nkind: ImageFacts\nimages:\n- image: registry.example.com/shop/orders:1\n  config: {Env: [JAVA_HOME=/opt/java/openjdk, JAVA_TOOL_OPTIONS=], Entrypoint: [java, -jar, /app/orders.jar]}\n",
    );
    let pod = b"apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  containers:\n  - {name: orders, image: registry.example.com/shop/orders:1}\n";
    let path = facts.0.to_str().unwrap();
    let run = inject(&["--config", CONFIG, "--image-facts", path], pod);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let out = run.stdout_text();
    assert!(out.contains("JAVA_TOOL_OPTIONS"), "{out}");
    assert!(!out.contains("PINPOINT_ORIGINAL"), "{out}");
}
