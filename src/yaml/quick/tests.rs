//! The fast path against the full parser: on the documents below, on everything the
//! test suite reads (each `load` and `check` compares itself with the full parser in
//! debug builds), and on generated and mutated documents.

use super::{check, load, outline, value};
use proptest::prelude::*;

/// Documents the fast path must read (not give up on).
const READ: &[&str] = &[
    "a: 1\n",
    "---\n# Source: x/templates/d.yaml\napiVersion: v1\nkind: ConfigMap\n",
    "a:\n  b: c # note\n  d: \"e\" \n  f: 'g''h'\n# c\n\nz: [1, \"2\", x]\n",
    "s:\n- a\n- b: 1\n  c: 2\n-   d\nt:\n  - - x\n    - y\n  - {k: v, m: [1, {}]}\n",
    "m:\n  k: |\n    line 1\n\n      more\n    end\n  l: |-\n    x\n  o: |+\n    y\n\n\nafter: ok\n",
    "e:\nf: {}\ng: []\nh: ~\ni: yes\nj: 0644\nk: 1.5\nl: 500m\nm: -javaagent:/x.jar -Da=b\nnn: $(P)\n",
    "meta:\n  annotations:\n    {}\n  labels:\n    [a]\n  name:\n    x\n  q:\n    \"y\"\n",
    "x: é ü\nyy: \"\\u00e9\\n\\\"\"\nz: 'a # b'\nurl: http://x:80/y\n",
];

/// Documents beyond the subset (the full parser reads them, or says why not).
const GIVE_UP: &[&str] = &[
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: 1\na: 2\n",
    "a: >\n  folded\n",
    "a: b\n  c\n",
    "a:\tb\n",
    "a: \"multi\n  line\"\n",
    "? a\n: b\n",
    "<<: {a: 1}\n",
    "a: b: c\n",
    "- a\n",
    "a: 1\n---\nb: 2\n",
    "a: |\n  x",
    "1: x\n",
    "a:\n  b\n  c\n",
    "a:\n  |\n   x\n",
];

#[test]
fn reads_what_helm_writes() {
    for text in READ {
        super::flow_tests::read_every_way(text);
    }
}

#[test]
fn gives_up_beyond_the_subset() {
    for text in GIVE_UP {
        assert!(load(text).is_none(), "read: {text}");
        assert!(value(text).is_none(), "read: {text}");
    }
}

/// Lists and span lists hold no spare room (a list grown by doubling kept up to as much
/// again: a large workload's env list), and a mapping with many keys is read whole.
#[test]
fn what_is_read_holds_no_spare_room() {
    let many: String = (0..40).map(|i| format!("  k{i}: {i}\n")).collect();
    let text = format!("l:\n- a\n- b\n- c\n- d\n- e\nf: [1, 2, 3]\nm:\n{many}");
    let loaded = load(&text).expect("in the subset");
    for key in ["l", "f"] {
        let list = loaded.value[key].as_array().unwrap();
        assert_eq!(list.capacity(), list.len(), "{key}");
    }
    assert_eq!(loaded.value["m"].as_object().unwrap().len(), 40);
    assert_eq!(loaded.value["m"]["k39"], 39);
    let entries = loaded.root.entries();
    for entry in entries {
        match entry.value.kind() {
            crate::yaml::spans::Kind::Seq { items, .. } => {
                assert_eq!(items.capacity(), items.len())
            }
            crate::yaml::spans::Kind::Map { entries, .. } => {
                assert_eq!(entries.capacity(), entries.len())
            }
            _ => {}
        }
    }
}

#[test]
fn checking_counts_top_level_entries() {
    assert_eq!(check("a: 1\nb:\n  c: 2\nd: [x]\n"), Some(3));
    assert_eq!(check("a: 1\nb: 2\na: 3\n"), None);
}

/// A ResourceList whose items (or whose `items`) end in an empty value, at any depth, is
/// outlined as the full parser outlines it (`outline` asserts that in a debug build): the
/// full parser ends such a collection after the line's newline. Found by the KRM fuzzer.
#[test]
fn outlines_items_that_end_in_an_empty_value() {
    let head = "apiVersion: v1\nkind: ResourceList\nitems:\n";
    for items in [
        "  - kind: Deployment\n    spec:\n      template:\n        spec:\nt: \"7\"\n",
        "  - kind: Deployment\n    spec:\n      a:\n        b:\n",
        "  - a:\n      b:\n  - c: 1\nfunctionConfig: {}\n",
        "  - a:\n      - x\n      -\nfunctionConfig: {}\n",
        "  - a:\n      b:   \n  - c: 1\n",
        "  - a:\n      b: |\n        x\n  - c: 1\n",
        "  - a: x-\n  - b: c:d\n",
    ] {
        let text = format!("{head}{items}");
        let _ = outline(&text);
    }
    // What it still outlines itself: items that end in a scalar.
    assert!(outline(&format!("{head}  - a: 1\n  - b: [x]\n")).is_some());
}

