//! Classify a container as `java`, `not-java` or `unknown`, with the evidence, from what
//! the manifest shows: its image ([`crate::knowledge::images`]), command and args, env, probe paths
//! and the language labels other tools put on the pod.

use crate::config::Form;
use crate::decide::fields::strings;
use crate::decide::image;
use crate::decide::known::Known;
use crate::knowledge::evidence::{
    COMMAND_WORDS, JVM_ENV, JVM_ENV_PREFIXES, JVM_FLAGS, JVM_PROBE_PATHS, LANGUAGE_LABELS,
};
use crate::knowledge::images::{self, Role, Runtime};
use crate::knowledge::sidecars::{SIDECAR_SUFFIXES, WELL_KNOWN_SIDECARS};
use crate::value::Field;
use serde_json::{Map, Value};

/// What is known about one container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Class {
    pub runtime: Runtime,
    pub role: Role,
    /// What the runtime and role were read from, most telling first.
    pub evidence: Vec<String>,
}

/// The runtime `command`/`args` show: a JVM launcher anywhere in them (a `java` in a
/// script is telling), else another interpreter where a program is started (the first
/// word, the first word of a `sh -c` script, or after `exec`).
fn from_command(container: &Value) -> Option<(Runtime, String)> {
    let parts: Vec<&str> = strings(container, "command")
        .chain(strings(container, "args"))
        .collect();
    // Words borrow from the container: a workload's `args` may be 100,000 long.
    fn base(w: &str) -> &str {
        w.rsplit('/').next().unwrap_or(w)
    }
    fn split(s: &str) -> impl Iterator<Item = &str> {
        s.split(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')'))
            .filter(|w| !w.is_empty())
            .map(base)
    }
    let mut launched: Vec<&str> = parts.first().map(|p| base(p)).into_iter().collect();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 && parts[i - 1] == "-c" {
            launched.extend(split(part).next());
        }
        let mut previous = None;
        for word in split(part) {
            if previous == Some("exec") {
                launched.push(word);
            }
            previous = Some(word);
        }
    }
    fn find<'a>(
        mut words: impl Iterator<Item = &'a str>,
        runtime: Runtime,
    ) -> Option<(Runtime, String)> {
        words.find_map(|w| {
            COMMAND_WORDS
                .iter()
                .find(|(word, r)| *word == w && *r == runtime)
                .map(|(word, _)| (runtime, format!("command runs {word}")))
        })
    }
    find(parts.iter().flat_map(|p| split(p)), Runtime::Java)
        .or_else(|| find(launched.into_iter(), Runtime::NotJava))
}

fn from_env(container: &Value) -> Option<String> {
    let env = container.field("env").and_then(Value::as_array)?;
    env.iter().find_map(|entry| {
        let name = entry.field("name").and_then(Value::as_str)?;
        let value = entry
            .field("value")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if name.starts_with("PINPOINT_") {
            return None;
        }
        if JVM_ENV.contains(&name) || JVM_ENV_PREFIXES.iter().any(|p| name.starts_with(p)) {
            return Some(format!("env {name}"));
        }
        JVM_FLAGS
            .iter()
            .find(|f| value.split_whitespace().any(|w| w.starts_with(*f)))
            .map(|f| format!("env {name} holds {f}"))
    })
}

fn from_probes(container: &Value) -> Option<String> {
    ["livenessProbe", "readinessProbe", "startupProbe"]
        .iter()
        .find_map(|probe| {
            let path = container
                .get(*probe)?
                .field("httpGet")?
                .field("path")?
                .as_str()?;
            JVM_PROBE_PATHS
                .iter()
                // Behind a context path too (`/xxl-job-admin/actuator/health`).
                .find(|(p, _)| path.contains(p))
                .map(|(_, what)| format!("{probe} {path} ({what})"))
        })
}

fn from_labels(labels: &[&Map<String, Value>]) -> Option<(Runtime, String)> {
    LANGUAGE_LABELS.iter().find_map(|key| {
        let value = labels.iter().find_map(|m| m.field(key)?.as_str())?;
        let runtime = if value.eq_ignore_ascii_case("java") {
            Runtime::Java
        } else {
            Runtime::NotJava
        };
        Some((runtime, format!("label {key}={value}")))
    })
}

