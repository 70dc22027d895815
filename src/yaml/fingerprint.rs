//! Fingerprints of values: a 64-bit hash that agrees with equality (a mapping's does not
//! depend on its key order, as `serde_json`'s map equality ignores it), made of its
//! children's, so that the span tree of a document can carry each node's fingerprint
//! from one pass over its value ([`fingerprint`]). The diff then compares what the core
//! made with the text's nodes by fingerprint, and the pod template is edited in place
//! instead of being copied to be compared with.
//!
//! The hashes are foldhash's quality variant, seeded at random once per process: an
//! input cannot be written to make two different values share a fingerprint without
//! knowing the seed, and otherwise they share one with a probability of about 2^-64
//! per comparison. (std's SipHash made a stream of small workloads a fifth slower.)

use crate::value::Field;
use crate::yaml::spans::{Kind, Node};
use foldhash::quality::RandomState;
use serde_json::{Map, Value};
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::OnceLock;

fn keys() -> &'static RandomState {
    static KEYS: OnceLock<RandomState> = OnceLock::new();
    KEYS.get_or_init(RandomState::default)
}

fn one(item: impl Hash) -> u64 {
    keys().hash_one(item)
}

/// The fingerprint of a value.
pub fn hash_value(value: &Value) -> u64 {
    match value {
        Value::Null => one(0u8),
        Value::Bool(b) => one((1u8, b)),
        Value::Number(n) => {
            // The same variants compare equal: an integer as itself, a float by its bits.
            if let Some(u) = n.as_u64() {
                one((2u8, 0u8, u))
            } else if let Some(i) = n.as_i64() {
                one((2u8, 1u8, i))
            } else {
                // `-0.0 == 0.0`: both hash as 0.0.
                let f = n.as_f64().map(|f| if f == 0.0 { 0.0 } else { f });
                one((2u8, 2u8, f.map(f64::to_bits)))
            }
        }
        Value::String(s) => string(s),
        Value::Array(items) => list(items.iter().map(hash_value), items.len()),
        Value::Object(map) => mapping(map.iter().map(|(k, v)| entry(k, hash_value(v))), map.len()),
    }
}

fn string(s: &str) -> u64 {
    one((3u8, s))
}

fn list(items: impl Iterator<Item = u64>, len: usize) -> u64 {
    let mut h = keys().build_hasher();
    (4u8, len).hash(&mut h);
    items.for_each(|item| h.write_u64(item));
    h.finish()
}

/// One entry of a mapping, from its value's fingerprint.
fn entry(key: &str, value: u64) -> u64 {
    one((key, value))
}

/// A mapping from its entries' fingerprints, in any order: they are added up.
fn mapping(entries: impl Iterator<Item = u64>, len: usize) -> u64 {
    let sum = entries.fold(0u64, u64::wrapping_add);
    one((5u8, len, sum))
}

/// The fingerprint of a mapping with a string `name` and something else, leaving the
/// name out (`None` for anything else): a renamed element hashes as it did before.
pub fn hash_without_name(value: &Value) -> Option<u64> {
    let map = value.as_object()?;
    if map.len() < 2 || !map.get("name").is_some_and(Value::is_string) {
        return None;
    }
    Some(without_name(map))
}

fn without_name(map: &Map<String, Value>) -> u64 {
    let rest = map.iter().filter(|(k, _)| *k != "name");
    mapping(rest.map(|(k, v)| entry(k, hash_value(v))), map.len() - 1)
}

/// The fingerprint of the string `s` (a mapping's `name`, to find elements by name).
pub fn hash_string(s: &str) -> u64 {
    string(s)
}

/// Give `node` and the nodes inside it the fingerprints of what they read as, `value`,
/// in one pass. A node whose text does not mirror its value entry for entry (an anchor,
/// alias, tag or merge key on or in it, a key written twice) gets the value's own
/// fingerprint and is marked special, so that no edit is placed inside it; a shallow
/// one gets its value's too (its entries get theirs when they are read again).
pub fn fingerprint(node: &mut Node<'_>, value: &Value) -> u64 {
    let hash = match (&mut node.shape, value) {
        (Kind::Map { entries, .. }, Value::Object(map))
            if !node.special
                && entries.len() == map.len()
                && entries.iter().all(|e| map.has(e.key.as_ref())) =>
        {
            let len = entries.len();
            let hashes: Vec<u64> = entries
                .iter_mut()
                .map(|e| {
                    let value = map.field(e.key.as_ref()).expect("every key is there");
                    let child = fingerprint(&mut e.value, value);
                    entry(&e.key, child)
                })
                .collect();
            mapping(hashes.into_iter(), len)
        }
        (Kind::Seq { items, .. }, Value::Array(values))
            if !node.special && items.len() == values.len() =>
        {
            let hashes: Vec<u64> = items
                .iter_mut()
                .zip(values)
                .map(|(item, value)| fingerprint(item, value))
                .collect();
            list(hashes.into_iter(), values.len())
        }
        (Kind::Scalar { .. } | Kind::Shallow { .. }, _) => hash_value(value),
        _ => {
            node.special = true;
            hash_value(value)
        }
    };
    node.hash = hash;
    hash
}

