//! One test per built-in kind, and the configured and unknown kinds.

use super::configured::{WorkloadSpec, parse_flat, validate};
use super::detect::{pod_template_paths, unknown_kind_note};
use super::*;
use crate::config::Form;
use serde_json::json;

/// The kind is found from apiVersion and kind, and its pod template is where the
/// kind's API keeps it (the object with a `spec` inside).
macro_rules! kind_case {
    ($test:ident, $api_version:expr, $kind:expr, $resource:expr, $path:expr) => {
        #[test]
        fn $test() {
            let mut resource = $resource;
            let workload = WorkloadKind::of($api_version, $kind).expect("a workload kind");
            assert_eq!(workload.name(), $kind);
            assert_eq!(workload.template_path_in(&resource), $path);
            assert!(!workload.source().is_empty());
            let template = workload
                .pod_template_mut(&mut resource)
                .expect("a pod template");
            assert_eq!(template["spec"]["marker"], $kind);
        }
    };
}

fn at_template(kind: &str) -> Value {
    json!({"spec": {"template": {"spec": {"marker": kind}}}})
}

kind_case!(
    deployment,
    "apps/v1",
    "Deployment",
    at_template("Deployment"),
    "spec.template"
);
kind_case!(
    statefulset,
    "apps/v1",
    "StatefulSet",
    at_template("StatefulSet"),
    "spec.template"
);
kind_case!(
    daemonset,
    "apps/v1",
    "DaemonSet",
    at_template("DaemonSet"),
    "spec.template"
);
kind_case!(
    replicaset,
    "apps/v1",
    "ReplicaSet",
    at_template("ReplicaSet"),
    "spec.template"
);
kind_case!(
    replicationcontroller,
    "v1",
    "ReplicationController",
    at_template("ReplicationController"),
    "spec.template"
);
kind_case!(job, "batch/v1", "Job", at_template("Job"), "spec.template");
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
kind_case!(
    rollout,
    "argoproj.io/v1alpha1",
    "Rollout",
    at_template("Rollout"),
    "spec.template"
);
kind_case!(
    cloneset,
    "apps.kruise.io/v1alpha1",
    "CloneSet",
    at_template("CloneSet"),
    "spec.template"
);
kind_case!(
    cloneset_v1beta1,
    "apps.kruise.io/v1beta1",
    "CloneSet",
    at_template("CloneSet"),
    "spec.template"
);
kind_case!(
    advanced_statefulset,
    "apps.kruise.io/v1beta1",
    "StatefulSet",
    at_template("StatefulSet"),
    "spec.template"
);
kind_case!(
    advanced_daemonset,
    "apps.kruise.io/v1alpha1",
    "DaemonSet",
    at_template("DaemonSet"),
    "spec.template"
);
kind_case!(
    broadcastjob,
    "apps.kruise.io/v1alpha1",
    "BroadcastJob",
    at_template("BroadcastJob"),
    "spec.template"
);
kind_case!(
    advancedcronjob_job,
    "apps.kruise.io/v1alpha1",
    "AdvancedCronJob",
    json!({"spec": {"template": {"jobTemplate": {"spec": {"template": {"spec": {"marker": "AdvancedCronJob"}}}}}}}),
    "spec.template.jobTemplate.spec.template"
);
kind_case!(
    advancedcronjob_broadcast,
    "apps.kruise.io/v1beta1",
    "AdvancedCronJob",
    json!({"spec": {"template": {"broadcastJobTemplate": {"spec": {"template": {"spec": {"marker": "AdvancedCronJob"}}}}}}}),
    "spec.template.broadcastJobTemplate.spec.template"
);
kind_case!(
    knative_service,
    "serving.knative.dev/v1",
    "Service",
    at_template("Service"),
    "spec.template"
);
kind_case!(
    knative_configuration,
    "serving.knative.dev/v1",
    "Configuration",
    at_template("Configuration"),
    "spec.template"
);
kind_case!(
    scaledjob,
    "keda.sh/v1alpha1",
    "ScaledJob",
    json!({"spec": {"jobTargetRef": {"template": {"spec": {"marker": "ScaledJob"}}}}}),
    "spec.jobTargetRef.template"
);

#[test]
fn the_table_has_every_kind_and_group_once() {
    let names: Vec<_> = WorkloadKind::all()
        .map(WorkloadKind::qualified_name)
        .collect();
    assert_eq!(names.len(), 18);
    for name in &names {
        assert_eq!(names.iter().filter(|n| *n == name).count(), 1, "{name}");
    }
}

