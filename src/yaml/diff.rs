//! What changed between a document's text and the value the core made of it, as a
//! short list of [`Edit`]s located in the document's span tree (whose nodes carry the
//! fingerprints of what they read as, [`crate::yaml::fingerprint`]): insert a mapping
//! entry or a sequence item, replace a value, remove an entry or an item. Mappings are
//! compared by key; sequences keep the elements that are equal (in order), pair the
//! rest by their `name` field (Kubernetes' merge key for containers, env, volumes and
//! mounts) and insert or remove what is left.

use crate::yaml::fingerprint::{hash_string, hash_value};
use crate::yaml::spans::{Kind, Node};
use serde_json::{Map, Value};
use serde_saphyr::granit_parser::ScalarStyle;
use std::collections::HashMap;

mod align;
use align::align_hashed;

/// One change to the text, located by the node it applies to.
#[derive(Debug, Clone)]
pub enum Edit<'a> {
    /// A new `key: value` entry in `map`, after entry `after` (`None`: first).
    InsertEntry {
        map: &'a Node<'a>,
        after: Option<usize>,
        key: String,
        value: &'a Value,
    },
    /// A new item in `seq`, before item `before` (`None`: at the end).
    InsertItem {
        seq: &'a Node<'a>,
        before: Option<usize>,
        value: &'a Value,
    },
    /// A new value for entry `entry` of `map`.
    ReplaceValue {
        map: &'a Node<'a>,
        entry: usize,
        value: &'a Value,
    },
    /// A new value for item `index` of `seq`.
    ReplaceItem {
        seq: &'a Node<'a>,
        index: usize,
        value: &'a Value,
    },
    RemoveEntry {
        map: &'a Node<'a>,
        entry: usize,
    },
    RemoveItem {
        seq: &'a Node<'a>,
        index: usize,
    },
    /// Text added at the end of a `|-` or `>-` block scalar's last line (the options
    /// variable's reference after the user's own folded value).
    AppendToScalar {
        scalar: &'a Node<'a>,
        text: String,
    },
}

/// Why a change cannot be located in the text (the caller re-emits instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unlocated(pub String);

/// The edits that turn the text `root` describes into text that reads as `new`. `root`
/// carries the fingerprints of what its nodes read as ([`fingerprint`]), which `new`
/// is compared with.
pub fn diff<'a>(new: &'a Value, root: &'a Node<'a>) -> Result<Vec<Edit<'a>>, Unlocated> {
    let mut edits = Vec::new();
    if !diff_node(new, root, None, &mut edits)? {
        return Err(Unlocated("the whole document changed".into()));
    }
    Ok(edits)
}

/// Diff inside `node`; `Ok(false)` when the node must be replaced as a whole (its type
/// changed, a scalar changed, or a collection became empty).
pub(crate) fn diff_node<'a>(
    new: &'a Value,
    node: &'a Node<'a>,
    hash: Option<u64>,
    edits: &mut Vec<Edit<'a>>,
) -> Result<bool, Unlocated> {
    if same(new, node, hash) {
        return Ok(true);
    }
    if node.special {
        return Err(Unlocated(format!(
            "line {}: an anchor, alias, tag or merge key is where the change goes",
            node.line
        )));
    }
    match (new, node.kind()) {
        // A flow mapping keeps its braces when its last entries go (`{a: b}` to `{}`,
        // where the user wrote `{}` before a run added to it).
        (Value::Object(n), Kind::Map { .. }) if !n.is_empty() || node.is_flow() => {
            diff_map(n, node, edits)?;
            Ok(true)
        }
        (Value::Array(n), Kind::Seq { .. }) if !n.is_empty() => diff_seq(n, node, edits),
        (
            Value::String(n),
            Kind::Scalar {
                style: ScalarStyle::Literal | ScalarStyle::Folded,
                ..
            },
        ) => match appended(n, node.hash) {
            Some(at) => {
                edits.push(Edit::AppendToScalar {
                    scalar: node,
                    text: n[at..].to_string(),
                });
                Ok(true)
            }
            None => Ok(false),
        },
        _ => Ok(false),
    }
}

