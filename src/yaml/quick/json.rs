//! A document written as JSON (`kubectl get -o json`, Argo CD plugins, a ResourceList's
//! items as JSON): its value as serde_json reads it, which is how YAML reads JSON, and its
//! span tree from granit-parser: one pass each, where the full path took three (the
//! well-formedness check, serde-saphyr, the spans).

use super::Loaded;
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
    let root = spans::parse(text).ok()?;
    if writes_a_key_twice(&root) {
        return None;
    }
    #[cfg(debug_assertions)]
    super::oracle::agrees_on_value(text, &value);
    Some(Loaded { value, root })
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
        match &node.kind {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_documents_are_read_in_two_passes_and_the_rest_is_left() {
        let text = "---\n# Source: c/t.yaml\n{\"kind\": \"Pod\", \"spec\": {\"containers\": [{\"name\": \"a\"}]}}\n";
        let loaded = load_json(text).unwrap();
        assert_eq!(loaded.value["spec"]["containers"][0]["name"], "a");
        assert_eq!(loaded.root.entries().len(), 2);
        for not in [
            "kind: Pod\n",
            "--- {\"kind\": \"Pod\"}\n",
            "{\"kind\": \"Pod\", \"kind\": \"Job\"}\n",
            "{\"kind\": \"Pod\"} # a comment\n",
            "%YAML 1.1\n---\n{\"kind\": \"Pod\"}\n",
            "{kind: Pod}\n",
        ] {
            assert!(load_json(not).is_none(), "{not}");
        }
    }
}
