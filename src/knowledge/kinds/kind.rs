//! [`WorkloadKind`]: a handle on one row of the kind table, and what it says about a
//! resource of that kind (its pod template, its name in messages, its delegation).

use super::builtin::TABLE;
use super::row::{Note, Row};
use serde_json::Value;
use std::fmt;

/// A kind of resource that carries a pod template: a handle on one row of the table.
/// Rows of configured kinds are interned (see [`super::custom`]), so a kind is `Copy`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkloadKind(pub(super) &'static Row);

impl fmt::Debug for WorkloadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.qualified_name())
    }
}

/// The group of an `apiVersion` (`""` for the core group's `v1`).
pub fn group_of(api_version: &str) -> &str {
    api_version
        .rsplit_once('/')
        .map_or("", |(group, _version)| group)
}

/// True when `api_version` is one of the row's `group/version`, `group/*` or `v1`.
fn version_matches(pattern: &str, api_version: &str) -> bool {
    match pattern.strip_suffix("/*") {
        Some(group) => api_version
            .strip_prefix(group)
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(|version| !version.is_empty() && !version.contains('/')),
        None => pattern == api_version,
    }
}

impl WorkloadKind {
    /// Every built-in kind, in table order.
    pub fn all() -> impl Iterator<Item = WorkloadKind> {
        TABLE.iter().map(WorkloadKind)
    }

    /// True when both handles are the very same row (a configured kind is interned:
    /// loading the same config twice gives the same row, not a second one).
    pub fn is_same_row(self, other: WorkloadKind) -> bool {
        std::ptr::eq(self.0, other.0)
    }

