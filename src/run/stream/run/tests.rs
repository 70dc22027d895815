//! Threads write what one thread writes, in order; read errors and panics come back
//! where one thread would meet them.

use super::*;
use crate::yaml::split::Splitter;

fn settings() -> Settings {
    let config = include_str!("../../../../examples/seed-tomcat/pinpoint.yaml");
    let value: serde_json::Value = crate::yaml::from_str(config).unwrap();
    crate::config::load(&value).unwrap().settings
}

fn run_text(input: &str, threads: Threads) -> (Vec<u8>, String, usize, usize) {
    let (mut out, mut log) = (Vec::new(), Vec::new());
    let summary = run_with(
        Splitter::new(input.as_bytes()),
        &settings(),
        &Facts::none(),
        &mut out,
        &mut log,
        threads,
    )
    .unwrap();
    let log = String::from_utf8(log).unwrap();
    (out, log, summary.documents, summary.rows.len())
}

#[test]
fn workers_write_what_one_thread_writes_in_the_same_order() {
    let mut input = String::new();
    for doc in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
    {
        input.push_str("---\n");
        input.push_str(&std::fs::read_to_string(doc).unwrap());
    }
    let one = run_text(&input, Threads::ONE);
    assert!(one.3 > 10, "the corpus has workloads: {}", one.3);
    for workers in [2, 3, 7] {
        for after in [0, 1, 20_000] {
            let many = run_text(&input, Threads { workers, after });
            assert!(many == one, "{workers} workers after {after} bytes differ");
        }
    }
}

fn docs(n: usize) -> Vec<io::Result<RawDoc>> {
    (1..=n)
        .map(|index| {
            Ok(RawDoc {
                bytes: format!("---\na: {index}\n").into_bytes(),
                index,
                first_line: 2 * index as u64 - 1,
            })
        })
        .collect()
}

#[test]
fn a_read_error_comes_after_every_document_read_before_it_as_on_one_thread() {
    let settings = settings();
    let run = |n: usize, at: usize, threads: Threads| {
        let mut input = docs(n);
        input.insert(at, Err(io::Error::other("read failed")));
        let (mut out, mut log) = (Vec::new(), Vec::new());
        let got = run_with(
            input,
            &settings,
            &Facts::none(),
            &mut out,
            &mut log,
            threads,
        );
        (
            got.map(|s| s.documents).map_err(|e| e.to_string()),
            out,
            log,
        )
    };
    for n in [1, 40, 64, 65, 200] {
        for at in [0, 1, n / 2, n] {
            let one = run(n, at, Threads::ONE);
            assert_eq!(one.0, Err("read failed".to_string()));
            assert_eq!(one.1.is_empty(), at == 0);
            for workers in [2, 3] {
                let many = run(n, at, Threads { workers, after: 0 });
                assert!(
                    many == one,
                    "{n} documents, error at {at}, {workers} workers"
                );
            }
        }
    }
}
