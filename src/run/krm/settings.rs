//! The settings of a KRM run: from the ResourceList's `functionConfig`, else from the
//! config file (`--config`), and what loading them said.

use crate::config::{self, Overrides, Settings};
use crate::run::diag::Diagnostic;
use serde_json::Value;

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