    /// The kind's name as written in `kind:`.
    pub fn name(self) -> &'static str {
        self.0.kind
    }

    /// True for kinds whose pods run to completion (Job, CronJob, and the like).
    pub fn runs_to_completion(self) -> bool {
        self.0.runs_to_completion
    }

    /// The API group (the first, for a kind that lives in several: `apps` for
    /// Deployment); `""` for the core group.
    pub fn group(self) -> &'static str {
        self.0.api_versions.first().map_or("", |v| group_of(v))
    }

    /// `Kind.group` as kubectl writes it (`StatefulSet.apps.kruise.io`); the bare kind
    /// for the core group.
    pub fn qualified_name(self) -> String {
        match self.group() {
            "" => self.name().to_string(),
            group => format!("{}.{group}", self.name()),
        }
    }

    /// The name `select.kinds` knows it by in messages: the bare kind, or `Kind.group`
    /// when another built-in kind has the same name (OpenKruise's StatefulSet).
    pub fn selection_name(self) -> String {
        let shared = Self::all().any(|w| w != self && w.name() == self.name());
        if shared {
            self.qualified_name()
        } else {
            self.name().to_string()
        }
    }

    /// The `apiVersion` patterns the kind matches (`apps/*`, `serving.knative.dev/v1`).
    pub fn api_versions(self) -> &'static [&'static str] {
        self.0.api_versions
    }

    /// Where the row's field paths were read from (for a configured kind: the config).
    pub fn source(self) -> &'static str {
        self.0.source
    }

    fn in_group(self, group: &str) -> bool {
        self.0.api_versions.iter().any(|v| group_of(v) == group)
    }

    fn matches(self, api_version: &str, kind: &str) -> bool {
        self.0.kind == kind
            && self
                .0
                .api_versions
                .iter()
                .any(|pattern| version_matches(pattern, api_version))
    }

    /// The first built-in kind of this name (`StatefulSet` is apps/v1's); see
    /// [`Self::named`] for every kind a name means.
    pub fn from_name(name: &str) -> Option<WorkloadKind> {
        Self::all().find(|w| w.name() == name)
    }

    /// The built-in workload kind of a resource, if its `apiVersion` and `kind` name one.
    pub fn of(api_version: &str, kind: &str) -> Option<WorkloadKind> {
        Self::lookup(api_version, kind, &[])
    }

    /// The workload kind of a resource among the built-in kinds and `configured` ones.
    pub fn lookup(
        api_version: &str,
        kind: &str,
        configured: &[WorkloadKind],
    ) -> Option<WorkloadKind> {
        Self::all()
            .chain(configured.iter().copied())
            .find(|w| w.matches(api_version, kind))
    }

    /// The kinds a `select.kinds` entry means: a bare kind (`StatefulSet`) is every
    /// kind of that name; `Kind.group` (`StatefulSet.apps.kruise.io`) is the one of
    /// that group. Empty when it names none.
    pub fn named(entry: &str, configured: &[WorkloadKind]) -> Vec<WorkloadKind> {
        let (kind, group) = match entry.split_once('.') {
            Some((kind, group)) => (kind, Some(group)),
            None => (entry, None),
        };
        Self::all()
            .chain(configured.iter().copied())
            .filter(|w| w.name() == kind && group.is_none_or(|g| w.in_group(g)))
            .collect()
    }

    /// The path of the pod template, for messages (`spec.template`; alternatives are
    /// joined with "or").
    pub fn template_path(self) -> String {
        self.0.template_paths.join(" or ")
    }

    /// The path of the pod template this resource has (the first alternative that is
    /// there), else [`Self::template_path`]: for the `field` of a result.
    pub fn template_path_in(self, resource: &Value) -> String {
        self.0
            .template_paths
            .iter()
            .find(|path| at(resource, path).is_some_and(Value::is_object))
            .map_or_else(|| self.template_path(), |path| path.to_string())
    }

    /// The pod template (an object with `metadata` and `spec`) inside a resource.
    pub fn pod_template_mut(self, resource: &mut Value) -> Option<&mut Value> {
        self.pod_template_at_mut(resource)
            .map(|(_, template)| template)
    }

    /// The pod template and its dot path.
    pub fn pod_template_at_mut(self, resource: &mut Value) -> Option<(&'static str, &mut Value)> {
        let path = *self
            .0
            .template_paths
            .iter()
            .find(|path| at(resource, path).is_some_and(Value::is_object))?;
        let mut node = resource;
        for key in keys(path) {
            node = node.get_mut(key)?;
        }
        Some((path, node))
    }

    /// Read-only view of the pod template.
    pub fn pod_template(self, resource: &Value) -> Option<&Value> {
        self.0
            .template_paths
            .iter()
            .find_map(|path| at(resource, path).filter(|v| v.is_object()))
    }

    /// When the resource takes its pods from another resource instead of a template of
    /// its own (an Argo Rollout with `spec.workloadRef`), the info line that says so.
    pub fn delegation(self, resource: &Value) -> Option<String> {
        let delegate = self.0.delegate?;
        let reference = at(resource, delegate.field)?;
        let has_containers = self
            .pod_template(resource)
            .and_then(|t| t.get("spec")?.get("containers")?.as_array())
            .is_some_and(|c| !c.is_empty());
        if has_containers {
            return None;
        }
        let text = |key: &str| reference.get(key).and_then(Value::as_str).unwrap_or("");
        let target = match (text("kind"), text("name")) {
            ("", "") => "another resource".to_string(),
            (kind, name) => format!(
                "{} {name:?}",
                if kind.is_empty() { "resource" } else { kind }
            ),
        };
        Some(format!(
            "left unchanged: it takes its pods from {} ({target}) and has no pod template of its own; the pod template of {target} is the one that gets the agent, so make sure it goes through pinpoint-inject too",
            delegate.field
        ))
    }

    /// The warning every wired resource of this kind gets, if any (the decide layer
    /// words it).
    pub fn note(self) -> Option<Note> {
        self.0.note
    }
}

/// The keys of a dot path (none for `""`).
fn keys(path: &str) -> impl Iterator<Item = &str> {
    path.split('.').filter(|k| !k.is_empty())
}

/// The value at a dot path.
fn at<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    keys(path).try_fold(value, |node, key| node.get(key))
}

/// True for a list whose items are resources of their own: `v1 List`, and any other
/// `*List` kind (`apps/v1 DeploymentList`, a CRD's list). kubectl and Helm read every
/// object with `items` as a list of the objects in it and apply those one by one
/// (k8s.io/apimachinery `pkg/apis/meta/v1/unstructured/helpers.go`,
/// `unstructuredJSONScheme.decode`: "if det.Items != nil" it decodes an
/// `UnstructuredList`). A KRM `ResourceList` is no such list: it is the function's input.
pub fn is_list(api_version: &str, kind: &str) -> bool {
    (api_version == "v1" && kind == "List")
        || (kind.len() > "List".len()
            && kind.ends_with("List")
            && !api_version.starts_with("config.kubernetes.io/"))
}

/// True when a resource's text may hold a workload or a List (a cheap look at the
/// top-level `kind:` line, used only to pick the faster parse; the parse decides).
pub fn may_be_workload_text(kind: &str) -> bool {
    kind.ends_with("List") || WorkloadKind::all().any(|w| w.name() == kind)
}
