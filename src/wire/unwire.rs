//! Taking this tool's wiring out of a pod template again (a second run, another config,
//! or a workload a config now leaves alone). The marker says where to look, and
//! [`crate::wire::recognise`] checks everything it names by content: only then is it
//! taken out, all of it; otherwise nothing is, and the error names what does not match.

use crate::knowledge::ours::MARKER;
use crate::value::Field;
use crate::wire::dangling::Resolved;
use crate::wire::env_wiring::Restore;
use crate::wire::error::{InjectError, conflict};
use crate::wire::marker::{MAPS, Marker, Was};
use crate::wire::recognise::{Wired, recognise};
use crate::wire::value_edit::name_of;
use serde_json::{Map, Value};

/// True when a pod template carries the marker of an earlier run: without it,
/// [`strip`] changes nothing (so callers need no copy to strip).
pub fn is_wired(template: &Value) -> bool {
    marker_value(template).is_some()
}

fn marker_value(template: &Value) -> Option<&Value> {
    template
        .field("metadata")?
        .field("annotations")?
        .get(MARKER)
}

/// Take out the wiring an earlier run added, as the marker describes it and its content
/// confirms. Returns whether there was any; on an error nothing has changed.
pub fn strip(template: &mut Value) -> Result<bool, InjectError> {
    let Some(raw) = marker_value(template) else {
        return Ok(false);
    };
    let field = format!("metadata.annotations[{MARKER}]");
    let marker: Marker = raw.as_str().and_then(Marker::parse).ok_or_else(|| {
        conflict(
            &field,
            format!("the {MARKER} annotation was edited by hand; remove it and the wiring, or restore it"),
        )
    })?;
    let wired = recognise(template, &marker).map_err(|problems| {
        conflict(
            &field,
            format!(
                "the {MARKER} annotation names {}, which this tool did not add as it is now; nothing was removed: if the annotation was copied from another workload or left behind, delete it, else restore what it describes",
                problems.join(", ")
            ),
        )
    })?;
    let sum = crate::wire::sum::of(template, &marker, &wired);
    if marker.sum.as_deref() != Some(sum.as_str()) {
        let why = if marker.sum.is_none() {
            "carries no checksum of the wiring it names (it was written by hand, or by a version of this tool that wrote none)"
        } else {
            "does not match what it names: the wiring was edited since this tool added it, or the annotation was copied from another workload"
        };
        return Err(conflict(
            &field,
            format!(
                "the {MARKER} annotation {why}; nothing was removed: delete the annotation and what it describes to wire this workload again, or restore them as this tool wrote them"
            ),
        ));
    }

    let spec = template
        .field_mut("spec")
        .and_then(Value::as_object_mut)
        .expect("recognised above");
    let were = marker.lists_were();
    let list = match marker.delivery {
        crate::config::Delivery::InitContainer => "initContainers",
        crate::config::Delivery::ImageVolume => "volumes",
    };
    for (key, name) in [
        ("volumes", marker.volume.as_str()),
        (list, &marker.companion),
    ] {
        let at = spec
            .field(key)
            .and_then(Value::as_array)
            .and_then(|items| items.iter().position(|v| name_of(v) == Some(name)));
        remove_at(spec, key, at.into_iter().collect(), were.get(key).copied());
    }
    let containers = spec
        .field_mut("containers")
        .and_then(Value::as_array_mut)
        .expect("recognised above");
    for w in wired {
        let name = name_of(&containers[w.index])
            .unwrap_or_default()
            .to_string();
        let was = |key: &str| were.get(format!("{name}/{key}").as_str()).copied();
        let (mounts, env) = (was("volumeMounts"), was("env"));
        let container = containers[w.index]
            .as_object_mut()
            .expect("recognised above");
        unwire_container(container, w, mounts, env);
    }

    let metadata = template
        .field_mut("metadata")
        .and_then(Value::as_object_mut)
        .expect("found above");
    let annotations = metadata
        .field_mut("annotations")
        .and_then(Value::as_object_mut)
        .expect("found above");
    annotations.shift_remove(MARKER);
    // A map the marker leaves empty goes back to what it was: `null`, `{}`, or not there
    // (`inject` adds the metadata and the annotations when a template has none).
    if annotations.is_empty() {
        give_back(metadata, MAPS[1], marker.map_was(MAPS[1]));
    }
    if metadata.is_empty() {
        let template = template.as_object_mut().expect("found above");
        give_back(template, MAPS[0], marker.map_was(MAPS[0]));
    }
    Ok(true)
}

/// [`strip`] for a workload this run leaves unwired: refused, with nothing changed, when
/// it would leave a reference of the user's to one of our variables unexpanded
/// ([`crate::wire::dangling`]).
pub fn strip_for_good(template: &mut Value) -> Result<bool, InjectError> {
    let resolved = Resolved::before(template);
    let stripped = strip(template)?;
    resolved.still(template)?;
    Ok(stripped)
}

/// Remove the listed entries of `key`; a list that held ours alone goes back to what it
/// was before the wiring (`null`, `[]`, or no key), in its place.
fn remove_at(map: &mut Map<String, Value>, key: &str, mut indexes: Vec<usize>, was: Option<Was>) {
    let Some(list) = map.get_mut(key).and_then(Value::as_array_mut) else {
        return;
    };
    let before = list.len();
    indexes.sort_unstable();
    for i in indexes.into_iter().rev() {
        list.remove(i);
    }
    if list.is_empty() && before > 0 {
        give_back(map, key, was);
    }
}

/// `key`'s value, a list or map the wiring left empty, back as it was before: `null`,
/// empty, or not there (the wiring made it).
fn give_back(map: &mut Map<String, Value>, key: &str, was: Option<Was>) {
    match was {
        Some(Was::Null) => {
            map.insert(key.into(), Value::Null);
        }
        Some(Was::Empty) => {}
        None => {
            map.shift_remove(key);
        }
    }
}

/// Give the options variable back what it had, and take out our mounts and variables.
fn unwire_container(
    container: &mut Map<String, Value>,
    wired: Wired,
    mounts_were: Option<Was>,
    env_was: Option<Was>,
) {
    let mut env_removed = wired.env;
    if let Some(entry) = container
        .field_mut("env")
        .and_then(Value::as_array_mut)
        .and_then(|env| env.get_mut(wired.options))
        .and_then(Value::as_object_mut)
    {
        match wired.restore {
            Restore::Remove => env_removed.push(wired.options),
            Restore::Keep => {}
            Restore::Value(user) => {
                entry.insert("value".into(), Value::String(user));
            }
            Restore::Empty => {
                entry.insert("value".into(), Value::String(String::new()));
            }
            Restore::Null => {
                entry.insert("value".into(), Value::Null);
            }
            Restore::Unset => {
                entry.shift_remove("value");
            }
            Restore::ValueFrom(from, beside) => {
                match beside {
                    Some(value) => {
                        entry.insert("value".into(), value);
                    }
                    None => {
                        entry.shift_remove("value");
                    }
                }
                entry.insert("valueFrom".into(), from);
            }
        }
    }
    remove_at(container, "volumeMounts", wired.mounts, mounts_were);
    remove_at(container, "env", env_removed, env_was);
}