/// The span tree of `text` (which reads as `value`) from the full parser, fingerprinted:
/// for a document the fast path does not read, taken before the core edits `value`.
pub fn spans_of<'t>(text: &'t str, value: &Value) -> Option<Node<'t>> {
    let mut root = crate::yaml::spans::parse(text).ok()?;
    fingerprint(&mut root, value);
    Some(root)
}

/// The fingerprint of the mapping `node` without its `name` entry, when it has a
/// `name` and something else (what [`hash_without_name`] gives for its value; the name
/// is taken as a string without looking, so a mapping named by a number may pair as
/// renamed, which only changes how its edit is written).
pub fn node_without_name(node: &Node<'_>) -> Option<u64> {
    let entries = node.entries();
    if entries.len() < 2 || !entries.iter().any(|e| e.key == "name") {
        return None;
    }
    let rest = entries.iter().filter(|e| e.key != "name");
    Some(mapping(
        rest.map(|e| entry(&e.key, e.value.hash)),
        entries.len() - 1,
    ))
}

/// The fingerprint of the mapping `node`'s `name` entry (what [`hash_string`] gives for a
/// string name).
pub fn node_name(node: &Node<'_>) -> Option<u64> {
    node.entries()
        .iter()
        .find(|e| e.key == "name")
        .map(|e| e.value.hash)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equal_values_hash_alike_whatever_their_key_order() {
        let a = json!({"name": "x", "value": [1, {"p": 1.5, "q": null}]});
        let b = json!({"value": [1, {"q": null, "p": 1.5}], "name": "x"});
        assert_eq!(a, b);
        assert_eq!(hash_value(&a), hash_value(&b));
        assert_ne!(
            hash_value(&a),
            hash_value(&json!({"name": "x", "value": [1]}))
        );
        assert_ne!(hash_value(&json!([1, 2])), hash_value(&json!([2, 1])));
        assert_ne!(hash_value(&json!(1)), hash_value(&json!(1.0)));
        assert_ne!(hash_value(&json!("1")), hash_value(&json!(1)));
        assert_ne!(hash_value(&json!([[]])), hash_value(&json!([])));
    }

    #[test]
    fn a_renamed_element_hashes_as_before() {
        let a = json!({"name": "x", "valueFrom": {"k": 1}});
        let b = json!({"valueFrom": {"k": 1}, "name": "ORIGINAL_x"});
        assert_eq!(hash_without_name(&a), hash_without_name(&b));
        assert!(hash_without_name(&json!({"name": "x"})).is_none());
        assert!(hash_without_name(&json!({"name": 1, "v": 2})).is_none());
    }

    #[test]
    fn the_span_tree_gets_each_value_fingerprint() {
        let text = "a: {b: [1, x, {name: nm, v: 2}]}\nc: &k 3\nd: *k\ne: |\n  t\n";
        let value: Value = crate::yaml::value::from_str(text).unwrap();
        let mut root = crate::yaml::spans::parse(text).unwrap();
        assert_eq!(fingerprint(&mut root, &value), hash_value(&value));
        let b = &root.entries()[0].value.entries()[0].value;
        assert_eq!(b.hash, hash_value(&value["a"]["b"]));
        assert_eq!(b.items()[1].hash, hash_value(&json!("x")));
        let named = &b.items()[2];
        assert_eq!(node_name(named), Some(hash_string("nm")));
        assert_eq!(
            node_without_name(named),
            hash_without_name(&value["a"]["b"][2])
        );
        assert_eq!(root.entries()[2].value.hash, hash_value(&json!(3)));
        assert_eq!(root.entries()[3].value.hash, hash_value(&json!("t\n")));
    }
}
