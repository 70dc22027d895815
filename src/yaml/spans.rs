//! Where each node of a YAML document sits in its text: a tree of byte ranges built from
//! granit-parser's events (the parser under serde-saphyr, so no new dependency), for
//! [`crate::yaml::diff`] to locate an edit and [`crate::yaml::patch`] to apply it to the bytes.

use crate::yaml::lines::{colon_after, column, line_start};
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, StructureStyle, Tag};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

mod node;
pub mod path;
pub use node::{Entry, Kind, Node, Reread, Shallow, reread_with};

/// Why a document has no span tree (the caller falls back to re-emitting it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoSpans(pub String);

enum Frame<'t> {
    Map {
        node: Node<'t>,
        entries: Vec<Entry<'t>>,
        key: Option<Node<'t>>,
    },
    Seq {
        node: Node<'t>,
        items: Vec<Node<'t>>,
    },
}

fn marker_offset(m: &serde_saphyr::granit_parser::Marker) -> Result<usize, NoSpans> {
    m.byte_offset()
        .ok_or_else(|| NoSpans("the parser gave no byte offsets".into()))
}

/// Whether a collection's own anchor or tag keeps edits out of it: an edit inside an
/// anchored node would change its aliases too, but nothing can alias the document's root
/// (an item of a list read alone: `- &a`); a tag other than the one it has anyway
/// (`!!map` on a mapping, `!!seq` on a sequence) may give its content another meaning.
fn collection_special(anchor: usize, tag: Option<&Tag>, core: &str, root: bool) -> bool {
    (anchor != 0 && !root) || tag.is_some_and(|t| !t.is_yaml_core_schema_tag(core))
}

/// Build the span tree of the one document in `text` (which serde-saphyr already read).
pub fn parse(text: &str) -> Result<Node<'_>, NoSpans> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| NoSpans(e.to_string()))?;
        let start = marker_offset(&span.start)?;
        let end = marker_offset(&span.end)?;
        let new_node = |kind, special| Node {
            shape: kind,
            start,
            end,
            col: span.start.col(),
            line: span.start.line(),
            special,
            hash: 0,
        };
        let done = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => None,
            Event::DocumentStart(..) => {
                if root.is_some() {
                    return Err(NoSpans("more than one document".into()));
                }
                None
            }
            Event::Scalar(_, style, anchor, tag) => {
                // An empty value (`key:`) comes as a zero-width plain `~`.
                let empty = style == ScalarStyle::Plain && start == end;
                let mut node =
                    new_node(Kind::Scalar { style, empty }, anchor != 0 || tag.is_some());
                if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                    // Its span runs from the first content line over the blank lines after it,
                    // and leaves out the `|` or `>` header: cover the header to the last content.
                    node.end = start + text[start..end].trim_end().len();
                    // The header sits on the last non-blank line before the content.
                    let before = text[..start].trim_end();
                    let line = &before[line_start(text, before.len())..];
                    let line = line.split(" #").next().unwrap_or(line);
                    if let Some(i) = line.rfind(['|', '>']) {
                        let at = line_start(text, before.len()) + i;
                        node.start = at;
                        node.col = column(text, at);
                        node.line -= text[at..start].matches('\n').count();
                    }
                }
                Some(node)
            }
            Event::Alias(_) => Some(new_node(Kind::Alias, true)),
            Event::MappingStart(style, anchor, tag) => {
                let flow = style == StructureStyle::Flow;
                let node = new_node(
                    Kind::Map {
                        flow,
                        entries: Vec::new(),
                    },
                    collection_special(anchor, tag.as_deref(), "map", stack.is_empty()),
                );
                stack.push(Frame::Map {
                    node,
                    entries: Vec::new(),
                    key: None,
                });
                None
            }
            Event::SequenceStart(style, anchor, tag) => {
                let flow = style == StructureStyle::Flow;
                let node = new_node(
                    Kind::Seq {
                        flow,
                        items: Vec::new(),
                    },
                    collection_special(anchor, tag.as_deref(), "seq", stack.is_empty()),
                );
                stack.push(Frame::Seq {
                    node,
                    items: Vec::new(),
                });
                None
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let frame = stack
                    .pop()
                    .ok_or_else(|| NoSpans("unbalanced events".into()))?;
                Some(close(frame, end)?)
            }
            _ => None,
        };
        if let Some(node) = done {
            match stack.last_mut() {
                None => root = Some(node),
                Some(Frame::Seq { items, .. }) => items.push(node),
                Some(Frame::Map { entries, key, .. }) => match key.take() {
                    None => *key = Some(node),
                    Some(key_node) => {
                        let mut node = node;
                        if matches!(node.kind(), Kind::Scalar { empty: true, .. }) {
                            // `key:` with nothing after it: the value "is" right after the colon.
                            let at = colon_after(text, key_node.end).unwrap_or(key_node.end);
                            (node.start, node.end, node.line) = (at, at, key_node.line);
                            // Counted from the key (a count from the line's start is
                            // quadratic along a long flow line of empty values).
                            let between = &text[key_node.start..at];
                            node.col = if between.contains('\n') {
                                column(text, at)
                            } else {
                                key_node.col + between.chars().count()
                            };
                        }
                        entries.push(Entry {
                            key: key_text(text, &key_node),
                            key_node,
                            value: node,
                            shadows: false,
                        })
                    }
                },
            }
        }
    }
    root.ok_or_else(|| NoSpans("an empty document".into()))
}

