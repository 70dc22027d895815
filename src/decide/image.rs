//! What a container's image config says, read with the tables of
//! [`crate::knowledge::image_config`]: the runtime, how the process is launched (and so
//! which options variable reaches the JVM), other agents the image carries, and its Java
//! version. Everything here is about the container as the kubelet starts it: its own
//! `command`, `args` and `env` replace the image's.

use crate::decide::fields;
use crate::knowledge::evidence::COMMAND_WORDS;
use crate::knowledge::image_config::{
    AGENT_BUILDPACKS, BUILDPACKS, BUILDPACKS_LABEL, ENV_MARKERS, GENERIC_ENV, JDK_PATHS,
    JVM_LABELS, LAUNCH_SCRIPTS, PRELOAD_AGENTS, SHELLS, WRAPPERS,
};
use crate::knowledge::images::Runtime;
use crate::knowledge::pinpoint::AGENT_JAVA;
use crate::oci::ImageConfig;
use crate::value::Field;
use serde_json::Value;

/// The last path segment of a word (`/usr/bin/java` → `java`).
fn base(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

fn strings(container: &Value, key: &str) -> Vec<String> {
    fields::strings(container, key).map(String::from).collect()
}

/// True when the container's own `env` defines `name` (it then replaces the image's).
pub fn pod_sets(container: &Value, name: &str) -> bool {
    container
        .field("env")
        .and_then(Value::as_array)
        .is_some_and(|env| {
            env.iter()
                .any(|e| e.field("name").and_then(Value::as_str) == Some(name))
        })
}

/// The command the container runs, and whether any of it comes from the image.
pub fn command(config: &ImageConfig, container: &Value) -> (Vec<String>, bool) {
    let (command, args) = (strings(container, "command"), strings(container, "args"));
    let from_image = command.is_empty()
        && (!config.entrypoint.is_empty() || (args.is_empty() && !config.cmd.is_empty()));
    (config.effective_command(&command, &args), from_image)
}

/// The program a command runs, past wrappers like `tini --`: its index.
fn program(command: &[String]) -> Option<usize> {
    let mut i = 0;
    while i < command.len() {
        let word = base(&command[i]);
        if WRAPPERS.contains(&word) || command[i].starts_with('-') {
            i += 1;
            continue;
        }
        return Some(i);
    }
    None
}

/// `sh -c SCRIPT`: the script.
fn shell_script(command: &[String], at: usize) -> Option<&str> {
    if !SHELLS.contains(&base(&command[at])) {
        return None;
    }
    let c = command[at + 1..]
        .iter()
        .position(|w| w == "-c" || w == "-ec" || w == "-exc")?;
    command.get(at + 1 + c + 1).map(String::as_str)
}

/// How the image's process is started, as far as the config shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// `java` itself is started, with no shell or by a shell command that expands no
    /// options variable of its own: only the JVM-wide variables reach it.
    Java,
    /// A shell script whose `java` command expands this variable.
    Expands(String),
    /// A launcher script whose options variable is known: `(script, variable, source)`.
    Script(&'static str, &'static str, &'static str),
    /// Nothing the config shows tells.
    Unknown,
}

/// The variables a shell word list expands (`$NAME`, `${NAME}`), in order.
fn expansions(script: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let bytes = script.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let braced = bytes.get(i + 1) == Some(&b'{');
            let start = i + 1 + usize::from(braced);
            let len = script[start..]
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            if len > 0 && !bytes[start].is_ascii_digit() {
                found.push(&script[start..start + len]);
            }
            i = start + len;
        } else {
            i += 1;
        }
    }
    found
}

/// Variables a script expands that are not JVM options (paths, the program's own).
const NOT_OPTIONS: &[&str] = &[
    "JAVA_HOME",
    "HOME",
    "PATH",
    "APP_HOME",
    "JAR",
    "APP_JAR",
    "MAIN_CLASS",
];

