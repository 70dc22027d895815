//! Image facts as an input of a run: the `ImageFacts` items of a ResourceList (a file of
//! the kustomization or kpt package, passed through unchanged) and, for the images they
//! do not cover, those of `--image-facts` (and of `--fetch-images`), checked into one
//! [`Facts`]. A broken facts resource is an error result; the run goes on without its
//! entries.

use crate::facts::{Document, Facts, is_facts};
use crate::run::diag::Diagnostic;
use crate::value::Field;
use serde_json::Value;
use std::borrow::Cow;

/// True for an item whose head names the facts kind.
pub fn is_facts_item(api_version: Option<&str>, kind: Option<&str>) -> bool {
    matches!((api_version, kind), (Some(a), Some(k)) if is_facts(a, k))
}

/// Add one facts resource (`item`, at `index` of the list) to `facts`; a problem is an
/// error result about that item.
pub fn add_item(facts: &mut Facts, index: usize, item: &Value, results: &mut Vec<Diagnostic>) {
    let loaded = Document::from_value(item.clone())
        .and_then(Facts::from_document)
        .and_then(|more| facts.extend(more));
    if let Err(e) = loaded {
        results.push(Diagnostic::error(format!("items[{index}]: {e}")).about(item));
    }
}

/// The facts of every `ImageFacts` item of a parsed list, then `given` for the images
/// they do not cover (`given` itself, not a copy, when the list has none).
pub fn of_items<'f>(
    given: &'f Facts,
    items: &[Value],
    results: &mut Vec<Diagnostic>,
) -> Cow<'f, Facts> {
    let mut facts = Facts::none();
    for (index, item) in items.iter().enumerate() {
        let text = |key: &str| item.field(key).and_then(Value::as_str);
        if is_facts_item(text("apiVersion"), text("kind")) {
            add_item(&mut facts, index, item, results);
        }
    }
    if facts.is_empty() {
        return Cow::Borrowed(given);
    }
    facts.extend_missing(given.clone());
    Cow::Owned(facts)
}
