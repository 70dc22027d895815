//! Results: what happened to each resource, as data (KRM `results`) and as one stderr line each.

use crate::value::Field as _;
use serde::Serialize;
use serde_json::Value;
use std::fmt;

pub use crate::decide::report::ResourceRef;

/// How bad a result is; the KRM spec's three levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// A field a result points at, as a path (`spec.template.spec.volumes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    pub path: String,
    /// Where the field (or the nearest written field above it) is in the input: 1-based
    /// line and column, for stderr (a KRM result has no place for it).
    #[serde(skip)]
    pub at: Option<(u64, u64)>,
}

/// Where the resource came from, when kustomize or kpt told us (`config.kubernetes.io/path`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileRef {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<u64>,
}

/// One result, in the shape of the KRM functions spec's `results` entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    pub message: String,
    pub severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_ref: Option<ResourceRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<Field>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<FileRef>,
}

impl Diagnostic {
    pub fn new(severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            severity,
            resource_ref: None,
            field: None,
            file: None,
        }
    }
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message)
    }
    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message)
    }
    pub fn info(message: impl Into<String>) -> Self {
        Self::new(Severity::Info, message)
    }

    /// Attach the resource (and its file, when kustomize/kpt annotated it).
    pub fn about(mut self, resource: &Value) -> Self {
        let reference = ResourceRef::of(resource);
        if !(reference.kind.is_empty() && reference.name.is_empty()) {
            self.resource_ref = Some(reference);
        }
        self.file = file_of(resource);
        self
    }

    pub fn at_field(mut self, path: impl Into<String>) -> Self {
        self.field = Some(Field {
            path: path.into(),
            at: None,
        });
        self
    }

    /// One line for stderr: `warning: Deployment demo/web: message`.
    pub fn line(&self) -> String {
        self.line_in(None)
    }

    /// One line for stderr, naming the document of a stream (`error: document 3
    /// (shop/templates/web.yaml): …`, see [`crate::run::stream::Label`]) or, in KRM mode, the
    /// file kustomize or kpt read the resource from (`Deployment web (deploy/web.yaml): …`).
    pub fn line_in(&self, document: Option<&str>) -> String {
        let mut out = format!("{}: ", self.severity);
        if let Some(label) = document {
            out.push_str(label);
            out.push_str(": ");
        }
        if let Some(r) = &self.resource_ref {
            out.push_str(&r.to_string());
            if let (None, Some(file)) = (document, &self.file) {
                out.push_str(&format!(" ({})", file.path));
            }
            out.push_str(": ");
        }
        out.push_str(&self.message);
        if let Some(field) = &self.field {
            out.push_str(" (field ");
            out.push_str(&field.path);
            if let Some((line, column)) = field.at {
                out.push_str(&format!(", line {line}, column {column}"));
            }
            out.push(')');
        }
        // Never let a value from a manifest break the one-line promise, or reach the
        // terminal as a control sequence (an escape code in a container name).
        let mut line = String::with_capacity(out.len());
        for c in out.chars() {
            match c {
                '\n' | '\r' => line.push(' '),
                c if c.is_control() => line.extend(c.escape_default()),
                c => line.push(c),
            }
        }
        line
    }
}

fn file_of(resource: &Value) -> Option<FileRef> {
    let annotations = resource.field("metadata")?.field("annotations")?;
    let get = |key: &str| annotations.field(key).and_then(Value::as_str);
    let path =
        get("config.kubernetes.io/path").or_else(|| get("internal.config.kubernetes.io/path"))?;
    let index = get("config.kubernetes.io/index")
        .or_else(|| get("internal.config.kubernetes.io/index"))
        .and_then(|i| i.parse().ok());
    Some(FileRef {
        path: path.to_string(),
        index,
    })
}

/// True when any result is an error (the run must exit non-zero).
pub fn has_error(results: &[Diagnostic]) -> bool {
    results.iter().any(|d| d.severity == Severity::Error)
}

/// Give each result about a field the line and column where the field (or the nearest
/// written field above it) is in the input, from the span tree of a document (or item)
/// whose first line is line `first_line` of the input, and whose text starts at column
/// `first_column` (0-based) of that line (a flow item's, after the `[` or `, ` before it).
pub fn place_fields(
    results: &mut [Diagnostic],
    root: &crate::yaml::spans::Node<'_>,
    (first_line, first_column): (u64, u64),
) {
    for result in results {
        let Some(field) = result.field.as_mut().filter(|f| f.at.is_none()) else {
            continue;
        };
        if let Some(node) = crate::yaml::spans::path::deepest(root, &field.path) {
            let shift = if node.line == 1 { first_column } else { 0 };
            field.at = Some((
                first_line - 1 + node.line as u64,
                shift + node.col as u64 + 1,
            ));
        }
    }
}

/// A reason an edit could not be made in place (`line 3: …`, counted in the document
/// or item it was made on) with its line counted in the input: moved down by `lines`.
pub fn in_input(reason: &str, lines: usize) -> String {
    let number = reason
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(':'))
        .and_then(|(n, rest)| Some((n.parse::<usize>().ok()?, rest)));
    match number {
        Some((n, rest)) => format!("line {}:{rest}", n + lines),
        None => reason.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_reasons_line_is_counted_in_the_input() {
        assert_eq!(super::in_input("line 3: a tag", 10), "line 13: a tag");
        assert_eq!(
            super::in_input("the whole document changed", 10),
            "the whole document changed"
        );
        assert_eq!(super::in_input("line x: y", 1), "line x: y");
    }
}
