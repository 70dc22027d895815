//! The JSON reader against the granit-parser path, on many shapes: equal answers, or
//! none.

use super::*;

#[test]
fn json_documents_are_read_in_two_passes_and_the_rest_is_left() {
    let text = "---\n# Source: c/t.yaml\n{\"kind\": \"Pod\", \"spec\": {\"containers\": [{\"name\": \"a\"}]}}\n";
    let loaded = load_json(text).unwrap();
    assert_eq!(loaded.value["spec"]["containers"][0]["name"], "a");
    assert_eq!(loaded.root.entries().len(), 2);
    for not in [
        "kind: Pod\n",
        "--- {\"kind\": \"Pod\"}\n",
        "{\"kind\": \"Pod\", \"kind\": \"Job\"}\n",
        "{\"kind\": \"Pod\"} # a comment\n",
        "%YAML 1.1\n---\n{\"kind\": \"Pod\"}\n",
        "{kind: Pod}\n",
    ] {
        assert!(load_json(not).is_none(), "{not}");
    }
}

/// Every answer of the reader against the granit-parser path's on `text`: the same, or
/// none (each public function asserts it too; these say which answer was given). True
/// when all four answered.
fn same(text: &str) -> bool {
    let granit = spans::parse(text).ok();
    let tree = tree::spans(text);
    if let Some(tree) = &tree {
        assert_eq!(Some(tree), granit.as_ref(), "spans of {text:?}");
        assert!(!writes_a_key_twice(tree));
    }
    let outline = outline::outline(text);
    if let Some(outline) = &outline {
        assert_eq!(
            Ok(outline),
            crate::yaml::outline::read(text).as_ref(),
            "outline of {text:?}"
        );
    }
    let head = top::head(text);
    if let Some(head) = &head {
        assert_eq!(
            Ok(head),
            crate::yaml::document::head(text).as_ref(),
            "head of {text:?}"
        );
    }
    let entries = top::entries(text);
    if let Some(n) = entries {
        assert_eq!(
            Ok(Some(n)),
            crate::yaml::check::top_level_entries(text, false),
            "entries of {text:?}"
        );
    }
    // The public functions (with their own debug assertions) answer as their parts do.
    assert_eq!(spans_of(text).is_some(), tree.is_some());
    assert_eq!(self::outline(text).is_some(), outline.is_some());
    assert_eq!(self::head(text).is_some(), head.is_some());
    assert_eq!(check(text).is_some(), entries.is_some());
    tree.is_some() && outline.is_some() && head.is_some() && entries.is_some()
}

#[test]
fn json_shapes_read_as_the_full_parser_reads_them() {
    let deep = format!("{{\"a\": {}1{}}}", "[".repeat(62), "]".repeat(62));
    let long_key = format!("{{\"{}\": 1}}", "k".repeat(1022));
    for text in [
        "{}",
        "{}\n",
        "{\"a\": 1}",
        "{\"a\":1,\"b\":[1, 2.5e3,-1,true,null, {}], \"c\": {}, \"d\": []}",
        "{\"a\": 0, \"b\": -0.5, \"c\": 1E5, \"d\": 2e-3, \"e\": 12345678901234567890123}",
        // Nesting, mappings in lists in mappings.
        "{\"a\": [{\"b\": [[], [{}]], \"c\": {\"d\": {\"e\": [1, [2, [3]]]}}}]}",
        deep.as_str(),
        // Escapes: in values and in keys (decoded as the span tree decodes them).
        "{\"a\": \"x\\\"y\\\\z\\/\\b\\f\\n\\r\\t\"}",
        "{\"k\\u00e9y\": \"\\u00e9\", \"\\\"q\\\"\": \"\\\\\"}",
        "{\"emoji\": \"\\ud83d\\ude00\", \"\\ud83d\\ude00\": 1}",
        "{\"a\": \"\\u0000\\u001f\\u007f\"}",
        // Unicode: columns count characters, not bytes.
        "{\"é\": \"ü\", \"x\": [\"日本\", 1, {\"😀\": \"€\"}]}",
        "{\n  \"日本語\": {\n    \"ключ\": [\"значение\", 2]\n  }\n}\n",
        // Whitespace: pretty, CRLF, blank lines, the `:` apart from its key.
        "{\n  \"a\": {\n    \"b\": [\n      1,\n      2\n    ]\n  }\n}\n",
        "{\r\n  \"a\": [\r\n    1\r\n  ]\r\n}\r\n",
        "{\n\"a\": [\n1\n]\n}",
        "  {\"a\":\n\n   1  ,  \"b\" :2 }  \n\n",
        "{\"a\":\n 1}",
        // Comments, blank lines and one `---` before; blank lines after.
        "# Source: chart/templates/d.json\n{\"a\": 1}\n",
        "---\n{\"a\": 1}\n",
        "\n# one\n  # two\n---   \n\n# three\n{\"a\": 1}\n\n\n",
        "# c\r\n---\r\n{\"a\": 1}\r\n",
        // Keys that make a mapping special, keys at the limit.
        "{\"\": 1, \"a\": {\"<<\": {\"b\": 2}}}",
        long_key.as_str(),
        // Strings YAML would read otherwise if they were plain.
        "{\"a\": \"#: - ? x\", \"b\": \"yes\", \"c\": \"0644\", \"d\": \"~\", \"e\": \"\"}",
    ] {
        assert!(same(text), "no answer for {text:?}");
    }
}

