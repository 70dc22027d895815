//! KRM function mode (kustomize `transformers:`, kpt): one `ResourceList` in, one out,
//! with `results`. The output is always a whole, valid ResourceList, errors or not.

use crate::config::{self, Overrides, Settings};
use crate::decide::report::Row;
use crate::decide::unknown;
use crate::knowledge::kinds;
use crate::run::diag::{self, Diagnostic};
use crate::run::transform;
use crate::yaml::document::{self, Head};
use crate::yaml::{self, ListStyle, lines, outline, patch, scalars};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::io::{self, Write};

/// The apiVersion we answer with when the input gave us none we could read.
pub const DEFAULT_API_VERSION: &str = "config.kubernetes.io/v1";

/// True when the first document of the input says `kind: ResourceList`.
pub fn looks_like_resource_list(first_document: &[u8]) -> bool {
    // Lossy: a byte that is not UTF-8 elsewhere must still get a ResourceList back.
    document::kind_from_text(&String::from_utf8_lossy(first_document))
        .is_some_and(|kind| kind == "ResourceList")
}

/// The result of a KRM run: the ResourceList to print and whether it carries an error.
pub struct Output<'t> {
    /// The ResourceList, in pieces to write one after the other: the input's own text
    /// where it is unchanged (borrowed, never copied), the new text of each edited item,
    /// the results. Built whole, the output would be one more copy of the list in memory.
    pub yaml: Vec<Cow<'t, str>>,
    pub results: Vec<Diagnostic>,
    pub failed: bool,
    /// The report's rows, one per workload container.
    pub rows: Vec<Row>,
}

impl Output<'_> {
    /// Write the ResourceList, piece by piece.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        self.yaml
            .iter()
            .try_for_each(|piece| out.write_all(piece.as_bytes()))
    }
}

/// Process a whole ResourceList. `fallback` is the config to use when the list carries
/// no `functionConfig` (kpt's `fn render` sends none when the Kptfile gives none);
/// `overrides`, what the command line sets over either.
pub fn process<'t>(input: &'t [u8], fallback: Option<&Value>, overrides: &Overrides) -> Output<'t> {
    if let Ok(text) = std::str::from_utf8(input)
        && let Some(outline) =
            crate::yaml::quick::outline(text).or_else(|| outline::read(text).ok())
        && let Some(output) = by_item(text, &outline, fallback, overrides)
    {
        return output;
    }
    process_whole(input, fallback, overrides)
}

