//! Kinds the tool does not know: which documents are looked at, and the note that names
//! their pod templates.

use super::*;
use serde_json::json;

#[test]
fn unknown_kinds_with_a_pod_template_are_found() {
    let widget = json!({
        "apiVersion": "example.com/v1", "kind": "Widget",
        "metadata": {"name": "w", "annotations": {"spec": {"containers": []}}},
        "spec": {"runner": {"template": {"spec": {"containers": [{"name": "app"}]}}},
                 "jobs": {"jobTemplate": {"spec": {"template": {"spec": {"containers": []}}}}},
                 "sidecars": [{"spec": {"containers": []}}]}
    });
    assert_eq!(
        pod_template_paths(&widget),
        [
            "spec.runner.template",
            "spec.jobs.jobTemplate.spec.template"
        ]
    );
    let note = unknown_kind_note(&widget, Form::Injector).unwrap();
    assert!(
        note.contains(
            "{apiVersion: example.com/v1, kind: Widget, podTemplate: spec.runner.template}"
        ),
        "{note}"
    );
    // A ConfigMap config is told the line its own workloads key takes.
    let note = unknown_kind_note(&widget, Form::ConfigMap).unwrap();
    assert!(
        note.contains(
            "add the line `example.com/v1 Widget spec.runner.template` to data.workloads"
        ) && note.contains("(data.workloads takes one path per kind)"),
        "{note}"
    );
    // A SidecarSet's top-level containers are not a pod template; a ConfigMap has none.
    let sidecar_set = json!({"apiVersion": "apps.kruise.io/v1alpha1", "kind": "SidecarSet", "spec": {"containers": [{"name": "log"}]}});
    assert_eq!(unknown_kind_note(&sidecar_set, Form::Injector), None);
    let config_map = json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {"containers": "x"}});
    assert_eq!(unknown_kind_note(&config_map, Form::Injector), None);
}

#[test]
fn out_of_scope_shapes_are_as_the_readme_says() {
    // Argo Workflows: one container per template, in a list: nothing to name.
    let workflow = json!({"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
        "spec": {"templates": [{"name": "main", "container": {"image": "x"}}]}});
    assert_eq!(unknown_kind_note(&workflow, Form::Injector), None);
    // Flink: a whole Pod where a template would be; it has metadata and spec, so it is named.
    let flink = json!({"apiVersion": "flink.apache.org/v1beta1", "kind": "FlinkDeployment",
        "spec": {"podTemplate": {"apiVersion": "v1", "kind": "Pod",
            "spec": {"containers": [{"name": "flink-main-container"}]}}}});
    assert_eq!(pod_template_paths(&flink), ["spec.podTemplate"]);
    // ECK: a pod template per node set, in a list; named, as one the config cannot reach.
    let elasticsearch = json!({"apiVersion": "elasticsearch.k8s.elastic.co/v1", "kind": "Elasticsearch",
        "spec": {"version": "8.17.0", "nodeSets": [{"name": "default", "count": 3},
            {"name": "hot", "podTemplate": {"spec": {"containers": [{"name": "elasticsearch"}]}}}]}});
    assert!(pod_template_paths(&elasticsearch).is_empty());
    let note = unknown_kind_note(&elasticsearch, Form::Injector).unwrap();
    assert!(
        note.starts_with(UNKNOWN_KIND_NOTE)
            && note.contains(
                "at spec.nodeSets[1].podTemplate is inside a list, which spec.workloads cannot name"
            ),
        "{note}"
    );
    // A policy's pattern in a list is no pod template (Kyverno's require-requests-limits).
    let policy = json!({"apiVersion": "kyverno.io/v1", "kind": "ClusterPolicy",
        "spec": {"rules": [{"name": "limits", "validate": {"pattern": {"spec": {"containers": [{"resources": {"limits": {"memory": "?*"}}}]}}}},
            {"name": "patch", "mutate": {"patchStrategicMerge": {"spec": {"containers": [{"(name)": "*"}]}}}}]}});
    assert_eq!(unknown_kind_note(&policy, Form::Injector), None);
}

#[test]
fn only_documents_that_mention_containers_are_looked_at() {
    assert!(may_carry_pods(
        None,
        Some("Gizmo"),
        "spec:\n  containers: []\n"
    ));
    assert!(may_carry_pods(
        None,
        None,
        "{kind: Gizmo, spec: {containers: []}}"
    ));
    assert!(!may_carry_pods(None, Some("ConfigMap"), "data:\n  a: b\n"));
    assert!(!may_carry_pods(
        None,
        Some("CustomResourceDefinition"),
        "spec:\n  containers:\n    type: array\n"
    ));
    // A built-in kind that holds no pod is never looked into; the same kind in another
    // group may be a custom resource that does.
    let dashboard = "data:\n  d.json: '{\"containers\": 1}'\n";
    assert!(!may_carry_pods(Some("v1"), Some("ConfigMap"), dashboard));
    assert!(may_carry_pods(
        Some("example.com/v1"),
        Some("ConfigMap"),
        dashboard
    ));
    assert!(may_carry_pods(
        Some("v1"),
        Some("PodTemplate"),
        "template:\n  spec:\n    containers: []\n"
    ));
    assert!(!may_carry_pods(
        Some("admissionregistration.k8s.io/v1"),
        Some("ValidatingAdmissionPolicy"),
        "spec:\n  validations:\n  - expression: object.spec.containers.all(c, true)\n"
    ));
}
