//! Flow collections across lines on the fast path, against the full parser (each `load`
//! and `check` compares itself with it in debug builds).

use super::{check, load, value};

/// Flow collections the fast path reads across lines.
const READ: &[&str] = &[
    "a: [1,\n  2]\n",
    "spec:\n  selector:\n    matchLabels: {app: d1,\n      tier: web}\n  x: 1\n",
    "c:\n- {name: a,\n   image: b}\n- x\n",
    "{apiVersion: v1,\n kind: Pod,\n metadata: {name: p}}\n",
    "{a: 1,\nb: 2}\n",
    "a: [1, # one\n  2, # two\n\n  3]\nb: 4\n",
    "a: {b: [1,\n    2], c: {d: e,\n  f: g}}\n",
    "a: [\n  1,\n  2\n  ]\n",
    "a: ['x',\n  \"y\"]\n",
    "a: [x\n  , y]\n",
    "a: {b: c\n  }\nd: [e\n # note\n  ]\n",
    // A close at the indentation of the line the collection starts on.
    "a:\n  b: {\n    x: 1\n  }\n  c: [\n    {d: e,\n     f: g}\n  ]\n",
    "l:\n- [\n  1\n]\n",
];

/// Flow collections across lines left to the full parser.
const GIVE_UP: &[&str] = &[
    // A key and its `:` on two lines; a scalar across lines.
    "a: {b\n  : c}\n",
    "a: [b\n  c]\n",
    // A line that is not indented past the one the collection starts on.
    "a:\n  b: [1,\n  2]\n",
    "a:\n  b: {\n    x: 1\n }\n",
    // A comment that follows no space; a document marker inside.
    "a: [1,#c\n  2]\n",
    "{a: 1,\n---\n}\n",
];

/// `text` is read on the fast path, checked, and its value alone (no spans) is the
/// same value.
pub(super) fn read_every_way(text: &str) {
    assert!(load(text).is_some(), "not read: {text}");
    assert!(check(text).is_some(), "not checked: {text}");
    assert_eq!(value(text), load(text).map(|l| l.value), "{text}");
}

#[test]
fn flow_collections_across_lines_are_read_as_the_full_parser_reads_them() {
    for text in READ {
        read_every_way(text);
    }
    // The nodes on later lines are placed there.
    let loaded = load(READ[1]).unwrap();
    let labels = &loaded.root.entries()[0].value.entries()[0].value.entries()[0].value;
    let tier = &labels.entries()[1];
    assert_eq!((tier.key_node.line, tier.key_node.col), (4, 6));
}

#[test]
fn flow_collections_across_lines_beyond_the_subset_are_given_up() {
    for text in GIVE_UP {
        assert!(load(text).is_none(), "read: {text}");
        assert!(value(text).is_none(), "read: {text}");
    }
}

mod generated {
    use super::super::load;
    use proptest::prelude::*;

    /// What goes between two tokens: nothing, a space, or a line break with some
    /// indentation, maybe after a comment or with a blank line.
    fn gap() -> impl Strategy<Value = String> {
        (0..6usize, 0..7usize).prop_map(|(kind, indent)| {
            let pad = " ".repeat(indent);
            match kind {
                0 => String::new(),
                1 => " ".into(),
                2 => format!("\n{pad}"),
                3 => format!(" # c\n{pad}"),
                4 => format!("\n\n{pad}"),
                _ => format!("\n{pad}# whole line\n{pad}"),
            }
        })
    }

    fn scalar() -> impl Strategy<Value = String> {
        prop::sample::select(&["a", "1", "'q'", "\"d\"", "x y", "-1", "on", "a:b"][..])
            .prop_map(String::from)
    }

    /// A flow collection, its tokens apart by random gaps.
    fn flow() -> impl Strategy<Value = String> {
        let leaf = scalar();
        leaf.prop_recursive(3, 16, 3, |inner| {
            (
                any::<bool>(),
                prop::collection::vec((inner, gap(), gap()), 0..3),
            )
                .prop_map(|(map, items)| {
                    let (open, close) = if map { ("{", "}") } else { ("[", "]") };
                    let body: Vec<String> = items
                        .iter()
                        .enumerate()
                        .map(|(i, (v, g1, g2))| {
                            let v = if map { format!("k{i}: {v}") } else { v.clone() };
                            format!("{g1}{v}{g2}")
                        })
                        .collect();
                    format!("{open}{}{close}", body.join(","))
                })
        })
    }

    proptest! {
        /// Whatever the fast path reads, it reads as the full parser does (`load`
        /// compares itself with it in debug builds and panics where they differ).
        #[test]
        fn flow_collections_across_lines_read_as_the_full_parser(
            f in flow(),
            indent in 0..4usize,
        ) {
            let pad = " ".repeat(indent);
            let text = format!("a:\n{pad}b: {f}\n{pad}c: 1\n");
            let _ = load(&text);
            let text = format!("l:\n{pad}- {f}\n{pad}- x\n");
            let _ = load(&text);
        }
    }
}
