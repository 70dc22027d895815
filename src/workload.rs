//! The one table from workload kind to the path of its pod template.
//!
//! Everything that is not in this table passes through untouched.

use serde_json::Value;

/// A kind of resource that carries a pod template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WorkloadKind {
    Deployment,
    StatefulSet,
    DaemonSet,
    ReplicaSet,
    ReplicationController,
    Job,
    CronJob,
    Pod,
    PodTemplate,
}

/// One row: the kind, the API groups it lives in, and where its pod template is.
/// An empty path means the resource is itself the pod (metadata + spec).
struct Row {
    kind: WorkloadKind,
    name: &'static str,
    groups: &'static [&'static str],
    template_path: &'static [&'static str],
}

const TEMPLATE: &[&str] = &["spec", "template"];

const TABLE: &[Row] = &[
    Row {
        kind: WorkloadKind::Deployment,
        name: "Deployment",
        groups: &["apps", "extensions"],
        template_path: TEMPLATE,
    },
    Row {
        kind: WorkloadKind::StatefulSet,
        name: "StatefulSet",
        groups: &["apps"],
        template_path: TEMPLATE,
    },
    Row {
        kind: WorkloadKind::DaemonSet,
        name: "DaemonSet",
        groups: &["apps", "extensions"],
        template_path: TEMPLATE,
    },
    Row {
        kind: WorkloadKind::ReplicaSet,
        name: "ReplicaSet",
        groups: &["apps", "extensions"],
        template_path: TEMPLATE,
    },
    Row {
        kind: WorkloadKind::ReplicationController,
        name: "ReplicationController",
        groups: &[""],
        template_path: TEMPLATE,
    },
    Row {
        kind: WorkloadKind::Job,
        name: "Job",
        groups: &["batch"],
        template_path: TEMPLATE,
    },
    Row {
        kind: WorkloadKind::CronJob,
        name: "CronJob",
        groups: &["batch"],
        template_path: &["spec", "jobTemplate", "spec", "template"],
    },
    Row {
        kind: WorkloadKind::Pod,
        name: "Pod",
        groups: &[""],
        template_path: &[],
    },
    Row {
        kind: WorkloadKind::PodTemplate,
        name: "PodTemplate",
        groups: &[""],
        template_path: &["template"],
    },
];

impl WorkloadKind {
    /// Every kind, in table order.
    pub fn all() -> impl Iterator<Item = WorkloadKind> {
        TABLE.iter().map(|row| row.kind)
    }

    fn row(self) -> &'static Row {
        TABLE
            .iter()
            .find(|row| row.kind == self)
            .expect("every kind has a row")
    }

    /// The kind's name as written in `kind:`.
    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// Look a kind up by the name written in `kind:` (case-sensitive, as Kubernetes is).
    pub fn from_name(name: &str) -> Option<WorkloadKind> {
        TABLE
            .iter()
            .find(|row| row.name == name)
            .map(|row| row.kind)
    }

    /// The workload kind of a resource, if its `apiVersion` and `kind` name one.
    pub fn of(api_version: &str, kind: &str) -> Option<WorkloadKind> {
        let group = match api_version.rsplit_once('/') {
            Some((group, _version)) => group,
            None => "",
        };
        TABLE
            .iter()
            .find(|row| row.name == kind && row.groups.contains(&group))
            .map(|row| row.kind)
    }

    /// The path of the pod template, for messages (`spec.template`).
    pub fn template_path(self) -> String {
        self.row().template_path.join(".")
    }

    /// The pod template (an object with `metadata` and `spec`) inside a resource.
    pub fn pod_template_mut(self, resource: &mut Value) -> Option<&mut Value> {
        let mut node = resource;
        for key in self.row().template_path {
            node = node.get_mut(*key)?;
        }
        node.is_object().then_some(node)
    }

    /// Read-only view of the pod template.
    pub fn pod_template(self, resource: &Value) -> Option<&Value> {
        let mut node = resource;
        for key in self.row().template_path {
            node = node.get(*key)?;
        }
        node.is_object().then_some(node)
    }
}

