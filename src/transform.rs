//! The pure core: one resource and the settings in, the edited resource and its
//! results out. Decides whether a workload is selected, which containers get the agent
//! and what they are called; [`crate::inject`] does the edit.

use crate::config::{
    AgentId, AgentName, ContainerChoice, Settings, WELL_KNOWN_SIDECARS, is_dns_label,
    parse_containers,
};
use crate::diag::Diagnostic;
use crate::inject::{self, Target};
use crate::naming::{self, NameContext};
use crate::workload::{WorkloadKind, detect, is_list};
use serde_json::{Map, Value};

/// Workload annotation: `"false"` opts out; `"true"` opts in when `select.optIn` is set.
pub const INJECT_ANNOTATION: &str = "pinpoint-inject.dev/inject";
/// Workload annotation overriding the application name.
pub const APPLICATION_NAME_ANNOTATION: &str = "pinpoint-inject.dev/application-name";
/// Workload annotation overriding the containers: `"app,worker"` or `"*"`.
pub const CONTAINERS_ANNOTATION: &str = "pinpoint-inject.dev/containers";

/// What happened to one resource.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The resource was edited (it must be written out again).
    pub changed: bool,
    pub results: Vec<Diagnostic>,
}

impl Outcome {
    fn merge(&mut self, other: Outcome) {
        self.changed |= other.changed;
        self.results.extend(other.results);
    }
}

/// Transform one resource in place. Resources that are not workloads (or `v1 List`s of
/// them) are not touched; a workload with an error is left exactly as it was.
pub fn transform(resource: &mut Value, settings: &Settings) -> Outcome {
    let api_version = resource
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let kind = resource
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if is_list(api_version, kind) {
        let mut outcome = Outcome::default();
        if let Some(items) = resource.get_mut("items").and_then(Value::as_array_mut) {
            for item in items {
                outcome.merge(transform(item, settings));
            }
        }
        return outcome;
    }
    match WorkloadKind::lookup(api_version, kind, &settings.workloads) {
        Some(workload) => transform_workload(resource, workload, settings),
        None => unknown_kind(resource),
    }
}

/// A resource outside the kind table: untouched, and named when it carries a pod.
fn unknown_kind(resource: &Value) -> Outcome {
    Outcome {
        changed: false,
        results: detect::unknown_kind_note(resource)
            .map(|note| Diagnostic::info(note).about(resource))
            .into_iter()
            .collect(),
    }
}

fn transform_workload(
    resource: &mut Value,
    workload: WorkloadKind,
    settings: &Settings,
) -> Outcome {
    let mut outcome = Outcome::default();
    let report = |d: Diagnostic, r: &Value| d.about(r);

    if let Some(reason) = not_selected(resource, workload, settings) {
        outcome.results.push(report(
            Diagnostic::info(format!("skipped: {reason}")),
            resource,
        ));
        unwire(resource, workload, &mut outcome);
        return outcome;
    }
    if let Some(note) = workload.delegation(resource) {
        outcome
            .results
            .push(report(Diagnostic::info(note), resource));
        return outcome;
    }
    let Some(template) = workload.pod_template(resource) else {
        let path = workload.template_path();
        let message = format!(
            "has no pod template at {}",
            if path.is_empty() {
                "the top level"
            } else {
                &path
            }
        );
        outcome
            .results
            .push(report(Diagnostic::error(message), resource));
        return outcome;
    };

    let unnamed = detect::unnamed_containers(template);
    if !unnamed.is_empty() && unnamed.len() == detect::container_count(template) {
        outcome.results.push(report(
            Diagnostic::warning(
                "skipped: its containers have no names (Knative names them when it deploys) and containers are chosen and wired by name; name them, e.g. name: user-container",
            ),
            resource,
        ));
        unwire(resource, workload, &mut outcome);
        return outcome;
    }
    for index in unnamed {
        outcome.results.push(report(
            Diagnostic::warning(format!(
                "containers[{index}] has no name (Knative names it when it deploys), so it cannot be chosen or wired; name it, e.g. name: user-container"
            )),
            resource,
        ));
    }
    let targets = match choose_targets(resource, template, workload, settings) {
        Ok(Ok(targets)) => targets,
        Ok(Err(skip)) => {
            outcome.results.push(report(
                Diagnostic::warning(format!("skipped: {skip}")),
                resource,
            ));
            unwire(resource, workload, &mut outcome);
            return outcome;
        }
        Err(error) => {
            outcome
                .results
                .push(report(Diagnostic::error(error), resource));
            return outcome;
        }
    };
    let (targets, name_notes) = targets;

    let mut edited = template.clone();
    match inject::inject(&mut edited, settings, &targets) {
        Err(error) => {
            let field = join_field(&workload.template_path_in(resource), &error.field);
            outcome
                .results
                .push(report(Diagnostic::error(error.message), resource).at_field(field));
        }
        Ok(done) => {
            for (container, reason) in &done.skipped {
                outcome.results.push(report(
                    Diagnostic::warning(format!("container {container:?} skipped: {reason}")),
                    resource,
                ));
            }
            for warning in &done.warnings {
                outcome
                    .results
                    .push(report(Diagnostic::warning(warning.clone()), resource));
            }
            if done.injected.is_empty() {
                outcome.results.push(report(
                    Diagnostic::info("skipped: no container could be instrumented"),
                    resource,
                ));
                unwire(resource, workload, &mut outcome);
                return outcome;
            }
            let uses_field_refs =
                settings.agent_name == AgentName::PodName || settings.agent_id != AgentId::Auto;
            if let Some(note) = workload.note(uses_field_refs) {
                outcome
                    .results
                    .push(report(Diagnostic::warning(note), resource));
            }
            for note in name_notes {
                outcome
                    .results
                    .push(report(Diagnostic::warning(note), resource));
            }
            let names: Vec<String> = targets
                .iter()
                .filter(|t| done.injected.contains(&t.container))
                .map(|t| format!("{} as {}", t.container, t.application_name))
                .collect();
            outcome.results.push(report(
                Diagnostic::info(format!("injected: {}", names.join(", "))),
                resource,
            ));
            let slot = workload.pod_template_mut(resource).expect("found above");
            if *slot != edited {
                *slot = edited;
                outcome.changed = true;
            }
        }
    }
    outcome
}

