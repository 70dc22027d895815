//! KRM function mode (kustomize `transformers:`, kpt): one `ResourceList` in, one out,
//! with `results`. The output is always a whole, valid ResourceList, errors or not.

use crate::config::{self, Settings};
use crate::diag::{self, Diagnostic};
use crate::document::{self, Head};
use crate::report::Row;
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
    /// The report's rows, one per workload container.
    pub rows: Vec<Row>,
}

/// Process a whole ResourceList. `fallback` is the config to use when the list carries
/// no `functionConfig` (kpt's `fn render` sends none when the Kptfile gives none).
pub fn process(input: &[u8], fallback: Option<&Value>) -> Output {
    let mut list = match parse(input) {
        Ok(list) => list,
        Err(message) => {
            let error = Diagnostic::error(message);
            let mut empty = Map::new();
            empty.insert("apiVersion".into(), DEFAULT_API_VERSION.into());
            empty.insert("kind".into(), "ResourceList".into());
            empty.insert("items".into(), Value::Array(Vec::new()));
            return finish(empty, vec![error], Vec::new());
        }
    };
    let mut results = Vec::new();
    let mut rows = Vec::new();
    // Every item is written back, so a scalar Kubernetes reads differently from us would
    // change meaning: say so, and fail the run.
    if let Some(e) = std::str::from_utf8(input)
        .ok()
        .and_then(scalars::first_divergence)
    {
        results.push(Diagnostic::error(format!("ResourceList: {e}")));
    }
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
    if let Some(settings) = settings {
        let items = list
            .get_mut("items")
            .and_then(Value::as_array_mut)
            .expect("checked by parse");
        results.extend(transform_items(items, &settings, &mut rows));
    }
    finish(list, results, rows)
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

fn parse(input: &[u8]) -> Result<Map<String, Value>, String> {
    let text = document::utf8(input).map_err(|e| format!("ResourceList: {e}"))?;
    let value: Value = yaml::from_str(text).map_err(|e| format!("ResourceList: {e}"))?;
    let Value::Object(mut list) = value else {
        return Err("ResourceList: the input is not a mapping".to_string());
    };
    match list.get("items") {
        Some(Value::Array(_)) => {}
        // `items: null` or `items:` (nothing to do) is how an empty list is often written.
        Some(Value::Null) => {
            list.insert("items".into(), Value::Array(Vec::new()));
        }
        None => return Err("ResourceList: it has no items list".to_string()),
        Some(_) => return Err("ResourceList: items is not a list".to_string()),
    }
    Ok(list)
}

fn finish(mut list: Map<String, Value>, results: Vec<Diagnostic>, rows: Vec<Row>) -> Output {
    if !list.get("apiVersion").is_some_and(Value::is_string) {
        list.insert("apiVersion".into(), DEFAULT_API_VERSION.into());
    }
    if results.is_empty() {
        list.remove("results");
    } else {
        list.insert(
            "results".into(),
            serde_json::to_value(&results).expect("results serialize"),
        );
    }
    Output {
        yaml: yaml::to_string(&Value::Object(list), ListStyle::Compact),
        failed: diag::has_error(&results),
        results,
        rows,
    }
}
