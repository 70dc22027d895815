//! Debug builds only: the fast path's answer must be the full parser's, exactly (a
//! disagreement is a bug in the fast path, so it panics, naming the nodes that differ).

use crate::yaml::spans::{Kind, Node};
use serde_json::Value;

/// The full parser's reading of `text`, which the fast path must match exactly.
pub(super) fn agrees_with_full_parser(text: &str, fast_value: &Value, fast_root: &Node<'_>) {
    agrees_on_value(text, fast_value);
    agrees_on_spans(text, fast_root);
}

/// The span tree alone.
pub(super) fn agrees_on_spans(text: &str, fast_root: &Node<'_>) {
    if unchecked(text) {
        return;
    }
    let root = crate::yaml::spans::parse(text);
    if !root.as_ref().is_ok_and(|r| r == fast_root) {
        let full = root.as_ref().map(|r| node_lines(r, "")).unwrap_or_default();
        let fast = node_lines(fast_root, "");
        let diff: Vec<String> = full
            .iter()
            .zip(&fast)
            .filter(|(a, b)| a != b)
            .map(|(a, b)| format!("full: {a}\nfast: {b}"))
            .collect();
        panic!(
            "the fast path's spans disagree with the full parser ({:?}) on:\n{text}\n{}",
            root.err(),
            diff.join("\n")
        );
    }
}

/// The value alone (a read without spans).
pub(super) fn agrees_on_value(text: &str, fast_value: &Value) {
    if unchecked(text) {
        return;
    }
    let value = crate::yaml::value::from_str::<Value>(text);
    assert!(
        value.as_ref().is_ok_and(|v| v == fast_value),
        "the fast path's value disagrees with the full parser ({value:?}, fast: {:?}) on:\n{text}",
        fast_value
    );
}

/// A text the full parser refuses and go-yaml reads (`\'` in double quotes): the fast
/// path's reading is go-yaml's, and there is nothing to check it against.
pub(super) fn unchecked(text: &str) -> bool {
    text.contains(crate::yaml::scalars::GO_ONLY_ESCAPE)
        && crate::yaml::value::from_str::<Value>(text).is_err()
}

/// One line per node: where it is and what it is, for a readable disagreement.
fn node_lines(node: &Node<'_>, path: &str) -> Vec<String> {
    let kind = match node.kind() {
        Kind::Scalar { style, empty } => format!("{style:?}{}", if *empty { " empty" } else { "" }),
        Kind::Map { flow, entries } => format!("map flow={flow} n={}", entries.len()),
        Kind::Seq { flow, items } => format!("seq flow={flow} n={}", items.len()),
        Kind::Alias => "alias".into(),
        Kind::Shallow { .. } => unreachable!("`kind` reads a shallow node again"),
    };
    let mut lines = vec![format!(
        "{path} {kind} {}..{} col {} line {} special {}",
        node.start, node.end, node.col, node.line, node.special
    )];
    for e in node.entries() {
        lines.extend(node_lines(&e.key_node, &format!("{path}/{}(key)", e.key)));
        lines.extend(node_lines(&e.value, &format!("{path}/{}", e.key)));
    }
    for (i, item) in node.items().iter().enumerate() {
        lines.extend(node_lines(item, &format!("{path}/{i}")));
    }
    lines
}
