//! Any other ResourceList (flow style, anchors, several documents…): read whole, the
//! items transformed, and written back through the same text edits (or in full).

use super::settings::{Run, settings_of};
use crate::decide::report::Row;
use crate::run::diag::{self, Diagnostic};
use crate::run::facts as run_facts;
use crate::run::items::Outcome;
use crate::run::{limits, transform};
use crate::value::Field;
use crate::yaml::document::{self, Head};
use crate::yaml::exact::{self, Exact};
use crate::yaml::{self, ListStyle, patch, scalars};
use serde_json::{Map, Value};
use std::io::{self, Write};

/// The apiVersion we answer with when the input gave us none we could read.
pub const DEFAULT_API_VERSION: &str = "config.kubernetes.io/v1";

/// Read the list whole (when it is no larger than [`limits::whole_list`] allows),
/// transform its items, write it to `out`. Its first line is line `lines_before + 1` of
/// the input (for messages).
pub fn process_whole(
    input: &[u8],
    lines_before: usize,
    run: &Run<'_>,
    out: &mut impl Write,
) -> io::Result<Outcome> {
    let options = run.options;
    let max = limits::whole_list(options.max_document);
    let mut outcome = Outcome::default();
    if input.len() > max {
        // Refused unparsed, and written back as it came: its items are the user's.
        outcome.results.push(Diagnostic::error(limits::too_large(
            "the ResourceList, which has to be read whole (it is no mapping with an items list, or it holds anchors, aliases, tags or several documents),",
            input.len(),
            max,
        )));
        out.write_all(input)?;
        outcome.failed = true;
        return Ok(outcome);
    }
    let parsed = parse(input, lines_before as u64);
    let (text, mut list) = match parsed {
        Ok(parsed) => parsed,
        Err(message) => {
            let mut empty = Map::new();
            empty.insert("apiVersion".into(), DEFAULT_API_VERSION.into());
            empty.insert("kind".into(), "ResourceList".into());
            empty.insert("items".into(), Value::Array(Vec::new()));
            outcome.results.push(Diagnostic::error(message));
            return finish(None, empty, outcome, out);
        }
    };
    let config = list
        .field("functionConfig")
        .filter(|v| !v.is_null())
        .or(run.fallback);
    let (settings, said) = settings_of(config, run.overrides);
    outcome.results = said;
    let original = Value::Object(exact::clone_exact_map(&list));
    if let Some(settings) = settings {
        if list.field("items").is_some_and(Value::is_null) {
            // `items: null` or `items:` (nothing to do) is how an empty list is often written.
            list.insert("items".into(), Value::Array(Vec::new()));
        }
        let items = list
            .field_mut("items")
            .and_then(Value::as_array_mut)
            .expect("checked by parse");
        let facts = run_facts::of_items(run.facts, items, &mut outcome.results);
        for (index, item) in items.iter_mut().enumerate() {
            if let Some(problem) = Head::of(item).problem() {
                let kind = item
                    .field("kind")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let mut row = Row::broken(kind, &problem);
                row.document = Some(format!("items[{index}]"));
                outcome.add_row(row, options.keep_rows);
                outcome
                    .results
                    .push(Diagnostic::error(format!("items[{index}]: {problem}")).about(item));
                continue;
            }
            let done = transform::transform(item, &settings, &facts);
            if !done.changed {
                // The core edits in place: an item it could not wire may be half edited,
                // and this list is written from its value.
                if let Some(was) = original["items"].get(index).filter(|was| *was != item) {
                    *item = exact::clone_exact(was);
                }
            }
            // Name the file the resource came from, where kustomize or kpt says.
            let file = Diagnostic::info("").about(item).file.map(|f| f.path);
            for mut row in done.rows {
                row.document = file.clone();
                outcome.add_row(row, options.keep_rows);
            }
            outcome.results.extend(done.results);
        }
    }
    finish(Some((text, &original, lines_before)), list, outcome, out)
}

/// The input's text and its top-level mapping, with `items` a list (or null).
fn parse(input: &[u8], lines_before: u64) -> Result<(&str, Map<String, Value>), String> {
    let said = |e: yaml::YamlError| format!("ResourceList: {}", e.offset_lines(lines_before));
    let text = document::utf8(input).map_err(said)?;
    // Strict: a list read whole that writes a key twice is ambiguous (kustomize and kpt
    // never send one); the usual list reads each item as Kubernetes would.
    let Exact(value) = yaml::from_str_strict(text).map_err(said)?;
    let Value::Object(list) = value else {
        return Err("ResourceList: the input is not a mapping".to_string());
    };
    match list.field("items") {
        Some(Value::Array(_) | Value::Null) => {}
        None => return Err("ResourceList: it has no items list".to_string()),
        Some(_) => return Err("ResourceList: items is not a list".to_string()),
    }
    Ok((text, list))
}

/// Write the list: into the input's own text where there is one (items we did not
/// change come out as they came in), or in full. This run's results follow the ones the
/// list came with.
fn finish(
    input: Option<(&str, &Value, usize)>,
    mut list: Map<String, Value>,
    mut outcome: Outcome,
    out: &mut impl Write,
) -> io::Result<Outcome> {
    let results = &mut outcome.results;
    if !list.field("apiVersion").is_some_and(Value::is_string) {
        list.insert("apiVersion".into(), DEFAULT_API_VERSION.into());
    }
    let earlier = match list.field("results") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.clone(),
        Some(_) => {
            results.push(Diagnostic::error(
                "the ResourceList's results is not a list; this run's results replace it",
            ));
            Vec::new()
        }
    };
    let with_results = |list: &mut Map<String, Value>, results: &[Diagnostic]| {
        let mut all = earlier.clone();
        all.extend(
            results
                .iter()
                .map(|r| serde_json::to_value(r).expect("results serialize")),
        );
        if all.is_empty() {
            list.remove("results");
        } else {
            list.insert("results".into(), Value::Array(all));
        }
    };
    with_results(&mut list, results);
    let new = Value::Object(list);
    let rewritten = input.map(|(text, old, lines)| (text, lines, patch::rewrite(text, old, &new)));
    let yaml = match rewritten {
        Some((_, _, Ok(edited))) => edited,
        Some((text, lines_before, Err(reason))) => {
            let reason = diag::in_input(&reason.0, lines_before);
            let Value::Object(mut list) = new else {
                unreachable!("built as a mapping")
            };
            // Written out in full, a scalar Kubernetes reads differently would change meaning.
            if let Some(e) = scalars::first_divergence(text) {
                let e = e.offset_lines(lines_before as u64);
                results.push(Diagnostic::error(format!(
                    "ResourceList: {e} (the change cannot be made in place, {reason}, so the list would be written out in full)"
                )));
            } else {
                results.push(Diagnostic::info(format!(
                    "ResourceList: written out in full, its formatting not kept: {reason}"
                )));
            }
            with_results(&mut list, results);
            yaml::to_string(&Value::Object(list), ListStyle::Compact)
        }
        None => yaml::to_string(&new, ListStyle::Compact),
    };
    out.write_all(yaml.as_bytes())?;
    outcome.failed = diag::has_error(&outcome.results);
    Ok(outcome)
}
