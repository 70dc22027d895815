//! `pinpoint-inject report`: one row per workload and container, as a table and as JSON,
//! in both modes; its decisions are the run's (the same containers carry the marker);
//! and a second run says `unchanged` everywhere, in the log, the KRM results and the report.

mod common;

use common::inject;
use pinpoint_inject::run::stream;
use pinpoint_inject::yaml;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;

const CONFIG: &str = "tests/report/config.yaml";

fn input() -> Vec<u8> {
    std::fs::read("tests/report/mixed-chart.yaml").unwrap()
}

fn documents(bytes: &[u8]) -> Vec<Value> {
    stream::Splitter::new(bytes)
        .map(|d| yaml::from_str(std::str::from_utf8(&d.unwrap().bytes).unwrap()).unwrap())
        .filter(|v: &Value| !v.is_null())
        .collect()
}

fn resource_list(items: Vec<Value>) -> Vec<u8> {
    let config: Value = yaml::from_str(&std::fs::read_to_string(CONFIG).unwrap()).unwrap();
    let list = json!({"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": items, "functionConfig": config});
    yaml::to_string(&list, yaml::ListStyle::Compact).into_bytes()
}

/// `(kind, name, container)` of every row with this decision.
fn rows_with(report: &Value, decision: &str) -> BTreeSet<(String, String, String)> {
    report
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["decision"] == decision)
        .map(|r| {
            let text = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (text("kind"), text("name"), text("container"))
        })
        .collect()
}

/// `(kind, name, container)` of every container the run's marker names.
fn marked(docs: &[Value]) -> BTreeSet<(String, String, String)> {
    let mut out = BTreeSet::new();
    for doc in docs {
        if doc["kind"] == "List" {
            out.extend(marked(doc["items"].as_array().unwrap()));
            continue;
        }
        let text = serde_json::to_string(doc).unwrap();
        let Some(at) = text.find("containers=") else {
            continue;
        };
        let list = &text[at + "containers=".len()..];
        let list = &list[..list.find(';').unwrap()];
        for container in list.split(',') {
            out.insert((
                doc["kind"].as_str().unwrap().to_string(),
                doc["metadata"]["name"]
                    .as_str()
                    .or(doc["metadata"]["generateName"].as_str())
                    .unwrap()
                    .to_string(),
                container.to_string(),
            ));
        }
    }
    out
}

#[test]
fn the_report_as_a_table_and_as_json_in_stream_mode() {
    let table = inject(&["report", "--config", CONFIG], &input());
    assert_eq!(table.code, Some(0), "{}", table.stderr);
    assert_eq!(table.stderr, "", "the report is on stdout only");
    insta::assert_snapshot!("report_stream_table", table.stdout_text());
    let json = inject(&["report", "--json", "--config", CONFIG], &input());
    assert_eq!(json.code, Some(0), "{}", json.stderr);
    insta::assert_snapshot!("report_stream_json", json.stdout_text());
}

#[test]
fn the_report_in_krm_mode_has_the_stream_modes_rows() {
    let list = resource_list(documents(&input()));
    let table = inject(&["report"], &list);
    assert_eq!(table.code, Some(0), "{}", table.stderr);
    insta::assert_snapshot!("report_krm_table", table.stdout_text());
    let krm: Value = serde_json::from_slice(&inject(&["report", "--json"], &list).stdout).unwrap();
    let mut stream: Value =
        serde_json::from_slice(&inject(&["report", "--json", "--config", CONFIG], &input()).stdout)
            .unwrap();
    for row in stream.as_array_mut().unwrap() {
        row.as_object_mut().unwrap().remove("document");
        row.as_object_mut().unwrap().remove("template");
    }
    assert_eq!(krm, stream);
}

/// Every corpus file and fixture: the containers the report calls instrumented are
/// exactly those the run's marker names, in stream and in KRM mode.
#[test]
fn report_decisions_are_the_runs() {
    let mut cases: Vec<(std::path::PathBuf, String)> = Vec::new();
    for entry in std::fs::read_dir("tests/corpus").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            cases.push((path, "tests/fixtures/config.yaml".into()));
        }
    }
    for entry in std::fs::read_dir("tests/fixtures").unwrap() {
        let dir = entry.unwrap().path();
        let input = dir.join("input.yaml");
        if !input.exists() || dir.to_string_lossy().contains("error-") {
            continue;
        }
        let own = dir.join("config.yaml");
        let config = if own.exists() {
            own
        } else {
            Path::new("tests/fixtures/config.yaml").to_path_buf()
        };
        cases.push((input, config.to_string_lossy().into_owned()));
    }
    cases.push(("tests/report/mixed-chart.yaml".into(), CONFIG.into()));
    assert!(cases.len() > 30, "{cases:?}");
    let mut instrumented = 0;
    for (path, config) in &cases {
        let input = std::fs::read(path).unwrap();
        let out = inject(&["--config", config], &input);
        let report = inject(&["report", "--json", "--config", config], &input);
        assert_eq!(report.code, out.code, "{}: exit codes", path.display());
        let report: Value = serde_json::from_slice(&report.stdout).unwrap();
        let wired = marked(&documents(&out.stdout));
        assert_eq!(
            rows_with(&report, "instrumented"),
            wired,
            "{}",
            path.display()
        );
        instrumented += wired.len();
        // The summary line counts the same (a stream without workloads has none).
        let summary = out
            .stderr
            .lines()
            .find(|l| l.starts_with("pinpoint-inject: summary: "));
        match summary {
            Some(line) => assert!(
                line.contains(&format!("summary: instrumented {},", wired.len())),
                "{}: {line}",
                path.display()
            ),
            None => assert!(
                report.as_array().unwrap().is_empty(),
                "{}: no summary in {}",
                path.display(),
                out.stderr
            ),
        }
    }
    assert!(
        instrumented > 40,
        "{instrumented} containers instrumented in all"
    );
}

