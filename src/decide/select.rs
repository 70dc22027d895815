//! Whether a workload is selected: the opt-out annotation, then `select.kinds`,
//! `namespaces`, `excludeNames`, `matchLabels`, and opt-in (ours, or another APM's key).

use crate::config::Settings;
use crate::decide::fields::{annotations, keys, map_at, str_at};
use crate::knowledge::kinds::WorkloadKind;
use crate::knowledge::ours::{
    APPLICATION_NAME_ANNOTATION, CONTAINERS_ANNOTATION, INJECT_ANNOTATION, MARKER,
};
use crate::value::Field;
use serde_json::Value;

/// One of our annotations that cannot be read as meant, so that the workload is left
/// alone with an error rather than wired against its author's intent:
/// - written with a value that is not a string (`inject: false` unquoted is YAML's
///   boolean, `application-name: 2024` a number): the API server refuses it
///   (annotations are strings);
/// - `inject` with a value other than `"true"` or `"false"` (`"False"`, `"no"`, `"off"`);
/// - a key under our prefix that is none of ours (`pinpoint-inject.dev/injectt`).
///
/// `None` when every one is fine.
pub fn unquoted_flag(resource: &Value, workload: WorkloadKind) -> Option<String> {
    let template = workload.pod_template(resource);
    let places = [
        ("metadata", Some(resource)),
        ("spec.template.metadata", template),
    ]
    .into_iter()
    .filter_map(|(place, v)| Some((place, map_at(v?, &["metadata", "annotations"])?)));
    for (place, annotations) in places {
        for (key, value) in annotations {
            let ours = OURS.contains(&key.as_str());
            if let Some(rest) = key.strip_prefix(PREFIX)
                && !ours
                && key != MARKER
            {
                return Some(format!(
                    "{place}.annotations {key}: {PREFIX}{rest} is no annotation of this tool (it reads {}); fix the key",
                    OURS.join(", ")
                ));
            }
            if !ours {
                continue;
            }
            match value {
                Value::String(flag)
                    if key == INJECT_ANNOTATION && !matches!(flag.as_str(), "true" | "false") =>
                {
                    return Some(format!(
                        "{place}.annotations {key} is {flag:?}: it takes \"true\" or \"false\""
                    ));
                }
                Value::String(_) => {}
                other => {
                    let meant = match other {
                        Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    return Some(format!(
                        "{place}.annotations {key} is {other}, not a string: Kubernetes takes only strings as annotations; quote it (\"{meant}\")"
                    ));
                }
            }
        }
    }
    None
}

/// The prefix of this tool's annotations.
const PREFIX: &str = "pinpoint-inject.dev/";

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
    // An opt-out on either the workload or its pod template wins over an opt-in on the
    // other.
    let flags = annotations(resource, template, INJECT_ANNOTATION);
    let flag = if flags.contains(&Some("false")) {
        Some("false")
    } else {
        flags[0].or(flags[1])
    };
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
            labels.and_then(|l| l.field(k)).and_then(Value::as_str) == Some(v.as_str())
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
