//! Hostile and broken input through the real binary, each run under a deadline and an
//! address-space ceiling (`ulimit -v`): a clear one-line error that names the document
//! and, where the parser knows it, the line and column; a non-zero exit; no panic; every
//! document still written; in KRM mode an error result inside a valid ResourceList.
//! Then values from a manifest that try to smuggle a JVM flag, a shell command or YAML
//! structure into the output.

mod common;

use common::{Limits, Run, repo, run_bin};
use pinpoint_inject::yaml;
use serde_json::Value;
use std::time::Duration;

fn config() -> String {
    repo()
        .join("tests/oracle/config-default.yaml")
        .to_string_lossy()
        .into_owned()
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1\n";
const CONFIG_MAP: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: v\n";

fn stream(stdin: &[u8], limits: Limits) -> Run {
    run_bin(&["--config", &config()], stdin, limits)
}

/// Nothing crashed or hung, and every stderr line is one of ours.
fn sane(run: &Run, what: &str) {
    assert!(
        !run.timed_out,
        "{what}: still running after {:?}",
        run.elapsed
    );
    assert!(
        run.code.is_some(),
        "{what}: killed by a signal (out of memory?): {}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
    for line in run.stderr.lines() {
        assert!(
            line.starts_with("pinpoint-inject: "),
            "{what}: stray stderr line {line:?}"
        );
    }
}

/// A stream run that failed on exactly one document: exit 1, that document's error on
/// one line containing `expected`, and every byte of the input written back.
fn fails_on_one_document(stdin: &[u8], expected: &str) -> Run {
    let run = stream(stdin, Limits::default());
    sane(&run, expected);
    assert_eq!(run.code, Some(1), "{expected}: {}", run.stderr);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("pinpoint-inject: error: document"))
        .collect();
    assert_eq!(errors.len(), 1, "{expected}: {}", run.stderr);
    assert!(
        errors[0].contains(expected),
        "expected {expected:?} in {:?}",
        errors[0]
    );
    assert!(
        run.stderr
            .ends_with("every document was written, those with errors unchanged\n"),
        "{}",
        run.stderr
    );
    run
}

/// The broken document sits between two good ones: it is reported, they are still
/// processed, and the output holds all three.
fn broken_between(broken: &str, expected: &str) {
    let input = format!("{CONFIG_MAP}---\n{broken}---\n{POD}");
    let run = fails_on_one_document(input.as_bytes(), expected);
    let output = String::from_utf8_lossy(&run.stdout);
    assert!(
        output.starts_with(&format!("{CONFIG_MAP}---\n{broken}---\n")),
        "{output}"
    );
    assert!(
        output.contains("pinpoint-inject.dev/injected"),
        "the Pod after it was injected"
    );
}

#[test]
fn malformed_yaml_is_reported_at_its_line_and_column() {
    // The broken document starts on line 8 of the stream.
    broken_between(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: [x\n",
        "document 2: line 10, column 18: unclosed bracket",
    );
    broken_between(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: \"x}\n",
        "document 2: line 10, column 18: unclosed quote",
    );
    broken_between(
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b: c\n",
        "document 2: line 11, column 7: mapping values are not allowed",
    );
}

#[test]
fn tabs_as_indentation_are_refused() {
    broken_between(
        "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n",
        "document 2: line 11, column 2: tabs",
    );
}

#[test]
fn bytes_that_are_not_utf8_are_refused() {
    let mut input = format!("{CONFIG_MAP}---\n").into_bytes();
    input.extend_from_slice(b"apiVersion: v1\nkind: Pod\nmetadata: {name: \"\xc3\x28\"}\n");
    let run = fails_on_one_document(
        &input,
        "document 2: line 10, column 19: the input is not UTF-8",
    );
    assert_eq!(run.stdout, input);
}

#[test]
fn documents_that_are_not_resources_are_refused() {
    broken_between(
        "just a string\n",
        "document 2: the document is a scalar, not a Kubernetes resource",
    );
    broken_between(
        "- a\n- b\n",
        "document 2: the document is a list, not a Kubernetes resource",
    );
    broken_between(
        "apiVersion: v1\nmetadata: {name: x}\n",
        "document 2: the resource has no kind",
    );
    broken_between(
        "kind: Pod\nmetadata: {name: x}\n",
        "document 2: the resource has no apiVersion",
    );
}

#[test]
fn duplicate_keys_are_refused() {
    broken_between(
        "apiVersion: v1\nkind: ConfigMap\nkind: Pod\n",
        "document 2: line 10, column 1: duplicate key \"kind\"",
    );
    broken_between(
        &format!("{POD}    image: again\n"),
        "document 2: line 16, column 5: duplicate key \"image\"",
    );
}

/// Nine levels of nine references: 9^9 (387 million) strings if expanded.
fn billion_laughs(kind: &str) -> String {
    let mut doc = format!(
        "apiVersion: v1\nkind: {kind}\nmetadata: {{name: lol}}\ndata:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    );
    let mut previous = 'a';
    for level in 'b'..='i' {
        let refs = vec![format!("*{previous}"); 9].join(",");
        doc.push_str(&format!("  {level}: &{level} [{refs}]\n"));
        previous = level;
    }
    doc
}

#[test]
fn alias_bombs_are_refused_quickly_in_little_memory() {
    let limits = Limits {
        deadline: Duration::from_secs(10),
        memory_mib: 512,
    };
    for kind in ["Pod", "ConfigMap"] {
        let run = stream(billion_laughs(kind).as_bytes(), limits);
        sane(&run, kind);
        assert_eq!(run.code, Some(1), "{kind}: {}", run.stderr);
        assert!(
            run.stderr.contains("document 1: line 1")
                && run.stderr.contains("too large or too deeply nested"),
            "{kind}: {}",
            run.stderr
        );
    }
    // A 1 MiB string referenced a thousand times: a gigabyte if copied.
    let big = "x".repeat(1 << 20);
    let refs = "    - *s\n".repeat(1000);
    let doc = format!("{POD}    args:\n    - &s {big}\n{refs}");
    let run = stream(doc.as_bytes(), limits);
    sane(&run, "string bomb");
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("too large or too deeply nested"),
        "{}",
        run.stderr
    );
}

#[test]
fn ten_thousand_levels_of_nesting_are_refused() {
    let limits = Limits {
        deadline: Duration::from_secs(20),
        memory_mib: 512,
    };
    let flow = format!(
        "{POD}    args: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let block: String = (0..10_000)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i + 2)))
        .collect();
    let block = format!("{CONFIG_MAP}{block}");
    for (what, doc) in [("flow", flow), ("block", block)] {
        let run = stream(doc.as_bytes(), limits);
        sane(&run, what);
        assert_eq!(run.code, Some(1), "{what}: {}", run.stderr);
        assert!(
            run.stderr.contains("nested too deeply") || run.stderr.contains("too deeply nested"),
            "{what}: {}",
            run.stderr
        );
        assert_eq!(run.stdout, doc.as_bytes(), "{what}: written back unchanged");
    }
}

/// A 100 MB document. A workload (or List) that large is refused without being parsed
/// (Kubernetes stores at most 1.5 MiB per object); any other document passes through
/// untouched. Either way memory stays near the document's size, well under 13 times.
#[test]
fn a_100_mb_document_is_handled_in_bounded_memory() {
    let limits = Limits {
        deadline: Duration::from_secs(60),
        memory_mib: 768,
    };
    let blob = "x".repeat(100 << 20);
    let workload = format!("{POD}    args:\n    - {blob}\n");
    let run = stream(workload.as_bytes(), limits);
    sane(&run, "100 MB Pod");
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "document 1: the document is 100 MiB; workloads and Lists over 16 MiB are not parsed"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stdout == workload.as_bytes(), "written back unchanged");

    let other = format!("{CONFIG_MAP}  blob: {blob}\n---\n{POD}");
    let run = stream(other.as_bytes(), limits);
    sane(&run, "100 MB ConfigMap");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with(format!("{CONFIG_MAP}  blob: {blob}\n---\n").as_bytes())
    );
    assert!(
        String::from_utf8_lossy(&run.stdout[100 << 20..]).contains("pinpoint-inject.dev/injected")
    );
}

#[test]
fn empty_input_is_valid_and_gives_empty_output() {
    for input in ["", "\n", "---\n", "# only a comment\n"] {
        let run = stream(input.as_bytes(), Limits::default());
        sane(&run, input);
        assert_eq!(run.code, Some(0), "{input:?}: {}", run.stderr);
        assert_eq!(run.stdout, input.as_bytes());
        assert_eq!(run.stderr, "");
    }
}

#[test]
fn config_files_that_cannot_be_used_are_named_in_one_line() {
    let dir = std::env::temp_dir();
    let misspelt = common::TempFile::new(
        "misspelt.yaml",
        b"apiVersion: pinpoint-inject.dev/v1alpha1\nkind: PinpointInjector\nspec:\n  collector: {host: c}\n  agent: {image: \"a:1\", mountPth: /x}\n",
    );
    let broken = common::TempFile::new("broken.yaml", b"spec: [\n");
    let binary = common::TempFile::new("binary.yaml", b"\xff\xfe\n");
    let missing = dir.join("pinpoint-inject-no-such-config.yaml");
    let cases: Vec<(String, &str)> = vec![
        (
            missing.to_string_lossy().into_owned(),
            "cannot read config file",
        ),
        // A directory cannot be read as a file, even by root (chmod 000 would not stop root).
        (dir.to_string_lossy().into_owned(), "Is a directory"),
        (
            misspelt.0.to_string_lossy().into_owned(),
            "spec.agent.mountPth: unknown field `mountPth`, expected one of",
        ),
        (
            broken.0.to_string_lossy().into_owned(),
            "line 1, column 7: unclosed bracket",
        ),
        (
            binary.0.to_string_lossy().into_owned(),
            "line 1, column 1: the input is not UTF-8",
        ),
        ("/dev/null".into(), "the config has no kind"),
    ];
    for (path, expected) in cases {
        let run = run_bin(&["--config", &path], POD.as_bytes(), Limits::default());
        sane(&run, &path);
        assert_eq!(run.code, Some(1), "{path}");
        assert_eq!(run.stderr.lines().count(), 1, "{path}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("pinpoint-inject: error: "),
            "{path}: {}",
            run.stderr
        );
        assert!(run.stderr.contains(expected), "{path}: {}", run.stderr);
        assert!(
            run.stdout.is_empty(),
            "{path}: nothing written without a config"
        );
    }
}

// ---- KRM mode -----------------------------------------------------------------------

const FUNCTION_CONFIG: &str = "functionConfig: {apiVersion: v1, kind: ConfigMap, metadata: {name: f}, data: {collectorHost: c, agentImage: \"a:1\"}}\n";

/// A KRM run that failed: exit 1, and stdout is still a ResourceList with an error result.
fn krm_fails(stdin: &[u8], expected: &str) -> Value {
    let run = run_bin(&[], stdin, Limits::default());
    sane(&run, expected);
    assert_eq!(run.code, Some(1), "{expected}: {}", run.stderr);
    let out = String::from_utf8(run.stdout).expect("UTF-8");
    let list: Value =
        yaml::from_str(&out).unwrap_or_else(|e| panic!("{expected}: not YAML ({e}):\n{out}"));
    assert_eq!(list["kind"], "ResourceList", "{expected}: {out}");
    assert!(list["items"].is_array(), "{out}");
    let results = list["results"].as_array().expect("results");
    let error = results
        .iter()
        .find(|r| r["severity"] == "error")
        .unwrap_or_else(|| panic!("{expected}: no error result:\n{out}"));
    assert!(
        error["message"].as_str().unwrap().contains(expected),
        "{expected}: {error}"
    );
    assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
    list
}

#[test]
fn broken_resource_lists_still_give_a_resource_list_with_an_error() {
    let head = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n";
    krm_fails(
        format!("{head}{FUNCTION_CONFIG}").as_bytes(),
        "ResourceList: it has no items list",
    );
    krm_fails(
        format!("{head}items: [\n").as_bytes(),
        "ResourceList: line 3, column 8: unclosed bracket",
    );
    krm_fails(
        format!("{head}items: {{}}\n{FUNCTION_CONFIG}").as_bytes(),
        "ResourceList: items is not a list",
    );
    krm_fails(
        format!("{head}items: []\nitems: []\n").as_bytes(),
        "ResourceList: line 4, column 1: duplicate key \"items\"",
    );
    let mut not_utf8 = format!("{head}items:\n- {{name: \"").into_bytes();
    not_utf8.extend_from_slice(b"\xff\"}\n");
    krm_fails(
        &not_utf8,
        "ResourceList: line 4, column 11: the input is not UTF-8",
    );
    let list = krm_fails(
        format!("{head}items:\n- hello\n- {{apiVersion: v1}}\n{FUNCTION_CONFIG}").as_bytes(),
        "items[0]: the document is a scalar",
    );
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        2,
        "the items are still there"
    );
    krm_fails(
        format!("{head}items: []\n").as_bytes(),
        "no function config",
    );
    krm_fails(
        format!("{head}items: []\nfunctionConfig: {{apiVersion: v1, kind: ConfigMap, data: {{colectorHost: c}}}}\n").as_bytes(),
        "unknown key `colectorHost`",
    );
    // Items are written back as their own text: a scalar Kubernetes reads otherwise
    // (`on:` is the key "true" to it) no longer fails the run, and comes out as it came in.
    let input = format!(
        "{head}{FUNCTION_CONFIG}items:\n- {{apiVersion: v1, kind: ConfigMap, metadata: {{name: c}}, data: {{on: x}}}}\n"
    );
    let run = run_bin(&[], input.as_bytes(), Limits::default());
    sane(&run, "on: as a key");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(String::from_utf8(run.stdout).unwrap(), input);
    let bomb = billion_laughs("ConfigMap").replace('\n', "\n  ");
    krm_fails(
        format!("{head}{FUNCTION_CONFIG}items:\n- {bomb}\n").as_bytes(),
        "too large or too deeply nested",
    );
    let deep = format!(
        "{head}{FUNCTION_CONFIG}items: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    krm_fails(deep.as_bytes(), "nested too deeply");
}

// ---- smuggling ------------------------------------------------------------------------

/// Values an attacker controls in a manifest: the application-name annotation, the
/// labels a naming template reads, container names. None may add a JVM flag, a shell
/// command or YAML structure.
#[test]
fn manifest_values_cannot_smuggle_flags_commands_or_structure() {
    let hostile = [
        "x -javaagent:/tmp/evil.jar",
        "x\n- name: EVIL\n  value: injected",
        "x\" -Devil=1 \"",
        "x' -Devil=1 '",
        "$(EVIL) `id` ; rm -rf / && echo",
        "x\r\n-Devil=1",
        "x -Dpinpoint.applicationName=other",
        "}{label:app}{",
        "x\u{0}y\u{1b}[31m",
        "--- \n...\n",
        "a;volume=data;initContainer=migrate",
        "a,b",
        "containers=x",
    ];
    let config = common::TempFile::new(
        "smuggle.yaml",
        b"apiVersion: pinpoint-inject.dev/v1alpha1\nkind: PinpointInjector\nspec:\n  collector: {host: collector.apm}\n  agent: {image: \"agent:2.5.4\"}\n  naming: {applicationName: \"{label:app}-{container}-{annotation:team}\", maxLength: 200}\n  containers: [\"*\"]\n",
    );
    let config = config.0.to_string_lossy().into_owned();
    for value in hostile {
        let quoted = serde_json::to_string(value).unwrap();
        for annotated in [true, false] {
            let name_annotation = if annotated {
                format!("    pinpoint-inject.dev/application-name: {quoted}\n")
            } else {
                String::new()
            };
            let input = format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: {quoted}\n  annotations:\n    team: {quoted}\n{name_annotation}spec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1\n        env:\n        - name: JAVA_TOOL_OPTIONS\n          value: -Xmx1g\n      - name: worker\n        image: registry.example.com/other:1\n"
            );
            let run = run_bin(&["--config", &config], input.as_bytes(), Limits::default());
            sane(&run, value);
            assert!(
                run.stderr.lines().all(|l| !l.contains('\u{1b}')),
                "escape codes reach the terminal: {}",
                run.stderr
            );
            assert_eq!(run.code, Some(0), "{value:?}: {}", run.stderr);
            let again = run_bin(&["--config", &config], &run.stdout, Limits::default());
            assert_eq!(
                again.stdout, run.stdout,
                "{value:?}: a second run changed the output: {}",
                again.stderr
            );
            assert_eq!(again.code, Some(0), "{value:?}: {}", again.stderr);
            let out = String::from_utf8(run.stdout).unwrap();
            assert_eq!(
                common::invariants::split(out.as_bytes()).len(),
                1,
                "{value:?}: one document\n{out}"
            );
            let doc: Value = yaml::from_str(&out).unwrap();
            let spec = &doc["spec"]["template"]["spec"];
            // The copy step: a constant script, the config's paths as its arguments.
            for init in spec["initContainers"].as_array().unwrap() {
                assert_eq!(
                    init["command"],
                    serde_json::json!([
                        "sh",
                        "-c",
                        pinpoint_inject::wire::copy_step::COPY_SCRIPT,
                        "/pinpoint-agent",
                        "/pinpoint-agent-volume"
                    ]),
                    "{value:?}"
                );
                assert!(init.get("args").is_none());
            }
            for container in spec["containers"].as_array().unwrap() {
                let Some(env) = container["env"].as_array() else {
                    continue;
                };
                let names: Vec<&str> = env.iter().map(|e| e["name"].as_str().unwrap()).collect();
                assert!(
                    names.iter().all(|n| [
                        "PINPOINT_POD_NAME",
                        "PINPOINT_AGENT_OPTS",
                        "JAVA_TOOL_OPTIONS"
                    ]
                    .contains(n)),
                    "{value:?}: {names:?}"
                );
                let opts = env
                    .iter()
                    .find(|e| e["name"] == "PINPOINT_AGENT_OPTS")
                    .unwrap()["value"]
                    .as_str()
                    .unwrap();
                let flags: Vec<&str> = opts.split(' ').collect();
                let expected_prefixes = [
                    "-javaagent:/pinpoint-agent/pinpoint-bootstrap.jar",
                    "-Dpinpoint.applicationName=",
                    "-Dpinpoint.agentName=$(PINPOINT_POD_NAME)",
                    "-Dpinpoint.profiler.profiles.active=release",
                    "-Dprofiler.transport.grpc.collector.ip=collector.apm",
                ];
                assert_eq!(flags.len(), expected_prefixes.len(), "{value:?}: {opts}");
                for (flag, prefix) in flags.iter().zip(expected_prefixes) {
                    assert!(flag.starts_with(prefix), "{value:?}: {flag}");
                }
                let app = flags[1]
                    .strip_prefix("-Dpinpoint.applicationName=")
                    .unwrap();
                assert!(
                    !app.is_empty()
                        && app
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
                    "{value:?}: {app}"
                );
                let java = env
                    .iter()
                    .find(|e| e["name"] == "JAVA_TOOL_OPTIONS")
                    .unwrap()["value"]
                    .as_str()
                    .unwrap();
                assert!(
                    java == "-Xmx1g $(PINPOINT_AGENT_OPTS)" || java == "$(PINPOINT_AGENT_OPTS)",
                    "{value:?}: {java}"
                );
            }
            // The hostile text comes back as the very same strings, not as structure.
            assert_eq!(doc["metadata"]["labels"]["app"], value, "{value:?}\n{out}");
            assert_eq!(
                doc["metadata"]["annotations"]["team"], value,
                "{value:?}\n{out}"
            );
            let names: Vec<&str> = spec["containers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap())
                .collect();
            assert_eq!(names, ["app", "worker"], "{value:?}");
        }
        // As a container name: refused (Kubernetes accepts only DNS labels), unchanged.
        let input = format!("{POD}  - name: {quoted}\n    image: registry.example.com/other:1\n");
        let run = run_bin(&["--config", &config], input.as_bytes(), Limits::default());
        sane(&run, value);
        assert_eq!(run.code, Some(1), "{value:?}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("is not a valid Kubernetes name (a DNS-1123 label)"),
            "{value:?}: {}",
            run.stderr
        );
        assert_eq!(run.stdout, input.as_bytes(), "{value:?}");
        assert!(
            !run.stderr.contains('\u{1b}'),
            "escape codes reach the terminal: {}",
            run.stderr
        );
    }
}
