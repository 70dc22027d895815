//! What every wired pod template must satisfy, checked against the template it came from.

use super::super::*;

/// The documented normalizations of an options variable (any of the usual names): an
/// empty one counts as absent, and so does an empty value beside a valueFrom.
pub fn normalize_options(mut value: Value) -> Value {
    for template in templates(&mut value) {
        let containers = template
            .pointer_mut("/spec/containers")
            .and_then(Value::as_array_mut);
        for container in containers.into_iter().flatten() {
            if let Some(env) = container.get_mut("env").and_then(Value::as_array_mut) {
                env.retain_mut(|e| {
                    // `value: ""` beside a valueFrom, or `valueFrom: null`, mean nothing.
                    let entry = e.as_object_mut().unwrap();
                    if entry.get("valueFrom").is_some_and(|v| !v.is_null())
                        && entry.get("value").is_some_and(|v| v == "")
                    {
                        entry.remove("value");
                    }
                    let options = [
                        "JAVA_TOOL_OPTIONS",
                        "CATALINA_OPTS",
                        "JAVA_OPTS",
                        "JDK_JAVA_OPTIONS",
                    ]
                    .iter()
                    .any(|n| e["name"] == *n);
                    let empty = e.get("valueFrom").is_none_or(Value::is_null)
                        && e.get("value")
                            .is_none_or(|v| v.is_null() || v.as_str().is_some_and(str::is_empty));
                    !(options && empty)
                });
                if env.is_empty() {
                    container.as_object_mut().unwrap().remove("env");
                }
            }
        }
    }
    value
}

/// The pod templates of a resource (every item of a List).
pub fn templates(resource: &mut Value) -> Vec<&mut Value> {
    if resource["kind"] == "List" {
        return resource["items"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .flat_map(templates)
            .collect();
    }
    common::uninject::pod_template_mut(resource)
        .into_iter()
        .collect()
}

pub fn references(value: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = value;
    while let Some(start) = rest.find("$(") {
        let after = &rest[start + 2..];
        let Some(end) = after.find(')') else { break };
        found.push(&after[..end]);
        rest = &after[end + 1..];
    }
    found
}

pub fn check_template(old: &Value, new: &Value, settings: &Settings) -> Result<(), TestCaseError> {
    let old_containers = old
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let new_containers = new
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (before, after) in old_containers.iter().zip(&new_containers) {
        let wired = after["env"]
            .as_array()
            .is_some_and(|e| e.iter().any(|e| e["name"] == "PINPOINT_AGENT_OPTS"));
        if !wired {
            prop_assert_eq!(
                before,
                after,
                "a container that was not instrumented changed"
            );
            continue;
        }
        let env = after["env"].as_array().unwrap();
        let position = |name: &str| env.iter().position(|e| e["name"] == name);
        // Every $(PINPOINT_…) reference in the env resolves to a variable defined earlier.
        for (i, entry) in env.iter().enumerate() {
            for var in references(entry["value"].as_str().unwrap_or_default()) {
                if var.starts_with("PINPOINT_") {
                    let defined = position(var);
                    prop_assert!(
                        defined.is_some_and(|d| d < i),
                        "$({}) in {} is not defined before it",
                        var,
                        entry["name"]
                    );
                }
            }
        }
        // The application name is valid, within maxLength.
        let opts = env[position("PINPOINT_AGENT_OPTS").unwrap()]["value"]
            .as_str()
            .unwrap();
        let app = opts
            .split(' ')
            .find_map(|f| f.strip_prefix("-Dpinpoint.applicationName="))
            .unwrap();
        prop_assert!(
            !app.is_empty()
                && app.len() <= settings.max_length
                && app.chars().all(is_pinpoint_char),
            "{}",
            app
        );
        // The user's options value: a literal is kept in front; a valueFrom moves intact.
        let var = &settings.agent.options_env;
        let opts_ref = "$(PINPOINT_AGENT_OPTS)";
        let original = before["env"]
            .as_array()
            .and_then(|e| e.iter().rev().find(|e| e["name"] == var.as_str()));
        let wired = &env[position(var).unwrap()]["value"];
        match original {
            Some(entry) if entry.get("valueFrom").is_some_and(|v| !v.is_null()) => {
                let moved = format!("PINPOINT_ORIGINAL_{var}");
                prop_assert_eq!(wired, &json!(format!("$({moved}) {opts_ref}")));
                prop_assert_eq!(
                    &env[position(&moved).unwrap()]["valueFrom"],
                    &entry["valueFrom"]
                );
            }
            Some(entry) if !entry["value"].as_str().unwrap_or_default().is_empty() => {
                // Kept exactly, trailing blanks included.
                let user = entry["value"].as_str().unwrap();
                prop_assert_eq!(wired, &json!(format!("{user} {opts_ref}")));
            }
            _ => prop_assert_eq!(wired, &json!(opts_ref)),
        }
    }
    Ok(())
}
