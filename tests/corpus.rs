//! The real rendered manifests in `tests/corpus/` (Helm charts and a public demo
//! app) through the real binary: every document comes out, in order; the ones not
//! changed byte for byte; the workloads injected; a second run changes nothing; KRM
//! mode gives the same items.

mod common;

use pinpoint_inject::run::stream;
use pinpoint_inject::yaml;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    assert!(dir.is_dir(), "the corpus is expected at {}", dir.display());
    dir
}

fn run(args: &[&str], stdin: &[u8]) -> (i32, Vec<u8>, String) {
    let r = common::inject(args, stdin);
    (r.exit_code(), r.stdout, r.stderr)
}

fn raw_docs(bytes: &[u8]) -> Vec<Vec<u8>> {
    stream::Splitter::new(bytes)
        .map(|d| d.unwrap().bytes)
        .collect()
}

fn parse(doc: &[u8]) -> Value {
    yaml::from_str(std::str::from_utf8(doc).unwrap()).unwrap()
}

fn is_injected(doc: &Value) -> bool {
    serde_json::to_string(doc)
        .unwrap()
        .contains("pinpoint-inject.dev/injected")
}

/// How many workloads of each corpus file get the agent.
/// How many workloads of each corpus file get the agent: the application JVMs only
/// (Tomcat, WildFly, Jenkins, the Kafka broker, Spark's master and worker, Elasticsearch,
/// Logstash, and the one Java service of the Online Boutique); never a database, cache or Go/Python/Ruby app.
const EXPECTED_INJECTED: &[(&str, usize)] = &[
    ("helm-bitnami-gitea.yaml", 0),
    ("helm-bitnami-jenkins.yaml", 1),
    ("helm-bitnami-kafka.yaml", 1),
    ("helm-bitnami-mysql.yaml", 0),
    ("helm-bitnami-redmine.yaml", 0),
    ("helm-bitnami-spark.yaml", 2),
    ("helm-bitnami-superset.yaml", 0),
    ("helm-bitnami-tomcat.yaml", 1),
    ("helm-bitnami-valkey.yaml", 0),
    ("helm-bitnami-wildfly.yaml", 1),
    ("helm-elastic-elasticsearch.yaml", 1),
    ("helm-elastic-logstash.yaml", 1),
    ("microservices-demo.yaml", 1),
];

#[test]
fn every_corpus_document_comes_out_and_workloads_are_injected() {
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/config.yaml");
    let config = config.to_str().unwrap();
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "corpus files: {files:?}");
    let mut injected_total = 0;
    for file in &files {
        let input = std::fs::read(file).unwrap();
        let (code, output, stderr) = run(&["--config", config], &input);
        assert_eq!(code, 0, "{}: {stderr}", file.display());
        let (ins, outs) = (raw_docs(&input), raw_docs(&output));
        assert_eq!(ins.len(), outs.len(), "{}: document count", file.display());
        let mut injected = 0;
        for (i, (a, b)) in ins.iter().zip(&outs).enumerate() {
            if a == b {
                continue;
            }
            let (before, after) = (parse(a), parse(b));
            assert_eq!(before["kind"], after["kind"], "{} doc {i}", file.display());
            assert_eq!(
                before["metadata"],
                after["metadata"],
                "{} doc {i}: workload metadata changed",
                file.display()
            );
            assert!(
                is_injected(&after),
                "{} doc {i} changed without being injected",
                file.display()
            );
            injected += 1;
        }
        let name = file.file_name().unwrap().to_str().unwrap();
        let expected = EXPECTED_INJECTED
            .iter()
            .find(|(f, _)| *f == name)
            .unwrap_or_else(|| panic!("{name}: add it to EXPECTED_INJECTED"))
            .1;
        assert_eq!(injected, expected, "{name}: workloads injected");
        assert_eq!(
            stderr.matches("injected:").count(),
            injected,
            "{}: {stderr}",
            file.display()
        );
        let summary = stderr.lines().last().unwrap_or_default();
        assert!(
            summary.starts_with(&format!(
                "pinpoint-inject: summary: instrumented {injected},"
            )),
            "{}: the run ends with its summary: {summary}",
            file.display()
        );
        injected_total += injected;

        let (code, again, again_stderr) = run(&["--config", config], &output);
        assert_eq!(code, 0);
        // A second run says what it did: nothing.
        assert_eq!(
            again_stderr.matches("injected:").count(),
            0,
            "{again_stderr}"
        );
        assert_eq!(
            again_stderr
                .matches("unchanged (already instrumented by an earlier run)")
                .count(),
            injected,
            "{again_stderr}"
        );
        assert!(
            again_stderr.trim_end().ends_with("errors 0")
                && again_stderr.contains(&format!("instrumented 0, unchanged {injected},")),
            "{again_stderr}"
        );
        assert!(
            again == output,
            "{}: a second run changed the output",
            file.display()
        );

        let items: Vec<Value> = ins
            .iter()
            .map(|d| parse(d))
            .filter(|v| !v.is_null())
            .collect();
        let expected: Vec<Value> = outs
            .iter()
            .map(|d| parse(d))
            .filter(|v| !v.is_null())
            .collect();
        let config_doc = parse(&std::fs::read(config).unwrap());
        let list = json!({"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": items, "functionConfig": config_doc});
        let (code, krm, stderr) = run(
            &[],
            yaml::to_string(&list, yaml::ListStyle::Compact).as_bytes(),
        );
        assert_eq!(code, 0, "{}: {stderr}", file.display());
        assert_eq!(
            parse(&krm)["items"],
            Value::Array(expected),
            "{}: KRM items differ",
            file.display()
        );
    }
    assert_eq!(
        injected_total,
        EXPECTED_INJECTED.iter().map(|(_, n)| n).sum::<usize>()
    );
}

