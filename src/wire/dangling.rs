//! The user's own references to our variables: an env value, a command or an args entry,
//! or a mount's `subPathExpr`, that says `$(PINPOINT_POD_NAME)`, `$(PINPOINT_AGENT_OPTS)`,
//! … (the kubelet expands a `subPathExpr` from the container's env too, and refuses to
//! start the container when a variable it names is missing: `ExpandContainerVolumeMounts`
//! in kubernetes `pkg/kubelet/container/helpers.go`). A run that takes one of
//! those variables out (an opt-out, a config that no longer needs it) would leave the
//! reference unexpanded: the kubelet then passes the literal `$(…)` on to the process,
//! and a launch script that `eval`s its options runs it as a command. So a reference
//! that resolved before an edit must still resolve after it, or the edit is refused.

use crate::knowledge::ours::{
    MARKER, OPTS_VAR, ORIGINAL_PREFIX, POD_IP_VAR, POD_NAME_VAR, references,
};
use crate::value::Field;
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
    /// `env[NAME]`, `command`, `args` or `volumeMounts[NAME].subPathExpr`.
    place: String,
    /// The field, relative to the pod template, for the error.
    field: String,
    var: &'t str,
    resolved: bool,
}

/// Every reference to one of our variables in a pod template's containers. An env value
/// sees the entries before it; command, args and a mount's `subPathExpr` see the whole
/// env.
fn refs(template: &Value) -> Vec<Ref<'_>> {
    let mut found = Vec::new();
    let spec = template.field("spec");
    for list in ["initContainers", "containers"] {
        let containers = spec.and_then(|s| s.field(list)).and_then(Value::as_array);
        for (c, container) in containers.into_iter().flatten().enumerate() {
            let name = name_of(container).unwrap_or_default();
            let mut defined: HashSet<&str> = HashSet::new();
            let at = |field: String| format!("spec.{list}[{c}].{field}");
            let env = container.field("env").and_then(Value::as_array);
            for (i, entry) in env.into_iter().flatten().enumerate() {
                let entry_name = name_of(entry).unwrap_or_default();
                let value = entry.field("value").and_then(Value::as_str);
                let place = || (format!("env[{entry_name}]"), at(format!("env[{i}]")));
                note(
                    &mut found,
                    (name, &defined),
                    value.unwrap_or_default(),
                    place,
                );
                defined.insert(entry_name);
            }
            for key in ["command", "args"] {
                let words = container.field(key).and_then(Value::as_array);
                for (i, word) in words.into_iter().flatten().enumerate() {
                    let word = word.as_str().unwrap_or_default();
                    let place = || (key.to_string(), at(format!("{key}[{i}]")));
                    note(&mut found, (name, &defined), word, place);
                }
            }
            let mounts = container.field("volumeMounts").and_then(Value::as_array);
            for (i, mount) in mounts.into_iter().flatten().enumerate() {
                let expr = mount.field("subPathExpr").and_then(Value::as_str);
                let mount_name = name_of(mount).unwrap_or_default();
                let place = || {
                    let field = at(format!("volumeMounts[{i}].subPathExpr"));
                    (format!("volumeMounts[{mount_name}].subPathExpr"), field)
                };
                note(
                    &mut found,
                    (name, &defined),
                    expr.unwrap_or_default(),
                    place,
                );
            }
        }
    }
    found
}

/// The references to our variables in `text`, of `container` (whose env defines
/// `defined` before it), at the place and field `place` gives.
fn note<'t>(
    found: &mut Vec<Ref<'t>>,
    (container, defined): (&'t str, &HashSet<&str>),
    text: &'t str,
    place: impl Fn() -> (String, String),
) {
    for var in references(text).filter(|v| is_ours(v)) {
        let (place, field) = place();
        found.push(Ref {
            container,
            place,
            field,
            var,
            resolved: defined.contains(var),
        });
    }
}

/// The references to our variables that resolve in a pod template as it is before an
/// edit (none when no earlier run wired it), less the user's own options entry that the
/// marker says held `$(PINPOINT_AGENT_OPTS)` before the wiring: taking the wiring out
/// gives that entry back as it was.
pub(crate) struct Resolved(HashMap<(String, String, String), String>);

impl Resolved {
    pub(crate) fn before(template: &Value) -> Resolved {
        let marker = template
            .field("metadata")
            .and_then(|m| m.field("annotations"))
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

    /// Whether `container`'s options entry `options` refers to `$(PINPOINT_AGENT_OPTS)`,
    /// and the reference resolved before this run (an earlier wiring defined it, and no
    /// marker says the user wrote it before that wiring).
    pub(crate) fn holds(&self, container: &str, options: &str) -> bool {
        self.0.contains_key(&(
            container.to_string(),
            format!("env[{options}]"),
            OPTS_VAR.to_string(),
        ))
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
