//! Validation of `spec.agent`: the image, the paths and names the wiring uses, and
//! every value that becomes part of a JVM flag (none may add a flag of its own).

use super::{checks, security};
use crate::config::defaults;
use crate::config::error::{ConfigError, bad};
use crate::config::form::Form;
use crate::config::settings::{AgentSettings, Delivery};
use crate::config::spec::{Agent, Scalar};
use crate::config::strict::Strict;
use crate::knowledge::shell;
use k8s_openapi::api::core::v1::ResourceRequirements;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use std::collections::BTreeMap;

/// The options variables the JVM or the common launch scripts read by themselves.
const KNOWN_OPTIONS_ENVS: &[&str] = &[
    "JAVA_TOOL_OPTIONS",
    "CATALINA_OPTS",
    "JAVA_OPTS",
    "JDK_JAVA_OPTIONS",
];

pub(super) fn validate(
    agent: Agent,
    form: Form,
    warnings: &mut Vec<String>,
) -> Result<AgentSettings, ConfigError> {
    let at = |field: &str| form.field(&format!("agent.{field}"));
    checks::image(&at("image"), &agent.image, warnings)?;
    if let Some(policy) = &agent.image_pull_policy
        && !["Always", "IfNotPresent", "Never"].contains(&policy.as_str())
    {
        return Err(bad(format!(
            "{}: {policy:?} is not one of Always, IfNotPresent, Never",
            at("imagePullPolicy")
        )));
    }
    let delivery = Delivery::from_name(&agent.delivery).ok_or_else(|| {
        bad(format!(
            "{}: {:?} is not one of initContainer, imageVolume",
            at("delivery"),
            agent.delivery
        ))
    })?;
    checks::path(&at("sourcePath"), &agent.source_path)?;
    checks::path(&at("mountPath"), &agent.mount_path)?;
    if let Some(c) = agent.mount_path.chars().find(|c| !shell::is_path_char(*c)) {
        return Err(bad(format!(
            "{}: {:?} holds {c:?}; a mount path goes into -javaagent: and through launch scripts' shells, so it may hold only letters, digits, '.', '_', '-' and '/' (the JVM splits -javaagent: at '=')",
            at("mountPath"),
            agent.mount_path
        )));
    }
    if agent.mount_path.trim_end_matches('/').is_empty() {
        return Err(bad(format!(
            "{}: mounting over / would hide the whole image",
            at("mountPath")
        )));
    }
    if agent.bootstrap_jar.is_empty()
        || !agent.bootstrap_jar.chars().all(checks::is_token_char)
        || agent.bootstrap_jar.contains('/')
    {
        return Err(bad(format!(
            "{}: {:?} must be a file name of [a-zA-Z0-9._-]",
            at("bootstrapJar"),
            agent.bootstrap_jar
        )));
    }
    if agent.profile.is_empty() || !agent.profile.chars().all(checks::is_token_char) {
        return Err(bad(format!(
            "{}: {:?} must be [a-zA-Z0-9._-]",
            at("profile"),
            agent.profile
        )));
    }
    let options_env_explicit = agent.options_env.is_some();
    let options_env = options_env(agent.options_env, &at("optionsEnv"), warnings)?;
    let system_properties = system_properties(agent.system_properties, form)?;
    let security_context = agent.security_context.map(|Strict(c)| c);
    let resources = agent.resources.map(|Strict(r)| r);
    if let Some(resources) = &resources {
        quantities(resources, &at("resources"))?;
    }
    if let Some(context) = &security_context {
        warnings.extend(security::warnings(context, &at("securityContext")));
    }
    let copy_step_fields = [
        ("resources", resources.is_some()),
        ("securityContext", security_context.is_some()),
        (
            "initContainerName",
            agent.init_container_name != defaults::INIT_CONTAINER_NAME,
        ),
    ]
    .into_iter()
    .filter_map(|(field, set)| set.then_some(field))
    .collect();
    for (field, name) in [
        ("volumeName", &agent.volume_name),
        ("initContainerName", &agent.init_container_name),
    ] {
        if !checks::is_dns_label(name) {
            return Err(bad(format!(
                "{}: {name:?} is not a valid Kubernetes name (a DNS-1123 label)",
                at(field)
            )));
        }
    }
    let volume_size_limit = agent
        .volume_size_limit
        .map(|Scalar(q)| {
            if checks::is_quantity(&q) {
                Ok(Quantity(q))
            } else {
                Err(bad(format!(
                    "{}: {q:?} is not a Kubernetes quantity (e.g. 256Mi)",
                    at("volumeSizeLimit")
                )))
            }
        })
        .transpose()?;
    Ok(AgentSettings {
        image: agent.image,
        delivery,
        copy_step_fields,
        image_pull_policy: agent.image_pull_policy,
        source_path: agent.source_path,
        mount_path: agent.mount_path,
        bootstrap_jar: agent.bootstrap_jar,
        profile: agent.profile,
        options_env,
        options_env_explicit,
        system_properties,
        init_resources: resources.unwrap_or_else(defaults::init_resources),
        init_security_context: security_context,
        volume_size_limit,
        volume_name: agent.volume_name,
        init_container_name: agent.init_container_name,
    })
}

/// `agent.optionsEnv`: a variable name, not one of ours; a warning when only a launch
/// script that may not exist would read it.
fn options_env(
    configured: Option<String>,
    field: &str,
    warnings: &mut Vec<String>,
) -> Result<String, ConfigError> {
    let name = configured.unwrap_or_else(|| defaults::OPTIONS_ENV.into());
    if !checks::is_env_name(&name) || name.starts_with("PINPOINT_") {
        return Err(bad(format!(
            "{field}: {name:?} must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*) that does not start with PINPOINT_"
        )));
    }
    if !KNOWN_OPTIONS_ENVS.contains(&name.as_str()) {
        warnings.push(format!(
            "{field} {name}: only the JVM reads JAVA_TOOL_OPTIONS and JDK_JAVA_OPTIONS by itself; make sure the image's start script passes {name} to java"
        ));
    }
    Ok(name)
}

