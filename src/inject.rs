//! The pure edit of one pod template: add the agent volume, the copy step and, in each
//! target container, the mount and the JVM options; or take a previous edit out again.
//!
//! The wiring in a container looks like this (the options variable is `JAVA_TOOL_OPTIONS`
//! by default; an existing literal value is kept in front of the reference):
//!
//! ```yaml
//! env:
//! - name: PINPOINT_POD_NAME            # downward API, only when referenced
//!   valueFrom: {fieldRef: {fieldPath: metadata.name}}
//! - name: PINPOINT_AGENT_OPTS          # every flag we add, in one reviewable place
//!   value: -javaagent:/pinpoint-agent/pinpoint-bootstrap.jar -Dpinpoint.applicationName=web …
//! - name: JAVA_TOOL_OPTIONS
//!   value: -Xmx512m $(PINPOINT_AGENT_OPTS)
//! ```
//!
//! Kubernetes expands `$(VAR)` only from variables defined earlier, so ours always come
//! first. A marker annotation on the pod template records what we own, so a second run
//! takes the old wiring out before putting the new one in: never twice, never stale.

use crate::config::{AgentId, AgentName, Settings};
use crate::copy_step;
use k8s_openapi::api::core::v1::{EnvVar, EnvVarSource, ObjectFieldSelector, VolumeMount};
use serde::Serialize;
use serde_json::{Map, Value};

/// Annotation on the pod template that marks our wiring and records what we own.
pub const MARKER: &str = "pinpoint-inject.dev/injected";
/// The variable that carries every flag we add.
pub const OPTS_VAR: &str = "PINPOINT_AGENT_OPTS";
pub const POD_NAME_VAR: &str = "PINPOINT_POD_NAME";
pub const POD_IP_VAR: &str = "PINPOINT_POD_IP";
/// Prefix of the variable an existing `valueFrom` options value is moved to.
pub const ORIGINAL_PREFIX: &str = "PINPOINT_ORIGINAL_";

fn reference(var: &str) -> String {
    format!("$({var})")
}

/// What the marker annotation records, so a later run can undo exactly this:
/// `containers=app,worker;volume=pinpoint-agent;initContainer=pinpoint-agent-init`
/// (all Kubernetes names, so `,` `;` and `=` cannot occur in them).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Marker {
    containers: Vec<String>,
    volume: String,
    init_container: String,
}

impl Marker {
    fn render(&self) -> String {
        format!(
            "containers={};volume={};initContainer={}",
            self.containers.join(","),
            self.volume,
            self.init_container
        )
    }

    fn parse(text: &str) -> Option<Marker> {
        let mut containers = None;
        let mut volume = None;
        let mut init_container = None;
        for part in text.split(';') {
            let (key, value) = part.split_once('=')?;
            let slot = match key.trim() {
                "containers" => &mut containers,
                "volume" => &mut volume,
                "initContainer" => &mut init_container,
                _ => return None,
            };
            *slot = Some(value.trim().to_string());
        }
        let containers: Vec<String> = containers?
            .split(',')
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect();
        let (volume, init_container) = (volume?, init_container?);
        (!volume.is_empty() && !init_container.is_empty()).then_some(Marker {
            containers,
            volume,
            init_container,
        })
    }
}

/// A container to instrument and the application name it reports as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub container: String,
    pub application_name: String,
    /// The variable the JVM options go in (`JAVA_TOOL_OPTIONS`, or the image's own).
    pub options_env: String,
}

/// Why a workload cannot be instrumented; the workload is left untouched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InjectError {
    pub message: String,
    /// The field the problem is in, relative to the pod template (`spec.volumes`).
    pub field: String,
}

fn conflict(field: impl Into<String>, message: impl Into<String>) -> InjectError {
    InjectError {
        message: message.into(),
        field: field.into(),
    }
}

/// What happened to one pod template.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Containers that now carry the agent.
    pub injected: Vec<String>,
    /// Containers left alone, with the reason (a warning for the user).
    pub skipped: Vec<(String, String)>,
    /// Other things the user should know (warnings).
    pub warnings: Vec<String>,
}