#[test]
fn same_kind_in_another_group_is_another_kind_or_none() {
    assert_eq!(WorkloadKind::of("example.com/v1", "Deployment"), None);
    assert_eq!(WorkloadKind::of("v1", "Deployment"), None);
    assert_eq!(WorkloadKind::of("apps/v1", "deployment"), None);
    assert_eq!(WorkloadKind::of("v1", "Service"), None);
    assert_eq!(
        WorkloadKind::of("serving.knative.dev/v1alpha1", "Service"),
        None
    );
    assert_eq!(WorkloadKind::of("apps.kruise.io", "CloneSet"), None);
    let deployment = WorkloadKind::of("extensions/v1beta1", "Deployment").unwrap();
    assert_eq!(deployment.qualified_name(), "Deployment.apps");
    let kruise = WorkloadKind::of("apps.kruise.io/v1beta1", "StatefulSet").unwrap();
    let apps = WorkloadKind::of("apps/v1", "StatefulSet").unwrap();
    assert_ne!(kruise, apps);
    assert_eq!(kruise.qualified_name(), "StatefulSet.apps.kruise.io");
}

#[test]
fn select_names_are_bare_kinds_or_kind_dot_group() {
    let names = |entry| {
        WorkloadKind::named(entry, &[])
            .into_iter()
            .map(WorkloadKind::qualified_name)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names("StatefulSet"),
        ["StatefulSet.apps", "StatefulSet.apps.kruise.io"]
    );
    assert_eq!(names("StatefulSet.apps"), ["StatefulSet.apps"]);
    assert_eq!(
        names("StatefulSet.apps.kruise.io"),
        ["StatefulSet.apps.kruise.io"]
    );
    assert_eq!(names("Service"), ["Service.serving.knative.dev"]);
    assert_eq!(names("Pod"), ["Pod"]);
    assert!(names("Widget").is_empty());
    assert!(names("StatefulSet.example.com").is_empty());
}

