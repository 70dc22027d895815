//! The built-in rows of the kind table: every kind whose pod template pinpoint-inject
//! knows, with the public file each field path was read from.
//!
//! A row matches a resource by kind and by API group (`apps/*`: any version of the
//! group; `serving.knative.dev/v1`: that version only, where older versions had
//! another shape). Paths are dot paths to an object with the pod's `metadata` and
//! `spec`; the empty path is the resource itself (a Pod).

use super::row::{Delegate, Note, Row};

const TEMPLATE: &[&str] = &["spec.template"];

const K8S_APPS: &str = "kubernetes/api apps/v1/types.go (DeploymentSpec.Template and the like)";
const K8S_BATCH: &str = "kubernetes/api batch/v1/types.go";
const K8S_CORE: &str = "kubernetes/api core/v1/types.go";
const KRUISE_VERSIONS: &[&str] = &["apps.kruise.io/*"];

pub(super) const TABLE: &[Row] = &[
    Row {
        kind: "Deployment",
        api_versions: &["apps/*", "extensions/*"],
        template_paths: TEMPLATE,
        source: K8S_APPS,
        delegate: None,
        note: None,
        runs_to_completion: false,
    },
    Row {
        kind: "StatefulSet",
        api_versions: &["apps/*"],
        template_paths: TEMPLATE,
        source: K8S_APPS,
        delegate: None,
        note: None,
        runs_to_completion: false,
    },
    Row {
        kind: "DaemonSet",
        api_versions: &["apps/*", "extensions/*"],
        template_paths: TEMPLATE,
        source: K8S_APPS,
        delegate: None,
        note: None,
        runs_to_completion: false,
    },
    Row {
        kind: "ReplicaSet",
        api_versions: &["apps/*", "extensions/*"],
        template_paths: TEMPLATE,
        source: K8S_APPS,
        delegate: None,
        note: None,
        runs_to_completion: false,
    },
    Row {
        kind: "ReplicationController",
        api_versions: &["v1"],
        template_paths: TEMPLATE,
        source: K8S_CORE,
        delegate: None,
        note: None,
        runs_to_completion: false,
    },
    Row {
        kind: "Job",
        api_versions: &["batch/*"],
        template_paths: TEMPLATE,
        source: K8S_BATCH,
        delegate: None,
        note: None,
        runs_to_completion: true,
    },
    Row {
        kind: "CronJob",
        api_versions: &["batch/*"],
        template_paths: &["spec.jobTemplate.spec.template"],
        source: K8S_BATCH,
        delegate: None,
        note: None,
        runs_to_completion: true,
    },
    Row {
        kind: "Pod",
        api_versions: &["v1"],
        template_paths: &[""],
        source: K8S_CORE,
        delegate: None,
        note: None,
        runs_to_completion: false,
    },
    Row {
        kind: "PodTemplate",
        api_versions: &["v1"],
        template_paths: &["template"],
        source: K8S_CORE,
        delegate: None,
        note: None,
        runs_to_completion: false,
    },
    // RolloutSpec.Template (`template`) and RolloutSpec.WorkloadRef (`workloadRef`).
    Row {
        kind: "Rollout",
        api_versions: &["argoproj.io/v1alpha1"],
        template_paths: TEMPLATE,
        source: "argoproj/argo-rollouts pkg/apis/rollouts/v1alpha1/types.go",
        delegate: Some(Delegate {
            field: "spec.workloadRef",
        }),
        note: Some(Note::ArgoRollouts),
        runs_to_completion: false,
    },
    // CloneSetSpec.Template, in v1alpha1 and v1beta1.
    Row {
        kind: "CloneSet",
        api_versions: KRUISE_VERSIONS,
        template_paths: TEMPLATE,
        source: "openkruise/kruise apis/apps/v1beta1/cloneset_types.go (and v1alpha1)",
        delegate: None,
        note: Some(Note::OpenKruise),
        runs_to_completion: false,
    },
    // Advanced StatefulSet: StatefulSetSpec.Template.
    Row {
        kind: "StatefulSet",
        api_versions: KRUISE_VERSIONS,
        template_paths: TEMPLATE,
        source: "openkruise/kruise apis/apps/v1beta1/statefulset_types.go (and v1alpha1)",
        delegate: None,
        note: Some(Note::OpenKruise),
        runs_to_completion: false,
    },
    // Advanced DaemonSet: DaemonSetSpec.Template.
    Row {
        kind: "DaemonSet",
        api_versions: KRUISE_VERSIONS,
        template_paths: TEMPLATE,
        source: "openkruise/kruise apis/apps/v1beta1/daemonset_types.go (and v1alpha1)",
        delegate: None,
        note: Some(Note::OpenKruise),
        runs_to_completion: false,
    },
    // BroadcastJobSpec.Template.
    Row {
        kind: "BroadcastJob",
        api_versions: KRUISE_VERSIONS,
        template_paths: TEMPLATE,
        source: "openkruise/kruise apis/apps/v1beta1/broadcastjob_types.go (and v1alpha1)",
        delegate: None,
        note: Some(Note::OpenKruise),
        runs_to_completion: true,
    },
    // AdvancedCronJobSpec.Template is a CronJobTemplate: one of jobTemplate (a
    // batch/v1 JobTemplateSpec) or broadcastJobTemplate (a BroadcastJobTemplateSpec).
    Row {
        kind: "AdvancedCronJob",
        api_versions: KRUISE_VERSIONS,
        template_paths: &[
            "spec.template.jobTemplate.spec.template",
            "spec.template.broadcastJobTemplate.spec.template",
        ],
        source: "openkruise/kruise apis/apps/v1beta1/advancedcronjob_types.go (and v1alpha1)",
        delegate: None,
        note: Some(Note::OpenKruise),
        runs_to_completion: true,
    },
    // ServiceSpec inlines ConfigurationSpec, whose Template is a RevisionTemplateSpec;
    // RevisionSpec inlines corev1.PodSpec.
    Row {
        kind: "Service",
        api_versions: &["serving.knative.dev/v1"],
        template_paths: TEMPLATE,
        source: "knative/serving pkg/apis/serving/v1/service_types.go, configuration_types.go, revision_types.go",
        delegate: None,
        note: Some(Note::KnativePodSpec),
        runs_to_completion: false,
    },
    Row {
        kind: "Configuration",
        api_versions: &["serving.knative.dev/v1"],
        template_paths: TEMPLATE,
        source: "knative/serving pkg/apis/serving/v1/configuration_types.go, revision_types.go",
        delegate: None,
        note: Some(Note::KnativePodSpec),
        runs_to_completion: false,
    },
    // ScaledJobSpec.JobTargetRef is a batch/v1 JobSpec, whose Template is the pod.
    Row {
        kind: "ScaledJob",
        api_versions: &["keda.sh/v1alpha1"],
        template_paths: &["spec.jobTargetRef.template"],
        source: "kedacore/keda apis/keda/v1alpha1/scaledjob_types.go",
        delegate: None,
        note: None,
        runs_to_completion: true,
    },
];
