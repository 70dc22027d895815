//! One document of a stream: read, transformed by the core, and its edit written into
//! its own text (or, where an anchor is in the way, the whole document written anew).

use crate::config::Settings;
use crate::decide::report::Row;
use crate::decide::unknown;
use crate::facts::Facts;
use crate::knowledge::kinds;
use crate::run::diag::place_fields;
use crate::run::diag::{self, Diagnostic};
use crate::run::limits;
use crate::run::stream::around::{after_separator_bom, leading_lines};
use crate::run::stream::unbuilt::{head_unbuilt, is_workload_or_list, plainly_not_a_workload};
use crate::run::transform;
use crate::yaml::document::{self, Head};
use crate::yaml::exact::Exact;
use crate::yaml::split::RawDoc;
use crate::yaml::{self, ListStyle, YamlError, check, lines, patch, scalars, twice};

/// A document after processing: what to write and what to say.
#[derive(Debug)]
pub struct Processed {
    /// `None`: write the input bytes unchanged.
    pub replacement: Option<Vec<u8>>,
    pub results: Vec<Diagnostic>,
    /// The report's rows for this document.
    pub rows: Vec<Row>,
    /// A `v1 List`, left to be processed item by item as it is written
    /// ([`crate::run::items::list_document`]): its output is never held whole.
    pub list: bool,
}

/// The largest document whose head the fast path reads by building its value (a larger
/// one, with no workload `kind:` line, is read by a parser pass that builds nothing).
const FAST_HEAD_MAX: usize = 64 << 10;

fn error_at(doc: &RawDoc, error: YamlError) -> Diagnostic {
    let error = error.offset_lines(doc.first_line - 1);
    Diagnostic::error(error.to_string())
}

/// A refusal of the whole document (a scalar, a list, no kind), placed where its
/// content starts.
fn refused(doc: &RawDoc, text: &str, problem: String) -> Diagnostic {
    let position = Some(document::content_start(text));
    error_at(
        doc,
        YamlError {
            message: problem,
            position,
        },
    )
}

/// Transform one document of a stream. A workload over `max` bytes is not parsed (an
/// error); other documents are only scanned, whatever their size; a `v1 List` is left to
/// be processed item by item when it is written (`list`).
pub fn process_doc(doc: &RawDoc, inputs: (&Settings, &Facts), max: usize) -> Processed {
    let text = match document::utf8(&doc.bytes) {
        Ok(text) => text,
        Err(e) => return unchanged(vec![error_at(doc, e)]),
    };
    // A byte order mark right after the `---` line (files saved on Windows, joined with
    // `cat`): Kubernetes splits a stream at its `---` lines (apimachinery's
    // `YAMLReader`) and go-yaml skips a BOM where a chunk starts (its encoding check,
    // `yaml_parser_determine_encoding` in `readerc.go`), so it is read without it. One
    // anywhere else is part of what follows it there too, and left to the parser. An
    // unchanged document is still copied as it was; a changed one is written without it.
    let without_bom;
    let text = match after_separator_bom(text) {
        Some(at) => {
            without_bom = format!("{}{}", &text[..at], &text[at + '\u{feff}'.len_utf8()..]);
            without_bom.as_str()
        }
        None => text,
    };
    // Nothing but blank lines, comments and markers (Helm writes one such document per
    // disabled template): nothing to read (a parser per empty document cost 0.8 s a
    // million of them).
    if !text
        .split(['\n', '\r'])
        .any(crate::yaml::split::is_content_line)
    {
        return unchanged(Vec::new());
    }
    if is_list(text) {
        return Processed {
            list: true,
            ..unchanged(Vec::new())
        };
    }
    // A document whose every line ends in `\r\n` is read with `\n` (which the fast path
    // reads; `\r` sent it to the full parser, at twice the time) and written back with
    // `\r\n`, exactly. One over `max`, which is no workload to edit, is checked as it is
    // (its copy with `\n` took its size again).
    if text.len() <= max
        && let Some(lf) = lines::lf_if_all_crlf(text)
    {
        let mut done = process_text(doc, &lf, inputs, max);
        done.replacement = done.replacement.map(|out| lines::crlf_again(&out));
        return done;
    }
    process_text(doc, text, inputs, max)
}

