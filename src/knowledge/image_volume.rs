//! What Kubernetes, and the controllers that validate pod templates themselves, do with
//! an `image` volume (KEP-4639, "OCI images as VolumeSource"): the `imageVolume` delivery
//! of the agent is checked against these facts. Each one names the file it was read from.

/// A Kubernetes version as `(major, minor)`.
pub type Minor = (u32, u32);

/// `VolumeSource.image` (an `ImageVolumeSource`: `reference`, `pullPolicy`) first appears
/// in k8s.io/api v0.31.0, Kubernetes 1.31 (kubernetes/api core/v1/types.go at v0.31.0,
/// commit 2df39ffd2977494f6e7b8dc38206eec1a1129e38; absent at v0.30.0, fb932d2704f6);
/// KEP-4639 kep.yaml (kubernetes/enhancements keps/sig-node/4639-oci-volume-source):
/// milestone alpha v1.31.
pub const FIELD_FROM: Minor = (1, 31);

/// A `subPath` in a mount of an image volume: "Sub path mounts for containers are not
/// supported" in the field's doc at k8s.io/api v0.31.0 and v0.32.0 (the KEP's API
/// validation rejects it: "not allowed in image volume sources"), "… not supported …
/// before 1.33" from v0.33.0 (82c0029eaa2f) on; KEP-4639 README, "Beta": add `subPath`.
pub const SUB_PATH_FROM: Minor = (1, 33);

/// Beta and on by default from 1.35: KEP-4639 README, "Implementation History" ("KEP
/// retargeting GA in v1.36 since we moved to beta (enabled by default in 1.35)");
/// kubernetes.io "Use an Image Volume With a Pod" (kubernetes/website
/// content/en/docs/tasks/configure-pod-container/image-volumes.md): "Kubernetes v1.35
/// [beta] (enabled by default)". Before, alpha (1.31, 1.32) and then beta off by default
/// (the zh-cn copy of that page: "v1.33 [beta] (enabled by default: false)").
pub const ON_BY_DEFAULT_FROM: Minor = (1, 35);

/// The feature gate, on the API server and the kubelets (kep.yaml `feature-gates`).
pub const FEATURE_GATE: &str = "ImageVolume";

/// Knative Serving's flag in its `config-features` ConfigMap (namespace knative-serving)
/// that lets a revision have an image volume: "disabled" by default, and the webhook
/// then rejects one ("Image volume support is disabled"): knative/serving
/// config/core/configmaps/features.yaml, pkg/apis/config/features.go and
/// pkg/apis/serving/k8s_validation.go at knative-v1.23.0 (7ed4aa2ab601). Added in
/// knative-v1.19.0 (57652008edea; commit c36383ed56d1, "Add support for Kubernetes
/// “image” volume type (#15878)"); before it the CRD schema has no `image` volume field,
/// so the API server prunes it. Its `VolumeMountMask` (pkg/apis/serving/fieldmask.go)
/// keeps `readOnly`, `mountPath` and `subPath`.
pub const KNATIVE_FLAG: &str = "kubernetes.podspec-volumes-image";
pub const KNATIVE_FROM: &str = "1.19";

/// Argo Rollouts validates a Rollout's pod template in its controller with the
/// Kubernetes validation it vendors (argoproj/argo-rollouts
/// pkg/apis/rollouts/validation/validation.go: `ValidatePodTemplateSpecForReplicaSet`;
/// a failure sets the `InvalidSpec` condition). go.mod: k8s.io/api v0.29.3 up to v1.8.4
/// (55e89ddc5329; types without an image volume, so it is dropped and the volume has no
/// source), v0.34.1 from v1.9.0 (838d4e792be6; image volumes with `subPath` accepted).
pub const ARGO_ROLLOUTS_FROM: &str = "1.9.0";

/// OpenKruise's webhooks validate pod templates with the Kubernetes validation it vendors
/// (openkruise/kruise pkg/webhook/cloneset/validating/validation.go and the other
/// workload webhooks; pkg/webhook/util/pod_validation.go) and patch them from its typed
/// objects. go.mod: k8s.io/api v0.30.10 in v1.8.4 (a081ad61e220; no image volume: the
/// field is dropped or the volume rejected without a source), v0.32.10 in v1.9.0
/// (b1e001a957ce; an image volume, but `subPath` in its mount rejected, as in every
/// Kubernetes before 1.33). No release vendors 1.33 or later.
pub const KRUISE_VENDORED: &str = "1.30 in OpenKruise 1.8, 1.32 in 1.9";

/// Whether `version` is before `than`.
pub fn before(version: Minor, than: Minor) -> bool {
    version < than
}

/// `1.35` for a [`Minor`].
pub fn show(version: Minor) -> String {
    format!("{}.{}", version.0, version.1)
}
