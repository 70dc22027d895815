//! This tool's own wiring, recognised by its content. The marker only says where to
//! look; every volume, init container, mount and variable it names must be exactly what
//! a run adds (by the shapes of [`crate::wire::copy_step`] and
//! [`crate::wire::image_volume`], and the variables of [`crate::knowledge::ours`]) before
//! anything is taken out. A marker copied from another workload, left behind or edited
//! names something else: then nothing is removed, and each thing that does not match is
//! named.

use crate::config::Delivery;
use crate::value::Field;
use crate::wire::copy_step::COPY_SCRIPTS;
use crate::wire::env_wiring::{Restore, variables};
use crate::wire::marker::{Marker, OwnEntry};
use crate::wire::value_edit::{name_of, only};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// The wiring of one container: what to remove and what to give back.
#[derive(Debug)]
pub(crate) struct Wired {
    pub index: usize,
    /// Indexes into its `volumeMounts`, and into its `env`, of what we added.
    pub mounts: Vec<usize>,
    pub env: Vec<usize>,
    pub options: usize,
    pub restore: Restore,
}

/// Everything a marker names, each checked: the containers to unwire.
pub(crate) fn recognise(template: &Value, marker: &Marker) -> Result<Vec<Wired>, Vec<String>> {
    let mut problems = Vec::new();
    let spec = template.field("spec").unwrap_or(&Value::Null);
    let list = |key: &str| {
        spec.field(key)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    };
    let (volume, companion) = (marker.volume.as_str(), marker.companion.as_str());
    let mut volumes_of_ours = vec![volume];
    match one_named(list("volumes"), volume) {
        Err(n) => problems.push(format!("volume {volume:?} ({n} in the pod)")),
        Ok(v) if marker.delivery == Delivery::InitContainer && !is_empty_dir(v) => problems.push(
            format!("volume {volume:?} (not the emptyDir this tool adds)"),
        ),
        Ok(v) if marker.delivery == Delivery::ImageVolume && !is_image_volume(v) => problems.push(
            format!("volume {volume:?} (not the image volume this tool adds)"),
        ),
        Ok(_) => {}
    }
    match marker.delivery {
        Delivery::InitContainer => match one_named(list("initContainers"), companion) {
            Err(n) => problems.push(format!("init container {companion:?} ({n} in the pod)")),
            Ok(c) if !is_copy_step(c, volume) => problems.push(format!(
                "init container {companion:?} (not this tool's copy step into volume {volume:?})"
            )),
            Ok(_) => {}
        },
        Delivery::ImageVolume => {
            volumes_of_ours.push(companion);
            match one_named(list("volumes"), companion) {
                Err(n) => problems.push(format!("volume {companion:?} ({n} in the pod)")),
                Ok(v) if !is_empty_dir(v) => problems.push(format!(
                    "volume {companion:?} (not the emptyDir this tool adds for the agent's logs)"
                )),
                Ok(_) => {}
            }
        }
    }
    let containers = list("containers");
    // Looked up by name (linear in the containers and the marker's names).
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    for (i, c) in containers.iter().enumerate() {
        if let Some(name) = name_of(c) {
            by_name.entry(name).or_insert(i);
        }
    }
    let named: HashSet<&str> = marker.containers.iter().map(String::as_str).collect();
    let own = marker.own_entries();
    let options_of = marker.options_of();
    let mut wired = Vec::new();
    for name in &marker.containers {
        let Some(&index) = by_name.get(name.as_str()) else {
            problems.push(format!(
                "container {name:?} (the pod has none of that name)"
            ));
            continue;
        };
        let recorded = (
            own.get(name.as_str()).copied(),
            options_of.get(name.as_str()).copied(),
        );
        match container(&containers[index], marker, recorded) {
            Ok((mounts, env, options, restore)) => wired.push(Wired {
                index,
                mounts,
                env,
                options,
                restore,
            }),
            Err(why) => problems.push(format!("container {name:?} ({why})")),
        }
    }
    // Nothing else may use what would be removed.
    for (key, items) in [
        ("containers", containers),
        ("initContainers", list("initContainers")),
    ] {
        for c in items {
            let ours = (key == "containers" && name_of(c).is_some_and(|n| named.contains(n)))
                || (key == "initContainers"
                    && marker.delivery == Delivery::InitContainer
                    && name_of(c) == Some(companion));
            let mounted = mounts_of(c)
                .iter()
                .filter_map(name_of)
                .find(|m| volumes_of_ours.contains(m));
            if let (false, Some(m)) = (ours, mounted) {
                problems.push(format!(
                    "volume {m:?}, which {} {:?} mounts too",
                    &key[..key.len() - 1],
                    name_of(c).unwrap_or_default()
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(wired)
    } else {
        Err(problems)
    }
}

/// The only entry named `name`, or how many there are.
fn one_named<'a>(items: &'a [Value], name: &str) -> Result<&'a Value, String> {
    let mut found = items.iter().filter(|v| name_of(v) == Some(name));
    match (found.next(), found.next()) {
        (Some(one), None) => Ok(one),
        (None, _) => Err("none of that name".into()),
        (Some(_), Some(_)) => Err("more than one of that name".into()),
    }
}

fn is_empty_dir(volume: &Value) -> bool {
    only(volume, &["name", "emptyDir"])
        .and_then(|v| v.field("emptyDir"))
        .and_then(|e| only(e, &["sizeLimit"]))
        .is_some_and(|e| {
            e.field("sizeLimit")
                .is_none_or(|q| q.is_string() || q.is_number())
        })
}

fn is_image_volume(volume: &Value) -> bool {
    only(volume, &["name", "image"])
        .and_then(|v| v.field("image"))
        .and_then(|i| only(i, &["reference", "pullPolicy"]))
        .is_some_and(|i| {
            i.field("reference").is_some_and(Value::is_string)
                && i.field("pullPolicy").is_none_or(Value::is_string)
        })
}

/// The copy step: `sh -c <one of our scripts> <source> <target>`, or the first
/// version's `cp -R <source>/. <target>/`, mounting `volume` at the target alone (with
/// the fields the copy step has, and those the API server fills in).
fn is_copy_step(container: &Value, volume: &str) -> bool {
    let allowed = [
        "name",
        "image",
        "imagePullPolicy",
        "command",
        "resources",
        "securityContext",
        "volumeMounts",
        "terminationMessagePath",
        "terminationMessagePolicy",
    ];
    let Some(c) = only(container, &allowed) else {
        return false;
    };
    let words: Vec<&str> = c
        .field("command")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let target = match words.as_slice() {
        ["sh", "-c", script, _source, target] if COPY_SCRIPTS.contains(script) => *target,
        ["cp", "-R", source, target] if source.ends_with("/.") => {
            let Some(target) = target.strip_suffix('/') else {
                return false;
            };
            target
        }
        _ => return false,
    };
    let mount = serde_json::json!([{"name": volume, "mountPath": target}]);
    c.field("volumeMounts") == Some(&mount)
}

fn mounts_of(container: &Value) -> &[Value] {
    container
        .field("volumeMounts")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

type ContainerWiring = (Vec<usize>, Vec<usize>, usize, Restore);

/// One wired container: its mounts of our volumes, our variables and its options variable.
/// `recorded`: how the marker says its options entry is given back, and its name.
fn container(
    c: &Value,
    marker: &Marker,
    recorded: (Option<OwnEntry>, Option<&str>),
) -> Result<ContainerWiring, String> {
    let mounts = mounts_of(c);
    let find = |name: &str| -> Result<(usize, &Map<String, Value>), String> {
        let mut at = mounts
            .iter()
            .enumerate()
            .filter(|(_, m)| name_of(m) == Some(name));
        match (at.next(), at.next()) {
            (Some((i, m)), None) => m
                .as_object()
                .map(|m| (i, m))
                .ok_or_else(|| "a mount that is not a map".into()),
            (None, _) => Err(format!("no mount of volume {name:?}")),
            _ => Err(format!("two mounts of volume {name:?}")),
        }
    };
    let (agent_at, agent) = find(&marker.volume)?;
    let path = agent
        .field("mountPath")
        .and_then(Value::as_str)
        .ok_or("a mount without a path")?;
    let mut indexes = vec![agent_at];
    match marker.delivery {
        Delivery::InitContainer => {
            if !agent
                .keys()
                .all(|k| ["name", "mountPath"].contains(&k.as_str()))
            {
                return Err(format!(
                    "its mount of {:?} is not the one this tool adds",
                    marker.volume
                ));
            }
        }
        Delivery::ImageVolume => {
            let read_only = agent.field("readOnly") == Some(&Value::Bool(true));
            let fields = agent
                .keys()
                .all(|k| ["name", "mountPath", "readOnly", "subPath"].contains(&k.as_str()));
            let (logs_at, logs) = find(&marker.companion)?;
            let logs_path = format!(
                "{}/{}",
                path.trim_end_matches('/'),
                crate::knowledge::pinpoint::LOGS_DIR
            );
            let logs_ok = logs.len() == 2
                && logs.field("mountPath").and_then(Value::as_str) == Some(logs_path.as_str());
            if !(read_only && fields && logs_ok) {
                return Err(format!(
                    "its mounts of {:?} and {:?} are not the ones this tool adds",
                    marker.volume, marker.companion
                ));
            }
            indexes.push(logs_at);
        }
    }
    let (env, options, restore) = variables(c, path, recorded.0, recorded.1)?;
    Ok((indexes, env, options, restore))
}
