//! Which containers of a selected workload get the agent, under which application name
//! and through which options variable; and, for every other container, why not.
//!
//! Explicit choices win over evidence: the `pinpoint-inject.dev/containers` annotation,
//! then the containers another APM's keys name ([`crate::knowledge::production`]), then the
//! config's `containers`. Without one, the targets are the containers whose runtime is
//! in `select.runtimes` and whose category is in `select.categories`: every Java one,
//! or else the one main container of unknown runtime; never a sidecar or a tool.

use crate::config::{ContainerChoice, Settings, is_dns_label, parse_containers};
use crate::decide::classify;
use crate::decide::fields::{annotation, keys};
use crate::decide::known::Known;
use crate::decide::report::{Decision, ResourceRef, Row};
use crate::decide::{foreign, image, launch, naming};
use crate::facts::Facts;
use crate::knowledge::images::{Role, Runtime};
use crate::knowledge::kinds::WorkloadKind;
use crate::knowledge::launch::JVM_WIDE;
use crate::knowledge::ours::CONTAINERS_ANNOTATION;
use crate::value::Field;
use serde_json::Value;
use std::collections::HashSet;

mod policy;
use policy::{Candidate, main_names, skip_reason};

/// A container to instrument and the application name it reports as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub container: String,
    pub application_name: String,
    /// The variable the JVM options go in (`JAVA_TOOL_OPTIONS`, or the image's own).
    pub options_env: String,
    /// The value the image itself gives `options_env` (the pod sets none): it stays in
    /// front of the agent's flags.
    pub image_value: Option<String>,
    /// The numeric `USER` (UID, GID) of the image's config, when the image facts say: who
    /// the container runs as when the pod sets no `runAsUser`.
    pub image_user: Option<(i64, Option<i64>)>,
}

/// The targets of one workload, the rows of the containers left alone, and warnings.
#[derive(Debug, Default)]
pub struct Plan {
    pub targets: Vec<Target>,
    /// Evidence for each target, in the order of `targets`.
    pub evidence: Vec<String>,
    pub rows: Vec<Row>,
    pub warnings: Vec<String>,
}

