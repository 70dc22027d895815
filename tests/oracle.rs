//! kubectl as the oracle: Kubernetes' own YAML reader (`kubectl annotate --local -o json`
//! prints every object of a file as the API server would decode it) must see exactly
//! the same objects in our output as in our input, once what the injection adds is taken
//! out again by `common::uninject` (written from the documented wiring, not from
//! `src/wire/inject.rs`).
//!
//! Inputs: the real manifests of `tests/corpus/`, the seed example,
//! `tests/oracle/kinds.yaml` (Argo Rollouts, Knative, OpenKruise, KEDA) and
//! `tests/oracle/yaml11-traps.yaml` (octal modes, `"on"`, `0x1F`, `1_000`, block scalars,
//! merge keys, `!!binary`, big numbers, timestamps, JSON and flow style…) and
//! `tests/oracle/duplicate-keys.yaml` (keys written twice: the last one counts), each under
//! three configs. Then every plain scalar spelling we could think of, as a value and as
//! a key: kept as written, so kubectl reads it as before. And what kubectl and the
//! tool each do with broken input, recorded.
//!
//! Needs kubectl on PATH (skipped with a note otherwise; `PINPOINT_REQUIRE_KUBECTL=1`
//! makes its absence a failure).

mod common;
mod oracle {
    pub mod directive;
}

use common::invariants::transform_stream;
use common::kubectl::same_objects_for_kubectl;
use common::{Limits, have_kubectl, kubectl_read, repo, run_bin};
use serde_json::Value;

#[test]
fn kubectl_reads_the_same_objects_with_the_seed_config() {
    if have_kubectl() {
        let wired = same_objects_for_kubectl(&repo().join("examples/seed-tomcat/pinpoint.yaml"));
        assert!(
            wired >= 7,
            "{wired} pod templates wired (the corpus's JVMs)"
        );
    }
}

#[test]
fn kubectl_reads_the_same_objects_with_the_default_config() {
    if have_kubectl() {
        let wired = same_objects_for_kubectl(&repo().join("tests/oracle/config-default.yaml"));
        assert!(
            wired >= 7,
            "{wired} pod templates wired (the corpus's JVMs)"
        );
    }
}

/// The agent image as a read-only image volume: the same objects, once the image volume,
/// its logs volume and the mounts are out.
#[test]
fn kubectl_reads_the_same_objects_with_the_image_volume_delivery() {
    if have_kubectl() {
        let wired = same_objects_for_kubectl(&repo().join("tests/oracle/config-image-volume.yaml"));
        assert!(wired >= 25, "{wired} pod templates wired");
    }
}

#[test]
fn kubectl_reads_the_same_objects_with_every_container_wired() {
    if have_kubectl() {
        let wired = same_objects_for_kubectl(&repo().join("tests/oracle/config-all.yaml"));
        assert!(wired >= 25, "{wired} pod templates wired");
    }
}

/// Plain scalars to try: every case spelling of the YAML 1.1 booleans and null, and
/// numbers in every notation go-yaml v2 or YAML 1.2 knows, with underscores anywhere.
fn spellings() -> Vec<String> {
    let mut all = Vec::new();
    for word in ["y", "n", "yes", "no", "on", "off", "true", "false", "null"] {
        for mask in 0..1u32 << word.len() {
            let spelled: String = word
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if mask & (1 << i) != 0 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            all.push(spelled);
        }
    }
    let numbers = "~ 0 1 12 0.25 00 007 08 09 012 0644 -0644 +0644 0x1F 0X1F 0x1f -0x1F +0x1F 0x 0o17 0O17 -0o17 \
        0o 0b101 0B101 -0b101 +0b101 0b 1_000 1__000 _1000 1000_ 1_0_0 0x_1F 0x1_F 0b1_0 0o1_7 0_644 \
        1.5 1.50 1. -1. +1.5 .5 -.5 +.5 1e3 1E3 1e+3 1e-3 1.5e3 1.e3 .5e3 1_0.5 1.5_0 0.1_2 .1_2 \
        1e1_0 1_e3 123456789012345678901234567890 9223372036854775807 9223372036854775808 \
        -9223372036854775808 18446744073709551616 1e308 1e309 2001-12-14 \
        2001-12-14t21:59:43.10-05:00 1:20 190:20:30 0. -0 +0 -0.0 0e0 0e 1e e3 + - -. +. . .. \
        1..2 1.2.3 0x1G 0o8 0b2 12e +12 -12 0_0 0__0 .nan .NaN .Nan .inf .Inf -.inf +.INF inf nan";
    all.extend(numbers.split_whitespace().map(String::from));
    all
}

