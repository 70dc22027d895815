//! `pinpoint-inject images`: every image a render's pod templates name (containers and
//! init containers of every kind the tool knows, and of the kinds the config adds; the
//! items of a `v1 List` too), in the order they first appear, each with where it was
//! found. Reads a multi-document stream or a ResourceList's items.

use crate::knowledge::kinds::{WorkloadKind, is_list};
use crate::run::stream::Label;
use crate::value::Field;
use crate::yaml::document;
use crate::yaml::split::RawDoc;
use crate::yaml::{self, YamlError};
use serde_json::Value;
use std::collections::HashMap;

/// One image, and the places that name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The reference as the manifest writes it.
    pub image: String,
    /// `document 3 (chart/templates/web.yaml): Deployment shop/web, container app`.
    pub places: Vec<String>,
}

/// The images of a render, and the documents that could not be read.
#[derive(Debug, Default)]
pub struct Collected {
    pub images: Vec<Found>,
    /// One message per document that does not parse.
    pub errors: Vec<String>,
    index: HashMap<String, usize>,
}

impl Collected {
    fn add(&mut self, image: &str, place: String) {
        match self.index.get(image) {
            Some(&i) => self.images[i].places.push(place),
            None => {
                self.index.insert(image.to_string(), self.images.len());
                self.images.push(Found {
                    image: image.to_string(),
                    places: vec![place],
                });
            }
        }
    }

    /// The images of one resource (a workload, or a `v1 List` of them).
    fn resource(&mut self, resource: &Value, configured: &[WorkloadKind], at: &str) {
        let text = |key: &str| {
            resource
                .field(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
        };
        let (api_version, kind) = (text("apiVersion"), text("kind"));
        if is_list(api_version, kind) {
            for (i, item) in items(resource) {
                self.resource(item, configured, &format!("{at} items[{i}]"));
            }
            return;
        }
        let Some(workload) = WorkloadKind::lookup(api_version, kind, configured) else {
            return;
        };
        let Some(spec) = workload
            .pod_template(resource)
            .and_then(|t| t.field("spec"))
        else {
            return;
        };
        let name = resource
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let namespace = resource
            .pointer("/metadata/namespace")
            .and_then(Value::as_str);
        let who = match namespace {
            Some(ns) => format!("{kind} {ns}/{name}"),
            None => format!("{kind} {name}"),
        };
        for list in ["initContainers", "containers"] {
            for container in spec
                .field(list)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(image) = container
                    .field("image")
                    .and_then(Value::as_str)
                    .filter(|i| !i.is_empty())
                else {
                    continue;
                };
                let cname = container
                    .field("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let role = if list == "containers" {
                    "container"
                } else {
                    "init container"
                };
                self.add(image, format!("{at}: {who}, {role} {cname}"));
            }
        }
    }
}

/// The images of the documents of a stream.
pub fn of_stream(docs: &[RawDoc], configured: &[WorkloadKind]) -> Collected {
    let mut collected = Collected::default();
    let mut label = Label::default();
    for doc in docs {
        label.next(&doc.bytes);
        let read = document::utf8(&doc.bytes).and_then(yaml::from_str::<Value>);
        match read {
            Ok(value) => collected.resource(&value, configured, &label.to_string()),
            Err(e) => collected
                .errors
                .push(format!("{label}: {}", placed(e, doc))),
        }
    }
    collected
}

fn placed(error: YamlError, doc: &RawDoc) -> YamlError {
    error.offset_lines(doc.first_line - 1)
}

/// The `items` of a List or ResourceList, numbered (none when it has no such list).
fn items(list: &Value) -> impl Iterator<Item = (usize, &Value)> {
    list.field("items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

/// The images of a ResourceList's items.
pub fn of_list(input: &[u8], configured: &[WorkloadKind]) -> Collected {
    let mut collected = Collected::default();
    // Empty documents around the list are no part of it (as in a run).
    let (start, end) = yaml::split::without_empty_around(input);
    let lines_before = input[..start].iter().filter(|&&b| b == b'\n').count() as u64;
    let list = document::utf8(&input[start..end])
        .and_then(yaml::from_str::<Value>)
        .map_err(|e| e.offset_lines(lines_before));
    match list {
        Ok(list) => {
            for (i, item) in items(&list) {
                collected.resource(item, configured, &format!("items[{i}]"));
            }
        }
        Err(e) => collected.errors.push(format!("ResourceList: {e}")),
    }
    collected
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::split::Splitter;

    #[test]
    fn every_container_and_init_container_of_every_known_kind() {
        let stream = "---\n# Source: shop/templates/web.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec:\n      initContainers: [{name: init, image: busybox:1}]\n      containers: [{name: app, image: shop/web:1}, {name: proxy, image: envoy:1}]\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: job, image: shop/web:1}]\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {image: not-an-image}\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: alpine}]}}\n---\nbroken: [\n";
        let docs: Vec<RawDoc> = Splitter::new(stream.as_bytes())
            .map(Result::unwrap)
            .collect();
        let found = of_stream(&docs, &[]);
        let images: Vec<(&str, usize)> = found
            .images
            .iter()
            .map(|f| (f.image.as_str(), f.places.len()))
            .collect();
        assert_eq!(
            images,
            [
                ("busybox:1", 1),
                ("shop/web:1", 2),
                ("envoy:1", 1),
                ("alpine", 1)
            ]
        );
        assert_eq!(
            found.images[1].places,
            [
                "document 1 (shop/templates/web.yaml): Deployment shop/web, container app",
                "document 2: CronJob nightly, container job"
            ]
        );
        assert_eq!(
            found.images[3].places,
            ["document 4 items[0]: Pod p, container c"]
        );
        assert_eq!(found.errors.len(), 1);
        assert!(
            found.errors[0].starts_with("document 5: "),
            "{:?}",
            found.errors
        );
    }

    #[test]
    fn a_resource_list_names_its_items() {
        let list = b"apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: alpine}]}}\n";
        let found = of_list(list, &[]);
        assert_eq!(found.images[0].places, ["items[0]: Pod p, container c"]);
        assert!(of_list(b"items: [\n", &[]).errors[0].starts_with("ResourceList: "));
    }
}
