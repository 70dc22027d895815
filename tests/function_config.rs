//! The shipped function configs load, the JSON Schema describes exactly the fields the
//! code accepts (every field of reference.yaml is in the schema and back), and every
//! default the docs state (the table of `docs/configuration.md`, `--help`, reference.yaml,
//! schema) is the one
//! in `config::DEFAULTS`.

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
        let warnings: Vec<_> = loaded.warnings.clone();
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
    for kind in pinpoint_inject::knowledge::kinds::WorkloadKind::all() {
        if !names.iter().any(|n| n == kind.name()) {
            names.push(kind.name().to_string());
        }
    }
    names.push("StatefulSet.apps.kruise.io".into());
    assert_eq!(examples, &serde_json::json!(names));
}

// ---- One truth for defaults: config::DEFAULTS ---------------------------------------

/// The value at a dot path under `spec` of a parsed config.
fn at_spec<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .try_fold(doc.get("spec")?, |node, key| node.get(key))
}

/// reference.yaml shows every field with its default as the value, where it has one.
#[test]
fn reference_yaml_shows_each_default() {
    let reference = read("reference.yaml");
    for (path, text) in config::DEFAULTS {
        assert_eq!(
            at_spec(&reference, path),
            Some(&config::default_value(text)),
            "reference.yaml spec.{path}: the default is {text}"
        );
    }
}

/// The CONFIG block of `--help` (a YAML document, indented by two) shows every default
/// as the value of its field.
#[test]
fn help_shows_each_default() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pinpoint-inject"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let block: String = help
        .lines()
        .skip_while(|l| !l.starts_with("CONFIG ("))
        .skip_while(|l| l.trim_end() != "  spec:")
        .take_while(|l| !l.trim().is_empty())
        .map(|l| format!("{}\n", l.strip_prefix("  ").unwrap_or(l)))
        .collect();
    let config_block: Value = yaml::from_str(&block).unwrap_or_else(|e| panic!("{e}\n{block}"));
    for (path, text) in config::DEFAULTS {
        assert_eq!(
            at_spec(&config_block, path),
            Some(&config::default_value(text)),
            "--help spec.{path}: the default is {text}"
        );
    }
}

/// The rows of the config table of `docs/configuration.md`: each field (abbreviated
/// ones, like `metadataPort` after `collector.agentPort`, get the section of the first)
/// with its default cell (split at `, ` when the cell has one part per field).
fn configuration_page_defaults() -> Vec<(String, String)> {
    let page = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/configuration.md"
    ))
    .unwrap();
    let mut rows = Vec::new();
    let table = page
        .lines()
        .skip_while(|l| !l.starts_with("| field | default |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'));
    for line in table {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        let fields: Vec<String> = cells[0].split(", ").map(|f| f.replace('`', "")).collect();
        let section = fields[0].split_once('.').map(|(s, _)| s.to_string());
        let parts: Vec<&str> = cells[1].split(", ").collect();
        for (i, field) in fields.iter().enumerate() {
            let field = match (&section, field.contains('.')) {
                (Some(section), false) => format!("{section}.{field}"),
                _ => field.clone(),
            };
            let default = if parts.len() == fields.len() {
                parts[i]
            } else {
                cells[1]
            };
            rows.push((field, default.replace('`', "")));
        }
    }
    rows
}

/// The table of `docs/configuration.md` states each default as it is, and states no
/// literal default the code does not have.
#[test]
fn configuration_page_table_shows_each_default() {
    let rows = configuration_page_defaults();
    assert!(
        rows.len() > 20,
        "the config table of docs/configuration.md was not found: {rows:?}"
    );
    for (path, text) in config::DEFAULTS {
        let row = rows.iter().find(|(field, _)| field == path);
        assert_eq!(
            row.map(|(_, d)| d.as_str()),
            Some(*text),
            "docs/configuration.md: {path}"
        );
    }
    for (field, default) in &rows {
        let literal =
            default.parse::<u64>().is_ok() || ["true", "false"].contains(&default.as_str());
        if literal {
            assert!(
                config::DEFAULTS.iter().any(|(path, _)| path == field),
                "docs/configuration.md: {field} states the default {default}, which config::DEFAULTS does not have"
            );
        }
    }
}

/// The JSON Schema's `default`s are config::DEFAULTS, no more and no fewer.
#[test]
fn schema_defaults_are_the_defaults() {
    fn walk(schema: &Value, path: &str, out: &mut Vec<(String, Value)>) {
        if let Some(default) = schema.get("default") {
            out.push((path.to_string(), default.clone()));
        }
        if let Some(Value::Object(props)) = schema.get("properties") {
            for (key, child) in props {
                let path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                walk(child, &path, out);
            }
        }
    }
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/schema.json")).unwrap())
            .unwrap();
    let mut found = Vec::new();
    walk(&schema["properties"]["spec"], "", &mut found);
    let expected: Vec<(String, Value)> = config::DEFAULTS
        .iter()
        .map(|(path, text)| (path.to_string(), config::default_value(text)))
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    let mut expected_sorted = expected.clone();
    expected_sorted.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(found, expected_sorted);
}

/// A report run with a ConfigMap config names the ConfigMap's keys in its evidence
/// (`data.runtimes`), not the PinpointInjector's (`select.runtimes`).
#[test]
fn a_config_map_configs_report_names_its_keys() {
    let case = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/configmap-config-names-data-keys"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pinpoint-inject"))
        .args([
            "report",
            "--json",
            "--config",
            &format!("{case}/config.yaml"),
        ])
        .stdin(std::fs::File::open(format!("{case}/input.yaml")).unwrap())
        .output()
        .unwrap();
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(
        report.contains("runtime not-java is not in data.runtimes"),
        "{report}"
    );
    assert!(report.contains("data.applicationName"), "{report}");
    assert!(!report.contains("select.runtimes"), "{report}");
}
