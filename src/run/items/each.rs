//! Every item of an outlined list, one at a time: a resource that is plainly no workload
//! is copied unparsed; a List's items are taken one at a time in turn; any other is
//! parsed, transformed and, when it changed, written as its edits (or anew) while the
//! rest of the list is copied around it. A `v1 List` document of a stream
//! (`kubectl get -o yaml` writes them) takes the same path, so that a long List is never
//! parsed whole.

use super::item::{Edit, Slice, item};
use super::outcome::{Options, Outcome};
use super::writer::Writer;
use crate::config::Settings;
use crate::decide::unknown;
use crate::facts::Facts;
use crate::knowledge::kinds;
use crate::run::diag;
use crate::yaml::lines;
use crate::yaml::outline::{self, Item, Outline};
use crate::yaml::quick;
use std::io::{self, Write};

/// Write the List document `text` (its first line is line `first_line` of the stream)
/// with its items transformed, and say what happened; `None`, before anything is
/// written, when it is not in a shape read item by item (then it is read whole).
pub fn list_document<W: Write>(
    text: &str,
    inputs: (&Settings, &Facts),
    options: &Options,
    out: &mut W,
    first_line: usize,
) -> Option<io::Result<(Outcome, bool)>> {
    let outline = outline_of(text)?;
    let items = outline.entries.iter().find(|e| e.key == "items")?;
    let empty = items.inline && text[items.value.start..items.value.end].trim().is_empty();
    if (items.inline && !empty && !outline.flow_items) || !items_fit(text, &outline) {
        return None;
    }
    let mut outcome = Outcome::default();
    let mut w = Writer::new(text, out);
    let done = every_item(&mut w, &outline, inputs, options, &mut outcome, first_line)
        .and_then(|()| w.copy_to(text.len()));
    let changed = w.changed;
    outcome.failed = diag::has_error(&outcome.results);
    Some(done.map(|()| (outcome, changed)))
}

/// The outline of a list: written as JSON, block YAML in the fast path's subset, or any
/// other YAML, each taken by its own reader (the JSON and block ones build no node of
/// the items).
pub fn outline_of(text: &str) -> Option<Outline> {
    let quick = quick::json::outline(text).or_else(|| quick::outline(text));
    quick.or_else(|| outline::read(text).ok())
}

/// True when every block item's `- ` starts its line (checked before anything is written:
/// an item that does not is for the whole-list path).
pub fn items_fit(text: &str, outline: &Outline) -> bool {
    outline.flow_items
        || outline.items.iter().all(|i| {
            let r = i.range;
            lines::dash_of(text, r.start).is_some_and(|d| d >= lines::line_start(text, r.start))
        })
}

/// Transform and write every item of `outline` (the outline of `w.text`, whose first line
/// is line `first_line` of the input, for messages).
pub fn every_item<W: Write>(
    w: &mut Writer<'_, '_, W>,
    outline: &Outline,
    inputs: (&Settings, &Facts),
    options: &Options,
    outcome: &mut Outcome,
    first_line: usize,
) -> io::Result<()> {
    let text = w.text;
    let settings = inputs.0;
    // The column of the last flow item looked at, carried on to the next one: counted
    // from each item's line start, a list on one line cost a scan back to its start per
    // item (15 MB of JSON on one line: 6.5 s).
    let mut column_at = (0usize, 0usize);
    for (index, listed) in outline.items.iter().enumerate() {
        if plainly_no_workload(text, listed, outline.flow_items, settings) {
            continue; // its text is copied unparsed
        }
        let (from, owned) = slice_of(text, listed, outline.flow_items, options.max_document);
        let slice = Slice {
            text: match &owned {
                Sliced::Flow => &text[listed.range.start..listed.range.end],
                Sliced::Block(slice) => slice,
                Sliced::TooLarge(to) => &text[from..*to],
            },
            dash: matches!(owned, Sliced::Block(_) | Sliced::TooLarge(_))
                .then(|| lines::dash_of(text, listed.range.start).expect("checked") - from),
            index,
            line: listed.range.line + first_line - 1,
            column: match owned {
                Sliced::Flow => {
                    column_at = column_after(text, column_at, listed.range.start);
                    column_at.1
                }
                _ => 0,
            },
        };
        // A List item: its own items, one at a time too.
        if let (Some(api_version), Some(kind)) = listed.head(text)
            && kinds::is_list(api_version, kind)
        {
            w.copy_to(from)?;
            let mut out = Dash {
                out: &mut *w.out,
                dash: slice.dash,
                at: 0,
            };
            if let Some(done) = list_document(slice.text, inputs, options, &mut out, slice.line) {
                let (inner, changed) = done?;
                outcome.results.extend(inner.results);
                outcome.rows.extend(inner.rows);
                outcome.tally.merge(inner.tally);
                w.copied = from + slice.text.len();
                w.last = slice.text.as_bytes().last().copied();
                w.changed |= changed;
                continue;
            }
        }
        match item(&slice, inputs, options, outcome) {
            None => {}
            Some(Edit::Splices(splices)) => {
                for s in splices {
                    w.replace(from + s.start, from + s.end, &s.text)?;
                }
            }
            Some(Edit::Whole(edited)) => w.replace(from, from + slice.text.len(), &edited)?,
        }
    }
    Ok(())
}

