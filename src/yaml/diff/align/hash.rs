//! Hashes of values that agree with their equality: a mapping's hash does not depend on
//! its key order (`serde_json`'s map equality ignores it), so two equal values always
//! hash alike and the alignment can look elements up instead of comparing every pair.

use serde_json::{Map, Value};
use std::hash::{DefaultHasher, Hash, Hasher};

/// The hash of a value.
pub fn hash_value(value: &Value) -> u64 {
    let mut h = DefaultHasher::new();
    feed(value, &mut h);
    h.finish()
}

/// The hash of a mapping with a string `name` and something else, leaving the name out
/// (`None` for anything else): a renamed element hashes as it did before.
pub fn hash_without_name(value: &Value) -> Option<u64> {
    let map = value.as_object()?;
    if map.len() < 2 || !map.get("name").is_some_and(Value::is_string) {
        return None;
    }
    let mut h = DefaultHasher::new();
    map_entries(map, |k| k != "name", &mut h);
    Some(h.finish())
}

fn feed(value: &Value, h: &mut DefaultHasher) {
    match value {
        Value::Null => 0u8.hash(h),
        Value::Bool(b) => (1u8, b).hash(h),
        Value::Number(n) => {
            2u8.hash(h);
            // The same variants compare equal: an integer as itself, a float by its bits.
            if let Some(u) = n.as_u64() {
                (0u8, u).hash(h);
            } else if let Some(i) = n.as_i64() {
                (1u8, i).hash(h);
            } else {
                // `-0.0 == 0.0`: both hash as 0.0.
                let f = n.as_f64().map(|f| if f == 0.0 { 0.0 } else { f });
                (2u8, f.map(f64::to_bits)).hash(h);
            }
        }
        Value::String(s) => (3u8, s).hash(h),
        Value::Array(items) => {
            (4u8, items.len()).hash(h);
            items.iter().for_each(|item| feed(item, h));
        }
        Value::Object(map) => {
            5u8.hash(h);
            map_entries(map, |_| true, h);
        }
    }
}

/// The entries of a mapping that `keep`, in any order: each entry hashed on its own, and
/// the hashes added up.
fn map_entries(map: &Map<String, Value>, keep: impl Fn(&str) -> bool, h: &mut DefaultHasher) {
    let mut sum = 0u64;
    let mut count = 0usize;
    for (k, v) in map.iter().filter(|(k, _)| keep(k)) {
        let mut entry = DefaultHasher::new();
        k.hash(&mut entry);
        feed(v, &mut entry);
        sum = sum.wrapping_add(entry.finish());
        count += 1;
    }
    (count, sum).hash(h);
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
    }

    #[test]
    fn a_renamed_element_hashes_as_before() {
        let a = json!({"name": "x", "valueFrom": {"k": 1}});
        let b = json!({"valueFrom": {"k": 1}, "name": "ORIGINAL_x"});
        assert_eq!(hash_without_name(&a), hash_without_name(&b));
        assert!(hash_without_name(&json!({"name": "x"})).is_none());
        assert!(hash_without_name(&json!({"name": 1, "v": 2})).is_none());
    }
}
