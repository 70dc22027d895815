//! Where each node of a YAML document sits in its text: a tree of byte ranges built from
//! granit-parser's events (the parser under serde-saphyr, so no new dependency), for
//! [`crate::yaml::diff`] to locate an edit and [`crate::yaml::patch`] to apply it to the bytes.

use crate::yaml::lines::{colon_after, column, line_start};
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, StructureStyle};
use std::borrow::Cow;

/// One node of the document and the bytes it covers (`start..end`, content only: an
/// anchor or tag in front of it is outside).
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'t> {
    pub kind: Kind<'t>,
    pub start: usize,
    pub end: usize,
    /// 0-based column of `start`, in characters.
    pub col: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// An anchor, a tag, an alias or a merge key (`<<`) is in or on this node: text
    /// edited here could mean something else elsewhere, so it is never edited in place.
    pub special: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind<'t> {
    Scalar { style: ScalarStyle, empty: bool },
    Map { flow: bool, entries: Vec<Entry<'t>> },
    Seq { flow: bool, items: Vec<Node<'t>> },
    Alias,
}

/// One `key: value` pair of a mapping; `key` is the key's text value (empty for a key
/// that is not a scalar, which makes the mapping special).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<'t> {
    pub key: Cow<'t, str>,
    pub key_node: Node<'t>,
    pub value: Node<'t>,
}

impl<'t> Node<'t> {
    pub fn is_flow(&self) -> bool {
        matches!(
            self.kind,
            Kind::Map { flow: true, .. } | Kind::Seq { flow: true, .. }
        )
    }

    pub fn entries(&self) -> &[Entry<'t>] {
        match &self.kind {
            Kind::Map { entries, .. } => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node<'t>] {
        match &self.kind {
            Kind::Seq { items, .. } => items,
            _ => &[],
        }
    }
}

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

/// Build the span tree of the one document in `text` (which serde-saphyr already read).
pub fn parse(text: &str) -> Result<Node<'_>, NoSpans> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| NoSpans(e.to_string()))?;
        let start = marker_offset(&span.start)?;
        let end = marker_offset(&span.end)?;
        let new_node = |kind, special| Node {
            kind,
            start,
            end,
            col: span.start.col(),
            line: span.start.line(),
            special,
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
                    anchor != 0 || tag.is_some(),
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
                    anchor != 0 || tag.is_some(),
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
                        if matches!(node.kind, Kind::Scalar { empty: true, .. }) {
                            // `key:` with nothing after it: the value "is" right after the colon.
                            let at = colon_after(text, key_node.end).unwrap_or(key_node.end);
                            (node.start, node.end, node.line) = (at, at, key_node.line);
                            node.col = column(text, at);
                        }
                        entries.push(Entry {
                            key: key_text(text, &key_node),
                            key_node,
                            value: node,
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
            entries,
            key,
        } => {
            if key.is_some() {
                return Err(NoSpans("a mapping key without a value".into()));
            }
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
            node.kind = Kind::Map { flow, entries };
            node
        }
        Frame::Seq { mut node, items } => {
            let flow = node.is_flow();
            node.end = if flow {
                end_event_end
            } else {
                items.last().map_or(node.start, |i| i.end)
            };
            node.kind = Kind::Seq { flow, items };
            node
        }
    })
}

/// The text value of a scalar key as serde-saphyr reads it (plain and quoted keys alike);
/// empty for anything but a scalar.
fn key_text<'t>(text: &'t str, key: &Node<'_>) -> Cow<'t, str> {
    let Kind::Scalar { style, .. } = key.kind else {
        return Cow::Borrowed("");
    };
    let raw = &text[key.start..key.end];
    match style {
        ScalarStyle::Plain => Cow::Borrowed(raw),
        ScalarStyle::SingleQuoted => raw
            .strip_prefix('\'')
            .and_then(|r| r.strip_suffix('\''))
            .map_or(Cow::Borrowed(""), |r| Cow::Owned(r.replace("''", "'"))),
        ScalarStyle::DoubleQuoted => match serde_json::from_str::<String>(raw) {
            Ok(key) => Cow::Owned(key),
            Err(_) => Cow::Borrowed(""),
        },
        _ => Cow::Borrowed(""),
    }
}

/// Check that `text` is one well-formed YAML document with no duplicate key in any
/// mapping (and, unless `aliases`, no alias: expanding one is the full parser's job, with
/// its budget), and count the entries of its top-level mapping (`None` when the top is
/// not a mapping): a parser pass that keeps only the keys of the open mappings.
pub fn top_level_entries(text: &str, aliases: bool) -> Result<Option<usize>, NoSpans> {
    // One frame per open collection: for a mapping, its keys so far and whether the
    // next node is a key; the key lists are reused as mappings close and open.
    let mut frames: Vec<(bool, Vec<Cow<'_, str>>, bool)> = Vec::new();
    let mut spare: Vec<Vec<Cow<'_, str>>> = Vec::new();
    let (mut documents, mut top) = (0usize, None);
    for event in Parser::new_from_str(text) {
        let (event, _) = event.map_err(|e| NoSpans(e.to_string()))?;
        // Whether this node is a mapping key (and move its mapping on to the next node).
        let mut is_key = || match frames.last_mut() {
            Some((true, _, next_is_key)) => {
                let key = *next_is_key;
                *next_is_key = !key;
                key
            }
            _ => false,
        };
        match event {
            Event::DocumentStart(..) => documents += 1,
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                is_key();
                let map = matches!(event, Event::MappingStart(..));
                let mut keys = spare.pop().unwrap_or_default();
                keys.clear();
                frames.push((map, keys, true));
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let (map, keys, _) = frames.pop().ok_or_else(|| NoSpans("unbalanced".into()))?;
                if frames.is_empty() {
                    top = map.then_some(keys.len());
                }
                spare.push(keys);
            }
            Event::Alias(_) if !aliases => return Err(NoSpans("an alias".into())),
            Event::Alias(_) => {
                is_key();
            }
            // A guard with an effect: `is_key` moves the mapping on for every scalar.
            Event::Scalar(value, ..) if is_key() => {
                let keys = &mut frames.last_mut().expect("a mapping is open").1;
                if keys.contains(&value) {
                    return Err(NoSpans(format!("the key {value:?} twice")));
                }
                keys.push(value);
            }
            _ => {}
        }
    }
    if documents != 1 {
        return Err(NoSpans(format!("{documents} documents")));
    }
    Ok(top)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::lines::{dash_of, line_end};

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
            root.entries()[0].value.kind,
            Kind::Scalar { empty: true, .. }
        ));
        assert_eq!(colon_after(text, root.entries()[0].key_node.end), Some(4));
    }

    #[test]
    fn well_formed_documents_and_their_top_level() {
        assert_eq!(
            top_level_entries("a: 1\nb: [x]\nc: {d: e}\n", false),
            Ok(Some(3))
        );
        assert!(top_level_entries("a: 1\nb: 2\na: 3\n", true).is_err());
        assert!(top_level_entries("a: &x 1\nb: *x\n", false).is_err());
        assert_eq!(top_level_entries("a: &x 1\nb: *x\n", true), Ok(Some(2)));
        assert_eq!(top_level_entries("- a\n", false), Ok(None));
        assert!(top_level_entries("a: \"open\n", false).is_err());
        assert!(top_level_entries("a: 1\n---\nb: 2\n", false).is_err());
    }
}
