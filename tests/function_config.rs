//! The shipped function configs load, and the JSON Schema describes exactly the fields
//! the code accepts (every field of reference.yaml is in the schema and back).

use pinpoint_inject::{config, yaml};
use serde_json::Value;
use std::collections::BTreeSet;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/function-config");

fn read(name: &str) -> Value {
    yaml::from_str(&std::fs::read_to_string(format!("{DIR}/{name}")).unwrap()).unwrap()
}

#[test]
fn shipped_configs_load() {
    for name in ["example.yaml", "reference.yaml", "configmap.yaml"] {
        let loaded = config::load(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let warnings: Vec<_> = loaded.warnings.iter().map(|w| w.message.clone()).collect();
        assert!(
            warnings.iter().all(|w| w.contains("agentId")),
            "{name}: {warnings:?}"
        );
    }
}

fn value_paths(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    // The fields of a list's entries (spec.workloads) are the fields of its first entry.
    if let Some(first) = value.as_array().and_then(|items| items.first()) {
        return value_paths(first, prefix, out);
    }
    if let Value::Object(map) = value {
        for (key, child) in map {
            let path = format!("{prefix}.{key}");
            out.insert(path.clone());
            // resources, securityContext and the maps of free keys are not described field by field
            if ![
                "resources",
                "securityContext",
                "systemProperties",
                "matchLabels",
                "metadata",
            ]
            .contains(&key.as_str())
            {
                value_paths(child, &path, out);
            }
        }
    }
}

fn schema_paths(schema: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    if let Some(items) = schema.get("items") {
        schema_paths(items, prefix, out);
    }
    if let Some(Value::Object(props)) = schema.get("properties") {
        for (key, child) in props {
            let path = format!("{prefix}.{key}");
            out.insert(path.clone());
            schema_paths(child, &path, out);
        }
    }
}

#[test]
fn schema_and_reference_list_the_same_fields() {
    let mut in_reference = BTreeSet::new();
    value_paths(&read("reference.yaml"), "", &mut in_reference);
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/schema.json")).unwrap())
            .unwrap();
    let mut in_schema = BTreeSet::new();
    schema_paths(&schema, "", &mut in_schema);
    assert_eq!(in_reference, in_schema);
}

#[test]
fn schema_names_every_built_in_kind() {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/schema.json")).unwrap())
            .unwrap();
    let examples = &schema["properties"]["spec"]["properties"]["select"]["properties"]["kinds"]["items"]
        ["examples"];
    let mut names: Vec<String> = Vec::new();
    for kind in pinpoint_inject::workload::WorkloadKind::all() {
        if !names.iter().any(|n| n == kind.name()) {
            names.push(kind.name().to_string());
        }
    }
    names.push("StatefulSet.apps.kruise.io".into());
    assert_eq!(examples, &serde_json::json!(names));
}
