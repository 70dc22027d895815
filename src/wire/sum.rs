//! The checksum the marker carries (`sum=`): of everything a run added that a later run
//! would take out, as it was added. Recognising our wiring by its shape cannot tell it
//! from a user's volume or init container of the same shape (an image volume of the
//! user's own image, a copy step the user wrote from ours), nor from our wiring edited
//! by hand (a flag added to `PINPOINT_AGENT_OPTS`, a memory limit raised). A marker
//! copied from another workload, left behind, written by hand or by a version before
//! this one has no checksum, or one that does not match: then nothing is removed, and
//! the run says so.
//!
//! The checksum is a 64-bit hash ([`hash`]) of a plain encoding of the values (each
//! one's type, then its length and bytes, a mapping's keys sorted): stable across runs,
//! machines and versions of this tool. It tells an edit or another workload's wiring
//! apart, and is not meant to resist a forger (whoever can write the marker can write
//! the workload).

use crate::config::Delivery;
use crate::value::Field;
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
    let spec = template.field("spec").unwrap_or(&Value::Null);
    encode(&mut bytes, named(spec, "volumes", &marker.volume));
    let companion = match marker.delivery {
        Delivery::InitContainer => named(spec, "initContainers", &marker.companion),
        Delivery::ImageVolume => named(spec, "volumes", &marker.companion),
    };
    encode(&mut bytes, companion);
    let containers = spec
        .field("containers")
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
                .field(key)
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
    format!("{:0width$x}", hash(&bytes), width = DIGITS)
}

/// A stable 64-bit hash: FxHash's step over 8-byte little-endian words (the last one
/// padded with zeros), the length last, then MurmurHash3's finalizer. The step is
/// rustc-hash's `FxHasher` (rotate left by 5, xor, multiply by `0x517cc1b727220a95`), the
/// finalizer MurmurHash3's `fmix64`. Defined here, so that it never changes under us.
fn hash(bytes: &[u8]) -> u64 {
    let step = |h: u64, word: u64| (h.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    let mut words = bytes.chunks_exact(8);
    let mut h = 0u64;
    for word in &mut words {
        h = step(h, u64::from_le_bytes(word.try_into().expect("8 bytes")));
    }
    let mut last = [0u8; 8];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    h = step(h, u64::from_le_bytes(last));
    h = step(h, bytes.len() as u64);
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The entry named `name` of the list `key` (`null` when there is none).
fn named<'v>(spec: &'v Value, key: &str, name: &str) -> &'v Value {
    spec.field(key)
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
            // On the stack: what we add has a handful of keys per mapping.
            let mut few: [(&str, &Value); 16] = [("", &Value::Null); 16];
            let mut many = Vec::new();
            let mut n = 0;
            for (key, value) in map.iter().filter(|(k, _)| !FILLED_IN.contains(&k.as_str())) {
                if n < few.len() {
                    few[n] = (key, value);
                } else {
                    if n == few.len() {
                        many.extend_from_slice(&few);
                    }
                    many.push((key.as_str(), value));
                }
                n += 1;
            }
            let keys = if n <= few.len() {
                &mut few[..n]
            } else {
                &mut many[..]
            };
            keys.sort_unstable_by_key(|(key, _)| *key);
            bytes.push(b'{');
            bytes.extend_from_slice(&(n as u64).to_le_bytes());
            for (key, value) in keys.iter() {
                text(bytes, b'k', key);
                encode(bytes, value);
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
        // Past the keys kept on the stack, the same order.
        let wide: serde_json::Map<String, Value> =
            (0..40).map(|i| (format!("k{i:02}"), json!(i))).collect();
        let reversed: serde_json::Map<String, Value> = (0..40)
            .rev()
            .map(|i| (format!("k{i:02}"), json!(i)))
            .collect();
        assert_eq!(
            enc(Value::Object(wide.clone())),
            enc(Value::Object(reversed))
        );
        let mut b = Vec::new();
        encode(&mut b, &Value::Object(wide));
        let mut expected = vec![b'{'];
        expected.extend_from_slice(&40u64.to_le_bytes());
        for i in 0..40 {
            text(&mut expected, b'k', &format!("k{i:02}"));
            encode(&mut expected, &json!(i));
        }
        assert_eq!(b, expected);
        // The hash: stable (these values are what every marker written so far holds),
        // and different for inputs that differ in one bit or in length alone.
        // Computed apart, by a transcription of the algorithm in Python.
        assert_eq!(hash(b"pinpoint-inject"), 0xb2f4_5d1b_da83_6ffe);
        assert_ne!(hash(b"a"), hash(b"b"));
        assert_ne!(hash(b"a"), hash(b"a\0"));
        assert_ne!(hash(&[0u8; 8]), hash(&[0u8; 16]));
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
