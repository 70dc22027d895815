//! Which variable a container's JVM options go in, and which of its probes and hooks start
//! a JVM of their own, from the launch profiles of [`crate::knowledge::launch`].

use crate::config::Settings;
use crate::knowledge::launch::{JVM_COMMANDS, profile_for};
use serde_json::Value;

/// The variable the JVM options of one container go in, and why: the config's
/// `agent.optionsEnv` when set, else the image's launch profile, else `JAVA_TOOL_OPTIONS`.
pub fn options_env(container: &Value, settings: &Settings) -> (String, String) {
    if settings.options_env_explicit {
        return (
            settings.options_env.clone(),
            settings.field("agent.optionsEnv"),
        );
    }
    let image = container
        .get("image")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let from_env_from = |var: &str| {
        let in_env = container
            .get("env")
            .and_then(Value::as_array)
            .is_some_and(|env| {
                env.iter()
                    .any(|e| e.get("name").and_then(Value::as_str) == Some(var))
            });
        let env_from = container
            .get("envFrom")
            .and_then(Value::as_array)
            .is_some_and(|l| !l.is_empty());
        env_from && !in_env
    };
    match profile_for(image) {
        // The chart may set the image's own variable through envFrom (Keycloak's chart
        // puts JAVA_OPTS_APPEND in a ConfigMap): setting it in env would replace that.
        Some(profile) if profile.options_env.is_some_and(from_env_from) => (
            settings.options_env.clone(),
            format!(
                "the default, as envFrom may set {} ({})",
                profile.options_env.unwrap_or_default(),
                short(profile.source)
            ),
        ),
        Some(profile) => match profile.options_env {
            Some(var) => (
                var.to_string(),
                format!("launch profile {}", short(profile.source)),
            ),
            None => (
                settings.options_env.clone(),
                format!("the default ({})", short(profile.source)),
            ),
        },
        None => (settings.options_env.clone(), "the default".into()),
    }
}

/// A source citation without its parenthetical note.
fn short(source: &str) -> &str {
    source.split(" (").next().unwrap_or(source)
}

/// The exec probes and lifecycle hooks of a container that start a JVM, as
/// `readinessProbe (nodetool)`.
pub fn jvm_probes(container: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let places = [
        ("livenessProbe", vec!["livenessProbe", "exec", "command"]),
        ("readinessProbe", vec!["readinessProbe", "exec", "command"]),
        ("startupProbe", vec!["startupProbe", "exec", "command"]),
        (
            "lifecycle.postStart",
            vec!["lifecycle", "postStart", "exec", "command"],
        ),
        (
            "lifecycle.preStop",
            vec!["lifecycle", "preStop", "exec", "command"],
        ),
    ];
    for (label, path) in places {
        let mut node = container;
        let mut ok = true;
        for key in &path {
            match node.get(*key) {
                Some(next) => node = next,
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            continue;
        }
        let words: Vec<&str> = node
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .flat_map(str::split_whitespace)
            .collect();
        if let Some(tool) = words.iter().find_map(|w| {
            let base = w.rsplit('/').next().unwrap_or(w);
            JVM_COMMANDS.iter().find(|c| **c == base)
        }) {
            found.push(format!("{label} ({tool})"));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn probes_that_start_a_jvm_are_named() {
        let container = json!({
            "readinessProbe": {"exec": {"command": ["/bin/bash", "-ec", "nodetool status | grep -E \"^UN\""]}},
            "livenessProbe": {"exec": {"command": ["/opt/bitnami/cassandra/bin/nodetool", "info"]}},
            "startupProbe": {"httpGet": {"path": "/"}},
            "lifecycle": {"preStop": {"exec": {"command": ["sh", "-c", "echo bye"]}}}
        });
        assert_eq!(
            jvm_probes(&container),
            vec!["livenessProbe (nodetool)", "readinessProbe (nodetool)"]
        );
    }
}
