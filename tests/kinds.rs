//! The kind table as the user reads it: `--help` and the Kinds page (`docs/kinds.md`)
//! name every built-in kind and its pod-template path, and show `spec.workloads`
//! (issue 9).

mod common;

use pinpoint_inject::config;
use pinpoint_inject::knowledge::kinds::WorkloadKind;

/// The Kinds page, which holds what was the README's "Kinds" section.
const KINDS_PAGE: &str = include_str!("../docs/kinds.md");

/// The Kinds page, from its title: the whole page is about kinds.
fn kinds_page() -> &'static str {
    assert!(
        KINDS_PAGE.starts_with("# Kinds\n"),
        "docs/kinds.md does not open with its \"# Kinds\" title"
    );
    KINDS_PAGE
}

#[test]
fn kinds_page_names_every_built_in_kind_with_its_path_and_shows_workloads() {
    let section = kinds_page();
    for kind in WorkloadKind::all() {
        assert!(
            section.contains(kind.name()),
            "docs/kinds.md lacks {}",
            kind.name()
        );
        for path in kind.template_path().split(" or ").filter(|p| !p.is_empty()) {
            assert!(
                section.contains(&format!("`{path}`")),
                "docs/kinds.md lacks the path {path} of {}",
                kind.qualified_name()
            );
        }
        let group = kind.group();
        if !group.is_empty() {
            assert!(
                section.contains(group),
                "docs/kinds.md lacks the group {group}"
            );
        }
    }
    for needle in ["workloads:", "podTemplate:", "apiVersion:", "Kind.group"] {
        assert!(section.contains(needle), "docs/kinds.md lacks {needle:?}");
    }
}

#[test]
fn help_names_every_built_in_kind_workloads_and_every_flat_key() {
    let help = common::inject(&["--help"], b"");
    assert_eq!(help.code, Some(0));
    let text = help.stdout_text();
    for kind in WorkloadKind::all() {
        assert!(text.contains(kind.name()), "--help lacks {}", kind.name());
    }
    for needle in [
        "workloads:",
        "podTemplate:",
        "spec.workloadRef",
        "Kind.group",
    ] {
        assert!(text.contains(needle), "--help lacks {needle:?}");
    }
    for key in config::flat_key_names() {
        assert!(text.contains(key), "--help lacks the flat key {key}");
    }
}

/// A 17 MiB document of another kind that mentions `containers` is parsed only to look
/// for a pod template; over the parse limit it passes through untouched, with no error.
#[test]
fn a_huge_document_of_another_kind_passes_through_without_an_error() {
    let mut doc = String::from(
        "apiVersion: example.com/v1\nkind: Gizmo\nmetadata:\n  name: big\ndata:\n  containers: none\n",
    );
    let line = format!("  k{}: {}\n", 0, "x".repeat(1000));
    while doc.len() < 17 << 20 {
        doc.push_str(&line.replace("k0", &format!("k{}", doc.len())));
    }
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/config.yaml");
    let out = common::inject(&["--config", config], doc.as_bytes());
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    assert!(out.stdout == doc.as_bytes(), "the document changed");
}

/// In stream mode a kind that is only in spec.workloads is found from the document's
/// head (it is not a built-in kind name), in flow style too.
#[test]
fn a_configured_kind_in_flow_style_is_wired_in_stream_mode() {
    let dir = std::env::temp_dir().join(format!("pinpoint-kinds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.yaml");
    std::fs::write(
        &config,
        "apiVersion: pinpoint-inject.dev/v1alpha1\nkind: PinpointInjector\nmetadata: {name: x}\nspec:\n  collector: {host: collector}\n  agent: {image: agent:1}\n  workloads: [{apiVersion: example.com/v1, kind: Widget, podTemplate: spec.t}]\n",
    )
    .unwrap();
    let input = b"{apiVersion: example.com/v1, kind: Widget, metadata: {name: w}, spec: {t: {spec: {containers: [{name: app, image: app:1}]}}}}\n";
    let out = common::inject(&["--config", config.to_str().unwrap()], input);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stderr.contains("Widget w: injected: app as w"),
        "{}",
        out.stderr
    );
    assert!(out.stdout_text().contains("pinpoint-inject.dev/injected"));
    // Without a pod template (and without the word that makes any document worth a look)
    // it is an error, as for a built-in kind and as in KRM mode.
    let input = b"{apiVersion: example.com/v1, kind: Widget, metadata: {name: w}, spec: {}}\n";
    let out = common::inject(&["--config", config.to_str().unwrap()], input);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("Widget w: has no pod template at spec.t"),
        "{}",
        out.stderr
    );
}
