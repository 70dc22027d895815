//! Small edits of generic values (`serde_json::Value`) that keep key order: named
//! lists, map entries, and k8s-openapi values as generic ones in the order people
//! write manifests.

use crate::value::Field;
use crate::wire::error::{InjectError, conflict};
use serde::Serialize;
use serde_json::{Map, Value};

/// Keys that come first in what we insert, in this order, as people write manifests
/// (k8s-openapi serializes fields alphabetically: `command` before `name`, `pullPolicy`
/// before an image volume's `reference`).
const LEADING_KEYS: &[&str] = &["name", "image", "imagePullPolicy", "command", "reference"];

/// A k8s-openapi value as a generic one, with its keys in the order people write them.
pub(crate) fn to_value<T: Serialize>(value: &T) -> Value {
    reorder(serde_json::to_value(value).expect("k8s-openapi types serialize"))
}

/// [`to_value`] of a value that is usually one of the last few of its type (the volume,
/// the init container, the mount and the variables a run adds to every workload): the
/// last [`AGAIN`] answers for each type are kept on this thread and cloned when the value
/// is equal. Equal values serialize the same (the cached types hold strings, integers and
/// booleans, no floats).
pub(crate) fn to_value_again<T: Serialize + PartialEq + Clone + 'static>(value: &T) -> Value {
    use std::any::Any;
    use std::cell::RefCell;
    thread_local! {
        static LAST: RefCell<Vec<(Box<dyn Any>, Value)>> = const { RefCell::new(Vec::new()) };
    }
    LAST.with_borrow_mut(|last| {
        if let Some(at) = last
            .iter()
            .position(|(key, _)| key.downcast_ref::<T>() == Some(value))
        {
            // Found again: kept as the newest, so that one-off values go first.
            let hit = last.remove(at);
            let known = hit.1.clone();
            last.push(hit);
            return known;
        }
        let fresh = to_value(value);
        if let Some(oldest) = last.iter().position(|(key, _)| key.is::<T>())
            && last.iter().filter(|(key, _)| key.is::<T>()).count() >= AGAIN
        {
            last.remove(oldest);
        }
        last.push((Box::new(value.clone()), fresh.clone()));
        fresh
    })
}

/// How many answers of each type [`to_value_again`] keeps: a container's variables are
/// up to five of one type (`EnvVar`), one of them different for every workload.
const AGAIN: usize = 6;

pub(crate) fn reorder(value: Value) -> Value {
    match value {
        Value::Object(mut map) => {
            let mut ordered = Map::with_capacity(map.len());
            for key in LEADING_KEYS {
                if let Some(v) = map.shift_remove(*key) {
                    ordered.insert((*key).to_string(), reorder(v));
                }
            }
            ordered.extend(map.into_iter().map(|(k, v)| (k, reorder(v))));
            Value::Object(ordered)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(reorder).collect()),
        other => other,
    }
}

/// A list we add to must be a list (or absent): anything else would be overwritten.
pub(crate) fn not_a_list(value: Option<&Value>, field: &str) -> Result<(), InjectError> {
    match value {
        None | Some(Value::Null | Value::Array(_)) => Ok(()),
        Some(_) => Err(conflict(
            field,
            "it is not a list (Kubernetes rejects this too); fix the manifest",
        )),
    }
}

/// A map we add to must be a map (or absent): anything else would be overwritten.
pub(crate) fn not_a_map(value: Option<&Value>, field: &str) -> Result<(), InjectError> {
    match value {
        None | Some(Value::Null | Value::Object(_)) => Ok(()),
        Some(_) => Err(conflict(
            field,
            "it is not a map (Kubernetes rejects this too); fix the manifest",
        )),
    }
}

pub(crate) fn name_of(value: &Value) -> Option<&str> {
    value.field("name").and_then(Value::as_str)
}

pub(crate) fn same_path(path: Option<&Value>, wanted: &str) -> bool {
    path.and_then(Value::as_str)
        .is_some_and(|p| p.trim_end_matches('/') == wanted.trim_end_matches('/'))
}

pub(crate) fn find_named<'a>(list: Option<&'a Value>, name: &str) -> Option<&'a Value> {
    list?.as_array()?.iter().find(|v| name_of(v) == Some(name))
}

pub(crate) fn object_entry<'a>(
    map: &'a mut Map<String, Value>,
    key: &str,
) -> &'a mut Map<String, Value> {
    let slot = map
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    slot.as_object_mut().expect("just made a map")
}

pub(crate) fn object_entry_array<'a>(
    map: &'a mut Map<String, Value>,
    key: &str,
) -> &'a mut Vec<Value> {
    let slot = map
        .entry(key.to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    if !slot.is_array() {
        *slot = Value::Array(Vec::new());
    }
    slot.as_array_mut().expect("just made a list")
}

pub(crate) fn push(map: &mut Map<String, Value>, key: &str, value: Value) {
    object_entry_array(map, key).push(value);
}

/// A map whose keys are all among `allowed`.
pub(crate) fn only<'a>(value: &'a Value, allowed: &[&str]) -> Option<&'a Map<String, Value>> {
    value
        .as_object()
        .filter(|m| m.keys().all(|k| allowed.contains(&k.as_str())))
}