/// Past 32 keys a mapping's keys are kept as hashes: a duplicate is still found, in flow
/// and block mappings, wherever it falls (a quoted key is the same key as a plain one).
#[test]
fn checking_finds_a_duplicate_among_many_keys() {
    let keys: Vec<String> = (0..200).map(|i| format!("k{i}")).collect();
    let flow = |extra: &str| format!("data: {{{}{extra}}}\n", keys.join(": v, ") + ": v");
    let block = |extra: &str| format!("{}{extra}", keys.join(": v\n") + ": v\n");
    assert_eq!(check(&flow("")), Some(1));
    assert_eq!(check(&block("")), Some(200));
    for dup in ["k0", "k31", "k32", "k199", "\"k150\""] {
        assert_eq!(check(&flow(&format!(", {dup}: w"))), None, "flow, {dup}");
        assert_eq!(check(&block(&format!("{dup}: w\n"))), None, "block, {dup}");
    }
}

/// Scalars chosen to sit on every edge of YAML 1.1 typing and of the subset.
const SCALARS: &[&str] = &[
    "x",
    "yes",
    "No",
    "ON",
    "off",
    "y",
    "n",
    "true",
    "False",
    "null",
    "Null",
    "~",
    "0",
    "-0",
    "7",
    "-7",
    "0644",
    "0o17",
    "0x1F",
    "0b11",
    "1_000",
    "1:20",
    "1.5",
    "-1.5e3",
    ".inf",
    "-.Inf",
    ".NaN",
    "nan",
    "inf",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "500m",
    "1Gi",
    "25%",
    "+1",
    "-x",
    "-",
    ":x",
    "?x",
    "=",
    "<<",
    "a b",
    "a #b",
    "é",
    "\"q\"",
    "'s'",
    "\"\"",
    "''",
    "'it''s'",
    "\"\\t\\x41\"",
    "@x",
    "`x",
    "%x",
    "!x",
    "&a x",
    "*a",
    "[]",
    "{}",
    "[1, x]",
    "{a: 1}",
    "99999999999999999999",
    "1.4.1",
    "$(VAR)",
    "a:b",
    "http://x",
    "a,b",
    "{a: [b, {c: d}]}",
];

/// Mostly scalars the fast path reads, so that most documents are read on it.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(&["x", "IfNotPresent", "8080", "-1", "500m", "'s'", "\"q r\"", "{}", "[]", "true", "/tmp"][..]),
        1 => prop::sample::select(SCALARS),
    ]
    .prop_map(str::to_string)
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        9 => prop::sample::select(&["a", "b", "name", "\"q\"", "'s'", "x.y/z", "a b", "c", "d", "e", "f"][..]),
        1 => prop::sample::select(&["1", "on", "<<", "a", "? a", "\"\\t\""][..]),
    ]
    .prop_map(str::to_string)
}

