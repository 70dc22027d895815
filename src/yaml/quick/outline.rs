//! The outline of a ResourceList on the fast path: what [`crate::yaml::outline::read`] gives,
//! from the span tree that [`super::outline`] keeps (the list's entries and items).

use crate::yaml::outline::{Outline, Range, TopEntry};
use crate::yaml::spans::{Kind, Node};
use serde_saphyr::granit_parser::ScalarStyle;

/// The outline from the kept span tree and the items' heads; `None` where the full
/// parser would place a node elsewhere (the caller then asks it).
pub(super) fn outline_of(
    root: &Node<'_>,
    heads: Vec<Option<(Option<String>, Option<String>)>>,
) -> Option<Outline> {
    let range = |n: &Node<'_>| Range {
        start: n.start,
        end: n.end,
        line: n.line,
    };
    // The full parser places these elsewhere (an empty value, a block scalar's content).
    let unlike = |n: &Node<'_>| {
        matches!(
            n.kind,
            Kind::Scalar { empty: true, .. }
                | Kind::Scalar {
                    style: ScalarStyle::Literal | ScalarStyle::Folded,
                    ..
                }
        )
    };
    let mut outline = Outline {
        entries: Vec::new(),
        items: Vec::new(),
        heads: Vec::new(),
    };
    for e in root.entries() {
        if unlike(&e.value) {
            return None;
        }
        let block = matches!(
            e.value.kind,
            Kind::Map { flow: false, .. } | Kind::Seq { flow: false, .. }
        );
        if e.key == "items" {
            match &e.value.kind {
                Kind::Seq { flow: false, items } if items.len() == heads.len() => {
                    for item in items {
                        if unlike(item) {
                            return None;
                        }
                        outline.items.push(range(item));
                    }
                    outline.heads = heads.iter().cloned().collect::<Option<_>>()?;
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

/// An item's own `apiVersion` and `kind`, when they are plain scalars.
pub(super) fn head(text: &str, item: &Node<'_>) -> Option<(Option<String>, Option<String>)> {
    let mut head = (None, None);
    for e in item.entries() {
        let slot = match e.key.as_ref() {
            "apiVersion" => &mut head.0,
            "kind" => &mut head.1,
            _ => continue,
        };
        match e.value.kind {
            Kind::Scalar { empty: true, .. } => return None,
            Kind::Scalar {
                style: ScalarStyle::Plain,
                ..
            } => {
                *slot = Some(text[e.value.start..e.value.end].to_string());
            }
            _ => {}
        }
    }
    Some(head)
}
