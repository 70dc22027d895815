//! The multi-document stream (Helm post-renderer, plain `kubectl`-style YAML): split it
//! into documents without parsing, transform one document at a time (a long stream on a
//! few threads, [`run_with`], written back in order), and write every document that did
//! not change back byte for byte.

use crate::config::Settings;
use crate::decide::report::Row;
use crate::decide::unknown;
use crate::knowledge::kinds::{self, WorkloadKind};
use crate::run::diag::Diagnostic;
use crate::run::transform;
use crate::yaml::document::{self, Head};
use crate::yaml::split::is_separator;
use crate::yaml::{self, ListStyle, YamlError, patch, scalars, spans};
use std::io::{self, Write};

mod run;

pub use crate::yaml::split::{RawDoc, Splitter};
pub use run::{THREADS_ENV, Threads, run_with};

/// A document after processing: what to write and what to say.
#[derive(Debug)]
pub struct Processed {
    /// `None`: write the input bytes unchanged.
    pub replacement: Option<Vec<u8>>,
    pub results: Vec<Diagnostic>,
    /// The report's rows for this document.
    pub rows: Vec<Row>,
}

fn error_at(doc: &RawDoc, error: YamlError) -> Diagnostic {
    let error = error.offset_lines(doc.first_line - 1);
    Diagnostic::error(error.to_string())
}

/// The largest workload or List document that is parsed in full (a parse takes about
/// 13 times the document's size in memory). Other documents are only scanned.
pub const MAX_PARSED_DOCUMENT: usize = 16 << 20;

/// Transform one document of a stream.
pub fn process_doc(doc: &RawDoc, settings: &Settings) -> Processed {
    let unchanged = |results| Processed {
        replacement: None,
        results,
        rows: Vec::new(),
    };
    let text = match document::utf8(&doc.bytes) {
        Ok(text) => text,
        Err(e) => return unchanged(vec![error_at(doc, e)]),
    };
    if plainly_not_a_workload(text, settings) {
        // Its top-level `kind:` and `apiVersion:` lines say it is no workload and cannot
        // carry a pod, and one parser pass that builds nothing finds it well formed:
        // copied as it is.
        return unchanged(Vec::new());
    }
    // Another kind that may carry a pod is parsed only to say so (never an error).
    let mut other_kind = false;
    if !document::kind_from_text(text).is_some_and(kinds::may_be_workload_text) {
        // Not a workload by its `kind:` line: check it parses and has a kind, then pass it
        // on, unless it is a workload after all (JSON, flow style, an indented mapping).
        match document::head(text) {
            Err(e) => return unchanged(vec![error_at(doc, e)]),
            Ok(head) if head.problem().is_some() => {
                return unchanged(head.problem().map(Diagnostic::error).into_iter().collect());
            }
            Ok(head) if !is_workload_or_list(&head, &settings.workloads) => {
                let kind = document::kind_from_text(text);
                if !unknown::may_carry_pods(kind, text) || text.len() > MAX_PARSED_DOCUMENT {
                    return unchanged(Vec::new());
                }
                other_kind = true;
            }
            Ok(_) => {}
        }
    }
    if text.len() > MAX_PARSED_DOCUMENT {
        return unchanged(vec![Diagnostic::error(format!(
            "the document is {} MiB; workloads and Lists over {} MiB are not parsed, to bound memory (Kubernetes stores at most 1.5 MiB per object)",
            text.len() >> 20,
            MAX_PARSED_DOCUMENT >> 20
        ))]);
    }
    // The fast path reads the value and the spans in one pass; the full parser reads
    // the rest (and says what is wrong with a document that does not parse).
    let (mut value, root) = match crate::yaml::quick::load(text) {
        Some(loaded) => (loaded.value, Some(loaded.root)),
        None => match yaml::from_str(text) {
            Ok(value) => (value, None),
            Err(_) if other_kind => return unchanged(Vec::new()),
            Err(e) => return unchanged(vec![error_at(doc, e)]),
        },
    };
    if let Some(problem) = Head::of(&value).problem() {
        return unchanged(vec![Diagnostic::error(problem)]);
    }
    let mut outcome = transform::transform(&mut value, settings);
    if !outcome.changed {
        return Processed {
            rows: outcome.rows,
            ..unchanged(outcome.results)
        };
    }
    // The edit goes into the document's own text; only where it cannot be placed there
    // (an anchor or alias in the way) is the document written out in full.
    let reason =
        match patch::rewrite_splices(text, root, patch::Before::Parts(&outcome.replaced), &value) {
            Ok((edited, _)) => {
                return Processed {
                    replacement: Some(edited.into_bytes()),
                    results: outcome.results,
                    rows: outcome.rows,
                };
            }
            Err(reason) => reason.0,
        };
    if let Some(e) = scalars::first_divergence(text) {
        // Written out in full, this scalar would mean something else to Kubernetes.
        let e = error_at(doc, e);
        return unchanged(vec![Diagnostic::error(format!(
            "{} (the change cannot be made in place, {reason}, so the document would be written out in full)",
            e.message
        ))]);
    }
    let (prefix, body) = leading_lines(text);
    let mut out = prefix.into_bytes();
    out.extend_from_slice(yaml::to_string(&value, ListStyle::detect(body)).as_bytes());
    outcome.results.push(Diagnostic::info(format!(
        "written out in full, its formatting not kept: {reason}"
    )));
    Processed {
        replacement: Some(out),
        results: outcome.results,
        rows: outcome.rows,
    }
}