/// True for a List (`v1 List`, or another `*List` kind with `items`): told by its
/// `kind:` and `apiVersion:` lines; written as JSON, by its top-level keys (one pass that
/// builds nothing); spelled otherwise (`kind : List`), by a parser pass that builds
/// nothing, when the text names a List at all.
fn is_list(text: &str) -> bool {
    let kind = document::kind_from_text(text);
    if kind.is_some_and(|kind| !kind.ends_with("List")) {
        return false; // the usual document: one look at its lines
    }
    if let Some(kind) = kind
        && let Some(api_version) = document::value_from_text(text, "apiVersion:")
        && kinds::is_list(api_version, kind)
    {
        return true;
    }
    if !text.contains("List") {
        return false;
    }
    if let Some(head) = crate::yaml::quick::json::head(text) {
        return matches!(head, Head::Resource { api_version: Some(a), kind: Some(k) } if kinds::is_list(&a, &k));
    }
    check::top_level(text, true).is_ok_and(
        |top| matches!((top.api_version, top.kind), (Some(a), Some(k)) if kinds::is_list(&a, &k)),
    )
}

fn unchanged(results: Vec<Diagnostic>) -> Processed {
    Processed {
        replacement: None,
        results,
        rows: Vec::new(),
        list: false,
    }
}

/// [`process_doc`], a List read whole (one that cannot be read item by item).
pub fn process_whole(doc: &RawDoc, inputs: (&Settings, &Facts), max: usize) -> Processed {
    match document::utf8(&doc.bytes) {
        Ok(text) => process_text(doc, text, inputs, max),
        Err(e) => unchanged(vec![error_at(doc, e)]),
    }
}

