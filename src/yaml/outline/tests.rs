//! The outline of a ResourceList: where its entries and items are.

use super::*;

/// Each item's text.
fn texts<'t>(text: &'t str, outline: &Outline) -> Vec<&'t str> {
    let at = |i: &Item| &text[i.range.start..i.range.end];
    outline.items.iter().map(at).collect()
}

#[test]
fn entries_and_items_are_located() {
    let text = "apiVersion: v1\nkind: ResourceList\nitems:\n- a: 1\n  b: |\n    x\n\n- {c: 2} # two\nfunctionConfig: {d: 3}\n";
    let outline = read(text).unwrap();
    let keys: Vec<&str> = outline.entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["apiVersion", "kind", "items", "functionConfig"]);
    assert_eq!(texts(text, &outline), ["a: 1\n  b: |\n    x", "{c: 2}"]);
    let (slice, from) = block_slice(text, outline.items[0].range, true).unwrap();
    assert_eq!((slice.as_str(), from), ("  a: 1\n  b: |\n    x\n", 41));
    assert!(outline.entries[3].inline);
    assert_eq!(outline.items[1].head(text), (None, None));
    let text = "items:\n- apiVersion: v1\n  kind: ConfigMap\n  data: {kind: x}\n";
    let outline = read(text).unwrap();
    assert_eq!(outline.items[0].head(text), (Some("v1"), Some("ConfigMap")));
    // A key twice in an item: the item's own parse reads it; at the top: the whole list.
    let text = "items:\n- kind: A\n  kind: B\n";
    assert_eq!(read(text).unwrap().items[0].head(text), (None, Some("B")));
    assert!(read("items: []\nitems: []\n").is_err());
}

/// A quoted `apiVersion` or `kind` is read between its quotes when that is its value
/// (JSON writes every one quoted); one with an escape or nothing in it is not.
#[test]
fn quoted_heads_are_read_when_they_hold_no_escape() {
    let text = "items:\n- apiVersion: \"v1\"\n  kind: 'ConfigMap'\n- kind: \"a\\x41\"\n- kind: 'it''s'\n- kind: \"\"\n- kind: A\n  kind: ''\n";
    let outline = read(text).unwrap();
    let heads: Vec<_> = outline.items.iter().map(|i| i.head(text)).collect();
    assert_eq!(
        heads,
        [
            (Some("v1"), Some("ConfigMap")),
            (None, None),
            (None, None),
            (None, None),
            (None, Some("A")),
        ]
    );
    let text = "items:\n- apiVersion: \"v1\"\n  kind: 'ConfigMap'\n- kind: \"a\\x41\"\n- kind: 'it''s'\n- kind: \"List\"\n";
    let quick = crate::yaml::quick::outline(text).unwrap();
    assert_eq!(Ok(&quick), read(text).as_ref());
    assert_eq!(quick.items[3].head(text), (None, Some("List")));
}

#[test]
fn json_lists_are_located_item_by_item() {
    let text = "{\"kind\": \"ResourceList\",\n \"items\": [\n  {\"a\": [1,\n 2]}, \"s\"]}\n";
    let outline = read(text).unwrap();
    assert!(outline.flow && outline.flow_items);
    assert_eq!(texts(text, &outline), ["{\"a\": [1,\n 2]}", "\"s\""]);
}

#[test]
fn unusual_lists_are_left_to_the_whole_parse() {
    for text in ["[a]\n", "a: &x 1\nitems: []\n", "- a\n", "items:\n- *x\n"] {
        assert!(read(text).is_err(), "{text}");
    }
}

