//! What the alignment asks of the elements it pairs: the new ones with their
//! fingerprints, and an old one as a node of the document's text (compared by its
//! fingerprint) or, for the tests and their reference, as a value.

use crate::yaml::fingerprint::{self, hash_string, hash_value, hash_without_name};
use crate::yaml::spans::Node;
use serde_json::Value;

/// An element of the new list, with its fingerprint.
pub(crate) struct New<'v> {
    pub(super) value: &'v Value,
    pub(super) hash: u64,
}

pub(super) fn news(new: &[Value]) -> Vec<New<'_>> {
    new.iter()
        .map(|value| New {
            value,
            hash: hash_value(value),
        })
        .collect()
}

/// What the alignment asks of an element of the old list: a node of the document's
/// text, compared by its fingerprint, or (for the tests and their reference) a value.
pub(crate) trait Old {
    fn same(&self, new: &New<'_>) -> bool;
    fn hash(&self) -> u64;
    /// The fingerprint of its `name`, to find elements of the same name.
    fn name_key(&self) -> Option<u64>;
    fn named(&self, name: &str) -> bool;
    /// The fingerprint without its `name` ([`hash_without_name`]).
    fn rest_key(&self) -> Option<u64>;
    /// A mapping with another name and everything else equal (and something else).
    fn renamed(&self, new: &New<'_>) -> bool;
}

impl Old for Node<'_> {
    fn same(&self, new: &New<'_>) -> bool {
        self.hash == new.hash
    }
    fn hash(&self) -> u64 {
        self.hash
    }
    fn name_key(&self) -> Option<u64> {
        fingerprint::node_name(self)
    }
    fn named(&self, name: &str) -> bool {
        self.name_key() == Some(hash_string(name))
    }
    fn rest_key(&self) -> Option<u64> {
        fingerprint::node_without_name(self)
    }
    fn renamed(&self, new: &New<'_>) -> bool {
        let (Some(map), Some(name)) = (new.value.as_object(), name_of(new.value)) else {
            return false;
        };
        map.len() == self.entries().len()
            && !self.named(name)
            && self.rest_key().is_some()
            && self.rest_key() == hash_without_name(new.value)
    }
}

impl Old for Value {
    fn same(&self, new: &New<'_>) -> bool {
        same(self, new.value)
    }
    fn hash(&self) -> u64 {
        hash_value(self)
    }
    fn name_key(&self) -> Option<u64> {
        name_of(self).map(hash_string)
    }
    fn named(&self, name: &str) -> bool {
        name_of(self) == Some(name)
    }
    fn rest_key(&self) -> Option<u64> {
        hash_without_name(self)
    }
    fn renamed(&self, new: &New<'_>) -> bool {
        renamed(self, new.value)
    }
}

pub(super) fn name_of(value: &Value) -> Option<&str> {
    value.get("name").and_then(Value::as_str)
}

/// Two mappings with other names and everything else equal (and something else).
pub(super) fn renamed(old: &Value, new: &Value) -> bool {
    let (Some(o), Some(n)) = (old.as_object(), new.as_object()) else {
        return false;
    };
    o.len() == n.len()
        && o.len() > 1
        && name_of(old).is_some()
        && name_of(new).is_some()
        && name_of(old) != name_of(new)
        && o.iter()
            .all(|(k, v)| k == "name" || n.get(k).is_some_and(|w| same(v, w)))
}

/// `a == b`, without hashing while both mappings keep their keys in one order (as the
/// core's edits do): `serde_json`'s map equality looks every key up by its hash.
pub(super) fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() {
                return false;
            }
            for ((k1, v1), (k2, v2)) in x.iter().zip(y) {
                if k1 != k2 {
                    return a == b; // another order: compare as maps
                }
                if !same(v1, v2) {
                    return false;
                }
            }
            true
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        _ => a == b,
    }
}