fn pod_with(body: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: scalars\n{body}spec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1\n"
    )
}

/// Inject `doc` and check that the output keeps every line of the input: the scalars
/// are never written again, so they cannot change. Only a document our YAML library
/// cannot read at all (`1e309`, a number past every float) is refused, with its place.
fn injected_in_place(doc: &str) -> bool {
    let settings = common::settings(&repo().join("tests/oracle/config-default.yaml"));
    let run = transform_stream(doc.as_bytes(), &settings);
    if pinpoint_inject::yaml::from_str::<Value>(doc).is_err() {
        assert_eq!(run.errors, 1, "{}", run.diagnostics);
        assert!(run.diagnostics.contains(", column "), "{}", run.diagnostics);
        assert_eq!(run.output, doc.as_bytes());
        return false;
    }
    assert_eq!(run.errors, 0, "{}", run.diagnostics);
    assert_eq!(run.changed, 1, "{}", run.diagnostics);
    let output = String::from_utf8(run.output).unwrap();
    common::invariants::check_lines(doc, &output, &settings);
    true
}

#[test]
fn every_plain_value_is_kept_as_kubectl_reads_it() {
    // Once refused (`tRue`, `0X1F`, `1__000`…: read differently by kubectl and by
    // serde-saphyr); now written back as they were, so kubectl reads the same.
    let one = |s: &str| pod_with("") + &format!("    args:\n    - {s}\n");
    let readable: Vec<String> = spellings()
        .into_iter()
        .filter(|s| injected_in_place(&one(s)))
        .collect();
    assert!(!readable.iter().any(|s| s == "1e309"));
    for must in ["tRue", "yEs", "0X1F", "1__000", "0.1_2", "on", "0644"] {
        assert!(readable.iter().any(|s| s == must), "{must} is refused");
    }
    let list: Vec<String> = readable.iter().map(|s| format!("    - {s}\n")).collect();
    let doc = pod_with("") + "    args:\n" + &list.concat();
    assert!(injected_in_place(&doc));
    if !have_kubectl() {
        return;
    }
    let (before, after) = inject_and_read(&doc);
    let args = |objects: &[Value]| objects[0]["spec"]["containers"][0]["args"].clone();
    assert_eq!(args(&before), args(&after));
}

