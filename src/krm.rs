//! KRM function mode (kustomize `transformers:`, kpt): one `ResourceList` in, one out,
//! with `results`. The output is always a whole, valid ResourceList, errors or not.

use crate::config::{self, Settings};
use crate::diag::{self, Diagnostic};
use crate::document::{self, Head};
use crate::patch;
use crate::scalars;
use crate::transform;
use crate::yaml::{self, ListStyle};
use serde_json::{Map, Value};

/// The apiVersion we answer with when the input gave us none we could read.
pub const DEFAULT_API_VERSION: &str = "config.kubernetes.io/v1";

/// True when the first document of the input says `kind: ResourceList`.
pub fn looks_like_resource_list(first_document: &[u8]) -> bool {
    // Lossy: a byte that is not UTF-8 elsewhere must still get a ResourceList back.
    document::kind_from_text(&String::from_utf8_lossy(first_document))
        .is_some_and(|kind| kind == "ResourceList")
}

/// The result of a KRM run: the ResourceList to print and whether it carries an error.
pub struct Output {
    pub yaml: String,
    pub results: Vec<Diagnostic>,
    pub failed: bool,
}

/// Process a whole ResourceList. `fallback` is the config to use when the list carries
/// no `functionConfig` (kpt's `fn render` sends none when the Kptfile gives none).
pub fn process(input: &[u8], fallback: Option<&Value>) -> Output {
    let (text, mut list) = match parse(input) {
        Ok(parsed) => parsed,
        Err(message) => {
            let error = Diagnostic::error(message);
            let mut empty = Map::new();
            empty.insert("apiVersion".into(), DEFAULT_API_VERSION.into());
            empty.insert("kind".into(), "ResourceList".into());
            empty.insert("items".into(), Value::Array(Vec::new()));
            return finish(None, empty, vec![error]);
        }
    };
    let mut results = Vec::new();
    let settings = match list
        .get("functionConfig")
        .filter(|v| !v.is_null())
        .or(fallback)
    {
        None => {
            results.push(Diagnostic::error(format!(
                "no function config: give the ResourceList a functionConfig (kind {} or ConfigMap), or pass --config (or set PINPOINT_INJECT_CONFIG)",
                config::KIND
            )));
            None
        }
        Some(config_doc) => match config::load(config_doc) {
            Ok(loaded) => {
                results.extend(loaded.warnings);
                Some(loaded.settings)
            }
            Err(e) => {
                results.push(Diagnostic::error(e.to_string()));
                None
            }
        },
    };
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
        results.extend(transform_items(items, &settings));
    }
    finish(Some((text, &original)), list, results)
}

fn transform_items(items: &mut [Value], settings: &Settings) -> Vec<Diagnostic> {
    let mut results = Vec::new();
    for (index, item) in items.iter_mut().enumerate() {
        if let Some(problem) = Head::of(item).problem() {
            results.push(Diagnostic::error(format!("items[{index}]: {problem}")).about(item));
            continue;
        }
        results.extend(transform::transform(item, settings).results);
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
) -> Output {
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
        yaml,
        failed: diag::has_error(&results),
        results,
    }
}
