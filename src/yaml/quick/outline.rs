//! The outline of a ResourceList on the fast path: what [`crate::yaml::outline::read`] gives,
//! from the span tree that [`super::outline`] keeps (the list's entries and items).

use crate::yaml::outline::{Item, Outline, Range, TopEntry, head_span};
use crate::yaml::spans::{Kind, Node};
use serde_saphyr::granit_parser::ScalarStyle;

/// The outline from the kept span tree and the outlined lists' items; `None` where the
/// full parser would place a node elsewhere (the caller then asks it).
pub(super) fn outline_of(
    text: &str,
    root: &Node<'_>,
    mut outlined: Vec<(usize, Option<Vec<Item>>)>,
) -> Option<Outline> {
    let mut outline = Outline {
        entries: Vec::new(),
        items: Vec::new(),
        flow: false,
        flow_items: false,
    };
    for e in root.entries() {
        if ends_unlike(text, &e.value) {
            return None;
        }
        let block = matches!(
            e.value.kind(),
            Kind::Map { flow: false, .. } | Kind::Seq { flow: false, .. }
        );
        if e.key == "items" {
            match e.value.kind() {
                Kind::Seq { flow: false, .. } => {
                    let at = outlined
                        .iter()
                        .position(|(start, _)| *start == e.value.start)?;
                    outline.items = outlined.swap_remove(at).1?;
                }
                Kind::Scalar { .. } => {}
                _ => return None,
            }
        }
        outline.entries.push(TopEntry {
            key: e.key.to_string(),
            key_start: e.key_node.start,
            value: range(&e.value),
            inline: !block,
        });
    }
    Some(outline)
}

fn range(n: &Node<'_>) -> Range {
    Range {
        start: n.start,
        end: n.end,
        line: n.line,
    }
}

/// The full parser places these elsewhere (an empty value, a block scalar's content).
fn unlike(n: &Node<'_>) -> bool {
    matches!(
        n.kind(),
        Kind::Scalar { empty: true, .. }
            | Kind::Scalar {
                style: ScalarStyle::Literal | ScalarStyle::Folded,
                ..
            }
    )
}

/// True when `n` is one the full parser places elsewhere, or when its text ends with an
/// empty value (`spec:` or `-` with nothing after it, at any depth): a block collection
/// that ends so ends after that line's newline for the full parser, before it here. (The
/// spans below an item are not kept, so the text says it; a plain scalar that merely ends
/// in `:` or is `-` cannot end a block node.)
fn ends_unlike(text: &str, n: &Node<'_>) -> bool {
    if unlike(n) {
        return true;
    }
    if n.is_flow() || matches!(n.kind(), Kind::Scalar { .. }) {
        return false;
    }
    let last_line = text
        .get(n.start..n.end)
        .and_then(|t| t.trim_end().rsplit('\n').next())
        .unwrap_or_default()
        .trim();
    last_line.ends_with(':') || last_line == "-" || last_line.ends_with(" -")
}

/// An item of an outlined list, with its own `apiVersion` and `kind` when they are plain
/// scalars or quoted ones without escapes ([`crate::yaml::outline::head_span`]); `None`
/// for an item the full parser places elsewhere, or one whose `apiVersion` or `kind` is
/// empty.
pub(super) fn item_of(text: &str, item: &Node<'_>) -> Option<Item> {
    if ends_unlike(text, item) {
        return None;
    }
    let mut found = Item {
        range: range(item),
        api_version: None,
        kind: None,
    };
    for e in item.entries() {
        let slot = match e.key.as_ref() {
            "apiVersion" => &mut found.api_version,
            "kind" => &mut found.kind,
            _ => continue,
        };
        match e.value.kind() {
            Kind::Scalar { empty: true, .. } => return None,
            Kind::Scalar { style, .. } => {
                // One-line scalars (the fast path reads no other quoted ones): the text
                // between the quotes is the value when it holds no escape.
                let (start, end) = (e.value.start, e.value.end);
                let inner = text.get(start + 1..end.saturating_sub(1)).unwrap_or("");
                let value = match style {
                    ScalarStyle::Plain => &text[start..end],
                    ScalarStyle::DoubleQuoted if !inner.contains('\\') => inner,
                    ScalarStyle::SingleQuoted if !inner.contains('\'') => inner,
                    _ => continue,
                };
                if let Some(span) = head_span(text, (start, end), *style, value) {
                    *slot = Some(span);
                }
            }
            _ => {}
        }
    }
    Some(found)
}