/// The usual ResourceList (a block mapping with a block `items` list): one item parsed
/// at a time, each changed one edited in its own text, everything else copied.
/// `None` when it has to be read whole after all.
fn by_item<'t>(
    text: &'t str,
    outline: &outline::Outline,
    fallback: Option<&Value>,
    overrides: &Overrides,
) -> Option<Output<'t>> {
    let entry = |key: &str| outline.entries.iter().find(|e| e.key == key);
    let api_version = entry("apiVersion").filter(|e| e.inline)?;
    let items = entry("items")?;
    if items.inline && text[items.value.start..items.value.end].trim() != "" {
        return None; // `items: something` that is not a block list (`items:` is fine)
    }
    let parse_value = |e: &outline::TopEntry| -> Option<Value> {
        let slice = if e.inline {
            text[e.value.start..e.value.end].to_string()
        } else {
            outline::block_slice(text, e.value, false).ok()?.0
        };
        yaml::from_str(&slice).ok()
    };
    if !parse_value(api_version)?.is_string() {
        return None;
    }
    let function_config = match entry("functionConfig") {
        Some(e) => Some(parse_value(e)?).filter(|v| !v.is_null()),
        None => None,
    };
    let (settings, mut results) = settings_of(function_config.as_ref().or(fallback), overrides);
    let mut out: Vec<Cow<'t, str>> = Vec::new();
    let mut copied = 0;
    let mut rows = Vec::new();
    if let Some(settings) = &settings {
        for (index, range) in outline.items.iter().enumerate() {
            let (slice, from) = outline::block_slice(text, *range, true).ok()?;
            if let (Some(api_version), Some(kind)) = &outline.heads[index]
                && !kinds::may_be_workload_text(kind)
                && !kinds::is_list(api_version, kind)
                && !settings.workloads.iter().any(|w| w.name() == kind)
                && !unknown::may_carry_pods(Some(kind), &slice)
            {
                continue; // a resource that is no workload: its text is copied unparsed
            }
            let (mut edited, splices) =
                match item(&slice, index, range.line, settings, &mut results, &mut rows) {
                    Some(edited) => edited,
                    None => continue,
                };
            // The item's `- ` goes back where it was; nothing was written before it.
            let dash = lines::dash_of(text, range.start)? - from;
            if edited.as_bytes().get(..=dash) != slice.as_bytes().get(..=dash) {
                return None;
            }
            out.push(Cow::Borrowed(&text[copied..from]));
            match splices {
                // Edits after the `- ` only: the input's own bytes (its `-` included)
                // between the new texts, instead of a copy of the whole item.
                Some(splices) if splices.first().is_some_and(|s| s.start > dash) => {
                    drop(edited);
                    let mut at = from;
                    for s in splices {
                        out.push(Cow::Borrowed(&text[at..from + s.start]));
                        let mut new_text = s.text;
                        new_text.shrink_to_fit(); // kept to the end: no slack
                        out.push(Cow::Owned(new_text));
                        at = from + s.end;
                    }
                    out.push(Cow::Borrowed(&text[at..from + slice.len()]));
                }
                _ => {
                    edited.replace_range(dash..=dash, "-"); // a blank, as in the slice
                    out.push(Cow::Owned(edited));
                }
            }
            copied = from + slice.len();
        }
    }
    // Results: in place of the ones the list came with, or at its end.
    let (rest_end, after) = match entry("results") {
        Some(old) => (
            lines::line_start(text, old.key_start),
            &text[lines::line_end(text, old.value.end)..],
        ),
        None => (text.len(), ""),
    };
    out.push(Cow::Borrowed(&text[copied..rest_end]));
    if !results.is_empty() {
        let last = out.iter().rev().find(|p| !p.is_empty());
        if last.is_some_and(|p| !p.ends_with('\n')) {
            out.push(Cow::Borrowed("\n"));
        }
        // Serialized as they are (no `serde_json::Value` copy of them first).
        #[derive(serde::Serialize)]
        struct Block<'r> {
            results: &'r [Diagnostic],
        }
        out.push(Cow::Owned(yaml::to_string(
            &Block { results: &results },
            ListStyle::detect(text),
        )));
    }
    out.push(Cow::Borrowed(after));
    Some(Output {
        yaml: out,
        failed: diag::has_error(&results),
        results,
        rows,
    })
}

/// One item: parsed, checked, transformed; its new text when it changed, with the
/// splices that make it out of `slice` when it was edited in place.
fn item(
    slice: &str,
    index: usize,
    line: usize,
    settings: &Settings,
    results: &mut Vec<Diagnostic>,
    rows: &mut Vec<Row>,
) -> Option<(String, Option<Vec<patch::Splice>>)> {
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
    let outcome = transform::transform(&mut value, settings);
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
    match patch::rewrite_splices(slice, root, patch::Before::Parts(&outcome.replaced), &value) {
        Ok((edited, splices)) => Some((edited, Some(splices))),
        Err(reason) => {
            let col = slice.len() - slice.trim_start_matches(' ').len();
            if let Some(e) = scalars::first_divergence(slice) {
                results.push(Diagnostic::error(format!("items[{index}]: {e} (the change cannot be made in place, {}, so the item would be written out in full)", reason.0)).about(&value));
                return None;
            }
            results.push(
                Diagnostic::info(format!(
                    "items[{index}]: written out in full, its formatting not kept: {}",
                    reason.0
                ))
                .about(&value),
            );
            let body = yaml::to_string(&value, ListStyle::detect(slice));
            let pad = " ".repeat(col);
            Some((body.lines().map(|l| format!("{pad}{l}\n")).collect(), None))
        }
    }
}

/// The settings from the function config (or the fallback), and what loading said.
fn settings_of(
    config_doc: Option<&Value>,
    overrides: &Overrides,
) -> (Option<Settings>, Vec<Diagnostic>) {
    match config_doc {
        None => (
            None,
            vec![Diagnostic::error(format!(
                "no function config: give the ResourceList a functionConfig (kind {} or ConfigMap), or pass --config (or set PINPOINT_INJECT_CONFIG)",
                config::KIND
            ))],
        ),
        Some(config_doc) => match config::load_with(config_doc, overrides) {
            Ok(loaded) => (Some(loaded.settings), warnings(loaded.warnings)),
            Err(e) => (None, vec![Diagnostic::error(e.to_string())]),
        },
    }
}

