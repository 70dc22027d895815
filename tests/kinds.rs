//! The kind table as the user reads it: `--help` and the README name every built-in kind
//! and its pod-template path, and show `spec.workloads` (issue 9).

mod binary;

use pinpoint_inject::config;
use pinpoint_inject::workload::WorkloadKind;

const README: &str = include_str!("../README.md");

/// The README's "Kinds" section.
fn readme_kinds() -> &'static str {
    let start = README
        .find("### Kinds")
        .expect("README has a Kinds section");
    let rest = &README[start..];
    &rest[..rest[4..].find("\n## ").map_or(rest.len(), |i| i + 4)]
}

#[test]
fn readme_names_every_built_in_kind_with_its_path_and_shows_workloads() {
    let section = readme_kinds();
    for kind in WorkloadKind::all() {
        assert!(
            section.contains(kind.name()),
            "README Kinds lacks {}",
            kind.name()
        );
        for path in kind.template_path().split(" or ").filter(|p| !p.is_empty()) {
            assert!(
                section.contains(&format!("`{path}`")),
                "README Kinds lacks the path {path} of {}",
                kind.qualified_name()
            );
        }
        let group = kind.group();
        if !group.is_empty() {
            assert!(
                section.contains(group),
                "README Kinds lacks the group {group}"
            );
        }
    }
    for needle in ["workloads:", "podTemplate:", "apiVersion:", "Kind.group"] {
        assert!(section.contains(needle), "README Kinds lacks {needle:?}");
    }
}

#[test]
fn help_names_every_built_in_kind_workloads_and_every_flat_key() {
    let help = binary::run(&["--help"], b"");
    assert_eq!(help.code, 0);
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
