//! A key looked up in a value's mapping. `serde_json`'s map (an `IndexMap` with std's
//! SipHash) hashes every key it is asked for; the mappings of a pod template have a
//! few keys each, which a look along them finds in a fraction of that time (the
//! workloads of a stream take a hundred lookups each, BENCHMARKS.md). Larger mappings
//! still take the index, so a lookup never costs more than a few comparisons.

use serde_json::{Map, Value};

/// Mappings up to this many entries are searched in order.
const SCANNED: usize = 8;

/// A key looked up in a mapping, or in a value that is one (`None` for anything else).
pub trait Field {
    /// The value of `key`.
    fn field(&self, key: &str) -> Option<&Value>;
    /// The value of `key`, to change.
    fn field_mut(&mut self, key: &str) -> Option<&mut Value>;
    /// Whether `key` is there.
    fn has(&self, key: &str) -> bool {
        self.field(key).is_some()
    }
}

impl Field for Map<String, Value> {
    fn field(&self, key: &str) -> Option<&Value> {
        if self.len() <= SCANNED {
            self.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
        } else {
            self.get(key)
        }
    }

    fn field_mut(&mut self, key: &str) -> Option<&mut Value> {
        if self.len() <= SCANNED {
            self.iter_mut()
                .find(|(k, _)| k.as_str() == key)
                .map(|(_, v)| v)
        } else {
            self.get_mut(key)
        }
    }
}

impl Field for Value {
    fn field(&self, key: &str) -> Option<&Value> {
        self.as_object()?.field(key)
    }

    fn field_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.as_object_mut()?.field_mut(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_what_get_finds_in_small_and_large_mappings() {
        let small = json!({"a": 1, "b": {"c": 2}});
        let large: Map<String, Value> = (0..40).map(|i| (format!("k{i}"), json!(i))).collect();
        let large = Value::Object(large);
        for (value, keys) in [
            (&small, vec!["a", "b", "c", ""]),
            (&large, vec!["k0", "k39", "k40"]),
        ] {
            for key in keys {
                assert_eq!(value.field(key), value.get(key), "{key}");
                assert_eq!(value.has(key), value.get(key).is_some(), "{key}");
            }
        }
        assert_eq!(json!([1]).field("a"), None);
        let mut changed = small.clone();
        *changed.field_mut("a").unwrap() = json!(3);
        assert_eq!(changed, json!({"a": 3, "b": {"c": 2}}));
        let mut large = large;
        *large.field_mut("k39").unwrap() = json!("x");
        assert_eq!(large["k39"], json!("x"));
    }
}
