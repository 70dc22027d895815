//! What is known about a container's image beyond its name: the site's rule for it
//! (`spec.images` of the config) and its config (the image facts). Rules rank above
//! facts, and facts above what the manifest shows.

use crate::config::Settings;
use crate::config::images::{ImageRule, rule_for};
use crate::facts::{Entry, Facts};
use crate::oci::ImageConfig;
use crate::value::Field;
use serde_json::Value;

/// The rule and the facts for one container's image.
#[derive(Debug, Clone, Copy, Default)]
pub struct Known<'a> {
    pub rule: Option<&'a ImageRule>,
    pub entry: Option<&'a Entry>,
}

impl<'a> Known<'a> {
    /// Look the container's `image:` up in the config's rules and in the facts.
    pub fn of(container: &Value, settings: &'a Settings, facts: &'a Facts) -> Known<'a> {
        let image = container
            .field("image")
            .and_then(Value::as_str)
            .unwrap_or_default();
        Known {
            rule: rule_for(&settings.image_rules, image),
            entry: facts.lookup(image),
        }
    }

    /// Nothing beyond the manifest.
    pub fn nothing() -> Known<'static> {
        Known::default()
    }

    /// The image's config, when the facts have it.
    pub fn config(&self) -> Option<&'a ImageConfig> {
        self.entry.map(|e| &e.config)
    }

    /// The rule as evidence names it: `spec.images[0] (registry.example.com/shop/*)`,
    /// the field spelled the way `field` spells config fields.
    pub fn rule_evidence(&self, field: impl Fn(&str) -> String) -> Option<String> {
        self.rule
            .map(|r| format!("{} ({})", field(&format!("images[{}]", r.index)), r.text))
    }
}