/// Whether `new` is what `node` reads as: a mapping or list of another length is not
/// (no need to hash it); otherwise by fingerprint (`hash`, when it is known already).
fn same(new: &Value, node: &Node<'_>, hash: Option<u64>) -> bool {
    let other_length = match (new, &node.shape) {
        (Value::Object(n), Kind::Map { entries, .. }) => n.len() != entries.len(),
        (Value::Array(n), Kind::Seq { items, .. }) => n.len() != items.len(),
        _ => false,
    };
    if other_length && !node.special {
        return false; // the text of a special node may not mirror its value
    }
    node.hash == hash.unwrap_or_else(|| hash_value(new))
}

/// Where `new` goes on from the block scalar it was (whose fingerprint is `old`): a
/// space on its last line, after a part that is the old value (not empty, not ending in
/// a line break). The last few spaces are tried (what the wiring appends to a user's
/// folded value, a space and the options variable's reference, has none of its own).
fn appended(new: &str, old: u64) -> Option<usize> {
    let last_line = new.rfind('\n').map_or(0, |i| i + 1);
    new[last_line..]
        .rmatch_indices(' ')
        .take(4)
        .map(|(i, _)| last_line + i)
        .find(|&at| {
            let before = &new[..at];
            !before.is_empty() && !before.ends_with('\n') && hash_string(before) == old
        })
}

/// Where each key of a mapping's text is: a scan for a few keys, an index for many (a
/// scan for each of many keys would be quadratic).
struct Keys<'n, 'a> {
    node: &'n Node<'a>,
    index: Option<HashMap<&'n str, usize>>,
}

impl<'n, 'a> Keys<'n, 'a> {
    fn of(node: &'n Node<'a>) -> Self {
        let entries = node.entries();
        let index = (entries.len() > 16).then(|| {
            let mut index = HashMap::with_capacity(entries.len());
            for (i, e) in entries.iter().enumerate() {
                index.entry(e.key.as_ref()).or_insert(i);
            }
            index
        });
        Keys { node, index }
    }

    fn get(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.node.entries().iter().position(|e| e.key == key),
        }
    }
}

fn diff_map<'a>(
    new: &'a Map<String, Value>,
    node: &'a Node<'a>,
    edits: &mut Vec<Edit<'a>>,
) -> Result<(), Unlocated> {
    let keys = Keys::of(node);
    for (entry, e) in node.entries().iter().enumerate() {
        if !new.contains_key(e.key.as_ref()) {
            edits.push(Edit::RemoveEntry { map: node, entry });
        }
    }
    let mut after = None;
    for (key, value) in new {
        match keys.get(key) {
            Some(entry) => {
                let child = &node.entries()[entry].value;
                if !diff_node(value, child, None, edits)? {
                    edits.push(Edit::ReplaceValue {
                        map: node,
                        entry,
                        value,
                    });
                }
                after = Some(entry);
            }
            None => edits.push(Edit::InsertEntry {
                map: node,
                after,
                key: key.clone(),
                value,
            }),
        }
    }
    Ok(())
}

