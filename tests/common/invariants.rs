//! What must hold for every input stream, whatever it holds; checked by the property
//! tests and by the fuzz target (`fuzz/fuzz_targets/stream.rs` includes this file).
//!
//! For a run of the stream transform `f` over `x`:
//! - the output has as many documents as the input, in the same order;
//! - an unchanged document is written byte for byte; a changed one keeps its leading
//!   `---` line and comments, parses, is the same resource (apiVersion, kind, name,
//!   namespace), and becomes the input again when the wiring is taken out;
//! - a changed document keeps every input line (`diff input output` deletes or rewrites
//!   none) but the options variable's value line, or a flow collection's line that grew;
//! - `f(f(x)) == f(x)` byte for byte, with the same number of errors.

use super::uninject::{normalize, uninject};
use pinpoint_inject::config::{self, Settings};
use pinpoint_inject::facts::Facts;
use pinpoint_inject::run::stream::{self, Splitter};
use pinpoint_inject::yaml;
use serde_json::Value;

/// The configs the fuzz targets pick from (by their first byte) and the replay of their
/// seeds and findings uses: the defaults; CATALINA_OPTS with the pod IP and custom
/// names; every container with a template over labels, a short name limit and opt-in.
pub fn fuzz_settings() -> Vec<Settings> {
    fuzz_configs()
        .iter()
        .map(|doc| {
            config::load(doc)
                .expect("the fuzz configs are valid")
                .settings
        })
        .collect()
}

/// [`fuzz_settings`] as the config documents they are loaded from.
pub fn fuzz_configs() -> Vec<Value> {
    let specs = [
        serde_json::json!({}),
        serde_json::json!({
            "agent": {"optionsEnv": "CATALINA_OPTS", "volumeName": "pp-agent", "initContainerName": "init-pinpoint",
                      "sourcePath": "/var/lib/pp_agent", "mountPath": "/var/init/pinpoint"},
            "naming": {"applicationName": "dev-{name}", "agentId": "podIP", "agentName": "none"}
        }),
        serde_json::json!({
            "agent": {"optionsEnv": "JAVA_OPTS", "systemProperties": {"profiler.sampling.rate": 20}},
            "naming": {"applicationName": "{label:app|name}.{container}", "maxLength": 12, "agentId": "podName"},
            "select": {"optIn": true},
            "containers": ["*"]
        }),
    ];
    specs
        .into_iter()
        .map(|extra| {
            let mut spec = serde_json::json!({
                "collector": {"host": "collector.apm"},
                "agent": {"image": "agent:2.5.4"},
            });
            for (key, value) in extra.as_object().unwrap() {
                match (spec.get_mut(key), value) {
                    (Some(Value::Object(base)), Value::Object(more)) => {
                        base.extend(more.clone());
                    }
                    _ => {
                        spec[key] = value.clone();
                    }
                }
            }
            serde_json::json!({
                "apiVersion": config::API_VERSION, "kind": config::KIND,
                "metadata": {"name": "fuzz"}, "spec": spec,
            })
        })
        .collect()
}

/// One run of the stream transform, all in memory.
pub struct StreamRun {
    pub output: Vec<u8>,
    pub errors: usize,
    pub changed: usize,
    pub diagnostics: String,
}

pub fn transform_stream(input: &[u8], settings: &Settings) -> StreamRun {
    let one = transform_stream_with(input, settings, stream::Threads::ONE);
    // Worker threads from the first byte on: the same output, results and counts.
    let threads = stream::Threads {
        workers: 2,
        after: 0,
    };
    let two = transform_stream_with(input, settings, threads);
    assert!(
        (&one.output, &one.diagnostics, one.errors, one.changed)
            == (&two.output, &two.diagnostics, two.errors, two.changed),
        "two threads write something else than one\n--- one:\n{}\n--- two:\n{}",
        String::from_utf8_lossy(&one.output),
        String::from_utf8_lossy(&two.output)
    );
    one
}