/// The whole corpus, four times over, as one stream (about a megabyte, so the binary's
/// worker threads take it past its first 128 KiB): the same bytes on stdout and stderr
/// whatever the number of threads, and a number that is not one is refused before
/// anything is written.
#[test]
fn threads_change_nothing_but_the_speed() {
    let mut stream = Vec::new();
    for _ in 0..4 {
        for (file, _) in EXPECTED_INJECTED {
            stream.extend_from_slice(b"---\n");
            stream.extend_from_slice(&std::fs::read(corpus_dir().join(file)).unwrap());
        }
    }
    assert!(stream.len() > 900 << 10, "{} bytes", stream.len());
    let config = common::repo().join("examples/seed-tomcat/pinpoint.yaml");
    let with = |threads: &str| {
        let mut cmd = std::process::Command::new(common::bin());
        cmd.arg("--config")
            .arg(&config)
            .env_remove("PINPOINT_INJECT_CONFIG")
            .env("PINPOINT_INJECT_THREADS", threads);
        common::run(&mut cmd, &stream)
    };
    let one = with("1");
    assert!(one.stderr.contains("injected: "), "{one}");
    for threads in ["2", "4"] {
        let many = with(threads);
        assert!(
            many.code == one.code && many.stdout == one.stdout && many.stderr == one.stderr,
            "PINPOINT_INJECT_THREADS={threads} differs from 1"
        );
    }
    // Under an address-space limit that 64 threads' stacks do not fit in, the threads
    // that cannot be started are done without (a panic and no output before).
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -v 250000 && exec \"$0\" --config \"$1\"")
        .arg(common::bin())
        .arg(&config)
        .env_remove("PINPOINT_INJECT_CONFIG")
        .env("PINPOINT_INJECT_THREADS", "64");
    let limited = common::run(&mut cmd, &stream);
    assert!(
        limited.code == one.code && limited.stdout == one.stdout && limited.stderr == one.stderr,
        "64 threads under ulimit -v differ from 1: {}",
        limited.stderr.lines().last().unwrap_or_default()
    );
    let bad = with("zero");
    assert_eq!(bad.code, Some(1), "{bad}");
    assert!(bad.stdout.is_empty(), "{bad}");
    assert!(
        bad.stderr
            .contains("PINPOINT_INJECT_THREADS=\"zero\" is not a number from 1 to 64"),
        "{bad}"
    );
}

/// The same corpus, four times over, as one ResourceList: block YAML with results from an
/// earlier function, and JSON with its `results` before its `items`, each with a `v1
/// List` item and an item that does not read. A list of 128 KiB or more has its items
/// made on worker threads; the output (results included) and stderr are the same bytes
/// whatever the number of threads.
#[test]
fn threads_change_nothing_in_a_resource_list() {
    let mut items = Vec::new();
    for _ in 0..4 {
        for (file, _) in EXPECTED_INJECTED {
            let bytes = std::fs::read(corpus_dir().join(file)).unwrap();
            items.extend(
                raw_docs(&bytes)
                    .iter()
                    .map(|d| parse(d))
                    .filter(|v| !v.is_null()),
            );
        }
    }
    let inner: Vec<Value> = items.iter().take(20).cloned().collect();
    items.insert(
        7,
        json!({"apiVersion": "v1", "kind": "List", "items": inner}),
    );
    items.insert(100, json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "no-template"}, "spec": {"template": {"spec": {"containers": {"name": "app"}}}}}));
    let config = common::repo().join("examples/seed-tomcat/pinpoint.yaml");
    let config = parse(&std::fs::read(config).unwrap());
    let earlier = json!([{"message": "from an earlier function", "severity": "info"}]);
    let block = json!({"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": items, "functionConfig": config, "results": earlier});
    let block = yaml::to_string(&block, yaml::ListStyle::Compact);
    let mut json_list = serde_json::Map::new();
    json_list.insert("apiVersion".into(), "config.kubernetes.io/v1".into());
    json_list.insert("kind".into(), "ResourceList".into());
    json_list.insert("results".into(), earlier.clone());
    json_list.insert("functionConfig".into(), config.clone());
    json_list.insert("items".into(), Value::Array(items));
    let json_list = serde_json::to_string(&json_list).unwrap();
    for (name, list) in [("block", block), ("json", json_list)] {
        assert!(list.len() > 512 << 10, "{name}: {} bytes", list.len());
        let with = |threads: &str| {
            let mut cmd = std::process::Command::new(common::bin());
            cmd.env_remove("PINPOINT_INJECT_CONFIG")
                .env("PINPOINT_INJECT_THREADS", threads);
            common::run(&mut cmd, list.as_bytes())
        };
        let one = with("1");
        assert_eq!(
            one.code,
            Some(1),
            "{name}: the item that does not read fails the run"
        );
        let out = String::from_utf8_lossy(&one.stdout);
        assert!(out.contains("from an earlier function"), "{name}");
        let back: Value = yaml::from_str(&out).unwrap();
        let results = back["results"].as_array().unwrap();
        assert_eq!(results[0]["message"], "from an earlier function", "{name}");
        let injected = results
            .iter()
            .filter(|r| r["message"].as_str().unwrap().contains("injected: "))
            .count();
        assert!(
            injected >= 36,
            "{name}: {injected} injected\n{}",
            one.stderr
        );
        assert!(
            results.iter().any(|r| r["severity"] == "error"
                && r["message"].as_str().unwrap().contains("containers")),
            "{name}"
        );
        for threads in ["2", "4"] {
            let many = with(threads);
            assert!(
                many.code == one.code && many.stdout == one.stdout && many.stderr == one.stderr,
                "{name}: PINPOINT_INJECT_THREADS={threads} differs from 1"
            );
        }
    }
}