/// Anchors, aliases and tags inside the items, each alias in its anchor's item, keep the
/// list read item by item; an alias of another item's anchor, or of one outside the
/// items, or a tag under a `%TAG` directive, do not.
#[test]
fn anchors_of_an_item_stay_in_it() {
    let text = "items:\n- kind: A\n  spec: {a: &x 1, b: *x, c: !!str 2}\n- kind: &k B\n  again: *k\n  m: &m {z: 1}\n  n: *m\n- kind: C\n";
    let outline = read(text).unwrap();
    let heads: Vec<_> = outline.items.iter().map(|i| i.head(text).1).collect();
    assert_eq!(heads, [Some("A"), Some("B"), Some("C")]);
    assert_eq!(
        texts(text, &outline),
        [
            "kind: A\n  spec: {a: &x 1, b: *x, c: !!str 2}",
            "kind: &k B\n  again: *k\n  m: &m {z: 1}\n  n: *m",
            "kind: C"
        ]
    );
    for text in [
        "items:\n- a: &x 1\n- b: *x\n",
        "f: &x 1\nitems:\n- b: *x\n",
        "%TAG !e! tag:example.com,2000:\n---\nitems:\n- a: !e!x 1\n",
    ] {
        assert!(read(text).is_err(), "{text}");
    }
}

/// The other top-level entries are read alone too (the functionConfig, earlier results):
/// anchors, aliases and tags inside one of them, each alias in its anchor's entry, keep
/// the list read item by item; an alias across an entry and an item, or an anchor on the
/// entry's value itself, do not.
#[test]
fn anchors_of_a_top_level_entry_stay_in_it() {
    let text = "items:\n- kind: A\n  a: &x 1\n  b: *x\nfunctionConfig:\n  metadata: {name: &n cfg, labels: {o: *n}}\n  spec: !!map {m: &m {z: 1}, n: *m}\n";
    let outline = read(text).unwrap();
    assert_eq!(texts(text, &outline), ["kind: A\n  a: &x 1\n  b: *x"]);
    let keys: Vec<_> = outline.entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["items", "functionConfig"]);
    for text in [
        "items:\n- a: &x 1\nfunctionConfig:\n  b: *x\n",
        "functionConfig:\n  b: &x 1\nitems:\n- a: *x\n",
        "functionConfig:\n  a: &x 1\nresults:\n- b: *x\nitems: []\n",
        "functionConfig: &f\n  a: 1\nitems: []\n",
        "functionConfig: !!map\n  a: 1\nitems: []\n",
    ] {
        assert!(read(text).is_err(), "{text}");
    }
}

/// An item whose `-` stands on a line above it (alone, with a comment, or with the
/// item's own tag or anchor) is outlined like any other, and its slice starts at its
/// `-`'s line, blanked, so that the item reads the same alone.
#[test]
fn items_opened_on_a_line_of_their_own_are_outlined() {
    for (text, slice) in [
        ("items:\n-\n  kind: A\n", " \n  kind: A\n"),
        ("items:\n- # c\n\n  kind: A\n", "  # c\n\n  kind: A\n"),
        ("items:\n- !!map\n  kind: A\n", "  !!map\n  kind: A\n"),
        ("items:\n- &a # c\n  kind: A\n", "  &a # c\n  kind: A\n"),
        ("items:\n- !!map {kind: A}\n", "  !!map {kind: A}\n"),
    ] {
        let outline = read(text).unwrap_or_else(|e| panic!("{text:?}: {}", e.0));
        assert_eq!(outline.items[0].head(text), (None, Some("A")), "{text:?}");
        let (got, from) = block_slice(text, outline.items[0].range, true).unwrap();
        assert_eq!((got.as_str(), from), (slice, 7), "{text:?}");
    }
    // An anchor on an item is its own; an alias of it from another item is not.
    assert!(read("items:\n- &a\n  kind: A\n- *a\n").is_err());
    // The list's own root may say `!!map`, or carry an anchor nothing can alias; another
    // tag may give it another meaning.
    for text in [
        "--- !!map\nitems:\n- &a # c\n  kind: A\n",
        "--- &r\nitems:\n- kind: A\n",
    ] {
        assert_eq!(
            read(text).unwrap().items[0].head(text),
            (None, Some("A")),
            "{text:?}"
        );
    }
    assert!(read("--- !!set\nitems:\n- kind: A\n").is_err());
}
