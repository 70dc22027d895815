//! Whether a workload is selected: the opt-out annotation, then `select.kinds`,
//! `namespaces`, `excludeNames`, `matchLabels`, and opt-in (ours, or another APM's key).

use crate::config::Settings;
use crate::decide::fields::{annotation, keys, map_at, str_at};
use crate::knowledge::kinds::WorkloadKind;
use crate::knowledge::ours::{
    APPLICATION_NAME_ANNOTATION, CONTAINERS_ANNOTATION, INJECT_ANNOTATION,
};
use serde_json::Value;

/// One of our annotations written with a value that is not a string (`inject: false`
/// unquoted is YAML's boolean, `application-name: 2024` a number): the API server refuses
/// it (annotations are strings), and reading it as absent would, say, wire a workload its
/// author opted out. `None` when every one is a string.
pub fn unquoted_flag(resource: &Value, workload: WorkloadKind) -> Option<String> {
    let template = workload.pod_template(resource);
    let (place, key, value) = [
        ("metadata", Some(resource)),
        ("spec.template.metadata", template),
    ]
    .into_iter()
    .filter_map(|(place, v)| Some((place, map_at(v?, &["metadata", "annotations"])?)))
    .find_map(|(place, annotations)| {
        OURS.iter().find_map(|key| {
            let value = annotations.get(*key)?;
            (!value.is_string()).then_some((place, *key, value))
        })
    })?;
    let meant = match value {
        Value::Null => String::new(),
        other => other.to_string(),
    };
    Some(format!(
        "{place}.annotations {key} is {value}, not a string: Kubernetes takes only strings as annotations; quote it (\"{meant}\")"
    ))
}

/// The annotations a workload may carry for this tool.
const OURS: [&str; 3] = [
    INJECT_ANNOTATION,
    APPLICATION_NAME_ANNOTATION,
    CONTAINERS_ANNOTATION,
];

/// Why a workload is left alone, or `None` when it is selected.
pub fn not_selected(
    resource: &Value,
    workload: WorkloadKind,
    settings: &Settings,
) -> Option<String> {
    let select = &settings.select;
    let template = workload.pod_template(resource);
    let flag = annotation(resource, template, INJECT_ANNOTATION);
    if flag == Some("false") {
        return Some(format!("annotated {INJECT_ANNOTATION}: \"false\""));
    }
    if !select.kinds.contains(&workload) {
        return Some(format!(
            "kind {} is not in select.kinds",
            workload.selection_name()
        ));
    }
    let namespace = str_at(resource, &["metadata", "namespace"]);
    if !select.namespaces.is_empty() && !select.namespaces.iter().any(|n| n == namespace) {
        return Some(format!(
            "namespace {namespace:?} is not in select.namespaces"
        ));
    }
    let name = str_at(resource, &["metadata", "name"]);
    if select.exclude_names.iter().any(|n| n == name) {
        return Some("its name is in select.excludeNames".into());
    }
    if !select.match_labels.is_empty() {
        let labels = map_at(resource, &["metadata", "labels"]);
        let matches = select.match_labels.iter().all(|(k, v)| {
            labels.and_then(|l| l.get(k)).and_then(Value::as_str) == Some(v.as_str())
        });
        if !matches {
            return Some("its labels do not match select.matchLabels".into());
        }
    }
    // Another APM's opt-in key (ARMS, OpenTelemetry, Datadog, SkyWalking) counts too.
    let production = template.and_then(|t| keys(resource, t).opt_in());
    if select.opt_in && flag != Some("true") && production.is_none() {
        return Some(format!(
            "select.optIn is set and it is not annotated {INJECT_ANNOTATION}: \"true\" (nor opted in by another APM's key)"
        ));
    }
    None
}