#[test]
fn unusual_text_is_left_to_the_full_parser() {
    let too_deep = format!("{{\"a\": {}1{}}}", "[".repeat(64), "]".repeat(64));
    let too_long = format!("{{\"{}\": 1}}", "k".repeat(1023));
    for text in [
        "",
        "# only a comment\n",
        "[1, 2]",
        "\"a\"",
        "a: 1\n",
        "{a: 1}",
        "{'a': 1}",
        "{\"a\": 1,}",
        "[1,]",
        "{\"a\": [1,]}",
        "{\"a\" 1}",
        "{\"a\": 1",
        "{\"a\": 01}",
        "{\"a\": 1.}",
        "{\"a\": .5}",
        "{\"a\": tru}",
        "{\"a\": truex}",
        "{\"a\": nan}",
        "{\"a\": \"open}",
        "{\"a\": \"\\x41\"}",
        "{\"a\": \"\\ud800\"}",
        "{\"a\": \"\\udc00\"}",
        "{\"a\": \"\\ud800\\u0041\"}",
        "{\"a\": \"raw\ttab\"}",
        "{\"a\":\t1}",
        "{\"a\": 1}\r",
        "{\"a\": \"x\u{85}y\"}",
        "{\"a\": \"x\u{2028}y\"}",
        "\u{feff}{\"a\": 1}",
        "{\"a\"\n: 1}",
        "{\"a\": 1} # a comment\n",
        "{\"a\": 1}\n...\n",
        "{\"a\": 1}\n---\n{\"b\": 2}\n",
        "{\"a\": 1}{}",
        "--- {\"a\": 1}\n",
        "  ---\n{\"a\": 1}\n",
        "---\n---\n{\"a\": 1}\n",
        "--- # c\n{\"a\": 1}\n",
        "%YAML 1.2\n---\n{\"a\": 1}\n",
        // A lone `\r` ends a comment line for YAML (a property test's find).
        "# Source: x\r.json\n---\n{}\n",
        too_deep.as_str(),
        too_long.as_str(),
    ] {
        assert!(!same(text), "an answer for {text:?}");
        assert!(tree::spans(text).is_none(), "spans for {text:?}");
    }
}

#[test]
fn keys_written_twice_are_left_to_the_full_path() {
    let many: String = (0..40).map(|i| format!("\"k{i}\": {i}, ")).collect();
    for text in [
        "{\"a\": 1, \"a\": 2}".to_string(),
        "{\"a\": {\"b\": 1, \"c\": 2, \"b\": 3}}".to_string(),
        "{\"a\": 1, \"\\u0061\": 2}".to_string(),
        format!("{{{many}\"k7\": 0}}"),
    ] {
        same(&text);
        assert!(tree::spans(&text).is_none(), "{text}");
        assert!(top::entries(&text).is_none(), "{text}");
    }
    // The outline and the head read a key twice as the full parser does: inside an item
    // it is the item's own parse that names it; at the top the last one counts for the head.
    let text = "{\"kind\": \"A\", \"kind\": \"B\", \"items\": [{\"a\": 1, \"a\": 2}]}";
    same(text);
    assert!(outline::outline(text).is_none());
    let head = top::head(text).unwrap();
    assert!(matches!(head, Head::Resource { kind: Some(k), .. } if k == "B"));
    let text = "{\"items\": [{\"a\": 1, \"a\": 2}]}";
    assert!(same(text) || outline::outline(text).is_some());
}

#[test]
fn heads_are_strings_or_nothing() {
    for (text, api_version, kind) in [
        (
            "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": []}",
            Some("v1"),
            Some("List"),
        ),
        ("{\"kind\": 5, \"apiVersion\": {\"a\": \"v1\"}}", None, None),
        ("{\"k\\u0069nd\": \"L\\u0069st\"}", None, Some("List")),
        (
            "{\"metadata\": {\"kind\": \"X\"}, \"kind\": null}",
            None,
            None,
        ),
        ("{\"kind\": \"X\", \"kind\": [1]}", None, None),
    ] {
        same(text); // the last case writes a key twice: no span tree, no count
        let want = Head::Resource {
            api_version: api_version.map(String::from),
            kind: kind.map(String::from),
        };
        assert_eq!(head(text), Some(want), "{text}");
    }
}