/// Instrument `targets` in a pod template (`{metadata, spec}`), replacing any wiring
/// a previous run left. On error the template may be half edited: callers work on a copy.
pub fn inject(
    template: &mut Value,
    settings: &Settings,
    targets: &[Target],
) -> Result<Report, InjectError> {
    strip(template)?;
    let metadata = template.get("metadata");
    not_a_map(metadata, "metadata")?;
    not_a_map(
        metadata.and_then(|m| m.get("annotations")),
        "metadata.annotations",
    )?;
    let spec = template
        .get_mut("spec")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| conflict("spec", "the pod template has no spec"))?;

    if let Some(v) = find_named(spec.get("volumes"), &settings.volume_name) {
        let _ = v;
        return Err(conflict(
            "spec.volumes",
            format!(
                "a volume named {:?} already exists and is not ours; set spec.agent.volumeName to another name",
                settings.volume_name
            ),
        ));
    }
    for list in ["initContainers", "containers"] {
        if find_named(spec.get(list), &settings.init_container_name).is_some() {
            return Err(conflict(
                format!("spec.{list}"),
                format!(
                    "a container named {:?} already exists and is not ours; set spec.agent.initContainerName to another name",
                    settings.init_container_name
                ),
            ));
        }
    }

    for list in ["volumes", "initContainers"] {
        not_a_list(spec.get(list), &format!("spec.{list}"))?;
    }
    let pod_security = spec.get("securityContext").cloned();
    let containers = spec
        .get_mut("containers")
        .and_then(Value::as_array_mut)
        .ok_or_else(|| conflict("spec.containers", "the pod template has no containers list"))?;

    // Plan every container first, so a conflict in the second leaves the first untouched.
    let mut report = Report::default();
    let mut edits = Vec::new();
    for target in targets {
        let Some(index) = containers
            .iter()
            .position(|c| name_of(c) == Some(target.container.as_str()))
        else {
            return Err(conflict(
                "spec.containers",
                format!("no container named {:?}", target.container),
            ));
        };
        let field = format!("spec.containers[{index}]");
        match plan_container(&containers[index], settings, &target.options_env, &field)? {
            Plan::Skip(reason) => report.skipped.push((target.container.clone(), reason)),
            Plan::Inject(edit) => {
                if let Some(warning) = edit.warning.clone() {
                    report
                        .warnings
                        .push(format!("container {:?}: {warning}", target.container));
                }
                edits.push((index, target, edit));
            }
        }
    }
    if edits.is_empty() {
        return Ok(report);
    }

    let security_context = copy_step::security_context(
        settings,
        pod_security.as_ref(),
        containers[edits[0].0].get("securityContext"),
    );
    for (index, target, edit) in &edits {
        apply_container(&mut containers[*index], settings, target, edit);
        report.injected.push(target.container.clone());
    }

    push(
        spec,
        "volumes",
        to_value(&copy_step::agent_volume(settings)),
    );
    push(
        spec,
        "initContainers",
        to_value(&copy_step::init_container(settings, security_context)),
    );

    let marker = Marker {
        containers: report.injected.clone(),
        volume: settings.volume_name.clone(),
        init_container: settings.init_container_name.clone(),
    };
    let template = template.as_object_mut().expect("checked above");
    if !template.contains_key("metadata") {
        // A template without metadata gets one in front of its spec, where people put it.
        let rest = std::mem::take(template);
        template.insert("metadata".into(), Value::Object(Map::new()));
        template.extend(rest);
    }
    let annotations = object_entry(object_entry(template, "metadata"), "annotations");
    annotations.insert(MARKER.to_string(), Value::String(marker.render()));
    Ok(report)
}

