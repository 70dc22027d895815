//! The pure core: one resource, the settings and the image facts in, the edited
//! resource, its results and its report rows out. Decides whether a workload is selected; [`crate::decide::targets`]
//! picks the containers, their names and options variables; [`crate::wire::inject`] does the
//! edit; a second run that changes nothing says `unchanged`.

use crate::config::{AgentId, AgentName, Form, Settings};
use crate::decide::report::{self, Decision, Row};
use crate::decide::select::{not_selected, unquoted_flag};
use crate::decide::{notes, pod, targets, unknown};
use crate::facts::Facts;
use crate::knowledge::kinds::{WorkloadKind, is_list};
use crate::run::diag::{Diagnostic, ResourceRef};
use crate::value::Field;
use crate::wire::inject;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

mod outcome;
pub use outcome::Outcome;
use outcome::{fail, join_field, replace, unwire};

/// Transform one resource in place. Resources that are not workloads (or `v1 List`s of
/// them) are not touched. A workload with an error is not changed (`changed` is false)
/// but its value may be half edited: its text is what callers write. An item of a
/// `v1 List` with an error is put back as it was.
pub fn transform(resource: &mut Value, settings: &Settings, facts: &Facts) -> Outcome {
    let api_version = resource
        .field("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let kind = resource
        .field("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    // A list's items, each a resource of its own (a `*List` without `items` is no list).
    if is_list(api_version, kind) && resource.field("items").is_some() {
        let kind = kind.to_string();
        let mut outcome = Outcome::default();
        match resource.field_mut("items") {
            Some(Value::Array(items)) => {
                for (index, item) in items.iter_mut().enumerate() {
                    // Each item is edited in place; one that could not be is put back as
                    // it was (a list is written from its value).
                    let was = crate::yaml::exact::clone_exact(item);
                    let mut one = transform(item, settings, facts);
                    if !one.changed {
                        *item = was;
                    }
                    one.replaced = one.replaced.into_iter().map(|r| r.in_item(index)).collect();
                    outcome.merge(one);
                }
            }
            Some(Value::Null) | None => {}
            Some(_) => outcome.results.push(Diagnostic::error(format!(
                "{kind}: its items is no list (kubectl refuses it), so nothing in it is read"
            ))),
        }
        return outcome;
    }
    match WorkloadKind::lookup(api_version, kind, &settings.workloads) {
        Some(workload) => transform_workload(resource, workload, settings, facts),
        None => unknown_kind(resource, settings.form),
    }
}

/// A resource outside the kind table: untouched, and named when it carries a pod.
fn unknown_kind(resource: &Value, form: Form) -> Outcome {
    Outcome {
        changed: false,
        replaced: Vec::new(),
        results: unknown::unknown_kind_note(resource, form)
            .map(|note| Diagnostic::info(note).about(resource))
            .into_iter()
            .collect(),
        rows: Vec::new(),
    }
}

fn transform_workload(
    resource: &mut Value,
    workload: WorkloadKind,
    settings: &Settings,
    facts: &Facts,
) -> Outcome {
    let mut outcome = Outcome::default();
    let reference = ResourceRef::of(resource);
    let report = |d: Diagnostic, r: &Value| d.about(r);

    if let Some(error) = unquoted_flag(resource, workload) {
        return fail(outcome, &reference, resource, error, None);
    }
    if let Some(reason) = not_selected(resource, workload, settings) {
        outcome.results.push(report(
            Diagnostic::info(format!("skipped: {reason}")),
            resource,
        ));
        outcome.rows.extend(
            report::container_names(workload.pod_template(resource))
                .into_iter()
                .map(|c| {
                    Row::new(&reference, &c, Decision::Skipped)
                        .because("not-selected", reason.clone())
                }),
        );
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
        return fail(outcome, &reference, resource, message, None);
    };
    let misread = pod::problems(template);
    if let Some(first) = misread.first() {
        // Named by their paths in the resource, as the API server would name them.
        let prefix = workload.template_path_in(resource);
        let message = misread
            .iter()
            .map(|p| format!("{} {}", join_field(&prefix, &p.field), p.what))
            .collect::<Vec<_>>()
            .join("; ");
        let field = join_field(&prefix, &first.field);
        return fail(outcome, &reference, resource, message, Some(field));
    }
    if let Some(note) = pod::windows(template) {
        outcome.results.push(report(
            Diagnostic::info(format!("skipped: {note}")),
            resource,
        ));
        outcome.rows.extend(
            report::container_names(Some(template))
                .into_iter()
                .map(|c| {
                    Row::new(&reference, &c, Decision::Skipped).because("windows", note.clone())
                }),
        );
        unwire(resource, workload, &mut outcome);
        return outcome;
    }

    let unnamed = unknown::unnamed_containers(template);
    if !unnamed.is_empty() && unnamed.len() == unknown::container_count(template) {
        let why = format!(
            "its containers have no names ({}) and containers are chosen and wired by name; name them, e.g. name: user-container",
            unknown::why_unnamed(workload)
        );
        outcome.results.push(report(
            Diagnostic::warning(format!("skipped: {why}")),
            resource,
        ));
        outcome
            .rows
            .push(Row::new(&reference, "", Decision::Skipped).because("unnamed", why));
        unwire(resource, workload, &mut outcome);
        return outcome;
    }
    for index in unnamed {
        outcome.results.push(report(
            Diagnostic::warning(format!(
                "containers[{index}] has no name ({}), so it cannot be chosen or wired; name it, e.g. name: user-container",
                unknown::why_unnamed(workload)
            )),
            resource,
        ));
    }
    // Decide on the template as the user wrote it: our own wiring taken out.
    // (A template without the marker is its own clean self: no copy.)
    let planned = if inject::is_wired(template) {
        let mut clean = template.clone();
        match inject::strip(&mut clean) {
            Ok(_) => targets::plan(resource, &clean, workload, settings, facts),
            // What the marker names, placed where it is.
            Err(error) => {
                let field = join_field(&workload.template_path_in(resource), &error.field);
                return fail(outcome, &reference, resource, error.message, Some(field));
            }
        }
    } else {
        targets::plan(resource, template, workload, settings, facts)
    };
    let plan = match planned {
        Ok(plan) => plan,
        Err(error) => return fail(outcome, &reference, resource, error, None),
    };
    outcome.rows.extend(plan.rows.iter().cloned());
    for warning in &plan.warnings {
        outcome
            .results
            .push(report(Diagnostic::warning(warning.clone()), resource));
    }
    if plan.targets.is_empty() {
        report::in_template_order(&mut outcome.rows, template);
        let why: Vec<String> = plan
            .rows
            .iter()
            .filter(|r| {
                matches!(
                    r.decision,
                    Decision::Skipped | Decision::AlreadyInstrumented
                )
            })
            .map(|r| match r.decision {
                Decision::AlreadyInstrumented => format!("{} already instrumented", r.container),
                _ => format!("{} {}", r.container, r.reason),
            })
            .collect();
        let message = if why.is_empty() {
            "skipped: no container to instrument".to_string()
        } else {
            format!("skipped: no container to instrument ({})", why.join(", "))
        };
        outcome
            .results
            .push(report(Diagnostic::info(message), resource));
        unwire(resource, workload, &mut outcome);
        return outcome;
    }

    if let Some(refusal) = notes::refusal(workload, settings.agent.delivery, settings.form) {
        return fail(outcome, &reference, resource, refusal, None);
    }
    // A template an earlier run wired is edited on a copy: it may come out unchanged, or
    // be unwired instead. Any other is edited in place (its text and the fingerprints of
    // its span tree are what the diff compares the edit with): on an error it is left
    // half edited, and the caller writes its text as it was.
    let mut copy = inject::is_wired(template).then(|| crate::yaml::exact::clone_exact(template));
    let injected = match copy.as_mut() {
        Some(edited) => inject::inject(edited, settings, &plan.targets),
        None => {
            let (_, template) = workload.pod_template_at_mut(resource).expect("found above");
            inject::inject(template, settings, &plan.targets)
        }
    };
    let template = workload.pod_template(resource).expect("found above");
    match injected {
        Err(error) => {
            let field = join_field(&workload.template_path_in(resource), &error.field);
            outcome
                .rows
                .push(Row::new(&reference, "", Decision::Error).because("", error.message.clone()));
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
            let unchanged = !done.injected.is_empty() && copy.as_ref() == Some(template);
            let decision = if unchanged {
                Decision::Unchanged
            } else {
                Decision::Instrumented
            };
            // Looked up by name, once per target (scans were quadratic in the containers).
            let mut skipped: HashMap<&str, &String> = HashMap::new();
            for (c, r) in &done.skipped {
                skipped.entry(c.as_str()).or_insert(r);
            }
            let injected: HashSet<&str> = done.injected.iter().map(String::as_str).collect();
            for (target, evidence) in plan.targets.iter().zip(&plan.evidence) {
                let mut row = match skipped.get(target.container.as_str()) {
                    Some(reason) => Row::new(&reference, &target.container, Decision::Skipped)
                        .because("options", (*reason).clone()),
                    None => Row::new(&reference, &target.container, decision)
                        .because("", evidence.clone()),
                };
                row.application_name = target.application_name.clone();
                row.options_env = target.options_env.clone();
                if row.decision != Decision::Skipped {
                    row.delivery = settings.agent.delivery.name();
                }
                outcome.rows.push(row);
            }
            report::in_template_order(&mut outcome.rows, template);
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
            let note = notes::kind_note(
                workload,
                uses_field_refs,
                settings.agent.delivery,
                settings.form,
            );
            if let Some(note) = note {
                outcome
                    .results
                    .push(report(Diagnostic::warning(note), resource));
            }
            let names: Vec<String> = plan
                .targets
                .iter()
                .filter(|t| injected.contains(t.container.as_str()))
                .map(|t| {
                    format!(
                        "{} as {} via {}",
                        t.container, t.application_name, t.options_env
                    )
                })
                .collect();
            let verb = if unchanged {
                "unchanged (already instrumented by an earlier run)"
            } else {
                "injected"
            };
            outcome.results.push(report(
                Diagnostic::info(format!("{verb}: {}", names.join(", "))),
                resource,
            ));
            if !unchanged {
                replace(resource, workload, copy, &mut outcome);
            }
        }
    }
    outcome
}
