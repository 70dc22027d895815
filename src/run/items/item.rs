//! One item of a list: parsed, checked, transformed, and how to write it when it changed
//! (splices into its own text, or its whole new text).

use super::outcome::{Options, Outcome};
use crate::config::Settings;
use crate::decide::report::Row;
use crate::decide::unknown;
use crate::facts::Facts;
use crate::knowledge::kinds::{self, WorkloadKind};
use crate::run::diag::{self, Diagnostic};
use crate::run::{limits, transform};
use crate::value::Field;
use crate::yaml::document::{self, Head};
use crate::yaml::exact::Exact;
use crate::yaml::value::NESTED_TOO_DEEPLY;
use crate::yaml::{self, ListStyle, YamlError, lines, patch, scalars, twice};
use serde_json::Value;

/// An item's text as a document of its own.
pub struct Slice<'s> {
    /// A block item: its lines, with its `- ` blanked; a flow item: its own bytes.
    pub text: &'s str,
    /// The offset of the blanked `-` in `text` (a block item), which no edit may precede.
    pub dash: Option<usize>,
    /// Its position in the list: `items[N]`, and the list's line its text starts on (a
    /// block item's: its `-`'s).
    pub index: usize,
    pub line: usize,
    /// The column (0-based, in characters) `text` starts at on that line: a flow item's.
    pub column: usize,
}

/// How a changed item is written.
pub enum Edit {
    /// Splices into the slice (offsets in it), all after its `- `.
    Splices(Vec<patch::Splice>),
    /// The slice's whole new text.
    Whole(String),
}

/// Process one item; `None` when it is written as it came.
pub fn item(
    slice: &Slice<'_>,
    (settings, facts): (&Settings, &Facts),
    options: &Options,
    outcome: &mut Outcome,
) -> Option<Edit> {
    let index = slice.index;
    let text = slice.text;
    let broken = |outcome: &mut Outcome, message: String| {
        let mut row = Row::broken(kind_in(text), &message);
        row.document = Some(format!("items[{index}]"));
        outcome.add_row(row, options.keep_rows);
        outcome.result(Diagnostic::error(message));
    };
    if text.len() > options.max_document {
        let message =
            limits::too_large(&format!("items[{index}]"), text.len(), options.max_document);
        broken(outcome, message);
        return None;
    }
    // Lines counted in the whole list, from the slice's first line.
    let first = slice.line;
    let mut duplicates = twice::Twice::default();
    let (mut value, root) =
        match yaml::quick::load(text).or_else(|| yaml::quick::json::load_json(text)) {
            Some(loaded) => (loaded.value, Some(loaded.root)),
            None => match twice::read(text) {
                Ok((Exact(value), twice)) => {
                    // A workload Kubernetes reads otherwise (a key above a `<<` that
                    // gives it).
                    if !no_workload(&Head::of(&value), settings, text)
                        && let Some(e) = yaml::merges::first_overridden(text, first - 1)
                    {
                        broken(
                            outcome,
                            format!("items[{index}]: {}", in_list(e, slice.column, first)),
                        );
                        return None;
                    }
                    duplicates = twice;
                    (value, None)
                }
                Err(e) => {
                    let e = match e.message == NESTED_TOO_DEEPLY {
                        // Too deep to build: read by a pass that builds nothing, an item
                        // that is no workload is copied unread (as deep as kubectl reads).
                        true => match twice::read_head(text) {
                            Ok((head, _)) if no_workload(&head, settings, text) => return None,
                            Ok(_) => e,
                            Err(deeper) => deeper,
                        },
                        // Lines that end in a carriage return alone are lines to the
                        // parser and not to the list's outline: that is what to say.
                        false => yaml::breaks::lone_cr(text).unwrap_or(e),
                    };
                    let e = e.offset_lines(first as u64 - 1);
                    broken(outcome, format!("items[{index}]: {e}"));
                    return None;
                }
            },
        };
    // A key written twice is read as Kubernetes reads it, with a warning naming both lines.
    for warning in duplicates.warnings(first - 1) {
        let warning = format!("items[{index}]: {warning}");
        outcome.result(Diagnostic::warning(warning).about(&value));
    }
    if let Some(problem) = Head::of(&value).problem() {
        let mut row = Row::broken(kind_of(&value), &problem);
        row.document = Some(format!("items[{index}]"));
        outcome.add_row(row, options.keep_rows);
        // Placed where the item starts, in the whole list.
        let (line, column) = document::content_start(text);
        let column = column + if line == 1 { slice.column as u64 } else { 0 };
        let line = line + first as u64 - 1;
        outcome.result(
            Diagnostic::error(format!(
                "items[{index}]: line {line}, column {column}: {problem}"
            ))
            .about(&value),
        );
        return None;
    }
    // A workload Kubernetes reads otherwise (a line break to it, not to us).
    if !no_workload(&Head::of(&value), settings, text)
        && let Some(e) = yaml::breaks::first(text)
    {
        broken(
            outcome,
            format!("items[{index}]: {}", in_list(e, slice.column, first)),
        );
        return None;
    }
    // The core edits the value in place: what the text reads as is kept in the span
    // tree's fingerprints, read first.
    let root = root.or_else(|| yaml::fingerprint::spans_of(text, &value));
    let mut done = transform::transform(&mut value, settings, facts);
    // The item's fields placed in the input (a block item's slice keeps the list's
    // columns; a flow item's starts at its own column).
    if let Some(root) = &root {
        let at = (first as u64, slice.column as u64);
        crate::run::diag::place_fields(&mut done.results, root, at);
    }
    done.results.into_iter().for_each(|r| outcome.result(r));
    // Name the file the resource came from, where kustomize or kpt says.
    let file = Diagnostic::info("").about(&value).file.map(|f| f.path);
    for mut row in done.rows {
        row.document = file.clone();
        outcome.add_row(row, options.keep_rows);
    }
    if !done.changed {
        return None;
    }
    let dash = slice.dash;
    let reason =
        match patch::rewrite_splices(text, root, patch::Before::Parts(&done.replaced), &value) {
            Ok((_, splices))
                if dash.is_none_or(|d| splices.first().is_none_or(|s| s.start > d)) =>
            {
                return Some(Edit::Splices(splices));
            }
            Ok((mut edited, _))
                if dash.is_some_and(|d| edited.as_bytes().get(..d) == text.as_bytes().get(..d)) =>
            {
                let d = dash.expect("a block item");
                edited.replace_range(d..=d, "-"); // a blank, as in the slice
                return Some(Edit::Whole(edited));
            }
            Ok(_) => "an edit lands before the item's `- `".to_string(),
            Err(reason) => diag::in_input(&reason.0, first - 1),
        };
    if !duplicates.is_empty() {
        // Written out in full, the earlier of the keys written twice would be gone.
        outcome.result(Diagnostic::error(format!("items[{index}]: the change cannot be made in place ({reason}), and written out in full the item would lose the earlier of its keys written twice: keep one of each")).about(&value));
        return None;
    }
    if let Some(e) = scalars::first_divergence(text) {
        let e = e.offset_lines(first as u64 - 1);
        outcome.result(Diagnostic::error(format!("items[{index}]: {e} (the change cannot be made in place, {reason}, so the item would be written out in full)")).about(&value));
        return None;
    }
    outcome.result(
        Diagnostic::info(format!(
            "items[{index}]: written out in full, its formatting not kept: {reason}"
        ))
        .about(&value),
    );
    Some(Edit::Whole(written_in_full(text, dash, &value)))
}

