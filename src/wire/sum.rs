//! The checksum the marker carries (`sum=`): of everything a run added that a later run
//! would take out, as it was added. Recognising our wiring by its shape cannot tell it
//! from a user's volume or init container of the same shape (an image volume of the
//! user's own image, a copy step the user wrote from ours), nor from our wiring edited
//! by hand (a flag added to `PINPOINT_AGENT_OPTS`, a memory limit raised). A marker
//! copied from another workload, left behind, written by hand or by a version before
//! this one has no checksum, or one that does not match: then nothing is removed, and
//! the run says so.
//!
//! The checksum is SHA-256 over a plain encoding of the values (each one's type, then
//! its length and bytes, a mapping's keys sorted), truncated to 64 bits: stable
//! across runs, machines and versions of this tool, and not meant to resist a forger
//! (whoever can write the marker can write the workload).

use crate::config::Delivery;
use crate::wire::env_wiring::Restore;
use crate::wire::marker::{DIGITS, Marker};
use crate::wire::recognise::Wired;
use crate::wire::value_edit::name_of;
use serde_json::Value;

/// The checksum of what `marker` names in `template`, for the containers `wired`
/// ([`crate::wire::recognise::recognise`]'s answer): the volumes and the init container
/// it names, each wired container's name, options variable, the mounts and variables
/// of ours, and its options entry when we added it whole.
pub(crate) fn of(template: &Value, marker: &Marker, wired: &[Wired]) -> String {
    let mut bytes = Vec::with_capacity(1024);
    let spec = template.get("spec").unwrap_or(&Value::Null);
    encode(&mut bytes, named(spec, "volumes", &marker.volume));
    let companion = match marker.delivery {
        Delivery::InitContainer => named(spec, "initContainers", &marker.companion),
        Delivery::ImageVolume => named(spec, "volumes", &marker.companion),
    };
    encode(&mut bytes, companion);
    let containers = spec
        .get("containers")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let options = marker.options_of();
    for w in wired {
        let Some(container) = containers.get(w.index) else {
            continue;
        };
        let name = name_of(container).unwrap_or_default();
        text(&mut bytes, b'c', name);
        text(
            &mut bytes,
            b'o',
            options.get(name).copied().unwrap_or_default(),
        );
        let at = |key: &str, i: usize| {
            container
                .get(key)
                .and_then(|list| list.get(i))
                .unwrap_or(&Value::Null)
        };
        for &i in &w.mounts {
            encode(&mut bytes, at("volumeMounts", i));
        }
        for &i in &w.env {
            encode(&mut bytes, at("env", i));
        }
        if matches!(w.restore, Restore::Remove) {
            encode(&mut bytes, at("env", w.options));
        }
    }
    let sum = ring::digest::digest(&ring::digest::SHA256, &bytes);
    sum.as_ref()[..DIGITS / 2]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The entry named `name` of the list `key` (`null` when there is none).
fn named<'v>(spec: &'v Value, key: &str, name: &str) -> &'v Value {
    spec.get(key)
        .and_then(Value::as_array)
        .and_then(|items| items.iter().find(|v| name_of(v) == Some(name)))
        .unwrap_or(&Value::Null)
}

/// Fields the API server fills in on what we add, which recognition accepts as ours
/// (`src/wire/recognise.rs`, `src/wire/env_wiring.rs`): left out of the checksum, so that
/// wiring read back from a cluster (`kubectl get -o yaml`) still matches. The defaults:
/// a container's `terminationMessagePath`, `terminationMessagePolicy` and
/// `imagePullPolicy` (`SetDefaults_Container`) and a field reference's `apiVersion`
/// (`SetDefaults_ObjectFieldSelector`), in kubernetes `pkg/apis/core/v1/defaults.go`;
/// an image volume's `pullPolicy` ("Defaults to Always if :latest tag is specified, or
/// IfNotPresent otherwise", `ImageVolumeSource` in `k8s.io/api/core/v1/types.go`).
const FILLED_IN: &[&str] = &[
    "terminationMessagePath",
    "terminationMessagePolicy",
    "imagePullPolicy",
    "pullPolicy",
    "apiVersion",
];

/// A tag byte, then the text's length and bytes.
fn text(bytes: &mut Vec<u8>, tag: u8, s: &str) {
    bytes.push(tag);
    bytes.extend_from_slice(&(s.len() as u64).to_le_bytes());
    bytes.extend_from_slice(s.as_bytes());
}

fn encode(bytes: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => bytes.push(b'n'),
        Value::Bool(b) => bytes.extend_from_slice(if *b { b"t" } else { b"f" }),
        Value::Number(n) => text(bytes, b'#', &n.to_string()),
        Value::String(s) => text(bytes, b's', s),
        Value::Array(items) => {
            bytes.push(b'[');
            bytes.extend_from_slice(&(items.len() as u64).to_le_bytes());
            for item in items {
                encode(bytes, item);
            }
        }
        Value::Object(map) => {
            // Keys in sorted order: kustomize and kpt write fields in an order of their
            // own, and the same wiring read back from them must sum the same.
            let mut keys: Vec<&String> = map
                .keys()
                .filter(|k| !FILLED_IN.contains(&k.as_str()))
                .collect();
            keys.sort_unstable();
            bytes.push(b'{');
            bytes.extend_from_slice(&(keys.len() as u64).to_le_bytes());
            for key in keys {
                text(bytes, b'k', key);
                encode(bytes, &map[key]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The encoding tells apart what a concatenation would not, and not key order.
    #[test]
    fn the_encoding_is_unambiguous() {
        let enc = |v: Value| {
            let mut b = Vec::new();
            encode(&mut b, &v);
            b
        };
        assert_ne!(enc(json!(["ab", "c"])), enc(json!(["a", "bc"])));
        assert_ne!(enc(json!({"a": 1})), enc(json!({"a": "1"})));
        assert_eq!(enc(json!({"a": 1, "b": 2})), enc(json!({"b": 2, "a": 1})));
        assert_ne!(enc(json!({"a": 1, "b": 2})), enc(json!({"a": 2, "b": 1})));
        assert_ne!(enc(json!(null)), enc(json!("")));
        // What the API server fills in is left out.
        assert_eq!(
            enc(json!({"fieldRef": {"fieldPath": "metadata.name", "apiVersion": "v1"}})),
            enc(json!({"fieldRef": {"fieldPath": "metadata.name"}}))
        );
        assert_eq!(
            enc(json!({"a": [true]})),
            b"{\x01\0\0\0\0\0\0\0k\x01\0\0\0\0\0\0\0a[\x01\0\0\0\0\0\0\0t"
        );
    }
}
