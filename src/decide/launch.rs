//! Which variable a container's JVM options go in, and which of its probes and hooks start
//! a JVM of their own, from the launch profiles of [`crate::knowledge::launch`].

use crate::config::Settings;
use crate::decide::image::{self, Launch};
use crate::decide::known::Known;
use crate::knowledge::evidence::JVM_FLAGS;
use crate::knowledge::launch::{JVM_COMMANDS, JVM_WIDE, profile_for};
use crate::oci::ImageConfig;
use crate::value::Field;
use serde_json::Value;

/// Where one container's JVM options go, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The variable (`JAVA_TOOL_OPTIONS`, or the one the image's launch path reads).
    pub var: String,
    /// Why that one, for the report.
    pub from: String,
    /// The value the image itself gives the variable, when the pod does not set it:
    /// kept in front of ours, never replaced.
    pub keep: Option<String>,
    /// Warnings for the user.
    pub notes: Vec<String>,
}

/// Names of variables that carry JVM options in manifests and launch scripts.
fn looks_like_options(name: &str) -> bool {
    (name.contains("JAVA")
        || name.contains("JVM")
        || name.ends_with("_OPTS")
        || name.ends_with("_OPTIONS"))
        && is_shell_name(name)
}

/// A name a launch script can read (`$NAME`): POSIX shell names are letters, digits and
/// `_`, not starting with a digit (XCU 3.235 "Name"). Kubernetes accepts any printable
/// name without `=` since 1.30 (RelaxedEnvironmentVariableValidation), but an entry
/// named `JAVA_OPTS:X` reaches no script, and the marker could not name it.
fn is_shell_name(name: &str) -> bool {
    name.bytes().next().is_some_and(|b| !b.is_ascii_digit())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The first variable the container's own `env` sets to JVM flags (`-Xmx512m`,
/// `-Dkey=value`, `-XX:…`), under a name that carries JVM options.
fn manifest_options_var(container: &Value) -> Option<(&str, &str)> {
    let env = container.field("env").and_then(Value::as_array)?;
    env.iter().find_map(|e| {
        let name = e.field("name").and_then(Value::as_str)?;
        let value = e.field("value").and_then(Value::as_str)?;
        let flag = value.split_whitespace().find(|w| {
            JVM_FLAGS.iter().any(|f| w.starts_with(f)) || (w.starts_with("-D") && w.contains('='))
        })?;
        (looks_like_options(name) && !name.starts_with("PINPOINT_")).then_some((name, flag))
    })
}

/// The variable the JVM options of one container go in, and why, in this order: the
/// config's `agent.optionsEnv`; the site's rule for the image; the image's config (an
/// exec-form `java` reads only `JAVA_TOOL_OPTIONS`, a shell command the variable it
/// expands, a known launcher script its own); the image family's launch profile; a
/// variable the manifest already sets to JVM flags; else `JAVA_TOOL_OPTIONS`.
pub fn options_env(container: &Value, settings: &Settings, known: &Known) -> Options {
    let envfrom_may_set = |var: &str| {
        let env_from = container
            .field("envFrom")
            .and_then(Value::as_array)
            .is_some_and(|l| !l.is_empty());
        env_from && !image::pod_sets(container, var)
    };
    let default = |from: String| (settings.agent.options_env.clone(), from);
    // The image config's command, as the manifest's command and args change it; without
    // image facts, the manifest's own `command` alone (it replaces the image's entrypoint,
    // so the image family's launch profile no longer says what runs).
    let manifest_command = container
        .field("command")
        .and_then(Value::as_array)
        .is_some_and(|c| !c.is_empty());
    let (launch, said) = match known.config() {
        Some(config) => (image::launch(config, container), "image config"),
        None if manifest_command => (
            image::launch(&ImageConfig::default(), container),
            "its command",
        ),
        None => (Launch::Unknown, "image config"),
    };
    let mut notes = Vec::new();
    let chosen =
        settings.agent.options_env_explicit || known.rule.is_some_and(|r| r.options_env.is_some());
    let (var, from) = if settings.agent.options_env_explicit {
        default(settings.field("agent.optionsEnv"))
    } else if let Some(var) = known.rule.and_then(|r| r.options_env.as_deref()) {
        let rule = known.rule_evidence(|path| settings.form.short_field(path));
        (var.to_string(), rule.unwrap_or_default())
    } else {
        let from_image = match &launch {
            Launch::Java => Some((
                JVM_WIDE.to_string(),
                format!("{said}: it starts java directly, which reads no launch variable"),
            )),
            Launch::Expands(var) => Some((
                var.clone(),
                format!("{said}: its shell command passes ${var} to java"),
            )),
            Launch::Script(script, var, source) => Some((
                var.to_string(),
                format!("{said}: it runs {script} ({})", short(source)),
            )),
            Launch::Unknown => None,
        };
        let image = container
            .field("image")
            .and_then(Value::as_str)
            .unwrap_or_default();
        // What the pod, else the image, sets a variable to: the entry the pod sets last,
        // when it is a literal (from `valueFrom` or with a `$(VAR)` in it, unknown).
        let env_value = |var: &str| {
            let pod = container.field("env").and_then(Value::as_array);
            let named = |e: &&Value| e.field("name").and_then(Value::as_str) == Some(var);
            match pod.and_then(|env| env.iter().rev().find(named)) {
                Some(entry) => {
                    (entry.field("value").and_then(Value::as_str)).filter(|v| !v.contains("$("))
                }
                None => known.config().and_then(|c| c.env(var)),
            }
        };
        match (from_image, profile_for(image, env_value)) {
            // The chart may set the variable through envFrom (Keycloak's chart puts
            // JAVA_OPTS_APPEND in a ConfigMap): setting it in env would replace that.
            (Some((var, why)), _) if var != JVM_WIDE && envfrom_may_set(&var) => {
                default(format!("the default, as envFrom may set {var} ({why})"))
            }
            (Some(choice), _) => choice,
            (None, Some(profile)) => match profile.options_env {
                // Unless JAVA_TOOL_OPTIONS cannot serve (the plan warns that envFrom may
                // supply the variable).
                Some(var) if envfrom_may_set(var) && profile.only_way_in => (
                    var.to_string(),
                    format!(
                        "launch profile {}, though envFrom may set {var}: {JVM_WIDE} cannot serve this launcher",
                        short(profile.source)
                    ),
                ),
                Some(var) if envfrom_may_set(var) => default(format!(
                    "the default, as envFrom may set {var} ({})",
                    short(profile.source)
                )),
                Some(var) => (
                    var.to_string(),
                    format!("launch profile {}", short(profile.source)),
                ),
                None => default(format!("the default ({})", short(profile.source))),
            },
            (None, None) => match manifest_options_var(container) {
                Some((var, flag)) => (
                    var.to_string(),
                    format!(
                        "env {var} already holds JVM flags ({flag}), so the launch path reads it"
                    ),
                ),
                None => default("the default".into()),
            },
        }
    };
    if launch == Launch::Java
        && let Some((ignored, _)) =
            manifest_options_var(container).filter(|(v, _)| *v != var && !JVM_READ.contains(v))
    {
        notes.push(format!(
            "env {ignored} holds JVM flags, but the container starts java directly ({said}), which never reads {ignored}: those flags do not reach the JVM (move them to {JVM_WIDE})"
        ));
    }
    if chosen && let Some(reads) = unread(&launch, &var) {
        notes.push(format!(
            "{from} names {var}, but the {said} says {reads}, which never reads {var}: the agent would not load; use {JVM_WIDE}, or leave the variable to the image facts"
        ));
    }
    let mut from = from;
    let keep = match known.config() {
        _ if image::pod_sets(container, &var) => None,
        // An empty value holds nothing to keep: ours takes its place.
        Some(config) => config
            .env(&var)
            .filter(|v| !v.trim().is_empty())
            .map(|value| {
                from.push_str(&format!("; the image sets {var}, kept in front"));
                value.to_string()
            }),
        None if JVM_READ.contains(&var.as_str()) => {
            from.push_str(&format!(
                "; no image facts: a {var} the image sets would be replaced (give the image facts to keep it)"
            ));
            None
        }
        None => None,
    };
    Options {
        var,
        from,
        keep,
        notes,
    }
}

/// How the image's launch path misses `var` (which the config or a site rule chose):
/// an exec-form `java`, or a shell command that passes another variable to java;
/// `None` when it reads it, or when the facts do not say.
fn unread(launch: &Launch, var: &str) -> Option<String> {
    if JVM_READ.contains(&var) {
        return None;
    }
    match launch {
        Launch::Java => Some("it starts java directly".to_string()),
        Launch::Expands(read) if read != var => {
            Some(format!("its shell command passes ${read} to java"))
        }
        // A launcher script often reads more than the one variable the table names
        // (catalina.sh reads CATALINA_OPTS and JAVA_OPTS): no warning.
        _ => None,
    }
}

/// The variables the JVM or the `java` launcher read by themselves.
const JVM_READ: &[&str] = &[JVM_WIDE, "JDK_JAVA_OPTIONS"];

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
            match node.field(key) {
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
