//! The checks made on one container before anything is changed: what would clash with
//! the wiring (an error), what is better left alone (a skip, with the reason), and how
//! an existing options variable is to be taken over.

use crate::config::{Delivery, Settings};
use crate::decide::foreign;
use crate::knowledge::ours::{
    OPTS_VAR, ORIGINAL_PREFIX, POD_IP_VAR, POD_NAME_VAR, ends_in_open_reference, refers_to,
};
use crate::value::Field;
use crate::wire::error::{InjectError, conflict};
use crate::wire::image_volume;
use crate::wire::marker::OwnEntry;
use crate::wire::value_edit::{name_of, not_a_list, same_path};
use serde_json::Value;

/// What to do to one container, decided before anything is changed.
pub(crate) enum Plan {
    Inject(Edit),
    Skip(String),
}

pub(crate) struct Edit {
    /// Index of the existing options variable (its last definition wins in Kubernetes).
    pub existing: Option<usize>,
    /// The existing value is a `valueFrom`, to be moved to an earlier variable.
    pub moved_value_from: Option<Value>,
    /// The existing entry is one the marker must describe to give it back exactly.
    pub own: Option<OwnEntry>,
    pub warning: Option<String>,
}

pub(crate) fn plan_container(
    container: &Value,
    settings: &Settings,
    options_env: &str,
    field: &str,
) -> Result<Plan, InjectError> {
    for list in ["volumeMounts", "env"] {
        not_a_list(container.field(list), &format!("{field}.{list}"))?;
    }
    let (mut names, mut paths) = (
        vec![settings.agent.volume_name.clone()],
        vec![settings.agent.mount_path.clone()],
    );
    if settings.agent.delivery == Delivery::ImageVolume {
        names.push(settings.log_volume_name.clone());
        paths.push(image_volume::logs_path(settings));
    }
    if let Some((i, _)) = container
        .field("volumeMounts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .find(|(_, m)| {
            names.iter().any(|n| name_of(m) == Some(n.as_str()))
                || paths.iter().any(|p| same_path(m.field("mountPath"), p))
        })
    {
        return Err(conflict(
            format!("{field}.volumeMounts[{i}]"),
            format!(
                "container {:?} already mounts something at {} or a volume named {}; set {} or {} to free ones",
                name_of(container).unwrap_or_default(),
                paths.join(" or "),
                names
                    .iter()
                    .map(|n| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(" or "),
                settings.field("agent.mountPath"),
                settings.field("agent.volumeName")
            ),
        ));
    }
    let env: &[Value] = container
        .field("env")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let original_var = format!("{ORIGINAL_PREFIX}{}", options_env);
    for (i, entry) in env.iter().enumerate() {
        let name = name_of(entry).unwrap_or_default();
        if [OPTS_VAR, POD_NAME_VAR, POD_IP_VAR, original_var.as_str()].contains(&name) {
            return Err(conflict(
                format!("{field}.env[{i}]"),
                format!(
                    "container {:?} already defines {name}, which this tool reserves",
                    name_of(container).unwrap_or_default()
                ),
            ));
        }
    }
    if carries_pinpoint_agent(container) {
        return Ok(Plan::Skip(
            "it already starts a Pinpoint agent (-javaagent:…pinpoint-bootstrap…); left as it is"
                .into(),
        ));
    }
    let existing = env.iter().rposition(|e| name_of(e) == Some(options_env));
    // Kubernetes takes the last of two entries with one name (and warns); the undo finds
    // the options variable by its name, so one name twice is left alone.
    if env
        .iter()
        .filter(|e| name_of(e) == Some(options_env))
        .count()
        > 1
    {
        return Ok(Plan::Skip(format!(
            "its env sets {options_env} more than once (Kubernetes uses the last); keep one and run again"
        )));
    }
    // ` $(PINPOINT_AGENT_OPTS)` appended after an unclosed `$(` would become part of that
    // reference's name, and the kubelet would pass it on unexpanded.
    if let Some(value) = existing
        .and_then(|i| env[i].field("value"))
        .and_then(Value::as_str)
        && ends_in_open_reference(value)
        && !refers_to(value, OPTS_VAR)
    {
        return Ok(Plan::Skip(format!(
            "its {options_env} ends inside an unclosed $( that would take in the $({OPTS_VAR}) appended to it; close or escape it ($$)"
        )));
    }
    let mut moved_value_from = None;
    if let Some(i) = existing {
        // Shapes Kubernetes rejects: written back, part of them would be lost.
        let field = format!("{field}.env[{i}]");
        let value = env[i].field("value").filter(|v| !v.is_null());
        let value_from = env[i].field("valueFrom").filter(|v| !v.is_null());
        let problem = if value.is_some_and(|v| !v.is_string()) {
            Some("its value is not a string; quote it")
        } else if value_from.is_some_and(|v| !v.is_object()) {
            Some("its valueFrom is not a map")
        } else if value_from.is_some() && value.is_some_and(|v| v != "") {
            Some("it has both a value and a valueFrom; keep one")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(conflict(
                field,
                format!("{}: {problem} (Kubernetes rejects this too)", options_env),
            ));
        }
    }
    if let Some(i) = existing
        && let Some(from) = env[i].field("valueFrom").filter(|v| !v.is_null())
    {
        let optional = ["configMapKeyRef", "secretKeyRef"].iter().any(|k| {
            from.field(k)
                .and_then(|r| r.field("optional"))
                .and_then(Value::as_bool)
                == Some(true)
        });
        if optional {
            return Ok(Plan::Skip(format!(
                "{} comes from an optional reference; if it is missing, $(…) would reach the JVM unexpanded, so the container is left alone",
                options_env
            )));
        }
        moved_value_from = Some(from.clone());
    }
    let own = existing.and_then(|i| own_entry(&env[i], moved_value_from.is_some()));
    let warning = (existing.is_none()
        && container
            .field("envFrom")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty()))
    .then(|| {
        format!(
            "envFrom may also supply {}; the value set here takes precedence over it",
            options_env
        )
    });
    Ok(Plan::Inject(Edit {
        existing,
        moved_value_from,
        own,
        warning,
    }))
}

/// How the user's own options entry must be described in the marker to be given back
/// exactly: its value, when the wiring replaces it or leaves it alone.
fn own_entry(entry: &Value, moved: bool) -> Option<OwnEntry> {
    match entry.field("value") {
        None if moved => None,
        None => Some(OwnEntry::Unset),
        Some(Value::Null) => Some(OwnEntry::Null),
        Some(Value::String(s)) if refers_to(s, OPTS_VAR) && !moved => Some(OwnEntry::UserReference),
        // Blanks alone are a value of the user's, kept before the reference like any
        // other (beside a moved `valueFrom`, where the API server takes none, as empty).
        Some(Value::String(s)) if s.is_empty() || (moved && s.trim_end().is_empty()) => {
            Some(OwnEntry::Empty)
        }
        Some(_) => None,
    }
}

/// A container whose options, command or args already name Pinpoint's bootstrap jar.
fn carries_pinpoint_agent(container: &Value) -> bool {
    let mentions = |s: &str| s.contains("-javaagent:") && s.contains("pinpoint-bootstrap");
    foreign::launch_texts(container).any(mentions)
}
