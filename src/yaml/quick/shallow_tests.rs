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

/// A mapping whose `args` are `n` scalars, as a flow list, a block list under the key,
/// or an indentless block list at the key's own column.
fn args(n: usize, style: &str) -> String {
    let items: Vec<String> = (0..n).map(|i| format!("a{i}")).collect();
    match style {
        "flow" => format!("c:\n  args: [{}]\n  x: 1\n", items.join(", ")),
        "block" => format!("c:\n  args:\n    - {}\n  x: 1\n", items.join("\n    - ")),
        _ => format!("c:\n  args:\n  - {}\n  x: 1\n", items.join("\n  - ")),
    }
}

#[test]
fn a_long_list_of_scalars_is_one_shallow_node_read_again_when_edited() {
    for style in ["flow", "block", "indentless"] {
        let text = args(40, style);
        let loaded = load(&text).unwrap();
        let list = &loaded.root.entries()[0].value.entries()[0].value;
        assert!(matches!(list.shape, Kind::Shallow { .. }), "{style}");
        // Read again, it is what the full parser reads.
        assert_eq!(list.items().len(), 40, "{style}");
        assert_eq!(loaded.root, spans::parse(&text).unwrap(), "{style}");
        // An item added and one changed inside it: the rest of its text stays.
        let loaded = load(&text).unwrap();
        let old = loaded.value.clone();
        let mut new = loaded.value.clone();
        new["c"]["args"][39] = Value::String("changed".into());
        new["c"]["args"].as_array_mut().unwrap().push("more".into());
        let (out, _) = patch::rewrite_splices(&text, Some(loaded.root), Before::Whole(&old), &new)
            .expect("edited in place");
        assert!(out.contains("a38") && !out.contains("a39") && out.contains("more"));
        assert_eq!(
            crate::yaml::from_str::<Value>(&out).unwrap(),
            new,
            "{style}:\n{out}"
        );
        assert_eq!(
            out.lines().count(),
            text.lines().count() + usize::from(style != "flow")
        );
        // Short lists, and lists that are not all scalars at first, keep their items.
        let short = args(32, style);
        let loaded = load(&short).unwrap();
        let list = &loaded.root.entries()[0].value.entries()[0].value;
        assert!(!matches!(list.shape, Kind::Shallow { .. }), "{style}");
    }
}

#[test]
fn a_long_flow_mapping_is_one_shallow_node_read_again_when_edited() {
    let entries: Vec<String> = (0..40).map(|i| format!("k{i}: ")).collect();
    let text = format!("a: {{{}}} # note\nb: 1\n", entries.join(", "));
    let loaded = load(&text).unwrap();
    let map = &loaded.root.entries()[0].value;
    assert!(matches!(map.shape, Kind::Shallow { .. }));
    assert_eq!(loaded.root, spans::parse(&text).unwrap());
    let loaded = load(&text).unwrap();
    let old = loaded.value.clone();
    let mut new = loaded.value.clone();
    new["a"]["k7"] = Value::String("v".into());
    new["a"]["marker"] = Value::String("m".into());
    let (out, _) = patch::rewrite_splices(&text, Some(loaded.root), Before::Whole(&old), &new)
        .expect("edited in place");
    assert!(
        out.contains("k6: , k7: v, k8: ") && out.contains("k39: , marker: m} # note\n"),
        "{out}"
    );
}

/// A long list of scalars whose last item keeps its final line breaks (`|+`): a line
/// added after the list goes after the blank lines, which are that item's value.
#[test]
fn a_long_list_that_ends_in_kept_lines_keeps_them() {
    let items: Vec<String> = (0..40).map(|i| format!("  - a{i}\n")).collect();
    let text = format!(
        "c:\n  args:\n{}  - |+\n    kept\n\n\nd: 1\n",
        items.concat()
    );
    let loaded = load(&text).unwrap();
    let list = &loaded.root.entries()[0].value.entries()[0].value;
    assert!(matches!(list.shape, Kind::Shallow { .. }));
    let old = loaded.value.clone();
    let mut new = loaded.value.clone();
    new["c"]["more"] = Value::String("x".into());
    let (out, _) = patch::rewrite_splices(&text, Some(loaded.root), Before::Whole(&old), &new)
        .expect("edited in place");
    assert_eq!(crate::yaml::from_str::<Value>(&out).unwrap(), new, "{out}");
    assert!(out.ends_with("    kept\n\n\n  more: x\nd: 1\n"), "{out}");
}

/// `text` (an `env` list of 40 entries) with entry 35's value edited and an entry
/// `NEW` appended, edited in place; it reads as the edited value.
fn edit_env(text: &str) -> String {
    let loaded = load(text).unwrap();
    let old = loaded.value.clone();
    let mut new = loaded.value.clone();
    new["env"][35]["value"] = Value::String("x35 $(P)".into());
    new["env"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"name": "NEW", "value": "v"}));
    let (out, _) = patch::rewrite_splices(text, Some(loaded.root), Before::Whole(&old), &new)
        .expect("edited in place");
    assert_eq!(crate::yaml::from_str::<Value>(&out).unwrap(), new);
    out
}

/// A long flow list of mappings (an env list on one line) keeps its items, those past
/// the 32nd shallow; an edit inside one reads that one again.
#[test]
fn the_mappings_of_a_long_flow_list_are_kept_shallow() {
    let items: Vec<String> = (0..40)
        .map(|i| format!("{{name: V{i}, value: x{i}}}"))
        .collect();
    let text = format!("env: [{}] # note\n", items.join(", "));
    let loaded = load(&text).unwrap();
    let list = &loaded.root.entries()[0].value;
    assert!(matches!(list.shape, Kind::Seq { .. }));
    assert!(matches!(list.items()[31].shape, Kind::Map { .. }));
    assert!(matches!(list.items()[32].shape, Kind::Shallow { .. }));
    assert_eq!(loaded.root, spans::parse(&text).unwrap());
    let out = edit_env(&text);
    assert!(
        out.contains("{name: V35, value: x35 $(P)}, {name: V36"),
        "{out}"
    );
    assert!(
        out.ends_with("{name: V39, value: x39}, {name: NEW, value: v}] # note\n"),
        "{out}"
    );
}

/// A block list whose items are flow mappings (`- {name: V1, value: x1}`), as some
/// generators write env lists: those past the 32nd are kept shallow too (a workload with
/// 40,000 such entries, 1.4 MB, peaked at 42 MiB with every entry's key and value kept),
/// and an edit inside one reads that one again.
#[test]
fn the_flow_mapping_items_of_a_long_block_list_are_kept_shallow() {
    let mut text = String::from("env:\n");
    for i in 0..40 {
        text += &format!("- {{name: V{i}, value: x{i}}} # note {i}\n");
    }
    let loaded = load(&text).unwrap();
    let items = loaded.root.entries()[0].value.items();
    assert!(matches!(items[31].shape, Kind::Map { flow: true, .. }));
    assert!(matches!(items[32].shape, Kind::Shallow { .. }));
    assert_eq!(items[39].entries()[1].key, "value");
    assert_eq!(&text[items[39].entries()[1].value.start..][..3], "x39");
    assert_eq!(loaded.root, spans::parse(&text).unwrap());
    let out = edit_env(&text);
    assert!(
        out.contains("- {name: V35, value: x35 $(P)} # note 35\n"),
        "{out}"
    );
    assert!(
        out.ends_with("# note 39\n- name: NEW\n  value: v\n"),
        "{out}"
    );
}