/// A block node at `indent`, as lines (the first line's text follows a `key:` or `- `).
fn node(depth: u32) -> BoxedStrategy<Vec<String>> {
    let leaf = prop_oneof![
        6 => scalar().prop_map(|s| vec![format!(" {s}")]),
        1 => Just(vec![String::new()]),
        1 => scalar().prop_map(|s| vec![String::new(), format!("  {s}")]),
        2 => (prop::sample::select(&["|", "|-", "|+", "|", "|-", ">"][..]), 0..3usize).prop_map(|(h, blank)| {
            let mut lines = vec![format!(" {h}"), "  one".into()];
            lines.extend((0..blank).map(|_| String::new()));
            lines.push("    two # not a comment".into());
            lines
        }),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    let map =
        prop::collection::vec((key(), node(depth - 1), any::<bool>()), 1..4).prop_map(|entries| {
            let mut lines = vec![String::new()];
            let mut seen = Vec::new();
            for (k, v, comment) in entries {
                // Mostly distinct keys: a duplicate is a rare, deliberate error.
                if seen.contains(&k) && comment {
                    continue;
                }
                if comment && !seen.is_empty() {
                    lines.push("  # a comment".into());
                }
                seen.push(k.clone());
                lines.push(format!("  {k}:{}", v[0]));
                lines.extend(v[1..].iter().map(|l| format!("  {l}")));
            }
            lines
        });
    let seq = (prop::collection::vec(node(depth - 1), 1..4), any::<bool>()).prop_map(
        |(items, indentless)| {
            let pad = if indentless { "" } else { "  " };
            let mut lines = vec![String::new()];
            for v in items {
                match v[0].as_str() {
                    // A collection: its first line goes on the dash's line.
                    "" if v.len() > 1 => {
                        lines.push(format!("{pad}- {}", v[1].trim_start()));
                        lines.extend(v[2..].iter().map(|l| format!("{pad}{l}")));
                    }
                    first => {
                        lines.push(format!("{pad}-{first}"));
                        lines.extend(v[1..].iter().map(|l| format!("{pad}  {l}")));
                    }
                }
            }
            lines
        },
    );
    prop_oneof![leaf, map, seq].boxed()
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec((key(), node(3)), 1..5).prop_map(|entries| {
        let mut text = String::from("---\n# Source: gen\n");
        let mut seen = Vec::new();
        for (k, v) in entries {
            if seen.contains(&k) {
                continue;
            }
            seen.push(k.clone());
            text.push_str(&format!("{k}:{}\n", v[0]));
            for line in &v[1..] {
                text.push_str(line);
                text.push('\n');
            }
        }
        text
    })
}

/// Make a small edit at a random place: what a hand edit or a broken template does.
fn mutate(text: &str, at: usize, what: u8) -> String {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let inserts = [
        " ", ":", "-", "#", "\n", "'", "\"", "[", "{", "}", "|", "&", "  ", "\n-", ": ",
    ];
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

/// The generated documents are mostly read on the fast path (else the comparison
/// above would prove little).
#[test]
fn most_generated_documents_take_the_fast_path() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut read, total) = (0, 500);
    for _ in 0..total {
        let doc = document().new_tree(&mut runner).unwrap().current();
        let ok = load(&doc).is_some();
        if !ok && std::env::var("QUICK_SHOW").is_ok() {
            eprintln!("=====\n{doc}");
        }
        read += usize::from(ok);
    }
    eprintln!("{read} of {total} generated documents read on the fast path");
    assert!(
        read * 4 >= total,
        "only {read} of {total} read on the fast path"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Whenever the fast path reads a document, it reads it as the full parser does
    /// (`load` and `check` assert that themselves in debug builds).
    #[test]
    fn the_fast_path_reads_as_the_full_parser(doc in document(), at in any::<usize>(), what in any::<u8>()) {
        let mutated = mutate(&doc, at, what);
        for text in [&doc, &mutated] {
            let loaded = load(text);
            let _ = check(text);
            // The value alone (`value`, asserted against the full parser too) is the
            // value `load` reads, and it gives up where `load` does.
            prop_assert_eq!(value(text), loaded.map(|l| l.value));
        }
    }
}

/// The rendered charts of `tests/corpus/` go the fast way: every document of theirs that
/// the fast path gives up on is named here, with why the full parser is needed.
#[test]
fn the_corpus_takes_the_fast_path() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    names.sort();
    let (mut read, mut slow) = (0, Vec::new());
    for path in &names {
        let bytes = std::fs::read(path).unwrap();
        for doc in crate::yaml::split::Splitter::new(&bytes[..]) {
            let doc = doc.unwrap();
            let text = std::str::from_utf8(&doc.bytes).unwrap();
            if !text.lines().any(|l| {
                !l.trim().is_empty() && !l.trim_start().starts_with('#') && l.trim() != "---"
            }) {
                continue; // comment-only
            }
            if let Some(loaded) = load(text) {
                assert_eq!(value(text).as_ref(), Some(&loaded.value));
                read += 1;
            } else {
                if std::env::var("QUICK_SHOW").is_ok() {
                    eprintln!("=====\n{text}");
                }
                slow.push(format!(
                    "{}: document {}",
                    path.file_name().unwrap().to_string_lossy(),
                    doc.index
                ));
            }
        }
    }
    eprintln!("{read} corpus documents read on the fast path; not: {slow:#?}");
    assert!(
        slow.len() * 10 <= read,
        "{} of {} on the full parser: {slow:#?}",
        slow.len(),
        read + slow.len()
    );
}
