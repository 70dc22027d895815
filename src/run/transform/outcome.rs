//! What happened to one resource, and the ends a workload's pod template comes to: it
//! fails (its text is left as it was), it is unwired, or its edit is noted for the diff.

use crate::decide::report::{Decision, Row};
use crate::knowledge::kinds::WorkloadKind;
use crate::run::diag::{Diagnostic, ResourceRef};
use crate::wire::inject;
use crate::yaml::replaced::Replaced;
use serde_json::Value;

/// What happened to one resource.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The resource was edited (it must be written out again).
    pub changed: bool,
    /// Where the pod templates the edit changed are (empty unless `changed`).
    pub replaced: Vec<Replaced>,
    pub results: Vec<Diagnostic>,
    /// One row per container (or per workload, for an error): the report's data.
    pub rows: Vec<Row>,
}

impl Outcome {
    pub(super) fn merge(&mut self, other: Outcome) {
        self.changed |= other.changed;
        self.replaced.extend(other.replaced);
        self.results.extend(other.results);
        self.rows.extend(other.rows);
    }
}

/// The workload cannot be wired: one error row and result, and it is left as it was.
pub(super) fn fail(
    mut outcome: Outcome,
    reference: &ResourceRef,
    resource: &Value,
    message: String,
    field: Option<String>,
) -> Outcome {
    outcome
        .rows
        .push(Row::new(reference, "", Decision::Error).because("", message.clone()));
    let mut result = Diagnostic::error(message).about(resource);
    if let Some(field) = field {
        result = result.at_field(field);
    }
    outcome.results.push(result);
    outcome
}

/// Take out the wiring an earlier run left in a workload this run leaves alone (another
/// config, an opt-out annotation), so the agent never stays behind stale.
pub(super) fn unwire(resource: &mut Value, workload: WorkloadKind, outcome: &mut Outcome) {
    let Some(template) = workload.pod_template(resource) else {
        return;
    };
    if !inject::is_wired(template) {
        return; // nothing an earlier run left: strip would change nothing
    }
    let mut edited = template.clone();
    let result = match inject::strip_for_good(&mut edited) {
        Ok(false) => return,
        Ok(true) => {
            replace(resource, workload, Some(edited), outcome);
            Diagnostic::info("removed the wiring an earlier run added")
        }
        Err(error) => Diagnostic::error(error.message).at_field(join_field(
            &workload.template_path_in(resource),
            &error.field,
        )),
    };
    outcome.results.push(result.about(resource));
}

/// Note that the pod template was edited (putting `edited` in its place, when it was
/// edited on a copy): the diff compares it with what its text reads as.
pub(super) fn replace(
    resource: &mut Value,
    workload: WorkloadKind,
    edited: Option<Value>,
    outcome: &mut Outcome,
) {
    let (path, template) = workload
        .pod_template_at_mut(resource)
        .expect("the caller found the template");
    if let Some(edited) = edited {
        *template = edited;
    }
    outcome.replaced.push(Replaced::at_path(path));
    outcome.changed = true;
}

pub(super) fn join_field(prefix: &str, field: &str) -> String {
    match (prefix.is_empty(), field.is_empty()) {
        (true, _) => field.to_string(),
        (_, true) => prefix.to_string(),
        _ => format!("{prefix}.{field}"),
    }
}
