//! Taking this tool's wiring out of a pod template again: the marker annotation that
//! records what a run added, and the exact undo of it (a second run, another config, or
//! a workload a config now leaves alone).

use crate::knowledge::ours::{
    MARKER, OPTS_VAR, ORIGINAL_PREFIX, POD_IP_VAR, POD_NAME_VAR, reference,
};
use crate::wire::error::{InjectError, conflict};
use crate::wire::value_edit::{name_of, remove_named};
use serde_json::{Map, Value};

/// What the marker annotation records, so a later run can undo exactly this:
/// `containers=app,worker;volume=pinpoint-agent;initContainer=pinpoint-agent-init`,
/// plus `;ownOptions=worker` for the containers whose options variable was the user's
/// own entry without a value (after the edit it looks just like one we appended)
/// (all Kubernetes names, so `,` `;` and `=` cannot occur in them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marker {
    pub containers: Vec<String>,
    pub volume: String,
    pub init_container: String,
    pub own_options: Vec<String>,
}

fn names(list: &str) -> Vec<String> {
    list.split(',')
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect()
}

impl Marker {
    pub fn render(&self) -> String {
        let mut text = format!(
            "containers={};volume={};initContainer={}",
            self.containers.join(","),
            self.volume,
            self.init_container
        );
        if !self.own_options.is_empty() {
            text.push_str(";ownOptions=");
            text.push_str(&self.own_options.join(","));
        }
        text
    }

    pub fn parse(text: &str) -> Option<Marker> {
        let mut containers = None;
        let mut volume = None;
        let mut init_container = None;
        let mut own_options = None;
        for part in text.split(';') {
            let (key, value) = part.split_once('=')?;
            let slot = match key.trim() {
                "containers" => &mut containers,
                "volume" => &mut volume,
                "initContainer" => &mut init_container,
                "ownOptions" => &mut own_options,
                _ => return None,
            };
            *slot = Some(value.trim().to_string());
        }
        let (volume, init_container) = (volume?, init_container?);
        (!volume.is_empty() && !init_container.is_empty()).then(|| Marker {
            containers: names(&containers.unwrap_or_default()),
            volume,
            init_container,
            own_options: names(&own_options.unwrap_or_default()),
        })
    }
}

/// True when a pod template carries the marker of an earlier run: without it,
/// [`strip`] changes nothing (so callers need no copy to strip).
pub fn is_wired(template: &Value) -> bool {
    marker_value(template).is_some()
}

fn marker_value(template: &Value) -> Option<&Value> {
    template.get("metadata")?.get("annotations")?.get(MARKER)
}

/// Take out the wiring a previous run recorded in the marker. Returns whether there was any.
pub fn strip(template: &mut Value) -> Result<bool, InjectError> {
    let Some(raw) = marker_value(template) else {
        return Ok(false);
    };
    let marker: Marker = raw
        .as_str()
        .and_then(Marker::parse)
        .ok_or_else(|| conflict(format!("metadata.annotations[{MARKER}]"), format!("the {MARKER} annotation was edited by hand; remove it and the wiring, or restore it")))?;

    if let Some(spec) = template.get_mut("spec").and_then(Value::as_object_mut) {
        remove_named(spec, "volumes", &marker.volume);
        remove_named(spec, "initContainers", &marker.init_container);
        if let Some(containers) = spec.get_mut("containers").and_then(Value::as_array_mut) {
            for container in containers.iter_mut() {
                let Some(name) = name_of(container).map(String::from) else {
                    continue;
                };
                if marker.containers.contains(&name)
                    && let Some(container) = container.as_object_mut()
                {
                    remove_named(container, "volumeMounts", &marker.volume);
                    strip_env(container, marker.own_options.contains(&name));
                }
            }
        }
    }
    let metadata = template
        .get_mut("metadata")
        .and_then(Value::as_object_mut)
        .expect("found above");
    let annotations = metadata
        .get_mut("annotations")
        .and_then(Value::as_object_mut)
        .expect("found above");
    annotations.shift_remove(MARKER);
    if annotations.is_empty() {
        metadata.shift_remove("annotations");
    }
    if metadata.is_empty() {
        // `inject` adds the metadata when a template has none.
        template
            .as_object_mut()
            .expect("found above")
            .shift_remove("metadata");
    }
    Ok(true)
}

/// Take our variables out of one container's env, and give the options variable back
/// its own value. Only what [`apply_container`] wrote is touched: our block always ends
/// with `PINPOINT_AGENT_OPTS`, the options variable is the entry right after it, and a
/// moved `valueFrom` sits right before it; a user's own `PINPOINT_ORIGINAL_*` variable
/// or `$(PINPOINT_AGENT_OPTS)` reference elsewhere is left alone. `own_options`: the
/// options variable was the user's own entry without a value (the marker says so).
fn strip_env(container: &mut Map<String, Value>, own_options: bool) {
    let Some(env) = container.get_mut("env").and_then(Value::as_array_mut) else {
        return;
    };
    let opts_ref = reference(OPTS_VAR);
    let mut moved_back: Option<usize> = None;
    if let Some(at) = env.iter().position(|e| name_of(e) == Some(OPTS_VAR)) {
        // Our variable right before: a moved `valueFrom` (given back), or the image's
        // own value we kept in front (a literal `value`; the options entry is ours).
        let original = at.checked_sub(1).and_then(|i| {
            let name = name_of(&env[i]).filter(|n| n.starts_with(ORIGINAL_PREFIX))?;
            Some((i, reference(name), env[i].get("valueFrom").cloned()))
        });
        // Appended by us, unless the marker says it was the user's own empty entry.
        let appended = !own_options;
        if let Some(entry) = env.get_mut(at + 1).and_then(Value::as_object_mut) {
            let value = entry
                .get("value")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            match original {
                Some((i, var, Some(from))) if value == format!("{var} {opts_ref}") => {
                    entry.remove("value");
                    entry.insert("valueFrom".into(), from);
                    moved_back = Some(i);
                }
                Some((i, var, None)) if value == format!("{var} {opts_ref}") && appended => {
                    env.remove(at + 1);
                    moved_back = Some(i);
                }
                _ if value == opts_ref && appended => {
                    env.remove(at + 1);
                }
                _ if value == opts_ref => {
                    entry.insert("value".into(), Value::String(String::new()));
                }
                _ => {
                    if let Some(user) = value.strip_suffix(&format!(" {opts_ref}")) {
                        entry.insert("value".into(), Value::String(user.to_string()));
                    }
                }
            }
        }
    }
    let before = env.len();
    let mut index = 0;
    env.retain(|entry| {
        let ours = Some(index) == moved_back
            || matches!(name_of(entry), Some(OPTS_VAR | POD_NAME_VAR | POD_IP_VAR));
        index += 1;
        !ours
    });
    // Drop the list only when it held ours alone (a user's own `env: []` stays).
    if env.is_empty() && before > 0 {
        container.shift_remove("env");
    }
}
