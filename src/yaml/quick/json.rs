//! A document written as JSON (`kubectl get -o json`, Argo CD plugins, a ResourceList's
//! items as JSON): its value as serde_json reads it, which is how YAML reads JSON, and,
//! from one hand-written pass each ([`lex`]), what the granit-parser path would give:
//! its span tree ([`spans_of`]), the outline of a list ([`outline`]), its head ([`head`]),
//! and the number of its top-level entries ([`check`]). Each gives up (`None`) on
//! anything unusual, and the full path takes over; debug builds check every answer
//! against that path.

mod lex;
mod outline;
#[cfg(test)]
mod tests;
mod top;
mod tree;

use super::Loaded;
use crate::yaml::document::Head;
use crate::yaml::exact::Exact;
use crate::yaml::spans::{self, Kind, Node};

/// The value and span tree of `text` when its content is one JSON object (after blank
/// and comment lines and a `---` line) that writes no key twice; `None` sends it to the
/// full path, which also names a key written twice.
pub fn load_json(text: &str) -> Option<Loaded<'_>> {
    if super::OFF {
        return None;
    }
    let Exact(value) = serde_json::from_str(json_body(text)?).ok()?;
    let root = match spans_of(text) {
        Some(root) => root,
        None => {
            let root = spans::parse(text).ok()?;
            if writes_a_key_twice(&root) {
                return None;
            }
            root
        }
    };
    #[cfg(debug_assertions)]
    super::oracle::agrees_on_value(text, &value);
    Some(Loaded::new(value, root))
}

/// The span tree of the JSON object `text` ([`spans::parse`]'s answer) when no mapping
/// in it writes a key twice.
pub fn spans_of(text: &str) -> Option<Node<'_>> {
    if super::OFF {
        return None;
    }
    let root = tree::spans(text)?;
    #[cfg(debug_assertions)]
    super::oracle::agrees_on_spans(text, &root);
    Some(root)
}

/// The outline of a ResourceList or List written as JSON ([`crate::yaml::outline::read`]'s
/// answer), in one pass that builds no node of the items.
pub fn outline(text: &str) -> Option<crate::yaml::outline::Outline> {
    if super::OFF {
        return None;
    }
    let outline = outline::outline(text)?;
    #[cfg(debug_assertions)]
    assert_eq!(
        crate::yaml::outline::read(text).as_ref(),
        Ok(&outline),
        "the JSON outline disagrees with the full parser on:\n{text}"
    );
    Some(outline)
}

/// The `apiVersion` and `kind` of the JSON object `text` ([`crate::yaml::document::head`]'s
/// answer), in one pass that builds nothing.
pub fn head(text: &str) -> Option<Head> {
    if super::OFF {
        return None;
    }
    let head = top::head(text)?;
    #[cfg(debug_assertions)]
    assert_eq!(
        crate::yaml::document::head(text).as_ref(),
        Ok(&head),
        "the JSON head disagrees with the full parser on:\n{text}"
    );
    Some(head)
}

/// The number of top-level entries of the JSON object `text`, when it writes no key
/// twice ([`crate::yaml::check::top_level_entries`]'s answer), in one pass that builds
/// nothing.
pub fn check(text: &str) -> Option<usize> {
    if super::OFF {
        return None;
    }
    let entries = top::entries(text)?;
    #[cfg(debug_assertions)]
    assert_eq!(
        crate::yaml::check::top_level_entries(text, false),
        Ok(Some(entries)),
        "the JSON check disagrees with the full parser on:\n{text}"
    );
    Some(entries)
}

/// The text from the `{` that starts the content, when nothing but blank lines, comment
/// lines and one `---` line come before it.
fn json_body(text: &str) -> Option<&str> {
    let mut rest = text;
    let mut separator = false;
    loop {
        let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        if trimmed.starts_with('{') {
            return Some(trimmed);
        }
        let line_end = trimmed.find('\n').map_or(trimmed.len(), |i| i + 1);
        let line = trimmed[..line_end].trim_end();
        if line.starts_with('#') || (line == "---" && !separator) {
            separator |= line == "---";
            rest = &trimmed[line_end..];
        } else {
            return None;
        }
    }
}

fn writes_a_key_twice(root: &Node<'_>) -> bool {
    let mut open = vec![root];
    while let Some(node) = open.pop() {
        match node.kind() {
            Kind::Map { entries, .. } => {
                if entries.iter().any(|e| e.shadows) {
                    return true;
                }
                open.extend(entries.iter().map(|e| &e.value));
            }
            Kind::Seq { items, .. } => open.extend(items),
            _ => {}
        }
    }
    false
}
