//! The usual ResourceList, whatever the order of its top-level entries: a block mapping
//! with a block `items` list (what kustomize and kpt send), or one in flow style (JSON).
//! One item parsed at a time, each changed one edited in its own text and written as
//! soon as it is made, everything else copied from the input. Memory: the input, one
//! item, and the results.

use super::results::{self, Earlier};
use super::settings::{Run, settings_of};
use crate::config::Settings;
use crate::facts::Facts;
use crate::run::diag::{self, Diagnostic};
use crate::run::facts as run_facts;
use crate::run::items::{Format, Options, Outcome, Rendered, Writer, every_item, items_fit};
use crate::run::limits;
use crate::yaml::outline::{self, Outline, TopEntry};
use crate::yaml::{self, ListStyle, lines};
use serde_json::Value;
use std::borrow::Cow;
use std::io::{self, Write};

/// What the list came with, read before anything is written.
struct List<'t, 'o, 'f> {
    outline: &'o Outline,
    settings: Option<Settings>,
    /// The list's own `ImageFacts` items, then those given outside it.
    facts: Cow<'f, Facts>,
    results: Vec<Diagnostic>,
    /// The earlier results' lines (a block list) and what they hold.
    earlier: Option<((usize, usize), Option<Earlier<'t>>)>,
    items_key: usize,
    /// The input's line the list starts on.
    first_line: usize,
}

/// `None` (before anything is written) when the list has to be read whole after all.
/// Its first line is line `lines_before + 1` of the input (for messages).
pub fn by_item<W: Write>(
    text: &str,
    outline: &Outline,
    lines_before: usize,
    run: &Run<'_>,
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
    if !items_fit(text, outline) {
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
                let error = error.offset_lines((e.value.line + lines_before) as u64 - 1);
                results.push(Diagnostic::error(format!("functionConfig: {error}")));
                None
            }
            None => return None,
        },
        None => None,
    };
    let settings = if results.is_empty() {
        let (settings, said) =
            settings_of(function_config.as_ref().or(run.fallback), run.overrides);
        results.extend(said);
        settings
    } else {
        None
    };
    let facts = list_facts(text, outline, run.facts, &mut results);
    // The results the list came with: cut from where they are, and written back with
    // ours after the items (in their place when they come after the items).
    let earlier = match entry("results") {
        Some(_) if outline.flow => None, // a flow list gets ours inserted into its own
        Some(e) => {
            let cut = (
                lines::line_start(text, e.key_start),
                lines::line_end(text, e.value.end),
            );
            match Earlier::read(&text[cut.0..cut.1], !e.inline, || parse_value(text, e))? {
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
        facts,
        results,
        earlier,
        items_key: items.key_start,
        first_line: lines_before + 1,
    };
    let mut w = Writer::new(text, out);
    Some(write_list(&mut w, list, run.options))
}

/// The facts of the list's `ImageFacts` items (read first: one may come after the
/// workloads it describes), then `given` for the images they do not cover.
fn list_facts<'f>(
    text: &str,
    outline: &Outline,
    given: &'f Facts,
    results: &mut Vec<Diagnostic>,
) -> Cow<'f, Facts> {
    let mut facts = Facts::none();
    for (index, listed) in outline.items.iter().enumerate() {
        let (api_version, kind) = listed.head(text);
        if !run_facts::is_facts_item(api_version, kind) {
            continue;
        }
        let slice = if outline.flow_items {
            Ok(text[listed.range.start..listed.range.end].to_string())
        } else {
            outline::block_slice(text, listed.range, true).map(|(slice, _)| slice)
        };
        match slice
            .map_err(|e| e.0)
            .and_then(|s| yaml::value_of(&s).map_err(|e| e.to_string()))
        {
            Ok(value) => run_facts::add_item(&mut facts, index, &value, results),
            Err(e) => results.push(Diagnostic::error(format!("items[{index}]: {e}"))),
        }
    }
    if facts.is_empty() {
        return Cow::Borrowed(given); // the usual list: no facts of its own, no copy
    }
    facts.extend_missing(given.clone());
    Cow::Owned(facts)
}