/// How the container starts its process, from its effective command.
pub fn launch(config: &ImageConfig, container: &Value) -> Launch {
    let (command, _) = command(config, container);
    let Some(at) = program(&command) else {
        return Launch::Unknown;
    };
    if base(&command[at]) == "java" {
        return Launch::Java;
    }
    if let Some(script) = shell_script(&command, at) {
        // The variables expanded on the line that runs java, after the java word.
        for line in script.split(['\n', ';', '&', '|']) {
            let Some(java) = line
                .split_whitespace()
                .position(|w| base(w.trim_matches(['"', '\''])) == "java")
            else {
                continue;
            };
            let after: String = line
                .split_whitespace()
                .skip(java + 1)
                .collect::<Vec<_>>()
                .join(" ");
            return match expansions(&after)
                .into_iter()
                .find(|v| !NOT_OPTIONS.contains(v))
            {
                Some(var) => Launch::Expands(var.to_string()),
                None => Launch::Java,
            };
        }
    }
    let words = command[at..].iter().flat_map(|w| w.split_whitespace());
    for word in words {
        if let Some((script, var, source)) =
            LAUNCH_SCRIPTS.iter().find(|(s, _, _)| *s == base(word))
        {
            return Launch::Script(script, var, source);
        }
    }
    Launch::Unknown
}

/// The runtime the image config shows, with the evidence (`image config: …`); `None`
/// when it shows neither (the absence of JVM markers is no evidence on its own).
pub fn runtime(config: &ImageConfig, container: &Value) -> Option<(Runtime, String)> {
    let say = |r: Runtime, why: String| Some((r, format!("image config: {why}")));
    if !strings(container, "command").is_empty() {
        // The container runs a command of its own: the manifest shows what it runs.
        return None;
    }
    let (command, from_image) = command(config, container);
    let at = program(&command);
    if from_image && let Some(at) = at {
        let program = base(&command[at]);
        if program == "java" {
            return say(Runtime::Java, format!("it runs {}", command[at]));
        }
        if let Some((script, _, _)) = LAUNCH_SCRIPTS.iter().find(|(s, _, _)| *s == program) {
            return say(Runtime::Java, format!("it runs {script}"));
        }
        if let Some((word, r)) = COMMAND_WORDS.iter().find(|(w, _)| *w == program) {
            return say(*r, format!("it runs {word}"));
        }
        if let Some(script) = shell_script(&command, at)
            && script
                .split_whitespace()
                .any(|w| base(w.trim_matches(['"', '\''])) == "java")
        {
            return say(Runtime::Java, "its shell command runs java".into());
        }
    }
    let markers: Vec<(&str, Runtime, &str)> = ENV_MARKERS
        .iter()
        .filter(|m| config.env(m.name).is_some())
        .map(|m| (m.name, m.runtime, m.what))
        .chain(
            config
                .env("PATH")
                .into_iter()
                .flat_map(|path| path.split(':'))
                .filter(|entry| JDK_PATHS.iter().any(|(p, _)| entry.contains(p)))
                .map(|_| ("PATH", Runtime::Java, "a JDK's bin")),
        )
        .collect();
    let java = markers.iter().find(|m| m.1 == Runtime::Java);
    let other = markers.iter().find(|m| m.1 == Runtime::NotJava);
    match (java, other) {
        (Some((name, _, what)), None) => return say(Runtime::Java, format!("Env {name} ({what})")),
        (None, Some((name, _, what))) => {
            return say(Runtime::NotJava, format!("Env {name} ({what})"));
        }
        _ => {}
    }
    for (label, value, what, _) in JVM_LABELS {
        if config
            .labels
            .get(*label)
            .is_some_and(|v| value.is_empty() || v == value)
        {
            return say(Runtime::Java, format!("label {label} ({what})"));
        }
    }
    if let Some(metadata) = config.labels.get(BUILDPACKS_LABEL)
        && let Some((id, r, _)) = BUILDPACKS
            .iter()
            .find(|(id, _, _)| metadata.contains(&format!("\"{id}\"")))
    {
        return say(*r, format!("buildpack {id}"));
    }
    // One binary started directly, in an image that sets nothing but generic variables:
    // a static binary (distroless static, scratch, ko).
    if from_image
        && let Some(at) = at
        && command[at].starts_with('/')
        && !SHELLS.contains(&base(&command[at]))
        && !base(&command[at]).ends_with(".sh")
        && !base(&command[at]).contains("entrypoint")
        && config
            .env_vars()
            .all(|(name, _)| GENERIC_ENV.contains(&name))
    {
        return say(
            Runtime::NotJava,
            format!("it starts the binary {} directly", command[at]),
        );
    }
    None
}

