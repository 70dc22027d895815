//! The diff is the wiring: over the real renders of `tests/corpus/` and the example
//! manifests, every changed document keeps every input line (`diff input output`
//! deletes or rewrites none but the options variable's value line) and the documents
//! left alone come out byte for byte.

mod common;

use common::invariants::{check_lines, split, transform_stream};
use common::{repo, settings};

fn yaml_files(dir: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(repo().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_changed_document_keeps_its_lines() {
    let config = settings(&repo().join("tests/fixtures/config.yaml"));
    let mut inputs = yaml_files("tests/corpus");
    inputs.push(repo().join("examples/seed-tomcat/deployment.yaml"));
    inputs.push(repo().join("examples/kpt/orders.yaml"));
    let mut changed = 0;
    for file in &inputs {
        let input = std::fs::read(file).unwrap();
        let run = transform_stream(&input, &config);
        assert_eq!(run.errors, 0, "{}: {}", file.display(), run.diagnostics);
        assert!(
            !run.diagnostics.contains("written out in full"),
            "{}: {}",
            file.display(),
            run.diagnostics
        );
        for (before, after) in split(&input).iter().zip(split(&run.output)) {
            if *before == after {
                continue;
            }
            changed += 1;
            let (before, after) = (
                std::str::from_utf8(before).unwrap(),
                std::str::from_utf8(&after).unwrap(),
            );
            check_lines(before, after, &config);
        }
    }
    // The corpus's JVM workloads (7) and the two examples' workloads at least.
    assert!(changed >= 9, "{changed} documents changed");
}
