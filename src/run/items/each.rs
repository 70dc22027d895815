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
use crate::run::ordered::Pool;
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
    let mut outline = quick.or_else(|| outline::read(text).ok())?;
    // Held while every item is made: without the room its growth left.
    outline.items.shrink_to_fit();
    Some(outline)
}

/// True when every block item's `-` starts its line, the item's or one above it (checked
/// before anything is written: an item that does not is for the whole-list path).
pub fn items_fit(text: &str, outline: &Outline) -> bool {
    outline.flow_items
        || (outline.items.iter()).all(|i| lines::opening_dash(text, i.range.start).is_some())
}

/// Transform and write every item of `outline` (the outline of `w.text`, whose first line
/// is line `first_line` of the input, for messages). A long list's items are made on
/// [`Options::workers`] threads and written in order.
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
    let jobs = outline
        .items
        .iter()
        .enumerate()
        .filter_map(|(index, listed)| {
            if plainly_no_workload(text, listed, outline.flow_items, settings, options) {
                return None; // its text is copied unparsed
            }
            let column = match outline.flow_items {
                true => {
                    column_at = column_after(text, column_at, listed.range.start);
                    column_at.1
                }
                false => 0,
            };
            let list = matches!(listed.head(text), (Some(a), Some(k)) if kinds::is_list(a, k));
            Some(Ok(Job {
                index,
                listed,
                line: listed.range.line + first_line - 1,
                column,
                list,
            }))
        });
    let fresh = outcome.empty_like();
    let process = |job: &Job<'_>| match job.list {
        true => None, // taken in order, below: its items are written as they are made
        false => Some(one_item(
            text,
            job,
            outline.flow_items,
            inputs,
            options,
            &fresh,
        )),
    };
    let mut take = |job: Job<'_>, made: Option<Made>| match made {
        Some(made) => {
            outcome.merge(made.outcome);
            write_edit(w, made.from, made.len, made.edit)
        }
        None => list_item(w, &job, outline.flow_items, inputs, options, outcome),
    };
    if options.workers < 2 || text.len() < PARALLEL_AFTER {
        return jobs
            .map(|job| job.map(|j| (process(&j), j)))
            .try_for_each(|job| {
                let (made, job) = job?;
                take(job, made)
            });
    }
    let pool = Pool {
        workers: options.workers,
        weight: &|job: &Job<'_>| job.listed.range.end - job.listed.range.start,
        process: &process,
    };
    pool.run(jobs, &mut take)
}

/// A list shorter than this is processed on the calling thread.
const PARALLEL_AFTER: usize = 128 << 10;

/// An item to make: its place in the list.
struct Job<'o> {
    index: usize,
    listed: &'o Item,
    /// The input's line its text starts on, and a flow item's column (for messages).
    line: usize,
    column: usize,
    /// A `v1 List` item, whose own items are taken one at a time in turn.
    list: bool,
}

/// What was made of an item: how to write it, and its results and rows.
struct Made {
    /// Where its text starts in the list, and how long it is.
    from: usize,
    len: usize,
    edit: Option<Edit>,
    outcome: Outcome,
}

/// Parse, transform and edit one item (on any thread).
fn one_item(
    text: &str,
    job: &Job<'_>,
    flow: bool,
    inputs: (&Settings, &Facts),
    options: &Options,
    fresh: &Outcome,
) -> Made {
    let (from, owned) = slice_of(text, job.listed, flow, options.max_document);
    let slice = slice_for(text, job, from, &owned);
    let mut outcome = fresh.empty_like();
    let edit = item(&slice, inputs, options, &mut outcome);
    Made {
        from,
        len: slice.text.len(),
        edit,
        outcome,
    }
}

fn slice_for<'s>(text: &'s str, job: &Job<'_>, from: usize, owned: &'s Sliced) -> Slice<'s> {
    Slice {
        text: match owned {
            Sliced::Flow => &text[job.listed.range.start..job.listed.range.end],
            Sliced::Block(slice) => slice,
            Sliced::TooLarge(to) => &text[from..*to],
        },
        dash: matches!(owned, Sliced::Block(_) | Sliced::TooLarge(_))
            .then(|| lines::opening_dash(text, job.listed.range.start).expect("checked") - from),
        index: job.index,
        // The slice's first line: a block item's `-` may stand on a line above its content.
        line: job.line
            - text[from.min(job.listed.range.start)..job.listed.range.start]
                .matches('\n')
                .count(),
        column: job.column,
    }
}

/// A List item: its own items, one at a time too, written in turn (or, when they cannot
/// be, the item made whole).
fn list_item<W: Write>(
    w: &mut Writer<'_, '_, W>,
    job: &Job<'_>,
    flow: bool,
    inputs: (&Settings, &Facts),
    options: &Options,
    outcome: &mut Outcome,
) -> io::Result<()> {
    let text = w.text;
    let (from, owned) = slice_of(text, job.listed, flow, options.max_document);
    let slice = slice_for(text, job, from, &owned);
    w.copy_to(from)?;
    let mut out = Dash {
        out: &mut *w.out,
        dash: slice.dash,
        at: 0,
    };
    let inner_options = Options {
        workers: 1,
        ..*options
    };
    if let Some(done) = list_document(slice.text, inputs, &inner_options, &mut out, slice.line) {
        let (inner, changed) = done?;
        outcome.merge(inner);
        w.copied = from + slice.text.len();
        w.last = slice.text.as_bytes().last().copied();
        w.changed |= changed;
        return Ok(());
    }
    let mut made = outcome.empty_like();
    let edit = item(&slice, inputs, options, &mut made);
    outcome.merge(made);
    write_edit(w, from, slice.text.len(), edit)
}

/// Write an item's edit (if it has one) over its `len` bytes at `from` of the list.
fn write_edit<W: Write>(
    w: &mut Writer<'_, '_, W>,
    from: usize,
    len: usize,
    edit: Option<Edit>,
) -> io::Result<()> {
    match edit {
        None => Ok(()),
        Some(Edit::Splices(splices)) => splices
            .iter()
            .try_for_each(|s| w.replace(from + s.start, from + s.end, &s.text)),
        Some(Edit::Whole(edited)) => w.replace(from, from + len, &edited),
    }
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

/// An item whose `apiVersion` and `kind` say it is no workload and cannot carry a pod,
/// or that is over the cap (not parsed to look for one, as in a stream); a flow item
/// (`flow`) is looked at in its own bytes, a block one in its lines (a flow list on one
/// line is one line: its every item looking at all of it was quadratic).
fn plainly_no_workload(
    text: &str,
    listed: &Item,
    flow: bool,
    settings: &Settings,
    options: &Options,
) -> bool {
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
        && (own.len() > options.max_document
            || !unknown::may_carry_pods(Some(api_version), Some(kind), own))
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
    let dash = lines::opening_dash(text, listed.range.start).expect("checked");
    let (from, to) = (
        lines::line_start(text, dash),
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
