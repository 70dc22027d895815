//! The settings of a KRM run: from the ResourceList's `functionConfig`, else from the
//! config file (`--config`), and what loading them said.

use crate::config::{self, Overrides, Settings};
use crate::facts::Facts;
use crate::run::diag::Diagnostic;
use crate::run::items::Options;
use serde_json::Value;

/// What a KRM run takes besides the list.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    /// The config to use when the list carries no `functionConfig` (kpt's `fn render`
    /// sends none when the Kptfile gives none).
    pub fallback: Option<&'a Value>,
    /// What the command line sets over either config.
    pub overrides: &'a Overrides,
    /// The image facts given outside the list (`--image-facts`, `--fetch-images`); the
    /// list's own `ImageFacts` items come first.
    pub facts: &'a Facts,
    pub options: &'a Options,
}

/// The settings from the function config (or the fallback), and what loading said.
pub fn settings_of(
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
            Ok(loaded) => (
                Some(loaded.settings),
                loaded
                    .warnings
                    .into_iter()
                    .map(Diagnostic::warning)
                    .collect(),
            ),
            Err(e) => (None, vec![Diagnostic::error(e.to_string())]),
        },
    }
}