/// The item's value written anew: block lines at the item's column with its `- ` back in
/// place, or (a flow item) one line of JSON.
fn written_in_full(text: &str, dash: Option<usize>, value: &Value) -> String {
    let Some(dash) = dash else {
        return serde_json::to_string(value).expect("a value serializes");
    };
    // Indented as its first line has it, and at least two past its `-` (a `-` alone on
    // its line, or with a comment, has nothing after it to say).
    let col = (text.len() - text.trim_start_matches(' ').len()).max(dash + 2);
    let body = yaml::to_string(value, ListStyle::detect(text));
    let pad = " ".repeat(col);
    let mut edited: String = body.lines().map(|l| format!("{pad}{l}\n")).collect();
    edited.replace_range(dash..=dash, "-");
    // Debug builds (every test, the fuzzer) read it back: one item, the value.
    #[cfg(debug_assertions)]
    assert_eq!(
        yaml::from_str::<Value>(&edited).ok(),
        Some(Value::Array(vec![value.clone()])),
        "an item written out in full reads otherwise:\n{edited}"
    );
    lines::with_breaks(edited, lines::crlf(text))
}

/// An error placed in an item's text, placed in the whole list: the item starts at
/// `column` of the list's line `first`.
fn in_list(mut e: YamlError, column: usize, first: usize) -> YamlError {
    if let Some((1, col)) = e.position.as_mut() {
        *col += column as u64;
    }
    e.offset_lines(first as u64 - 1)
}

/// A resource that is neither a workload (built in or configured) nor a List, and that
/// cannot carry a pod.
fn no_workload(head: &Head, settings: &Settings, text: &str) -> bool {
    let Head::Resource {
        api_version: Some(api_version),
        kind: Some(kind),
    } = head
    else {
        return false;
    };
    WorkloadKind::lookup(api_version, kind, &settings.workloads).is_none()
        && !kinds::is_list(api_version, kind)
        && !unknown::may_carry_pods(Some(api_version), Some(kind), text)
}

fn kind_of(value: &Value) -> &str {
    value
        .field("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The value of the item's own `kind:` line (at its first line's column), read from the
/// text of an item that does not parse.
fn kind_in(text: &str) -> &str {
    let col = text.len() - text.trim_start_matches([' ', '-']).len();
    text.lines()
        .filter_map(|l| {
            l.get(col..)
                .filter(|_| l[..col].bytes().all(|b| b == b' ' || b == b'-'))
        })
        .find_map(|l| l.strip_prefix("kind:"))
        .map_or("", |k| {
            k.split(" #")
                .next()
                .unwrap_or(k)
                .trim()
                .trim_matches(['"', '\''])
        })
}