/// Take out the wiring a previous run recorded in the marker. Returns whether there was any.
pub fn strip(template: &mut Value) -> Result<bool, InjectError> {
    let Some(raw) = template
        .get("metadata")
        .and_then(|m| m.get("annotations"))
        .and_then(|a| a.get(MARKER))
    else {
        return Ok(false);
    };
    let marker: Marker = raw
        .as_str()
        .and_then(Marker::parse)
        .ok_or_else(|| conflict(format!("metadata.annotations[{MARKER}]"), format!("the {MARKER} annotation was edited by hand; remove it and the wiring, or restore it")))?;

    if let Some(spec) = template.get_mut("spec").and_then(Value::as_object_mut) {
        remove_named(spec, "volumes", &marker.volume);
        remove_named(spec, "initContainers", &marker.init_container);
        if let Some(containers) = spec.get_mut("containers").and_then(Value::as_array_mut) {
            for container in containers.iter_mut() {
                if name_of(container).is_some_and(|n| marker.containers.iter().any(|m| m == n))
                    && let Some(container) = container.as_object_mut()
                {
                    remove_named(container, "volumeMounts", &marker.volume);
                    strip_env(container);
                }
            }
        }
    }
    let metadata = template
        .get_mut("metadata")
        .and_then(Value::as_object_mut)
        .expect("found above");
    let annotations = metadata
        .get_mut("annotations")
        .and_then(Value::as_object_mut)
        .expect("found above");
    annotations.shift_remove(MARKER);
    if annotations.is_empty() {
        metadata.shift_remove("annotations");
    }
    if metadata.is_empty() {
        // `inject` adds the metadata when a template has none.
        template
            .as_object_mut()
            .expect("found above")
            .shift_remove("metadata");
    }
    Ok(true)
}

/// Take our variables out of one container's env, and give the options variable back
/// its own value. Only what [`apply_container`] wrote is touched: our block always ends
/// with `PINPOINT_AGENT_OPTS`, the options variable is the entry right after it, and a
/// moved `valueFrom` sits right before it; a user's own `PINPOINT_ORIGINAL_*` variable
/// or `$(PINPOINT_AGENT_OPTS)` reference elsewhere is left alone.
fn strip_env(container: &mut Map<String, Value>) {
    let Some(env) = container.get_mut("env").and_then(Value::as_array_mut) else {
        return;
    };
    let opts_ref = reference(OPTS_VAR);
    let mut moved_back: Option<usize> = None;
    if let Some(at) = env.iter().position(|e| name_of(e) == Some(OPTS_VAR)) {
        let original = at.checked_sub(1).and_then(|i| {
            let name = name_of(&env[i]).filter(|n| n.starts_with(ORIGINAL_PREFIX))?;
            Some((i, reference(name), env[i].get("valueFrom")?.clone()))
        });
        // Appended by us (last, and only `name` and `value`), rather than the user's own
        // empty variable (which may be last too, but then keeps whatever else it has).
        let appended = at + 2 == env.len()
            && env[at + 1]
                .as_object()
                .is_some_and(|entry| entry.len() == 2);
        if let Some(entry) = env.get_mut(at + 1).and_then(Value::as_object_mut) {
            let value = entry
                .get("value")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            match original {
                Some((i, var, from)) if value == format!("{var} {opts_ref}") => {
                    entry.remove("value");
                    entry.insert("valueFrom".into(), from);
                    moved_back = Some(i);
                }
                _ if value == opts_ref && appended => {
                    env.remove(at + 1);
                }
                _ if value == opts_ref => {
                    entry.insert("value".into(), Value::String(String::new()));
                }
                _ => {
                    if let Some(user) = value.strip_suffix(&format!(" {opts_ref}")) {
                        entry.insert("value".into(), Value::String(user.to_string()));
                    }
                }
            }
        }
    }
    let before = env.len();
    let mut index = 0;
    env.retain(|entry| {
        let ours = Some(index) == moved_back
            || matches!(name_of(entry), Some(OPTS_VAR | POD_NAME_VAR | POD_IP_VAR));
        index += 1;
        !ours
    });
    // Drop the list only when it held ours alone (a user's own `env: []` stays).
    if env.is_empty() && before > 0 {
        container.shift_remove("env");
    }
}

