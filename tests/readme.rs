//! The README's before/after example is what the tool really does, and its first
//! command works.

mod common;

use pinpoint_inject::yaml;
use serde_json::Value;

const README: &str = include_str!("../README.md");

/// The YAML block that follows the first line starting with `marker`.
fn block_after(marker: &str) -> &'static str {
    let start = README
        .find(marker)
        .unwrap_or_else(|| panic!("README has no {marker:?}"));
    let rest = &README[start..];
    let open = rest.find("```yaml\n").unwrap() + "```yaml\n".len();
    let close = rest[open..].find("```").unwrap();
    &rest[open..open + close]
}

#[test]
fn readme_before_and_after_match_the_tool() {
    let before = block_after("Before:");
    let after: Value = yaml::from_str(block_after("After `pinpoint-inject")).unwrap();
    let out = common::inject(
        &[
            "--config",
            concat!(env!("CARGO_MANIFEST_DIR"), "/function-config/example.yaml"),
        ],
        before.as_bytes(),
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let produced: Value = yaml::from_str(out.stdout_text()).unwrap();
    assert_eq!(produced, after);
}

#[test]
fn help_documents_both_modes_and_the_config_and_version_works() {
    let help = common::inject(&["--help"], b"");
    assert_eq!(help.code, Some(0));
    let text = help.stdout_text();
    for needle in [
        "KRM function",
        "Stream",
        "PINPOINT_INJECT_CONFIG",
        pinpoint_inject::run::stream::THREADS_ENV,
        pinpoint_inject::run::limits::MAX_DOCUMENT_ENV,
        &format!(
            "(default {}",
            pinpoint_inject::run::limits::size(pinpoint_inject::run::limits::DEFAULT_MAX_DOCUMENT)
                .replace(' ', "")
        ),
        "collector:",
        "applicationName",
        "collectorHost",
    ] {
        assert!(text.contains(needle), "--help lacks {needle:?}");
    }
    let version = common::inject(&["--version"], b"");
    assert_eq!(
        version.stdout_text().trim(),
        format!("pinpoint-inject {}", env!("CARGO_PKG_VERSION"))
    );
}