/// True for a `v1 List`, whose items are resources of their own.
pub fn is_list(api_version: &str, kind: &str) -> bool {
    api_version == "v1" && kind == "List"
}

/// True when a resource's text may hold a workload or a List (a cheap look at the
/// top-level `kind:` line, used only to pick the faster parse; the parse decides).
pub fn may_be_workload_text(kind: &str) -> bool {
    kind == "List" || TABLE.iter().any(|row| row.name == kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// One test per kind: the kind is found from apiVersion and kind, and its pod
    /// template is where Kubernetes keeps it (the object with a `spec` inside).
    macro_rules! kind_case {
        ($test:ident, $api_version:expr, $kind:expr, $resource:expr, $path:expr) => {
            #[test]
            fn $test() {
                let mut resource = $resource;
                let workload = WorkloadKind::of($api_version, $kind).expect("a workload kind");
                assert_eq!(workload.name(), $kind);
                assert_eq!(workload.template_path(), $path);
                let template = workload
                    .pod_template_mut(&mut resource)
                    .expect("a pod template");
                assert_eq!(template["spec"]["marker"], $kind);
            }
        };
    }

    kind_case!(
        deployment,
        "apps/v1",
        "Deployment",
        json!({"spec": {"template": {"spec": {"marker": "Deployment"}}}}),
        "spec.template"
    );
    kind_case!(
        statefulset,
        "apps/v1",
        "StatefulSet",
        json!({"spec": {"template": {"spec": {"marker": "StatefulSet"}}}}),
        "spec.template"
    );
    kind_case!(
        daemonset,
        "apps/v1",
        "DaemonSet",
        json!({"spec": {"template": {"spec": {"marker": "DaemonSet"}}}}),
        "spec.template"
    );
    kind_case!(
        replicaset,
        "apps/v1",
        "ReplicaSet",
        json!({"spec": {"template": {"spec": {"marker": "ReplicaSet"}}}}),
        "spec.template"
    );
    kind_case!(
        replicationcontroller,
        "v1",
        "ReplicationController",
        json!({"spec": {"template": {"spec": {"marker": "ReplicationController"}}}}),
        "spec.template"
    );
    kind_case!(
        job,
        "batch/v1",
        "Job",
        json!({"spec": {"template": {"spec": {"marker": "Job"}}}}),
        "spec.template"
    );
    kind_case!(
        cronjob,
        "batch/v1",
        "CronJob",
        json!({"spec": {"jobTemplate": {"spec": {"template": {"spec": {"marker": "CronJob"}}}}}}),
        "spec.jobTemplate.spec.template"
    );
    kind_case!(pod, "v1", "Pod", json!({"spec": {"marker": "Pod"}}), "");
    kind_case!(
        podtemplate,
        "v1",
        "PodTemplate",
        json!({"template": {"spec": {"marker": "PodTemplate"}}}),
        "template"
    );

    #[test]
    fn the_table_has_every_kind_once() {
        let names: Vec<_> = WorkloadKind::all().map(WorkloadKind::name).collect();
        assert_eq!(names.len(), 9);
        for name in &names {
            assert_eq!(names.iter().filter(|n| *n == name).count(), 1, "{name}");
        }
    }

    #[test]
    fn same_kind_in_another_group_is_not_a_workload() {
        assert_eq!(WorkloadKind::of("example.com/v1", "Deployment"), None);
        assert_eq!(WorkloadKind::of("v1", "Deployment"), None);
        assert_eq!(WorkloadKind::of("apps/v1", "deployment"), None);
        assert_eq!(
            WorkloadKind::of("extensions/v1beta1", "Deployment"),
            Some(WorkloadKind::Deployment)
        );
    }
}