/// True for a document whose top-level lines name a kind that is no workload (nor a
/// List) and an apiVersion, and that is one well-formed YAML mapping. Anything else (a
/// syntax error included, so that its message is the usual one) takes the full path.
fn plainly_not_a_workload(text: &str, settings: &Settings) -> bool {
    let named = |key: &str| {
        text.lines()
            .any(|l| l.strip_prefix(key).is_some_and(|v| !v.trim().is_empty()))
    };
    document::kind_from_text(text).is_some_and(|kind| {
        !kind.is_empty()
            && !kinds::may_be_workload_text(kind)
            && !settings.workloads.iter().any(|w| w.name() == kind)
            && !unknown::may_carry_pods(Some(kind), text)
    }) && named("apiVersion:")
        && named("kind:")
        && (crate::yaml::quick::check(text).is_some()
            || spans::top_level_entries(text, false).is_ok_and(|n| n.is_some()))
}

/// True when the head names a workload (built in or one of `configured`) or a `v1 List`.
fn is_workload_or_list(head: &Head, configured: &[WorkloadKind]) -> bool {
    match head {
        Head::Resource {
            api_version: Some(api_version),
            kind: Some(kind),
        } => {
            WorkloadKind::lookup(api_version, kind, configured).is_some()
                || kinds::is_list(api_version, kind)
        }
        _ => false,
    }
}

/// Split a document into the lines we keep when it changes (its `---` line and the
/// comments before the content, like Helm's `# Source:`) and the content.
fn leading_lines(text: &str) -> (String, &str) {
    let mut prefix = String::new();
    let mut rest = text;
    let mut first = true;
    while !rest.is_empty() {
        let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = &rest[..end];
        let trimmed = line.trim();
        if first && is_separator(line.as_bytes()) {
            let after = trimmed[3..].trim_start();
            if after.is_empty() || after.starts_with('#') {
                prefix.push_str(line);
                if !line.ends_with('\n') {
                    prefix.push('\n');
                }
                rest = &rest[end..];
                first = false;
                continue;
            }
            // `--- value`: the content starts on this line; keep a plain separator.
            prefix.push_str("---\n");
            return (prefix, rest[3..].trim_start());
        }
        first = false;
        if trimmed.is_empty() || trimmed.starts_with('#') {
            prefix.push_str(line);
            rest = &rest[end..];
        } else {
            break;
        }
    }
    (prefix, rest)
}

/// How messages name a document: `document N`, counting only the documents with
/// content (Helm's comment-only documents for disabled templates are not counted), and
/// the template Helm's `# Source:` comment names.
#[derive(Debug, Default)]
pub struct Label {
    number: usize,
    has_content: bool,
    source: Option<String>,
}

impl Label {
    /// Move on to the document `bytes`.
    pub fn next(&mut self, bytes: &[u8]) {
        let content = |line: &str| {
            let t = line.trim();
            !(t.is_empty() || t.starts_with('#') || is_marker(t))
        };
        // Only the lines up to the first with content are read; the first `# Source:`
        // comment among them names the template (when it names one).
        self.has_content = false;
        let mut source = None;
        for line in bytes.split(|&b| b == b'\n') {
            let line = String::from_utf8_lossy(line);
            if content(&line) {
                self.has_content = true;
                self.number += 1;
                break;
            }
            if source.is_none() {
                source = line
                    .trim()
                    .strip_prefix("# Source:")
                    .map(|s| s.trim().to_string());
            }
        }
        self.source = source.filter(|s| !s.is_empty());
    }
}

/// A `---` or `...` line with nothing after it but a comment.
fn is_marker(line: &str) -> bool {
    ["---", "..."].iter().any(|m| {
        line.strip_prefix(m)
            .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
    })
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.has_content {
            write!(f, "document {}", self.number)?;
        } else {
            write!(
                f,
                "the comment-only document after document {}",
                self.number
            )?;
        }
        match &self.source {
            Some(source) => write!(f, " ({source})"),
            None => Ok(()),
        }
    }
}

/// What a whole stream run produced.
#[derive(Debug, Default)]
pub struct Summary {
    pub documents: usize,
    pub changed: usize,
    pub errors: usize,
    /// Every document's report rows, in order.
    pub rows: Vec<Row>,
}

/// Run a whole stream on the calling thread ([`run_with`] spreads it over threads):
/// every document is written, in order, whatever happens to the others (a document with
/// an error is written unchanged); results go to `diagnostics` as one line each.
pub fn run<I, W, E>(
    docs: I,
    settings: &Settings,
    out: &mut W,
    diagnostics: &mut E,
) -> io::Result<Summary>
where
    I: IntoIterator<Item = io::Result<RawDoc>>,
    W: Write,
    E: Write,
{
    run_with(docs, settings, out, diagnostics, Threads::ONE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_named_as_a_user_counts_them() {
        let mut label = Label::default();
        let mut names = Vec::new();
        let input = "---\n# Source: shop/templates/a.yaml\n---\n# Source: shop/templates/b.yaml\na: 1\n---\nb: 2\n";
        for doc in Splitter::new(input.as_bytes()) {
            label.next(&doc.unwrap().bytes);
            names.push(label.to_string());
        }
        assert_eq!(
            names,
            [
                "the comment-only document after document 0 (shop/templates/a.yaml)",
                "document 1 (shop/templates/b.yaml)",
                "document 2"
            ]
        );
    }

    #[test]
    fn leading_comments_and_separator_are_kept() {
        let (prefix, body) =
            leading_lines("---\n# Source: chart/templates/d.yaml\n\napiVersion: v1\n# inner\n");
        assert_eq!(prefix, "---\n# Source: chart/templates/d.yaml\n\n");
        assert_eq!(body, "apiVersion: v1\n# inner\n");
    }
}
