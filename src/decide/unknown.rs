//! No silent miss: a resource whose kind is not in the table but that carries a pod
//! template anyway (an object with `spec.containers`, like `spec.template` or
//! `spec.jobTemplate.spec.template`) is named, with the `spec.workloads` entry that
//! would instrument it.
//!
//! Paths `spec.workloads` can name are looked at first: objects, not list items, at most
//! [`MAX_DEPTH`] keys deep. When there is none, a pod template inside a list (ECK's
//! `spec.nodeSets[].podTemplate`) is named as one the config cannot reach. A `containers`
//! list at the top (`spec.containers`, as in OpenKruise's SidecarSet) is not a pod
//! template and is not reported.

use crate::config::Form;
use crate::knowledge::kinds::{self, Note, WorkloadKind, group_of};
use crate::value::Field;
use serde_json::Value;

/// How deep to look for a pod template.
pub const MAX_DEPTH: usize = 8;

/// Kinds that mention `containers` only in a schema (a CRD's OpenAPI schema): never
/// parsed to look for a pod (Helm's `--include-crds` emits big ones).
const SCHEMA_KINDS: &[&str] = &["CustomResourceDefinition"];

/// The cheap test before a full parse (`api_version` and `kind` as read from the text):
/// a document that does not contain `containers` anywhere cannot carry a pod, nor can a
/// built-in kind that holds none ([`kinds::holds_no_pod`]: a ConfigMap of dashboards).
pub fn may_carry_pods(api_version: Option<&str>, kind: Option<&str>, text: &str) -> bool {
    let podless = match (api_version, kind) {
        (Some(api_version), Some(kind)) => kinds::holds_no_pod(api_version, kind),
        _ => false,
    };
    !podless && !kind.is_some_and(|k| SCHEMA_KINDS.contains(&k)) && text.contains("containers")
}

/// The dot paths of the pod templates in a resource, in document order.
pub fn pod_template_paths(resource: &Value) -> Vec<String> {
    let mut found = Vec::new();
    walk_resource(resource, false, &mut found);
    found
}

/// The first pod template inside a list (`spec.nodeSets[0].podTemplate`), when no path
/// `spec.workloads` can name leads to one. Only a field named as a template counts: in a
/// list, `spec.containers` is as often a policy's pattern or patch (Kyverno's
/// `spec.rules[0].validate.pattern`).
pub fn listed_template_path(resource: &Value) -> Option<String> {
    let mut found = Vec::new();
    walk_resource(resource, true, &mut found);
    found.into_iter().find(|p| {
        let last = p.rsplit('.').next().unwrap_or_default();
        p.contains('[') && last.to_ascii_lowercase().contains("template")
    })
}

fn walk_resource(resource: &Value, lists: bool, found: &mut Vec<String>) {
    if let Some(root) = resource.as_object() {
        let mut path = Vec::new();
        for (key, child) in root {
            if !matches!(key.as_str(), "apiVersion" | "kind" | "metadata" | "status") {
                path.push(Step::Key(key));
                walk(child, &mut path, lists, found);
                path.pop();
            }
        }
    }
}

/// One step of the path to a node: a key, or an index into a list.
enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

/// `spec.nodeSets[0].podTemplate`: spelled only for a template found, so that a long key
/// above a long list is not copied once per item.
fn spell(path: &[Step<'_>]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) if out.is_empty() => out.push_str(key),
            Step::Key(key) => {
                out.push('.');
                out.push_str(key);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// `path` holds the steps to `node`, one per level (its length is the depth).
fn walk<'v>(node: &'v Value, path: &mut Vec<Step<'v>>, lists: bool, found: &mut Vec<String>) {
    let depth = path.len();
    let map = match node {
        Value::Object(map) => map,
        Value::Array(items) if lists && depth < MAX_DEPTH => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                walk(item, path, lists, found);
                path.pop();
            }
            return;
        }
        _ => return,
    };
    let has_containers = map
        .field("spec")
        .and_then(|spec| spec.field("containers"))
        .is_some_and(Value::is_array);
    if has_containers {
        found.push(spell(path));
        return;
    }
    if depth >= MAX_DEPTH {
        return;
    }
    for (key, child) in map {
        path.push(Step::Key(key));
        walk(child, path, lists, found);
        path.pop();
    }
}

/// How the unknown-kind note starts: KRM mode prints it on stderr too (kustomize shows
/// a function's stderr, never its info results), so no pod-bearing kind is missed silently.
pub const UNKNOWN_KIND_NOTE: &str = "left unchanged: kind ";

/// True for the message [`unknown_kind_note`] writes.
pub fn is_unknown_kind_note(message: &str) -> bool {
    message.starts_with(UNKNOWN_KIND_NOTE)
}

/// The info line for a resource outside the table that carries a pod template.
/// The entry to add is spelled the way the config's `form` writes one.
pub fn unknown_kind_note(resource: &Value, form: Form) -> Option<String> {
    let paths = pod_template_paths(resource);
    let text = |key: &str| resource.field(key).and_then(Value::as_str).unwrap_or("");
    let (api_version, kind) = (text("apiVersion"), text("kind"));
    let Some(first) = paths.first() else {
        let listed = listed_template_path(resource)?;
        return Some(format!(
            "{UNKNOWN_KIND_NOTE}{kind} of {api_version} is not one pinpoint-inject knows, and the pod template it carries at {listed} is inside a list, which {} cannot name (field names and dots only): put the agent in the image, or wire the template by hand",
            form.field("workloads")
        ));
    };
    let what = if paths.len() == 1 {
        format!("a pod template at {first}")
    } else {
        format!(
            "pod templates at {} ({} takes one path per kind)",
            paths.join(", "),
            form.field("workloads")
        )
    };
    let group = match group_of(api_version) {
        "" => String::new(),
        group => format!(" (or {group}/* for every version)"),
    };
    let entry = match form {
        Form::Injector => {
            format!("{{apiVersion: {api_version}, kind: {kind}, podTemplate: {first}}}")
        }
        Form::ConfigMap => format!("the line `{api_version} {kind} {first}`"),
    };
    Some(format!(
        "{UNKNOWN_KIND_NOTE}{kind} of {api_version} is not one pinpoint-inject knows, but it carries {what}; to instrument it, add {entry} to {}{group}",
        form.field("workloads")
    ))
}

/// The indexes of a pod template's containers that have no name (Knative allows that;
/// containers are chosen and wired by name).
pub fn unnamed_containers(template: &Value) -> Vec<usize> {
    let containers = template.field("spec").and_then(|s| s.field("containers"));
    let unnamed = |c: &Value| {
        c.field("name")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
    };
    containers
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter(|(_, c)| unnamed(c))
        .map(|(i, _)| i)
        .collect()
}

/// Why a container may have no name in `workload`'s manifest: Knative names them when
/// it deploys (`KnativePodSpec`); everywhere else the API server refuses the pod.
pub fn why_unnamed(workload: WorkloadKind) -> &'static str {
    match workload.note() {
        Some(Note::KnativePodSpec) => "Knative names them when it deploys",
        _ => "the API server refuses a container without one",
    }
}

/// How many containers a pod template has.
pub fn container_count(template: &Value) -> usize {
    let containers = template.field("spec").and_then(|s| s.field("containers"));
    containers.and_then(Value::as_array).map_or(0, Vec::len)
}

#[cfg(test)]
mod tests;
