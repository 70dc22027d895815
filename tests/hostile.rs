//! Hostile and broken input through the real binary, each run under a deadline and an
//! address-space ceiling (`ulimit -v`): a clear one-line error that names the document
//! and, where the parser knows it, the line and column; a non-zero exit; no panic; every
//! document still written; in KRM mode an error result inside a valid ResourceList.
//! Then values from a manifest that try to smuggle a JVM flag, a shell command or YAML
//! structure into the output.

mod common;
mod hostile {
    pub mod krm;
    pub mod markers;
    pub mod optouts;
    pub mod overcap;
    pub mod references;
    pub mod smuggle;
    pub mod stderr;
    pub mod wiring;
}

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
fn documents_that_are_not_resources_are_refused_where_they_start() {
    // The broken document's `---` is line 7 of the stream, its content starts on line 8.
    broken_between(
        "just a string\n",
        "document 2: line 8, column 1: the document is a scalar, not a Kubernetes resource",
    );
    broken_between(
        "# a comment\n\n  - a\n  - b\n",
        "document 2: line 10, column 3: the document is a list, not a Kubernetes resource",
    );
    broken_between(
        "apiVersion: v1\nmetadata: {name: x}\n",
        "document 2: line 8, column 1: the resource has no kind",
    );
    broken_between(
        "kind: Pod\nmetadata: {name: x}\n",
        "document 2: line 8, column 1: the resource has no apiVersion",
    );
    // Content on the `---` line itself.
    let input = format!("{CONFIG_MAP}--- |\n  text\n---\n{POD}");
    fails_on_one_document(
        input.as_bytes(),
        "document 2: line 7, column 5: the document is a scalar",
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
            run.stderr.contains("document 1: line ")
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

/// A workload nested 10,000 levels deep is too deep to build; a ConfigMap nested past the
/// 10,000 levels kubectl reads is refused too (a pass that builds nothing says where).
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
    for (what, doc, said) in [
        ("flow", flow, ": the document is nested too deeply"),
        (
            "block",
            block,
            "the document is nested more than 10,000 levels deep, deeper than kubectl reads",
        ),
    ] {
        let run = stream(doc.as_bytes(), limits);
        sane(&run, what);
        assert_eq!(run.code, Some(1), "{what}: {}", run.stderr);
        assert!(run.stderr.contains(said), "{what}: {}", run.stderr);
        assert_eq!(run.stdout, doc.as_bytes(), "{what}: written back unchanged");
    }
}

/// A 100 MB document. A workload (or List) that large is refused without being parsed
/// (Kubernetes stores at most 1.5 MiB per object); any other document passes through
/// untouched. Either way memory stays near the document's size.
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
            "document 1: the document is 100 MiB, over the 1.5 MiB that is parsed (PINPOINT_INJECT_MAX_DOCUMENT)"
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
