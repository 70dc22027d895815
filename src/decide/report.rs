//! The decisions of a run, one row per workload and container (what `pinpoint-inject
//! report` prints, as a table or JSON), and the one-line summary a normal run ends with.

use crate::value::Field;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fmt::Write as _;

/// Which resource a result is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRef {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub namespace: String,
}

impl ResourceRef {
    /// Read the identity of any resource (missing parts are empty).
    pub fn of(resource: &Value) -> Self {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_string();
        let metadata = resource.field("metadata");
        let mut name = text(metadata.and_then(|m| m.field("name")));
        if name.is_empty() {
            name = text(metadata.and_then(|m| m.field("generateName")));
        }
        ResourceRef {
            api_version: text(resource.field("apiVersion")),
            kind: text(resource.field("kind")),
            name,
            namespace: text(metadata.and_then(|m| m.field("namespace"))),
        }
    }
}

impl fmt::Display for ResourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.kind.is_empty() {
            "resource"
        } else {
            &self.kind
        };
        if self.namespace.is_empty() {
            write!(f, "{kind} {}", self.name)
        } else {
            write!(f, "{kind} {}/{}", self.namespace, self.name)
        }
    }
}

/// What happened to one container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// The agent was wired in by this run.
    Instrumented,
    /// The wiring an earlier run added is already there, exactly: nothing changed.
    Unchanged,
    /// Another agent (or a hand-wired Pinpoint) is already there: left alone.
    AlreadyInstrumented,
    Skipped,
    Error,
}

impl Decision {
    pub fn name(self) -> &'static str {
        match self {
            Decision::Instrumented => "instrumented",
            Decision::Unchanged => "unchanged",
            Decision::AlreadyInstrumented => "already instrumented",
            Decision::Skipped => "skipped",
            Decision::Error => "error",
        }
    }
}

/// One workload's container and what was decided for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    /// The document as the run's log names it: `document N` in a stream (counting the
    /// documents with content), the file kustomize or kpt read it from, or `items[N]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// The Helm template the document came from (its `# Source:` comment).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    pub kind: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    pub name: String,
    /// Empty for a row about the whole workload (an error, or no containers).
    pub container: String,
    pub decision: Decision,
    /// A short reason class for skips (`not-java`, `sidecar`, …); empty otherwise.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub reason: &'static str,
    /// What the decision rests on, most telling first.
    pub evidence: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub application_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub options_env: String,
    /// How the agent reaches a wired container (`initContainer`, `imageVolume`).
    #[serde(skip_serializing_if = "str::is_empty")]
    pub delivery: &'static str,
}

impl Row {
    pub fn new(resource: &ResourceRef, container: &str, decision: Decision) -> Row {
        Row {
            document: None,
            template: None,
            kind: resource.kind.clone(),
            namespace: resource.namespace.clone(),
            name: resource.name.clone(),
            container: container.to_string(),
            decision,
            reason: "",
            evidence: String::new(),
            application_name: String::new(),
            options_env: String::new(),
            delivery: "",
        }
    }

    /// The row of a resource that could not be read (it does not parse, or is no
    /// resource): its kind when its text names one, the error as its evidence.
    pub fn broken(kind: &str, error: &str) -> Row {
        let resource = ResourceRef {
            kind: kind.to_string(),
            ..ResourceRef::default()
        };
        Row::new(&resource, "", Decision::Error).because("", error)
    }

    pub fn because(mut self, reason: &'static str, evidence: impl Into<String>) -> Row {
        self.reason = reason;
        self.evidence = evidence.into();
        self
    }

    fn workload(&self) -> String {
        let kind = if self.kind.is_empty() {
            "resource"
        } else {
            &self.kind
        };
        match (self.namespace.is_empty(), self.name.is_empty()) {
            (_, true) => kind.to_string(),
            (true, false) => format!("{kind} {}", self.name),
            (false, false) => format!("{kind} {}/{}", self.namespace, self.name),
        }
    }
}

/// Rows as an aligned text table, one line at a time (each ends with `\n`): the widths
/// are measured over every row first, and no line is made before it is asked for, so
/// a report of 160,000 rows holds the rows and one line, not the table.
pub fn table(rows: &[Row]) -> impl Iterator<Item = String> + '_ {
    let header = [
        "WORKLOAD",
        "CONTAINER",
        "DECISION",
        "DELIVERY",
        "APPLICATION",
        "OPTIONS",
        "EVIDENCE",
    ]
    .map(String::from);
    let mut widths = header.clone().map(|h| h.len());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(cells(row)) {
            *w = (*w).max(cell.chars().count());
        }
    }
    std::iter::once(header)
        .chain(rows.iter().map(cells))
        .map(move |cols| {
            let mut text = String::new();
            for (i, cell) in cols.iter().enumerate() {
                if i + 1 == cols.len() {
                    text.push_str(cell);
                } else {
                    let _ = write!(text, "{cell:<width$}  ", width = widths[i]);
                }
            }
            text.truncate(text.trim_end().len());
            text.push('\n');
            text
        })
}

