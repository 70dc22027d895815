//! The kinds `spec.workloads` adds: matching, validation, and the ConfigMap form.

use super::*;

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
    assert!(again[0].is_same_row(widget));
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