/// Take out the wiring an earlier run left in a workload this run leaves alone (another
/// config, an opt-out annotation), so the agent never stays behind stale.
fn unwire(resource: &mut Value, workload: WorkloadKind, outcome: &mut Outcome) {
    let Some(template) = workload.pod_template_mut(resource) else {
        return;
    };
    let mut edited = template.clone();
    let result = match inject::strip(&mut edited) {
        Ok(false) => return,
        Ok(true) => {
            *template = edited;
            outcome.changed = true;
            Diagnostic::info("removed the wiring an earlier run added")
        }
        Err(error) => Diagnostic::error(error.message).at_field(join_field(
            &workload.template_path_in(resource),
            &error.field,
        )),
    };
    outcome.results.push(result.about(resource));
}

fn join_field(prefix: &str, field: &str) -> String {
    match (prefix.is_empty(), field.is_empty()) {
        (true, _) => field.to_string(),
        (_, true) => prefix.to_string(),
        _ => format!("{prefix}.{field}"),
    }
}

fn str_at<'a>(value: &'a Value, path: &[&str]) -> &'a str {
    let mut node = value;
    for key in path {
        match node.get(*key) {
            Some(next) => node = next,
            None => return "",
        }
    }
    node.as_str().unwrap_or_default()
}

fn map_at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Map<String, Value>> {
    let mut node = value;
    for key in path {
        node = node.get(*key)?;
    }
    node.as_object()
}

/// An annotation on the workload, or else on its pod template.
fn annotation<'a>(resource: &'a Value, template: Option<&'a Value>, key: &str) -> Option<&'a str> {
    [Some(resource), template]
        .into_iter()
        .flatten()
        .find_map(|v| map_at(v, &["metadata", "annotations"])?.get(key)?.as_str())
}

/// Why a workload is left alone, or `None` when it is selected.
fn not_selected(resource: &Value, workload: WorkloadKind, settings: &Settings) -> Option<String> {
    let select = &settings.select;
    let template = workload.pod_template(resource);
    let flag = annotation(resource, template, INJECT_ANNOTATION);
    if flag == Some("false") {
        return Some(format!("annotated {INJECT_ANNOTATION}: \"false\""));
    }
    if !select.kinds.contains(&workload) {
        return Some(format!(
            "kind {} is not in select.kinds",
            workload.selection_name()
        ));
    }
    let namespace = str_at(resource, &["metadata", "namespace"]);
    if !select.namespaces.is_empty() && !select.namespaces.iter().any(|n| n == namespace) {
        return Some(format!(
            "namespace {namespace:?} is not in select.namespaces"
        ));
    }
    let name = str_at(resource, &["metadata", "name"]);
    if select.exclude_names.iter().any(|n| n == name) {
        return Some("its name is in select.excludeNames".into());
    }
    if !select.match_labels.is_empty() {
        let labels = map_at(resource, &["metadata", "labels"]);
        let matches = select.match_labels.iter().all(|(k, v)| {
            labels.and_then(|l| l.get(k)).and_then(Value::as_str) == Some(v.as_str())
        });
        if !matches {
            return Some("its labels do not match select.matchLabels".into());
        }
    }
    if select.opt_in && flag != Some("true") {
        return Some(format!(
            "select.optIn is set and it is not annotated {INJECT_ANNOTATION}: \"true\""
        ));
    }
    None
}