fn close(frame: Frame<'_>, end_event_end: usize) -> Result<Node<'_>, NoSpans> {
    Ok(match frame {
        Frame::Map {
            mut node,
            mut entries,
            key,
        } => {
            if key.is_some() {
                return Err(NoSpans("a mapping key without a value".into()));
            }
            last_of_each_key(&mut entries);
            let flow = node.is_flow();
            node.end = if flow {
                end_event_end
            } else {
                entries
                    .last()
                    .map_or(node.start, |e| e.value.end.max(e.key_node.end))
            };
            if entries
                .iter()
                .any(|e| e.key.is_empty() || e.key == "<<" || e.key_node.special)
            {
                node.special = true;
            }
            // Grown one at a time: the spare room is given back (a large workload has
            // tens of thousands of small mappings and lists).
            entries.shrink_to_fit();
            node.shape = Kind::Map { flow, entries };
            node
        }
        Frame::Seq {
            mut node,
            mut items,
        } => {
            items.shrink_to_fit();
            let flow = node.is_flow();
            node.end = if flow {
                end_event_end
            } else {
                items.last().map_or(node.start, |i| i.end)
            };
            node.shape = Kind::Seq { flow, items };
            node
        }
    })
}

/// Keep only the last entry of each key, as Kubernetes reads a mapping with a key written
/// twice (go-yaml: the last one wins); the entries kept note that they shadow others.
fn last_of_each_key(entries: &mut Vec<Entry<'_>>) {
    if entries.len() < 2 {
        return;
    }
    let mut last: HashMap<&str, usize> = HashMap::with_capacity(entries.len());
    for (i, e) in entries
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.key.is_empty())
    {
        last.insert(e.key.as_ref(), i);
    }
    let keep: Vec<bool> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| e.key.is_empty() || last[e.key.as_ref()] == i)
        .collect();
    if keep.iter().all(|&k| k) {
        return;
    }
    let shadowed: HashSet<String> = entries
        .iter()
        .zip(&keep)
        .filter(|(_, kept)| !**kept)
        .map(|(e, _)| e.key.to_string())
        .collect();
    let mut kept = keep.iter();
    entries.retain(|_| *kept.next().expect("one flag per entry"));
    for e in entries.iter_mut() {
        e.shadows = shadowed.contains(e.key.as_ref());
    }
}

