//! KRM function mode (kustomize `transformers:`, kpt): one `ResourceList` in, one out,
//! with `results`. The output is always a whole, valid ResourceList, errors or not; it
//! is written as it is made (the usual list item by item, [`items`]), so memory holds the
//! input and one item, not a second copy of the list.

mod items;
mod outcome;
mod results;
mod settings;
mod whole;

pub use outcome::{DEFAULT_API_VERSION, Outcome};

use crate::config::Overrides;
use crate::facts::Facts;
use crate::yaml::{document, outline};
use serde_json::Value;
use std::io::{self, Write};

/// True when the first document of the input says `kind: ResourceList`.
pub fn looks_like_resource_list(first_document: &[u8]) -> bool {
    // Lossy: a byte that is not UTF-8 elsewhere must still get a ResourceList back.
    document::kind_from_text(&String::from_utf8_lossy(first_document))
        .is_some_and(|kind| kind == "ResourceList")
}

/// Process a whole ResourceList, writing the one that answers it to `out`. `fallback` is
/// the config to use when the list carries no `functionConfig` (kpt's `fn render` sends
/// none when the Kptfile gives none), and `overrides` what the command line sets over
/// either; `facts` are the image facts given outside the list
/// (`--image-facts`), to which its `ImageFacts` items are added.
pub fn process(
    input: &[u8],
    fallback: Option<&Value>,
    overrides: &Overrides,
    facts: &Facts,
    out: &mut impl Write,
) -> io::Result<Outcome> {
    if let Ok(text) = std::str::from_utf8(input)
        && let Some(outline) =
            crate::yaml::quick::outline(text).or_else(|| outline::read(text).ok())
        && let Some(done) = items::by_item(text, &outline, (fallback, overrides), facts, out)
    {
        return done;
    }
    whole::process_whole(input, (fallback, overrides), facts, out)
}
