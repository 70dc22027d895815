//! The user's own references to our variables: an env value, a command or an args entry
//! that says `$(PINPOINT_POD_NAME)`, `$(PINPOINT_AGENT_OPTS)`, … A run that takes one of
//! those variables out (an opt-out, a config that no longer needs it) would leave the
//! reference unexpanded: the kubelet then passes the literal `$(…)` on to the process,
//! and a launch script that `eval`s its options runs it as a command. So a reference
//! that resolved before an edit must still resolve after it, or the edit is refused.

use crate::knowledge::ours::{
    MARKER, OPTS_VAR, ORIGINAL_PREFIX, POD_IP_VAR, POD_NAME_VAR, references,
};
use crate::wire::error::{InjectError, conflict};
use crate::wire::marker::{Marker, OwnEntry};
use crate::wire::value_edit::name_of;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// A name this tool writes into a container's env.
fn is_ours(var: &str) -> bool {
    [OPTS_VAR, POD_NAME_VAR, POD_IP_VAR].contains(&var) || var.starts_with(ORIGINAL_PREFIX)
}

/// One reference to one of our variables: in which container, where, to what, and
/// whether the kubelet would expand it.
struct Ref<'t> {
    container: &'t str,
    /// `env[NAME]`, `command` or `args`.
    place: String,
    /// The field, relative to the pod template, for the error.
    field: String,
    var: &'t str,
    resolved: bool,
}

/// Every reference to one of our variables in a pod template's containers. An env value
/// sees the entries before it; command and args see the whole env.
fn refs(template: &Value) -> Vec<Ref<'_>> {
    let mut found = Vec::new();
    let spec = template.get("spec");
    for list in ["initContainers", "containers"] {
        let containers = spec.and_then(|s| s.get(list)).and_then(Value::as_array);
        for (c, container) in containers.into_iter().flatten().enumerate() {
            let name = name_of(container).unwrap_or_default();
            let env = container.get("env").and_then(Value::as_array);
            let mut defined: HashSet<&str> = HashSet::new();
            for (i, entry) in env.into_iter().flatten().enumerate() {
                let entry_name = name_of(entry).unwrap_or_default();
                let value = entry
                    .get("value")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                for var in references(value).filter(|v| is_ours(v)) {
                    found.push(Ref {
                        container: name,
                        place: format!("env[{entry_name}]"),
                        field: format!("spec.{list}[{c}].env[{i}]"),
                        var,
                        resolved: defined.contains(var),
                    });
                }
                defined.insert(entry_name);
            }
            for key in ["command", "args"] {
                let words = container.get(key).and_then(Value::as_array);
                for (i, word) in words.into_iter().flatten().enumerate() {
                    let word = word.as_str().unwrap_or_default();
                    for var in references(word).filter(|v| is_ours(v)) {
                        found.push(Ref {
                            container: name,
                            place: key.to_string(),
                            field: format!("spec.{list}[{c}].{key}[{i}]"),
                            var,
                            resolved: defined.contains(var),
                        });
                    }
                }
            }
        }
    }
    found
}

/// The references to our variables that resolve in a pod template as it is before an
/// edit (none when no earlier run wired it), less the user's own options entry that the
/// marker says held `$(PINPOINT_AGENT_OPTS)` before the wiring: taking the wiring out
/// gives that entry back as it was.
pub(crate) struct Resolved(HashMap<(String, String, String), String>);

impl Resolved {
    pub(crate) fn before(template: &Value) -> Resolved {
        let marker = template
            .get("metadata")
            .and_then(|m| m.get("annotations"))
            .and_then(|a| a.get(MARKER))
            .and_then(Value::as_str)
            .and_then(Marker::parse);
        let Some(marker) = marker else {
            return Resolved(HashMap::new());
        };
        let exempt = |r: &Ref<'_>| {
            r.var == OPTS_VAR
                && marker.own.iter().any(|(c, own)| {
                    c == r.container
                        && *own == OwnEntry::UserReference
                        && marker
                            .options
                            .iter()
                            .find(|(oc, _)| oc == c)
                            .is_none_or(|(_, options)| r.place == format!("env[{options}]"))
                })
        };
        Resolved(
            refs(template)
                .into_iter()
                .filter(|r| r.resolved && !exempt(r))
                .map(|r| {
                    (
                        (r.container.to_string(), r.place, r.var.to_string()),
                        r.field,
                    )
                })
                .collect(),
        )
    }

    /// An error naming the first reference that resolved before and does not in `after`.
    pub(crate) fn still(&self, after: &Value) -> Result<(), InjectError> {
        if self.0.is_empty() {
            return Ok(());
        }
        // Named where it is in the template as it was (nothing is changed).
        let broken = refs(after).into_iter().find_map(|r| {
            let key = (r.container.to_string(), r.place.clone(), r.var.to_string());
            Some((self.0.get(&key).filter(|_| !r.resolved)?, r))
        });
        match broken {
            None => Ok(()),
            Some((field, r)) => Err(conflict(
                field.clone(),
                format!(
                    "{} of container {:?} refers to $({}), which this run would take out and the kubelet would then pass on unexpanded; nothing was changed: remove the reference, or keep the workload wired as it was",
                    r.place, r.container, r.var
                ),
            )),
        }
    }
}