/// Writes a block item's text, its blanked `-` (at `dash`) put back.
struct Dash<'o> {
    out: &'o mut dyn Write,
    dash: Option<usize>,
    /// Bytes written so far.
    at: usize,
}

impl Write for Dash<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf).map(|()| buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let start = self.at;
        self.at += buf.len();
        match self.dash {
            Some(d) if (start..self.at).contains(&d) => {
                let cut = d - start;
                self.out.write_all(&buf[..cut])?;
                self.out.write_all(b"-")?;
                self.out.write_all(&buf[cut + 1..])
            }
            _ => self.out.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// An item whose `apiVersion` and `kind` say it is no workload and cannot carry a pod;
/// a flow item (`flow`) is looked at in its own bytes, a block one in its lines (a flow
/// list on one line is one line: its every item looking at all of it was quadratic).
fn plainly_no_workload(text: &str, listed: &Item, flow: bool, settings: &Settings) -> bool {
    let (Some(api_version), Some(kind)) = listed.head(text) else {
        return false;
    };
    let r = listed.range;
    let own = match flow {
        true => &text[r.start..r.end],
        false => &text[lines::line_start(text, r.start)..lines::line_end(text, r.end)],
    };
    !kinds::may_be_workload_text(kind)
        && !kinds::is_list(api_version, kind)
        && !settings.workloads.iter().any(|w| w.name() == kind)
        && !unknown::may_carry_pods(Some(kind), own)
}

/// A list item's text as a document of its own.
enum Sliced {
    /// A flow item: its own bytes.
    Flow,
    /// A block item: its lines, with the `- ` blanked.
    Block(String),
    /// A block item over the per-document cap: its lines as they are, up to this offset
    /// (it is refused unparsed, and a copy would hold it twice).
    TooLarge(usize),
}

/// Where an item's text starts in the list, and that text.
fn slice_of(text: &str, listed: &Item, flow: bool, max_document: usize) -> (usize, Sliced) {
    if flow {
        return (listed.range.start, Sliced::Flow);
    }
    let (from, to) = (
        lines::line_start(text, listed.range.start),
        lines::line_end(text, listed.range.end),
    );
    let is_list = matches!(listed.head(text), (Some(a), Some(k)) if kinds::is_list(a, k));
    if to - from > max_document && !is_list {
        return (from, Sliced::TooLarge(to));
    }
    let (slice, from) = outline::block_slice(text, listed.range, true)
        .expect("every item was checked to start its line");
    (from, Sliced::Block(slice))
}

/// The column (in characters) of byte `to` of `text`, from the column `at.1` of byte
/// `at.0` before it: only the text between them is looked at.
fn column_after(text: &str, at: (usize, usize), to: usize) -> (usize, usize) {
    let between = &text[at.0.min(to)..to];
    let column = match between.rfind('\n') {
        Some(nl) => between[nl + 1..].chars().count(),
        None if at.0 <= to => at.1 + between.chars().count(),
        None => text[lines::line_start(text, to)..to].chars().count(),
    };
    (to, column)
}
