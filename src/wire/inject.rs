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

use crate::config::{AgentId, Delivery, Settings};
use crate::decide::targets::Target;
use crate::knowledge::ours::MARKER;
use crate::value::Field;
use crate::wire::error::{InjectError, conflict};
use crate::wire::marker::{Marker, OwnEntry, Was, maps_were};
use crate::wire::plan::{Edit, Plan, plan_container};
use crate::wire::value_edit::{
    find_named, name_of, not_a_list, not_a_map, object_entry, push, to_value, to_value_again,
};
use crate::wire::{copy_step, dangling, env_add, image_volume};
use k8s_openapi::api::core::v1::VolumeMount;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

pub use crate::wire::flags::agent_options;
pub use crate::wire::unwire::{is_wired, strip, strip_for_good};

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
/// A reference of the user's to one of our variables that resolved before must still
/// resolve after ([`dangling`]).
pub fn inject(
    template: &mut Value,
    settings: &Settings,
    targets: &[Target],
) -> Result<Report, InjectError> {
    let resolved = dangling::Resolved::before(template);
    let report = rewire(template, settings, targets, &resolved)?;
    resolved.still(template)?;
    Ok(report)
}

/// Container names are unique across a pod's containers and init containers, or the API
/// server rejects it ("Duplicate value": `validateContainers` and `validateInitContainers`
/// in kubernetes `pkg/apis/core/validation/validation.go`). A name written twice would
/// have every wiring of it go into its first container.
fn unique_names(spec: &Map<String, Value>) -> Result<(), InjectError> {
    let mut seen = HashSet::new();
    for list in ["containers", "initContainers"] {
        let containers = spec
            .field(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        for (i, c) in containers.enumerate() {
            if let Some(name) = name_of(c)
                && !seen.insert(name)
            {
                return Err(conflict(
                    format!("spec.{list}[{i}].name"),
                    format!(
                        "a second container is named {name:?}; Kubernetes requires the names of a pod's containers to be unique and rejects this pod: rename one of them"
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn rewire(
    template: &mut Value,
    settings: &Settings,
    targets: &[Target],
    resolved: &dangling::Resolved,
) -> Result<Report, InjectError> {
    strip(template)?;
    let metadata = template.field("metadata");
    not_a_map(metadata, "metadata")?;
    not_a_map(
        metadata.and_then(|m| m.field("annotations")),
        "metadata.annotations",
    )?;
    let spec = template
        .field_mut("spec")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| conflict("spec", "the pod template has no spec"))?;

    if let Some(name) = volumes_of(settings)
        .into_iter()
        .find(|name| find_named(spec.field("volumes"), name).is_some())
    {
        return Err(conflict(
            "spec.volumes",
            format!(
                "a volume named {name:?} already exists and is not ours; set {} to another name",
                settings.field("agent.volumeName")
            ),
        ));
    }
    for list in ["initContainers", "containers"] {
        if settings.agent.delivery == Delivery::InitContainer
            && find_named(spec.field(list), &settings.agent.init_container_name).is_some()
        {
            return Err(conflict(
                format!("spec.{list}"),
                format!(
                    "a container named {:?} already exists and is not ours; set {} to another name",
                    settings.agent.init_container_name,
                    settings.field("agent.initContainerName")
                ),
            ));
        }
    }

    for list in ["volumes", "initContainers"] {
        not_a_list(spec.field(list), &format!("spec.{list}"))?;
    }
    // A mount of our volumes' names in another container would be served by them once
    // they are added (the targets were checked in their plans).
    let targeted: HashSet<&str> = targets.iter().map(|t| t.container.as_str()).collect();
    for list in ["initContainers", "containers"] {
        let others = spec
            .field(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|c| {
                list == "initContainers" || !name_of(c).is_some_and(|n| targeted.contains(n))
            });
        for c in others {
            let mounts = c
                .field("volumeMounts")
                .and_then(Value::as_array)
                .into_iter()
                .flatten();
            if let Some(volume) = mounts
                .filter_map(name_of)
                .find(|m| volumes_of(settings).contains(m))
            {
                return Err(conflict(
                    format!("spec.{list}"),
                    format!(
                        "container {:?} mounts a volume named {volume:?}, which the pod does not define; set {} to another name",
                        name_of(c).unwrap_or_default(),
                        settings.field("agent.volumeName")
                    ),
                ));
            }
        }
    }

    unique_names(spec)?;
    let pod_security = spec.field("securityContext").cloned();
    let host_network = spec.field("hostNetwork") == Some(&Value::Bool(true));
    let containers = spec
        .field_mut("containers")
        .and_then(Value::as_array_mut)
        .ok_or_else(|| conflict("spec.containers", "the pod template has no containers list"))?;

    // Plan every container first, so a conflict in the second leaves the first untouched.
    let mut report = Report::default();
    let mut edits = Vec::new();
    // Each name's container, found once (a scan per target was quadratic).
    let mut by_name: HashMap<&str, usize> = HashMap::with_capacity(containers.len());
    for (i, c) in containers.iter().enumerate() {
        if let Some(name) = name_of(c) {
            by_name.entry(name).or_insert(i);
        }
    }
    for target in targets {
        let Some(&index) = by_name.get(target.container.as_str()) else {
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
    report.warnings.extend(shared_agent_id(
        settings.agent_id,
        &settings.field("naming.agentId"),
        host_network,
        edits.len(),
    ));

    let app_user = copy_step::AppUser::of(
        pod_security.as_ref(),
        &edits
            .iter()
            .map(|(index, target, _)| {
                (
                    containers[*index].field("securityContext"),
                    target.image_user,
                )
            })
            .collect::<Vec<_>>(),
    );
    let mut own = Vec::new();
    let mut lists = Vec::new();
    for (index, target, edit) in &edits {
        for key in ["volumeMounts", "env"] {
            if let Some(was) = was(containers[*index].field(key)) {
                lists.push((format!("{}/{key}", target.container), was));
            }
        }
        apply_container(&mut containers[*index], settings, target, edit);
        if let Some(mut kind) = edit.own {
            if kind == OwnEntry::UserReference
                && resolved.holds(&target.container, &target.options_env)
            {
                kind = OwnEntry::HeldReference;
            }
            own.push((target.container.clone(), kind));
        }
        report.injected.push(target.container.clone());
    }

    for key in ["volumes", "initContainers"] {
        let added = key == "volumes" || settings.agent.delivery == Delivery::InitContainer;
        if let Some(was) = was(spec.field(key)).filter(|_| added) {
            lists.insert(0, (key.to_string(), was));
        }
    }
    let companion = match settings.agent.delivery {
        Delivery::InitContainer => {
            push(
                spec,
                "volumes",
                to_value_again(&copy_step::agent_volume(settings)),
            );
            let user = copy_step::copy_user(settings, &app_user);
            push(
                spec,
                "initContainers",
                to_value_again(&copy_step::init_container(settings, user)),
            );
            settings.agent.init_container_name.clone()
        }
        Delivery::ImageVolume => {
            push(
                spec,
                "volumes",
                to_value_again(&image_volume::agent_volume(settings)),
            );
            push(
                spec,
                "volumes",
                to_value(&image_volume::log_volume(settings)),
            );
            settings.log_volume_name.clone()
        }
    };

    let mut marker = Marker {
        containers: report.injected.clone(),
        options: edits
            .iter()
            .map(|(_, t, _)| (t.container.clone(), t.options_env.clone()))
            .collect(),
        volume: settings.agent.volume_name.clone(),
        delivery: settings.agent.delivery,
        companion,
        own,
        lists,
        maps: maps_were(template),
        sum: None,
    };
    // What a later run will find, checked as it will check it, and summed.
    let wired = crate::wire::recognise::recognise(template, &marker).map_err(|problems| {
        conflict(
            "spec",
            format!(
                "the wiring just added is not recognised ({}): this is a bug in pinpoint-inject",
                problems.join(", ")
            ),
        )
    })?;
    marker.sum = Some(crate::wire::sum::of(template, &marker, &wired));
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

/// Wire one container (what the marker must record about its options variable was
/// decided in the plan, [`Edit::own`]).
fn apply_container(container: &mut Value, settings: &Settings, target: &Target, edit: &Edit) {
    let container = container.as_object_mut().expect("containers are maps");
    match settings.agent.delivery {
        Delivery::InitContainer => push(
            container,
            "volumeMounts",
            to_value_again(&VolumeMount {
                name: settings.agent.volume_name.clone(),
                mount_path: settings.agent.mount_path.clone(),
                ..Default::default()
            }),
        ),
        Delivery::ImageVolume => {
            for mount in image_volume::mounts(settings) {
                push(container, "volumeMounts", to_value_again(&mount));
            }
        }
    }

    env_add::add(container, settings, target, edit);
}

/// What a list the wiring adds to is now, if the marker must record it (`null`, `[]`).
fn was(list: Option<&Value>) -> Option<Was> {
    match list? {
        Value::Null => Some(Was::Null),
        Value::Array(items) if items.is_empty() => Some(Was::Empty),
        _ => None,
    }
}

/// The volumes the wiring adds, by name.
fn volumes_of(settings: &Settings) -> Vec<&str> {
    match settings.agent.delivery {
        Delivery::InitContainer => vec![&settings.agent.volume_name],
        Delivery::ImageVolume => vec![&settings.agent.volume_name, &settings.log_volume_name],
    }
}

/// Pinpoint tells agents apart by their id: one taken from the pod is shared by every
/// JVM the pod wires, and with the host's network the pod IP is the node's, shared by
/// every such pod on it.
fn shared_agent_id(
    agent_id: AgentId,
    setting: &str,
    host_network: bool,
    wired: usize,
) -> Option<String> {
    let (var, field) = match agent_id {
        AgentId::Auto => return None,
        AgentId::PodIp => ("pod IP", "podIP"),
        AgentId::PodName => ("pod name", "podName"),
    };
    if wired > 1 {
        return Some(format!(
            "{setting} {field}: the {wired} containers wired here get the same agent id (the {var}), and Pinpoint needs one per JVM; use agentId auto"
        ));
    }
    (host_network && agent_id == AgentId::PodIp).then(|| {
        format!("{setting} podIP: this pod uses the host's network, so its IP is the node's, shared by every such pod on the node; use agentId auto or podName")
    })
}
