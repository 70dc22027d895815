//! A `%YAML` directive, kubectl and the tool compared.

use super::super::common::{Limits, have_kubectl, kubectl_read, repo, run_bin};

/// A `%YAML 1.1` (and a `%TAG`) directive before a document: valid YAML that says what
/// the tool reads anyway. kubectl's stream splitter cuts the directives from their
/// document at its `---` and refuses the piece; the API server (one document per
/// request, go-yaml) reads the document as written, and so does the tool: it writes the
/// directives back and edits the document exactly as it edits it without them.
#[test]
fn a_directive_is_read_and_written_back() {
    let doc = std::fs::read_to_string(repo().join("examples/seed-tomcat/deployment.yaml")).unwrap();
    let prologue = "%YAML 1.1\n%TAG !e! tag:example.com,2000:\n---\n";
    let directed = format!("{prologue}{doc}");
    let config = repo().join("tests/oracle/config-default.yaml");
    let config = config.to_str().unwrap();
    let plain = run_bin(&["--config", config], doc.as_bytes(), Limits::default());
    let run = run_bin(
        &["--config", config],
        directed.as_bytes(),
        Limits::default(),
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.starts_with(prologue.as_bytes()));
    assert_eq!(&run.stdout[prologue.len()..], &plain.stdout[..]);
    assert!(run.stderr.contains(": injected: "), "{}", run.stderr);
    if have_kubectl() {
        let refused = kubectl_read(directed.as_bytes()).unwrap_err();
        assert!(
            refused.contains("did not find expected <document start>"),
            "{refused}"
        );
    }
}
