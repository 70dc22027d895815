//! One test per built-in kind, and the table's rules; the configured and unknown kinds
//! have their own files.

use super::*;
use serde_json::{Value, json};

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