/// What to do to one container, decided before anything is changed.
enum Plan {
    Inject(Edit),
    Skip(String),
}

struct Edit {
    /// Index of the existing options variable (its last definition wins in Kubernetes).
    existing: Option<usize>,
    /// The existing value is a `valueFrom`, to be moved to an earlier variable.
    moved_value_from: Option<Value>,
    warning: Option<String>,
}

fn plan_container(
    container: &Value,
    settings: &Settings,
    options_env: &str,
    field: &str,
) -> Result<Plan, InjectError> {
    for list in ["volumeMounts", "env"] {
        not_a_list(container.get(list), &format!("{field}.{list}"))?;
    }
    if let Some((i, _)) = container
        .get("volumeMounts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .find(|(_, m)| {
            name_of(m) == Some(settings.volume_name.as_str())
                || same_path(m.get("mountPath"), &settings.mount_path)
        })
    {
        return Err(conflict(
            format!("{field}.volumeMounts[{i}]"),
            format!(
                "container {:?} already mounts something at {} or a volume named {:?}; set spec.agent.mountPath or volumeName to free ones",
                name_of(container).unwrap_or_default(),
                settings.mount_path,
                settings.volume_name
            ),
        ));
    }
    let env: &[Value] = container
        .get("env")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let original_var = format!("{ORIGINAL_PREFIX}{}", options_env);
    for (i, entry) in env.iter().enumerate() {
        let name = name_of(entry).unwrap_or_default();
        if [OPTS_VAR, POD_NAME_VAR, POD_IP_VAR, original_var.as_str()].contains(&name) {
            return Err(conflict(
                format!("{field}.env[{i}]"),
                format!(
                    "container {:?} already defines {name}, which this tool reserves",
                    name_of(container).unwrap_or_default()
                ),
            ));
        }
    }
    if carries_pinpoint_agent(container) {
        return Ok(Plan::Skip(
            "it already starts a Pinpoint agent (-javaagent:…pinpoint-bootstrap…); left as it is"
                .into(),
        ));
    }
    let existing = env.iter().rposition(|e| name_of(e) == Some(options_env));
    let mut moved_value_from = None;
    if let Some(i) = existing {
        // Shapes Kubernetes rejects: written back, part of them would be lost.
        let field = format!("{field}.env[{i}]");
        let value = env[i].get("value").filter(|v| !v.is_null());
        let value_from = env[i].get("valueFrom").filter(|v| !v.is_null());
        let problem = if value.is_some_and(|v| !v.is_string()) {
            Some("its value is not a string; quote it")
        } else if value_from.is_some_and(|v| !v.is_object()) {
            Some("its valueFrom is not a map")
        } else if value_from.is_some() && value.is_some_and(|v| v != "") {
            Some("it has both a value and a valueFrom; keep one")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(conflict(
                field,
                format!("{}: {problem} (Kubernetes rejects this too)", options_env),
            ));
        }
    }
    if let Some(i) = existing
        && let Some(from) = env[i].get("valueFrom").filter(|v| !v.is_null())
    {
        let optional = ["configMapKeyRef", "secretKeyRef"].iter().any(|k| {
            from.get(k)
                .and_then(|r| r.get("optional"))
                .and_then(Value::as_bool)
                == Some(true)
        });
        if optional {
            return Ok(Plan::Skip(format!(
                "{} comes from an optional reference; if it is missing, $(…) would reach the JVM unexpanded, so the container is left alone",
                options_env
            )));
        }
        moved_value_from = Some(from.clone());
    }
    let warning = (existing.is_none()
        && container
            .get("envFrom")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty()))
    .then(|| {
        format!(
            "envFrom may also supply {}; the value set here takes precedence over it",
            options_env
        )
    });
    Ok(Plan::Inject(Edit {
        existing,
        moved_value_from,
        warning,
    }))
}