/// One document, its text.
fn process_text(
    doc: &RawDoc,
    text: &str,
    (settings, facts): (&Settings, &Facts),
    max: usize,
) -> Processed {
    // A key written twice is read as Kubernetes reads it, with a warning naming both lines.
    let twice = |twice: twice::Twice| -> Vec<Diagnostic> {
        let lines = doc.first_line as usize - 1;
        twice
            .warnings(lines)
            .into_iter()
            .map(Diagnostic::warning)
            .collect()
    };
    if let Some(duplicates) = plainly_not_a_workload(text, settings, max) {
        // Its top-level `kind:` and `apiVersion:` lines say it is no workload and cannot
        // carry a pod, and one parser pass that builds nothing finds it well formed:
        // copied as it is.
        return unchanged(twice(duplicates));
    }
    // Over `max`, nothing is built: the head is read by a pass that builds nothing (JSON,
    // anchors and aliases, which the lines above do not read; the full parser's reading
    // of the head cost five times the document).
    if text.len() > max
        && let Some(head) = head_unbuilt(text)
    {
        if !is_workload_or_list(&head, &settings.workloads) {
            return unchanged(Vec::new());
        }
        let message = limits::too_large("the document", text.len(), max);
        return unchanged(vec![Diagnostic::error(message)]);
    }
    // Another kind that may carry a pod is parsed only to say so (never an error).
    let mut other_kind = false;
    let mut warnings = Vec::new();
    // The fast path's reading, when it is taken before the kind is known.
    let mut fast = None;
    if !document::kind_from_text(text).is_some_and(kinds::may_be_workload_text) {
        // Not a workload by its `kind:` line: check it parses and has a kind, then pass it
        // on, unless it is a workload after all (JSON, flow style, an indented mapping).
        // A small one is read by the fast path, and that reading is kept for the edit
        // (one pass instead of two, and no full parser for a one-line flow workload); so
        // is one that will be read anyway, to look for a pod template (its head read by
        // the full parser cost ten times the fast path's reading).
        let looked_into = || {
            text.len() <= max
                && unknown::may_carry_pods(
                    document::value_from_text(text, "apiVersion:"),
                    document::kind_from_text(text),
                    text,
                )
        };
        if text.len() <= FAST_HEAD_MAX || looked_into() {
            fast = crate::yaml::quick::load(text)
                .or_else(|| crate::yaml::quick::json::load_json(text));
        }
        let head = match &fast {
            Some(loaded) => Ok((Head::of(&loaded.value), twice::Twice::default())),
            None => twice::read_head(text),
        };
        match head {
            Err(e) => return unchanged(vec![error_at(doc, e)]),
            Ok((head, _)) if head.problem().is_some() => {
                let problem = head.problem().unwrap_or_default();
                return unchanged(vec![refused(doc, text, problem)]);
            }
            Ok((head, duplicates)) if !is_workload_or_list(&head, &settings.workloads) => {
                let kind = document::kind_from_text(text);
                let api_version = match &head {
                    Head::Resource { api_version, .. } => api_version.as_deref(),
                    _ => None,
                };
                if !unknown::may_carry_pods(api_version, kind, text) || text.len() > max {
                    return unchanged(twice(duplicates));
                }
                other_kind = true;
            }
            Ok(_) => {}
        }
    }
    if text.len() > max {
        return unchanged(vec![Diagnostic::error(limits::too_large(
            "the document",
            text.len(),
            max,
        ))]);
    }
    // The fast path reads the value and the spans in one pass; the full parser reads
    // the rest (and says what is wrong with a document that does not parse).
    let (mut value, root) = match fast
        .or_else(|| crate::yaml::quick::load(text))
        .or_else(|| crate::yaml::quick::json::load_json(text))
    {
        Some(loaded) => (loaded.value, Some(loaded.root)),
        None => match twice::read(text) {
            Ok((Exact(value), duplicates)) => {
                // A workload Kubernetes reads otherwise (a key above a `<<` that gives it).
                if !other_kind
                    && is_workload_or_list(&Head::of(&value), &settings.workloads)
                    && let Some(e) =
                        yaml::merges::first_overridden(text, doc.first_line as usize - 1)
                {
                    return unchanged(vec![error_at(doc, e)]);
                }
                warnings = twice(duplicates);
                (value, None)
            }
            Err(_) if other_kind => return unchanged(Vec::new()),
            Err(e) => return unchanged(vec![error_at(doc, e)]),
        },
    };
    if let Some(problem) = Head::of(&value).problem() {
        warnings.push(refused(doc, text, problem));
        return unchanged(warnings);
    }
    // A workload Kubernetes reads otherwise (a line break to it, not to us).
    if !other_kind
        && is_workload_or_list(&Head::of(&value), &settings.workloads)
        && let Some(e) = yaml::breaks::first(text)
    {
        return unchanged(vec![error_at(doc, e)]);
    }
    let written_twice = !warnings.is_empty();
    // The core edits the value in place: what the text reads as is kept in the span
    // tree's fingerprints, read first.
    let root = root.or_else(|| yaml::fingerprint::spans_of(text, &value));
    let mut outcome = transform::transform(&mut value, settings, facts);
    if let Some(root) = &root {
        place_fields(&mut outcome.results, root, (doc.first_line, 0));
    }
    warnings.append(&mut outcome.results);
    outcome.results = warnings;
    if !outcome.changed {
        return Processed {
            rows: outcome.rows,
            ..unchanged(outcome.results)
        };
    }
    // The edit goes into the document's own text; only where it cannot be placed there
    // (an anchor or alias in the way) is the document written out in full.
    let reason =
        match patch::rewrite_text(text, root, patch::Before::Parts(&outcome.replaced), &value) {
            Ok(edited) => {
                return Processed {
                    replacement: Some(edited.into_bytes()),
                    results: outcome.results,
                    rows: outcome.rows,
                    list: false,
                };
            }
            Err(reason) => diag::in_input(&reason.0, doc.first_line as usize - 1),
        };
    if written_twice {
        // Written out in full, the earlier of the keys written twice would be gone.
        outcome.results.push(Diagnostic::error(format!(
            "the change cannot be made in place ({reason}), and written out in full the document would lose the earlier of its keys written twice: keep one of each"
        )));
        return Processed {
            rows: outcome.rows,
            ..unchanged(outcome.results)
        };
    }
    if let Some(e) = scalars::first_divergence(text) {
        // Written out in full, this scalar would mean something else to Kubernetes.
        let e = error_at(doc, e);
        return unchanged(vec![Diagnostic::error(format!(
            "{} (the change cannot be made in place, {reason}, so the document would be written out in full)",
            e.message
        ))]);
    }
    let (mut out, body) = leading_lines(text);
    out.push_str(&yaml::to_string(&value, ListStyle::detect(body)));
    let out = lines::with_breaks(out, lines::crlf(text)).into_bytes();
    outcome.results.push(Diagnostic::info(format!(
        "written out in full, its formatting not kept: {reason}"
    )));
    Processed {
        replacement: Some(out),
        results: outcome.results,
        rows: outcome.rows,
        list: false,
    }
}