#[test]
fn a_second_run_says_unchanged_in_the_log_the_krm_results_and_the_report() {
    let first = inject(&["--config", CONFIG], &input());
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let injected = first.stderr.matches(": injected: ").count();
    assert_eq!(injected, 4, "{}", first.stderr);

    let second = inject(&["--config", CONFIG], &first.stdout);
    assert_eq!(second.stdout, first.stdout);
    assert_eq!(
        second.stderr.matches(": injected: ").count(),
        0,
        "{}",
        second.stderr
    );
    assert_eq!(
        second
            .stderr
            .matches(": unchanged (already instrumented by an earlier run): ")
            .count(),
        injected,
        "{}",
        second.stderr
    );
    assert!(
        second
            .stderr
            .contains("summary: instrumented 0, unchanged 4,"),
        "{}",
        second.stderr
    );

    let report: Value = serde_json::from_slice(
        &inject(&["report", "--json", "--config", CONFIG], &first.stdout).stdout,
    )
    .unwrap();
    assert!(rows_with(&report, "instrumented").is_empty());
    assert_eq!(
        rows_with(&report, "unchanged"),
        marked(&documents(&first.stdout))
    );

    let krm = inject(&[], &resource_list(documents(&first.stdout)));
    assert_eq!(krm.code, Some(0), "{}", krm.stderr);
    let out: Value = yaml::from_str(krm.stdout_text()).unwrap();
    let messages: Vec<&str> = out["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["message"].as_str())
        .collect();
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.starts_with("unchanged (already instrumented by an earlier run): "))
            .count(),
        injected,
        "{messages:?}"
    );
    assert!(
        !messages.iter().any(|m| m.starts_with("injected:")),
        "{messages:?}"
    );
}

/// Issue 12, point 7: the Helm example's migration hook Job no longer shares the web
/// Deployment's application name (`shop`), with the example's own config unchanged.
#[test]
fn the_helm_examples_hook_job_gets_its_own_application_name() {
    let rendered = common::run(
        std::process::Command::new(&common::tools().helm)
            .args(["template", "shop", "examples/helm/shop"])
            .env_remove("PINPOINT_INJECT_CONFIG"),
        b"",
    );
    rendered.ok();
    let report = inject(
        &[
            "report",
            "--json",
            "--config",
            "examples/helm/pinpoint.yaml",
        ],
        &rendered.stdout,
    );
    assert_eq!(report.code, Some(0), "{}", report.stderr);
    let rows: Value = serde_json::from_slice(&report.stdout).unwrap();
    let name_of = |kind: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["kind"] == kind && r["decision"] == "instrumented")
            .map(|r| r["applicationName"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no instrumented {kind} in {rows}"))
    };
    assert_eq!(name_of("Deployment"), "shop");
    assert_eq!(name_of("Job"), "shop-migrate");
}

/// The report names a document as the run's log does (`document N`, counting the
/// documents with content, and the Helm template), and a document that cannot be read
/// has a row too, with its error.
#[test]
fn the_report_names_documents_as_the_log_does_and_broken_ones_have_a_row() {
    let mut input = input();
    input.extend_from_slice(b"---\n# Source: shop/templates/broken.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: [x\n");
    let run = inject(&["--config", CONFIG], &input);
    let report = inject(&["report", "--json", "--config", CONFIG], &input);
    assert_eq!(report.code, Some(1), "{}", report.stderr);
    let rows: Value = serde_json::from_slice(&report.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    for row in rows {
        let named = format!(
            "{} ({})",
            row["document"].as_str().unwrap(),
            row["template"].as_str().unwrap()
        );
        assert!(
            run.stderr
                .contains(&format!("pinpoint-inject: info: {named}: "))
                || run
                    .stderr
                    .contains(&format!("pinpoint-inject: error: {named}: ")),
            "{named} is not how the log names it:\n{}",
            run.stderr
        );
    }
    let broken = rows.last().unwrap();
    assert_eq!(broken["document"], "document 10", "{broken}");
    assert_eq!(broken["template"], "shop/templates/broken.yaml");
    assert_eq!(broken["decision"], "error");
    assert_eq!(broken["kind"], "Deployment");
    assert!(
        broken["evidence"]
            .as_str()
            .unwrap()
            .contains("unclosed bracket"),
        "{broken}"
    );
}