fn write_list<W: Write>(
    w: &mut Writer<'_, '_, W>,
    list: List<'_, '_, '_>,
    options: &Options,
) -> io::Result<Outcome> {
    let text = w.text;
    let style = ListStyle::detect(text);
    let crlf = lines::crlf(text);
    let (cut, mut earlier) = match list.earlier {
        Some((cut, earlier)) => (Some(cut), earlier),
        None => (None, None),
    };
    // Results are made into their text as they come, at the column they will be written.
    let format = match list.outline.flow {
        true => Format::Json,
        false => Format::Block {
            column: results::column(earlier.as_ref(), style),
            crlf,
        },
    };
    let mut outcome = Outcome::rendering(Rendered::new(format));
    list.results.into_iter().for_each(|r| outcome.result(r));
    let before_items = cut.filter(|c| c.0 < list.items_key);
    if let Some((start, end)) = before_items {
        w.copy_to(start)?;
        w.copied = end;
    }
    // A flow list (JSON) whose `results` comes before its items gets ours inserted there,
    // behind text already made: its items are made into a buffer first.
    let flow_results_first = list
        .outline
        .entries
        .iter()
        .find(|e| e.key == "results")
        .filter(|e| list.outline.flow && e.key_start < list.items_key)
        .map(|e| e.value.end);
    let mut buffer = Vec::new();
    let mut made = Writer::new(text, &mut buffer);
    if let Some(settings) = &list.settings {
        let inputs = (settings, list.facts.as_ref());
        match flow_results_first {
            Some(results_end) => {
                made.copied = results_end;
                every_item(
                    &mut made,
                    list.outline,
                    inputs,
                    options,
                    &mut outcome,
                    list.first_line,
                )?;
            }
            None => every_item(
                w,
                list.outline,
                inputs,
                options,
                &mut outcome,
                list.first_line,
            )?,
        }
    }
    outcome.failed = diag::has_error(&outcome.results);
    let ours = outcome.rendered.take().expect("made above");
    if list.outline.flow {
        let at = results::flow_insertion(text, list.outline, &ours);
        let insert = |w: &mut Writer<'_, '_, W>| -> io::Result<()> {
            w.copy_to(at.start)?;
            w.write(at.before.as_bytes())?;
            ours.pieces().try_for_each(|p| w.write(p.as_bytes()))?;
            w.write(at.after.as_bytes())?;
            w.copied = at.end;
            Ok(())
        };
        if let Some(results_end) = flow_results_first {
            let (copied, last, changed) = (made.copied.max(results_end), made.last, made.changed);
            if at.start < results_end {
                insert(w)?;
            }
            w.copy_to(results_end)?;
            w.append(&buffer, copied, last, changed)?;
            if at.start >= results_end {
                insert(w)?;
            }
        } else {
            insert(w)?;
        }
        return w.copy_to(text.len()).map(|()| outcome);
    }
    match cut {
        Some((start, end)) if before_items.is_none() => {
            w.copy_to(start)?;
            results::write(w.out, earlier.take(), &ours, style, crlf)?;
            w.last = Some(b'\n');
            w.copied = end;
            w.copy_to(text.len())?;
        }
        _ => {
            // At the end of the list (before a `...` that ends the document).
            w.copy_to(document_end(text))?;
            let some = ours.count > 0 || matches!(earlier, Some(Earlier::Block { .. }));
            if some && w.last.is_some_and(|b| b != b'\n') {
                w.write(if crlf { b"\r\n" } else { b"\n" })?;
            }
            results::write(w.out, earlier.take(), &ours, style, crlf)?;
            w.copy_to(text.len())?;
        }
    }
    Ok(outcome)
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
