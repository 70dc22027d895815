//! The warning every wired resource of some kinds gets, worded for the config's form.

use crate::config::Form;
use crate::knowledge::kinds::{Note, WorkloadKind};

/// The warning for a wired resource of `kind`, if its kind has one. `uses_field_refs`:
/// the agent flags read the pod's name or IP through the downward API.
pub fn kind_note(kind: WorkloadKind, uses_field_refs: bool, form: Form) -> Option<String> {
    match kind.note()? {
        Note::KnativePodSpec => Some(knative_note(uses_field_refs, form)),
    }
}

/// What Knative Serving's webhook rejects in a revision's pod spec unless a feature flag
/// of the `config-features` ConfigMap (namespace knative-serving) is `enabled`: read
/// from knative/serving config/core/configmaps/features.yaml, pkg/apis/config/features.go
/// and pkg/apis/serving/k8s_validation.go (init containers and fieldRef are off by
/// default; emptyDir has been on by default since knative/serving#13405, 2022).
fn knative_note(uses_field_refs: bool, form: Form) -> String {
    let mut flags = vec![
        "kubernetes.podspec-init-containers (off by default)".to_string(),
        "kubernetes.podspec-volumes-emptydir (on by default since 2022)".to_string(),
    ];
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
        let injector = knative_note(true, Form::Injector);
        assert!(
            injector.contains("unless spec.naming.agentName is none and spec.naming.agentId auto"),
            "{injector}"
        );
        let config_map = knative_note(true, Form::ConfigMap);
        assert!(
            config_map.contains("unless data.agentName is none and data.agentId auto"),
            "{config_map}"
        );
    }
}
