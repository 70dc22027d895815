//! Built-in kinds that hold no pod: no field of theirs is a `PodTemplateSpec` or a
//! `PodSpec`, so the word `containers` in one (a ConfigMap holding a dashboard, an
//! admission policy's CEL expression) is never a pod template, and such a document is
//! never parsed to look for one. The types are in kubernetes/kubernetes,
//! `staging/src/k8s.io/api/<group>/<version>/types.go` (the group's directory: `core`
//! for the core group `v1`, `rbac`, `networking`, …); the pod-bearing built-ins are the
//! workload rows of [`super::builtin`] and `v1 PodTemplate`, which are not here.

/// The group (`""` for the core group) and its kinds that hold no pod.
#[rustfmt::skip]
const PODLESS: &[(&str, &[&str])] = &[
    // staging/src/k8s.io/api/core/v1/types.go
    ("", &["ConfigMap", "Secret", "Service", "ServiceAccount", "Endpoints", "Namespace",
           "PersistentVolumeClaim", "PersistentVolume", "LimitRange", "ResourceQuota",
           "Event", "Node"]),
    // rbac/v1/types.go
    ("rbac.authorization.k8s.io", &["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]),
    // networking/v1/types.go
    ("networking.k8s.io", &["Ingress", "IngressClass", "NetworkPolicy"]),
    // policy/v1/types.go
    ("policy", &["PodDisruptionBudget"]),
    // autoscaling/v2/types.go
    ("autoscaling", &["HorizontalPodAutoscaler"]),
    // storage/v1/types.go
    ("storage.k8s.io", &["StorageClass", "CSIDriver", "CSINode", "VolumeAttachment"]),
    // admissionregistration/v1/types.go
    ("admissionregistration.k8s.io", &["ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration", "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding"]),
    // scheduling/v1/types.go
    ("scheduling.k8s.io", &["PriorityClass"]),
    // coordination/v1/types.go
    ("coordination.k8s.io", &["Lease"]),
    // discovery/v1/types.go
    ("discovery.k8s.io", &["EndpointSlice"]),
    // certificates/v1/types.go
    ("certificates.k8s.io", &["CertificateSigningRequest"]),
    // kube-aggregator: staging/src/k8s.io/kube-aggregator/pkg/apis/apiregistration/v1/types.go
    ("apiregistration.k8s.io", &["APIService"]),
];

/// True when `kind` of `api_version` is a built-in kind that holds no pod.
pub fn holds_no_pod(api_version: &str, kind: &str) -> bool {
    let group = super::kind::group_of(api_version);
    PODLESS
        .iter()
        .any(|(g, kinds)| *g == group && kinds.contains(&kind))
}