fn diff_seq<'a>(
    new: &'a [Value],
    node: &'a Node<'a>,
    edits: &mut Vec<Edit<'a>>,
) -> Result<bool, Unlocated> {
    let old = node.items();
    let (pairs, hashes) = align_hashed(old, new);
    let mut kept = vec![false; old.len()];
    let mut last = None;
    for &i in pairs.iter().flatten() {
        if last.is_some_and(|l| l > i) {
            return Err(Unlocated(format!(
                "line {}: the sequence was reordered",
                node.line
            )));
        }
        kept[i] = true;
        last = Some(i);
    }
    // A flow sequence that keeps none of its items is written anew, as a whole: its
    // items cut and new ones added after them would start with the `, ` of a list that
    // had items before them.
    if node.is_flow() && !old.is_empty() && !kept.contains(&true) {
        return Ok(false);
    }
    for index in (0..old.len()).filter(|&i| !kept[i]) {
        edits.push(Edit::RemoveItem { seq: node, index });
    }
    // For each new element, the old element the next kept one continues (where an
    // inserted one goes).
    let mut next_kept = vec![None; new.len()];
    let mut after = None;
    for j in (0..new.len()).rev() {
        next_kept[j] = after;
        if pairs[j].is_some() {
            after = pairs[j];
        }
    }
    for (j, value) in new.iter().enumerate() {
        match pairs[j] {
            Some(index) => {
                if !diff_node(value, &old[index], Some(hashes[j]), edits)? {
                    edits.push(Edit::ReplaceItem {
                        seq: node,
                        index,
                        value,
                    });
                }
            }
            None => edits.push(Edit::InsertItem {
                seq: node,
                before: next_kept[j],
                value,
            }),
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::spans;
    use serde_json::json;

    fn summary(text: &str, new: Value) -> Vec<String> {
        let old: Value = crate::yaml::value::from_str(text).unwrap();
        let mut root = spans::parse(text).unwrap();
        crate::yaml::fingerprint::fingerprint(&mut root, &old);
        diff(&new, &root)
            .unwrap()
            .iter()
            .map(|e| match e {
                Edit::InsertEntry { after, key, .. } => format!("insert {key} after {after:?}"),
                Edit::InsertItem { before, value, .. } => format!("item {value} before {before:?}"),
                Edit::ReplaceValue { entry, value, .. } => format!("entry {entry} = {value}"),
                Edit::ReplaceItem { index, value, .. } => format!("item {index} = {value}"),
                Edit::RemoveEntry { entry, .. } => format!("remove entry {entry}"),
                Edit::RemoveItem { index, .. } => format!("remove item {index}"),
                Edit::AppendToScalar { text, .. } => format!("append {text:?}"),
            })
            .collect()
    }

    #[test]
    fn a_moved_configmap_source_keeps_its_lines_under_a_new_name() {
        let text = "env:\n- name: J\n  valueFrom:\n    configMapKeyRef: {name: jvm, key: o}\n";
        let from = json!({"configMapKeyRef": {"name": "jvm", "key": "o"}});
        let new = json!({"env": [
            {"name": "ORIGINAL_J", "valueFrom": from},
            {"name": "J", "value": "$(ORIGINAL_J) -javaagent"}
        ]});
        assert_eq!(
            summary(text, new),
            [
                "entry 0 = \"ORIGINAL_J\"",
                r#"item {"name":"J","value":"$(ORIGINAL_J) -javaagent"} before None"#
            ]
        );
    }

    #[test]
    fn env_gets_entries_in_front_and_a_new_value() {
        let text = "env:\n- name: J\n  value: x\n- name: K\n  value: z\n";
        let new = json!({"env": [{"name": "P", "value": "p"}, {"name": "J", "value": "x $(P)"}, {"name": "K", "value": "z"}]});
        assert_eq!(
            summary(text, new),
            [
                "item {\"name\":\"P\",\"value\":\"p\"} before Some(0)",
                "entry 1 = \"x $(P)\""
            ]
        );
    }

    #[test]
    fn keys_are_added_removed_and_replaced() {
        // A flow mapping that loses its entries keeps its braces; a block one that
        // becomes empty is written anew.
        let text = "a: 1\nb: {c: 2}\nd: [1]\nf:\n  g: 4\n";
        let new = json!({"a": 1, "b": {}, "e": 3, "f": {}});
        assert_eq!(
            summary(text, new),
            [
                "remove entry 2",
                "remove entry 0",
                "insert e after Some(1)",
                "entry 3 = {}"
            ]
        );
    }

    #[test]
    fn aliases_are_not_edited() {
        let text = "a: &x {b: 1}\nc: *x\n";
        let old: Value = crate::yaml::value::from_str(text).unwrap();
        let mut root = spans::parse(text).unwrap();
        crate::yaml::fingerprint::fingerprint(&mut root, &old);
        assert!(diff(&json!({"a": {"b": 1}, "c": {"b": 2}}), &root).is_err());
    }
}