#[test]
fn a_rollout_with_a_workload_ref_and_no_template_delegates() {
    let rollout = WorkloadKind::of("argoproj.io/v1alpha1", "Rollout").unwrap();
    let with_ref = json!({"spec": {"workloadRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "orders"}}});
    let note = rollout.delegation(&with_ref).unwrap();
    assert!(
        note.contains("spec.workloadRef (Deployment \"orders\")"),
        "{note}"
    );
    // An empty template next to the reference (as Go clients print it) changes nothing.
    let empty_template = json!({"spec": {"workloadRef": {"kind": "Deployment", "name": "orders"}, "template": {"metadata": {}, "spec": {"containers": null}}}});
    assert!(rollout.delegation(&empty_template).is_some());
    assert_eq!(rollout.delegation(&at_template("x")), None);
    let deployment = WorkloadKind::of("apps/v1", "Deployment").unwrap();
    assert_eq!(deployment.delegation(&with_ref), None);
}

fn spec(api_version: &str, kind: &str, pod_template: &str) -> WorkloadSpec {
    WorkloadSpec {
        api_version: api_version.into(),
        kind: kind.into(),
        pod_template: pod_template.into(),
    }
}

#[test]
fn configured_kinds_match_exact_or_any_version() {
    let kinds = validate(&[
        spec("example.com/v1", "Widget", "spec.runner.template"),
        spec("example.com/*", "Gadget", "spec.template"),
    ])
    .unwrap();
    let widget = WorkloadKind::lookup("example.com/v1", "Widget", &kinds).unwrap();
    assert_eq!(widget.template_path(), "spec.runner.template");
    assert_eq!(widget.source(), "spec.workloads");
    assert_eq!(
        WorkloadKind::lookup("example.com/v2", "Widget", &kinds),
        None
    );
    assert!(WorkloadKind::lookup("example.com/v2", "Gadget", &kinds).is_some());
    assert_eq!(WorkloadKind::lookup("other.com/v1", "Gadget", &kinds), None);
    assert_eq!(WorkloadKind::named("Widget", &kinds), [widget]);
    assert_eq!(WorkloadKind::named("Widget.example.com", &kinds), [widget]);
    // Loading the same config again gives the same rows (interned, not leaked again).
    let again = validate(&[spec("example.com/v1", "Widget", "spec.runner.template")]).unwrap();
    assert!(std::ptr::eq(again[0].0, widget.0));
}

#[test]
fn configured_kinds_are_validated_field_by_field() {
    for (bad, field) in [
        (spec("v1", "Widget", "spec.template"), "apiVersion"),
        (
            spec("Example.com/v1", "Widget", "spec.template"),
            "apiVersion",
        ),
        (
            spec("example.com/", "Widget", "spec.template"),
            "apiVersion",
        ),
        (spec("example.com/v1", "", "spec.template"), "kind"),
        (spec("example.com/v1", "Wid get", "spec.template"), "kind"),
        (spec("example.com/v1", "Widget", ""), "podTemplate"),
        (
            spec("example.com/v1", "Widget", ".spec.template"),
            "podTemplate",
        ),
        (
            spec("example.com/v1", "Widget", "spec.template."),
            "podTemplate",
        ),
        (
            spec("example.com/v1", "Widget", "spec..template"),
            "podTemplate",
        ),
        (
            spec("example.com/v1", "Widget", "spec.templates[0]"),
            "podTemplate",
        ),
        (
            spec("example.com/v1", "Widget", "spec.*.template"),
            "podTemplate",
        ),
        (
            spec("example.com/v1", "Widget", "$.spec.template"),
            "podTemplate",
        ),
        (
            spec("example.com/v1", "Widget", "spec/template"),
            "podTemplate",
        ),
    ] {
        let error = validate(std::slice::from_ref(&bad)).unwrap_err();
        assert!(
            error.starts_with(&format!("spec.workloads[0].{field}: ")),
            "{bad:?}: {error}"
        );
    }
}

#[test]
fn configured_kinds_may_not_shadow_a_built_in_or_each_other() {
    let error = validate(&[spec("apps.kruise.io/*", "CloneSet", "spec.template")]).unwrap_err();
    assert!(error.contains("is built in"), "{error}");
    let error = validate(&[spec("apps/v1", "Deployment", "spec.other")]).unwrap_err();
    assert!(error.contains("is built in"), "{error}");
    let error = validate(&[
        spec("example.com/*", "Widget", "spec.template"),
        spec("example.com/v1", "Widget", "spec.other"),
    ])
    .unwrap_err();
    assert!(
        error.starts_with("spec.workloads[1]: ") && error.contains("already in spec.workloads"),
        "{error}"
    );
    // Another version of a built-in group is the user's to name (Knative's v1beta1).
    assert!(
        validate(&[spec(
            "serving.knative.dev/v1beta1",
            "Service",
            "spec.template"
        )])
        .is_ok()
    );
}

#[test]
fn the_config_map_form_is_one_entry_per_line_or_comma() {
    let value = parse_flat(
        "example.com/v1 Widget spec.runner.template\n  example.com/* Gadget spec.template, x.io/v1 Y a.b\n",
    )
    .unwrap();
    assert_eq!(value.as_array().unwrap().len(), 3);
    assert_eq!(value[1]["apiVersion"], "example.com/*");
    assert_eq!(value[2]["podTemplate"], "a.b");
    let error = parse_flat("example.com/v1 Widget").unwrap_err();
    assert!(error.contains("apiVersion kind podTemplate"), "{error}");
}

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
}

#[test]
fn the_config_map_form_loads_configured_kinds() {
    let config_map = json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {
        "collectorHost": "collector", "agentImage": "agent:1",
        "workloads": "example.com/v1 Widget spec.runner.template", "kinds": "Widget,Rollout"}});
    let settings = crate::config::load(&config_map).unwrap().settings;
    assert_eq!(settings.workloads.len(), 1);
    let names: Vec<_> = settings.select.kinds.iter().map(|k| k.name()).collect();
    assert_eq!(names, ["Widget", "Rollout"]);
    let bad = json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {
        "collectorHost": "collector", "agentImage": "agent:1", "workloads": "Widget"}});
    let error = crate::config::load(&bad).unwrap_err().to_string();
    assert!(
        error.contains("data.workloads: expected `apiVersion kind podTemplate`"),
        "{error}"
    );
    let unknown = json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {
        "collectorHost": "collector", "agentImage": "agent:1", "kinds": "Widget"}});
    let error = crate::config::load(&unknown).unwrap_err().to_string();
    assert!(
        error.contains("data.kinds: \"Widget\" is not one of"),
        "{error}"
    );
}

#[test]
fn only_documents_that_mention_containers_are_looked_at() {
    use super::detect::may_carry_pods;
    assert!(may_carry_pods(Some("Gizmo"), "spec:\n  containers: []\n"));
    assert!(may_carry_pods(
        None,
        "{kind: Gizmo, spec: {containers: []}}"
    ));
    assert!(!may_carry_pods(Some("ConfigMap"), "data:\n  a: b\n"));
    assert!(!may_carry_pods(
        Some("CustomResourceDefinition"),
        "spec:\n  containers:\n    type: array\n"
    ));
}

#[test]
fn the_knative_note_names_the_naming_fields_in_the_configs_form() {
    let injector = builtin::knative_note(true, Form::Injector);
    assert!(
        injector.contains("unless spec.naming.agentName is none and spec.naming.agentId auto"),
        "{injector}"
    );
    let config_map = builtin::knative_note(true, Form::ConfigMap);
    assert!(
        config_map.contains("unless data.agentName is none and data.agentId auto"),
        "{config_map}"
    );
}