/// Another agent the image starts, with the evidence: a `-javaagent` in a variable the
/// pod does not replace or in the command, an agent's `LD_PRELOAD`, an APM buildpack.
/// The metrics agents of `compatible` (`jmx_prometheus_javaagent`…) do not count.
pub fn foreign_agent(
    config: &ImageConfig,
    container: &Value,
    identify: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    // The pod's own names, gathered once: a scan of them per image variable cost the
    // product of the two lists.
    let set_by_pod: std::collections::HashSet<&str> =
        crate::decide::fields::names(container, "env").collect();
    for (name, value) in config.env_vars() {
        if set_by_pod.contains(name) {
            continue;
        }
        if name == "LD_PRELOAD"
            && let Some((_, agent, _)) = PRELOAD_AGENTS.iter().find(|(p, _, _)| value.contains(p))
        {
            return Some(format!("{agent}, from the image's Env"));
        }
        if let Some(agent) = value.split_whitespace().find_map(&identify) {
            return Some(format!("{agent}, from the image's Env {name}"));
        }
    }
    let (command, from_image) = command(config, container);
    if from_image
        && let Some(agent) = command
            .iter()
            .flat_map(|w| w.split_whitespace())
            .find_map(&identify)
    {
        return Some(format!("{agent}, from the image's command"));
    }
    let metadata = config.labels.get(BUILDPACKS_LABEL)?;
    AGENT_BUILDPACKS
        .iter()
        .find(|(id, _)| metadata.contains(&format!("\"{id}\"")))
        .map(|(_, agent)| agent.to_string())
}

/// The Java major version an image's `JAVA_VERSION` gives, in any of the shapes
/// images use: `jdk-17.0.13+11` and `jdk8u502-b07` (Temurin), `17.0.2`, `8u342`, `27`,
/// `28-ea+11` (docker-library openjdk), `21.0.12.1` (distroless), `21` (UBI), `1.8.0_392`.
pub fn java_major(version: &str) -> Option<u32> {
    let v = version
        .trim()
        .strip_prefix("jdk-")
        .or_else(|| version.trim().strip_prefix("jdk"))
        .unwrap_or(version.trim());
    let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
    let major: u32 = digits.parse().ok()?;
    if major == 1 {
        // `1.8.0_392`: the old scheme.
        let rest = &v[digits.len()..];
        let minor: String = rest
            .strip_prefix('.')?
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        return minor.parse().ok();
    }
    Some(major)
}

#[cfg(test)]
mod tests;

/// The agent line (`3.0`) of the agent image's tag (`pinpoint-agent:3.0.1`, `v2.5.4`).
pub fn agent_line(agent_image: &str) -> Option<(u32, u32)> {
    let reference = crate::oci::Reference::parse(agent_image).ok()?;
    let tag = reference.tag?;
    let mut parts = tag.trim_start_matches('v').split(['.', '-']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// A warning when the image's `JAVA_VERSION` is outside what the configured agent
/// supports (Pinpoint's README, [`AGENT_JAVA`]), naming both.
pub fn java_version_note(config: &ImageConfig, agent_image: &str) -> Option<String> {
    let text = config.env("JAVA_VERSION")?;
    let java = java_major(text)?;
    let (major, minor) = agent_line(agent_image)?;
    let (_, _, low, high, source) = AGENT_JAVA
        .iter()
        .find(|(ma, mi, ..)| (*ma, *mi) == (major, minor))?;
    (!(*low..=*high).contains(&java)).then(|| {
        format!(
            "its image runs Java {java} (JAVA_VERSION={text}), and the agent {agent_image} ({major}.{minor}.x) supports Java {low} to {high} ({source}); pick an agent version for Java {java}"
        )
    })
}
