//! What must hold for every ResourceList, whatever it holds; checked by the KRM fuzz
//! target (`fuzz/fuzz_targets/krm.rs` includes this file) and by the replay of its seeds.
//!
//! For a run of KRM mode over `x`, with a config to fall back on (only no panic when `x`
//! does not say `kind: ResourceList`, which the binary sends to stream mode):
//! - no panic, and the output is one ResourceList with an `items` list (YAML or JSON),
//!   readable as a JSON value unless the input was not (an item with a `null` key comes
//!   back as it was, with an error result);
//! - the run failed exactly when the output's results hold an error;
//! - when `x` reads as a ResourceList with items, the output has as many, and each is
//!   its input item, or that item with the wiring added (taken out again, it is the
//!   input item);
//! - a second run over the output changes no item.

use super::uninject::{normalize, uninject};
use pinpoint_inject::config;
use pinpoint_inject::facts::Facts;
use pinpoint_inject::run::krm;
use pinpoint_inject::yaml;
use serde_json::Value;

/// One KRM run, all in memory: the output and whether it failed.
pub fn run_krm(input: &[u8], fallback: &Value) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    let run = krm::Run {
        fallback: Some(fallback),
        overrides: &config::Overrides::default(),
        facts: &Facts::none(),
        options: &krm::Options::default(),
    };
    let outcome = krm::process(input, &run, &mut out).expect("writing to memory cannot fail");
    (out, outcome.failed)
}

/// Check every invariant for one input; panics with the reason when one is broken.
pub fn check_krm(input: &[u8], fallback: &Value) {
    let (output, failed) = run_krm(input, fallback);
    if !krm::looks_like_resource_list(input) {
        // The binary sends such an input to stream mode (`main.rs`); KRM mode must only
        // not panic on it, and answers with the kind it was given.
        return;
    }
    let parsed_kind = std::str::from_utf8(input)
        .ok()
        .and_then(|t| yaml::from_str::<Value>(t).ok())
        .map(|v| v.get("kind").cloned());
    if matches!(&parsed_kind, Some(kind) if kind.as_ref().and_then(Value::as_str) != Some("ResourceList"))
    {
        // The text says `kind: ResourceList` on a line of its own (inside a multi-line
        // key or string, so the binary routes it here), but the mapping has another kind
        // or none: it is answered with the kind it was given, as above.
        return;
    }
    let text = String::from_utf8_lossy(&output);
    let list: Value = match yaml::from_str(&text) {
        Ok(list) => list,
        Err(e) => {
            // A list that is YAML but no JSON value (a `null` or list key, in an item or
            // at the top) comes back as it was: the output is then as unreadable to this
            // reader as the input was. It must still be one YAML document with the
            // ResourceList's entries and as many items as the input had.
            let input_reads = std::str::from_utf8(input)
                .ok()
                .is_some_and(|t| yaml::from_str::<Value>(t).is_ok());
            assert!(!input_reads, "the output is not YAML ({e}):\n{text}");
            let outline = yaml::outline::read(&text)
                .unwrap_or_else(|u| panic!("the output is not YAML ({e}; {u:?}):\n{text}"));
            if let Ok(before) = yaml::outline::read(&String::from_utf8_lossy(input)) {
                assert_eq!(before.items.len(), outline.items.len(), "{text}");
            }
            return;
        }
    };
    assert_eq!(list["kind"], "ResourceList", "{text}");
    // `items:` with nothing after it (null: no items) comes back as the input wrote it.
    let none = Vec::new();
    let items = match &list["items"] {
        Value::Null if list.get("items").is_some() => &none,
        items => items
            .as_array()
            .unwrap_or_else(|| panic!("no items:\n{text}")),
    };
    let errors = list["results"]
        .as_array()
        .is_some_and(|r| r.iter().any(|r| r["severity"] == "error"));
    assert_eq!(
        failed, errors,
        "failed, or an error result, but not both:\n{text}"
    );
    let before: Option<Value> = std::str::from_utf8(input)
        .ok()
        .and_then(|t| yaml::from_str_strict(t).ok());
    if let Some(list_in) = &before
        && let Some(before) = list_in["items"].as_array()
    {
        // The wiring is the list's own functionConfig's, else the fallback's.
        let config = match &list_in["functionConfig"] {
            Value::Null => fallback,
            own => own,
        };
        let settings = config::load(config).map(|l| l.settings);
        assert_eq!(before.len(), items.len(), "the item count changed:\n{text}");
        for (old, new) in before.iter().zip(items) {
            // (A kind named only in the config's workloads: uninject does not know it.)
            if old == new || super::uninject::pod_template_mut(&mut old.clone()).is_none() {
                continue;
            }
            let settings = settings.as_ref().unwrap_or_else(|e| {
                panic!("an item changed under a config in error ({e}):\n{text}")
            });
            let (mut old, mut new) = (old.clone(), new.clone());
            uninject(&mut new, settings);
            normalize(&mut old, settings);
            normalize(&mut new, settings);
            assert_eq!(old, new, "an item changed besides the wiring:\n{text}");
        }
    }
    let (again, _) = run_krm(&output, fallback);
    let again: Value = yaml::from_str(&String::from_utf8_lossy(&again)).expect("YAML again");
    assert_eq!(
        again["items"], list["items"],
        "a second run changed the items"
    );
}
