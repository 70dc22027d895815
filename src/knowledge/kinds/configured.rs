//! Kinds the user names in the function config (`spec.workloads`): made rows of the kind
//! table once the config layer has validated them.
//!
//! A configured row lives as long as the process: it is interned (one allocation per
//! distinct row, however often a config is loaded), so that [`WorkloadKind`] stays a
//! `Copy` handle like the built-in kinds.

use super::kind::WorkloadKind;
use super::row::Row;
use std::sync::Mutex;

/// The config field configured kinds come from, for [`WorkloadKind::source`].
pub const CONFIG_SOURCE: &str = "spec.workloads";

static INTERNED: Mutex<Vec<&'static Row>> = Mutex::new(Vec::new());

/// The one row for a configured kind (already validated), made the first time it is
/// seen: `api_version` is `group/version` or `group/*`, `pod_template` a dot path.
pub fn custom(kind: &str, api_version: &str, pod_template: &str) -> WorkloadKind {
    let mut rows = INTERNED.lock().unwrap_or_else(|e| e.into_inner());
    let same = |row: &&&'static Row| {
        row.kind == kind
            && row.api_versions == [api_version]
            && row.template_paths == [pod_template]
    };
    if let Some(row) = rows.iter().find(same) {
        return WorkloadKind(row);
    }
    let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
    let row: &'static Row = Box::leak(Box::new(Row {
        kind: leak(kind),
        api_versions: Box::leak(vec![leak(api_version)].into_boxed_slice()),
        template_paths: Box::leak(vec![leak(pod_template)].into_boxed_slice()),
        source: CONFIG_SOURCE,
        delegate: None,
        note: None,
        runs_to_completion: false,
    }));
    rows.push(row);
    WorkloadKind(row)
}