/// Any other ResourceList: read whole, written back through the same text edits.
fn process_whole(input: &[u8], fallback: Option<&Value>, overrides: &Overrides) -> Output<'static> {
    let (text, mut list) = match parse(input) {
        Ok(parsed) => parsed,
        Err(message) => {
            let error = Diagnostic::error(message);
            let mut empty = Map::new();
            empty.insert("apiVersion".into(), DEFAULT_API_VERSION.into());
            empty.insert("kind".into(), "ResourceList".into());
            empty.insert("items".into(), Value::Array(Vec::new()));
            return finish(None, empty, vec![error], Vec::new());
        }
    };
    let mut rows = Vec::new();
    let config_doc = list.get("functionConfig").filter(|v| !v.is_null());
    let (settings, mut results) = settings_of(config_doc.or(fallback), overrides);
    let original = Value::Object(list.clone());
    if let Some(settings) = settings {
        if list.get("items").is_some_and(Value::is_null) {
            // `items: null` or `items:` (nothing to do) is how an empty list is often written.
            list.insert("items".into(), Value::Array(Vec::new()));
        }
        let items = list
            .get_mut("items")
            .and_then(Value::as_array_mut)
            .expect("checked by parse");
        results.extend(transform_items(items, &settings, &mut rows));
    }
    finish(Some((text, &original)), list, results, rows)
}

fn transform_items(
    items: &mut [Value],
    settings: &Settings,
    rows: &mut Vec<Row>,
) -> Vec<Diagnostic> {
    let mut results = Vec::new();
    for (index, item) in items.iter_mut().enumerate() {
        if let Some(problem) = Head::of(item).problem() {
            results.push(Diagnostic::error(format!("items[{index}]: {problem}")).about(item));
            continue;
        }
        let outcome = transform::transform(item, settings);
        // Name the file the resource came from, where kustomize or kpt says.
        let file = Diagnostic::info("").about(item).file.map(|f| f.path);
        rows.extend(outcome.rows.into_iter().map(|mut row| {
            row.document = file.clone();
            row
        }));
        results.extend(outcome.results);
    }
    results
}

/// The input's text and its top-level mapping, with `items` a list (or null).
fn parse(input: &[u8]) -> Result<(&str, Map<String, Value>), String> {
    let text = document::utf8(input).map_err(|e| format!("ResourceList: {e}"))?;
    let value: Value = yaml::from_str(text).map_err(|e| format!("ResourceList: {e}"))?;
    let Value::Object(list) = value else {
        return Err("ResourceList: the input is not a mapping".to_string());
    };
    match list.get("items") {
        Some(Value::Array(_) | Value::Null) => {}
        None => return Err("ResourceList: it has no items list".to_string()),
        Some(_) => return Err("ResourceList: items is not a list".to_string()),
    }
    Ok((text, list))
}

/// Write the list: into the input's own text where there is one (items we did not
/// change come out as they came in), or in full.
fn finish(
    input: Option<(&str, &Value)>,
    mut list: Map<String, Value>,
    mut results: Vec<Diagnostic>,
    rows: Vec<Row>,
) -> Output<'static> {
    if !list.get("apiVersion").is_some_and(Value::is_string) {
        list.insert("apiVersion".into(), DEFAULT_API_VERSION.into());
    }
    let with_results = |list: &mut Map<String, Value>, results: &[Diagnostic]| {
        if results.is_empty() {
            list.remove("results");
        } else {
            list.insert(
                "results".into(),
                serde_json::to_value(results).expect("results serialize"),
            );
        }
    };
    with_results(&mut list, &results);
    let new = Value::Object(list);
    let yaml = match input.map(|(text, old)| (text, patch::rewrite(text, old, &new))) {
        Some((_, Ok(edited))) => edited,
        Some((text, Err(reason))) => {
            let Value::Object(mut list) = new else {
                unreachable!("built as a mapping")
            };
            // Written out in full, a scalar Kubernetes reads differently would change meaning.
            if let Some(e) = scalars::first_divergence(text) {
                results.push(Diagnostic::error(format!(
                    "ResourceList: {e} (the change cannot be made in place, {}, so the list would be written out in full)",
                    reason.0
                )));
            } else {
                results.push(Diagnostic::info(format!(
                    "ResourceList: written out in full, its formatting not kept: {}",
                    reason.0
                )));
            }
            with_results(&mut list, &results);
            yaml::to_string(&Value::Object(list), ListStyle::Compact)
        }
        None => yaml::to_string(&new, ListStyle::Compact),
    };
    Output {
        yaml: vec![Cow::Owned(yaml)],
        failed: diag::has_error(&results),
        results,
        rows,
    }
}

/// The config's warnings as results.
fn warnings(messages: Vec<String>) -> Vec<Diagnostic> {
    messages.into_iter().map(Diagnostic::warning).collect()
}
