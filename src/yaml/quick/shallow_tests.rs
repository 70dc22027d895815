//! The items of a long block list kept shallow, and read again where an edit goes.

use super::load;
use crate::yaml::patch::{self, Before};
use crate::yaml::spans::{self, Kind};
use serde_json::Value;

/// An env list of `n` entries, each value with a comment after it.
fn env(n: usize) -> String {
    let mut text = String::from("env:\n");
    for i in 0..n {
        text += &format!("- name: V{i}\n  value: x{i} # note {i}\n");
    }
    text
}

#[test]
fn the_items_past_the_first_ones_of_a_long_list_are_kept_shallow() {
    let text = env(40);
    let loaded = load(&text).unwrap();
    let items = loaded.root.entries()[0].value.items();
    assert!(matches!(items[31].shape, Kind::Map { .. }));
    assert!(matches!(items[32].shape, Kind::Shallow { .. }));
    // Asked for, a shallow item's entries are read again, as the full parser reads them.
    assert_eq!(items[39].entries()[1].key, "value");
    assert_eq!(&text[items[39].entries()[1].value.start..][..3], "x39");
    assert_eq!(loaded.root, spans::parse(&text).unwrap());
    // A short list keeps every item whole.
    let short = env(32);
    let loaded = load(&short).unwrap();
    let items = loaded.root.entries()[0].value.items();
    assert!(items.iter().all(|i| matches!(i.shape, Kind::Map { .. })));
}

#[test]
fn an_edit_inside_a_shallow_item_keeps_the_rest_of_its_lines() {
    let text = env(40);
    let loaded = load(&text).unwrap();
    let old = loaded.value.clone();
    let mut new = loaded.value.clone();
    new["env"][35]["value"] = Value::String("x35 $(P)".into());
    new["env"][38]["extra"] = Value::String("more".into());
    let (out, _) = patch::rewrite_splices(&text, Some(loaded.root), Before::Whole(&old), &new)
        .expect("edited in place");
    assert!(
        out.contains("- name: V35\n  value: x35 $(P) # note 35\n"),
        "{out}"
    );
    assert!(
        out.contains("- name: V38\n  value: x38 # note 38\n  extra: more\n"),
        "{out}"
    );
    assert_eq!(out.lines().count(), text.lines().count() + 1);
}