type Targets = (Vec<Target>, Vec<String>);

/// The containers to instrument with their application names (and warnings about the
/// names); `Ok(Err(reason))` to skip the workload; `Err` for a workload that is wrong.
fn choose_targets(
    resource: &Value,
    template: &Value,
    workload: WorkloadKind,
    settings: &Settings,
) -> Result<Result<Targets, String>, String> {
    let containers: Vec<&str> = template
        .get("spec")
        .and_then(|s| s.get("containers"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("name").and_then(Value::as_str))
        .collect();
    let is_app = |name: &&str| !WELL_KNOWN_SIDECARS.contains(name);

    let (choice, from_annotation) =
        match annotation(resource, Some(template), CONTAINERS_ANNOTATION) {
            Some(list) => {
                let names: Vec<String> = list
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect();
                let choice = parse_containers(&names)
                    .map_err(|e| format!("annotation {CONTAINERS_ANNOTATION}: {e}"))?;
                (choice, true)
            }
            None => (settings.containers.clone(), false),
        };
    let chosen: Vec<&str> = match &choice {
        ContainerChoice::FirstApp => containers.iter().copied().filter(is_app).take(1).collect(),
        ContainerChoice::AllApps => containers.iter().copied().filter(is_app).collect(),
        ContainerChoice::Named(names) => {
            if from_annotation
                && let Some(missing) = names.iter().find(|n| !containers.contains(&n.as_str()))
            {
                return Err(format!(
                    "annotation {CONTAINERS_ANNOTATION} names container {missing:?}, which the pod does not have"
                ));
            }
            containers
                .iter()
                .copied()
                .filter(|c| names.iter().any(|n| n == c))
                .collect()
        }
    };
    if chosen.is_empty() {
        return Ok(Err(match choice {
            ContainerChoice::Named(names) => {
                format!("it has none of the containers {}", names.join(", "))
            }
            _ => "it has no container that is not a well-known sidecar".into(),
        }));
    }
    // The marker annotation lists container names; Kubernetes accepts only DNS labels.
    if let Some(bad) = chosen.iter().find(|c| !is_dns_label(c)) {
        return Err(format!(
            "container name {bad:?} is not a valid Kubernetes name (a DNS-1123 label); Kubernetes rejects this pod too"
        ));
    }

    let labels: Vec<&Map<String, Value>> = [
        map_at(resource, &["metadata", "labels"]),
        map_at(template, &["metadata", "labels"]),
    ]
    .into_iter()
    .flatten()
    .collect();
    let annotations: Vec<&Map<String, Value>> = [
        map_at(resource, &["metadata", "annotations"]),
        map_at(template, &["metadata", "annotations"]),
    ]
    .into_iter()
    .flatten()
    .collect();
    let name = match str_at(resource, &["metadata", "name"]) {
        "" => str_at(resource, &["metadata", "generateName"]).trim_end_matches('-'),
        name => name,
    };
    let override_name = annotation(resource, Some(template), APPLICATION_NAME_ANNOTATION);

    let mut targets = Vec::new();
    let mut notes = Vec::new();
    for container in chosen {
        let raw = match override_name {
            Some(name) => name.to_string(),
            None => settings.application_name.render(&NameContext {
                name,
                namespace: str_at(resource, &["metadata", "namespace"]),
                kind: workload.name(),
                container,
                labels: labels.clone(),
                annotations: annotations.clone(),
            }),
        };
        if raw.is_empty() {
            return Err(format!(
                "the application name for container {container:?} is empty; add a fallback to spec.naming.applicationName (e.g. {{label:app|name}}) or annotate {APPLICATION_NAME_ANNOTATION}"
            ));
        }
        let safe = naming::sanitize(&raw, settings.max_length);
        if safe.replaced || safe.shortened {
            let what = match (safe.replaced, safe.shortened) {
                (true, true) => format!(
                    "has characters Pinpoint does not accept and is longer than {}",
                    settings.max_length
                ),
                (true, false) => {
                    "has characters Pinpoint does not accept ([a-zA-Z0-9._-] only)".to_string()
                }
                _ => format!("is longer than {} characters", settings.max_length),
            };
            notes.push(format!(
                "application name {raw:?} {what}; using {:?}",
                safe.value
            ));
        }
        targets.push(Target {
            container: container.to_string(),
            application_name: safe.value,
        });
    }
    Ok(Ok((targets, notes)))
}