#[test]
fn lists_are_outlined_item_by_item() {
    let text = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"List\",\n  \"items\": [\n    {\"apiVersion\": \"v1\", \"kind\": 7, \"data\": {\"kind\": 8}},\n    [1, {\"apiVersion\": 2}],\n    \"s\", 3, {}\n  ],\n  \"metadata\": {}\n}\n";
    assert!(same(text));
    let outline = outline(text).unwrap();
    assert!(outline.flow && outline.flow_items);
    let items: Vec<&str> = outline
        .items
        .iter()
        .map(|i| &text[i.range.start..i.range.end])
        .collect();
    assert_eq!(
        items,
        [
            "{\"apiVersion\": \"v1\", \"kind\": 7, \"data\": {\"kind\": 8}}",
            "[1, {\"apiVersion\": 2}]",
            "\"s\"",
            "3",
            "{}"
        ]
    );
    // `apiVersion` and `kind` as they are written: a number, a string between its quotes.
    assert_eq!(outline.items[0].head(text), (Some("v1"), Some("7")));
    let text = "{\"items\": [{\"kind\": \"A\\u0042\", \"apiVersion\": \"\"}, {\"kind\": \"C\", \"kind\": \"D\"}]}";
    same(text);
    let outline = outline::outline(text).unwrap();
    assert_eq!(outline.items[0].head(text), (None, None));
    assert_eq!(outline.items[1].head(text), (None, Some("D")));
    for text in [
        "{\"items\": []}",
        "{\"items\": null, \"kind\": \"ResourceList\"}",
        "{\"a\": {\"items\": [1]}, \"items\": [[]]}",
    ] {
        assert!(same(text), "{text}");
    }
    // `items` that is a mapping, or written twice: for the whole-list path.
    for text in ["{\"items\": {}}", "{\"items\": [], \"items\": []}"] {
        same(text);
        assert!(outline::outline(text).is_none(), "{text}");
    }
}

mod generated {
    use super::same;
    use proptest::prelude::*;
    use serde_json::{Map, Value};

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("kind".to_string()),
            Just("apiVersion".to_string()),
            Just("items".to_string()),
            "[a-z é日😀\"\\\\/<\n\u{1}]{0,5}",
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (-1e9f64..1e9).prop_map(Value::from),
            "[a-z é日😀\"\\\\/#:\n\t\u{1}-]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 5, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                proptest::collection::vec((key(), inner), 0..5)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect())),
            ]
        })
    }

    /// A JSON object, or a List of them, written compact or pretty, with `\n` or
    /// `\r\n`, with or without a comment and `---` before.
    fn document() -> impl Strategy<Value = String> {
        let object = proptest::collection::vec((key(), value()), 0..6)
            .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>()));
        let list = proptest::collection::vec(value(), 0..6).prop_map(
            |items| serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items}),
        );
        (prop_oneof![object, list], 0..4u8, any::<bool>()).prop_map(|(v, layout, before)| {
            let mut text = match layout {
                0 => serde_json::to_string(&v).unwrap(),
                _ => serde_json::to_string_pretty(&v).unwrap(),
            };
            if before {
                text = format!("# Source: x.json\n---\n{text}\n");
            }
            if layout == 2 {
                text = text.replace('\n', "\r\n");
            }
            text
        })
    }

    /// One character inserted or taken out.
    fn mutate(text: &str, at: usize, what: u8) -> String {
        let inserts = [
            " ", "\n", "\t", ",", "\"", "\\", "{", "}", "[", "]", ":", "#", "\r", "é", "-", "0",
        ];
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut out = text.to_string();
        match what as usize % (inserts.len() + 1) {
            0 => {
                if let Some(c) = out[at..].chars().next() {
                    out.replace_range(at..at + c.len_utf8(), "");
                }
            }
            i => out.insert_str(at, inserts[i - 1]),
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// What serde_json writes is read, and read as the full parser reads it; with a
        /// character more or less, it is read the same way or given up on.
        #[test]
        fn the_json_reader_reads_as_the_full_parser(doc in document(), at in any::<usize>(), what in any::<u8>()) {
            // Only the outline gives up, on a list whose `items` is a mapping.
            let body = &doc[doc.find('{').unwrap()..];
            let value: Value = serde_json::from_str(body).unwrap();
            let not_a_list = value.get("items").is_some_and(Value::is_object);
            prop_assert!(same(&doc) || (not_a_list && super::spans_of(&doc).is_some()), "no answer for {:?}", doc);
            same(&mutate(&doc, at, what));
        }
    }
}
