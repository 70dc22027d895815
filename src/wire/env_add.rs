//! Our variables in one target container's `env`: the downward-API variables, a moved or
//! kept original value, `PINPOINT_AGENT_OPTS`, all in one run before the first entry that
//! refers to them, and the options variable referring to them (the undo is
//! [`crate::wire::env_wiring`]).

use crate::config::{AgentId, AgentName, Settings};
use crate::decide::targets::Target;
use crate::knowledge::ours::{
    OPTS_VAR, ORIGINAL_PREFIX, POD_IP_VAR, POD_NAME_VAR, reference, refers_to,
};
use crate::value::Field;
use crate::wire::flags::agent_options;
use crate::wire::marker::OwnEntry;
use crate::wire::plan::Edit;
use crate::wire::value_edit::{name_of, object_entry_array, to_value_again};
use k8s_openapi::api::core::v1::{EnvVar, EnvVarSource, ObjectFieldSelector};
use serde_json::{Map, Value};

/// Add our variables to `container` and point its options variable at them, as planned.
pub(crate) fn add(
    container: &mut Map<String, Value>,
    settings: &Settings,
    target: &Target,
    edit: &Edit,
) {
    let mut ours: Vec<EnvVar> = Vec::new();
    let needs_name =
        settings.agent_name == AgentName::PodName || settings.agent_id == AgentId::PodName;
    if needs_name {
        ours.push(field_env(POD_NAME_VAR, "metadata.name"));
    }
    if settings.agent_id == AgentId::PodIp {
        ours.push(field_env(POD_IP_VAR, "status.podIP"));
    }
    let original_var = format!("{ORIGINAL_PREFIX}{}", target.options_env);
    // The image's own value of a variable the pod does not set: kept in a variable of
    // ours (Kubernetes' `$(VAR)` cannot see the image's environment), as a literal.
    let image_value = target
        .image_value
        .as_deref()
        .filter(|_| edit.existing.is_none());
    if let Some(from) = &edit.moved_value_from {
        ours.push(EnvVar {
            name: original_var.clone(),
            value_from: serde_json::from_value::<EnvVarSource>(from.clone()).ok(),
            ..Default::default()
        });
    } else if let Some(value) = image_value {
        ours.push(EnvVar {
            name: original_var.clone(),
            value: Some(escape_dollars(value)),
            ..Default::default()
        });
    }
    ours.push(EnvVar {
        name: OPTS_VAR.to_string(),
        value: Some(agent_options(settings, &target.application_name)),
        ..Default::default()
    });
    let mut ours: Vec<Value> = ours.iter().map(to_value_again).collect();
    if let Some(from) = &edit.moved_value_from {
        // Keep the user's valueFrom exactly as written, not as k8s-openapi re-spells it.
        let moved = ours
            .iter_mut()
            .find(|e| name_of(e) == Some(original_var.as_str()))
            .expect("pushed above");
        moved["valueFrom"] = from.clone();
    }

    let env = object_entry_array(container, "env");
    // Room for exactly what is added: a list that doubled would keep spare room for as
    // many entries again (a workload with tens of thousands of them).
    env.reserve_exact(ours.len() + 1);
    let opts_ref = reference(OPTS_VAR);
    // Ours go before the first entry that refers to them (Kubernetes expands `$(VAR)`
    // only from entries defined earlier): the options entry, or one of the user's own.
    let first_reference = env.iter().position(|e| {
        e.field("value")
            .and_then(Value::as_str)
            .is_some_and(|v| refers_to(v, OPTS_VAR))
    });
    match edit.existing {
        None => {
            let at = first_reference.unwrap_or(env.len());
            env.splice(at..at, ours);
            let value = match image_value {
                Some(_) => format!("{} {opts_ref}", reference(&original_var)),
                None => opts_ref,
            };
            env.push(to_value_again(&EnvVar {
                name: target.options_env.clone(),
                value: Some(value),
                ..Default::default()
            }));
        }
        Some(index) => {
            let entry = env[index].as_object_mut().expect("env entries are maps");
            if edit.moved_value_from.is_some() {
                entry.remove("valueFrom");
                entry.insert(
                    "value".into(),
                    Value::String(format!("{} {opts_ref}", reference(&original_var))),
                );
            } else if !edit.own.is_some_and(OwnEntry::is_reference) {
                // Kept as it is, trailing blanks included: unwiring takes back exactly
                // the ` $(…)` added after it.
                let user = entry
                    .field("value")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let value = if edit.own.is_some() {
                    opts_ref
                } else {
                    format!("{user} {opts_ref}")
                };
                entry.insert("value".into(), Value::String(value));
            }
            let at = first_reference.map_or(index, |r| r.min(index));
            env.splice(at..at, ours);
        }
    }
}

fn field_env(name: &str, field_path: &str) -> EnvVar {
    EnvVar {
        name: name.to_string(),
        value_from: Some(EnvVarSource {
            field_ref: Some(ObjectFieldSelector {
                field_path: field_path.to_string(),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// A literal for an env `value`: Kubernetes reads `$$` as `$` and expands `$(VAR)`, so
/// every `$` is doubled and the value reaches the process as the image wrote it.
fn escape_dollars(value: &str) -> String {
    value.replace('$', "$$")
}