fn transform_stream_with(input: &[u8], settings: &Settings, threads: stream::Threads) -> StreamRun {
    let mut output = Vec::new();
    let mut diagnostics = Vec::new();
    let summary = stream::run_with(
        Splitter::new(input),
        settings,
        &Facts::none(),
        &mut output,
        &mut diagnostics,
        threads,
    )
    .expect("writing to memory cannot fail");
    StreamRun {
        output,
        errors: summary.errors,
        changed: summary.changed,
        diagnostics: String::from_utf8(diagnostics).expect("diagnostics are UTF-8"),
    }
}

pub fn split(bytes: &[u8]) -> Vec<Vec<u8>> {
    Splitter::new(bytes).map(|d| d.unwrap().bytes).collect()
}

fn identity(value: &Value) -> [Option<&Value>; 4] {
    [
        value.get("apiVersion"),
        value.get("kind"),
        value.pointer("/metadata/name"),
        value.pointer("/metadata/namespace"),
    ]
}

/// The objects a document holds (a `v1 List`'s items, or the document itself).
pub fn objects(value: &mut Value) -> Vec<&mut Value> {
    let is_list = value.get("apiVersion").and_then(Value::as_str) == Some("v1")
        && value.get("kind").and_then(Value::as_str) == Some("List");
    if is_list && value.get("items").is_some_and(Value::is_array) {
        let items = value["items"].as_array_mut().unwrap();
        return items.iter_mut().flat_map(objects).collect();
    }
    vec![value]
}

/// Whether a document starts with a `---` line, and the comment (and blank) lines that
/// come before its content: a changed document keeps both.
fn head_lines(doc: &[u8]) -> (bool, Vec<&[u8]>) {
    let mut lines = doc.split_inclusive(|b| *b == b'\n').peekable();
    let separator = lines.peek().is_some_and(|line| {
        line.starts_with(b"---") && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
    });
    if separator {
        let line = String::from_utf8_lossy(lines.next().unwrap());
        let rest = line[3..].trim();
        if !(rest.is_empty() || rest.starts_with('#')) {
            return (true, Vec::new()); // `--- content`: no comment lines before it
        }
    }
    let comments = lines
        .take_while(|line| {
            let text = String::from_utf8_lossy(line);
            text.trim().is_empty() || text.trim().starts_with('#')
        })
        .collect();
    (separator, comments)
}

/// Check every invariant for one input; panics with the reason when one is broken.
pub fn check_stream(input: &[u8], settings: &Settings) -> StreamRun {
    let first = transform_stream(input, settings);
    let (ins, outs) = (split(input), split(&first.output));
    assert_eq!(
        ins.len(),
        outs.len(),
        "document count changed\n--- output:\n{}",
        String::from_utf8_lossy(&first.output)
    );
    let mut changed = 0;
    for (i, (before, after)) in ins.iter().zip(&outs).enumerate() {
        if before == after {
            continue;
        }
        changed += 1;
        let doc = i + 1;
        assert_eq!(
            head_lines(before),
            head_lines(after),
            "document {doc}: leading `---` and comments not kept"
        );
        let before_text = std::str::from_utf8(before).expect("a changed document was UTF-8");
        let after_text = std::str::from_utf8(after).expect("output is UTF-8");
        // Written out in full only where an anchor, alias, tag or merge key is in the way.
        let in_full = first.diagnostics.contains("written out in full")
            && ["&", "*", "!", "<<"]
                .iter()
                .any(|c| before_text.contains(c));
        if !before_text.contains("pinpoint-inject.dev/injected") && !in_full {
            check_lines(before_text, after_text, settings);
        }
        let mut old: Value = yaml::from_str(before_text).expect("a changed document parsed");
        let mut new: Value = yaml::from_str(after_text).unwrap_or_else(|e| {
            panic!("document {doc}: the output does not parse: {e}\n{after_text}")
        });
        assert_eq!(identity(&old), identity(&new), "document {doc}: identity");
        // Un-inject and compare, unless the input carried wiring of its own already.
        if !before_text.contains("pinpoint-inject.dev/injected") {
            let mut olds = objects(&mut old);
            let mut news = objects(&mut new);
            assert_eq!(olds.len(), news.len(), "document {doc}: List items");
            for (o, n) in olds.iter_mut().zip(news.iter_mut()) {
                uninject(n, settings);
                normalize(o, settings);
                normalize(n, settings);
                assert_eq!(
                    **o, **n,
                    "document {doc}: something besides the wiring changed\n{after_text}"
                );
            }
        }
    }
    assert_eq!(changed, first.changed, "changed-document count");

    let second = transform_stream(&first.output, settings);
    assert!(
        second.output == first.output,
        "a second run changed the output\n--- first:\n{}\n--- second:\n{}",
        String::from_utf8_lossy(&first.output),
        String::from_utf8_lossy(&second.output)
    );
    assert_eq!(
        second.errors, first.errors,
        "a second run gave other errors:\n{}\n--- vs first:\n{}",
        second.diagnostics, first.diagnostics
    );
    first
}

