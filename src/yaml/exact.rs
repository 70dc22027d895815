//! Generic values that hold no spare room. A mapping grown one entry at a time keeps
//! room for more (an env item's two entries sit in room for three), and a list grown
//! by doubling up to as many again: on a workload with tens of thousands of small
//! nodes that is a third of what its value costs. [`Exact`] reads a document that way
//! and [`clone_exact`] copies one that way; both give the same value as serde_json's
//! own, entry order included.

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// How many entries of a mapping being read wait in a list before they go into a map
/// of their own: few, so that most mappings are made once at their size, and a large
/// one grows as maps do instead of being held twice.
const FEW: usize = 16;

/// A deep copy of `value` with no spare room (`Clone` copies a mapping's room too).
pub fn clone_exact(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(clone_exact_map(map)),
        Value::Array(items) => Value::Array(items.iter().map(clone_exact).collect()),
        other => other.clone(),
    }
}

/// [`clone_exact`] of a mapping.
pub fn clone_exact_map(map: &Map<String, Value>) -> Map<String, Value> {
    let mut copy = Map::with_capacity(map.len());
    for (key, value) in map {
        copy.insert(key.clone(), clone_exact(value));
    }
    copy
}

/// A value read with no spare room: what `serde_json::Value` reads, made to measure.
pub struct Exact(pub Value);

impl<'de> Deserialize<'de> for Exact {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ExactVisitor).map(Exact)
    }
}

struct ExactVisitor;

/// A mapping key, read as serde_json reads one: its text.
struct KeyText;

impl<'de> DeserializeSeed<'de> for KeyText {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyText {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
}

impl<'de> Visitor<'de> for ExactVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Number::deserialize(de::value::I128Deserializer::<E>::new(v)).map(Value::Number)
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Number::deserialize(de::value::U128Deserializer::<E>::new(v)).map(Value::Number)
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ExactVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Exact(item)) = seq.next_element()? {
            items.push(item);
        }
        items.shrink_to_fit();
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut few: Vec<(String, Value)> = Vec::new();
        let mut map: Option<Map<String, Value>> = None;
        while let Some(key) = access.next_key_seed(KeyText)? {
            let Exact(value) = access.next_value()?;
            match map.as_mut() {
                // A key written again keeps its first place and takes the new value, as
                // `Map::insert` does.
                Some(map) => {
                    map.insert(key, value);
                }
                None => {
                    few.push((key, value));
                    if few.len() > FEW {
                        map = Some(to_map(std::mem::take(&mut few)));
                    }
                }
            }
        }
        Ok(Value::Object(map.unwrap_or_else(|| to_map(few))))
    }
}

fn to_map(pairs: Vec<(String, Value)>) -> Map<String, Value> {
    let mut map = Map::with_capacity(pairs.len());
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_copies_what_serde_json_reads() {
        let text =
            "a: 1\nb: [x, {c: null, d: 1.5}]\ne: {}\nf: []\n\"g\": -7\nh: 18446744073709551615\n";
        let plain: Value = crate::yaml::from_str(text).unwrap();
        let Exact(exact) = crate::yaml::from_str(text).unwrap();
        assert_eq!(exact, plain);
        let order = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(order(&exact), order(&plain));
        assert_eq!(clone_exact(&exact), plain);
    }

    #[test]
    fn lists_hold_no_spare_room() {
        let Exact(value) = crate::yaml::from_str("l: [1, 2, 3, 4, 5]\n").unwrap();
        let list = value["l"].as_array().unwrap();
        assert_eq!((list.len(), list.capacity()), (5, 5));
        let root = crate::yaml::spans::parse("l: [1, 2, 3, 4, 5]\nm: {a: 1}\n").unwrap();
        match root.kind() {
            crate::yaml::spans::Kind::Map { entries, .. } => {
                assert_eq!(entries.capacity(), 2);
                match entries[0].value.kind() {
                    crate::yaml::spans::Kind::Seq { items, .. } => assert_eq!(items.capacity(), 5),
                    other => panic!("{other:?}"),
                }
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_key_written_twice_keeps_its_place_and_its_last_value() {
        let many: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        for text in [
            "a: 1\nb: 2\na: 3\n".to_string(),
            format!("{many}k3: last\n"),
        ] {
            let plain: Value = crate::yaml::from_str(&text).unwrap();
            let Exact(exact) = crate::yaml::from_str(&text).unwrap();
            let pairs = |v: &Value| {
                v.as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
            };
            assert_eq!(pairs(&exact), pairs(&plain), "{text}");
        }
    }
}
