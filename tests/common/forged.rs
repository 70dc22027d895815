//! Forged and stale markers: a `pinpoint-inject.dev/injected` annotation copied from
//! another workload, left behind or edited by hand must never make a run remove what the
//! tool did not add. Checked by the property tests and by the `markers` fuzz target
//! (`fuzz/fuzz_targets/markers.rs` includes this file, with `uninject.rs` and
//! `invariants.rs`).
//!
//! What the tool may take out is written here from the documented wiring
//! (`docs/wiring.md`), not from `src/wire/`: an `emptyDir` volume (nothing but a
//! `sizeLimit`) or an `image` volume; an init container running the copy step
//! (`sh -c` with one of the documented scripts, or the first version's `cp -R`); the
//! mounts of those volumes; the variables `PINPOINT_POD_NAME`, `PINPOINT_POD_IP`,
//! `PINPOINT_AGENT_OPTS`, `PINPOINT_ORIGINAL_*`; and an options variable whose value is
//! the bare reference `$(PINPOINT_AGENT_OPTS)`. A container is never removed.

use super::invariants::{check_stream, objects, split};
use super::uninject::pod_template_mut;
use pinpoint_inject::config::Settings;
use pinpoint_inject::run::stream::Splitter;
use pinpoint_inject::yaml::{self, ListStyle};
use serde_json::{Map, Value};

const MARKER: &str = "pinpoint-inject.dev/injected";
const SCRIPTS: &[&str] = &[
    r#"cp -R "$0"/. "$1"/ && chmod -R a+rwX "$1"/*"#,
    r#"cp -R "$0"/. "$1"/"#,
];

/// The stream with `marker` as the marker annotation of every pod template it holds
/// (documents written out again; those that do not parse, or are not workloads, as
/// they were). None when no document took the marker.
pub fn forge(stream: &[u8], marker: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut forged = 0;
    for doc in Splitter::new(stream) {
        let bytes = doc.ok()?.bytes;
        let parsed = std::str::from_utf8(&bytes)
            .ok()
            .and_then(|t| yaml::from_str::<Value>(t).ok());
        let Some(mut value) = parsed else {
            out.extend_from_slice(&bytes);
            continue;
        };
        let mut marked = 0;
        for template in templates(&mut value) {
            let Some(template) = template.as_object_mut() else {
                continue;
            };
            mark(template, marker);
            marked += 1;
        }
        if marked == 0 {
            out.extend_from_slice(&bytes);
            continue;
        }
        forged += marked;
        out.extend_from_slice(b"---\n");
        out.extend_from_slice(yaml::to_string(&value, ListStyle::Compact).as_bytes());
    }
    (forged > 0).then_some(out)
}

/// The pod templates of a document: its own, or each of a `v1 List`'s items'.
fn templates(value: &mut Value) -> Vec<&mut Value> {
    objects(value)
        .into_iter()
        .filter_map(pod_template_mut)
        .collect()
}

/// Set the marker annotation on one pod template.
fn mark(template: &mut Map<String, Value>, marker: &str) {
    let metadata = template
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()));
    if !metadata.is_object() {
        *metadata = Value::Object(Map::new());
    }
    let annotations = metadata
        .as_object_mut()
        .unwrap()
        .entry("annotations")
        .or_insert_with(|| Value::Object(Map::new()));
    if !annotations.is_object() {
        *annotations = Value::Object(Map::new());
    }
    annotations
        .as_object_mut()
        .unwrap()
        .insert(MARKER.into(), Value::String(marker.into()));
}

/// Forge `marker` into `stream`, then check every stream invariant and that nothing the
/// tool did not add went missing.
pub fn check_forged(stream: &[u8], marker: &str, settings: &Settings) {
    let Some(forged) = forge(stream, marker) else {
        return;
    };
    let run = check_stream(&forged, settings);
    nothing_foreign_removed(&forged, &run.output);
}

fn list<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn name(value: &Value) -> Option<&str> {
    value.get("name").and_then(Value::as_str)
}

fn only(value: &Value, keys: &[&str]) -> bool {
    value
        .as_object()
        .is_some_and(|m| m.keys().all(|k| keys.contains(&k.as_str())))
}