/// Inject `doc` with the default oracle config (it must be injected) and read input and
/// output the way kubectl does.
fn inject_and_read(doc: &str) -> (Vec<Value>, Vec<Value>) {
    let config = repo().join("tests/oracle/config-default.yaml");
    let run = run_bin(
        &["--config", config.to_str().unwrap()],
        doc.as_bytes(),
        Limits::default(),
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_ne!(run.stdout, doc.as_bytes(), "the workload was injected");
    (
        kubectl_read(doc.as_bytes()).unwrap(),
        kubectl_read(&run.stdout).unwrap(),
    )
}

#[test]
fn every_plain_key_is_kept_as_kubectl_reads_it() {
    // `on:` is the key "true" to kubectl and "on" to serde-saphyr: once refused, now
    // kept as written (so kubectl reads the same), since that text is never re-emitted.
    let docs: Vec<String> = spellings()
        .iter()
        .map(|s| pod_with(&format!("  labels:\n    {s}: x\n")))
        .filter(|doc| injected_in_place(doc))
        .collect();
    assert!(docs.iter().any(|d| d.contains("\n    on: x\n")));
    if !have_kubectl() {
        return;
    }
    // kubectl reads the labels of each input and its output the same (where it reads the
    // input at all: a null key or a number past 64 bits is an error to it).
    let stream = docs.join("---\n");
    let config = repo().join("tests/oracle/config-default.yaml");
    let run = run_bin(
        &["--config", config.to_str().unwrap()],
        stream.as_bytes(),
        Limits::default(),
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let outs = common::invariants::split(&run.stdout);
    let mut compared = 0;
    for (doc, out) in docs.iter().zip(&outs) {
        let Ok(before) = kubectl_read(doc.as_bytes()) else {
            continue;
        };
        let after = kubectl_read(out).expect("kubectl reads what it read before");
        assert_eq!(
            before[0]["metadata"]["labels"],
            after[0]["metadata"]["labels"]
        );
        compared += 1;
    }
    assert!(
        compared > docs.len() / 2,
        "kubectl read {compared} of {}",
        docs.len()
    );
}

/// The scalar check guards only what is written back: a document left as it is (not a
/// workload, or not selected) keeps its bytes, whatever its scalars.
#[test]
fn documents_left_alone_are_never_refused_for_their_scalars() {
    let input = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  on: tRue\n  0644: 0X1F\n---\n"
        .to_string()
        + &pod_with("  annotations: {pinpoint-inject.dev/inject: \"false\"}\n  labels:\n    y: n\n");
    let config = repo().join("tests/oracle/config-default.yaml");
    let run = run_bin(
        &["--config", config.to_str().unwrap()],
        input.as_bytes(),
        Limits::default(),
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, input.as_bytes());
}

/// What kubectl and the tool each do with input that is not clean YAML. The tool never
/// guesses: where kubectl silently keeps one reading, the tool refuses the document
/// (writing it back unchanged) and says where.
#[test]
fn broken_input_kubectl_and_the_tool_compared() {
    struct Case {
        name: &'static str,
        input: &'static [u8],
        /// What kubectl does: `Ok(names of the objects it read)`, or `Err(part of its message)`.
        kubectl: Result<&'static [&'static str], &'static str>,
        /// Part of the tool's one-line error.
        tool: &'static str,
    }
    let cases = [
        Case {
            name: "a bare document after `...`: kubectl drops it without a word",
            input: b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n...\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: lost}\n",
            kubectl: Ok(&["a"]),
            tool: "document 1: line 5, column 1: a second document starts after the `...` on line 4",
        },
        Case {
            name: "a tab as indentation: both refuse it",
            input: b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n",
            kubectl: Err("found character that cannot start any token"),
            tool: "document 1: line 4, column 2: tabs",
        },
        Case {
            name: "bytes that are not UTF-8: kubectl puts U+FFFD in, the tool refuses",
            input: b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: \"\xff\"}\n",
            kubectl: Ok(&["a"]),
            tool: "document 1: line 4, column 12: the input is not UTF-8",
        },
        Case {
            name: "a null key: both refuse it",
            input: b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    ~: x\nspec: {containers: [{name: a, image: x}]}\n",
            kubectl: Err("unsupported map key"),
            tool: "document 1: line 6, column 5:",
        },
    ];
    for case in &cases {
        let run = run_bin(
            &[
                "--config",
                repo()
                    .join("tests/oracle/config-default.yaml")
                    .to_str()
                    .unwrap(),
            ],
            case.input,
            Limits::default(),
        );
        assert_eq!(run.code, Some(1), "{}: {}", case.name, run.stderr);
        assert_eq!(
            run.stdout, case.input,
            "{}: written back unchanged",
            case.name
        );
        let errors: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| l.starts_with("pinpoint-inject: error: document"))
            .collect();
        assert_eq!(errors.len(), 1, "{}: {}", case.name, run.stderr);
        assert!(
            errors[0].contains(case.tool),
            "{}: {}",
            case.name,
            errors[0]
        );
        if !have_kubectl() {
            continue;
        }
        match (kubectl_read(case.input), case.kubectl) {
            (Ok(objects), Ok(names)) => {
                let read: Vec<&str> = objects
                    .iter()
                    .map(|o| o["metadata"]["name"].as_str().unwrap())
                    .collect();
                assert_eq!(read, names, "{}", case.name);
            }
            (Err(message), Err(part)) => {
                assert!(message.contains(part), "{}: {message}", case.name)
            }
            (got, want) => panic!("{}: kubectl gave {got:?}, expected {want:?}", case.name),
        }
    }
}
