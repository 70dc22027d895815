//! Reading a resource as a generic value: a string or a map at a path, an annotation of
//! a workload or its pod template, and the label and annotation maps other APMs' keys are
//! read from.

use crate::decide::keys::Keys;
use crate::value::Field;
use serde_json::{Map, Value};

pub fn str_at<'a>(value: &'a Value, path: &[&str]) -> &'a str {
    let mut node = value;
    for key in path {
        match node.field(key) {
            Some(next) => node = next,
            None => return "",
        }
    }
    node.as_str().unwrap_or_default()
}

pub fn map_at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Map<String, Value>> {
    let mut node = value;
    for key in path {
        node = node.field(key)?;
    }
    node.as_object()
}

/// An annotation on the workload, or else on its pod template.
pub fn annotation<'a>(
    resource: &'a Value,
    template: Option<&'a Value>,
    key: &str,
) -> Option<&'a str> {
    let [on_workload, on_template] = annotations(resource, template, key);
    on_workload.or(on_template)
}

/// An annotation on the workload and on its pod template.
pub fn annotations<'a>(
    resource: &'a Value,
    template: Option<&'a Value>,
    key: &str,
) -> [Option<&'a str>; 2] {
    let on = |v: Option<&'a Value>| {
        map_at(v?, &["metadata", "annotations"])?
            .field(key)?
            .as_str()
    };
    [on(Some(resource)), on(template)]
}

/// The label and annotation maps of a workload and its pod template (workload first).
pub fn keys<'a>(resource: &'a Value, template: &'a Value) -> Keys<'a> {
    let both = |path: &[&str]| -> Vec<&'a Map<String, Value>> {
        [map_at(resource, path), map_at(template, path)]
            .into_iter()
            .flatten()
            .collect()
    };
    Keys {
        labels: both(&["metadata", "labels"]),
        annotations: both(&["metadata", "annotations"]),
    }
}

/// The strings of a list field of a container (`command`, `args`).
pub fn strings<'a>(container: &'a Value, key: &str) -> impl Iterator<Item = &'a str> {
    container
        .field(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// The `name`s of the entries of a list field (`env`, `initContainers`).
pub fn names<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = &'a str> {
    value
        .field(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.field("name").and_then(Value::as_str))
}
