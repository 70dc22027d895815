//! The usual ResourceList, whatever the order of its top-level entries: a block mapping
//! with a block `items` list (what kustomize and kpt send), or one in flow style (JSON).
//! One item parsed at a time, each changed one edited in its own text and written as
//! soon as it is made, everything else copied from the input. Memory: the input, one
//! item, and the results.

use super::item::{Edit, Slice, item};
use super::outcome::{Options, Outcome};
use super::results::{self, Earlier};
use super::settings::settings_of;
use crate::config::Settings;
use crate::decide::unknown;
use crate::knowledge::kinds;
use crate::run::diag::{self, Diagnostic};
use crate::run::limits;
use crate::yaml::outline::{self, Item, Outline, TopEntry};
use crate::yaml::{self, ListStyle, lines};
use serde_json::Value;
use std::io::{self, Write};

/// Writes the output: the input's bytes up to a point, or new text in place of some.
struct Writer<'t, 'o, W> {
    text: &'t str,
    out: &'o mut W,
    copied: usize,
    /// The last byte written, to end the text with a line break before appending.
    last: Option<u8>,
}

impl<W: Write> Writer<'_, '_, W> {
    fn copy_to(&mut self, at: usize) -> io::Result<()> {
        let part = &self.text[self.copied..at];
        self.write(part.as_bytes())?;
        self.copied = at;
        Ok(())
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        if let Some(&b) = bytes.last() {
            self.last = Some(b);
        }
        self.out.write_all(bytes)
    }
}