/// The text value of a scalar key as serde-saphyr reads it (plain and quoted keys alike);
/// empty for anything but a scalar.
fn key_text<'t>(text: &'t str, key: &Node<'_>) -> Cow<'t, str> {
    let Kind::Scalar { style, .. } = key.kind() else {
        return Cow::Borrowed("");
    };
    let raw = &text[key.start..key.end];
    match style {
        ScalarStyle::Plain => Cow::Borrowed(raw),
        ScalarStyle::SingleQuoted => raw
            .strip_prefix('\'')
            .and_then(|r| r.strip_suffix('\''))
            .map_or(Cow::Borrowed(""), |r| Cow::Owned(r.replace("''", "'"))),
        // JSON's escapes are YAML's most used ones; the rest (a raw tab, `\e`, `\N`, `\_`,
        // …) are read as YAML.
        ScalarStyle::DoubleQuoted => match serde_json::from_str::<String>(raw) {
            Ok(key) => Cow::Owned(key),
            Err(_) => {
                crate::yaml::value::from_str::<String>(raw).map_or(Cow::Borrowed(""), Cow::Owned)
            }
        },
        _ => Cow::Borrowed(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::lines::{dash_of, line_end};

    /// A double-quoted key is read as YAML reads it, escapes JSON does not have and raw
    /// tabs included, so that its mapping is no special one (which would send the
    /// document to be written out in full). Found by the stream fuzzer.
    #[test]
    fn double_quoted_keys_decode_as_yaml_does() {
        let text = "{\"service\tName\": 1, \"a\\x41\\e\": 2, \"b\\u00e9\": 3}\n";
        let root = parse(text).unwrap();
        let keys: Vec<&str> = root.entries().iter().map(|e| e.key.as_ref()).collect();
        assert_eq!(keys, ["service\tName", "aA\u{1b}", "b\u{e9}"]);
        assert!(!root.special);
    }

    #[test]
    fn block_and_flow_nodes_know_their_bytes() {
        let text = "a: {x: 1, y: [1, 2]}\nb:\n- c\n-  d: 2\n   e: 3 # note\n";
        let root = parse(text).unwrap();
        let a = &root.entries()[0];
        assert_eq!(&text[a.value.start..a.value.end], "{x: 1, y: [1, 2]}");
        let b = &root.entries()[1].value;
        assert_eq!(&text[b.start..b.end], "c\n-  d: 2\n   e: 3");
        assert_eq!(b.items()[1].col, 3);
        assert_eq!(
            dash_of(text, b.items()[1].start),
            Some(text.find("-  d").unwrap())
        );
        assert_eq!(line_end(text, b.end), text.len());
    }

    #[test]
    fn anchors_aliases_and_merges_are_special() {
        let root = parse("a: &x {b: 1}\nc: *x\nd:\n  <<: *x\ne: 1\n").unwrap();
        let special: Vec<bool> = root.entries().iter().map(|e| e.value.special).collect();
        assert_eq!(special, [true, true, true, false]);
    }

    #[test]
    fn empty_values_and_quoted_keys() {
        let text = "\"k\": \na: 'b'\n";
        let root = parse(text).unwrap();
        assert_eq!(root.entries()[0].key, "k");
        assert!(matches!(
            root.entries()[0].value.kind(),
            Kind::Scalar { empty: true, .. }
        ));
        assert_eq!(colon_after(text, root.entries()[0].key_node.end), Some(4));
    }

    #[test]
    fn a_key_written_twice_is_read_from_its_last_line() {
        let text = "a: 1\nb:\n  c: 2\n  d: 3\n  c: 4\na: 5\n";
        let root = parse(text).unwrap();
        let keys: Vec<(&str, bool)> = root
            .entries()
            .iter()
            .map(|e| (e.key.as_ref(), e.shadows))
            .collect();
        assert_eq!(keys, [("b", false), ("a", true)]);
        assert_eq!(
            &text[root.entries()[1].value.start..root.entries()[1].value.end],
            "5"
        );
        let b: Vec<&str> = root.entries()[0]
            .value
            .entries()
            .iter()
            .map(|e| e.key.as_ref())
            .collect();
        assert_eq!(b, ["d", "c"]);
    }
}