fn agent_volume(volume: &Value) -> bool {
    let empty_dir = only(volume, &["name", "emptyDir"])
        && only(
            volume.get("emptyDir").unwrap_or(&Value::Null),
            &["sizeLimit"],
        );
    let image = only(volume, &["name", "image"])
        && volume
            .get("image")
            .is_some_and(|i| i.get("reference").is_some());
    empty_dir || image
}

fn copy_step(container: &Value) -> bool {
    let words: Vec<&str> = list(container, "command")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    matches!(words.as_slice(), ["sh", "-c", script, ..] if SCRIPTS.contains(script))
        || matches!(words.as_slice(), ["cp", "-R", ..])
}

fn our_variable(entry: &Value) -> bool {
    let Some(n) = name(entry) else { return false };
    [
        "PINPOINT_POD_NAME",
        "PINPOINT_POD_IP",
        "PINPOINT_AGENT_OPTS",
    ]
    .contains(&n)
        || n.starts_with("PINPOINT_ORIGINAL_")
        || entry.get("value").and_then(Value::as_str) == Some("$(PINPOINT_AGENT_OPTS)")
}

/// Every item of `before` missing from `after` is one the documented wiring adds.
fn template_kept(before: &Value, after: &Value, doc: usize) {
    let (b, a) = (
        before.get("spec").unwrap_or(&Value::Null),
        after.get("spec").unwrap_or(&Value::Null),
    );
    let missing = |key: &str| -> Vec<&Value> {
        list(b, key)
            .iter()
            .filter(|item| !list(a, key).contains(item))
            .collect()
    };
    let removed_volumes: Vec<&str> = missing("volumes").into_iter().filter_map(name).collect();
    for volume in missing("volumes") {
        assert!(
            agent_volume(volume),
            "document {doc}: volume removed: {volume}"
        );
    }
    for init in missing("initContainers") {
        assert!(
            copy_step(init),
            "document {doc}: init container removed: {init}"
        );
    }
    for container in list(b, "containers") {
        let Some(now) = list(a, "containers")
            .iter()
            .find(|c| name(c) == name(container))
        else {
            panic!("document {doc}: container removed: {container}");
        };
        for mount in list(container, "volumeMounts") {
            let ours = name(mount).is_some_and(|n| removed_volumes.contains(&n));
            assert!(
                ours || list(now, "volumeMounts").contains(mount),
                "document {doc}: mount removed: {mount}"
            );
        }
        for entry in list(container, "env") {
            let kept = list(now, "env").iter().any(|e| {
                e == entry
                    || (name(e) == name(entry) && e.get("valueFrom") == entry.get("valueFrom"))
            });
            assert!(
                kept || our_variable(entry),
                "document {doc}: variable removed: {entry}"
            );
        }
    }
}

/// Per document: whatever a run removed from a pod template is the tool's own.
pub fn nothing_foreign_removed(input: &[u8], output: &[u8]) {
    for (i, (before, after)) in split(input).iter().zip(split(output)).enumerate() {
        if *before == after {
            continue;
        }
        let parse = |bytes: &[u8]| -> Option<Value> {
            yaml::from_str(std::str::from_utf8(bytes).ok()?).ok()
        };
        let (Some(mut old), Some(mut new)) = (parse(before), parse(&after)) else {
            continue;
        };
        for (old, new) in templates(&mut old).into_iter().zip(templates(&mut new)) {
            template_kept(old, new, i + 1);
        }
    }
}

/// The configs the `markers` fuzz target picks from (by its first byte): the stream
/// target's, and the first two of them with the agent delivered as an image volume.
pub fn marker_settings() -> Vec<Settings> {
    let mut all = super::invariants::fuzz_settings();
    for base in all.clone().into_iter().take(2) {
        let mut image = base;
        image.agent.delivery = pinpoint_inject::config::Delivery::ImageVolume;
        image.log_volume_name = format!("{}-logs", image.agent.volume_name);
        all.push(image);
    }
    all
}

/// One input of the `markers` fuzz target: the first byte picks the config, the bytes up
/// to the first newline are the marker, the rest is the stream.
pub fn check_marker_input(data: &[u8], settings: &[Settings]) {
    let Some((pick, rest)) = data.split_first() else {
        return;
    };
    let (marker, stream) = match rest.iter().position(|b| *b == b'\n') {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &[][..]),
    };
    let settings = &settings[usize::from(*pick) % settings.len()];
    check_forged(stream, &String::from_utf8_lossy(marker), settings);
}
