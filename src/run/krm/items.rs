//! The usual ResourceList (a block mapping with a block `items` list), whatever the
//! order of its top-level entries: one item parsed at a time, each changed one edited in
//! its own text and written as soon as it is made, everything else copied from the input.
//! Memory: the input, one item, and the results.

use super::outcome::Outcome;
use super::results::{self, Earlier};
use super::settings::settings_of;
use crate::config::Overrides;
use crate::config::Settings;
use crate::decide::report::Row;
use crate::decide::unknown;
use crate::facts::Facts;
use crate::knowledge::kinds;
use crate::run::diag::{self, Diagnostic};
use crate::run::facts as run_facts;
use crate::run::transform;
use crate::yaml::document::Head;
use crate::yaml::outline::{self, Outline, TopEntry};
use crate::yaml::{self, ListStyle, lines, patch, scalars};
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

/// `None` (before anything is written) when the list has to be read whole after all.
pub fn by_item<W: Write>(
    text: &str,
    outline: &Outline,
    (fallback, overrides): (Option<&Value>, &Overrides),
    given: &Facts,
    out: &mut W,
) -> Option<io::Result<Outcome>> {
    let entry = |key: &str| outline.entries.iter().find(|e| e.key == key);
    let api_version = entry("apiVersion").filter(|e| e.inline)?;
    let items = entry("items")?;
    if items.inline && text[items.value.start..items.value.end].trim() != "" {
        return None; // `items: something` that is not a block list (`items:` is fine)
    }
    // Every item's `- ` starts its line (checked now: nothing may be written before a
    // fallback to the whole list).
    if !outline.items.iter().all(|r| {
        lines::dash_of(text, r.start).is_some_and(|d| d >= lines::line_start(text, r.start))
    }) {
        return None;
    }
    if !parse_value(text, api_version)?.is_string() {
        return None;
    }
    let function_config = match entry("functionConfig") {
        Some(e) => Some(parse_value(text, e)?).filter(|v| !v.is_null()),
        None => None,
    };
    let (settings, mut results) = settings_of(function_config.as_ref().or(fallback), overrides);
    // The facts first: an ImageFacts item may come after the workloads it describes.
    let mut facts = Facts::none();
    for (index, range) in outline.items.iter().enumerate() {
        let (api_version, kind) = &outline.heads[index];
        if run_facts::is_facts_item(api_version.as_deref(), kind.as_deref()) {
            let (slice, _) = outline::block_slice(text, *range, true).ok()?;
            run_facts::add_item(
                &mut facts,
                index,
                &yaml::value_of(&slice).ok()?,
                &mut results,
            );
        }
    }
    facts.extend_missing(given.clone());
    // The results the list came with: cut from where they are, and written back with
    // ours after the items (in their place when they come after the items).
    let earlier = match entry("results") {
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
    let mut w = Writer {
        text,
        out,
        copied: 0,
        last: None,
    };
    Some(write_list(
        &mut w,
        outline,
        settings.as_ref(),
        &facts,
        earlier,
        results,
        items,
    ))
}

fn write_list<W: Write>(
    w: &mut Writer<'_, '_, W>,
    outline: &Outline,
    settings: Option<&Settings>,
    facts: &Facts,
    earlier: Option<((usize, usize), Option<Earlier<'_>>)>,
    mut results: Vec<Diagnostic>,
    items: &TopEntry,
) -> io::Result<Outcome> {
    let text = w.text;
    let mut rows = Vec::new();
    let (cut, mut earlier) = match earlier {
        Some((cut, earlier)) => (Some(cut), earlier),
        None => (None, None),
    };
    let before_items = cut.filter(|c| c.0 < items.key_start);
    if let Some((start, end)) = before_items {
        w.copy_to(start)?;
        w.copied = end;
    }
    if let Some(settings) = settings {
        for (index, range) in outline.items.iter().enumerate() {
            if let (Some(api_version), Some(kind)) = &outline.heads[index]
                && !kinds::may_be_workload_text(kind)
                && !kinds::is_list(api_version, kind)
                && !settings.workloads.iter().any(|w| w.name() == kind)
                && !unknown::may_carry_pods(
                    Some(kind),
                    &text[lines::line_start(text, range.start)..lines::line_end(text, range.end)],
                )
            {
                continue; // a resource that is no workload: its text is copied unparsed
            }
            let (slice, from) = outline::block_slice(text, *range, true)
                .expect("every item was checked to start its line");
            let dash = lines::dash_of(text, range.start).expect("checked") - from;
            let Some(edit) = item(
                &slice,
                index,
                range.line,
                dash,
                (settings, facts),
                &mut results,
                &mut rows,
            ) else {
                continue;
            };
            w.copy_to(from)?;
            match edit {
                // Edits after the `- ` only: the input's own bytes (its `-` included)
                // between the new texts.
                Edit::Splices(splices) => {
                    for s in splices {
                        w.copy_to(from + s.start)?;
                        w.write(s.text.as_bytes())?;
                        w.copied = from + s.end;
                    }
                }
                Edit::Whole(edited) => {
                    w.write(edited.as_bytes())?;
                    w.copied = from + slice.len();
                }
            }
        }
    }
    let failed = diag::has_error(&results);
    match cut {
        Some((start, end)) if before_items.is_none() => {
            w.copy_to(start)?;
            results::write(w.out, earlier.take(), &results, ListStyle::detect(text))?;
            w.last = Some(b'\n');
            w.copied = end;
            w.copy_to(text.len())?;
        }
        _ => {
            // At the end of the list (before a `...` that ends the document).
            let end = document_end(text);
            w.copy_to(end)?;
            let some = !results.is_empty() || matches!(earlier, Some(Earlier::Block { .. }));
            if some && w.last.is_some_and(|b| b != b'\n') {
                w.write(b"\n")?;
            }
            results::write(w.out, earlier.take(), &results, ListStyle::detect(text))?;
            w.copy_to(text.len())?;
        }
    }
    Ok(Outcome {
        results,
        failed,
        rows,
    })
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
    let slice = if e.inline {
        text[e.value.start..e.value.end].to_string()
    } else {
        outline::block_slice(text, e.value, false).ok()?.0
    };
    yaml::from_str(&slice).ok()
}

/// How a changed item is written.
enum Edit {
    /// Splices after its `- ` (offsets in its slice).
    Splices(Vec<patch::Splice>),
    /// Its whole new text, from the start of its first line.
    Whole(String),
}

/// One item: parsed, checked, transformed; how to write it when it changed. `dash` is
/// the offset of its `-` in `slice` (blanked there).
fn item(
    slice: &str,
    index: usize,
    line: usize,
    dash: usize,
    (settings, facts): (&Settings, &Facts),
    results: &mut Vec<Diagnostic>,
    rows: &mut Vec<Row>,
) -> Option<Edit> {
    let (mut value, root) = match crate::yaml::quick::load(slice) {
        Some(loaded) => (loaded.value, Some(loaded.root)),
        None => match yaml::from_str(slice) {
            Ok(value) => (value, None),
            Err(e) => {
                // Lines counted in the whole list, from the item's own first line.
                let first = line
                    - slice[..slice.len() - slice.trim_start().len()]
                        .matches('\n')
                        .count();
                let e = e.offset_lines(first as u64 - 1);
                results.push(Diagnostic::error(format!("items[{index}]: {e}")));
                return None;
            }
        },
    };
    if let Some(problem) = Head::of(&value).problem() {
        results.push(Diagnostic::error(format!("items[{index}]: {problem}")).about(&value));
        return None;
    }
    let outcome = transform::transform(&mut value, settings, facts);
    results.extend(outcome.results);
    // Name the file the resource came from, where kustomize or kpt says.
    let file = Diagnostic::info("").about(&value).file.map(|f| f.path);
    rows.extend(outcome.rows.into_iter().map(|mut row| {
        row.document = file.clone();
        row
    }));
    if !outcome.changed {
        return None;
    }
    let reason = match patch::rewrite_splices(
        slice,
        root,
        patch::Before::Parts(&outcome.replaced),
        &value,
    ) {
        Ok((_, splices)) if splices.first().is_none_or(|s| s.start > dash) => {
            return Some(Edit::Splices(splices));
        }
        Ok((mut edited, _)) if edited.as_bytes().get(..dash) == slice.as_bytes().get(..dash) => {
            edited.replace_range(dash..=dash, "-"); // a blank, as in the slice
            return Some(Edit::Whole(edited));
        }
        Ok(_) => "an edit lands before the item's `- `".to_string(),
        Err(reason) => reason.0,
    };
    let col = slice.len() - slice.trim_start_matches(' ').len();
    if let Some(e) = scalars::first_divergence(slice) {
        results.push(Diagnostic::error(format!("items[{index}]: {e} (the change cannot be made in place, {reason}, so the item would be written out in full)")).about(&value));
        return None;
    }
    results.push(
        Diagnostic::info(format!(
            "items[{index}]: written out in full, its formatting not kept: {reason}"
        ))
        .about(&value),
    );
    let body = yaml::to_string(&value, ListStyle::detect(slice));
    let pad = " ".repeat(col);
    let mut edited: String = body.lines().map(|l| format!("{pad}{l}\n")).collect();
    edited.replace_range(dash..=dash, "-");
    Some(Edit::Whole(edited))
}