/// Whether a container's name marks it as a sidecar (`*-exporter`, `istio-proxy`, …).
pub fn sidecar_by_name(name: &str) -> bool {
    WELL_KNOWN_SIDECARS.contains(&name) || SIDECAR_SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// Classify one container; `labels` are the workload's and the pod template's. What
/// is `known` about its image ranks first: the site's rule, then the image's config;
/// then what the manifest shows.
pub fn classify(
    container: &Value,
    labels: &[&Map<String, Value>],
    known: &Known,
    form: Form,
) -> Class {
    let mut evidence = Vec::new();
    let mut runtime = Runtime::Unknown;
    let mut role = Role::Application;
    let mut decide = |r: Runtime, why: String, evidence: &mut Vec<String>| {
        if runtime == Runtime::Unknown {
            runtime = r;
        }
        evidence.push(why);
    };
    let image = container
        .field("image")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let rule = known.rule_evidence(|path| form.short_field(path));
    if let (Some(rule), Some(why)) = (known.rule, &rule) {
        if let Some(r) = rule.runtime {
            decide(r, format!("{why} says {}", r.name()), &mut evidence);
        }
        if let Some(category) = rule.category {
            role = category;
            evidence.push(format!("{why} says {}", category.name()));
        }
    }
    if let Some(config) = known.config()
        && let Some((r, why)) = image::runtime(config, container)
    {
        decide(r, why, &mut evidence);
    }
    if let Some(family) = images::family(image) {
        if known.rule.is_none_or(|r| r.category.is_none()) {
            role = family.role;
        }
        decide(
            family.runtime,
            format!("image {} ({})", images::repository(image), family.what),
            &mut evidence,
        );
    }
    if let Some((r, why)) = from_command(container) {
        decide(r, why, &mut evidence);
    }
    if let Some(why) = from_env(container) {
        decide(Runtime::Java, why, &mut evidence);
    }
    if let Some(why) = from_probes(container) {
        decide(Runtime::Java, why, &mut evidence);
    }
    if let Some((r, why)) = from_labels(labels) {
        decide(r, why, &mut evidence);
    }
    let name = container
        .field("name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if role == Role::Application
        && known.rule.is_none_or(|r| r.category.is_none())
        && sidecar_by_name(name)
    {
        role = Role::Sidecar;
        evidence.push(format!("name {name} is a sidecar's"));
    }
    if evidence.is_empty() {
        evidence.push(match image.trim() {
            "" => "the container names no image (a controller may fill it in), and nothing in the manifest shows its runtime".to_string(),
            _ => format!("nothing in the manifest shows the runtime of image {}", images::repository(image)),
        });
    }
    Class {
        runtime,
        role,
        evidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn class(container: Value) -> Class {
        classify(&container, &[], &Known::nothing(), Form::Injector)
    }

    #[test]
    fn each_kind_of_evidence_decides() {
        let cases = [
            (
                json!({"name": "db", "image": "docker.io/bitnami/postgresql:17"}),
                Runtime::NotJava,
                "image bitnami/postgresql",
            ),
            (
                json!({"name": "app", "image": "shop/orders:1", "command": ["java", "-jar", "/app.jar"]}),
                Runtime::Java,
                "command runs java",
            ),
            (
                json!({"name": "app", "image": "shop/orders:1", "args": ["sh", "-c", "exec python /srv/app.py"]}),
                Runtime::NotJava,
                "command runs python",
            ),
            (
                json!({"name": "app", "image": "shop/orders:1", "command": ["/bin/bash", "-c", "for node in a b; do echo $node; done"]}),
                Runtime::Unknown,
                "nothing in the manifest",
            ),
            (
                json!({"name": "app", "image": "shop/orders:1", "env": [{"name": "MEM", "value": "-Xmx512m"}]}),
                Runtime::Java,
                "env MEM holds -Xmx",
            ),
            (
                json!({"name": "app", "image": "shop/orders:1", "env": [{"name": "JAVA_OPTS", "value": ""}]}),
                Runtime::Java,
                "env JAVA_OPTS",
            ),
            (
                json!({"name": "app", "image": "shop/orders:1", "readinessProbe": {"httpGet": {"path": "/actuator/health/readiness"}}}),
                Runtime::Java,
                "Spring Boot actuator",
            ),
            (
                json!({"name": "app", "image": "shop/jobs:1", "livenessProbe": {"httpGet": {"path": "/xxl-job-admin/actuator/health/liveness"}}}),
                Runtime::Java,
                "Spring Boot actuator",
            ),
            (
                json!({"name": "app", "image": "shop/orders:1"}),
                Runtime::Unknown,
                "nothing in the manifest shows the runtime of image shop/orders",
            ),
            (json!({"name": "app"}), Runtime::Unknown, "names no image"),
        ];
        for (container, runtime, evidence) in cases {
            let c = class(container.clone());
            assert_eq!(c.runtime, runtime, "{container}");
            assert!(
                c.evidence[0].contains(evidence),
                "{container}: {:?}",
                c.evidence
            );
        }
    }

    #[test]
    fn language_labels_are_evidence() {
        let labels = json!({"aliyun.com/app-language": "golang"});
        let c = classify(
            &json!({"name": "app", "image": "shop/api:1"}),
            &[labels.as_object().unwrap()],
            &Known::nothing(),
            Form::Injector,
        );
        assert_eq!(c.runtime, Runtime::NotJava);
        assert_eq!(c.evidence, vec!["label aliyun.com/app-language=golang"]);
    }

    #[test]
    fn sidecars_by_image_and_by_name() {
        let c = class(
            json!({"name": "grafana-sc-dashboard", "image": "quay.io/kiwigrid/k8s-sidecar:1.30"}),
        );
        assert_eq!((c.runtime, c.role), (Runtime::NotJava, Role::Sidecar));
        let c = class(json!({"name": "metrics-exporter", "image": "shop/exporter:1"}));
        assert_eq!((c.runtime, c.role), (Runtime::Unknown, Role::Sidecar));
        let c = class(
            json!({"name": "jmx", "image": "bitnami/jmx-exporter:1", "command": ["java", "-jar", "x.jar"]}),
        );
        assert_eq!((c.runtime, c.role), (Runtime::Java, Role::Tooling));
    }
}
