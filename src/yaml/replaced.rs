//! What the core edited in a resource, and where: the pod templates it rewired (or
//! unwired), in place. The edits to the text are the differences inside those templates
//! only, between what their text reads as (the fingerprints of the span tree) and what
//! they hold now: the rest of the document is the same by construction, and nothing of
//! it is copied to be compared.

use crate::yaml::diff::{self, Edit, Unlocated};
use crate::yaml::spans::Node;
use serde_json::Value;

/// One step from a document's root towards a value inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The entry with this key (a pod template path's keys are static).
    Key(&'static str),
    /// This item of a `v1 List`'s `items`.
    Item(usize),
}

/// A value the core edited in place: where it is (what it was is what the text there
/// reads as, the fingerprints of its span tree).
#[derive(Debug, Clone, PartialEq)]
pub struct Replaced {
    pub at: Vec<Step>,
}

impl Replaced {
    /// The value at the dot path `path` (a workload's pod template path).
    pub fn at_path(path: &'static str) -> Replaced {
        Replaced {
            at: path
                .split('.')
                .filter(|k| !k.is_empty())
                .map(Step::Key)
                .collect(),
        }
    }

    /// The same, inside item `index` of a List.
    pub fn in_item(mut self, index: usize) -> Replaced {
        self.at.insert(0, Step::Item(index));
        self
    }
}

/// The edits that turn each replaced value, read from the text `root` describes, into
/// what `new` holds at its place.
pub fn diff<'a>(
    new: &'a Value,
    root: &'a Node<'a>,
    replaced: &[Replaced],
) -> Result<Vec<Edit<'a>>, Unlocated> {
    let mut edits = Vec::new();
    for part in replaced {
        let (value, node) = walk(new, root, &part.at)?;
        if !diff::diff_node(value, node, None, &mut edits)? {
            return Err(Unlocated(format!(
                "line {}: the pod template changed as a whole",
                node.line
            )));
        }
    }
    Ok(edits)
}

/// The value and the node at `at`. Every node on the way is one the edit could be
/// placed through: not an anchor, alias, tag or merge key, and a mapping whose text has
/// as many entries as its value (what [`diff::diff_node`] asks of the nodes it enters).
fn walk<'v, 'a>(
    mut value: &'v Value,
    mut node: &'a Node<'a>,
    at: &[Step],
) -> Result<(&'v Value, &'a Node<'a>), Unlocated> {
    let lost = |node: &Node<'_>, why: &str| Unlocated(format!("line {}: {why}", node.line));
    for step in at {
        if node.special {
            return Err(lost(
                node,
                "an anchor, alias, tag or merge key is where the change goes",
            ));
        }
        let (key, index) = match step {
            Step::Key(key) => (*key, None),
            Step::Item(index) => ("items", Some(*index)),
        };
        let map = value
            .as_object()
            .ok_or_else(|| lost(node, "not a mapping"))?;
        if map.len() != node.entries().len() {
            return Err(lost(node, "the mapping's text and value differ"));
        }
        let entry = node
            .entries()
            .iter()
            .find(|e| e.key == key)
            .ok_or_else(|| lost(node, &format!("key {key:?} not found")))?;
        value = map.get(key).expect("the entry counts agree");
        node = &entry.value;
        if let Some(index) = index {
            if node.special {
                return Err(lost(node, "an anchor, alias or tag is on the items"));
            }
            let (Some(item), Some(item_node)) = (
                value.as_array().and_then(|items| items.get(index)),
                node.items().get(index),
            ) else {
                return Err(lost(node, &format!("item {index} not found")));
            };
            value = item;
            node = item_node;
        }
    }
    Ok((value, node))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::spans;
    use crate::yaml::value as yaml;
    use serde_json::json;

    /// The span tree of `text`, fingerprinted.
    fn read(text: &str) -> Node<'_> {
        let mut root = spans::parse(text).unwrap();
        let value: Value = yaml::from_str(text).unwrap();
        crate::yaml::fingerprint::fingerprint(&mut root, &value);
        root
    }

    fn edits(text: &str, new: &Value, replaced: &[Replaced]) -> Result<usize, Unlocated> {
        let root = read(text);
        diff(new, &root, replaced).map(|e| e.len())
    }

    #[test]
    fn only_the_replaced_part_is_compared() {
        let text = "kind: L\nspec:\n  template:\n    a: 1\n  other: 2\n";
        // `other` differs in `new` too, but it was not replaced: no edit for it.
        let new = json!({"kind": "L", "spec": {"template": {"a": 1, "b": 2}, "other": 3}});
        let replaced = [Replaced::at_path("spec.template")];
        assert_eq!(edits(text, &new, &replaced), Ok(1));
    }

    #[test]
    fn list_items_are_reached_by_index() {
        let text = "kind: List\nitems:\n- spec: {t: {a: 1}}\n- spec: {t: {a: 1}}\n";
        let mut new: Value = yaml::from_str(text).unwrap();
        new["items"][1]["spec"]["t"]["b"] = json!(2);
        let replaced = [Replaced::at_path("spec.t").in_item(1)];
        let root = read(text);
        let found = diff(&new, &root, &replaced).unwrap();
        assert!(matches!(found[..], [Edit::InsertEntry { map, .. }] if map.line == 4));
    }

    #[test]
    fn an_anchor_on_the_way_is_refused() {
        let text = "spec: &s\n  template:\n    a: 1\n";
        let new = json!({"spec": {"template": {"a": 2}}});
        let replaced = [Replaced::at_path("spec.template")];
        let got = edits(text, &new, &replaced).unwrap_err();
        assert!(got.0.contains("anchor"), "{got:?}");
    }

    #[test]
    fn a_template_replaced_by_a_scalar_is_unlocated() {
        let text = "spec:\n  template: {a: 1}\n";
        let new = json!({"spec": {"template": 5}});
        let replaced = [Replaced::at_path("spec.template")];
        assert!(edits(text, &new, &replaced).is_err());
    }
}