/// The system properties the flags set from other settings (`crate::wire::flags`), and
/// the setting for each; `*` stands for one word (a gRPC channel).
const RESERVED: &[(&str, &str)] = &[
    ("pinpoint.applicationName", "naming.applicationName"),
    ("pinpoint.agentId", "naming.agentId"),
    ("pinpoint.agentName", "naming.agentName"),
    ("pinpoint.profiler.profiles.active", "agent.profile"),
    ("profiler.transport.grpc.collector.ip", "collector.host"),
    (
        "profiler.transport.grpc.*.collector.port",
        "collector.agentPort",
    ),
];

fn reserved_key(pattern: &str, key: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == key,
        Some((head, tail)) => key
            .strip_prefix(head)
            .and_then(|k| k.strip_suffix(tail))
            .is_some_and(|word| !word.is_empty() && !word.contains('.')),
    }
}

/// `agent.systemProperties`: each entry is one `-Dkey=value` flag, which launch scripts
/// read again in a shell (Tomcat's `catalina.sh` through `eval`): the value may hold only
/// characters a shell reads as themselves ([`shell::is_plain`]).
fn system_properties(
    properties: BTreeMap<String, Scalar>,
    form: Form,
) -> Result<BTreeMap<String, String>, ConfigError> {
    let mut out = BTreeMap::new();
    for (key, Scalar(value)) in properties {
        if key.is_empty() || !key.chars().all(checks::is_token_char) {
            return Err(bad(format!(
                "{}: key {key:?} must be [a-zA-Z0-9._-]",
                form.field("agent.systemProperties")
            )));
        }
        let field = form.field(&format!("agent.systemProperties.{key}"));
        if let Some((_, instead)) = RESERVED.iter().find(|(k, _)| reserved_key(k, &key)) {
            return Err(bad(format!(
                "{field}: the tool writes -D{key} itself (the JVM keeps the last of two, so this one would override it unchecked); set {} instead",
                form.field(instead)
            )));
        }
        if value.is_empty() {
            return Err(bad(format!(
                "{field}: the value is empty (each property is one JVM flag, -D{key}=value)"
            )));
        }
        if let Some(c) = value.chars().find(|c| !shell::is_plain(*c)) {
            return Err(bad(format!(
                "{field}: {value:?} holds {c:?}; launch scripts read the JVM options in a shell (Tomcat's catalina.sh through eval), so a value may hold only letters, digits and . _ - / : , + = @ (put anything else in a file named by -Dpinpoint.config)"
            )));
        }
        out.insert(key, value);
    }
    Ok(out)
}

/// Every quantity of `agent.resources` is one (`cpu: lots` would reach the API server).
fn quantities(resources: &ResourceRequirements, field: &str) -> Result<(), ConfigError> {
    for (part, list) in [
        ("limits", &resources.limits),
        ("requests", &resources.requests),
    ] {
        for (name, Quantity(q)) in list.iter().flatten() {
            if !checks::is_quantity(q) {
                return Err(bad(format!(
                    "{field}.{part}.{name}: {q:?} is not a Kubernetes quantity (e.g. 500m, 128Mi)"
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::config::load;
    use serde_json::{Value, json};

    fn minimal() -> Value {
        json!({
            "apiVersion": crate::config::API_VERSION, "kind": crate::config::KIND,
            "spec": {"collector": {"host": "c"}, "agent": {"image": "pinpointdocker/pinpoint-agent:2.5.4"}}
        })
    }

    #[test]
    fn values_that_could_smuggle_flags_are_rejected() {
        for (path, value) in [
            (&["collector", "host"][..], json!("collector -Dx=y")),
            (&["agent", "mountPath"][..], json!("/a b")),
            (&["agent", "bootstrapJar"][..], json!("x.jar -Dy")),
            (&["agent", "profile"][..], json!("release -Dz")),
            (&["agent", "optionsEnv"][..], json!("JAVA OPTS")),
        ] {
            let mut doc = minimal();
            doc["spec"][path[0]][path[1]] = value;
            assert!(load(&doc).is_err(), "{path:?}");
        }
        let mut doc = minimal();
        doc["spec"]["agent"]["systemProperties"] = json!({"a": "1 -Dinjected=1"});
        assert!(load(&doc).is_err());
    }

    #[test]
    fn a_bracketed_ipv6_collector_is_passed_bare() {
        for (host, passed) in [("[::1]", "::1"), ("fd00::10", "fd00::10"), ("c", "c")] {
            let mut doc = minimal();
            doc["spec"]["collector"]["host"] = json!(host);
            assert_eq!(load(&doc).unwrap().settings.collector_host, passed);
        }
        let mut doc = minimal();
        doc["spec"]["collector"]["host"] = json!("[c]");
        assert!(load(&doc).is_err());
    }

    #[test]
    fn latest_and_untagged_images_warn_and_digests_do_not() {
        for (image, warns) in [
            ("reg:5000/agent", true),
            ("agent:latest", true),
            ("agent:2.5.4", false),
            (
                "agent@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                false,
            ),
        ] {
            let mut doc = minimal();
            doc["spec"]["agent"]["image"] = json!(image);
            assert_eq!(!load(&doc).unwrap().warnings.is_empty(), warns, "{image}");
        }
    }
}