/// The input lines that `diff before after` deletes or rewrites, each with the output
/// line that took its place if it was rewritten (line LCS).
fn dropped_lines<'a>(before: &'a str, after: &'a str) -> Vec<&'a str> {
    let (a, b): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    let (m, n) = (a.len(), b.len());
    let mut table = vec![0u32; (m + 1) * (n + 1)];
    let at = |i: usize, j: usize| i * (n + 1) + j;
    for i in (0..m).rev() {
        for j in (0..n).rev() {
            table[at(i, j)] = if a[i] == b[j] {
                table[at(i + 1, j + 1)] + 1
            } else {
                table[at(i + 1, j)].max(table[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j, mut dropped) = (0, 0, Vec::new());
    while i < m {
        if j < n && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < n && table[at(i, j + 1)] >= table[at(i + 1, j)] {
            j += 1;
        } else {
            dropped.push(a[i]);
            i += 1;
        }
    }
    dropped
}

/// True when `short`'s characters appear in `long` in order (only insertions made it).
fn grew_into(short: &str, long: &str) -> bool {
    let mut rest = long.chars();
    short.chars().all(|c| rest.any(|d| d == c))
}

/// The names of the env variables a wired output references our flags from (the
/// options variables the run chose: the config's, or the image's launch variable).
fn options_vars(after: &str) -> Vec<String> {
    let mut names = Vec::new();
    for doc in split(after.as_bytes()) {
        let Ok(value) = yaml::from_str::<Value>(&String::from_utf8_lossy(&doc)) else {
            continue;
        };
        collect_options_vars(&value, &mut names);
    }
    names
}

fn collect_options_vars(value: &Value, names: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            let ours = map
                .get("value")
                .and_then(Value::as_str)
                .is_some_and(|v| v.contains("$(PINPOINT_AGENT_OPTS)"));
            if let (true, Some(name)) = (ours, map.get("name").and_then(Value::as_str)) {
                names.push(name.to_string());
            }
            map.values().for_each(|v| collect_options_vars(v, names));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_options_vars(v, names)),
        _ => {}
    }
}

/// `diff before after` deletes or rewrites no input line, except the options
/// variable's own value line and a line whose flow collection got entries inserted.
pub fn check_lines(before: &str, after: &str, settings: &Settings) {
    let dropped = dropped_lines(before, after);
    if dropped.is_empty() {
        return;
    }
    let mut vars = options_vars(after);
    vars.push(settings.agent.options_env.clone());
    for line in dropped {
        let trimmed = line.trim_start().trim_start_matches("- ");
        // The options variable's value, on its own line or inside a flow entry.
        let value_line =
            trimmed.starts_with("value:") || vars.iter().any(|v| line.contains(v.as_str()));
        let grown = after
            .lines()
            .any(|out| out.len() > line.len() && grew_into(line, out));
        assert!(
            value_line || grown,
            "the input line {line:?} was deleted or rewritten\n--- output:\n{after}"
        );
    }
}