/// A row's cells in the table.
fn cells(r: &Row) -> [String; 7] {
    let workload = match (&r.document, &r.template) {
        (Some(doc), Some(template)) => format!("{} ({doc}, {template})", r.workload()),
        (Some(doc), None) => format!("{} ({doc})", r.workload()),
        _ => r.workload(),
    };
    let decision = if r.reason.is_empty() {
        r.decision.name().to_string()
    } else {
        format!("{} ({})", r.decision.name(), r.reason)
    };
    [
        workload,
        dash(&r.container),
        decision,
        dash(r.delivery),
        dash(&r.application_name),
        dash(&r.options_env),
        clean(&r.evidence),
    ]
}

fn dash(text: &str) -> String {
    if text.is_empty() {
        "-".into()
    } else {
        clean(text)
    }
}

/// One line per cell: no newlines or control characters from a manifest.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// What a summary counts, rows added one at a time and none kept (a run of 20,000
/// workloads needs the counts, not the rows).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Rows by decision, in the order of [`Decision`].
    decisions: [usize; 5],
    skipped_by: BTreeMap<&'static str, usize>,
}

impl Tally {
    pub fn add(&mut self, row: &Row) {
        self.decisions[row.decision as usize] += 1;
        if row.decision == Decision::Skipped {
            *self.skipped_by.entry(row.reason).or_default() += 1;
        }
    }

    /// Add another tally's counts.
    pub fn merge(&mut self, other: Tally) {
        for (mine, theirs) in self.decisions.iter_mut().zip(other.decisions) {
            *mine += theirs;
        }
        for (reason, n) in other.skipped_by {
            *self.skipped_by.entry(reason).or_default() += n;
        }
    }

    /// No row was added.
    pub fn is_empty(&self) -> bool {
        self.decisions.iter().all(|&n| n == 0)
    }

    /// `summary: instrumented 2, unchanged 0, already instrumented 1, skipped 5 (not-java 4, sidecar 1), errors 0`;
    /// `errors` counts every error of the run (a document that does not parse has no row).
    pub fn summary(&self, errors: usize) -> String {
        let count = |d: Decision| self.decisions[d as usize];
        let by_reason = if self.skipped_by.is_empty() {
            String::new()
        } else {
            let parts: Vec<String> = self
                .skipped_by
                .iter()
                .map(|(r, n)| format!("{r} {n}"))
                .collect();
            format!(" ({})", parts.join(", "))
        };
        format!(
            "summary: instrumented {}, unchanged {}, already instrumented {}, skipped {}{by_reason}, errors {}",
            count(Decision::Instrumented),
            count(Decision::Unchanged),
            count(Decision::AlreadyInstrumented),
            count(Decision::Skipped),
            errors
        )
    }
}

/// [`Tally::summary`] of `rows`.
pub fn summary(rows: &[Row], errors: usize) -> String {
    let mut tally = Tally::default();
    rows.iter().for_each(|r| tally.add(r));
    tally.summary(errors)
}

/// Rows in the order of their containers in the pod template (each name's place found
/// once: a scan per comparison was quadratic in the containers).
pub fn in_template_order(rows: &mut [Row], template: &Value) {
    let mut place: HashMap<String, usize> = HashMap::new();
    for (i, name) in container_names(Some(template)).into_iter().enumerate() {
        place.entry(name).or_insert(i);
    }
    rows.sort_by_key(|r| place.get(&r.container).copied());
}

/// The names of a pod template's containers, or one empty name when it has none (a
/// workload-level row).
pub fn container_names(template: Option<&Value>) -> Vec<String> {
    let names: Vec<String> = template
        .and_then(|t| t.field("spec"))
        .and_then(|s| s.field("containers"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.field("name").and_then(Value::as_str).map(String::from))
        .collect();
    if names.is_empty() {
        vec![String::new()]
    } else {
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(container: &str, decision: Decision, reason: &'static str) -> Row {
        let r = ResourceRef {
            api_version: "apps/v1".into(),
            kind: "Deployment".into(),
            name: "web".into(),
            namespace: "shop".into(),
        };
        Row::new(&r, container, decision).because(reason, "image x")
    }

    #[test]
    fn the_summary_counts_skips_by_reason() {
        let rows = [
            row("app", Decision::Instrumented, ""),
            row("db", Decision::Skipped, "not-java"),
            row("proxy", Decision::Skipped, "sidecar"),
            row("cache", Decision::Skipped, "not-java"),
        ];
        assert_eq!(
            summary(&rows, 0),
            "summary: instrumented 1, unchanged 0, already instrumented 0, skipped 3 (not-java 2, sidecar 1), errors 0"
        );
    }

    #[test]
    fn the_table_is_aligned_and_one_line_per_row() {
        let mut r = row("app", Decision::Instrumented, "");
        r.evidence = "image a\nb".into();
        let text: String = table(&[r]).collect();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].find("CONTAINER"), lines[1].find("app"));
        assert!(lines[1].ends_with("image a b"));
    }
}
