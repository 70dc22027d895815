//! The policy for containers nobody named: which one is the workload's main container,
//! and why the policy leaves a container out (a sidecar, a tool, a runtime or category
//! outside `select`).

use crate::config::Settings;
use crate::decide::classify::Class;
use crate::decide::fields::str_at;
use crate::decide::known::Known;
use crate::knowledge::images::{self, Role, Runtime};
use crate::knowledge::kinds::WorkloadKind;
use crate::value::Field;
use serde_json::Value;

/// A container of the pod, with its class.
pub(super) struct Candidate<'a> {
    pub name: &'a str,
    pub container: &'a Value,
    pub class: Class,
    /// The site's rule and the facts for its image.
    pub known: Known<'a>,
}

/// Names that mark a container as the workload's main one: the workload's name, its
/// `app.kubernetes.io/name` or `app` label; and the only container of the pod.
pub(super) fn main_names<'a>(
    resource: &'a Value,
    template: &'a Value,
    candidates: &[Candidate<'a>],
) -> Vec<&'a str> {
    let mut names = vec![str_at(resource, &["metadata", "name"])];
    for source in [resource, template] {
        for key in ["app.kubernetes.io/name", "app"] {
            names.push(str_at(source, &["metadata", "labels", key]));
        }
    }
    if candidates.len() == 1 {
        names.push(candidates[0].name);
    }
    let java: Vec<&str> = candidates
        .iter()
        .filter(|c| c.class.runtime == Runtime::Java)
        .map(|c| c.name)
        .collect();
    if java.len() == 1 {
        names.push(java[0]);
    }
    names.retain(|n| !n.is_empty());
    names
}

/// Why the policy leaves a container out (a short reason and a sentence), if it does.
pub(super) fn skip_reason(
    c: &Candidate,
    main_names: &[&str],
    workload: WorkloadKind,
    settings: &Settings,
) -> Option<(&'static str, String)> {
    let runtime = c.class.runtime;
    let image = c
        .container
        .field("image")
        .and_then(Value::as_str)
        .unwrap_or_default();
    // The site's rule, when it gives a category, speaks instead of the image table.
    let image_role = match c.known.rule.and_then(|r| r.category) {
        Some(_) => None,
        None => images::family(image).map(|f| f.role),
    };
    let main = main_names.contains(&c.name);
    match image_role {
        // The main container of its own chart (fluent-bit's) is judged by its runtime.
        Some(Role::Sidecar) if !main => {
            return Some(("sidecar", "a sidecar, not the application".into()));
        }
        Some(Role::Tooling) => {
            return Some((
                "tooling",
                "exports metrics or runs tools beside the application".into(),
            ));
        }
        _ => {}
    }
    if !settings.select.runtimes.contains(&runtime) {
        let reason = match runtime {
            Runtime::NotJava => "not-java",
            _ => "unknown-runtime",
        };
        return Some((
            reason,
            format!(
                "runtime {} is not in {}",
                runtime.name(),
                settings.form.short_field("select.runtimes")
            ),
        ));
    }
    match c.class.role {
        Role::Sidecar if !main => Some(("sidecar", "a sidecar, not the application".to_string())),
        Role::Tooling => Some((
            "tooling",
            "exports metrics or runs tools beside the application".to_string(),
        )),
        Role::DataServer if workload.runs_to_completion() => Some((
            "tooling",
            "runs a server image's tools in a Job".to_string(),
        )),
        Role::DataServer if !settings.select.categories.contains(&Role::DataServer) => Some((
            "data-server",
            format!(
                "category data-server is not in {}",
                settings.form.short_field("select.categories")
            ),
        )),
        Role::Application | Role::Sidecar
            if !settings.select.categories.contains(&Role::Application) =>
        {
            Some((
                "category",
                format!(
                    "category application is not in {}",
                    settings.form.short_field("select.categories")
                ),
            ))
        }
        _ => None,
    }
}