/// What the list came with, read before anything is written.
struct List<'t, 'o> {
    outline: &'o Outline,
    settings: Option<Settings>,
    results: Vec<Diagnostic>,
    /// The earlier results' lines (a block list) and what they hold.
    earlier: Option<((usize, usize), Option<Earlier<'t>>)>,
    items_key: usize,
}

/// `None` (before anything is written) when the list has to be read whole after all.
pub fn by_item<W: Write>(
    text: &str,
    outline: &Outline,
    fallback: Option<&Value>,
    options: &Options,
    out: &mut W,
) -> Option<io::Result<Outcome>> {
    let entry = |key: &str| outline.entries.iter().find(|e| e.key == key);
    let api_version = entry("apiVersion").filter(|e| e.inline)?;
    let items = entry("items")?;
    let empty = items.inline && text[items.value.start..items.value.end].trim().is_empty();
    if items.inline && !empty && !outline.flow_items {
        return None; // `items: something` that is not a list (`items:` is fine)
    }
    // Every block item's `- ` starts its line (checked now: nothing may be written
    // before a fallback to the whole list).
    if !outline.flow_items
        && !outline.items.iter().all(|i| {
            let r = i.range;
            lines::dash_of(text, r.start).is_some_and(|d| d >= lines::line_start(text, r.start))
        })
    {
        return None;
    }
    if !parse_value(text, api_version)?.is_string() {
        return None;
    }
    let mut results = Vec::new();
    let function_config = match entry("functionConfig") {
        Some(e) if e.value.end - e.value.start > limits::MAX_CONFIG => {
            results.push(Diagnostic::error(format!(
                "functionConfig is {}, over the {} a config may take: it is not read",
                limits::size(e.value.end - e.value.start),
                limits::size(limits::MAX_CONFIG)
            )));
            None
        }
        Some(e) => match entry_text(text, e).map(|t| yaml::from_str_strict::<Value>(&t)) {
            Some(Ok(value)) => Some(value).filter(|v| !v.is_null()),
            Some(Err(error)) => {
                // Lines counted in the whole list, from the value's first line.
                let error = error.offset_lines(e.value.line as u64 - 1);
                results.push(Diagnostic::error(format!("functionConfig: {error}")));
                None
            }
            None => return None,
        },
        None => None,
    };
    let settings = if results.is_empty() {
        let (settings, said) = settings_of(function_config.as_ref().or(fallback));
        results.extend(said);
        settings
    } else {
        None
    };
    // The results the list came with: cut from where they are, and written back with
    // ours after the items (in their place when they come after the items).
    let earlier = match entry("results") {
        Some(_) if outline.flow => None, // a flow list gets ours inserted into its own
        Some(e) => {
            let cut = (
                lines::line_start(text, e.key_start),
                lines::line_end(text, e.value.end),
            );
            match Earlier::read(&text[cut.0..cut.1], parse_value(text, e)?) {
                Ok(earlier) => Some((cut, Some(earlier))),
                Err(message) => {
                    results.push(Diagnostic::error(message));
                    Some((cut, None))
                }
            }
        }
        None => None,
    };
    let list = List {
        outline,
        settings,
        results,
        earlier,
        items_key: items.key_start,
    };
    let mut w = Writer {
        text,
        out,
        copied: 0,
        last: None,
    };
    Some(write_list(&mut w, list, options))
}

fn write_list<W: Write>(
    w: &mut Writer<'_, '_, W>,
    list: List<'_, '_>,
    options: &Options,
) -> io::Result<Outcome> {
    let text = w.text;
    let mut outcome = Outcome {
        results: list.results,
        ..Outcome::default()
    };
    let (cut, mut earlier) = match list.earlier {
        Some((cut, earlier)) => (Some(cut), earlier),
        None => (None, None),
    };
    let before_items = cut.filter(|c| c.0 < list.items_key);
    if let Some((start, end)) = before_items {
        w.copy_to(start)?;
        w.copied = end;
    }
    if let Some(settings) = &list.settings {
        for (index, listed) in list.outline.items.iter().enumerate() {
            if plainly_no_workload(text, listed, settings) {
                continue; // its text is copied unparsed
            }
            let (from, owned) = slice_of(text, listed, list.outline.flow_items);
            let slice = Slice {
                text: owned
                    .as_deref()
                    .unwrap_or(&text[listed.range.start..listed.range.end]),
                dash: owned
                    .is_some()
                    .then(|| lines::dash_of(text, listed.range.start).expect("checked") - from),
                index,
                line: listed.range.line,
            };
            let Some(edit) = item(&slice, settings, options, &mut outcome) else {
                continue;
            };
            w.copy_to(from)?;
            match edit {
                Edit::Splices(splices) => {
                    for s in splices {
                        w.copy_to(from + s.start)?;
                        w.write(s.text.as_bytes())?;
                        w.copied = from + s.end;
                    }
                }
                Edit::Whole(edited) => {
                    w.write(edited.as_bytes())?;
                    w.copied = from + slice.text.len();
                }
            }
        }
    }
    outcome.failed = diag::has_error(&outcome.results);
    let style = ListStyle::detect(text);
    if list.outline.flow {
        let (start, end, new) = results::flow_insertion(text, list.outline, &outcome.results);
        w.copy_to(start)?;
        w.write(new.as_bytes())?;
        w.copied = end;
        return w.copy_to(text.len()).map(|()| outcome);
    }
    match cut {
        Some((start, end)) if before_items.is_none() => {
            w.copy_to(start)?;
            results::write(w.out, earlier.take(), &outcome.results, style)?;
            w.last = Some(b'\n');
            w.copied = end;
            w.copy_to(text.len())?;
        }
        _ => {
            // At the end of the list (before a `...` that ends the document).
            w.copy_to(document_end(text))?;
            let some =
                !outcome.results.is_empty() || matches!(earlier, Some(Earlier::Block { .. }));
            if some && w.last.is_some_and(|b| b != b'\n') {
                w.write(b"\n")?;
            }
            results::write(w.out, earlier.take(), &outcome.results, style)?;
            w.copy_to(text.len())?;
        }
    }
    Ok(outcome)
}

/// An item whose `apiVersion` and `kind` say it is no workload and cannot carry a pod.
fn plainly_no_workload(text: &str, listed: &Item, settings: &Settings) -> bool {
    let (Some(api_version), Some(kind)) = listed.head(text) else {
        return false;
    };
    let r = listed.range;
    !kinds::may_be_workload_text(kind)
        && !kinds::is_list(api_version, kind)
        && !settings.workloads.iter().any(|w| w.name() == kind)
        && !unknown::may_carry_pods(
            Some(kind),
            &text[lines::line_start(text, r.start)..lines::line_end(text, r.end)],
        )
}

/// Where an item's text starts in the list, and (a block item) its lines with the `- `
/// blanked; a flow item is its own bytes (`None`: borrowed).
fn slice_of(text: &str, listed: &Item, flow: bool) -> (usize, Option<String>) {
    if flow {
        return (listed.range.start, None);
    }
    let (slice, from) = outline::block_slice(text, listed.range, true)
        .expect("every item was checked to start its line");
    (from, Some(slice))
}

/// Where text appended to the list goes: its end, or the start of a last `...` line.
fn document_end(text: &str) -> usize {
    let content = text.trim_end();
    let start = lines::line_start(text, content.len());
    let last = &text[start..content.len()];
    if last == "..." || last.starts_with("... ") || last.starts_with("...#") {
        start
    } else {
        text.len()
    }
}

fn parse_value(text: &str, e: &TopEntry) -> Option<Value> {
    yaml::from_str(&entry_text(text, e)?).ok()
}

/// A top-level entry's value as a document of its own.
fn entry_text(text: &str, e: &TopEntry) -> Option<String> {
    if e.inline {
        Some(text[e.value.start..e.value.end].to_string())
    } else {
        outline::block_slice(text, e.value, false)
            .ok()
            .map(|(slice, _)| slice)
    }
}
