//! What a wired resource of some kinds is told, worded for the config's form: the
//! warning every wired Knative resource gets, and what the controllers that validate
//! pod templates themselves do with the `imageVolume` delivery (a warning, or a refusal
//! where every release would reject it; [`crate::knowledge::image_volume`]).

use crate::config::{Delivery, Form};
use crate::knowledge::image_volume::{
    ARGO_ROLLOUTS_FROM, KNATIVE_FLAG, KNATIVE_FROM, KRUISE_VENDORED, SUB_PATH_FROM, show,
};
use crate::knowledge::kinds::{Note, WorkloadKind};

/// The warning for a wired resource of `kind`, if its kind has one. `uses_field_refs`:
/// the agent flags read the pod's name or IP through the downward API.
pub fn kind_note(
    kind: WorkloadKind,
    uses_field_refs: bool,
    delivery: Delivery,
    form: Form,
) -> Option<String> {
    match (kind.note()?, delivery) {
        (Note::KnativePodSpec, _) => Some(knative_note(uses_field_refs, delivery, form)),
        (Note::ArgoRollouts, Delivery::ImageVolume) => Some(format!(
            "Argo Rollouts accepts an image volume from {ARGO_ROLLOUTS_FROM} on (its validation is Kubernetes 1.34's); earlier releases know no image volume and mark the Rollout InvalidSpec; use {} initContainer with them",
            form.field("agent.delivery")
        )),
        _ => None,
    }
}

/// Why a resource of `kind` cannot be wired with `delivery`, if it cannot.
pub fn refusal(kind: WorkloadKind, delivery: Delivery, form: Form) -> Option<String> {
    match (kind.note()?, delivery) {
        (Note::OpenKruise, Delivery::ImageVolume) => Some(format!(
            "OpenKruise validates and patches its workloads' pod templates with the Kubernetes it vendors ({KRUISE_VENDORED}), which drops an image volume or rejects the subPath its mount needs (Kubernetes {}+); use {} initContainer for OpenKruise kinds (or leave them out with {})",
            show(SUB_PATH_FROM),
            form.field("agent.delivery"),
            form.field("select.kinds")
        )),
        _ => None,
    }
}

/// What Knative Serving's webhook rejects in a revision's pod spec unless a feature flag
/// of the `config-features` ConfigMap (namespace knative-serving) is `enabled`: read
/// from knative/serving config/core/configmaps/features.yaml, pkg/apis/config/features.go
/// and pkg/apis/serving/k8s_validation.go (init containers, image volumes and fieldRef
/// are off by default; emptyDir has been on by default since knative/serving#13405, 2022).
fn knative_note(uses_field_refs: bool, delivery: Delivery, form: Form) -> String {
    let mut flags = match delivery {
        Delivery::InitContainer => vec![
            "kubernetes.podspec-init-containers (off by default)".to_string(),
            "kubernetes.podspec-volumes-emptydir (on by default since 2022)".to_string(),
        ],
        Delivery::ImageVolume => vec![
            format!("{KNATIVE_FLAG} (off by default; Knative Serving {KNATIVE_FROM} and later)"),
            "kubernetes.podspec-volumes-emptydir (on by default since 2022; for the agent's logs)"
                .to_string(),
        ],
    };
    if uses_field_refs {
        flags.push(format!(
            "kubernetes.podspec-fieldref (off by default; the agent flags read the pod name or IP through it, unless {} is none and {} auto)",
            form.field("naming.agentName"),
            form.field("naming.agentId")
        ));
    }
    let last = flags.pop().expect("two flags at least");
    format!(
        "Knative Serving accepts this pod spec only when its config-features ConfigMap (namespace knative-serving) enables {} and {last}",
        flags.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_knative_note_names_the_naming_fields_in_the_configs_form() {
        let injector = knative_note(true, Delivery::InitContainer, Form::Injector);
        assert!(
            injector.contains("unless spec.naming.agentName is none and spec.naming.agentId auto"),
            "{injector}"
        );
        let config_map = knative_note(true, Delivery::InitContainer, Form::ConfigMap);
        assert!(
            config_map.contains("unless data.agentName is none and data.agentId auto"),
            "{config_map}"
        );
    }

    #[test]
    fn an_image_volume_names_knatives_flag_for_it() {
        let note = knative_note(false, Delivery::ImageVolume, Form::Injector);
        assert!(
            note.contains("kubernetes.podspec-volumes-image (off by default")
                && !note.contains("init-containers"),
            "{note}"
        );
    }
}