/// A container whose options, command or args already name Pinpoint's bootstrap jar.
fn carries_pinpoint_agent(container: &Value) -> bool {
    let mentions = |s: &str| s.contains("-javaagent:") && s.contains("pinpoint-bootstrap");
    let env_values = container
        .get("env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("value").and_then(Value::as_str));
    let words = ["command", "args"]
        .iter()
        .filter_map(|k| container.get(*k).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str);
    env_values.chain(words).any(mentions)
}

fn apply_container(container: &mut Value, settings: &Settings, target: &Target, edit: &Edit) {
    let container = container.as_object_mut().expect("containers are maps");
    push(
        container,
        "volumeMounts",
        to_value(&VolumeMount {
            name: settings.volume_name.clone(),
            mount_path: settings.mount_path.clone(),
            ..Default::default()
        }),
    );

    let mut ours: Vec<EnvVar> = Vec::new();
    let needs_name =
        settings.agent_name == AgentName::PodName || settings.agent_id == AgentId::PodName;
    if needs_name {
        ours.push(field_env(POD_NAME_VAR, "metadata.name"));
    }
    if settings.agent_id == AgentId::PodIp {
        ours.push(field_env(POD_IP_VAR, "status.podIP"));
    }
    let original_var = format!("{ORIGINAL_PREFIX}{}", target.options_env);
    if let Some(from) = &edit.moved_value_from {
        ours.push(EnvVar {
            name: original_var.clone(),
            value_from: serde_json::from_value::<EnvVarSource>(from.clone()).ok(),
            ..Default::default()
        });
    }
    ours.push(EnvVar {
        name: OPTS_VAR.to_string(),
        value: Some(agent_options(settings, &target.application_name)),
        ..Default::default()
    });
    let mut ours: Vec<Value> = ours.iter().map(to_value).collect();
    if let Some(from) = &edit.moved_value_from {
        // Keep the user's valueFrom exactly as written, not as k8s-openapi re-spells it.
        let moved = ours
            .iter_mut()
            .find(|e| name_of(e) == Some(original_var.as_str()))
            .expect("pushed above");
        moved["valueFrom"] = from.clone();
    }

    let env = object_entry_array(container, "env");
    let opts_ref = reference(OPTS_VAR);
    match edit.existing {
        None => {
            env.extend(ours);
            env.push(to_value(&EnvVar {
                name: target.options_env.clone(),
                value: Some(opts_ref),
                ..Default::default()
            }));
        }
        Some(index) => {
            let entry = env[index].as_object_mut().expect("env entries are maps");
            if edit.moved_value_from.is_some() {
                entry.remove("valueFrom");
                entry.insert(
                    "value".into(),
                    Value::String(format!("{} {opts_ref}", reference(&original_var))),
                );
            } else {
                let user = entry
                    .get("value")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .trim_end();
                let value = if user.is_empty() {
                    opts_ref
                } else {
                    format!("{user} {opts_ref}")
                };
                entry.insert("value".into(), Value::String(value));
            }
            env.splice(index..index, ours);
        }
    }
}

/// Every flag we add, in a fixed order. Only validated config values and the sanitized
/// application name go in, so nothing from a manifest can add a flag of its own.
pub fn agent_options(settings: &Settings, application_name: &str) -> String {
    let mut flags = vec![
        format!(
            "-javaagent:{}/{}",
            settings.mount_path.trim_end_matches('/'),
            settings.bootstrap_jar
        ),
        format!("-Dpinpoint.applicationName={application_name}"),
    ];
    match settings.agent_id {
        AgentId::Auto => {}
        AgentId::PodIp => flags.push(format!("-Dpinpoint.agentId={}", reference(POD_IP_VAR))),
        AgentId::PodName => flags.push(format!("-Dpinpoint.agentId={}", reference(POD_NAME_VAR))),
    }
    if settings.agent_name == AgentName::PodName {
        flags.push(format!("-Dpinpoint.agentName={}", reference(POD_NAME_VAR)));
    }
    flags.push(format!(
        "-Dpinpoint.profiler.profiles.active={}",
        settings.profile
    ));
    flags.push(format!(
        "-Dprofiler.transport.grpc.collector.ip={}",
        settings.collector_host
    ));
    for (channel, port) in &settings.collector_ports {
        flags.push(format!(
            "-Dprofiler.transport.grpc.{channel}.collector.port={port}"
        ));
    }
    for (key, value) in &settings.system_properties {
        flags.push(format!("-D{key}={value}"));
    }
    flags.join(" ")
}

fn field_env(name: &str, field_path: &str) -> EnvVar {
    EnvVar {
        name: name.to_string(),
        value_from: Some(EnvVarSource {
            field_ref: Some(ObjectFieldSelector {
                field_path: field_path.to_string(),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

// ---- small helpers over generic values ----------------------------------------------

/// Keys that come first in what we insert, in this order, as people write manifests
/// (k8s-openapi serializes fields alphabetically: `command` before `name`).
const LEADING_KEYS: &[&str] = &["name", "image", "imagePullPolicy", "command"];

/// A k8s-openapi value as a generic one, with its keys in the order people write them.
pub(crate) fn to_value<T: Serialize>(value: &T) -> Value {
    reorder(serde_json::to_value(value).expect("k8s-openapi types serialize"))
}

fn reorder(value: Value) -> Value {
    match value {
        Value::Object(mut map) => {
            let mut ordered = Map::with_capacity(map.len());
            for key in LEADING_KEYS {
                if let Some(v) = map.shift_remove(*key) {
                    ordered.insert((*key).to_string(), v);
                }
            }
            ordered.extend(map.into_iter().map(|(k, v)| (k, reorder(v))));
            Value::Object(ordered)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(reorder).collect()),
        other => other,
    }
}

/// A list we add to must be a list (or absent): anything else would be overwritten.
fn not_a_list(value: Option<&Value>, field: &str) -> Result<(), InjectError> {
    match value {
        None | Some(Value::Null | Value::Array(_)) => Ok(()),
        Some(_) => Err(conflict(
            field,
            "it is not a list (Kubernetes rejects this too); fix the manifest",
        )),
    }
}

/// A map we add to must be a map (or absent): anything else would be overwritten.
fn not_a_map(value: Option<&Value>, field: &str) -> Result<(), InjectError> {
    match value {
        None | Some(Value::Null | Value::Object(_)) => Ok(()),
        Some(_) => Err(conflict(
            field,
            "it is not a map (Kubernetes rejects this too); fix the manifest",
        )),
    }
}

fn name_of(value: &Value) -> Option<&str> {
    value.get("name").and_then(Value::as_str)
}

fn same_path(path: Option<&Value>, wanted: &str) -> bool {
    path.and_then(Value::as_str)
        .is_some_and(|p| p.trim_end_matches('/') == wanted.trim_end_matches('/'))
}

fn find_named<'a>(list: Option<&'a Value>, name: &str) -> Option<&'a Value> {
    list?.as_array()?.iter().find(|v| name_of(v) == Some(name))
}

/// Remove the entry named `name` from the list at `key` (and the list, once empty),
/// keeping the order of everything else (`shift_remove`: serde_json's `remove` swaps
/// the last key into the gap).
fn remove_named(map: &mut Map<String, Value>, key: &str, name: &str) {
    if let Some(list) = map.get_mut(key).and_then(Value::as_array_mut) {
        let before = list.len();
        list.retain(|v| name_of(v) != Some(name));
        // Drop the list only when it held ours alone (a user's own `[]` stays).
        if list.is_empty() && before > 0 {
            map.shift_remove(key);
        }
    }
}

fn object_entry<'a>(map: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let slot = map
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    slot.as_object_mut().expect("just made a map")
}

fn object_entry_array<'a>(map: &'a mut Map<String, Value>, key: &str) -> &'a mut Vec<Value> {
    let slot = map
        .entry(key.to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    if !slot.is_array() {
        *slot = Value::Array(Vec::new());
    }
    slot.as_array_mut().expect("just made a list")
}

fn push(map: &mut Map<String, Value>, key: &str, value: Value) {
    object_entry_array(map, key).push(value);
}