/// Plan one workload; `template` has this tool's own wiring taken out. `Err` for a
/// workload that is wrong (the message names what to fix).
pub fn plan(
    resource: &Value,
    template: &Value,
    workload: WorkloadKind,
    settings: &Settings,
    facts: &Facts,
) -> Result<Plan, String> {
    let reference = ResourceRef::of(resource);
    let keys = keys(resource, template);
    let spec = template.field("spec").unwrap_or(&Value::Null);
    let candidates: Vec<Candidate> = template
        .field("spec")
        .and_then(|s| s.field("containers"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| {
            let name = c.field("name").and_then(Value::as_str)?;
            let known = Known::of(c, settings, facts);
            Some(Candidate {
                name,
                container: c,
                class: classify::classify(c, &keys.labels, &known, settings.form),
                known,
            })
        })
        .collect();
    let mut plan = Plan::default();
    let row = |c: &Candidate, decision, reason, why: String| {
        Row::new(&reference, c.name, decision).because(reason, why)
    };

    if let Some(hook) = annotation(resource, Some(template), "helm.sh/hook")
        .filter(|h| h.split(',').any(|h| h.trim().starts_with("test")))
    {
        for c in &candidates {
            plan.rows.push(row(
                c,
                Decision::Skipped,
                "helm-test",
                format!("helm.sh/hook: {hook}"),
            ));
        }
        return Ok(plan);
    }

    // The explicit choice, and where it came from.
    let (choice, source) = match annotation(resource, Some(template), CONTAINERS_ANNOTATION) {
        Some(list) => {
            let names: Vec<String> = split(list);
            let choice = parse_containers(&names)
                .map_err(|e| format!("annotation {CONTAINERS_ANNOTATION}: {e}"))?;
            let present: HashSet<&str> = candidates.iter().map(|c| c.name).collect();
            if let ContainerChoice::Named(names) = &choice
                && let Some(missing) = names.iter().find(|n| !present.contains(n.as_str()))
            {
                return Err(format!(
                    "annotation {CONTAINERS_ANNOTATION} names container {missing:?}, which the pod does not have"
                ));
            }
            (choice, format!("annotation {CONTAINERS_ANNOTATION}"))
        }
        None => {
            let arms: Vec<String> = candidates
                .iter()
                .filter(|c| keys.container_opt_in(c.name).is_some())
                .map(|c| c.name.to_string())
                .collect();
            if !arms.is_empty() {
                (
                    ContainerChoice::Named(arms),
                    "ARMS per-container keys".to_string(),
                )
            } else if let Some((names, key)) = keys.containers() {
                (ContainerChoice::Named(names), format!("annotation {key}"))
            } else {
                (settings.containers.clone(), settings.field("containers"))
            }
        }
    };

    let main_names = main_names(resource, template, &candidates);
    // The names chosen, looked up once per container (not scanned).
    let named: HashSet<&str> = match &choice {
        ContainerChoice::Named(names) => names.iter().map(String::as_str).collect(),
        _ => HashSet::new(),
    };
    let mut chosen: Vec<usize> = Vec::new();
    let mut eligible: Vec<usize> = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        let why = c.class.evidence.join("; ");
        let in_image = || {
            let config = c.known.config()?;
            image::foreign_agent(config, c.container, foreign::identify)
        };
        if let Some(agent) = foreign::detect(spec, c.container).or_else(in_image) {
            plan.warnings.push(format!(
                "container {:?} already carries {agent}; left alone (never two agents in one JVM)",
                c.name
            ));
            plan.rows
                .push(row(c, Decision::AlreadyInstrumented, "", agent));
            continue;
        }
        if matches!(choice, ContainerChoice::Named(_)) {
            if named.contains(c.name) {
                chosen.push(i);
            } else {
                plan.rows.push(row(
                    c,
                    Decision::Skipped,
                    "not-listed",
                    format!("not in {source}"),
                ));
            }
            continue;
        }
        match skip_reason(c, &main_names, workload, settings) {
            Some((reason, detail)) => {
                plan.rows.push(row(
                    c,
                    Decision::Skipped,
                    reason,
                    format!("{detail}; {why}"),
                ));
            }
            None => eligible.push(i),
        }
    }
    if !matches!(choice, ContainerChoice::Named(_)) {
        let java: Vec<usize> = eligible
            .iter()
            .copied()
            .filter(|i| candidates[*i].class.runtime == Runtime::Java)
            .collect();
        chosen = match choice {
            ContainerChoice::AllApps => eligible.clone(),
            _ if !java.is_empty() => java,
            _ => {
                let main = eligible
                    .iter()
                    .copied()
                    .find(|i| main_names.contains(&candidates[*i].name))
                    .or(eligible.first().copied());
                main.into_iter().collect()
            }
        };
        let mut is_chosen = vec![false; candidates.len()];
        chosen.iter().for_each(|&i| is_chosen[i] = true);
        for i in eligible.iter().filter(|i| !is_chosen[**i]) {
            let c = &candidates[*i];
            let main = &candidates[chosen[0]];
            let why = if main.class.runtime == Runtime::Java {
                format!("{:?} is the Java container", main.name)
            } else if main_names.contains(&main.name) {
                format!("{:?} is named like the workload", main.name)
            } else {
                format!(
                    "{:?} comes first, and nothing shows either runtime",
                    main.name
                )
            };
            plan.rows.push(row(
                c,
                Decision::Skipped,
                "not-main",
                format!("{why}; list both in {CONTAINERS_ANNOTATION} to instrument this one too"),
            ));
        }
    }
    chosen.sort_unstable();

    for i in chosen {
        let c = &candidates[i];
        // The marker annotation lists container names; Kubernetes accepts only DNS labels.
        if !is_dns_label(c.name) {
            return Err(format!(
                "container name {:?} is not a valid Kubernetes name (a DNS-1123 label); Kubernetes rejects this pod too",
                c.name
            ));
        }
        let (application_name, name_from) =
            naming::application_name(resource, template, workload, settings, &keys, c.name)?;
        let options = launch::options_env(c.container, settings, &c.known);
        let options_env = options.var.clone();
        plan.warnings.extend(
            options
                .notes
                .iter()
                .map(|n| format!("container {:?}: {n}", c.name)),
        );
        if let Some(config) = c.known.config()
            && let Some(note) = image::java_version_note(config, &settings.agent.image)
        {
            plan.warnings
                .push(format!("container {:?}: {note}", c.name));
        }
        let safe = naming::sanitize(&application_name, settings.max_length);
        if let Some(note) = naming::name_note(&application_name, &safe, settings.max_length) {
            plan.warnings.push(note);
        }
        if matches!(options_env.as_str(), JVM_WIDE | "JDK_JAVA_OPTIONS") {
            let probes = launch::jvm_probes(c.container);
            if !probes.is_empty() {
                plan.warnings.push(format!(
                    "container {:?}: {options_env} reaches every JVM in the container, and {} start{} one, so each run boots a Pinpoint agent (and may exceed its timeout); set {} to the variable the image's launch script reads",
                    c.name,
                    probes.join(", "),
                    if probes.len() == 1 { "s" } else { "" },
                    settings.field("agent.optionsEnv")
                ));
            }
        }
        let mut evidence = c.class.evidence.clone();
        if c.class.role == Role::Sidecar {
            evidence.push("yet it is evidently the workload's main container".into());
        }
        if !matches!(choice, ContainerChoice::FirstApp) {
            evidence.insert(0, format!("chosen by {source}"));
        }
        evidence.push(format!("name from {name_from}"));
        evidence.push(format!("options from {}", options.from));
        plan.evidence.push(evidence.join("; "));
        plan.targets.push(Target {
            container: c.name.to_string(),
            application_name: safe.value,
            options_env,
            image_value: options.keep,
            image_user: c.known.config().and_then(|config| config.numeric_user()),
        });
    }
    Ok(plan)
}

fn split(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}
